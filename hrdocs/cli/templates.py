"""``hrdocs templates`` (list, export, check, vars), ``hrdocs init`` and ``hrdocs render``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from hrdocs.api import generate
from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.cli.common import FORMATS_HELP, echo_written, gather, pdf_options, split_formats
from hrdocs.errors import TemplateError, UsageError
from hrdocs.export import export_template
from hrdocs.kinds import Kind, registry
from hrdocs.template_check import check_templates, display, used_names
from hrdocs.templates import template_files


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@cli.group(invoke_without_command=True)
@click.pass_context
def templates(click_ctx: click.Context) -> None:
    """List every template: its kind, engine (text or word), origin and file.

    The workspace's templates/ wins over the built-in one; in one folder, KIND.docx wins over
    KIND.md.j2. See docs/templates.md.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    session = click_ctx.ensure_object(Ctx).session
    rows = [("KIND", "ENGINE", "ORIGIN", "FILE")]
    for item in template_files(session.workspace):
        kind = f"{item.kind} (partial)" if item.partial else item.kind
        note = "" if item.used else "  (not used)"
        if item.refused:
            note = "  (refused: it leads outside the workspace; see `hrdocs templates check`)"
        shown = Path(display(item.path.parent)) / item.path.name  # the file found, not a link's target
        rows.append((kind, item.engine, item.origin, str(shown) + note))
    _table(rows)


@templates.command("export")
@click.argument("kind")
@click.option(
    "--docx", "docx", is_flag=True, help="Write an equivalent Word template (KIND.docx) to edit in Word."
)
@click.option("--as", "name", metavar="NEW-KIND", help="Save it as a new kind that takes KIND's data.")
@click.option("--force", is_flag=True, help="Replace the workspace's own copy.")
@pass_ctx
def templates_export(ctx: Ctx, kind: str, docx: bool, name: str | None, force: bool) -> None:
    """Copy the built-in template of KIND into the workspace's templates/ to edit it.

    \b
    hrdocs templates export offer-letter                # templates/offer-letter.md.j2
    hrdocs templates export offer-letter --docx         # templates/offer-letter.docx, for Word
    hrdocs templates export offer-letter --as internship-offer
    """
    result = export_template(ctx.session, kind, docx=docx, force=force, name=name)
    click.echo(f"{display(result.path)} (from {display(result.source)})")
    for line in result.resolved:  # the settings the Word wording was chosen by
        click.echo(line, err=True)
    for note in result.notes:
        click.secho(f"note: {note}", fg="yellow", err=True)


@templates.command("check")
@click.argument("kinds", nargs=-1)
@pass_ctx
def templates_check(ctx: Ctx, kinds: tuple[str, ...]) -> None:
    """Check the templates (all kinds, or KINDS): syntax, unknown names and filters, words the voice
    avoids. Each problem names its file and line (or its place in a Word document); exits 1 on errors.
    """
    report = check_templates(ctx.session, kinds)
    for finding in report.findings:
        click.echo(str(finding))
    errors, warnings = len(report.errors), len(report.warnings)
    summary = (
        f"{len(report.checked)} template{'s' if len(report.checked) != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    )
    if errors:
        raise TemplateError(summary)
    click.echo(summary, err=True)


@templates.command("vars")
@click.argument("kind")
@pass_ctx
def templates_vars(ctx: Ctx, kind: str) -> None:
    """The names a template of KIND may use, with their types and an example value.

    A * marks the names the current template uses. Items of a list are shown as name[].field
    (write them in a loop: {% for area in role.duty_areas %}{{ area.name }}{% endfor %}).
    """
    from hrdocs.shapes import walk

    shape, used = used_names(ctx.session, kind)
    if shape is None:
        raise TemplateError(f"no sample data for `{kind}`", hint="hrdocs templates check says why")
    rows = [("", "NAME", "TYPE", "EXAMPLE")]
    for var in walk(shape):
        rows.append(("*" if var.name in used else "", var.name, var.type, var.example))
    _table(rows)
    env = ctx.session.env
    click.echo(
        "\nfilters: money, date, pay_range, join_and, terms, and Jinja's own (e.g. lower, join, length)"
        "\nfunctions: by_tone(formal=…, warm=…, plain=…, default=…), "
        + ", ".join(sorted(name for name in env.globals if name != "by_tone"))
    )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option(
    "--country", metavar="CC", help="Where your people work (GB, DE, CA…): its voice, roles and offer terms."
)
@click.option("--locale", metavar="LOCALE", help="The voice's locale (en_GB implies --country GB).")
def init(folder: Path, country: str | None, locale: str | None) -> None:
    """Make a workspace in FOLDER: hrdocs.yaml (every key, commented), roles/, templates/, output/,
    a README and a .gitignore. Existing files are never overwritten."""
    from hrdocs.init import init_workspace

    for path in init_workspace(folder, country=country, locale=locale):
        click.echo(display(path))
    hint = f"hrdocs -w {display(folder)} jd generalist" if folder.resolve() != Path.cwd().resolve() else ""
    click.secho(f"next: edit hrdocs.yaml, then try `{hint or 'hrdocs jd generalist'}`", err=True)


@cli.command()
@click.argument("kind")
@click.option(
    "--data",
    "data_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML or JSON file with the document's data (`hrdocs kinds show KIND` lists the fields).",
)
@click.option("--role", metavar="ROLE", help="The role (id, alias, prefix or title), if the kind takes one.")
@click.option("--name", metavar="NAME", help="File name without suffix (default: the kind's pattern).")
@click.option("--format", "-f", "formats", default=None, metavar="FORMATS", help=FORMATS_HELP)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: the kind's folder under output/).",
)
@click.option("--force", is_flag=True, help="Replace existing files.")
@pdf_options
@pass_ctx
def render(
    ctx: Ctx,
    kind: str,
    data_file: Path | None,
    role: str | None,
    name: str | None,
    formats: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """Write a document of any KIND, your workspace's own included, from a data file.

    The data is checked field by field as the kind declares (built-in kinds, kinds/KIND.yaml, or
    `{# hrdocs: like offer-letter #}` in the template); a free-form kind's template sees the company
    and voice like every template, plus the data file's keys.
    """
    session = ctx.session
    found = session_kind(ctx, kind)
    item = gather(data_file, {"role": role} if role else {})
    if found.open_fields and data_file is not None:
        name = name or data_file.stem
    inputs = [data_file] if data_file else []
    written = generate(
        session,
        found.name,
        item,
        formats=split_formats(formats),
        out=out,
        name=name,
        force=force,
        inputs=inputs,
    )
    echo_written([written])


def session_kind(ctx: Ctx, name: str) -> Kind:
    if name.startswith("_"):
        raise UsageError(f"`{name}` is a partial, not a document kind")
    return registry(ctx.session).get(name)
