"""One pipeline for every document: validated input -> template data -> render -> checks -> writers.

:func:`produce` makes one document of any kind in every format asked for and returns the bytes; it
writes nothing (the write plan, :mod:`hrdocs.plan`, does). Every command goes through it — ``hrdocs
offer`` and ``hrdocs batch`` alike, whether a text or a Word template makes the kind — so the same
input gives the same bytes and the same warnings whichever command made it. A batch is a scheduler
over this function (:mod:`hrdocs.batch`).

A PDF is typeset from the document model by Typst, in :func:`produce` like every other format, or
(for documents whose look is Word's, or with ``pdf.engine: libreoffice``) converted from the DOCX by
LibreOffice, which is slow to start: :func:`add_pdfs` converts those of many documents in one go.
:func:`pdf_engine` decides which (docs/pdf.md).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hrdocs.checks import checks, refuse_if_strict
from hrdocs.engines import Rendered, engines, render_plain
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.localized import localize
from hrdocs.naming import NamePattern
from hrdocs.session import Session
from hrdocs.writers import DATE, PDF
from hrdocs.writers.pdf_typst import TypstUnavailable
from hrdocs.writers.pdf_typst import available as typst_available
from hrdocs.writers.pdf_typst import fork_safe as fork_safe  # for the batch's workers
from hrdocs.writers.zipfast import Member

DOCX = "docx"
WORD_FORMATS = (DOCX, PDF)
"""What a Word template makes: its DOCX, and the PDF LibreOffice makes of it."""
TYPST, LIBREOFFICE = "typst", "libreoffice"
"""The PDF engines (``pdf.engine`` in hrdocs.yaml; see :func:`pdf_engine`)."""

Parts = tuple[tuple[str, int, int, bytes], ...]
"""A DOCX's own compressed parts (see :meth:`hrdocs.writers.docx.DocxWriter.parts`), to be packed with
the prepared ones: a batch keeps a tenth of each file until it writes."""


@dataclass
class Produced:
    """One document in every format asked for, not yet written."""

    kind: Kind
    stem: str
    files: dict[str, bytes]
    """Format (the file suffix) -> the file's bytes, in the order asked for."""
    warnings: list[str] = field(default_factory=list)
    role: str | None = None
    when: date | None = None
    docx: bytes | None = None
    """The DOCX, when one was made (asked for, or for the PDF)."""
    parts: Parts | None = None
    """The DOCX as its own parts instead (``pack=False``)."""
    data: Any = None
    """The validated input it was made from."""

    def docx_bytes(self, session: Session) -> bytes:
        if self.docx is None:
            assert self.parts is not None, "no DOCX was made"
            self.docx = pack(session, self.parts)
        return self.docx


def check_formats(session: Session, kind: Kind, formats: Sequence[str]) -> None:
    """Refuse, before anything is made, a format no writer knows or the kind's template cannot give."""
    writers = session.writers()
    unknown = [f for f in formats if f not in writers]
    if unknown:
        raise UsageError(
            f"unknown format {', '.join(unknown)}", hint=f"choose from {', '.join(sorted(writers))}"
        )
    if "json" in formats and not kind.structured:
        raise UsageError(
            f"format json (schema.org JobPosting) is for job postings only, not a {kind.title}",
            hint="hrdocs posting ROLE --format json",
        )
    if session.word_template(kind.template_name) is not None:
        other = [f for f in formats if f not in WORD_FORMATS]
        if other:
            name = session.template_file(kind.template_name).path.name
            raise UsageError(
                f"{kind.name} is made from the Word template {name}, which gives docx (and pdf) only, "
                f"not {', '.join(other)}",
                hint=f"ask for docx, or remove templates/{name} to use the text template for other formats",
            )
    if PDF in formats:
        word = session.word_template(kind.template_name) is not None
        if word and session.pdf_overrides.get("engine") == TYPST:
            name = session.template_file(kind.template_name).path.name
            raise UsageError(
                f"--pdf-engine typst: the {kind.title} is made from the Word template {name}, whose look "
                "is Word's; its PDF is LibreOffice's rendering of the DOCX",
                hint="leave out --pdf-engine (or use --pdf-engine libreoffice) for this document",
            )
        if pdf_engine(session, word=word) == TYPST:
            if not typst_available():  # refused now, before anything is made
                raise TypstUnavailable("the typst package is not installed")
        else:
            session.pdf.program  # noqa: B018 - no LibreOffice: refused now, before anything is made


def pdf_engine(session: Session, *, word: bool) -> str:
    """Which engine makes the PDF of a document: LibreOffice for a document whose look is Word's (a
    Word template's, made by ``word``; with ``pdf.engine: auto`` also one styled by a reference
    ``.docx``, whose styles only Word and LibreOffice read), and with ``pdf.engine: libreoffice``;
    else Typst, from the document model."""
    engine = session.config.settings.pdf.engine
    if word or engine == LIBREOFFICE:
        return LIBREOFFICE
    if engine == "auto" and session.config.reference_docx is not None:
        return LIBREOFFICE
    return TYPST


@functools.lru_cache(maxsize=64)
def _pattern(text: str, fields: tuple[str, ...]) -> NamePattern:
    """A kind's own pattern, parsed once (it remembers the slugs of values that recur)."""
    return NamePattern(text, fields)


def stem_of(kind: Kind, prepared: Prepared, pattern: NamePattern | None, extra: Mapping[str, str]) -> str:
    """The file name without its suffix, from the kind's pattern (or ``pattern``)."""
    pattern = pattern or _pattern(kind.file_name, kind.field_names)
    return pattern.stem({**prepared.names, "kind": kind.short, "file": kind.name, **extra})


def produce(
    session: Session,
    kind: Kind,
    data: Any,
    *,
    formats: Sequence[str],
    pattern: NamePattern | None = None,
    names: Mapping[str, str] | None = None,
    label: str | None = None,
    pack: bool = True,
    verify: bool = False,
) -> Produced:
    """``data`` (the kind's validated input) as a document in every format but PDF, which
    :func:`produce_many` adds. ``names`` adds file-name values (a batch's ``row``); ``label`` names
    the document in warnings; ``verify`` renders it the long way too and insists on the same bytes."""
    prepared = kind.prepare(session, kind, data)
    template = localize(session, kind, prepared)  # the document's language (hrdocs.kinds.localized)
    stem = stem_of(kind, prepared, pattern, names or {})
    rendered = engines(session).render(template, prepared.context, prepared.meta)
    label = label or (kind.name if kind.private else f"{kind.name} {stem}")
    warnings = checks(session).warnings(kind, rendered, label)
    refuse_if_strict(session, warnings)
    when = _when(session, prepared)
    files, docx, parts = _write(session, rendered, formats, when, pack=pack)
    if PDF in files:  # fonts the voice names that are not installed: said once, not with every letter
        warnings = [*warnings, *session.typst_pdf.news()]
    made = Produced(
        kind, stem, files, [*prepared.warnings, *warnings], prepared.role, when, docx, parts, data
    )
    if verify:
        _verify(session, template, prepared, when, made)
    return made


def produce_many(
    session: Session, kind: Kind, inputs: Sequence[Any], *, formats: Sequence[str], **options: Any
) -> list[Produced]:
    """:func:`produce` for each input, and their PDFs (if asked for) from one LibreOffice run."""
    made = [produce(session, kind, data, formats=formats, **options) for data in inputs]
    if PDF in formats:
        add_pdfs(session, made, formats)
    return made


def add_pdfs(session: Session, made: Sequence[Produced], formats: Sequence[str]) -> None:
    """The PDFs :func:`produce` left to LibreOffice (see :func:`pdf_engine`), from one LibreOffice run."""
    todo = [m for m in made if PDF not in m.files]
    docx = [m.docx_bytes(session) for m in todo]
    for item, pdf in zip(todo, session.pdf.convert(docx), strict=True):
        files = dict(item.files)
        files[PDF] = pdf
        item.files = {f: files[f] for f in formats if f in files}


def _when(session: Session, prepared: Prepared) -> date:
    own = prepared.meta.get(DATE)
    return date.fromisoformat(own) if own else session.today


def _write(
    session: Session, rendered: Rendered, formats: Sequence[str], when: date, *, pack: bool
) -> tuple[dict[str, bytes], bytes | None, Parts | None]:
    """The writers step: each format's bytes (a PDF only from Typst; LibreOffice's, see
    :func:`add_pdfs`), and the DOCX when one is made (asked for, or for LibreOffice's PDF): its bytes,
    or with ``pack=False`` its own parts."""
    docx = parts = None
    typeset = PDF in formats and rendered.docx is None and pdf_engine(session, word=False) == TYPST
    if DOCX in formats or (PDF in formats and not typeset):
        if rendered.docx is not None:
            docx = rendered.docx
        else:
            assert rendered.masked is not None
            members = session.docx.parts(rendered.masked.document, when=when, values=rendered.masked.values)
            if pack:
                docx = session.docx.pack(members)
            else:
                parts = tuple((m.name, m.crc, m.size, m.data) for m in members)
    writers = session.writers()
    files: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == DOCX and docx is not None:
            files[fmt] = docx
        elif fmt == PDF and typeset:
            files[fmt] = session.typst_pdf.render(rendered.document(), when=when)
        elif fmt not in (DOCX, PDF):
            files[fmt] = writers[fmt](rendered.document())
    return files, docx, parts


def pack(session: Session, parts: Parts) -> bytes:
    """A DOCX from its own parts (``pack=False``) and the prepared ones."""
    return session.docx.pack([Member(*p) for p in parts])


def packed(session: Session, produced: Produced) -> dict[str, bytes]:
    """Every file of ``produced`` as bytes, in the order asked for, its DOCX packed if need be."""
    if DOCX in produced.files or produced.parts is None:
        return produced.files
    return {DOCX: produced.docx_bytes(session), **produced.files}


def _verify(session: Session, template: str, prepared: Prepared, when: date, made: Produced) -> None:
    """The self-check: the same document rendered without masking or caches, byte for byte."""
    kind = made.kind
    plain = render_plain(session, template, prepared.context, prepared.meta)
    writers = session.writers()
    fast = dict(made.files)
    if made.docx is not None or made.parts is not None:
        fast[DOCX] = made.docx_bytes(session)
    for fmt, data in fast.items():
        if fmt == PDF:
            if plain.docx is not None or pdf_engine(session, word=False) != TYPST:
                continue  # LibreOffice's, from the DOCX checked here
            expected = session.typst_pdf.render(plain.document(), when=when)
        elif fmt == DOCX:
            expected = (
                plain.docx if plain.docx is not None else session.docx.render(plain.document(), when=when)
            )
        else:
            expected = writers[fmt](plain.document())
        if data != expected:
            raise HrdocsError(
                f"self-check: the {fmt} of a {kind.name} made the fast way differs from the plain way "
                "(a bug in hrdocs; nothing was written)",
                hint="run again without --verify to write anyway, and report this with the template",
            )
