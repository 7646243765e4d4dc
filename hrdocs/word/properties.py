"""Tags in the document's properties: title, subject, author, keywords… (``docProps/core.xml``),
the company and manager (``docProps/app.xml``) and custom properties (``docProps/custom.xml``).

docxtpl renders the core properties (``render_properties``), so a field showing the title in the
letter, or the PDF's title, follows the data instead of printing ``{{ title }}``. Each property's
text is a small Jinja text of its own here, escaped for XML (no Word breaks: a property is plain
text), and an error names the property: ``document properties, title``.
"""

from __future__ import annotations

import re

from lxml import etree
from markupsafe import Markup, escape

from hrdocs.sandbox import refuse
from hrdocs.word.place import SMART, Where
from hrdocs.word.preprocess import XML_DECL, assemble, mark

PARTS = {"docProps/core.xml": "document properties", "docProps/app.xml": "document properties",
         "docProps/custom.xml": "custom properties"}  # fmt: skip
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CUSTOM_NAME = "name"


def property_text(value: object) -> Markup:
    """Finalize hook for property parts: escaped text, no Word markup, never ``None``."""
    if type(value) is str:
        text = escape(value)
    elif isinstance(value, Markup):
        return value
    else:
        plain = getattr(value, "plain", None)
        if callable(plain):  # a rich value: its words
            value = plain()
        refuse(value)
        text = escape(str(value))
    return Markup(_ILLEGAL.sub("", str(text)))


def _name(el: etree._Element) -> str:
    local = etree.QName(el).localname
    parent = el.getparent()
    if parent is not None and parent.get(_CUSTOM_NAME):
        return parent.get(_CUSTOM_NAME) or local
    return {"creator": "author", "description": "comments", "lastModifiedBy": "last modified by"}.get(
        local, local
    )


def source(
    label: str, root: etree._Element
) -> tuple[str, list[int], list[Where], list[tuple[str, str]]] | None:
    """The Jinja source of one properties part, or ``None`` when it holds no tag."""
    tags: list[str] = []
    wheres: list[Where] = []
    fragments: list[tuple[str, str]] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el) or not el.text or not _TAG.search(el.text):
            continue
        where = Where(label, _name(el), el.text)
        fragments.append((where.place, el.text))
        pieces, done = [mark("L", len(wheres))], 0
        wheres.append(where)
        for match in _TAG.finditer(el.text):
            pieces.append(el.text[done : match.start()])
            tags.append(match.group().translate(SMART))
            pieces.append(mark("T", len(tags) - 1))
            done = match.end()
        pieces.append(el.text[done:])
        el.text = "".join(pieces)
    if not tags:
        return None
    xml = XML_DECL + etree.tostring(root, encoding="unicode")
    code, starts, located = assemble(xml, tags, wheres)
    return code, starts, located, fragments
