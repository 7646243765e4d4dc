"""The text as the checks see it: markup blanked out, positions kept, split into sentences and words.

Checks run on a *masked* copy of the document in which Jinja tags, code, HTML tags, URLs and e-mail
addresses are replaced by spaces (newlines kept). Because the copy has the same length, every offset
found in it is an offset in the original, so lines and columns always refer to the text the user gave us
— and ``{{ role.competencies }}`` is never read as the word "competencies".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

_MASK = re.compile(
    r"""
      \{\{.{0,2000}?\}\} | \{%.{0,2000}?%\}         # Jinja expressions and statements
    | \{\#.{0,2000}?\#\}                        # Jinja comments
    | ```.{0,10000}?``` | ~~~.{0,10000}?~~~      # fenced code
    | `[^`\n]*`                                  # inline code
    | <!--.{0,5000}?-->                          # HTML comments
    | </?[A-Za-z][^<>\n]*>                       # HTML tags
    | \]\([^()\s]*\)                             # Markdown link targets: [text](target)
    | \b(?:https?://|www\.)\S+                   # bare URLs
    | (?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+   # e-mail addresses
    """,
    re.S | re.X,
)
# The bounds (and the look-behind before an e-mail address) keep odd text, such as an unclosed "{{",
# from making masking quadratic in the length of the text.
_NOT_NEWLINE = re.compile(r"[^\n]")

WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
"""A word: starts with a letter; may hold letters, digits, apostrophes and inner hyphens."""

# A line that is a block of its own: heading, list item, quote or table row. Such lines often lack a
# full stop, so each is read as (at least) one sentence instead of running on into the next line.
_BLOCK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+•][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]?|\|)")
_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "st",
        "no",
        "approx",
        "dept",
        "u.s",
        "u.k",
    ]
)


def mask(text: str) -> str:
    """``text`` with markup blanked out by spaces; same length, same line breaks."""
    return _MASK.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group()), text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class Document:
    """One text to lint: the original, its masked copy, and offset -> (line, column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = mask(text)
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    @cached_property
    def words(self) -> list[str]:
        return WORD.findall(self.masked)

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentence spans: paragraphs split at sentence ends; each heading/list line on its own."""
        spans: list[Span] = []
        para: list[int] = []  # [start, end] of the running paragraph
        offset = 0
        for line in self.masked.split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            block = _BLOCK.match(line)
            if not line.strip() or block:
                if para:
                    spans.extend(self._split(para[0], para[1]))
                    para = []
                if block:
                    spans.extend(self._split(start + block.end(), end))
                continue
            para = [para[0] if para else start, end]
        if para:
            spans.extend(self._split(para[0], para[1]))
        return spans

    def _split(self, start: int, end: int) -> Iterator[Span]:
        chunk = self.masked[start:end]
        begin = 0
        for m in _END.finditer(chunk):
            before = WORD.findall(chunk[max(begin, m.start() - 12) : m.start() + 1])
            last = before[-1].lower().rstrip(".") if before else ""
            if m.group().startswith(".") and (last in _ABBREVIATIONS or len(last) == 1):
                continue
            yield from self._trimmed(start + begin, start + m.end())
            begin = m.end()
        yield from self._trimmed(start + begin, end)

    def _trimmed(self, start: int, end: int) -> Iterator[Span]:
        piece = self.masked[start:end]
        if WORD.search(piece):
            lead = len(piece) - len(piece.lstrip())
            yield Span(start + lead, start + len(piece.rstrip()))
