"""``hrdocs posting`` (job postings for the web) and ``hrdocs compare`` (roles side by side)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.cli.jd import echo_written, show_written, split_formats
from hrdocs.compare import write_comparison
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.postings import Postings, parse_location

POSTING_FORMATS_HELP = "Comma-separated formats: html, json, md, txt, docx, pdf (e.g. html,json)."
COMPARE_FORMATS_HELP = "Comma-separated formats: docx, html, md, txt, pdf (e.g. docx,html)."


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint=option) from None


@cli.command()
@click.argument("role", required=False)
@click.option(
    "--all", "all_", is_flag=True, help="Every role in the catalogue, and an index.html linking them."
)
@click.option(
    "--location",
    "-l",
    metavar="PLACE",
    help='One place: "Denver, CO", "Berlin, Germany" or "Remote (US)" (default: the role\'s locations).',
)
@click.option("--valid-through", metavar="YYYY-MM-DD", help="The last day applications are taken.")
@click.option(
    "--no-pay-range",
    is_flag=True,
    help="Post a role without a pay range even where a pay-transparency rule requires one.",
)
@click.option("--format", "-f", "formats", default="html", show_default=True, help=POSTING_FORMATS_HELP)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output/postings).",
)
@click.option("--force", is_flag=True, help="Replace existing files.")
@pass_ctx
def posting(
    ctx: Ctx,
    role: str | None,
    all_: bool,
    location: str | None,
    valid_through: str | None,
    no_pay_range: bool,
    formats: str,
    out: Path | None,
    force: bool,
) -> None:
    """Write the job posting of ROLE (an id, an alias or a unique prefix) for candidates.

    A role without a pay range is refused where a pay-transparency rule requires one (see
    docs/postings.md), unless --no-pay-range is given.
    """
    if bool(role) == all_:
        raise UsageError("name one ROLE or pass --all", hint="hrdocs roles lists them")
    postings = Postings(ctx.session)
    place = parse_location(location, ctx.session.config.settings.voice.locale) if location else None
    until = _date(valid_through, "--valid-through")
    fmts = split_formats(formats)
    if not all_:
        show_written(
            lambda: [
                postings.write(
                    role or "",
                    location=place,
                    valid_through=until,
                    no_pay_range=no_pay_range,
                    out=out,
                    formats=fmts,
                    force=force,
                )
            ]
        )
        return

    run = postings.write_all(
        location=place, valid_through=until, no_pay_range=no_pay_range, out=out, formats=fmts, force=force
    )
    echo_written(run.written)
    if run.index is not None:
        click.echo(str(run.index))
    for exc in run.refused.values():
        click.secho(f"refused: {exc}", fg="red", err=True)
    if run.pdf_error is not None:
        raise run.pdf_error
    if run.refused:
        total = len(run.refused) + len(run.written)
        raise HrdocsError(
            f"{len(run.refused)} of {total} postings refused: {', '.join(run.refused)}; "
            "the others were written",
            hint="see each reason above",
        )


@cli.command()
@click.argument("roles", nargs=-1, required=True)
@click.option("--format", "-f", "formats", default="docx", show_default=True, help=COMPARE_FORMATS_HELP)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: output/comparisons).",
)
@click.option("--force", is_flag=True, help="Replace existing files.")
@pass_ctx
def compare(ctx: Ctx, roles: tuple[str, ...], formats: str, out: Path | None, force: bool) -> None:
    """Compare two or more ROLES side by side: one column per role, one row per duty area."""
    session = ctx.session
    fmts = split_formats(formats)
    show_written(lambda: [write_comparison(session, roles, out=out, formats=fmts, force=force)])
