"""A CSV record's own text, read again where the csv module forgives a mistake or gives up on one.

Python's reader is lenient: a quote that is never closed swallows the rest of the file into one cell,
and a quote missing further up makes a cell run over the following rows until the next quote it
meets. Each shows up later as several field errors that say nothing of the cause. Reading the text of
such a record again (only records over several lines, or one that ends the file, which are few) finds
the quote and its line, so the row gets one problem that names the cause. A cell longer than the
limit is named by its row and column, not by the module's "field larger than field limit".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from hrdocs.errors import Problem, ValidationFailed

READ_LIMIT = 1024 * 1024
"""The longest cell read (1 MiB; Python's ``csv`` stops at 128 KiB, and then only says "field larger
than field limit"). It bounds the memory a row takes; what a field may hold is the field's own limit
(:mod:`hrdocs.limits`: 1,000 characters for a one-line value, 20,000 for a multi-line one), checked
with the row's other problems, so a long cell in a column no field reads does no harm. Past it the
file is not read on (whatever follows cannot be trusted), and the error names the row and column."""

LINE_LIMIT = 8 * READ_LIMIT
"""The longest line read (8 MiB): a file without line breaks (not a CSV file, or one cell of a
gigabyte) is refused at this point instead of being read into memory whole."""

QUOTE_HINT = 'check the quotes in that row (a quote inside a quoted cell is written twice: "")'


class LongLine(Exception):
    """A line past :data:`LINE_LIMIT`; :func:`long_line` words it with its row."""


class Lines:
    """The file's lines for ``csv.reader``, keeping those of the record being read, for messages."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.read = 0
        """Lines read so far."""
        self.start = 1
        """The line of the file where the record being read begins."""
        self.text: list[str] = []
        self.ended = False
        """The reader asked for a line past the end: the last record ended inside a quoted cell."""

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        line = self.handle.readline(LINE_LIMIT + 1)
        if len(line) > LINE_LIMIT:
            raise LongLine
        if not line:
            self.ended = True
            raise StopIteration
        self.read += 1
        self.text.append(line)
        return line

    def next_record(self) -> None:
        self.start = self.read + 1
        self.text = []


def record_problem(
    source: str, number: int, lines: Lines, delimiter: str, column: Callable[[int], str]
) -> Problem | None:
    """A quote that swallowed lines: one problem for row ``number``, not one per field; or None.
    ``column(index)``: how the header names a cell."""
    if lines.ended or len(lines.text) > 1:  # the record ran to the end of the file, or over lines
        trouble = quote_trouble("".join(lines.text), delimiter)
        if trouble is not None:
            index, opened, closed = trouble
            first = lines.start + opened
            line = f" (line {first} of the file)" if first != number else ""
            if closed is None:
                rest = f"lines {first}-{lines.read}" if lines.read > first else f"line {first}"
                what = f"is never closed, so the rest of the file ({rest}) was read as this one cell"
            else:
                last = lines.start + closed
                what = f"closes only on line {last}, so lines {first}-{last} were read as this one cell"
            return Problem(
                source, number, column(index), f"a quote opened in this cell{line} {what}; {QUOTE_HINT}"
            )
    return None


def long_line(source: str, path: str, number: int, lines: Lines) -> ValidationFailed:
    message = (
        f"line {lines.read + 1} is longer than {LINE_LIMIT:,} characters, so the file was not read past "
        "it (is it a CSV file?)"
    )
    return ValidationFailed([Problem(source, number, None, message)], what=path)


def too_long(
    source: str, path: str, number: int, lines: Lines, delimiter: str, column: Callable[[int], str]
) -> ValidationFailed:
    """The csv module gave up on row ``number``, a cell past :data:`READ_LIMIT`: where, and why if a
    quote left open is the likely cause."""
    index, quoted = where_it_stopped("".join(lines.text), delimiter)
    why = f"; a quote opened in it is never closed, it seems: {QUOTE_HINT}" if quoted else ""
    message = f"a cell longer than {READ_LIMIT:,} characters, so the file was not read past it{why}"
    return ValidationFailed([Problem(source, number, column(index), message)], what=path)


# --------------------------------------------------------------------------------- reading the text
_TEXT = {d: re.compile(f"[^{re.escape(d)}\r\n]*") for d in (",", ";", "\t", "|")}
_QUOTED = re.compile(r'"(?:[^"]|"")*')


@dataclass(frozen=True)
class Span:
    """Where one cell of a record's text lies, read as the csv module reads it (not strict)."""

    index: int
    start: int
    quote_end: int | None
    """Where its closing quote is (``len(text)``: never closed); None for a cell not quoted."""
    end: int

    @property
    def unclosed(self) -> bool:
        return self.quote_end is not None and self.quote_end >= self.end

    @property
    def text_after_quote(self) -> bool:
        """More text after the closing quote (``"Bo"x``), which well-formed CSV never has."""
        return self.quote_end is not None and self.quote_end + 1 < self.end


def spans(text: str, delimiter: str) -> Iterator[Span]:
    """The cells of one record's text, up to its end (a line break outside quotes) or the text's."""
    unquoted = _TEXT[delimiter]
    index = pos = 0
    while True:
        start, quote_end = pos, None
        if text.startswith('"', pos):
            inside = _QUOTED.match(text, pos)
            assert inside is not None
            quote_end = inside.end()
            if quote_end >= len(text):
                yield Span(index, start, quote_end, len(text))
                return
            pos = quote_end + 1
        found = unquoted.match(text, pos)
        assert found is not None
        pos = found.end()
        yield Span(index, start, quote_end, pos)
        if not text.startswith(delimiter, pos):
            return
        index, pos = index + 1, pos + 1


def quote_trouble(text: str, delimiter: str) -> tuple[int, int, int | None] | None:
    """The first quoted cell of a record that is never closed, or that holds a line break and has more
    text after its closing quote (a quote missing further up met the next one): (its index, the line
    its quote opened on, the line it closed on or None), lines counted from 0 in ``text``."""
    for span in spans(text, delimiter):
        opened = text.count("\n", 0, span.start)
        if span.unclosed:
            return span.index, opened, None
        if span.quote_end is not None and span.text_after_quote and "\n" in text[span.start : span.quote_end]:
            return span.index, opened, text.count("\n", 0, span.quote_end)
    return None


def where_it_stopped(text: str, delimiter: str) -> tuple[int, bool]:
    """The cell where the csv module gave up on a record (too long), and whether a quote is open."""
    last = 0
    for span in spans(text, delimiter):
        if span.unclosed or span.end - span.start > READ_LIMIT:
            return span.index, span.unclosed
        last = span.index
    return last, False
