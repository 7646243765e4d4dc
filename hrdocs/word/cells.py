"""Table cells: docxtpl's ``{% vm %}``, ``{% hm %}``, ``{% colspan %}`` and ``{% cellbg %}``, and the
table grid after ``{%tc for %}`` has added or removed columns.

The four tags are written in a cell's text and act on the cell itself (docxtpl's meaning, see
https://docxtpl.readthedocs.io/en/latest/#tables):

- ``{% colspan n %}``: the cell spans ``n`` grid columns;
- ``{% cellbg 'FF0000' %}``: the cell's background colour;
- ``{% vm %}``: inside a loop over rows (``{%tr for %}``), the cell of every row is merged
  vertically into the first one; the text the tag is typed in shows in the first row only
  (:mod:`hrdocs.word.preprocess` wraps it);
- ``{% hm %}``: inside a loop over cells (``{%tc for %}``), the cells of the loop become one cell,
  spanning them all, with the first one's text.

At compile time each becomes a cell property whose value is Jinja (``w:gridSpan``, ``w:shd``,
``w:vMerge``), placed in the schema's order (Word refuses a ``w:tcPr`` in another order).
"""

from __future__ import annotations

from lxml import etree

from hrdocs.word.place import W_NS, W_TBL, W_TC, W_TCPR, W_TR, Tagger, add_text_before

_W = f"{{{W_NS}}}"
_TCPR_ORDER = {
    f"{_W}{name}": i
    for i, name in enumerate(
        [
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        ]
    )
}  # ECMA-376 Part 1, CT_TcPr
_GRID_SPAN, _SHD, _VMERGE = f"{_W}gridSpan", f"{_W}shd", f"{_W}vMerge"
_TBL_GRID, _GRID_COL, _VAL, _WIDTH = f"{_W}tblGrid", f"{_W}gridCol", f"{_W}val", f"{_W}w"
_NEEDS_ARGUMENT = {"colspan": "a number of columns, e.g. {% colspan 2 %}",
                   "cellbg": "a colour, e.g. {% cellbg 'FF0000' %}"}  # fmt: skip


def _set(tc: etree._Element, tag: str, attrs: dict[str, str]) -> etree._Element:
    """Put a property in the cell's ``w:tcPr`` (made if missing), in schema order, replacing one
    already there."""
    tcpr = tc.find(W_TCPR)
    if tcpr is None:
        tcpr = etree.Element(W_TCPR)
        tc.insert(0, tcpr)
    for old in tcpr.findall(tag):
        tcpr.remove(old)
    new = etree.Element(tag, attrs)
    rank = _TCPR_ORDER[tag]
    after = [i for i, child in enumerate(tcpr) if _TCPR_ORDER.get(child.tag, 99) < rank]
    tcpr.insert(after[-1] + 1 if after else 0, new)
    return new


def apply(prep: Tagger, p: etree._Element, name: str, arg: str, where: int) -> None:
    """Make the cell holding paragraph ``p`` carry the effect of ``{% name arg %}``."""
    tc = next(p.iterancestors(W_TC), None)
    if tc is None:
        raise prep.fail(where, f"{{% {name} %}} acts on a table cell, but this paragraph is not in a "
                        "table", hint="move it into the cell it should change")  # fmt: skip
    if name in _NEEDS_ARGUMENT and not arg:
        raise prep.fail(where, f"{{% {name} %}} needs {_NEEDS_ARGUMENT[name]}")
    if name not in _NEEDS_ARGUMENT and arg:
        raise prep.fail(where, f"{{% {name} %}} takes nothing after its name (found {arg!r})")
    here = f"\ue000L{where}\ue001"  # errors in the value are placed at this paragraph

    def tag(source: str) -> str:
        return here + prep.tag(source, where)

    if name == "colspan":
        _set(tc, _GRID_SPAN, {_VAL: tag(f"{{{{ {arg} }}}}")})
    elif name == "cellbg":
        _set(tc, _SHD, {_VAL: "clear", f"{_W}color": "auto", f"{_W}fill": tag(f"{{{{ {arg} }}}}")})
    elif name == "vm":
        _set(tc, _VMERGE, {_VAL: tag("{% if loop.first %}restart{% else %}continue{% endif %}")})
    else:  # hm
        span = tc.find(f"{W_TCPR}/{_GRID_SPAN}")
        times = f"{span.get(_VAL)} * " if span is not None and (span.get(_VAL) or "").isdigit() else ""
        _set(tc, _GRID_SPAN, {_VAL: tag(f"{{{{ {times}loop.length }}}}")})
        add_text_before(tc, tag("{% if loop.first %}"))
        tc.tail = tag("{% endif %}") + (tc.tail or "")


def _span(tc: etree._Element) -> int:
    span = tc.find(f"{W_TCPR}/{_GRID_SPAN}")
    try:
        return max(1, int(span.get(_VAL))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _own(el: etree._Element, tag: str, owner_tag: str) -> list[etree._Element]:
    """``tag`` descendants of ``el`` whose nearest ``owner_tag`` ancestor is ``el`` (not a nested table)."""
    return [d for d in el.iter(tag) if next(d.iterancestors(owner_tag), None) is el]


def fix_grid(root: etree._Element) -> bool:
    """Give every table as many grid columns as its widest row uses, keeping the table's width
    (LibreOffice lays a table out by its grid and drops cells beyond it). Returns whether any
    table changed."""
    changed = False
    for tbl in root.iter(W_TBL):
        grid = tbl.find(_TBL_GRID)
        if grid is None:
            continue
        cols = grid.findall(_GRID_COL)
        rows = [tr for tr in tbl.iter(W_TR) if next(tr.iterancestors(W_TBL), None) is tbl]
        need = max((sum(_span(tc) for tc in _own(tr, W_TC, W_TR)) for tr in rows), default=0)
        if need == len(cols) or need == 0 or not cols:
            continue
        widths = [float(c.get(_WIDTH) or 0) for c in cols]
        total = sum(widths)
        if need > len(cols):
            for c, w in zip(cols, widths, strict=True):
                c.set(_WIDTH, str(int(w * len(cols) / need)))
            for _ in range(need - len(cols)):
                etree.SubElement(grid, _GRID_COL, {_WIDTH: str(int(total / need))})
        else:
            for c in cols[need:]:
                grid.remove(c)
            extra = sum(widths[need:]) / need
            for c, w in zip(cols[:need], widths[:need], strict=True):
                c.set(_WIDTH, str(int(w + extra)))
        changed = True
    return changed
