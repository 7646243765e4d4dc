"""Turn a text template (Jinja + Markdown) into an equivalent Word template a recruiter can edit.

``hrdocs templates export offer-letter --docx`` starts from the text template, not from a blank page:
the result has the company's styles, letterhead and footer (it is written by the same DOCX writer as
every document) and the same wording and tags, so that rendering either gives the same visible text.

How: inheritance is resolved (``{% extends %}`` and ``{% block %}`` spliced), then the template is read
line by line the way Jinja reads it with ``trim_blocks`` and ``lstrip_blocks``: a line that holds only
``{% %}`` tags prints nothing. Every tag gets a placeholder, the Markdown is read into the document model
and written as DOCX, and the placeholders are replaced by the tags in the Word XML:

- a tag inside a line of text stays where it is (``Dear {{ candidate.name }},``);
- a block (``{% if %}``, ``{% for %}``, …) whose tags sit between lines of one paragraph becomes a plain
  tag inside that Word paragraph (the lines are joined with a space, as Markdown joins them);
- a block around whole paragraphs, headings or list items becomes ``{%p … %}`` paragraphs;
- a block between table rows becomes ``{%tr … %}`` rows.

Before that, with :class:`~hrdocs.docx_export.resolve.Fixed` settings, what only the company's
settings decide is resolved (:mod:`hrdocs.docx_export.resolve`): ``set`` blocks, dictionaries of
wording, macros, ``by_tone`` and tone conditions become plain words, so the Word file reads as a
letter. What cannot be expressed (a loop that makes table *columns*, ``{% include %}``) is refused
with the line to look at: such a Word template is better written by hand.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from jinja2 import Environment
from lxml import etree

from hrdocs.config import Config
from hrdocs.docmodel import parse_markdown
from hrdocs.docx_export.layout import _END, _PARA, _PLACEHOLDER, to_markdown
from hrdocs.docx_export.resolve import Fixed, Resolution, resolve
from hrdocs.docx_export.tokens import ExportError, _Tok
from hrdocs.writers.docx import DocxWriter
from hrdocs.writers.zipfast import build_zip, deflate

__all__ = ["ExportError", "Fixed", "WordExport", "export_docx", "export_word", "to_markdown"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class WordExport:
    data: bytes
    frozen: dict[str, object] = field(default_factory=dict)
    """Setting path -> value, for every setting a choice of wording was made on."""
    kept: list[str] = field(default_factory=list)
    """Constructs left as tags because they could not be resolved (``file:line: what``)."""


def export_word(
    env: Environment,
    name: str,
    config: Config,
    *,
    kind: str,
    terms: Callable[[str], str] = lambda s: s,
    fixed: Fixed | None = None,
    note: str | Callable[[dict[str, object]], str] | None = None,
    like: str | None = None,
) -> WordExport:
    """A Word template equivalent to the text template ``name`` (e.g. ``offer-letter.md.j2``).

    ``fixed``: the settings to resolve at export time (none: the template's code is kept as tags).
    ``note`` goes into the document properties (Word: File > Info > Comments), never onto the page
    (a function: made from the settings resolved);
    ``like`` becomes a ``{#p hrdocs: like KIND #}`` first line for a new kind that takes ``KIND``'s
    data (a comment: it prints nothing).
    """
    done: list[Resolution] = []

    def prepare(toks: list[_Tok]) -> list[_Tok]:
        assert fixed is not None
        done.append(resolve(env, toks, fixed))
        return done[-1].tokens

    markdown, tags = to_markdown(env, name, terms=terms, prepare=prepare if fixed else None)
    if like:  # after the title, which stays the document's title; among the paragraphs read for it
        title, newline, rest = markdown.partition("\n") if markdown.startswith("# ") else ("", "", markdown)
        markdown = f"{title}{newline}\n{_PARA}{len(tags)}{_END}\n\n{rest}"
        tags.append(f"{{#p hrdocs: like {like} #}}")
    doc = parse_markdown(markdown, kind=kind, source=name)
    doc.title = kind.replace("-", " ").capitalize()
    frozen, kept = (done[0].frozen, done[0].kept) if done else ({}, [])
    text = note(frozen) if callable(note) else note
    data = _fill(DocxWriter(config).render(doc), tags, " ".join(text.split()) if text else None)
    return WordExport(data, frozen, kept)


def export_docx(
    env: Environment,
    name: str,
    config: Config,
    *,
    kind: str,
    terms: Callable[[str], str] = lambda s: s,
    note: str | None = None,
    like: str | None = None,
) -> bytes:
    """:func:`export_word` without resolving settings: the template's code as tags."""
    return export_word(env, name, config, kind=kind, terms=terms, note=note, like=like).data


def _fill(data: bytes, tags: list[str], note: str | None) -> bytes:
    """Replace the placeholders in ``word/document.xml`` with the tags; the note into the core
    properties' description."""
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(content)
                for t in root.iter(f"{_W}t"):
                    if t.text and _PLACEHOLDER.search(t.text):
                        t.text = _PLACEHOLDER.sub(lambda m: tags[int(m.group(2))], t.text)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                if _PLACEHOLDER.search(content.decode("utf-8")):
                    raise ExportError(f"{info.filename}: a placeholder was left behind (a bug in hrdocs)")
            elif info.filename == "docProps/core.xml" and note:
                description = f"<dc:description>{escape(note)}</dc:description>".encode()
                content = content.replace(b"</cp:coreProperties>", description + b"</cp:coreProperties>")
            members.append(deflate(info.filename, content))
    return build_zip(members)
