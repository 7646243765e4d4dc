"""PDF writer: the document model typeset by Typst, in this process, a few milliseconds a document.

Typst (the ``typst`` package bundles its compiler) sets the markup :mod:`hrdocs.writers.typst_markup`
makes from the document model: real line breaking and shaping (HarfBuzz-style: Arabic joined, Hebrew
and Arabic right to left, Devanagari conjuncts), fonts embedded and subset, text extractable in
reading order, a tagged PDF, links, title and author in the metadata, and PDF/A-2b when the
settings ask (``pdf.standard: a-2b``). See docs/pdf.md for why Typst rather than LibreOffice,
WeasyPrint or ReportLab.

One :class:`TypstPdf` per session: it finds the fonts once (the workspace's ``fonts/`` folder, the
system's and Typst's own) and keeps one compiler, whose caches the documents of a batch share. The
bytes depend only on the document, the settings and the fonts: the creation date is the document's
own date (:func:`hrdocs.writers.stamp_date`), never the clock.

Fonts: the voice's fonts (``brand.fonts``) when installed; else a metric-compatible stand-in (Carlito
for Calibri, as LibreOffice does) or Noto Sans / DejaVu Sans, with a warning naming both. Behind them
come fonts for every script a name may be written in, so a name in Cyrillic, Greek, Chinese, Japanese,
Korean, Arabic, Hebrew or Devanagari prints (Debian: fonts-noto-core, fonts-noto-cjk; see docs/pdf.md).
"""

from __future__ import annotations

import importlib.util
import os
import re
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from hrdocs.config import Config
from hrdocs.docmodel import Document
from hrdocs.errors import HrdocsError
from hrdocs.writers.typst_markup import Look

STANDARDS = ("a-2b",)
"""PDF standards the settings may ask for (``pdf.standard``)."""

SUBSTITUTES = {
    "calibri": ("Carlito",),
    "calibri light": ("Carlito",),
    "cambria": ("Caladea",),
    "arial": ("Liberation Sans", "Arimo"),
    "helvetica": ("Liberation Sans", "Arimo"),
    "times new roman": ("Liberation Serif", "Tinos"),
    "times": ("Liberation Serif", "Tinos"),
    "courier new": ("Liberation Mono", "Cousine"),
}
"""Free fonts with the same metrics as common Word fonts, so that lines break where Word breaks them
(Debian: fonts-crosextra-carlito, fonts-crosextra-caladea, fonts-liberation2)."""
GENERIC = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Libertinus Serif")
"""The stand-in for a font with no metric-compatible twin, the first one installed."""
SCRIPTS = (
    "Noto Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Thai",
    "Noto Sans Georgian",
    "Noto Sans Armenian",
    "Noto Sans Ethiopic",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "DejaVu Sans",
)
"""Tried in this order for each character the voice's font lacks (installed ones only); Typst then
looks through every other font for one that has it."""
FONTS_DIR = "fonts"
"""The workspace's own font files (``.ttf``, ``.otf``, ``.ttc``), found before the system's."""

_USED_HERE: int | None = None
"""The process that has compiled with Typst: its threads (a rayon pool) do not survive ``fork``."""


class TypstUnavailable(HrdocsError):
    """The ``typst`` package is not installed: no PDF from the document model can be made."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"PDF not written: {reason}",
            hint="pip install typst (hrdocs depends on it), or set `pdf: {engine: libreoffice}` in "
            "hrdocs.yaml",
        )


def available() -> bool:
    """Whether Typst can be imported. Nothing is loaded: a batch's main process must not start
    Typst's threads before it forks its workers (see :func:`fork_safe`)."""
    return importlib.util.find_spec("typst") is not None


def fork_safe() -> bool:
    """False once this process has compiled a document: a process forked from it would wait for ever
    on the compiler's worker threads, which ``fork`` does not copy. Fork before, or start fresh ones."""
    return os.getpid() != _USED_HERE


def fonts_folder(workspace_root: Path) -> Path | None:
    folder = workspace_root / FONTS_DIR
    return folder if folder.is_dir() else None


class TypstPdf:
    """Made once per session: the fonts found, the look built, a compiler kept warm."""

    def __init__(self, config: Config, *, fonts_dir: Path | None = None, standard: str | None = None) -> None:
        if standard is not None and standard not in STANDARDS:
            raise HrdocsError(f"pdf.standard: {standard!r} is not one of {', '.join(STANDARDS)}")
        try:
            import typst
        except ImportError:
            raise TypstUnavailable("the typst package is not installed") from None
        self._typst: Any = typst
        self.standard = standard
        self.author = config.settings.company.name
        self.fonts = typst.Fonts(
            include_system_fonts=True,
            include_embedded_fonts=True,
            font_paths=[str(fonts_dir)] if fonts_dir is not None else [],
        )
        installed = {name.casefold(): name for name in self.fonts.families()}
        self.warnings: list[str] = []
        """Not said yet (see :meth:`news`): the voice's fonts not installed, characters no font has."""
        fonts = config.settings.brand.fonts
        body = self._family(fonts.body, "brand.fonts.body", installed)
        heading = self._family(fonts.heading, "brand.fonts.heading", installed)
        scripts = [installed[n.casefold()] for n in SCRIPTS if n.casefold() in installed]
        logo = config.logo if config.logo is not None and config.settings.brand.letterhead.logo else None
        pictures = [p for p in (logo, config.signature) if p is not None]  # Typst reads them under root
        root = Path(os.path.commonpath([p.parent for p in pictures])) if pictures else config.source.parent
        self.look = Look.of(
            config,
            body_fonts=_unique([*body, *scripts]),
            heading_fonts=_unique([*heading, *body, *scripts]),
            logo=f"/{logo.relative_to(root).as_posix()}" if logo is not None else None,
            signature=f"/{config.signature.relative_to(root).as_posix()}" if config.signature else None,
        )
        self._compiler: Any = typst.Compiler(root=str(root), font_paths=self.fonts)
        self._printed: set[str] = set()
        """Characters of earlier documents that printed (a font has them): most letters of a batch
        have no other, and need no look for boxes."""

    def news(self) -> list[str]:
        """The warnings not said yet: the voice's missing fonts once per session (a batch's worker), not
        once per letter; characters no font has, with the document that has them."""
        told, self.warnings = self.warnings, []
        return told

    def _family(self, wanted: str, setting: str, installed: dict[str, str]) -> list[str]:
        """The installed family for the voice's font, or its stand-in (with a warning)."""
        found = installed.get(wanted.casefold())
        if found is not None:
            return [found]
        twins = [
            installed[t.casefold()]
            for t in SUBSTITUTES.get(wanted.casefold(), ())
            if t.casefold() in installed
        ]
        if twins:
            self.warnings.append(
                f"PDF: font {wanted!r} ({setting}) is not installed; {twins[0]!r}, which has the same "
                f"metrics, is used instead (put {wanted}'s font files in the workspace's {FONTS_DIR}/ folder "
                "to use it)"
            )
            return twins
        generic = [installed[g.casefold()] for g in GENERIC if g.casefold() in installed][:1]
        used = repr(generic[0]) if generic else "Typst's own font"
        self.warnings.append(
            f"PDF: font {wanted!r} ({setting}) is not installed; {used} is used instead (put its font "
            f"files in the workspace's {FONTS_DIR}/ folder, or install it)"
        )
        return generic

    def markup(self, document: Document, *, when: date) -> str:
        """The Typst source of ``document`` (for tests, and to look at: ``typst compile`` sets it)."""
        return self.look.markup(document, author=self.author, when=when)

    def render(self, document: Document, *, when: date) -> bytes:
        """``document`` as a PDF, dated ``when`` (its metadata's creation date)."""
        global _USED_HERE
        if _USED_HERE is not None and os.getpid() != _USED_HERE:
            raise HrdocsError(
                "internal error: this process was forked from one that had already made a PDF with Typst, "
                "whose threads a forked process does not have; Typst would wait for ever",
                hint="make PDFs in a fresh process, or fork the workers before the first PDF",
            )
        markup = self.markup(document, when=when)
        source = markup.encode("utf-8")
        stamp = datetime.combine(when, time(), tzinfo=UTC)
        try:
            pdf = self._compiler.compile(
                input=source,
                format="pdf",
                pdf_standards=[self.standard] if self.standard else [],
                timestamp=stamp,
            )
        except self._typst.TypstError as exc:  # our markup, never the user's text: a bug of ours
            raise HrdocsError(
                f"internal error: Typst could not set the document ({exc.message})",
                hint="report this with the template and the settings",
            ) from None
        finally:
            _USED_HERE = os.getpid()
        assert isinstance(pdf, bytes)
        characters = set(markup)
        if characters <= self._printed:
            return pdf  # every character has printed before, in this session: no box to look for
        boxes = missing_glyphs(pdf)
        if not boxes:
            self._printed |= characters
        else:  # said with this document (news() is asked right after it is made)
            self.warnings.append(  # no title: a workspace's kind may put a name in it (no personal data)
                f"PDF: {boxes} character{'s' if boxes != 1 else ''} of this document print as a box: no "
                "installed font has them (install fonts-noto-core and fonts-noto-cjk, or put a font that "
                f"has them in the workspace's {FONTS_DIR}/ folder)"
            )
        return pdf


_CONTENTS = re.compile(rb"/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")
_SHOWN = re.compile(rb"\((?:[^\\)]|\\.)*\)|(?<!/ActualText)<[0-9A-Fa-f\s]*>(?!>)", re.DOTALL)
"""The strings a content stream shows (a tag's ``/ActualText``, the characters a cluster stands for,
is not shown)."""
_HEX = re.compile(rb"(?<!/ActualText)<[0-9A-Fa-f]")
_OCTAL = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def missing_glyphs(pdf: bytes) -> int:
    """How many characters of a Typst PDF print as a box: no installed font has them, and Typst shows
    the ``.notdef`` glyph, glyph 0, without a warning. Typst writes every font as a two-byte
    Identity-H CID font in which code 0 is ``.notdef`` and nothing else, so this counts the zero codes
    in the text the pages' contents show (a few milliseconds; fonts and pictures are not read)."""
    count = 0
    for listed in _CONTENTS.findall(pdf):
        for number in _REF.findall(listed):
            content = _stream(pdf, number)
            if content is None or (b"\\000\\000" not in content and _HEX.search(content) is None):
                continue  # the common case: no zero code anywhere, so none at a character's place
            for shown in _SHOWN.findall(content):
                if shown.startswith(b"<"):
                    raw = bytes.fromhex(shown[1:-1].decode("ascii"))
                else:
                    raw = _OCTAL.sub(_unescape, shown[1:-1])
                count += sum(1 for k in range(0, len(raw) - 1, 2) if raw[k] == 0 and raw[k + 1] == 0)
    return count


def _stream(pdf: bytes, number: bytes) -> bytes | None:
    """The decoded data of object ``number``'s stream (a page's contents)."""
    at = pdf.find(b"\n" + number + b" 0 obj")
    begin = pdf.find(b"stream", at)
    if at < 0 or begin < 0:
        return None
    head = pdf[at:begin]
    length = re.search(rb"/Length\s+(\d+)", head)
    if length is None:
        return None
    begin += len(b"stream") + (2 if pdf[begin + 6 : begin + 8] == b"\r\n" else 1)
    data = pdf[begin : begin + int(length[1])]
    try:
        return zlib.decompress(data) if b"FlateDecode" in head else data
    except zlib.error:
        return None


def _unescape(match: re.Match[bytes]) -> bytes:
    code = match[1]
    if code[:1].isdigit():
        return bytes([int(code, 8) & 0xFF])
    return _NAMED.get(code, code)


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))
