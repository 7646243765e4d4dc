"""The small document model between templates and writers, and the Markdown reader that builds it.

Templates write CommonMark (plus tables and ``::: name`` containers); this module turns it into
blocks and spans that every writer (DOCX, HTML, Markdown, text) understands, so a template never
touches a file format and the model can be tested without Word. Raw HTML in a template is kept as
literal text, except ``<br>``, which is a line break (the only way to break a line inside a table cell).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Union

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from hrdocs.errors import TemplateError

TOKEN_START, TOKEN_END = "\ue002", "\ue003"
TOKEN = re.compile(f"{TOKEN_START}(\\d+){TOKEN_END}")
"""A value masked in a batch's text (hrdocs.masking), numbered among its passage's values;
the DOCX writer puts the values in (hrdocs.writers.docx)."""

CONTAINERS = ("signature", "acceptance", "small", "center", "letterhead-date", "keep")
"""``::: name`` blocks a template may use; writers give each its own look (see docs/templates.md)."""


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


LINE_BREAK = Span("\n")


@dataclass(frozen=True)
class Heading:
    level: int
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class ListItem:
    spans: tuple[Span, ...]
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[tuple[Span, ...], ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Container:
    name: str
    blocks: tuple[Block, ...]


Block = Union[Heading, Paragraph, ListBlock, Table, Rule, Container]  # noqa: UP007 - forward refs


@dataclass
class Document:
    title: str
    blocks: list[Block]
    kind: str = "document"
    meta: dict[str, str] = field(default_factory=dict)

    def plain_text(self) -> str:
        """The visible text, one block per line: for checks, lint and equivalence tests."""
        return "\n".join(_block_text(b) for b in self.blocks)


SIGNATURE_MARK = "\ue004"
"""Where a writer puts the signatory's signature picture (``voice.signatory.signature_image``)."""


@functools.lru_cache(maxsize=256)
def with_signature(block: Container) -> Container:
    """A ``::: signature`` block with :data:`SIGNATURE_MARK` in its signing space: the first run of two
    or more line breaks (where the built-in letters leave room to sign, above the name), else a
    paragraph of its own at its top. Remembered, so that the letters of a batch keep sharing it."""
    for n, inner in enumerate(block.blocks):
        if not isinstance(inner, Paragraph):
            continue
        spans = inner.spans
        for i in range(len(spans) - 1):
            if spans[i] == LINE_BREAK and spans[i + 1] == LINE_BREAK:
                end = i
                while end < len(spans) and spans[end] == LINE_BREAK:
                    end += 1
                signed = (*spans[:i], LINE_BREAK, Span(SIGNATURE_MARK), LINE_BREAK, *spans[end:])
                return Container(block.name, (*block.blocks[:n], Paragraph(signed), *block.blocks[n + 1 :]))
    return Container(block.name, (Paragraph((Span(SIGNATURE_MARK),)), *block.blocks))


def signed(blocks: list[Block] | tuple[Block, ...]) -> list[Block]:
    """The blocks with each top-level ``::: signature`` block given its :data:`SIGNATURE_MARK`."""
    return [with_signature(b) if isinstance(b, Container) and b.name == "signature" else b for b in blocks]


def spans_text(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans)


def _block_text(block: Block) -> str:
    match block:
        case Heading(spans=spans) | Paragraph(spans=spans):
            return spans_text(spans)
        case ListBlock(items=items):
            return "\n".join(
                "\n".join([spans_text(i.spans), *(_block_text(c) for c in i.children)]) for i in items
            )
        case Table(header=header, rows=rows):
            return "\n".join(" | ".join(spans_text(c) for c in row) for row in (header, *rows))
        case Container(blocks=blocks):
            return "\n".join(_block_text(b) for b in blocks)
    return ""


# ------------------------------------------------------------------------------------------ reader
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


_MD = _parser()
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


def parse_markdown(text: str, *, kind: str = "document", source: str = "<template>") -> Document:
    """Markdown -> Document. The first level-1 heading is the document's title."""
    tokens = _MD.parse(text)
    blocks, _ = _blocks(tokens, 0, None, source)
    title = ""
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        title = spans_text(blocks[0].spans)
    return Document(title=title, blocks=blocks, kind=kind)


def _blocks(tokens: list[Token], i: int, stop: str | None, source: str) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if stop and tok.type == stop:
            return out, i + 1
        if tok.type == "heading_open":
            out.append(Heading(int(tok.tag[1]), _inline(tokens[i + 1])))
            i += 3
        elif tok.type == "paragraph_open":
            out.append(Paragraph(_inline(tokens[i + 1])))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            listing, i = _list(tokens, i, source)
            out.append(listing)
        elif tok.type == "table_open":
            table, i = _table(tokens, i)
            out.append(table)
        elif tok.type == "hr":
            out.append(Rule())
            i += 1
        elif tok.type.startswith("container_") and tok.type.endswith("_open"):
            name = tok.type.removeprefix("container_").removesuffix("_open")
            inner, i = _blocks(tokens, i + 1, f"container_{name}_close", source)
            out.append(Container(name, tuple(inner)))
        elif tok.type in ("html_block", "code_block", "fence"):
            out.extend(Paragraph((Span(line),)) for line in tok.content.strip("\n").splitlines() if line)
            i += 1
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close", source)
            out.extend(inner)
        else:
            i += 1
    if stop:
        raise TemplateError(f"{source}: unclosed block `{stop}`")
    return out, i


def _list(tokens: list[Token], i: int, source: str) -> tuple[ListBlock, int]:
    ordered = tokens[i].type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    items: list[ListItem] = []
    i += 1
    while tokens[i].type != close:
        # list_item_open
        inner, i = _blocks(tokens, i + 1, "list_item_close", source)
        spans: list[Span] = []
        children: list[ListBlock] = []
        for block in inner:
            if isinstance(block, ListBlock):
                children.append(block)
            elif isinstance(block, Heading | Paragraph):
                if spans:
                    spans.append(LINE_BREAK)
                spans.extend(block.spans)
        items.append(ListItem(tuple(spans), tuple(children)))
    return ListBlock(ordered, tuple(items)), i + 1


def _table(tokens: list[Token], i: int) -> tuple[Table, int]:
    header: list[tuple[Span, ...]] = []
    rows: list[tuple[tuple[Span, ...], ...]] = []
    row: list[tuple[Span, ...]] = []
    in_head = False
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
        elif tok.type == "inline":
            row.append(_inline(tok))
        i += 1
    return Table(tuple(header), tuple(rows)), i + 1


def _inline(tok: Token) -> tuple[Span, ...]:
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for child in tok.children or []:
        t = child.type
        if t in ("text", "code_inline"):
            spans.append(Span(child.content, bold > 0, italic > 0, href))
        elif t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            href = str(child.attrs.get("href", "")) or None
        elif t == "link_close":
            href = None
        elif t == "softbreak":
            spans.append(Span(" ", bold > 0, italic > 0, href))
        elif t == "hardbreak" or (t == "html_inline" and _BR.match(child.content)):
            spans.append(LINE_BREAK)
        elif t == "html_inline":
            spans.append(Span(child.content, bold > 0, italic > 0, href))
    return tuple(_merge(spans))


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbouring spans of the same look, so writers emit one run instead of many."""
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if (
            out
            and span is not LINE_BREAK
            and out[-1].text != "\n"
            and (out[-1].bold, out[-1].italic, out[-1].href) == (span.bold, span.italic, span.href)
        ):
            out[-1] = Span(out[-1].text + span.text, span.bold, span.italic, span.href)
        else:
            out.append(span)
    return out
