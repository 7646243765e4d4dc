"""The render step: template data -> a rendered document, through the text or the Word engine.

A **text** template (``KIND.md.j2``) renders to Markdown with its values fenced; the Markdown is read
into the document model by :class:`~hrdocs.mdcache.CachedReader`, which masks the values that read as
words (:mod:`hrdocs.masking`) so that passages the documents of a run share are read once, and the
DOCX writer plans their XML once. A **Word** template (``KIND.docx``) renders straight to a DOCX.

This is the only render step: one document and ten thousand go through it alike, so a letter from
``hrdocs offer`` and the same letter from ``hrdocs batch`` are the same bytes. The caches live here,
behind :meth:`Engines.render`; nothing above this module knows they exist. :func:`render_plain` is
the same step without them, for the self-check that holds the two byte-equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Template

from hrdocs.docmodel import Document, parse_markdown
from hrdocs.masking import Masked
from hrdocs.mdcache import CachedReader
from hrdocs.render import load_template, render_fenced, render_text
from hrdocs.session import Session, per_session
from hrdocs.templates import word_values


@dataclass
class Rendered:
    """One rendered document: the model with its masked values (text engine) or a DOCX (Word)."""

    template: str
    masked: Masked | None = None
    docx: bytes | None = None
    meta: dict[str, str] = field(default_factory=dict)
    _bound: Document | None = None

    @property
    def word(self) -> bool:
        return self.docx is not None

    def document(self) -> Document:
        """The document model with every value in place (what ``parse_markdown`` makes of it)."""
        if self._bound is None:
            assert self.masked is not None, "a Word template's document is its DOCX"
            self._bound = self.masked.bound()
        return self._bound


class Engines:
    """One per session: the compiled text templates and the passage cache of its documents."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.reader = CachedReader()
        self._compiled: dict[str, Template] = {}

    def text_template(self, name: str) -> Template:
        found = self._compiled.get(name)
        if found is None:
            found = self._compiled[name] = load_template(self.session.env, name)
        return found

    def render(self, name: str, context: Mapping[str, Any], meta: Mapping[str, str]) -> Rendered:
        """Template ``name`` with ``context``; ``meta`` goes to the document for the writers."""
        session = self.session
        word = session.word_template(name)
        if word is not None:
            return Rendered(name, docx=word.render(word_values(context)), meta=dict(meta))
        template = self.text_template(name)
        fenced = render_fenced(template, context)
        masked = self.reader.read(fenced, session.terms, kind=name, source=template.filename or name)
        masked.document.meta.update(meta)
        return Rendered(name, masked=masked, meta=dict(meta))


engines = per_session(Engines)


def render_plain(
    session: Session, name: str, context: Mapping[str, Any], meta: Mapping[str, str]
) -> Rendered:
    """:meth:`Engines.render` the long way: no masking, no cache (the self-check's reference)."""
    word = session.word_template(name)
    if word is not None:
        return Rendered(name, docx=word.render(word_values(context)), meta=dict(meta))
    template = load_template(session.env, name)
    text = render_text(template, context, session.terms)
    doc = parse_markdown(text, kind=name, source=template.filename or name)
    doc.meta.update(meta)
    rendered = Rendered(name, meta=dict(meta))
    rendered._bound = doc
    return rendered
