"""Markdown and plain-text writers: the document model written back out as text.

The Markdown is CommonMark plus pipe tables and ``::: name`` containers, the dialect the templates
write, and it is made from the model (not kept from the template), so it is clean whatever a template
looked like. Text is escaped so that reading the file again with :func:`hrdocs.docmodel.parse_markdown`
gives the same text: ``*``, ``_``, ``|``, ``<`` and friends are backslash-escaped, line starts that
would open a list, heading or container are escaped, and bold or italic is written only where
CommonMark will read it back as bold or italic (``**`` next to punctuation can fail to open); where it
would not, the text is kept and the emphasis dropped.

Plain text is for pasting into job boards and e-mails: headings underlined, bullets as ``-``, two-column
fact tables as ``Label: value`` lines, links as ``text <address>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from hrdocs.docmodel import Block, Container, Document, Heading, ListBlock, Paragraph, Rule, Span, Table

# --------------------------------------------------------------------------------------- escaping
NL = "\n"
_ALWAYS = re.compile(r"([\\`*_\[\]<>#|~!{}&])")
_LINE_START = re.compile(r"^(\s*)([-+=:]|\d+[.)])")


def escape_inline(text: str) -> str:
    """Escape Markdown punctuation in running text (not line starts: see :func:`_escape_line_start`)."""
    return _ALWAYS.sub(r"\\\1", text)


def _escape_line_start(line: str) -> str:
    def fix(m: re.Match[str]) -> str:
        mark = m.group(2)
        if mark[0] in "-+=:":
            return m.group(1) + "\\" + mark
        return m.group(1) + mark[:-1] + "\\" + mark[-1]

    return _LINE_START.sub(fix, line, count=1)


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_punct(ch: str) -> bool:
    if not ch:
        return False
    if ch.isascii():
        return not ch.isalnum() and not ch.isspace()
    return unicodedata.category(ch).startswith(("P", "S"))


def _can_open(before: str, after: str) -> bool:
    """CommonMark: a ``*`` run opens emphasis iff it is left-flanking."""
    return not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))


def _can_close(before: str, after: str) -> bool:
    """CommonMark: a ``*`` run closes emphasis iff it is right-flanking."""
    return not _is_space(before) and (not _is_punct(before) or _is_space(after) or _is_punct(after))


@dataclass
class _Piece:
    lead: str  # whitespace kept outside the markers
    text: str  # escaped text
    trail: str
    marker: str  # "", "*", "**" or "***"
    href: str | None
    raw: str = ""

    def markdown(self) -> str:
        inner = f"{self.marker}{self.text}{self.marker}" if self.marker else self.text
        if self.href is not None:
            inner = _autolink(self.raw, self.href) or f"[{inner}]({link_destination(self.href)})"
        return f"{self.lead}{inner}{self.trail}"

    def first(self) -> str:
        if self.lead:
            return self.lead[0]
        if self.href is not None:
            return "["
        return self.marker[:1] or self.text[:1]

    def last(self) -> str:
        if self.trail:
            return self.trail[-1]
        if self.href is not None:
            return ")"
        return self.marker[-1:] or self.text[-1:]


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*$")
_EMAIL = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)


def _autolink(text: str, href: str) -> str | None:
    """``<https://…>`` or ``<name@host>`` when a link shows its own address (CommonMark autolinks)."""
    if text == href and _URI.match(href) and "\\" not in href:
        return f"<{href}>"
    if href == f"mailto:{text}" and _EMAIL.match(text):
        return f"<{text}>"
    return None


def link_destination(href: str) -> str:
    """A link target in ``<…>`` form: spaces and parentheses need no escaping there."""
    encoded = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"%{ord(m.group(0)):02X}", href)
    return "<" + re.sub(r"([<>\\])", r"\\\1", encoded) + ">"


def inline(spans: Sequence[Span], line_break: str = "\\\n") -> str:
    """Spans as Markdown on one logical line; line breaks become ``line_break``."""
    lines: list[list[Span]] = [[]]
    for span in spans:
        parts = span.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append(Span(part, span.bold, span.italic, span.href))
    # Markdown drops spaces at the start of a line (more than a few would start a code block) and
    # line breaks at the start or end of a block.
    out = [_escape_line_start(_line(line).lstrip(" \t")) for line in lines]
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return line_break.join(out)


def _line(spans: list[Span]) -> str:
    pieces = []
    for span in spans:
        text = span.text
        styled = span.bold or span.italic
        core = text.strip() if styled else text
        if styled and core:
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
        else:
            lead, trail, core = "", "", text
        marker = ("**" if span.bold else "") + ("*" if span.italic else "") if styled and core else ""
        pieces.append(_Piece(lead, escape_inline(core), trail, marker, span.href, text))

    # Drop emphasis CommonMark would not read back; repeat, as a dropped marker changes its neighbours.
    changed = True
    while changed:
        changed = False
        for i, piece in enumerate(pieces):
            if not piece.marker:
                continue
            before = "" if i == 0 else pieces[i - 1].last()
            after = "" if i == len(pieces) - 1 else pieces[i + 1].first()
            if piece.lead:
                before = piece.lead[-1]
            if piece.trail:
                after = piece.trail[0]
            if piece.href is not None:
                before, after = "[", "]"
            touching = (not piece.lead and before == "*") or (not piece.trail and after == "*")
            if touching or not (_can_open(before, piece.text[:1]) and _can_close(piece.text[-1:], after)):
                piece.marker = ""
                changed = True
    return "".join(p.markdown() for p in pieces)


# ----------------------------------------------------------------------------------------- blocks
def to_markdown(doc: Document) -> str:
    return _blocks(doc.blocks, "").rstrip("\n") + "\n"


def _blocks(blocks: Sequence[Block], indent: str) -> str:
    out: list[str] = []
    previous: Block | None = None
    bullets = "-*+"
    numbers = ".)"
    alternate = 0
    for block in blocks:
        if (
            isinstance(block, ListBlock)
            and isinstance(previous, ListBlock)
            and previous.ordered == block.ordered
        ):
            alternate += 1  # a new list right after another: a different marker keeps them apart
        else:
            alternate = 0
        out.append(_block(block, indent, bullets[alternate % 3], numbers[alternate % 2]))
        previous = block
    return "\n".join(text for text in out if text)


def _block(block: Block, indent: str, bullet: str, number: str) -> str:
    match block:
        case Heading(level=level, spans=spans):
            text = inline(spans, " ").strip()
            return f"{indent}{'#' * min(max(level, 1), 6)} {text}".rstrip() + "\n"
        case Paragraph(spans=spans):
            text = inline(spans, "\\\n" + indent).strip()
            return f"{indent}{text}\n" if text else ""
        case ListBlock():
            return _list(block, indent, bullet, number)
        case Table():
            return _table(block, indent)
        case Rule():
            return f"{indent}---\n"
        case Container(name=name, blocks=inner):
            fence = ":" * (3 + _depth(inner))
            return f"{indent}{fence} {name}\n{_blocks(inner, indent)}{indent}{fence}\n"
    return ""


def _depth(blocks: Sequence[Block]) -> int:
    return max((1 + _depth(b.blocks) for b in blocks if isinstance(b, Container)), default=0)


def _list(block: ListBlock, indent: str, bullet: str, number: str) -> str:
    lines = []
    for k, item in enumerate(block.items, start=1):
        marker = f"{k}{number}" if block.ordered else bullet
        inner = indent + " " * (len(marker) + 1)
        text = inline(item.spans, "\\\n" + inner)
        lines.append(f"{indent}{marker} {text}".rstrip() + "\n")
        for child in item.children:
            lines.append(_list(child, inner, "*" if bullet == "-" else "-", ")" if number == "." else "."))
    return "".join(lines)


def _table(table: Table, indent: str) -> str:
    columns = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    if columns == 0:
        return ""
    header, rows = (table.header, table.rows) if table.header else (table.rows[0], table.rows[1:])

    def row(cells: Sequence[tuple[Span, ...]]) -> str:
        cells = list(cells) + [()] * (columns - len(cells))
        return indent + "| " + " | ".join(inline(c, "<br>").strip() for c in cells) + " |\n"

    return row(header) + indent + "|" + "---|" * columns + "\n" + "".join(row(r) for r in rows)


def render_markdown(doc: Document) -> bytes:
    return to_markdown(doc).encode("utf-8")


# ------------------------------------------------------------------------------------- plain text
def _plain(spans: Sequence[Span]) -> str:
    out = []
    for span in spans:
        text = span.text
        if span.href and span.href not in (text, f"mailto:{text}", f"tel:{text}"):
            text = f"{text} <{span.href.removeprefix('mailto:')}>"
        out.append(text)
    return "".join(out)


def to_text(doc: Document) -> str:
    return _text_blocks(doc.blocks, "").strip("\n") + "\n"


def _text_blocks(blocks: Sequence[Block], indent: str) -> str:
    return "\n".join(t for t in (_text_block(b, indent) for b in blocks) if t)


def _indent(text: str, indent: str) -> str:
    return "\n".join(indent + line if line else line for line in text.split("\n"))


def _text_block(block: Block, indent: str) -> str:
    match block:
        case Heading(level=level, spans=spans):
            text = _plain(spans).replace("\n", " ")
            if level <= 2:
                return f"{text}\n{('=' if level == 1 else '-') * len(text)}\n"
            return f"{text}\n"
        case Paragraph(spans=spans):
            return _indent(_plain(spans), indent) + "\n"
        case ListBlock():
            return _text_list(block, indent)
        case Table():
            return _text_table(block, indent)
        case Rule():
            return f"{indent}* * *\n"
        case Container(blocks=inner):
            return _text_blocks(inner, indent)
    return ""


def _text_list(block: ListBlock, indent: str) -> str:
    out = []
    for k, item in enumerate(block.items, start=1):
        marker = f"{k}." if block.ordered else "-"
        pad = " " * (len(marker) + 1)
        lines = _plain(item.spans).split("\n")
        out.append(f"{indent}{marker} {lines[0]}\n")
        out.extend(f"{indent}{pad}{line}\n" for line in lines[1:])
        out.extend(_text_list(child, indent + pad) for child in item.children)
    return "".join(out)


def _text_table(table: Table, indent: str) -> str:
    columns = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    if columns == 2:  # label and value pairs
        rows = [table.header, *table.rows] if table.header else list(table.rows)
        lines = []
        for r in rows:
            cells = [_plain(c) for c in r] + [""] * (2 - len(r))
            lines.append(f"{indent}{cells[0]}: {cells[1].replace(NL, NL + indent + '  ')}\n")
        return "".join(lines)
    out = []
    header = [_plain(c) for c in table.header]
    for r in table.rows:
        cells = [_plain(c) for c in r]
        out.append(f"{indent}{cells[0] if cells else ''}\n")
        for k, cell in enumerate(cells[1:], start=1):
            label = header[k] if k < len(header) and header[k] else f"Column {k + 1}"
            value = cell.replace("\n", "\n" + indent + "    ")
            out.append(
                f"{indent}  {label}:\n{indent}    {value}\n"
                if "\n" in cell
                else f"{indent}  {label}: {cell}\n"
            )
        out.append("\n")
    return "".join(out).rstrip("\n") + "\n"


def render_text(doc: Document) -> bytes:
    return to_text(doc).encode("utf-8")
