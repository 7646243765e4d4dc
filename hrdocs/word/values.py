"""How a value reaches the Word XML: the finalize hook of ``{{ }}``, the ``{{r }}``/``{{p }}``
filters, and what is settled in the rendered tree afterwards.

A plain ``str`` (nearly every value of a letter) is escaped and returned at once. Only values with
control characters or that are not strings take the slow path. docxtpl's meanings of control
characters (https://docxtpl.readthedocs.io/en/latest/#escaping-newline-new-paragraph-listing):
``\\n`` a line break, ``\\t`` a tab, ``\\a`` a new paragraph with the same formatting, ``\\f`` a page
break (on a paragraph of its own, as docxtpl does it).

Where a value needs more than the text of its run — a new paragraph, a page break, a fragment
printed by a plain ``{{ x }}`` (which needs the properties of the run it lands in) — the hook
writes a marker element in the ``w`` namespace; :func:`settle` replaces the markers in the rendered
tree, so the compiled template and the fast path stay as they are.
"""

from __future__ import annotations

import contextvars
import copy
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from markupsafe import Markup, escape

from hrdocs.sandbox import refuse
from hrdocs.word.fragment import CURRENT_SINK, MARKER, Fragment, Sink
from hrdocs.word.place import W_NS, W_P, W_PPR, W_R, W_RPR, W_SECTPR, bare

_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_T_OPEN = '<w:t xml:space="preserve">'
_BREAK = f"</w:t><w:br/>{_T_OPEN}"
_TABSTOP = f"</w:t><w:tab/>{_T_OPEN}"
_W = f"{{{W_NS}}}"
_PARA, _PAGE, _FRAG = f"{_W}hrdocsPara", f"{_W}hrdocsPage", f"{_W}hrdocsFragment"
_NEW_PARAGRAPH = f"</w:t><w:hrdocsPara/>{_T_OPEN}"
_PAGE_BREAK = f"</w:t><w:hrdocsPage/>{_T_OPEN}"
_PROPERTIES = {W_RPR, W_PPR, f"{_W}tblPr", f"{_W}trPr", f"{_W}tcPr"}


@dataclass
class Render:
    """What the markers of one render point to; ``marked`` says whether a part needs settling."""

    fragments: list[Fragment] = field(default_factory=list)
    marked: bool = False


RENDER: contextvars.ContextVar[Render | None] = contextvars.ContextVar("hrdocs_word_render", default=None)


def _is_fragment(value: Any) -> bool:
    """By the class's marker (:data:`hrdocs.word.fragment.MARKER`), not ``isinstance`` against the
    runtime Protocol, which inspects every method on each call (about 7 µs a fragment). The answer is
    kept per class, since looking up an attribute a class lacks costs an exception each time."""
    kind = type(value)
    found = _FRAGMENT_CLASSES.get(kind)
    if found is None:
        found = _FRAGMENT_CLASSES[kind] = getattr(kind, MARKER, False) is True
    return found


_FRAGMENT_CLASSES: dict[type, bool] = {}
"""Whether each class of value printed so far is a fragment (a few classes: str, int, date, Rich…)."""


def xml_text(value: Any) -> Markup:
    """Finalize hook: every ``{{ }}`` value becomes text that is safe inside a ``w:t``.

    Returning ``Markup`` (with autoescape on) keeps macro output from being escaped twice.
    Characters XML 1.0 forbids are dropped, since one of them would make the whole part unreadable.
    """
    if type(value) is str:
        text = escape(value)
    elif type(value) is Markup:
        return value
    elif _is_fragment(value):
        state = RENDER.get()
        if state is None:  # rendered outside a Word render (a linter): its words only
            return escape(value.plain())
        state.fragments.append(value)
        state.marked = True
        return Markup(f'</w:t><w:hrdocsFragment w:n="{len(state.fragments) - 1}"/>{_T_OPEN}')
    elif isinstance(value, Markup):
        return value
    else:
        refuse(value)  # None, a list, a group of values: never "Dear None," (named by the engine)
        text = escape(str(value))  # StrictUndefined raises here
    if _SPECIAL.search(text) is None:
        return text
    plain = _ILLEGAL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    if "\a" in plain or "\f" in plain:
        state = RENDER.get()
        if state is not None:
            state.marked = True
            plain = plain.replace("\a", _NEW_PARAGRAPH).replace("\f", _PAGE_BREAK)
        else:
            plain = plain.replace("\a", "\n").replace("\f", "\n")
    return Markup(plain.replace("\n", _BREAK).replace("\t", _TABSTOP))


def _sink() -> Sink:
    sink = CURRENT_SINK.get()
    if sink is None:
        raise RuntimeError("a Word fragment was rendered outside DocxTemplate.render")
    return sink


def run_value(value: Any, rpr: str) -> Markup:
    """``{{r x }}``: the run becomes the value's runs (a plain value keeps the run's formatting)."""
    if _is_fragment(value):
        return Markup(value.runs(rpr, _sink()))
    return Markup(f"<w:r>{rpr}{_T_OPEN}{xml_text(value)}</w:t></w:r>")


def paragraph_value(value: Any, ppr: str, rpr: str, tail: str) -> Markup:
    """``{{p x }}``: the paragraph becomes the value's paragraphs (or tables); a plain value is one
    paragraph with the paragraph's and the first run's formatting. ``tail`` keeps a section break."""
    if _is_fragment(value):
        return Markup(value.blocks(ppr, rpr, _sink()) + tail)
    return Markup(f"<w:p>{ppr}<w:r>{rpr}{_T_OPEN}{xml_text(value)}</w:t></w:r></w:p>{tail}")


FILTERS = {"_hrdocs_r": run_value, "_hrdocs_p": paragraph_value}


def _split(marker: etree._Element, stop: str) -> tuple[etree._Element, etree._Element]:
    """Split ``marker``'s ancestors up to the first ``stop`` element in two at the marker (which
    goes): the second halves copy the properties (``w:rPr``, ``w:pPr``…) and take what followed."""
    node = marker.getparent()
    moving = list(marker.itersiblings())
    node.remove(marker)
    while True:
        twin = etree.Element(node.tag, dict(node.attrib))
        for child in node:
            if child.tag in _PROPERTIES:
                twin.append(copy.deepcopy(child))
        twin.extend(moving)
        node.addnext(twin)
        if node.tag == stop:
            ppr = node.find(W_PPR)
            for sect in ppr.findall(W_SECTPR) if ppr is not None else []:
                ppr.remove(sect)  # the section ends after the last of the two paragraphs
            return node, twin
        moving = [twin, *twin.itersiblings()]
        node = node.getparent()
        if node is None:
            raise ValueError("marker outside a paragraph")


_KNOWN_PREFIXES: dict[str | None, str] = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
}
"""Prefixes a fragment may use that a part's root does not always declare (LibreOffice's may not)."""


def _fragment_runs(xml: str, nsmap: dict[str | None, str]) -> list[etree._Element]:
    known: dict[str | None, str] = {**_KNOWN_PREFIXES, **nsmap}
    decls = " ".join(f'xmlns:{k}="{v}"' if k else f'xmlns="{v}"' for k, v in known.items())
    return list(etree.fromstring(f"<hrdocs {decls}>{xml}</hrdocs>"))


def settle(root: etree._Element, state: Render) -> None:
    """Replace the markers :func:`xml_text` wrote in one rendered part."""
    for marker in list(root.iter(_PARA, _PAGE, _FRAG)):
        if marker.getparent() is None or marker.getparent().tag != W_R:
            marker.getparent().remove(marker)  # printed outside a run of text: nowhere to break
            continue
        if marker.tag == _FRAG:
            rpr = marker.getparent().find(W_RPR)
            fragment = state.fragments[int(marker.get(f"{_W}n") or 0)]
            runs = _fragment_runs(fragment.runs(bare(rpr) if rpr is not None else "", _sink()), root.nsmap)
            left, _ = _split(marker, W_R)
            for run in reversed(runs):
                left.addnext(run)
            continue
        if next(marker.iterancestors(W_P), None) is None:
            marker.getparent().remove(marker)
            continue
        left, _ = _split(marker, W_P)
        if marker.tag == _PAGE:
            page = etree.Element(W_P)
            etree.SubElement(etree.SubElement(page, W_R), f"{_W}br", {f"{_W}type": "page"})
            left.addnext(page)
