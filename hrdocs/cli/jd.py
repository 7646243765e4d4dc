"""``hrdocs jd`` and ``hrdocs roles``: job descriptions and the role catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from hrdocs.api import Input, generate_many
from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.cli.common import echo_written, field_options, output_options, split_formats
from hrdocs.errors import UsageError
from hrdocs.kinds.job_description import JOB_DESCRIPTION


@cli.command()
@click.argument("role", required=False)
@click.option("--all", "all_", is_flag=True, help="Every role in the catalogue.")
@field_options(JOB_DESCRIPTION)
@output_options(JOB_DESCRIPTION, data=False)
@pass_ctx
def jd(
    ctx: Ctx,
    role: str | None,
    all_: bool,
    language: str | None,
    formats: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """Write the job description of ROLE (an id, an alias, a unique prefix or the title).

    With --all, every role's: all are made and checked before any is written, and an existing file
    (without --force) refuses them all.
    """
    if bool(role) == all_:
        raise UsageError("name one ROLE or pass --all", hint="hrdocs roles lists them")
    session = ctx.session
    names = [r.id for r in session.catalogue.all()] if all_ else [role or ""]
    items = [Input({"role": name, "language": language}, source="command line") for name in names]
    echo_written(generate_many(session, "jd", items, formats=split_formats(formats), out=out, force=force))


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
        ("Employment", ", ".join(t.label for t in (r.employment_type, r.flsa_status) if t)),
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
