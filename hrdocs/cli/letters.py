"""``hrdocs offer`` and ``hrdocs denial``: one letter per command, from flags and/or a data file.

Every field of the kind is an option and a key of the data file (YAML or JSON; options win), derived
from the kind's declaration. A bad value is reported the same way whether it came from an option, a
file or a batch row — ``source: field: message``, exit 1 — before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from hrdocs.api import generate
from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.cli.common import echo_written, field_options, gather, output_options, split_formats
from hrdocs.kinds.denial import DENIAL
from hrdocs.kinds.offer import OFFER

OFFER_EPILOG = """\b
A data file holds the same fields, e.g. jane.yaml:
  candidate: Jane Q. Doe
  preferred_name: Jane
  role: generalist
  salary: 72000
  start: 2027-01-04
  manager: Dana Whitfield
  location: Denver, CO

`hrdocs kinds show offer` lists every field; docs/letters.md says more."""

DENIAL_EPILOG = """\b
A data file holds the same fields, e.g. john.yaml:
  candidate: John Roe
  role: recruiter
  stage: interview
  reapply: no

`hrdocs kinds show denial` lists every field; docs/letters.md says more."""


def _write(ctx: Ctx, kind: str, role: str | None, data_file: Path | None, values: dict[str, Any]) -> None:
    formats, out, force = values.pop("formats"), values.pop("out"), values.pop("force")
    if role:
        values["role"] = role
    item = gather(data_file, values)
    inputs = [data_file] if data_file else []
    written = generate(
        ctx.session, kind, item, formats=split_formats(formats), out=out, force=force, inputs=inputs
    )
    echo_written([written])


@cli.command(epilog=OFFER_EPILOG)
@click.argument("role", required=False)
@output_options(OFFER)
@field_options(OFFER)
@pass_ctx
def offer(ctx: Ctx, role: str | None, data_file: Path | None, **values: Any) -> None:
    """Write an offer letter for ROLE (an id, alias, unique prefix or title, e.g. generalist).

    Everything is checked before anything is written; each problem names its field. The letter is
    written to output/offers/offer-CANDIDATE-ROLE.docx, readable by you only.
    """
    _write(ctx, "offer", role, data_file, values)


@cli.command(epilog=DENIAL_EPILOG)
@click.argument("role", required=False)
@output_options(DENIAL)
@field_options(DENIAL)
@click.option(
    "--reapply/--no-reapply",
    default=None,
    help="Invite the candidate to apply again, or not (default: denials.invite_reapply). E.g. --no-reapply.",
)
@pass_ctx
def denial(ctx: Ctx, role: str | None, data_file: Path | None, **values: Any) -> None:
    """Write a denial letter for ROLE (an id, alias, unique prefix or title, e.g. recruiter).

    Neutral and short: it thanks the candidate, gives no reason and compares them with no one. The
    letter is written to output/denials/denial-CANDIDATE-ROLE.docx, readable by you only.
    """
    _write(ctx, "denial", role, data_file, values)
