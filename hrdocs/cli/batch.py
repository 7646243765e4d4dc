"""``hrdocs batch``: one document per row of a CSV or Excel export, or per entry of a YAML plan.

The command parses its options, calls :func:`hrdocs.batch.run_batch` and prints what it reports:
problems and warnings on stderr, the summary on stdout. It exits 1 when any row failed (also with
``--skip-invalid``, after writing the good ones), 2 for bad usage — which includes a value given once
for every row (``--stage``, ``--set``) that its field refuses: checked once, up front, and named by its
option, not reported on every row as the input's fault (docs/batch.md, "Exit codes").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from hrdocs.batch import Options, Report, run_batch
from hrdocs.batch.preview import preview
from hrdocs.cli import Ctx, cli, echo_warnings, pass_ctx
from hrdocs.cli.common import FORMATS_HELP, pdf_options, split_formats
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.naming import FIELDS as NAME_FIELDS

MAX_WARNINGS = 20

EPILOG = """\b
Examples:
  hrdocs batch candidates.csv --kind denial --stage interview
  hrdocs batch offers.csv --kind offer --name "{kind}-{role}-{candidate.last_name}"
  hrdocs batch export.csv --kind offer --map "Comp (USD)=salary" --map "Notes=-"
  hrdocs batch greenhouse.csv --kind denial --from greenhouse --dry-run
  hrdocs --date 2026-12-01 batch plan.yaml
  hrdocs batch candidates.csv --kind offer --dry-run

\b
Columns match fields by name, leniently ("First Name" = first_name) and by the names
applicant tracking systems export ("Candidate Name", "Base Salary", "Hiring Manager").
An export of an applicant tracking system is read by its import profile (--from, or
known by its header row): which columns are the candidate's own, what its stages
mean (docs/ats.md). --dry-run shows which column feeds which field.
Every row is checked before anything is written. A manifest (JSON Lines) beside the
documents records each file, its row, template and hashes; --resume trusts it.
See docs/batch.md."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UsageError(f'--set "{item}": write it as field=value, e.g. --set manager="Dana Whitfield"')
        out[key.strip().lower().replace("-", "_").replace(" ", "_")] = value.strip()
    return out


@cli.command(epilog=EPILOG)
@click.argument("input_file", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    "-k",
    metavar="KIND",
    help="The document for every row: offer, denial, jd, posting, comparison or one of your workspace's "
    "(`hrdocs kinds`); else each row's `kind` column or plan entry says.",
)
@click.option(
    "--format",
    "-f",
    "formats",
    metavar="FORMATS",
    help=f"{FORMATS_HELP} Default: each kind's own (docx; html for postings).",
)
@click.option("--stage", metavar="STAGE", help="Denials: where the applications ended, for every row.")
@click.option(
    "--set",
    "set_",
    multiple=True,
    metavar="FIELD=VALUE",
    help='A field for every row, over the row\'s own, e.g. --set manager="Dana Whitfield".',
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=FIELD"',
    help='Feed a field from a column the names do not match, e.g. --map "Comp (USD)=salary"; '
    '"COLUMN=-" ignores a column.',
)
@click.option(
    "--from",
    "profile",
    metavar="SYSTEM",
    help="The export's system, whose import profile says what its columns and stages mean: greenhouse, "
    "lever, personio, … or your workspace's profiles/SYSTEM.yaml (default: known by the header row; "
    "none: by column names alone).",
)
@click.option(
    "--name",
    "pattern",
    metavar="PATTERN",
    help='File names, e.g. "{kind}-{role}-{candidate.last_name}" (default: {kind}-{candidate}-{role}; '
    "jd: {role}). Fields: " + ", ".join(NAME_FIELDS) + ".",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output/offers, output/denials or output/job-descriptions).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the manifest (default: INPUT-NAME.manifest.jsonl beside the documents).",
)
@click.option("--force", is_flag=True, help="Replace existing documents (and the manifest).")
@click.option(
    "--resume", is_flag=True, help="Finish an interrupted batch: skip the documents already written."
)
@click.option(
    "--skip-invalid", is_flag=True, help="Write the valid rows even if some are invalid (still exit 1)."
)
@click.option("--dry-run", "-n", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--verify",
    is_flag=True,
    help="Self-check: render every 100th row the plain way too and stop if the bytes differ.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=_cores,
    show_default="the number of cores",
    help="Worker processes.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@pdf_options
@pass_ctx
def batch(
    ctx: Ctx,
    input_file: Path,
    kind: str | None,
    formats: str | None,
    stage: str | None,
    set_: tuple[str, ...],
    maps: tuple[str, ...],
    profile: str | None,
    pattern: str | None,
    out: Path | None,
    manifest_path: Path | None,
    force: bool,
    resume: bool,
    skip_invalid: bool,
    dry_run: bool,
    verify: bool,
    jobs: int,
    quiet: bool,
) -> None:
    """Write one document per row of INPUT: a CSV (UTF-8) or .xlsx export, or a YAML plan."""
    overrides = _settings(set_)
    if stage is not None:
        if "stage" in overrides:
            raise UsageError("--stage and --set stage=…: give the stage once")
        overrides["stage"] = stage
    options = Options(
        kind=kind,
        formats=tuple(split_formats(formats) or ()),
        overrides=overrides,
        maps=maps,
        profile=profile,
        name=pattern,
        out=out,
        manifest=manifest_path,
        force=force,
        resume=resume,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        jobs=jobs,
        verify=verify,
    )
    terminal = not quiet and sys.stderr.isatty()
    if dry_run or terminal:  # how the file is read, before anything is: which column feeds which field
        for line in preview(ctx.session, input_file, options).lines():
            click.echo(line, err=not dry_run)
    bar = _Progress(enabled=terminal)
    try:
        report = run_batch(ctx.session, input_file, options, bar)
    finally:
        bar.close()
    show(report, dry_run=dry_run)
    if not report.ok:
        raise HrdocsError(_failure(report, dry_run=dry_run))


class _Progress:
    """Rows checked, then a bar for the documents written; on a terminal only."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.shown = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if stage == "check":
            click.echo(f"\rchecking rows: {done}", nl=False, err=True)
            return
        if self.bar is None:
            click.echo("", err=True)
            self.bar = click.progressbar(length=total or 0, label="writing", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        elif self.enabled:
            click.echo("", err=True)


def show(report: Report, *, dry_run: bool) -> None:
    for note in report.notes:
        click.secho(f"note: {note}", err=True)
    echo_warnings(report.warnings[:MAX_WARNINGS])
    if report.warning_count > MAX_WARNINGS:
        click.secho(f"warning: … and {report.warning_count - MAX_WARNINGS} more", fg="yellow", err=True)
    if report.problems:
        click.secho(
            f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}:", fg="red", err=True
        )
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
    rate = f", {report.written / report.seconds:,.0f} documents/s" if report.written >= 100 else ""
    files = f" ({report.files} files)" if report.files != report.written else ""
    if dry_run or report.stopped:
        click.echo(
            f"{'dry run: ' if dry_run else ''}{report.rows} rows checked, {report.valid} valid, "
            f"{report.invalid} invalid; nothing written ({report.seconds:.1f} s)"
        )
        return
    click.echo(
        f"written {report.written}{files}, skipped {report.skipped}, invalid {report.invalid}, "
        f"failed {report.failed} in {report.seconds:.1f} s{rate}"
    )
    if report.written or report.skipped:
        for folder in report.folders:
            click.echo(f"documents: {folder}")
        click.echo(f"manifest: {report.manifest}")


def _failure(report: Report, *, dry_run: bool) -> str:
    if dry_run:
        return f"{report.invalid} of {report.rows} rows are invalid"
    if report.stopped:
        good = report.valid
        others = f", or pass --skip-invalid to write the other {good}" if good else ""
        return f"nothing written: {report.invalid} of {report.rows} rows are invalid (fix them{others})"
    parts = []
    if report.invalid:
        parts.append(f"{report.invalid} invalid row{'s' if report.invalid != 1 else ''} skipped")
    if report.failed:
        parts.append(f"{report.failed} document{'s' if report.failed != 1 else ''} failed")
    return "; ".join(parts) or "some rows failed"
