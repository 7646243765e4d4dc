"""Reading the Markdown of a batch's documents, each repeated passage once.

The letters of a batch say the same things in the same words but for a name, a date and an amount.
Reading every letter's Markdown in full costs more than rendering its template and writing its
DOCX together; most of that work repeats. :class:`CachedReader` cuts a document at its blank lines
into the passages CommonMark reads independently, reads each passage not seen before with the same
reader as :func:`hrdocs.docmodel.parse_markdown`, and reuses the (immutable) blocks of the others.
A ``::: container`` is cut again inside, and a table's cells are read one by one, so the one changed
name in an acceptance block or the salary in a table row does not make the whole passage new.

The result is the same document :func:`~hrdocs.docmodel.parse_markdown` makes, block for block (the
tests check this on every template and on generated Markdown); text it cannot cut safely (link
reference definitions, HTML comments, ``\\r``) is read whole.

:meth:`CachedReader.read` goes further, for a template's output with its values still fenced: it
masks the values that read as words (:mod:`hrdocs.masking`), so that ``Dear Jane,`` and ``Dear
Ahmed,`` are the same passage, read once. When every value of a letter is masked, its whole text is
the same as the letter before's, and the blocks are taken whole.
"""

from __future__ import annotations

import importlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator

from markdown_it.common.utils import mdTrim

from hrdocs.docmodel import (
    _MD,
    CONTAINERS,
    LINE_BREAK,
    TOKEN,
    TOKEN_END,
    TOKEN_START,
    Block,
    Container,
    Document,
    Heading,
    Paragraph,
    Span,
    Table,
    parse_markdown,
    spans_text,
)
from hrdocs.docmodel import _inline as inline_spans
from hrdocs.docmodel import _merge as merge_spans
from hrdocs.masking import Masked, mask, tokens_are_words, unmask

_escaped_split = importlib.import_module("markdown_it.rules_block.table").escapedSplit

_WHOLE = re.compile(r"\]:|<!--|<\?|<!\[|<![A-Za-z]|<(?:script|pre|style|textarea)\b|\r|\x00", re.IGNORECASE)
"""Constructs that reach across blank lines (link references, HTML blocks): read such text whole."""
_LIST_MARKER = re.compile(r"[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CONTAINER_OPEN = re.compile(r" {0,3}(:{3,})(.*)$")
_CONTAINER_CLOSE = re.compile(r" {0,3}(:{3,})[ \t]*$")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_MARKUP = re.compile(r"[\\`*_\[\]<>&~|]")
"""Characters with a meaning inside a line (escapes, code, emphasis, links, HTML, entities, tables)."""
_FENCE_STARTS = "`~:"
_ORDERED_ITEM = re.compile(r"\d{1,9}[.)]")
_PLAIN_START = "$\"'(€£¥“‘«"
_BARE = TOKEN_START + TOKEN_END
_LAYOUTS = 64
"""Whole masked texts remembered: a batch's letters come in a few shapes (one, two or three address
lines, a bonus or none, …)."""
_Layout = tuple[tuple[Block, ...], tuple[tuple[int, ...], ...]]


def split(text: str) -> Iterator[str]:
    """Passages that CommonMark reads independently: cut at a blank line followed by a line that
    starts at the margin, is no list item, and is outside a fenced block or a ``:::`` container.

    A line can open or close a fence or a container only if its first character (after at most three
    spaces) is a backtick, a tilde or a colon: the expressions are tried on those lines only."""
    lines = text.split("\n")
    start = 0
    fence: tuple[str, int] | None = None
    container = 0
    blank = False
    for i, line in enumerate(lines):
        first = line.lstrip(" ")[:1]
        if fence is not None:
            if first == fence[0]:
                m = _FENCE.match(line)
                if (
                    m
                    and m.group(1)[0] == fence[0]
                    and len(m.group(1)) >= fence[1]
                    and not line[m.end() :].strip()
                ):
                    fence = None
            continue
        if container:
            if first == ":":
                m = _CONTAINER_CLOSE.match(line)
                if m and len(m.group(1)) >= container:
                    container = 0
            blank = False
            continue
        if blank and i > start and line and not line[0].isspace() and not _LIST_MARKER.match(line):
            yield "\n".join(lines[start:i])
            start = i
        if first and first in _FENCE_STARTS:
            m = _FENCE.match(line)
            if m:
                fence = (m.group(1)[0], len(m.group(1)))
            elif first == ":":
                m = _CONTAINER_OPEN.match(line)
                if m and m.group(2).strip().split(" ", 2)[0] in CONTAINERS:
                    container = len(m.group(1))
        blank = not line.strip()
    yield "\n".join(lines[start:])


class CachedReader:
    """``parse_markdown`` for many similar documents; keeps the blocks of the last ``size`` passages."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._passages: OrderedDict[str, tuple[Block, ...]] = OrderedDict()
        self._cells: OrderedDict[str, tuple[Span, ...]] = OrderedDict()
        self._skeletons: dict[str, Table | None] = {}
        self._lines: OrderedDict[str, list[str]] = OrderedDict()
        self._layouts: OrderedDict[str, _Layout] = OrderedDict()
        """Whole masked texts: their blocks and the values of each (see :meth:`read`)."""
        self._masked: OrderedDict[str, tuple[Block, ...] | None] = OrderedDict()
        """Masked passages, their tokens bare: their blocks, or None (see :meth:`_masked_passage`)."""

    def read(self, fenced: str, terms: Callable[[str], str], *, kind: str, source: str) -> Masked:
        """A template's output with its values fenced (see the module's docstring)."""
        text, values = mask(fenced, terms)
        layout = self._layouts.get(text)
        if layout is None:
            layout, reusable = self._layout(text, values, source)
            if reusable:  # the next letter with the same text but for its masked values takes it whole
                self._layouts[text] = layout
                if len(self._layouts) > _LAYOUTS:
                    self._layouts.popitem(last=False)
        blocks, indices = layout
        bound = [tuple(values[i] for i in mine) if mine else () for mine in indices]
        title = ""
        if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
            title = unmask(spans_text(blocks[0].spans), bound[0])
        return Masked(Document(title=title, blocks=list(blocks), kind=kind), bound, text)

    def _layout(self, text: str, values: list[str], source: str) -> tuple[_Layout, bool]:
        """The blocks of a masked text and, for each, the numbers of the values its tokens stand for;
        and whether that holds for any values (no passage had to be read with its values in it)."""
        if _WHOLE.search(text):
            doc = parse_markdown(unmask(text, values), kind="document", source=source)
            return (tuple(doc.blocks), ((),) * len(doc.blocks)), False
        blocks: list[Block] = []
        indices: list[tuple[int, ...]] = []
        reusable = True
        for passage in split(text):
            mine: tuple[int, ...] = ()
            if TOKEN_START in passage:
                mine = tuple(int(i) for i in TOKEN.findall(passage))
                found = self._masked_passage(TOKEN.sub(_BARE, passage), source)
                if found is None:  # a value where only the text itself will do
                    found, mine, reusable = self._passage(unmask(passage, values), source), (), False
            else:
                found = self._passage(passage, source)
            blocks.extend(found)
            indices.extend([mine] * len(found))
        return (tuple(blocks), tuple(indices)), reusable

    def _masked_passage(self, bare: str, source: str) -> tuple[Block, ...] | None:
        """The blocks of a passage whose tokens are bare (the same in every letter), read with each
        token numbered in order; None if the tokens did not all come out as words."""
        if bare in self._masked:
            return self._masked[bare]
        first, *rest = bare.split(_BARE)
        numbered = first + "".join(f"{TOKEN_START}{i}{TOKEN_END}{text}" for i, text in enumerate(rest))
        blocks = self._passage(numbered, source)
        found = self._masked[bare] = blocks if tokens_are_words(blocks, len(rest)) else None
        if len(self._masked) > self.size:
            self._masked.popitem(last=False)
        return found

    def _passage(self, text: str, source: str) -> tuple[Block, ...]:
        found = self._passages.get(text)
        if found is not None:
            self._passages.move_to_end(text)
            return found
        found = _paragraph(text) or self._container(text, source) or self._table(text, source)
        if found is None:
            found = tuple(parse_markdown(text, source=source).blocks)
        self._passages[text] = found
        if len(self._passages) > self.size:
            self._passages.popitem(last=False)
        return found

    def _container(self, text: str, source: str) -> tuple[Block, ...] | None:
        """``::: name`` … ``:::`` and nothing else: its inside is read passage by passage."""
        if not text.startswith(":::"):
            return None
        lines = text.rstrip("\n").split("\n")
        opening = _CONTAINER_OPEN.match(lines[0])
        closing = _CONTAINER_CLOSE.match(lines[-1]) if len(lines) > 1 else None
        if not opening or not closing or len(closing.group(1)) < len(opening.group(1)):
            return None
        name = opening.group(2).strip().split(" ", 2)[0]
        if name not in CONTAINERS or lines[0] != lines[0].lstrip() or lines[-1] != lines[-1].lstrip():
            return None
        inner = lines[1:-1]
        if any(line.lstrip().startswith(":") for line in inner):
            return None  # a nested or stray marker: read it the slow, sure way
        blocks = [b for passage in split("\n".join(inner)) for b in self._passage(passage, source)]
        return (Container(name, tuple(blocks)),)

    def _table(self, text: str, source: str) -> tuple[Block, ...] | None:
        """A pipe table and nothing else: its shape is read once, its cells one by one."""
        lines = text.rstrip("\n").split("\n")
        if len(lines) < 2 or not all(line.startswith("|") for line in lines):
            return None
        if not _TABLE_DELIMITER.fullmatch(lines[1]):
            return None
        cells = [self._split(line) for line in lines]
        skeleton = "\n".join(
            lines[1] if i == 1 else "|".join("x" if mdTrim(c) else c for c in row)
            for i, row in enumerate(cells)
        )
        if skeleton not in self._skeletons:
            parsed = parse_markdown(skeleton, source=source).blocks
            self._skeletons[skeleton] = (
                parsed[0] if len(parsed) == 1 and isinstance(parsed[0], Table) else None
            )
        shape = self._skeletons[skeleton]
        if shape is None:
            return None
        header = tuple(self._cell(_cell_text(cells[0], i)) for i in range(len(shape.header)))
        rows = tuple(
            tuple(self._cell(_cell_text(cells[r + 2], i)) for i in range(len(row)))
            for r, row in enumerate(shape.rows)
        )
        return (Table(header, rows),)

    def _cell(self, text: str) -> tuple[Span, ...]:
        found = self._cells.get(text)
        if found is None:
            found = _plain([text], block=False)
            if found is None:
                found = inline_spans(_MD.parseInline(text)[0]) if text else ()
            self._cells[text] = found
            if len(self._cells) > self.size:
                self._cells.popitem(last=False)
        return found

    def _split(self, line: str) -> list[str]:
        """A table line split at its unescaped pipes, exactly as markdown-it splits it."""
        found = self._lines.get(line)
        if found is None:
            found = self._lines[line] = _escaped_split(mdTrim(line))
            if len(self._lines) > self.size:
                self._lines.popitem(last=False)
        return found


def _paragraph(text: str) -> tuple[Block, ...] | None:
    """A passage of plain lines (no markup but ``<br>``) is one paragraph: made without the parser."""
    lines = text.strip("\n").split("\n")
    spans = _plain(lines, block=True) if lines != [""] else None
    return (Paragraph(spans),) if spans else None


def _plain(lines: list[str], *, block: bool) -> tuple[Span, ...] | None:
    """What markdown-it makes of lines without markup: their text joined by spaces (soft breaks),
    ``<br>`` a line break. None when a line might mean more (a list, a heading, an escape, emphasis,
    a leading or trailing space, …): then the parser decides."""
    for line in lines:
        if not line or line[0].isspace() or line[-1].isspace():
            return None
        if _MARKUP.search(line.replace("<br>", "")):
            return None
        if (block and not (line[0].isalnum() or line[0] in _PLAIN_START)) or _ORDERED_ITEM.match(line):
            return None
    spans: list[Span] = []
    for i, part in enumerate(" ".join(lines).split("<br>")):
        if i:
            spans.append(LINE_BREAK)
        spans.append(Span(part))
    return tuple(merge_spans(spans))


def _cell_text(columns: list[str], index: int) -> str:
    """Cell ``index`` of a split line, as markdown-it gives it to the inline reader."""
    cells = list(columns)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return mdTrim(cells[index]) if index < len(cells) and cells[index] else ""
