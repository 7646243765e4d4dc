"""The ``hrdocs`` command: a thin click layer over :mod:`hrdocs.api`.

Each command parses its options, calls one library function and prints the result. Errors surface
as :class:`hrdocs.errors.HrdocsError` and are shown here, once: bad data exits 1, bad usage exits 2,
and no traceback is printed unless ``--debug`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hrdocs import __version__
from hrdocs.api import Session
from hrdocs.errors import HrdocsError


class Ctx:
    """What every command shares: the workspace session, created on first use."""

    def __init__(self, workspace: Path | None, debug: bool, date_: str | None, strict: bool = False) -> None:
        self.workspace_path = workspace
        self.debug = debug
        self.date = date_
        self.strict = strict
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            from datetime import date

            today = None
            if self.date:
                try:
                    today = date.fromisoformat(self.date)
                except ValueError:
                    raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from None
            self._session = Session(self.workspace_path, today=today, strict=self.strict)
        return self._session


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with hrdocs.yaml, roles/ and templates/ (default: the current folder).",
)
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="The document date (default: today).")
@click.option("--strict", is_flag=True, help="Treat the checks' warnings on generated documents as failures.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(__version__, prog_name="hrdocs")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, date_: str | None, strict: bool, debug: bool) -> None:
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


def run(argv: list[str] | None = None) -> int:
    """Run one command line and return its exit code; an HrdocsError is shown the one way users see them.

    Tests call this directly: it is exactly what the installed script does, minus ``sys.exit``.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
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
from hrdocs.cli import batch, jd, letters, lint, posting, templates  # noqa: E402,F401
