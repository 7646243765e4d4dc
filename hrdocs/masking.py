"""Masking a batch letter's values, so that letters that differ only by them read the same.

A template's output keeps its values between fences (:func:`hrdocs.render.render_fenced`). A value
that CommonMark would read exactly as it reads a word — nothing escaped in it, no line break, a letter
or digit at each end (or one sign, such as the ``$`` of ``$72,000.00``, which stays in the text), not
where a digit could start a numbered list or follow ``&``, ``#`` or ``<`` — is replaced by a token
(private-use characters, which CommonMark also reads as a word, :data:`hrdocs.docmodel.TOKEN`).
:class:`hrdocs.mdcache.CachedReader` then reads the passages of all letters as one, and the
DOCX writer puts each letter's values, escaped, into the XML
(:meth:`hrdocs.writers.docx.DocxWriter.parts`). A passage whose tokens do not come out as text (a value
in a link's address) is read with its values instead (:func:`tokens_are_words`). The tests check on
every built-in template, and on generated text with values in every position, that this gives the
blocks the parser gives and the bytes the writer gives.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from hrdocs.docmodel import (
    TOKEN,
    TOKEN_END,
    TOKEN_START,
    Block,
    Container,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Span,
    Table,
)
from hrdocs.environment import VALUE_END, VALUE_START

_BLOCK_OPENERS = re.compile(r"[ \t>*+\-\d.)]*")
_TOKENS = tuple(f"{TOKEN_START}{i}{TOKEN_END}" for i in range(256))
_TOKEN_IN_LINK = "%EE%80%82"
"""TOKEN_START as a link's address carries it (percent-encoded)."""


def mask(fenced: str, terms: Callable[[str], str]) -> tuple[str, list[str]]:
    """The text as :func:`~hrdocs.environment.apply_terms_outside_values` makes it, but each value that
    reads as a word replaced by a token numbered in order; and those values."""
    pieces = fenced.split(VALUE_START)  # str.split, not the expression: a letter has fifty values
    out = [terms(pieces[0])]
    add = out.append  # fifty values a letter, a thousand letters a second: every lookup counts
    values: list[str] = []
    for piece in pieces[1:]:
        value, _, wording = piece.partition(VALUE_END)
        parts = _word_like(value)
        if (
            parts is not None
            and (
                parts[0]  # a sign leads: what stands before the value meets the sign, as it would anyway
                or (
                    out[-1][-1:] not in ("&", "#", "<")  # an entity, a character reference, an autolink
                    and not (parts[1][0].isdigit() and _BLOCK_OPENERS.fullmatch(_line_so_far(out)))  # a list
                )
            )
        ):
            lead, middle, trail = parts
            token = (
                _TOKENS[len(values)]
                if len(values) < len(_TOKENS)
                else f"{TOKEN_START}{len(values)}{TOKEN_END}"
            )
            add(f"{lead}{token}{trail}" if lead or trail else token)
            values.append(middle)
        else:
            add(value)
        if wording:
            add(terms(wording))
    return "".join(out), values


def _line_so_far(out: list[str]) -> str:
    """The end of ``out`` back to its last line break (a token stops the search: it is no list marker)."""
    tail: list[str] = []
    for piece in reversed(out):
        if "\n" in piece:
            tail.append(piece.rsplit("\n", 1)[1])
            break
        tail.append(piece)
        if TOKEN_START in piece:
            break
    return "".join(reversed(tail))


@functools.lru_cache(maxsize=4096)
def _word_like(value: str) -> tuple[str, str, str] | None:
    """(lead, middle, trail): a value that reads as a word between at most one sign at each end, which
    stays in the text (``$`` of ``$72,000.00``), so that what stands next to the value reads the same.
    None for a value with escaped markup, a line break, or space just inside a sign. Remembered: the
    company, the role, dates and amounts recur from letter to letter."""
    if not value or "\\" in value or "\n" in value:
        return None
    lead = "" if value[0].isalnum() else value[0]
    trail = "" if value[-1].isalnum() or len(value) == 1 else value[-1]
    middle = value[len(lead) : len(value) - len(trail)]
    if not middle or middle[0].isspace() or middle[-1].isspace():
        return None
    return lead, middle, trail


def unmask(text: str, values: tuple[str, ...] | list[str]) -> str:
    return TOKEN.sub(lambda m: values[int(m.group(1))], text) if TOKEN_START in text else text


@dataclass
class Masked:
    """A document whose blocks may hold tokens, and for each top-level block the values they stand
    for. The blocks are shared by every letter that says the same thing (and so is their Word XML)."""

    document: Document
    values: list[tuple[str, ...]]
    key: str = ""
    """The whole masked text: letters with the same key say the same words but for their values."""

    def bound(self) -> Document:
        """The document with its values in place: what :func:`parse_markdown` makes of the text."""
        blocks = [_bind(b, v) if v else b for b, v in zip(self.document.blocks, self.values, strict=True)]
        doc = self.document
        return Document(title=doc.title, blocks=blocks, kind=doc.kind, meta=dict(doc.meta))


def _bind(block: Block, values: tuple[str, ...]) -> Block:
    def spans(items: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(replace(s, text=unmask(s.text, values)) if TOKEN_START in s.text else s for s in items)

    match block:
        case Heading(spans=items) | Paragraph(spans=items):
            return replace(block, spans=spans(items))
        case ListBlock(items=items):
            return replace(
                block,
                items=tuple(
                    replace(i, spans=spans(i.spans), children=tuple(_bind(c, values) for c in i.children))  # type: ignore[misc]
                    for i in items
                ),
            )
        case Table(header=header, rows=rows):
            return Table(tuple(spans(c) for c in header), tuple(tuple(spans(c) for c in r) for r in rows))
        case Container(blocks=inner):
            return replace(block, blocks=tuple(_bind(b, values) for b in inner))
    return block


def _tokens(block: Block) -> Iterator[str]:
    """Every span's text and link address in a block: where a passage's tokens came out."""
    match block:
        case Heading(spans=items) | Paragraph(spans=items):
            for s in items:
                yield s.text
                if s.href:
                    yield s.href
        case ListBlock(items=items):
            for i in items:
                yield from _tokens(Paragraph(i.spans))
                for c in i.children:
                    yield from _tokens(c)
        case Table(header=header, rows=rows):
            for cells in (header, *rows):
                for cell in cells:
                    yield from _tokens(Paragraph(cell))
        case Container(blocks=inner):
            for b in inner:
                yield from _tokens(b)


def tokens_are_words(blocks: tuple[Block, ...], count: int) -> bool:
    """Whether each of a passage's ``count`` tokens came out once, in text, none in a link's address."""
    found: list[str] = []
    for block in blocks:
        for text in _tokens(block):
            if _TOKEN_IN_LINK in text:
                return False
            found.extend(TOKEN.findall(text))
    return sorted(found, key=int) == [str(i) for i in range(count)]
