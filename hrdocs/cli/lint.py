"""``hrdocs lint``: check roles (their documents as generated), templates and files.

The findings are printed grouped by document (coloured on a terminal) or as JSON; the command fails
(exit 1) when any finding is an error, or with ``--strict`` a warning, so that it fits in a CI job.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.lint import KINDS, Level, LintReport
from hrdocs.lint.sources import DOCX_SUFFIXES, HTML_SUFFIXES, TEXT_SUFFIXES, Linted, LintSources
from hrdocs.postings import parse_location


class LintFailed(HrdocsError):
    """Error-level findings (or warnings, with ``--strict``): the findings themselves are on stdout."""


def _is_file(target: str) -> bool:
    path = Path(target)
    suffixes = DOCX_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".doc", ".odt", ".rtf"}
    return path.is_file() or path.suffix.lower() in suffixes or "/" in target or "\\" in target


def _expand_folders(targets: tuple[str, ...]) -> tuple[str, ...]:
    """A folder stands for the DOCX, HTML, Markdown and text files directly in it (``hrdocs lint
    output/postings``), in name order; its other files (JSON, manifests, PDFs) are not read."""
    readable = DOCX_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES
    out: list[str] = []
    for target in targets:
        path = Path(target)
        if not path.is_dir():
            out.append(target)
            continue
        found = sorted(
            str(f)
            for f in path.iterdir()
            if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in readable
        )
        if not found:
            raise UsageError(
                f"{target}: no DOCX, HTML, Markdown or text file in this folder",
                hint="name the files to lint",
            )
        out += found
    return tuple(out)


@cli.command()
@click.argument("targets", nargs=-1, metavar="[ROLE|FILE|FOLDER]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: grouped by document, for people; json: a list of findings, for tools.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="What the FILEs are (default: guessed from the name, e.g. *posting* -> posting, else text).",
)
@click.option(
    "--location",
    "-l",
    "locations",
    multiple=True,
    metavar="PLACE",
    help='Where a FILE\'s job is ("Denver, CO", "Remote (US)"), for pay-transparency checks; repeatable.',
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@pass_ctx
def lint(
    ctx: Ctx,
    targets: tuple[str, ...],
    fmt: str,
    kind: str | None,
    locations: tuple[str, ...],
    strict: bool,
    color: bool | None,
) -> None:
    """Check wording: bias, clichés, the company voice, readability and pay-transparency law.

    \b
    hrdocs lint                  every role (job description and posting) and every template
    hrdocs lint generalist       one role's job description and posting, as they would be generated
    hrdocs lint posting.docx     a DOCX, HTML, Markdown or text file
    hrdocs lint output/postings  every such file in a folder
    hrdocs lint --format json    for tools

    A finding about a role's own text points at its YAML file and line; other findings point at a
    line of the generated document's text (one paragraph, list item or table row per line). In a
    DOCX, line n is the n-th paragraph or table row (body, then headers and footers). Settings come
    from the `lint:` section of hrdocs.yaml (see docs/lint.md). Exit code 1 when any finding is an
    error (or, with --strict, a warning).
    """
    targets = _expand_folders(targets)
    files = [t for t in targets if _is_file(t)]
    if (kind or locations) and not files:
        raise UsageError("--kind and --location apply to files", hint="name a .docx, .md or .txt file")
    session = ctx.session
    places = [parse_location(p, session.config.settings.voice.locale) for p in locations]
    sources = LintSources(session)
    linted: list[Linted] = []
    if not targets:
        linted = sources.everything()
    for target in dict.fromkeys(targets):
        if target in files:
            linted.append(sources.file(Path(target), kind, places))
        else:
            linted += sources.role(target)

    report = LintReport()
    for source, findings in linted:
        report.add(source, findings)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        paint = sys.stdout.isatty() if color is None else color
        click.echo(report.format_text(color=paint), color=paint)
    for note in sources.notes:
        click.secho(f"note: {note}", fg="yellow", err=True)

    errors, warnings = report.count(Level.ERROR), report.count(Level.WARNING)
    if errors or (strict and warnings):
        counted = f"{errors} error{'s' if errors != 1 else ''}"
        if strict and warnings:
            counted += f" and {warnings} warning{'s' if warnings != 1 else ''} (--strict)"
        raise LintFailed(f"lint failed: {counted}")
