"""``hrdocs jd`` and ``hrdocs roles``: job descriptions and the role catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from hrdocs.api import Written, write_jds
from hrdocs.cli import Ctx, cli, echo_warnings, pass_ctx
from hrdocs.errors import UsageError
from hrdocs.writers.pdf import PdfUnavailable

FORMATS_HELP = "Comma-separated formats: docx, pdf, html, md, txt (e.g. docx,pdf)."


def split_formats(value: str) -> list[str]:
    formats = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    if not formats:
        raise click.BadParameter("name at least one format", param_hint="--format")
    return list(dict.fromkeys(formats))


def echo_written(results: list[Written]) -> None:
    for written in results:
        for path in written.paths:
            click.echo(str(path))
        echo_warnings(written.warnings)


def show_written(write: Callable[[], list[Written]]) -> list[Written]:
    """Run ``write`` and print what it wrote, also when PDFs could not be made (then re-raise)."""
    try:
        results = write()
    except PdfUnavailable as exc:
        echo_written(exc.written)
        raise
    echo_written(results)
    return results


@cli.command()
@click.argument("role", required=False)
@click.option("--all", "all_", is_flag=True, help="Every role in the catalogue.")
@click.option("--format", "-f", "formats", default="docx", show_default=True, help=FORMATS_HELP)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output/job-descriptions).",
)
@click.option("--force", is_flag=True, help="Replace existing files.")
@pass_ctx
def jd(ctx: Ctx, role: str | None, all_: bool, formats: str, out: Path | None, force: bool) -> None:
    """Write the job description of ROLE (an id, an alias or a unique prefix)."""
    if bool(role) == all_:
        raise UsageError("name one ROLE or pass --all", hint="hrdocs roles lists them")
    session = ctx.session
    roles = session.catalogue.all() if all_ else [session.role(role or "")]
    fmts = split_formats(formats)
    show_written(lambda: write_jds(session, roles, out=out, formats=fmts, force=force))


@cli.group(invoke_without_command=True)
@click.pass_context
def roles(click_ctx: click.Context) -> None:
    """List the roles in the catalogue (workspace roles first, then built-in)."""
    if click_ctx.invoked_subcommand is not None:
        return
    session = click_ctx.ensure_object(Ctx).session
    items = session.catalogue.all()
    rows = [("ID", "TITLE", "DEPARTMENT", "REPORTS TO", "DUTIES")]
    rows += [
        (r.id, r.title, r.department, r.reports_to.id if r.reports_to else "-", str(r.duty_count))
        for r in items
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@roles.command("show")
@click.argument("role")
@pass_ctx
def roles_show(ctx: Ctx, role: str) -> None:
    """Show one role: its facts and duties by area."""
    r = ctx.session.role(role)
    click.secho(f"{r.title} ({r.id})", bold=True)
    facts = [
        ("Department", r.department),
        ("Reports to", f"{r.reports_to.title} ({r.reports_to.id})" if r.reports_to else "-"),
        ("Level", r.level or "-"),
        ("Employment", f"{r.employment_type.label}, {r.flsa_status.label}"),
        ("Aliases", ", ".join(r.aliases) or "-"),
        ("Locations", ", ".join(loc.label for loc in r.locations) or "-"),
        ("Source", str(r.source)),
    ]
    for name, value in facts:
        click.echo(f"  {name + ':':<12} {value}")
    click.echo(f"\n{r.summary}\n")
    for group in r.duty_groups:
        click.secho(group.area.name, bold=True)
        for duty in group.duties:
            click.echo(f"  - {duty}")
