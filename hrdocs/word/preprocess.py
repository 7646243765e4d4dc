"""One XML part of a Word template turned into Jinja source, with a map from lines to paragraphs.

Word splits what a person typed into runs wherever formatting, spelling marks or revisions change,
so a tag is first moved whole into the first text it starts in (taking that run's formatting). Then
the docxtpl forms are applied to the tree: ``{%r %}``/``{{r }}`` split their run so that the tag
stands alone and replaces only itself (the text beside it stays, unlike a run the tag shared);
``{%p %}``, ``{%tr %}``, ``{%tc %}`` and ``{{p }}`` replace their whole paragraph, row or cell;
``{% vm %}``, ``{% hm %}``, ``{% colspan %}`` and ``{% cellbg %}`` become cell properties
(:mod:`hrdocs.word.cells`); ``{%- -%}`` joins a paragraph to its neighbour (:mod:`hrdocs.word.join`).

While the XML is still a tree, private-use placeholders stand in for Jinja source, so that a tag's
``<``, ``>`` and ``&`` are not escaped by serialisation: ``T`` a tag, ``L`` a paragraph line start,
``O``/``C``/``B`` a tag that joins the paragraph before, after or both, ``R`` a run-level tag.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from hrdocs.word import cells, join
from hrdocs.word.place import (
    SMART,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SECTPR,
    W_T,
    W_TBL,
    W_TC,
    W_TR,
    W_TXBX,
    XML_SPACE,
    DocxTemplateError,
    Where,
    add_text_before,
    bare,
    own,
    position_of,
    text_boxes,
    visible,
)  # fmt: skip

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{_[{%]|[}%]_\}", re.S)
_LITERAL = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
"""docxtpl's way to print a tag as text: ``{_{ x }_}`` shows ``{{ x }}``."""
_OPENER = re.compile(r"\{[{%#]")
_LEVEL = re.compile(r"\{([%#])(-?)(tr|tc|p|r)(?=\s)")
_VALUE_LEVEL = re.compile(r"\{\{(-?)(tr|tc|p|r)\s(.*?)-?\}\}\Z", re.S)
_CELL = re.compile(r"\{%-?\s*(vm|hm|colspan|cellbg)(?![\w.(])\s*(.*?)\s*-?%\}\Z", re.S)
_LEVEL_ELEMENT = {"tr": W_TR, "tc": W_TC, "p": W_P}
_LEVEL_NOUN = {"tr": "table row", "tc": "table cell", "p": "paragraph", "r": "run"}
MARKER = re.compile("\ue000([TLOCB])(\\d+)\ue001")
_RUN_MARK = re.compile("\ue000R(\\d+)\ue001")
_VM = "\ue002"
"""Where a ``{% vm %}`` tag was, until its text is wrapped (docxtpl wraps the text it is typed in)."""


def mark(letter: str, number: int) -> str:
    return f"\ue000{letter}{number}\ue001"


def literal(text: str) -> str:
    """A Python string as a Jinja string literal (for XML handed to the value filters)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _replace_with_text(el: etree._Element, text: str) -> None:
    add_text_before(el, text + (el.tail or ""))
    el.getparent().remove(el)


def _attached(el: etree._Element, root: etree._Element) -> bool:
    top = el
    for top in el.iterancestors():  # noqa: B007 - we want the last ancestor
        pass
    return top is root


class Preprocessor:
    """Turns one part's XML tree into Jinja source plus a line → paragraph map."""

    def __init__(self, template: str, label: str, root: etree._Element) -> None:
        self.template, self.label, self.root = template, label, root
        self.tags: list[str] = []
        self.tag_where: list[int] = []
        self.wheres: list[Where] = []
        self.where_of: dict[etree._Element, int] = {}
        self.levelled: list[tuple[etree._Element, str, int, int]] = []  # w:t, level, where, tag
        self.split: list[tuple[etree._Element, int]] = []  # w:t holding run-level tags
        self.cell_tags: list[tuple[etree._Element, str, str, int]] = []  # w:p, tag name, arg, where
        self.fragments: list[tuple[str, str]] = []
        self.grid = False
        """Whether rendering may change a table's number of columns (its grid is then fixed)."""

    def run(self) -> tuple[str, list[int], list[Where]]:
        tables = {tbl: i for i, tbl in enumerate(self.root.iter(W_TBL), 1)}
        boxes = text_boxes(self.root)
        free = 0
        for p in self.root.iter(W_P):
            free += next(p.iterancestors(W_TC), None) is None and next(p.iterancestors(W_TXBX), None) is None
            place = Where(self.label, position_of(p, tables, boxes, free), visible(p))
            self.where_of[p] = len(self.wheres)
            self.wheres.append(place)
            if place.text.strip():
                self.fragments.append((place.place, place.text))
            self._merge_tags(p, self.where_of[p])
        self._replace_levelled()
        for t, at in self.split:
            if _attached(t, self.root):
                self._split_run(t, at)
        for p, name, arg, at in self.cell_tags:
            if _attached(p, self.root):
                cells.apply(self, p, name, arg, at)
        for p in self.root.iter(W_P):
            add_text_before(p, mark("L", self.where_of[p]))
        return self._source()

    def fail(self, where: int, problem: str, hint: str | None = None) -> DocxTemplateError:
        return DocxTemplateError(self.template, str(self.wheres[where]), problem, hint=hint)

    def tag(self, source: str, where: int, letter: str = "T") -> str:
        """Register Jinja source; return the placeholder that stands for it in the tree."""
        self.tags.append(source)
        self.tag_where.append(where)
        return mark(letter, len(self.tags) - 1)

    def _merge_tags(self, p: etree._Element, where: int) -> None:
        """Move each tag whole into the first ``w:t`` it starts in (so it takes that run's
        formatting) and leave the rest of the text where it was, whatever runs, proofing marks or
        bookmarks Word put in between."""
        texts = own(p, (W_T,))
        joined = "".join(t.text or "" for t in texts)
        if "{" not in joined and "_}" not in joined:
            return
        if unclosed := _OPENER.search(_TAG.sub("", joined)):
            raise self.fail(where, f"a tag opened with {unclosed.group()!r} is not closed in the "
                            "same paragraph (a tag must start and end in one paragraph)")  # fmt: skip
        spans, start = [], 0
        for t in texts:
            spans.append((start, start + len(t.text or "")))
            start = spans[-1][1]
        pieces: list[list[str]] = [[] for _ in texts]

        def keep(a: int, b: int) -> None:
            for i, (lo, hi) in enumerate(spans):
                if max(a, lo) < min(b, hi):
                    pieces[i].append(joined[max(a, lo) : min(b, hi)])

        done = 0
        for match in _TAG.finditer(joined):
            keep(done, match.start())
            done = match.end()
            owner = next(i for i, (lo, hi) in enumerate(spans) if lo <= match.start() < hi)
            pieces[owner].append(self._one_tag(match.group().translate(SMART), texts[owner], p, where))
        keep(done, len(joined))
        for t, piece in zip(texts, pieces, strict=True):
            new = "".join(piece)
            if _VM in new:  # docxtpl's {% vm %}: this text shows in the loop's first row only
                if _RUN_MARK.search(new):
                    raise self.fail(where, "{% vm %} shares its run with a {%r %} or {{r }} tag",
                                    hint="put {% vm %} in a paragraph of its own in the cell")  # fmt: skip
                first, end = self.tag("{% if loop.first %}", where), self.tag("{% endif %}", where)
                new = first + new.replace(_VM, "") + end
            if new != (t.text or ""):
                t.text = new
                t.set(XML_SPACE, "preserve")
            if _RUN_MARK.search(new):
                self.split.append((t, where))

    def _one_tag(self, source: str, t: etree._Element, p: etree._Element, where: int) -> str:
        """What stands for one tag in its ``w:t`` (``""`` for a tag that acts on an element)."""
        if source in _LITERAL:
            return _LITERAL[source]
        if value := _VALUE_LEVEL.match(source):
            return self._value_tag(value, t, p, where)
        if level := _LEVEL.match(source):  # the tag replaces its enclosing element, not its text
            bare_tag = source[: level.start(3)] + source[level.end(3) :]
            if level.group(3) == "r":
                return self.tag(bare_tag, where, "R")
            self.levelled.append((t, level.group(3), where, len(self.tags)))
            self.tag(bare_tag, where)
            return ""
        if cell := _CELL.match(source):
            self.cell_tags.append((p, cell.group(1), cell.group(2), where))
            self.grid |= cell.group(1) in ("hm", "colspan")
            return _VM if cell.group(1) == "vm" else ""
        opens, closes = source.startswith("{%-"), source.endswith("-%}")
        if not (opens or closes):
            return self.tag(source, where)
        source = "{%" + source[2 + opens : len(source) - 2 - closes] + "%}"
        return self.tag(source, where, "B" if opens and closes else "O" if opens else "C")

    def _value_tag(self, value: re.Match[str], t: etree._Element, p: etree._Element, where: int) -> str:
        """``{{r x }}``: the run becomes the value's runs; ``{{p x }}``: the paragraph its paragraphs."""
        level, expression = value.group(2), value.group(3)
        if level in ("tr", "tc"):
            raise self.fail(where, f"{{{{{level} … }}}} is not supported: a value cannot stand for a "
                            f"whole {_LEVEL_NOUN[level]}", hint="use {{p … }} for paragraphs, or "
                            f"{{%{level} for … %}} to repeat the {_LEVEL_NOUN[level]}")  # fmt: skip
        run = t.getparent()
        rpr = run.find(W_RPR) if run is not None and run.tag == W_R else None
        rpr_xml = literal(bare(rpr) if rpr is not None else "")
        if level == "r":
            return self.tag(f"{{{{ ({expression}) | _hrdocs_r({rpr_xml}) }}}}", where, "R")
        ppr = p.find(W_PPR)
        ppr_xml, tail = "", ""
        if ppr is not None:
            kept = copy.deepcopy(ppr)
            for sect in kept.findall(W_SECTPR):  # the section still ends after the value
                kept.remove(sect)
                tail = f"<w:p><w:pPr>{bare(sect)}</w:pPr></w:p>"
            ppr_xml = bare(kept)
        self.levelled.append((t, "p", where, len(self.tags)))
        args = ", ".join(literal(x) for x in (ppr_xml, bare(rpr) if rpr is not None else "", tail))
        self.tag(f"{{{{ ({expression}) | _hrdocs_p({args}) }}}}", where)
        return ""

    def _split_run(self, t: etree._Element, where: int) -> None:
        """Split the run at each run-level tag, so the tag replaces itself and nothing beside it;
        every piece of text keeps the run's properties (docxtpl's copies lose them)."""
        run = t.getparent()
        if run is None or run.tag != W_R:
            raise self.fail(where, "a {%r %} or {{r }} tag must be inside a run of text")
        segments = _RUN_MARK.split(t.text or "")
        children = list(run)
        at = children.index(t)
        rpr = run.find(W_RPR)
        before = [c for c in children[:at] if c is not rpr]
        after = children[at + 1 :]
        last = len(segments) // 2
        sequence: list[etree._Element | str] = []
        for n in range(last + 1):
            text = segments[2 * n]
            lead, trail = (before if n == 0 else []), (after if n == last else [])
            if text or lead or trail:
                piece = etree.Element(W_R, dict(run.attrib))
                if rpr is not None:
                    piece.append(copy.deepcopy(rpr))
                piece.extend(lead)
                if text:
                    new_t = etree.SubElement(piece, W_T)
                    new_t.text = text
                    new_t.set(XML_SPACE, "preserve")
                piece.extend(trail)
                sequence.append(piece)
            if n < last:
                sequence.append(mark("T", int(segments[2 * n + 1])))
        for item in sequence:
            if isinstance(item, str):
                add_text_before(run, item)
            else:
                run.addprevious(item)
        _replace_with_text(run, "")

    def _replace_levelled(self) -> None:
        """``{%tr …%}`` and friends: the whole enclosing row / cell / paragraph becomes the bare
        tag. Outer levels first, so a tag inside a row that is already gone is not handled."""
        for level in ("tr", "tc", "p"):
            groups: dict[etree._Element, list[tuple[int, int]]] = {}
            for t, lvl, where, tag in self.levelled:
                if lvl != level or not _attached(t, self.root):
                    continue
                element = next(t.iterancestors(_LEVEL_ELEMENT[level]), None)
                if element is None:
                    raise self.fail(where, f"{self.tags[tag]!r} written as {{%{level} … %}} "
                                    f"must be inside a {_LEVEL_NOUN[level]}")  # fmt: skip
                groups.setdefault(element, []).append((where, tag))
                self.grid |= level == "tc"
            for element, items in groups.items():
                markers = "".join(mark("T", tag) for _, tag in items)
                _replace_with_text(element, mark("L", items[0][0]) + markers)

    def _source(self) -> tuple[str, list[int], list[Where]]:
        xml = XML_DECL + etree.tostring(self.root, encoding="unicode")
        xml = join.paragraphs(self, xml)
        return assemble(xml, self.tags, self.wheres)


def assemble(xml: str, tags: list[str], wheres: list[Where]) -> tuple[str, list[int], list[Where]]:
    """The Jinja source of ``xml`` with its placeholders, and the first line of each place."""
    out: list[str] = []
    line, done = 1, 0
    starts: list[int] = []
    located: list[Where] = []

    def raw(chunk: str) -> None:
        # Braces outside tags (field codes, attributes) must stay literal text for Jinja.
        out.append(re.sub(r"\{(?=[{%#]|\Z)", "{{ '{' }}", chunk))

    for match in MARKER.finditer(xml):
        chunk = xml[done : match.start()]
        raw(chunk)
        line += chunk.count("\n")
        number = int(match.group(2))
        if match.group(1) != "L":
            out.append(tags[number])
            line += tags[number].count("\n")
        else:
            out.append("{#\n#}")
            line += 1
            starts.append(line)
            located.append(wheres[number])
        done = match.end()
    raw(xml[done:])
    return "".join(out), starts, located
