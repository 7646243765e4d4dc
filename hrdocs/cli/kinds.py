"""``hrdocs kinds``: every kind of document, built-in and the workspace's, and each kind's fields.

The table ``hrdocs kinds show KIND`` prints is the kind's declaration, as the command options, the
data-file keys and the batch's columns take it; ``--markdown`` prints it as the docs carry it.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from hrdocs.cli import Ctx, cli, pass_ctx
from hrdocs.kinds import Kind, registry


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@cli.group(invoke_without_command=True)
@click.pass_context
def kinds(click_ctx: click.Context) -> None:
    """List the kinds of document: name, other names, folder, and where each comes from."""
    if click_ctx.invoked_subcommand is not None:
        return
    session = click_ctx.ensure_object(Ctx).session
    rows = [("KIND", "ALSO", "FOLDER", "FROM")]
    for kind in registry(session).all():
        origin = str(kind.source) if kind.source else "built-in"
        if kind.based_on:
            origin += f" (like {kind.based_on})"
        if kind.problem is not None:
            origin += f" (cannot be used: `hrdocs kinds show {kind.name}` says why)"
        rows.append((kind.name, ", ".join(kind.names[1:4]), f"output/{kind.folder}", origin))
    _table(rows)


def _example(text: str) -> str:
    """``"Jane Q. Doe"`` (quoted for a shell) as a table shows it: `` `Jane Q. Doe` ``."""
    if len(text) > 1 and text[0] == text[-1] == '"' and '"' not in text[1:-1]:
        text = text[1:-1]
    return f"E.g. `{text}`."


def markdown_table(kind: Kind) -> str:
    """The kind's fields as a Markdown table (docs/letters.md and the others carry it, between
    ``<!-- fields: KIND -->`` and ``<!-- /fields -->``; tests/test_docs.py holds them to this)."""
    lines = ["| Field | Type | Required | What it is | Columns it is read from |", "|---|---|---|---|---|"]
    for f in kind.fields:
        kind_of = f.type + (f" ({', '.join(f.choices)})" if f.choices else "")
        what = " ".join(part for part in (f.help, _example(f.example) if f.example else "") if part)
        columns = ", ".join(f"`{a}`" for a in f.aliases)
        cells = [f"`{f.name}`", kind_of, "yes" if f.required else "", what, columns]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


@kinds.command("show")
@click.argument("kind")
@click.option("--markdown", is_flag=True, help="Print the fields as a Markdown table.")
@pass_ctx
def kinds_show(ctx: Ctx, kind: str, markdown: bool) -> None:
    """The fields of KIND: each one's type, whether it is required, its help and column names."""
    found = registry(ctx.session).get(kind)
    if markdown:
        click.echo(markdown_table(found))
        return
    click.secho(f"{found.title} ({found.name})", bold=True)
    click.echo(f"  names: {', '.join(found.names)}; folder: output/{found.folder}; files: {found.file_name}")
    rows = [("FIELD", "TYPE", "REQUIRED", "HELP")]
    for f in found.fields:
        rows.append((f.name, f.type, "yes" if f.required else "", f.description))
    _table(rows)
    if found.open_fields:
        click.echo("  (free-form: any other key of the data file reaches the template as it is)")
