"""What the document commands share: options derived from a kind's fields, and one way to print.

A kind's fields are declared once (:mod:`hrdocs.kinds`); :func:`field_options` turns them into the
command's options, with the same help text ``hrdocs kinds show`` and the docs print. Every command
prints what it wrote the same way: one path a line on stdout, then the warnings on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from hrdocs.api import Input, Written
from hrdocs.cli import echo_warnings
from hrdocs.datafile import read_data_file
from hrdocs.kinds import Kind
from hrdocs.language import LANGUAGE, parse_language

F = TypeVar("F", bound=Callable[..., Any])

FORMATS_HELP = "Comma-separated formats: docx, pdf, html, md, txt, json (e.g. docx,pdf)."


def split_formats(value: str | None) -> list[str] | None:
    """``docx, PDF`` -> ``["docx", "pdf"]``; None (the kind's own default) when not given."""
    if value is None:
        return None
    formats = [f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()]
    if not formats:
        raise click.BadParameter("name at least one format", param_hint="--format")
    return list(dict.fromkeys(formats))


def echo_written(results: Sequence[Written]) -> None:
    for written in results:
        for path in written.paths:
            click.echo(str(path))
    for written in results:
        echo_warnings(written.warnings)


def field_options(kind: Kind) -> Callable[[F], F]:
    """The kind's fields as options: ``--preferred-name NAME``, help and example from the field."""

    def decorate(func: F) -> F:
        for f in reversed([f for f in kind.fields if f.flag]):
            check = language_option if f.name == LANGUAGE else None  # unknown: a usage error (exit 2)
            func = click.option(
                f.option, f.name, metavar=f.metavar, help=f.description, multiple=f.multiple, callback=check
            )(func)
        return func

    return decorate


PDF_ENGINES = ("typst", "libreoffice")
PDF_STANDARDS = ("a-2b", "none")


def _pdf_setting(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """Keep the option's value on the command's :class:`hrdocs.cli.Ctx`, whose session reads it over
    hrdocs.yaml's ``pdf:`` (and hands it to a batch's workers)."""

    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        given = getattr(ctx.obj, "pdf", None)
        if value is not None and isinstance(given, dict):
            given[key] = None if value == "none" else value

    return keep


def pdf_options(func: F) -> F:
    """``--pdf-engine`` and ``--pdf-standard``, on every command that can write a PDF (docs/pdf.md)."""
    func = click.option(
        "--pdf-standard",
        type=click.Choice(PDF_STANDARDS),
        expose_value=False,
        callback=_pdf_setting("standard"),
        help="PDF/A-2b for records kept for years, or none (plain PDF); over hrdocs.yaml's pdf.standard.",
    )(func)
    return click.option(
        "--pdf-engine",
        type=click.Choice(PDF_ENGINES),
        expose_value=False,
        callback=_pdf_setting("engine"),
        help="Who makes the PDF: typst (from the document model) or libreoffice (Word's rendering of "
        "the DOCX); over hrdocs.yaml's pdf.engine.",
    )(func)


def language_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--language``: a language with templates, or a usage error listing them."""
    try:
        return None if value is None else parse_language(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def output_options(kind: Kind, *, data: bool = True) -> Callable[[F], F]:
    """``--data``, ``--format``, ``--out``, ``--force`` and the PDF options, the same for every document
    command."""
    default = ",".join(kind.formats)
    options = [
        click.option(
            "--format",
            "-f",
            "formats",
            default=None,
            metavar="FORMATS",
            help=f"{FORMATS_HELP} Default: {default}.",
        ),
        click.option(
            "--out",
            "-o",
            type=click.Path(file_okay=False, path_type=Path),
            help=f"Output folder (default: output/{kind.folder}).",
        ),
        click.option("--force", is_flag=True, help="Replace existing files."),
        pdf_options,
    ]
    if data:
        options.insert(
            0,
            click.option(
                "--data",
                "data_file",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="YAML or JSON file with the fields (keys as the option names, e.g. preferred_name); "
                "options given on the command line win.",
            ),
        )

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def gather(data_file: Path | None, given: dict[str, Any]) -> Input:
    """The data file's fields with the command line's on top, each with its line in the file."""
    raw: dict[str, Any] = {}
    lines: dict[str, int | None] = {}
    source = "command line"
    if data_file is not None:
        raw, lines = read_data_file(data_file)
        source = str(data_file)
    flags = {key: value for key, value in given.items() if value not in (None, ())}
    for key in flags:
        lines.pop(key, None)
    return Input({**raw, **flags}, source, lines)
