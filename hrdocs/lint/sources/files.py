"""The files ``hrdocs lint`` reads, as text: Word documents, web pages, Markdown and text.

A DOCX becomes its paragraphs and table rows (body first, then headers and footers), one per line, so
a finding's line is the n-th paragraph or table row; a web page its visible blocks, one per line; a
Markdown or text file stays as written. :func:`guess_kind` says which lint rules a file gets from its
name or its folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from zipfile import BadZipFile

from hrdocs.errors import HrdocsError
from hrdocs.kinds import BUILTIN, Kind
from hrdocs.limits import read_package

DOCX_SUFFIXES = frozenset({".docx", ".docm"})
TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".j2"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
"""Suffixes that make a command-line argument a file name rather than a role name."""


def display_path(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it, else absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


_MORE_WORDS: dict[str, tuple[str, ...]] = {
    "posting": ("advert", "vacancy", "jobad"),
    "denial": ("decline",),
    "job-description": ("jd",),
}
"""Words people put in file names for a lint kind that are none of its kinds' names or folders."""


def guess_kind(path: Path, kinds: Sequence[Kind] = BUILTIN) -> str:
    """The lint kind a file name suggests, else the name of its folder (hrdocs writes postings to
    ``output/postings``, letters to ``output/offers`` …); ``text`` when neither suggests one.

    The names are the kinds' own (:mod:`hrdocs.kinds`: names, aliases, output folder; the session's
    registry passes the workspace's kinds too), so a kind's new alias or folder is known here at once."""
    if path.name.lower().endswith(".j2"):
        return "template"
    found = _kind_of_name(path.name.lower(), kinds)
    if found == "text" and path.parent.name:
        found = _kind_of_name(path.parent.name.lower(), kinds)
    return found


def _kind_of_name(name: str, kinds: Sequence[Kind]) -> str:
    """The lint kind whose longest name the file name holds: a long name (``offer``, ``postings``,
    ``job-description``) anywhere in it, a short one (``ad``, ``jds``) as a word of its own."""
    words = set(re.split(r"[^a-z]+", name))
    compact = re.sub(r"[^a-z]+", "", name)
    best, length = "text", 0
    for kind in kinds:
        if kind.lint in ("text", "template"):
            continue
        for spelled in (*kind.names, kind.folder, *_MORE_WORDS.get(kind.lint, ())):
            flat = re.sub(r"[^a-z]+", "", spelled.lower())
            held = flat in words or (len(flat) >= 5 and flat in compact)
            if held and len(flat) > length:
                best, length = kind.lint, len(flat)
    return best


def docx_lines(path: Path) -> list[str]:
    """A Word document's paragraphs and table rows, one per line: body, then headers and footers.

    Cells of a row are joined by `` | `` (a merged cell once); line breaks and tabs inside a paragraph
    become spaces, so that line n is always the n-th paragraph or row.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:  # hrdocs.limits: a zip bomb is refused before python-docx unpacks it
        document = docx.Document(read_package(path, display_path(path)))
    except (PackageNotFoundError, KeyError, ValueError, OSError, BadZipFile) as exc:
        raise HrdocsError(f"{display_path(path)}: not a Word document ({exc})") from None

    def flat(text: str) -> str:
        return re.sub(r"[\n\r\t\v]", " ", text)

    def walk(container: object) -> Iterator[str]:
        for block in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(block, Table):
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell appears once per grid column
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(flat(line) for line in walk(cell) if line.strip()))
                    yield " | ".join(cells)
            else:
                yield flat(block.text)

    lines = list(walk(document))
    parts_seen: set[int] = set()
    for section in document.sections:
        for part in (
            section.first_page_header,
            section.header,
            section.even_page_header,
            section.first_page_footer,
            section.footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            key = id(part._element)
            if key not in parts_seen:
                parts_seen.add(key)
                lines.extend(walk(part))
    return lines


_HTML_BLOCKS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote", "div", "section"}
)
_HTML_SKIPPED = frozenset({"head", "script", "style", "template", "noscript"})


class _HtmlText(HTMLParser):
    """The text a reader sees in a web page, one block (paragraph, list item, heading, table row) a
    line; cells of a row joined by `` | ``; scripts (a posting's JSON-LD), styles and the head left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_SKIPPED:
            self.skipping += 1
        elif tag in _HTML_BLOCKS:
            self.flush()
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag == "br":
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HTML_BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def html_lines(path: Path) -> list[str]:
    """A web page's visible text, one block a line (see :class:`_HtmlText`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HrdocsError(f"{display_path(path)}: not a UTF-8 web page") from None
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.lines


def read_file(path: Path) -> tuple[str, bool]:
    """The text of ``path`` and whether it is one block per line (a DOCX) rather than Markdown/text."""
    if path.is_dir():
        raise HrdocsError(f"{display_path(path)}: a folder", hint="name the files to lint")
    if not path.is_file():
        raise HrdocsError(f"{display_path(path)}: no such file")
    if path.suffix.lower() in DOCX_SUFFIXES:
        return "\n".join(docx_lines(path)), True
    if path.suffix.lower() in HTML_SUFFIXES:
        return "\n".join(html_lines(path)), True
    if path.suffix.lower() in {".pdf", ".doc", ".odt", ".rtf"}:
        raise HrdocsError(
            f"{display_path(path)}: hrdocs lint reads DOCX, HTML, Markdown and text files",
            hint="save it as .docx or .txt first",
        )
    try:
        return path.read_text(encoding="utf-8-sig"), False
    except UnicodeDecodeError:
        raise HrdocsError(
            f"{display_path(path)}: not a UTF-8 text file",
            hint="hrdocs lint reads DOCX, HTML, Markdown and text",
        ) from None
