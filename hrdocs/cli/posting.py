"""``hrdocs posting`` (job postings for the web) and ``hrdocs compare`` (roles side by side)."""

from __future__ import annotations

from pathlib import Path

import click

from hrdocs.api import Input, generate, generate_postings
from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.cli.common import echo_written, language_option, output_options, split_formats
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.kinds.comparison import COMPARISON
from hrdocs.kinds.posting import POSTING
from hrdocs.language import LANGUAGE_FIELD


@cli.command()
@click.argument("role", required=False)
@click.option(
    "--all", "all_", is_flag=True, help="Every role in the catalogue, and an index.html linking them."
)
@click.option("--location", "-l", metavar="PLACE", help=POSTING.fields[1].description)
@click.option("--valid-through", metavar="YYYY-MM-DD", help=POSTING.fields[2].description)
@click.option("--no-pay-range", is_flag=True, help=POSTING.fields[3].help)
@click.option(
    LANGUAGE_FIELD.option,
    metavar=LANGUAGE_FIELD.metavar,
    help=LANGUAGE_FIELD.description,
    callback=language_option,
)
@click.option(
    "--skip-refused", is_flag=True, help="With --all: write the other postings when some are refused."
)
@output_options(POSTING, data=False)
@pass_ctx
def posting(
    ctx: Ctx,
    role: str | None,
    all_: bool,
    location: str | None,
    valid_through: str | None,
    no_pay_range: bool,
    language: str | None,
    skip_refused: bool,
    formats: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """Write the job posting of ROLE (an id, an alias, a unique prefix or the title) for candidates.

    A role without a pay range is refused where a pay-transparency rule requires one (see
    docs/postings.md), unless --no-pay-range is given.
    """
    if bool(role) == all_:
        raise UsageError("name one ROLE or pass --all", hint="hrdocs roles lists them")
    session = ctx.session
    fmts = split_formats(formats)
    fields = {"location": location, "valid_through": valid_through, "no_pay_range": no_pay_range}
    fields["language"] = language
    if not all_:
        written = generate(
            session,
            "posting",
            Input({"role": role, **fields}, "command line"),
            formats=fmts,
            out=out,
            force=force,
        )
        echo_written([written])
        return
    roles = [r.id for r in session.catalogue.all()]
    results, refused, index = generate_postings(
        session,
        roles,
        location=location,
        valid_through=valid_through,
        no_pay_range=no_pay_range,
        formats=fmts,
        out=out,
        force=force,
        skip_refused=skip_refused,
        language=language,
    )
    echo_written(results)
    click.echo(str(index))
    for exc in refused:
        click.secho(f"refused: {exc}", fg="red", err=True)
    if refused:
        raise HrdocsError(
            f"{len(refused)} of {len(roles)} postings refused: {', '.join(exc.role for exc in refused)}; "
            "the others were written",
            hint="see each reason above",
        )


@cli.command()
@click.argument("roles", nargs=-1, required=True)
@output_options(COMPARISON, data=False)
@pass_ctx
def compare(ctx: Ctx, roles: tuple[str, ...], formats: str | None, out: Path | None, force: bool) -> None:
    """Compare two or more ROLES side by side: one column per role, one row per duty area."""
    if len(roles) < 2:
        raise UsageError("name at least two roles to compare", hint="hrdocs compare executive generalist")
    item = Input({"roles": list(roles)}, "command line")
    echo_written(
        [generate(ctx.session, "comparison", item, formats=split_formats(formats), out=out, force=force)]
    )
