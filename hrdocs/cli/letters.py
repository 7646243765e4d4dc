"""``hrdocs offer`` and ``hrdocs denial``: one letter per command, from flags and/or a data file.

Every field is a flag and a key of the data file (YAML or JSON; flags win). The values are passed to
:func:`hrdocs.letters.validate_offer` / :func:`~hrdocs.letters.validate_denial` as text, so a bad value
is reported the same way whether it came from a flag, a file or a batch row: ``source: field: message``
and exit 1, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import click

from hrdocs.cli import Ctx, cli, echo_warnings, pass_ctx
from hrdocs.cli.jd import FORMATS_HELP, split_formats
from hrdocs.letters import (
    read_data_file,
    validate_denial,
    validate_offer,
    write_denial,
    write_offer,
)

F = TypeVar("F", bound=Callable[..., Any])


class Opt(NamedTuple):
    flag: str
    key: str
    metavar: str
    help: str
    multiple: bool = False


CANDIDATE: Sequence[Opt] = (
    Opt("--candidate", "candidate", "NAME", 'Full name, printed exactly as given. E.g. "Jane Q. Doe".'),
    Opt(
        "--preferred-name",
        "preferred_name",
        "NAME",
        'Name after "Dear" in warm and plain letters (default: --first-name, else the full name). E.g. Jane.',
    ),
    Opt(
        "--first-name",
        "first_name",
        "NAME",
        "Given name, if you keep it apart (with --last-name, instead of --candidate). E.g. Jane.",
    ),
    Opt("--last-name", "last_name", "NAME", "Family name, if you keep it apart. E.g. Doe."),
    Opt(
        "--address",
        "address",
        "LINE",
        'Postal address, one line per --address. E.g. --address "12 Elm St" --address "Denver, CO 80202".',
        multiple=True,
    ),
    Opt("--email", "email", "EMAIL", "E.g. jane.doe@example.org."),
)

LETTER_COMMON: Sequence[Opt] = (
    Opt(
        "--date",
        "date",
        "YYYY-MM-DD",
        "Letter date (default: the global --date, else today). E.g. 2026-12-01.",
    ),
    Opt(
        "--signatory",
        "signatory",
        '"NAME, TITLE"',
        'Who signs (default: voice.signatory). E.g. "Morgan Lee, Director of People".',
    ),
)
"""Options every letter takes."""

OFFER: Sequence[Opt] = (
    Opt("--title", "title", "TEXT", 'Job title (default: the role\'s). E.g. "Senior HR Generalist".'),
    Opt("--department", "department", "TEXT", 'Default: the role\'s. E.g. "People Operations".'),
    Opt(
        "--reports-to",
        "reports_to",
        "TITLE",
        "Manager's job title (default: the role's). E.g. \"HR Executive\".",
    ),
    Opt("--flsa-status", "flsa_status", "[exempt|non-exempt]", "Default: the role's. E.g. non-exempt."),
    Opt(
        "--employment-type",
        "employment_type",
        "[full-time|part-time|contract|temporary|intern]",
        "Default: the role's. E.g. part-time.",
    ),
    Opt("--start", "start", "YYYY-MM-DD", "First day of work (required). E.g. 2027-01-04."),
    Opt("--salary", "salary", "AMOUNT", "Annual base salary, no currency sign. E.g. 72000."),
    Opt("--hourly-rate", "hourly_rate", "AMOUNT", "Hourly rate, instead of --salary. E.g. 24.50."),
    Opt(
        "--pay-frequency",
        "pay_frequency",
        "[weekly|biweekly|semimonthly|monthly]",
        "Default: offers.pay_frequency in hrdocs.yaml. E.g. biweekly.",
    ),
    Opt(
        "--hours-per-week", "hours_per_week", "HOURS", "State the weekly hours (part-time, hourly). E.g. 20."
    ),
    Opt("--bonus", "bonus", "TEXT", 'Bonus line. E.g. "a target annual bonus of 10% of base pay".'),
    Opt("--equity", "equity", "TEXT", 'Equity line. E.g. "1,000 stock options, vesting over four years".'),
    Opt("--sign-on", "sign_on", "AMOUNT", "One-time sign-on bonus. E.g. 5000."),
    Opt(
        "--location",
        "location",
        "TEXT",
        'Work location (default: the role\'s, if it has only one). E.g. "Denver, CO" or "Remote (US)".',
    ),
    Opt(
        "--arrangement",
        "arrangement",
        "[on-site|hybrid|remote]",
        "Default: remote for a remote location, else on-site. E.g. hybrid.",
    ),
    Opt("--manager", "manager", "NAME", 'Hiring manager (required). E.g. "Dana Whitfield".'),
    Opt(
        "--contingencies",
        "contingencies",
        "IDS",
        "Comma-separated ids: background-check, work-authorization, references, drug-test, your own; "
        'or none (default: offers.contingencies). E.g. "background-check, references".',
    ),
    Opt(
        "--expiry",
        "expiry",
        "YYYY-MM-DD",
        "Offer open until (default: the letter date + offers.expiry_days). E.g. 2026-12-15.",
    ),
    *LETTER_COMMON,
)

DENIAL: Sequence[Opt] = (
    Opt(
        "--stage",
        "stage",
        "[application|interview|final-round|filled|cancelled]",
        "Where the application ended (required). E.g. interview.",
    ),
    Opt("--title", "title", "TEXT", 'Job title (default: the role\'s). E.g. "Talent Partner".'),
    *LETTER_COMMON,
)


def field_options(options: Sequence[Opt]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for o in reversed(options):
            func = click.option(o.flag, o.key, metavar=o.metavar, help=o.help, multiple=o.multiple)(func)
        return func

    return decorate


def common_options(kind: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--data",
                    "data_file",
                    type=click.Path(exists=True, dir_okay=False, path_type=Path),
                    help="YAML or JSON file with the fields below (keys as the option names, e.g. "
                    "preferred_name); options given on the command line win.",
                ),
                click.option(
                    "--format", "-f", "formats", default="docx", show_default=True, help=FORMATS_HELP
                ),
                click.option(
                    "--out",
                    "-o",
                    type=click.Path(file_okay=False, path_type=Path),
                    help=f"Output folder (default: output/{kind}).",
                ),
                click.option("--force", is_flag=True, help="Replace an existing letter."),
            ]
        ):
            func = option(func)
        return func

    return decorate


def gather(
    role: str | None, data_file: Path | None, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, int | None], str]:
    """The data file's fields with the command line's on top; their lines; where they came from."""
    raw: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    source = "command line"
    if data_file is not None:
        raw, lines = read_data_file(data_file)
        source = str(data_file)
    given = {key: value for key, value in values.items() if value not in (None, ())}
    if role:
        given["role"] = role
    for key in given:
        lines.pop(key, None)
    return {**raw, **given}, lines, source


OFFER_EPILOG = """\b
A data file holds the same fields, e.g. jane.yaml:
  candidate: Jane Q. Doe
  preferred_name: Jane
  role: generalist
  salary: 72000
  start: 2027-01-04
  manager: Dana Whitfield
  location: Denver, CO

Every field is described in docs/letters.md."""

DENIAL_EPILOG = """\b
A data file holds the same fields, e.g. john.yaml:
  candidate: John Roe
  role: recruiter
  stage: interview
  reapply: no

Every field is described in docs/letters.md."""


@cli.command(epilog=OFFER_EPILOG)
@click.argument("role", required=False)
@common_options("offers")
@field_options([*CANDIDATE, *OFFER])
@pass_ctx
def offer(
    ctx: Ctx,
    role: str | None,
    data_file: Path | None,
    formats: str,
    out: Path | None,
    force: bool,
    **values: Any,
) -> None:
    """Write an offer letter for ROLE (an id, alias or unique prefix, e.g. generalist).

    Everything is checked before anything is written; each problem names its field. The letter is
    written to output/offers/offer-CANDIDATE-ROLE.docx, readable by you only.
    """
    raw, lines, source = gather(role, data_file, values)
    session = ctx.session
    data = validate_offer(raw, session=session, source=source, lines=lines)
    written = write_offer(session, data, out=out, formats=split_formats(formats), force=force)
    for path in written.paths:
        click.echo(str(path))
    echo_warnings(written.warnings)


@cli.command(epilog=DENIAL_EPILOG)
@click.argument("role", required=False)
@common_options("denials")
@field_options([*CANDIDATE, *DENIAL])
@click.option(
    "--reapply/--no-reapply",
    default=None,
    help="Invite the candidate to apply again, or not (default: denials.invite_reapply). E.g. --no-reapply.",
)
@pass_ctx
def denial(
    ctx: Ctx,
    role: str | None,
    data_file: Path | None,
    formats: str,
    out: Path | None,
    force: bool,
    **values: Any,
) -> None:
    """Write a denial letter for ROLE (an id, alias or unique prefix, e.g. recruiter).

    Neutral and short: it thanks the candidate, gives no reason and compares them with no one. The
    letter is written to output/denials/denial-CANDIDATE-ROLE.docx, readable by you only.
    """
    raw, lines, source = gather(role, data_file, values)
    session = ctx.session
    data = validate_denial(raw, session=session, source=source, lines=lines)
    written = write_denial(session, data, out=out, formats=split_formats(formats), force=force)
    for path in written.paths:
        click.echo(str(path))
    echo_warnings(written.warnings)
