"""Places a person can find in Word (part, paragraph, table cell) and the error that names them.

Every error of the Word engine points at what Word shows — ``body, table 1, row 2, cell 3`` and the
paragraph's visible text — never at a line of the hidden XML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from hrdocs.errors import TemplateError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
W_P, W_R, W_T, W_TR, W_TC, W_TBL = (f"{_W}{t}" for t in ("p", "r", "t", "tr", "tc", "tbl"))
W_TAB, W_BR, W_CR = f"{_W}tab", f"{_W}br", f"{_W}cr"
W_PPR, W_RPR, W_TCPR, W_SECTPR = f"{_W}pPr", f"{_W}rPr", f"{_W}tcPr", f"{_W}sectPr"
W_TXBX = f"{_W}txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SMART = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
SMART.update({0xA0: " ", 0x202F: " "})  # Word's non-breaking spaces are not Jinja whitespace


class DocxTemplateError(TemplateError):
    """A .docx template cannot be compiled or rendered, located by part and paragraph text."""

    def __init__(self, template: str, where: str, problem: str, *, hint: str | None = None):
        self.template, self.where, self.problem = template, where, problem
        super().__init__(f"{template}: {where}: {problem}" if where else f"{template}: {problem}", hint=hint)


class Tagger(Protocol):
    """What the preprocessor offers the modules that write Jinja into a part's tree."""

    tag_where: list[int]

    def tag(self, source: str, where: int, letter: str = "T") -> str:
        """Register Jinja source; return the placeholder that stands for it in the tree."""
        ...

    def fail(self, where: int, problem: str, hint: str | None = None) -> DocxTemplateError:
        """An error at the place ``where`` (an index of the part's places)."""
        ...


@dataclass(frozen=True)
class Where:
    """A place a person can find in Word: part, position and the paragraph's visible text."""

    part: str
    position: str
    text: str

    @property
    def place(self) -> str:
        return f"{self.part}, {self.position}"

    def __str__(self) -> str:
        shown = " ".join(self.text.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        return f'{self.place} ("{shown}")' if shown else self.place


def part_label(name: str) -> str:
    """``word/header2.xml`` → ``header 2``: the words Word itself uses for the part."""
    stem = name.removeprefix("word/").removesuffix(".xml")
    if stem == "document":
        return "body"
    kind, number = stem.rstrip("0123456789"), stem[len(stem.rstrip("0123456789")) :]
    return f"{kind} {number}" if number else kind


def own(p: etree._Element, tags: tuple[str, ...]) -> list[etree._Element]:
    """Descendants of a paragraph with these tags, in order, skipping nested (text box) paragraphs
    — those are paragraphs of their own."""
    found: list[etree._Element] = []
    stack = list(reversed(p))
    while stack:
        el = stack.pop()
        if el.tag == W_P or not isinstance(el.tag, str):
            continue
        if el.tag in tags:
            found.append(el)
        stack.extend(reversed(el))
    return found


def visible(p: etree._Element) -> str:
    parts = {W_TAB: "\t", W_BR: "\n", W_CR: "\n"}
    return "".join(parts.get(el.tag) or el.text or "" for el in own(p, (W_T, W_TAB, W_BR, W_CR)))


def preceding(el: etree._Element, tag: str) -> int:
    return sum(1 for _ in el.itersiblings(tag, preceding=True))


def text_boxes(root: etree._Element) -> dict[etree._Element, int]:
    """Each text box's number as a person counts them: a box's VML fallback (the copy older Word
    versions read) has the number of the box it copies."""
    numbers: dict[etree._Element, int] = {}
    last = 0
    for box in root.iter(W_TXBX):
        if next(box.iterancestors(_FALLBACK), None) is None:
            last += 1
        numbers[box] = max(last, 1)
    return numbers


def position_of(p: etree._Element, tables: dict[etree._Element, int], boxes: dict[etree._Element, int],
                free: int) -> str:  # fmt: skip
    """``paragraph 7``, ``table 1, row 2, cell 3[, paragraph 2]`` or ``text box 1, paragraph 2`` for
    paragraph ``p``."""
    box = next(p.iterancestors(W_TXBX), None)
    if box is not None:
        own_paragraphs = [q for q in box.iter(W_P) if next(q.iterancestors(W_TXBX)) is box]
        return f"text box {boxes[box]}, paragraph {own_paragraphs.index(p) + 1}"
    tc = next(p.iterancestors(W_TC), None)
    if tc is None:
        return f"paragraph {free}"
    tr = next(tc.iterancestors(W_TR))
    position = (f"table {tables[next(tc.iterancestors(W_TBL))]}, "
                f"row {preceding(tr, W_TR) + 1}, cell {preceding(tc, W_TC) + 1}")  # fmt: skip
    if p.getparent() is tc and (k := preceding(p, W_P)) > 0:
        position += f", paragraph {k + 1}"
    return position


def add_text_before(el: etree._Element, text: str) -> None:
    """Text (Jinja placeholders) just before ``el``: the previous sibling's tail or the parent's text."""
    prev, parent = el.getprevious(), el.getparent()
    if prev is not None:
        prev.tail = (prev.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def bare(el: etree._Element) -> str:
    """An element as XML without the namespace declarations the part's root already makes; an empty
    properties element (``<w:rPr/>``, as LibreOffice writes them) is ``""``."""
    if len(el) == 0 and not el.attrib:
        return ""
    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(el, encoding="unicode", with_tail=False))
