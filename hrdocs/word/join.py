"""``{%- … -%}``: a block tag that joins its paragraph to the text before or after it.

docxtpl's meaning (https://docxtpl.readthedocs.io/en/latest/#jinja-custom-filters and the
``merge_paragraph`` example): ``{%-`` deletes the XML between the previous text and the tag, so
what follows the tag continues the previous paragraph; ``-%}`` deletes the XML between the tag and
the next text (unless another tag comes first). So a conditional sentence written over three
paragraphs stays one paragraph, with no empty ones. The dash does not reach Jinja (it would strip
the spaces of the text it joins).

Where docxtpl's pattern also deletes text typed beside the tag, here only the XML between two texts
goes: no word is lost. A join that would cross a table cell, a table, a picture or a section break
is refused at compile time with the paragraph's place, instead of writing a broken document.
"""

from __future__ import annotations

import re

from hrdocs.word.place import Tagger

_JOINING = re.compile("\ue000([OCB])(\\d+)\ue001")
_ANY_TAG = re.compile("\ue000[TOCB]\\d+\ue001")
_LINE = re.compile("\ue000L\\d+\ue001")
_T_OPEN = re.compile(r"<w:t(?:\s[^>]*)?>")
_ELEMENT = re.compile(r"<(/?)([\w:]+)[^>]*?(/?)>")
_CROSSES = {"w:tc", "w:tr", "w:tbl", "w:drawing", "w:pict", "w:object", "w:sectPr", "w:txbxContent",
            "mc:AlternateContent", "w:footnoteReference", "w:endnoteReference"}  # fmt: skip
_CROSSED = {"w:tc": "a table cell", "w:tr": "a table row", "w:tbl": "a table", "w:sectPr": "a section break"}


def _problem(chunk: str) -> str | None:
    """Why deleting ``chunk`` (XML between two texts) would lose something or break the XML."""
    stack: list[str] = []
    closed: list[str] = []
    for m in _ELEMENT.finditer(chunk):
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if name in _CROSSES:
            return f"it would join across {_CROSSED.get(name, 'a picture or text box')}"
        if empty:
            continue
        if not closing:
            stack.append(name)
        elif stack:
            if stack.pop() != name:
                return "the XML between the two texts is not nested simply"
        else:
            closed.append(name)
    if closed != list(reversed(stack)):
        return "the texts it joins are not in the same kind of place (a link, a field)"
    if _ANY_TAG.search(chunk):
        return "a {%p %}, {%tr %} or {%tc %} tag stands between the texts it joins"
    return None


def paragraphs(prep: Tagger, xml: str) -> str:
    """Apply every joining tag of one part's serialized tree (with placeholders)."""
    cuts: set[tuple[int, int, int]] = set()
    for m in _JOINING.finditer(xml):
        letter, tag = m.group(1), int(m.group(2))
        if letter in "OB" and (end := xml.rfind("</w:t>", 0, m.start())) >= 0:
            opening = None
            for opening in _T_OPEN.finditer(xml, end, m.start()):  # noqa: B007 - the last one
                pass
            if opening is not None:
                cuts.add((end, opening.end(), tag))
        if letter in "CB" and (end := xml.find("</w:t>", m.end())) >= 0:
            opening = _T_OPEN.search(xml, end)
            if opening is not None and not _ANY_TAG.search(xml, end, opening.start()):
                cuts.add((end, opening.end(), tag))
    if not cuts:
        return xml
    out, done = [], 0
    for start, end, tag in sorted(cuts):
        if start < done:
            continue  # the same boundary, joined from both sides
        chunk = xml[start:end]
        if problem := _problem(chunk):
            hint = "write the tag without the dashes, or as {%p … %} on its own line"
            raise prep.fail(prep.tag_where[tag], f"'{{%-' or '-%}}' cannot join here: {problem}", hint)
        out.append(xml[done:start])
        out.extend(_LINE.findall(chunk))  # keep each paragraph's line for error messages
        done = end
    out.append(xml[done:])
    # A text now holds what followed it, spaces at its ends included: they must be kept.
    return "".join(out).replace("<w:t>", '<w:t xml:space="preserve">')
