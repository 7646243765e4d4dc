"""docxtpl's whole tag set in hrdocs' Word engine, against Word files made the way editors make them.

Each template is written as Flat ODT and converted to .docx by LibreOffice (one call for all of them,
once per test session), so the XML has the run splits, empty properties, text boxes with a VML
fallback and table grids a real editor writes. Each is rendered and read back with python-docx; where
docxtpl installs, the same template and data are rendered by docxtpl too and the visible text must be
the same (hrdocs refuses on purpose what docxtpl prints as a blank: that is tested apart).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import escape

from hrdocs.docx_template import DocxTemplate, DocxTemplateError
from tests.util import cli

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
_STYLES = """<office:automatic-styles>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="PI" style:family="paragraph"><style:text-properties fo:font-style="italic"/>
</style:style></office:automatic-styles>"""


def _fodt(body: str, meta: str = "") -> str:
    decls = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {decls} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.text"><office:meta>{meta}</office:meta>'
        f"{_STYLES}<office:body><office:text>{body}</office:text></office:body></office:document>"
    )


def _p(*texts: str) -> str:
    return "".join(f"<text:p>{t}</text:p>" for t in texts)


def _table(*rows: list[str], columns: int | None = None) -> str:
    width = columns or max(len(r) for r in rows)
    cells = "".join(
        "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in r)
        + "</table:table-row>"
        for r in rows
    )  # fmt: skip
    return f'<table:table><table:table-column table:number-columns-repeated="{width}"/>{cells}</table:table>'


def _b(text: str) -> str:
    return f'<text:span text:style-name="B">{text}</text:span>'


TEMPLATES: dict[str, str] = {
    "runs": _fodt(
        _p(
            "Hello {%r if x %}world{%r endif %}!",
            f"Grade {{%r if senior %}}{_b('Senior ')}{{%r endif %}}{{{{ grade }}}}",
            f"Dear {{{{ na{_b('me')} }}}}, welcome{{#r a note #}} back",
        )
    ),
    "values": _fodt(
        _p(f"Dear {_b('{{r name }}')}, welcome")
        + '<text:p text:style-name="PI">{{p summary }}</text:p>'
        + _p("Listing: {{ listing }}", "End")
    ),
    "cells": _fodt(
        _table(
            ["Area", "Item", "Span"],
            ["{%tr for r in rows %}", "", ""],
            ["{{ r.area }}{% vm %}", "{{ r.item }}{% cellbg r.colour %}", "{% colspan 1 %}{{ r.n }}"],
            ["{%tr endfor %}", "", ""],
        )
        + _table(["Days", "{%tc for d in days %}", "{{ d }}{% hm %}", "{%tc endfor %}"])
    ),
    "columns": _fodt(
        _p("Schedule")
        + _table(
            ["Name", "{%tc for d in days %}", "{{ d }}", "{%tc endfor %}"],
            ["Ada", "{%tc for d in days %}", "{{ d[:1] }}x", "{%tc endfor %}"],
        )
    ),
    "merge": _fodt(
        _p(
            "My house is located",
            "{%- if living_in_town -%}",
            "<text:s/>in urban area",
            "{%- else -%}",
            "<text:s/>in countryside",
            "{%- endif -%}",
            ".",
            "Next paragraph",
        )
    ),
    "literals": _fodt(_p("Write {_{ candidate.name }_} or {_% if x %_} in Word; {{ v }}.")),
    "comments": _fodt(
        _p("{#p a note for recruiters #}", "Kept {# an inline note #}text")
        + _table(["A", "{#tc a cell note #}", "B"], ["{#tr a row note #}", "", ""], ["C", "{#tc #}", "D"])
    ),
    "boxes": _fodt(
        '<text:p>Before<draw:frame draw:name="Box" text:anchor-type="paragraph" svg:width="6cm" '
        f'svg:height="2cm"><draw:text-box><text:p>Box: {{{{ na{_b("me")} }}}}</text:p>'
        "</draw:text-box></draw:frame></text:p>"
    ),
    "properties": _fodt(
        _p("Body {{ name }}"),
        meta="<dc:title>Offer for {{ name }}</dc:title><dc:subject>{{ role | upper }}</dc:subject>"
        '<meta:user-defined meta:name="Office">{{ office }}</meta:user-defined>',
    ),
    "bad-vm": _fodt(_p("Merged {% vm %}")),
    "bad-value-row": _fodt(_table(["{{tr row }}", "x"])),
    "bad-join": _fodt(_p("Before") + _table(["{%- if x %}in a cell{% endif %}"])),
    "bad-colspan": _fodt(_table(["{% colspan %}x", "y"])),
    "loop-outside": _fodt(_table(["{{ a }}{% vm %}", "y"])),
    "check": _fodt(
        _p("Dear {{r candidate.frist_name }},", "Intro {%p if candidate.last_name %}", "Text", "{%p endif %}")
        + _table(["{{ candidate.first_name }}{% vm %}", "{% cellbg colr %}x"]),
        meta="<dc:title>Offer for {{ candidate.nme }}</dc:title>",
    ),
}


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every template of :data:`TEMPLATES` as LibreOffice saves it in Word format (one soffice call)."""
    src = tmp_path_factory.mktemp("word-src")
    out = tmp_path_factory.mktemp("word-docx")
    for name, text in TEMPLATES.items():
        (src / f"{name}.fodt").write_text(text, encoding="utf-8")
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{src}/profile", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(out), *sorted(str(p) for p in src.glob("*.fodt"))],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    return {name: out / f"{name}.docx" for name in TEMPLATES}


@pytest.fixture
def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined)


@pytest.fixture
def render(templates: dict[str, Path], env: SandboxedEnvironment) -> Callable[[str, dict[str, Any]], bytes]:
    def _render(name: str, data: dict[str, Any]) -> bytes:
        return DocxTemplate.compile(templates[name], env).render(data)

    return _render


def _paragraphs(data: bytes) -> list[Paragraph]:
    """Every paragraph of the body in order (table cells included, text boxes apart)."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    return [
        Paragraph(p, document._body)
        for p in body.iter(qn("w:p"))
        if next(p.iterancestors(qn("w:txbxContent")), None) is None
    ]


def texts(data: bytes) -> list[str]:
    return [p.text for p in _paragraphs(data)]


def _xml(data: bytes, member: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(member))


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))  # python-docx's itertext repeats


def _cell_property(tc: etree._Element, name: str, attribute: str = "w:val") -> str | None:
    prop = tc.find(f"{qn('w:tcPr')}/{qn(name)}")
    return None if prop is None else prop.get(qn(attribute))


# ------------------------------------------------------------------------------------------ runs
def test_run_tags_in_one_run_keep_the_text_around_them(render: Callable[..., bytes]) -> None:
    data = {"senior": True, "grade": "B2", "name": "Zoë"}
    assert texts(render("runs", {**data, "x": True}))[:1] == ["Hello world!"]
    shown = render("runs", {**data, "x": False, "senior": False})
    assert texts(shown) == ["Hello !", "Grade B2", "Dear Zoë, welcome back"]
    grade = _paragraphs(render("runs", {**data, "x": True}))[1]
    assert grade.text == "Grade Senior B2"
    assert [r.text for r in grade.runs if r.bold] == ["Senior "]


def test_value_forms_replace_their_run_or_paragraph_and_keep_its_formatting(
    render: Callable[..., bytes],
) -> None:
    out = render(
        "values", {"name": "Tom & Jerry", "summary": "Two\ttabs\aand a new paragraph", "listing": "x"}
    )
    paragraphs = _paragraphs(out)
    assert [p.text for p in paragraphs] == ["Dear Tom & Jerry, welcome", "Two\ttabs", "and a new paragraph",
                                            "Listing: x", "End"]  # fmt: skip
    assert [r.text for r in paragraphs[0].runs if r.bold] == ["Tom & Jerry"]
    assert all(r.italic for p in paragraphs[1:3] for r in p.runs if r.text)


class _Stamp:
    """A fragment as the contract in hrdocs.word.fragment describes it: a run that adds strike."""

    __hrdocs_fragment__ = True

    def __init__(self, text: str) -> None:
        self.text = text

    def _run(self, rpr: str) -> str:
        props = rpr.replace("</w:rPr>", "<w:strike/></w:rPr>") if rpr else "<w:rPr><w:strike/></w:rPr>"
        return f'<w:r>{props}<w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'

    def runs(self, rpr: str, sink: Any) -> str:
        return self._run(rpr)

    def blocks(self, ppr: str, rpr: str, sink: Any) -> str:
        return f"<w:p>{ppr}{self._run(rpr)}</w:p><w:p>{ppr}{self._run(rpr)}</w:p>"

    def plain(self) -> str:
        return self.text


def test_fragments_in_every_value_form(render: Callable[..., bytes]) -> None:
    out = render("values", {"name": _Stamp("Ada"), "summary": _Stamp("Twice"), "listing": _Stamp("<L>")})
    paragraphs = _paragraphs(out)
    assert [p.text for p in paragraphs] == ["Dear Ada, welcome", "Twice", "Twice", "Listing: <L>", "End"]
    ada = next(r for r in paragraphs[0].runs if r.text == "Ada")
    assert ada.bold and ada.font.strike  # the template run's bold, the fragment's strike
    assert all(r.italic and r.font.strike for p in paragraphs[1:3] for r in p.runs)
    listing = [(r.text, bool(r.font.strike)) for r in paragraphs[3].runs if r.text]
    assert listing == [("Listing: ", False), ("<L>", True)]  # in the middle of plain text


# ----------------------------------------------------------------------------------------- cells
def test_merged_and_coloured_cells(render: Callable[..., bytes]) -> None:
    rows = [
        {"area": "Pay", "item": "Salary", "colour": "FF0000", "n": 1},
        {"area": "Pay", "item": "Bonus", "colour": "00FF00", "n": 2},
    ]
    out = render("cells", {"rows": rows, "days": ["Mon", "Tue", "Wed"]})
    first, second = docx.Document(io.BytesIO(out)).tables
    body = [row._tr for row in first.rows][1:]
    cells = [tr.findall(qn("w:tc")) for tr in body]
    assert [_cell_property(c[0], "w:vMerge") for c in cells] == ["restart", "continue"]
    assert [_cell_property(c[1], "w:shd", "w:fill") for c in cells] == ["FF0000", "00FF00"]
    assert [_cell_property(c[2], "w:gridSpan") for c in cells] == ["1", "1"]
    assert [_text_of(c[0]) for c in cells] == ["Pay", ""]  # the merged cell shows it once
    assert first.cell(2, 0).text == "Pay"  # python-docx reads the merged cell
    hm = second._tbl.findall(f"{qn('w:tr')}/{qn('w:tc')}")
    assert [_text_of(tc) for tc in hm] == ["Days", "Mon"]
    assert _cell_property(hm[1], "w:gridSpan") == "3"
    grid = second._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    assert len(grid) == 4  # Days + three merged


@pytest.mark.slow
def test_columns_added_by_a_loop_are_in_the_grid_and_the_pdf(
    render: Callable[..., bytes], tmp_path: Path
) -> None:
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    out = render("columns", {"days": days})
    table = docx.Document(io.BytesIO(out)).tables[0]
    assert len(table._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) == 7
    assert [c.text for c in table.rows[0].cells] == ["Name", *days]
    path = tmp_path / "columns.docx"
    path.write_bytes(out)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "columns.pdf"), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    for day in days:
        assert day in text
    assert "Sx" in text and "Fx" in text


# ------------------------------------------------------------------------------ paragraphs, text
def test_dashes_join_a_conditional_sentence_into_one_paragraph(render: Callable[..., bytes]) -> None:
    out = render("merge", {"living_in_town": True})
    assert texts(out) == ["My house is located in urban area.", "Next paragraph"]
    space = "{http://www.w3.org/XML/1998/namespace}space"
    for t in _xml(out).iter(qn("w:t")):  # Word drops spaces at a text's ends unless told to keep them
        if t.text and t.text != t.text.strip():
            assert t.get(space) == "preserve", t.text
    assert texts(render("merge", {"living_in_town": False})) == [
        "My house is located in countryside.",
        "Next paragraph",
    ]


def test_literal_tags_and_control_characters(render: Callable[..., bytes]) -> None:
    out = render("literals", {"v": "one\ntwo\tthree\afour\ffive"})
    assert texts(out) == [
        "Write {{ candidate.name }} or {% if x %} in Word; one\ntwo\tthree",
        "four",
        "",
        "five.",
    ]
    breaks = _xml(out).findall(f".//{qn('w:br')}")
    assert [b.get(qn("w:type")) for b in breaks] == [None, "page"]


def test_comments_remove_their_paragraph_row_cell_or_run(render: Callable[..., bytes]) -> None:
    out = render("comments", {})
    assert texts(out) == ["Kept text", "A", "B", "C", "D", ""]  # LibreOffice ends with a paragraph
    rows = docx.Document(io.BytesIO(out)).tables[0].rows
    assert [[c.text for c in row.cells] for row in rows] == [["A", "B"], ["C", "D"]]


def test_text_boxes_render_in_both_the_drawing_and_its_fallback(render: Callable[..., bytes]) -> None:
    root = _xml(render("boxes", {"name": "Zoë & Co"}))
    boxes = root.findall(f".//{qn('w:txbxContent')}")
    assert len(boxes) == 2  # DrawingML and VML
    assert [_text_of(box) for box in boxes] == ["Box: Zoë & Co"] * 2


def test_document_properties_are_rendered(render: Callable[..., bytes]) -> None:
    out = render("properties", {"name": "Zoë & Co", "role": "partner", "office": "Leeds"})
    props = docx.Document(io.BytesIO(out)).core_properties
    assert (props.title, props.subject) == ("Offer for Zoë & Co", "PARTNER")
    custom = _xml(out, "docProps/custom.xml")
    assert "".join(custom.itertext()) == "Leeds"  # lxml's own element here


# ---------------------------------------------------------------------------------------- errors
def test_refusals_are_located(templates: dict[str, Path], env: SandboxedEnvironment) -> None:
    cases = {
        "bad-vm": r'body, paragraph 1 \("Merged \{% vm %\}"\): \{% vm %\} acts on a table cell',
        "bad-value-row": r"table 1, row 1, cell 1 .*\{\{tr … \}\} is not supported",
        "bad-join": r"table 1, row 1, cell 1 .*cannot join here: it would join across a table",
        "bad-colspan": r"cell 1 .*\{% colspan %\} needs a number of columns",
    }
    for name, pattern in cases.items():
        with pytest.raises(DocxTemplateError, match=pattern):
            DocxTemplate.compile(templates[name], env)
    with pytest.raises(DocxTemplateError, match=r"cell 1 .*undefined variable 'loop'") as caught:
        DocxTemplate.compile(templates["loop-outside"], env).render({"a": "x"})
    assert "{%tr for" in (caught.value.hint or "")


def test_unset_values_stay_located_errors(render: Callable[..., bytes]) -> None:
    with pytest.raises(DocxTemplateError, match=r'paragraph 1 \("Dear \{\{r name \}\}, welcome"\)'):
        render("values", {"name": None, "summary": "s", "listing": "l"})
    with pytest.raises(DocxTemplateError, match=r"document properties, subject .*undefined variable 'role'"):
        render("properties", {"name": "n", "office": "o"})
    with pytest.raises(DocxTemplateError, match=r"undefined variable 'summary'"):
        render("values", {"name": "n", "listing": "l"})
    with pytest.raises(DocxTemplateError, match=r'body, text box 1, paragraph 1 \("Box: \{\{ name \}\}"\)'):
        render("boxes", {"name": None})


# ------------------------------------------------------------------------------- against docxtpl
def _docxtpl_data(name: str) -> dict[str, Any]:
    from docxtpl import RichText, RichTextParagraph

    common: dict[str, dict[str, Any]] = {
        "runs": {"x": True, "senior": True, "grade": "B2", "name": "Zoe"},
        "values": {"name": "Ada", "summary": "A summary", "listing": "x\ny"},
        "cells": {
            "rows": [
                {"area": "Pay", "item": "Salary", "colour": "FF0000", "n": 1},
                {"area": "Pay", "item": "Bonus", "colour": "00FF00", "n": 2},
            ],
            "days": ["Mon", "Tue"],
        },
        "columns": {"days": ["Mon", "Tue", "Wed", "Thu", "Fri"]},
        "merge": {"living_in_town": False},
        "literals": {"v": "one\ntwo\tthree\afour\ffive"},
        "comments": {},
        "boxes": {"name": "Zoe"},
        "properties": {"name": "Zoe", "role": "partner", "office": "Leeds"},
    }
    data = common[name]
    if name == "values":  # docxtpl needs objects where hrdocs takes plain values
        return {**data, "name": RichText("Ada"), "summary": RichTextParagraph(RichText("A summary"))}
    return data


@pytest.mark.parametrize(
    "name", ["runs", "values", "cells", "columns", "merge", "literals", "comments", "boxes", "properties"]
)
def test_same_visible_text_as_docxtpl(
    name: str, templates: dict[str, Path], env: SandboxedEnvironment, tmp_path: Path
) -> None:
    docxtpl = pytest.importorskip("docxtpl")
    data = _docxtpl_data(name)
    theirs = docxtpl.DocxTemplate(str(templates[name]))
    theirs.render(data, autoescape=True)
    buffer = io.BytesIO()
    theirs.save(buffer)
    ours_data = {**data, "name": "Ada", "summary": "A summary"} if name == "values" else data
    ours = DocxTemplate.compile(templates[name], env).render(ours_data)
    assert texts(ours) == texts(buffer.getvalue())
    boxes = [[_text_of(b) for b in _xml(d).iter(qn("w:txbxContent"))] for d in (ours, buffer.getvalue())]
    assert boxes[0] == boxes[1]
    if name == "properties":
        assert docx.Document(io.BytesIO(ours)).core_properties.title == theirs.core_properties.title


# ----------------------------------------------------------------------------------- templates check
def test_check_reports_the_new_constructs_by_their_word_place(
    templates: dict[str, Path], make_workspace: Callable[..., Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    ws = make_workspace()
    (ws / "templates").mkdir(exist_ok=True)
    shutil.copy(templates["check"], ws / "templates" / "offer-letter.docx")
    monkeypatch.chdir(ws)
    result = cli(capsys, "templates", "check", "offer-letter")
    assert result.code == 1
    offer = "templates/offer-letter.docx"
    lines = result.out.splitlines()
    for expected in [
        f'{offer}: body, paragraph 1 ("Dear {{{{r candidate.frist_name }}}},"): error: unknown variable '
        "`candidate.frist_name`",
        f'{offer}: body, paragraph 2 ("Intro {{%p if candidate.last_name %}}"): warning: the text beside '
        "`{%p if candidate.last_name %}` is removed with its paragraph (docxtpl's meaning) "
        "(put the tag in a paragraph of its own)",
        f'{offer}: body, table 1, row 1, cell 1 ("{{{{ candidate.first_name }}}}{{% vm %}}"): error: '
        "`{% vm %}` is not inside a loop, so there is nothing to merge with "
        "(put it in the cell of a {%tr for … %} row)",
        f'{offer}: body, table 1, row 1, cell 2 ("{{% cellbg colr %}}x"): error: unknown variable `colr`',
        f'{offer}: document properties, title ("Offer for {{{{ candidate.nme }}}}"): error: unknown '
        "variable `candidate.nme`",
    ]:
        assert any(line.startswith(expected) for line in lines), (expected, lines)


def test_an_unset_value_after_an_or_is_blamed_on_its_own_name(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Any]
) -> None:
    """``a or b`` prints ``b`` when ``a`` is empty: the empty ``a`` is not what would read "None"."""

    def offer_with(line: str) -> str:
        doc = docx.Document()
        doc.add_paragraph(line)
        out = io.BytesIO()
        doc.save(out)
        (ws / "templates" / "offer-letter.docx").write_bytes(out.getvalue())
        result = hrdocs("--date", "2026-12-01", "offer", "generalist", "--candidate", "Madonna", "--salary",
                        "50000", "--start", "2027-01-04", "--manager", "Dana Whitfield", "--location",
                        "Denver, CO", "--force", cwd=ws)  # fmt: skip
        assert result.code == 1
        return str(result.err)

    ws = make_workspace()
    (ws / "templates").mkdir(exist_ok=True)
    err = offer_with("Dear {{ candidate.first_name or candidate.name }} {{ candidate.last_name }},")
    assert "prints `candidate.last_name`, which this document does not have" in err
    assert "{% if candidate.last_name %}" in err and "`candidate.first_name`" not in err
    err = offer_with("Dear {{ candidate.last_name or candidate.honorific }}, {{ candidate.name }}")
    assert "prints `candidate.honorific`, which this document does not have" in err
    err = offer_with("Dear {{ candidate.last_name if candidate.honorific else candidate.honorific }}")
    assert "prints `candidate.honorific`, which" in err and "`candidate.last_name`" not in err
