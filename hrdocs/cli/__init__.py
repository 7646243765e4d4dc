"""The ``hrdocs`` command: a thin click layer over :mod:`hrdocs.api`.

Each command parses its options, calls one library function and prints the result. Errors surface
as :class:`hrdocs.errors.HrdocsError` and are shown here, once: bad data exits 1, bad usage exits 2,
and no traceback is printed unless ``--debug`` is given.

The global options (:data:`GLOBAL_OPTIONS`) may be written before or after the command, at any depth
(``hrdocs jd generalist --date 2027-01-04``, ``hrdocs templates check --strict``): :class:`HrdocsCli`
moves them in front of the command before click parses the line. See :func:`hoist_global_options`
for the exact rule.
"""

from __future__ import annotations

import contextlib
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from hrdocs import __version__
from hrdocs.errors import HrdocsError
from hrdocs.session import LATEST_DATE, Session

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def document_date(value: str | date) -> date:
    """``--date`` as a date, or a ``ValueError`` that says what to write instead.

    ``date.fromisoformat`` alone would also take ``20270104`` and ``2027-W01-1``; we hold users to the
    one form the help shows. A date too late to count a year on from fails here, not as an internal
    error in whichever document first adds days to it.
    """
    day = value if isinstance(value, date) else None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(value)
    if day is None:
        raise ValueError(f"`{value}` is not a date; use YYYY-MM-DD")
    if day > LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is too late: documents count up to a year on from their date; "
            f"hint: use {LATEST_DATE.isoformat()} or earlier"
        )
    return day


class DocumentDate(click.ParamType):
    """The global ``--date``, checked where it is parsed so that a bad one fails before any work."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        try:
            return document_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


GLOBAL_OPTIONS: tuple[click.Option, ...] = (
    click.Option(
        ["--workspace", "-w", "workspace"],
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Folder with hrdocs.yaml, roles/ and templates/ (default: the current folder).",
    ),
    click.Option(
        ["--date", "date_"],
        type=DocumentDate(),
        metavar="YYYY-MM-DD",
        help="The document date (default: today).",
    ),
    click.Option(
        ["--strict"], is_flag=True, help="Treat the checks' warnings on generated documents as failures."
    ),
    click.Option(["--debug"], is_flag=True, help="Show a traceback on errors."),
)
"""Every global option, written once: the group's options, the hoisting and the help note derive from it.
The long name comes first: a hoisted option is rewritten to it (``-wX`` becomes ``--workspace=X``)."""

LONG_NAMES = {o.name: o.opts[0] for o in GLOBAL_OPTIONS}

_LISTED = ", ".join("/".join(reversed(o.opts)) for o in GLOBAL_OPTIONS)
GLOBAL_NOTE = (
    f"Global options ({_LISTED}; see hrdocs --help) may come before or after the command; "
    "a command's own option of the same name keeps its meaning."
)
ROOT_NOTE = (
    "The options above may come before or after the command, at any depth (hrdocs jd generalist "
    "--date 2027-01-04); a command's own option of the same name keeps its meaning (hrdocs lint --strict)."
)


class Ctx:
    """What every command shares: the workspace session, created on first use."""

    def __init__(
        self, workspace: Path | None, debug: bool, date_: date | str | None, strict: bool = False
    ) -> None:
        self.workspace_path = workspace
        self.debug = debug
        try:  # the option's type checked it already; this is for a Ctx made in code
            self.date = None if date_ is None else document_date(date_)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--date'") from None
        self.strict = strict
        self.pdf: dict[str, str | None] = {}
        """``--pdf-engine``/``--pdf-standard`` as given (hrdocs.cli.common.pdf_options), over hrdocs.yaml."""
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(self.workspace_path, today=self.date, strict=self.strict, pdf=self.pdf)
        return self._session


pass_ctx = click.make_pass_decorator(Ctx)


# --- Hoisting: global options written after the command -------------------------------------------


def _options(command: click.Command) -> dict[str, click.Option]:
    """Every option name of ``command`` (``--color`` and ``--no-color`` alike) -> its option."""
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }


def _arity(option: click.Option) -> int:
    """How many tokens the option's value takes: 0 for flags and counters."""
    return 0 if option.is_flag or option.count else max(option.nargs, 1)


def _interspersed(command: click.Command) -> bool:
    """Whether options may follow the command's arguments (click's default for commands, not groups)."""
    setting = command.context_settings.get("allow_interspersed_args", command.allow_interspersed_args)
    return bool(setting)


class _Hoister:
    """One walk over a command line; :func:`hoist_global_options` says what it does."""

    def __init__(self, root: click.Group, ctx: click.Context) -> None:
        self.root, self.ctx = root, ctx
        self.globals = {name: o for name, o in _options(root).items() if o.name in LONG_NAMES}
        self.kept: list[str] = []
        self.hoisted: list[str] = []

    def split(self, args: list[str]) -> tuple[list[str], list[str]]:
        """``(root options + hoisted globals, the command name and the rest)``, in click's order."""
        own = _options(self.root)
        i = 0
        while i < len(args) and args[i] != "--" and args[i].startswith("-") and args[i] != "-":
            i += _span(args, i, own)
        front, rest = args[:i], args[i:]
        command = self.root.get_command(self.ctx, rest[0]) if rest and rest[0] != "--" else None
        if command is None:
            return front, rest
        self.kept.append(rest[0])
        self._walk(command, rest, 1)
        return front + self.hoisted, self.kept

    def _walk(self, command: click.Command, args: list[str], i: int) -> None:
        own = _options(command)
        while i < len(args):
            token = args[i]
            if token == "--":
                break
            if token.startswith("-") and token != "-":
                i = self._option(args, i, own)
                continue
            self.kept.append(token)
            i += 1
            if isinstance(command, click.Group):
                sub = command.get_command(self.ctx, token)
                if sub is None:
                    break
                command, own = sub, _options(sub)
            elif not _interspersed(command):
                break
        self.kept += args[i:]

    def _option(self, args: list[str], i: int, own: dict[str, click.Option]) -> int:
        """Keep or hoist the option token ``args[i]`` (and its value); return the index after them."""
        token = args[i]
        if token.startswith("--"):
            name, eq, value = token.partition("=")
            if name in self.globals and name not in own:
                return self._hoist(self.globals[name], value if eq else None, args, i + 1, token)
            span = _span(args, i, own)
            self.kept += args[i : i + span]
            return i + span
        kept = "-"  # a cluster of short options, as click reads it: -nq, -wDIR, -nw DIR
        for j in range(1, len(token)):
            name = "-" + token[j]
            if name in self.globals and name not in own:
                option = self.globals[name]
                if _arity(option):
                    if kept != "-":
                        self.kept.append(kept)
                    return self._hoist(option, token[j + 1 :] or None, args, i + 1, token)
                self.hoisted.append(LONG_NAMES[option.name])
                continue
            kept += token[j]
            if name not in own or _arity(own[name]):  # unknown (click says so) or a value follows
                kept += token[j + 1 :]
                break
        if kept == "-":
            return i + 1
        span = _span([kept, *args[i + 1 :]], 0, own)
        self.kept += [kept, *args[i + 1 : i + span]]
        return i + span

    def _hoist(self, option: click.Option, value: str | None, args: list[str], i: int, token: str) -> int:
        """Move ``option`` and its value in front of the command; return the index after its value."""
        long = LONG_NAMES[option.name]
        if not _arity(option):
            self.hoisted.append(long if value is None else f"{long}={value}")  # click refuses the value
            return i
        if value is None:
            if i >= len(args):
                if self.ctx.resilient_parsing:  # shell completion: leave the line as typed
                    self.kept.append(token)
                    return i
                raise click.BadOptionUsage(long, f"Option '{long}' requires an argument.", ctx=self.ctx)
            value, i = args[i], i + 1
        self.hoisted.append(f"{long}={value}")
        return i


def _span(args: list[str], i: int, own: dict[str, click.Option]) -> int:
    """How many tokens the option ``args[i]`` and its value take, by ``own``'s options (1 if unknown)."""
    token = args[i]
    if token.startswith("--"):
        name, eq, _ = token.partition("=")
        option = own.get(name)
        return 1 + (max(_arity(option) - bool(eq), 0) if option else 0)
    for j in range(1, len(token)):
        option = own.get("-" + token[j])
        if option is None:
            return 1
        if _arity(option):
            return 1 + max(_arity(option) - bool(token[j + 1 :]), 0)
    return 1


def hoist_global_options(root: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """``args`` with the global options written after the command moved to just before it.

    The rule, token by token after the command name, for the (sub)command whose part of the line the
    token is in (``templates`` until ``check``, then ``check``):

    - ``--`` ends the walk; it and everything after it are left as written.
    - An option that command defines itself is left where it is, with its value (click says whether
      it takes one), even if a global option has the same name: ``hrdocs lint --strict`` is lint's
      "fail on warnings". A value is never read as an option:
      in ``--candidate --strict``, ``--strict`` is the candidate.
    - A global option it does not define is moved, with its value (``--date X``, ``--date=X``, ``-w X``,
      ``-wX``, or inside a cluster of short flags), to just before the command name, as
      ``--long=value``; its meaning is the same as there. Written twice, the later one wins.
    - The first argument of a group names its subcommand, whose options rule from there on; an unknown
      name (or a command that takes no options after its arguments) ends the walk.

    A global option written after the command but missing its value is a usage error (exit 2).
    """
    front, rest = _Hoister(root, ctx).split(args)
    return front + rest


class _GlobalNote:
    """Adds :data:`GLOBAL_NOTE` under every command's ``--help``, so users learn the rule where they look."""

    note = GLOBAL_NOTE

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)  # type: ignore[misc]
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(self.note)


class HrdocsCommand(_GlobalNote, click.Command):
    """Every command registered with ``@cli.command()`` (or a subgroup's ``.command()``)."""


class HrdocsGroup(_GlobalNote, click.Group):
    """A group below ``hrdocs`` (``templates``, ``roles``): its commands get the note too."""

    command_class = HrdocsCommand
    group_class = type


class HrdocsCli(_GlobalNote, click.Group):
    """The ``hrdocs`` group: moves global options written after the command to before it, then parses.

    Doing it in :meth:`parse_args` makes it hold for :func:`run`, the installed script and
    ``CliRunner().invoke(cli, ...)`` alike.
    """

    command_class = HrdocsCommand
    group_class = HrdocsGroup
    note = ROOT_NOTE

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(self, ctx, args))


@click.group(
    cls=HrdocsCli,
    params=list(GLOBAL_OPTIONS),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="hrdocs")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, date_: date | None, strict: bool, debug: bool) -> None:
    """Write HR documents (job descriptions, offers, denials) in your company's voice."""
    if workspace is not None and not workspace.is_dir():
        raise click.BadParameter(f"{workspace} is not a folder", param_hint="--workspace")
    ctx.obj = Ctx(workspace, debug, date_, strict)


def echo_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``hrdocs`` script."""
    sys.exit(run(argv))


def _debug_requested(args: list[str]) -> bool:
    """Whether ``--debug`` is in effect: given before the command, or after it and hoisted."""
    try:
        front, _ = _Hoister(cli, click.Context(cli)).split(args)
    except click.ClickException:
        return False
    i, own = 0, _options(cli)
    while i < len(front) and front[i] != "--debug":
        i += _span(front, i, own)  # `-w --debug` names a folder
    return i < len(front)


def run(argv: list[str] | None = None) -> int:
    """Run one command line and return its exit code; an HrdocsError is shown the one way users see them.

    Tests call this directly: it is exactly what the installed script does, minus ``sys.exit``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    try:
        cli.main(args=args, prog_name="hrdocs", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except HrdocsError as exc:
        if debug:
            raise
        click.secho(f"error: {exc}", fg="red", err=True)
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception:
        if debug:
            raise
        click.secho(
            "internal error (a bug in hrdocs); run again with --debug to see where", fg="red", err=True
        )
        return 70
    return 0


# Importing a command module registers its commands on `cli`.
from hrdocs.cli import batch, jd, kinds, letters, lint, posting, serve, templates  # noqa: E402,F401
