"""Tests for the .docx template engine: templates are built with python-docx at run time, the way
Word would save them (tags split across runs, smart quotes, proofing marks), rendered, and read back.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from hrdocs.docx_template import DocxTemplate, DocxTemplateError
from hrdocs.errors import TemplateError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined)


@pytest.fixture
def make(tmp_path: Path, env: SandboxedEnvironment) -> Callable[..., DocxTemplate]:
    """Build a document with ``build(doc)``, save it as ``name`` and compile it."""

    def _make(build: Callable[[DocumentObject], Any], name: str = "offer.docx") -> DocxTemplate:
        doc = docx.Document()
        build(doc)
        path = tmp_path / name
        doc.save(str(path))
        return DocxTemplate.compile(path, env)

    return _make


def paragraphs(*texts: str) -> Callable[[DocumentObject], None]:
    def build(doc: DocumentObject) -> None:
        for text in texts:
            doc.add_paragraph(text)

    return build


def read(data: bytes) -> DocumentObject:
    return docx.Document(io.BytesIO(data))


def body(data: bytes) -> list[str]:
    return [p.text for p in read(data).paragraphs]


def test_split_tag_is_merged_with_first_runs_formatting(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        p = doc.add_paragraph("Dear ")
        p.add_run("{{ cand").bold = True
        p._p.append(OxmlElement("w:proofErr"))
        mark = OxmlElement("w:bookmarkStart")
        mark.set(qn("w:id"), "0")
        mark.set(qn("w:name"), "here")
        p._p.append(mark)
        p.add_run("idate.first").italic = True
        p.add_run("_name }}, welcome")

    out = make(build).render({"candidate": {"first_name": "Zoë"}})
    para = read(out).paragraphs[0]
    assert para.text == "Dear Zoë, welcome"
    assert [(r.text, r.bold, r.italic) for r in para.runs] == [
        ("Dear ", None, None),
        ("Zoë", True, None),
        ("", None, True),
        (", welcome", None, None),
    ]


def test_smart_quotes_inside_tags_are_plain_quotes(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(paragraphs("Status: {{ “yes” if ok else ‘no’ }} — “quoted” text stays"))
    assert body(tpl.render({"ok": True})) == ["Status: yes — “quoted” text stays"]
    assert body(tpl.render({"ok": False})) == ["Status: no — “quoted” text stays"]


@pytest.mark.parametrize(
    "value",
    ["O'Brien", "Zoë", "王小明", "Tom & Jerry <Ltd>", 'say "hi" & <b>bye</b>', "]]> &amp; {{ x }}"],
)
def test_values_are_xml_escaped_and_rendered_literally(make: Callable[..., DocxTemplate], value: str) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("Name: {{ name }}.")
        doc.sections[0].header.paragraphs[0].text = "{{ name }}"

    out = make(build).render({"name": value})
    assert body(out) == [f"Name: {value}."]
    assert read(out).sections[0].header.paragraphs[0].text == value


def test_newlines_tabs_and_illegal_characters(make: Callable[..., DocxTemplate]) -> None:
    out = make(paragraphs("A: {{ v }}")).render({"v": "line 1\r\nline 2\tend\x00\x0b"})
    para = read(out).paragraphs[0]
    assert para.text == "A: line 1\nline 2\tend"
    assert len(para._p.findall(f".//{{{W_NS}}}br")) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text())
def test_any_text_value_gives_a_well_formed_document(make: Callable[..., DocxTemplate], value: str) -> None:
    tpl = make(paragraphs("[{{ v }}]"))
    out = tpl.render({"v": value})
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(
        c
        for c in expected
        if c in "\t\n\a\f" or (c >= " " and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff")
    )
    # docxtpl's meaning: \a starts a new paragraph, \f a page break on an empty paragraph of its own
    assert body(out) == f"[{expected}]".replace("\f", "\a\a").split("\a")


def test_paragraph_if_keeps_or_drops_whole_paragraphs(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(
        paragraphs("Start", "{%p if bonus %}", "Bonus: {{ bonus }}", "Paid yearly.", "{%p endif %}", "End")
    )
    assert body(tpl.render({"bonus": "5%"})) == ["Start", "Bonus: 5%", "Paid yearly.", "End"]
    assert body(tpl.render({"bonus": None})) == ["Start", "End"]


def test_paragraph_for_and_comment_paragraphs(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(
        paragraphs("{#p a note for recruiters #}", "{%p for d in duties %}", "• {{ d }}", "{%p endfor %}")
    )
    assert body(tpl.render({"duties": ["Hire", "Pay & Care"]})) == ["• Hire", "• Pay & Care"]


def test_plain_block_tags_inside_a_paragraph(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(paragraphs("You{% if remote %} may work remotely{% else %} work on site{% endif %}."))
    assert body(tpl.render({"remote": True})) == ["You may work remotely."]
    assert body(tpl.render({"remote": False})) == ["You work on site."]


def test_run_form_removes_the_whole_run(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        p = doc.add_paragraph("Grade ")
        p.add_run("{%r if senior %}")
        p.add_run("Senior ").bold = True
        p.add_run("{%r endif %}")
        p.add_run("{{ grade }}")

    tpl = make(build)
    senior = read(tpl.render({"senior": True, "grade": "B2"})).paragraphs[0]
    assert senior.text == "Grade Senior B2"
    assert senior.runs[1].bold is True
    assert read(tpl.render({"senior": False, "grade": "B2"})).paragraphs[0].text == "Grade B2"


def test_table_rows_repeat(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        table = doc.add_table(rows=4, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Benefit", "Value"
        table.cell(1, 0).text = "{%tr for b in benefits %}"
        table.cell(2, 0).text, table.cell(2, 1).text = "{{ b.name }}", "{{ b.value }}"
        table.cell(3, 0).text = "{%tr endfor %}"

    out = make(build).render(
        {"benefits": [{"name": "Leave", "value": "25 days"}, {"name": "Car", "value": "<none>"}]}
    )
    rows = [[c.text for c in row.cells] for row in read(out).tables[0].rows]
    assert rows == [["Benefit", "Value"], ["Leave", "25 days"], ["Car", "<none>"]]


def test_table_cells_repeat(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        table = doc.add_table(rows=1, cols=4)
        cells = ["Days", "{%tc for d in days %}", "{{ d }}", "{%tc endfor %}"]
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            cell.text = text

    out = make(build).render({"days": ["Mon", "Tue", "Wed"]})
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = ["".join(tc.itertext()) for tc in root.iter(f"{{{W_NS}}}tc")]
    assert texts == ["Days", "Mon", "Tue", "Wed"]


def test_headers_footers_footnotes_and_endnotes(tmp_path: Path, env: SandboxedEnvironment) -> None:
    doc = docx.Document()
    doc.add_paragraph("Body {{ who }}")
    doc.sections[0].header.paragraphs[0].text = "Head {{ who }}"
    doc.sections[0].footer.paragraphs[0].text = "Foot {{ who }}"
    plain = tmp_path / "plain.docx"
    doc.save(str(plain))
    notes = (
        f'<w:KINDs xmlns:w="{W_NS}"><w:KIND w:id="1"><w:p><w:r><w:t>{{{{ who }}}} KIND</w:t>'
        "</w:r></w:p></w:KIND></w:KINDs>"
    )
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for kind in ("footnote", "endnote"):
            dst.writestr(f"word/{kind}s.xml", notes.replace("KIND", kind))

    out = DocxTemplate.compile(path, env).render({"who": "A&B"})
    result = read(out)
    assert [p.text for p in result.paragraphs] == ["Body A&B"]
    assert result.sections[0].header.paragraphs[0].text == "Head A&B"
    assert result.sections[0].footer.paragraphs[0].text == "Foot A&B"
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        for kind in ("footnote", "endnote"):
            root = etree.fromstring(archive.read(f"word/{kind}s.xml"))
            assert "".join(root.itertext()) == f"A&B {kind}"


def test_undefined_variable_names_the_paragraph(make: Callable[..., DocxTemplate]) -> None:
    texts = ["Offer", "", "Ref {{ ref }}", "a", "b", "c", "Dear {{ candidate.frist_name }},"]
    tpl = make(paragraphs(*texts))
    with pytest.raises(DocxTemplateError) as caught:
        tpl.render({"ref": 1, "candidate": {"first_name": "Zoë"}})
    assert caught.value.message == (
        'offer.docx: body, paragraph 7 ("Dear {{ candidate.frist_name }},"): '
        "undefined variable 'candidate.frist_name'"
    )
    assert caught.value.hint == "did you mean 'first_name'?"
    assert isinstance(caught.value, TemplateError)


def test_undefined_top_level_variable_in_table_and_header(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_table(rows=2, cols=2).cell(1, 1).text = "{{ salray }}"

    with pytest.raises(DocxTemplateError) as caught:
        make(build).render({"salary": 1})
    assert str(caught.value) == (
        "offer.docx: body, table 1, row 2, cell 2 (\"{{ salray }}\"): undefined variable 'salray'"
        "\n  hint: did you mean 'salary'?"
    )

    def header(doc: DocumentObject) -> None:
        doc.sections[0].header.paragraphs[0].text = "{% for x in xs %}{{ x.nme }}{% endfor %}"

    with pytest.raises(DocxTemplateError, match=r"header 1, paragraph 1 .*'x\.nme'"):
        make(header).render({"xs": [{"name": 1}]})


def test_syntax_errors_name_the_paragraph(make: Callable[..., DocxTemplate]) -> None:
    with pytest.raises(DocxTemplateError) as caught:
        make(paragraphs("Hello", "Pay: {{ salary | }}"))
    assert caught.value.message.startswith(
        'offer.docx: body, paragraph 2 ("Pay: {{ salary | }}"): syntax error in a tag:'
    )
    with pytest.raises(DocxTemplateError) as caught:
        make(paragraphs("Hello", "{%p if bonus %}", "Bonus", "Bye"))
    assert caught.value.message == (
        "offer.docx: body, paragraph 2 (\"{%p if bonus %}\"): '{% if %}' is never closed (no '{% endif %}')"
    )
    with pytest.raises(DocxTemplateError, match=r"paragraph 1 \(\"Dear \{\{ name\"\): a tag opened"):
        make(paragraphs("Dear {{ name", "}}"))
    with pytest.raises(DocxTemplateError, match=r"must be inside a table row"):
        make(paragraphs("{%tr for x in y %}", "{%tr endfor %}"))


def test_block_spanning_structure_is_reported_not_written(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("{% if x %}Before")
        doc.add_table(rows=1, cols=1).cell(0, 0).text = "In cell{% endif %}"

    tpl = make(build)
    with pytest.raises(DocxTemplateError, match=r"body \(word/document.xml\): the rendered XML is not"):
        tpl.render({"x": False})


def test_sandbox_payload_is_a_template_error(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(paragraphs("{{ ''.__class__.__mro__[1].__subclasses__() }}"))
    with pytest.raises(DocxTemplateError, match=r"paragraph 1 .*blocked by the template sandbox"):
        tpl.render({})


def test_other_runtime_errors_are_located(make: Callable[..., DocxTemplate]) -> None:
    with pytest.raises(DocxTemplateError, match=r'paragraph 2 \("\{\{ 1 / n \}\}"\): ZeroDivision'):
        make(paragraphs("x", "{{ 1 / n }}")).render({"n": 0})


def test_output_is_deterministic(make: Callable[..., DocxTemplate], tmp_path: Path) -> None:
    build = paragraphs("Dear {{ name }}", "{%p if x %}", "X", "{%p endif %}")
    first = make(build).render({"name": "Zoë", "x": True})
    time.sleep(1.1)  # a zip writer that stamps the clock would differ now
    again = make(build, name="again.docx")
    assert again.render({"name": "Zoë", "x": True}) == first
    assert again.render({"name": "Zoë", "x": True}) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert archive.testzip() is None


def test_callers_filters_and_globals_work_but_not_its_finalize_or_delimiters(
    tmp_path: Path,
) -> None:
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        finalize=lambda v: f"*{v}*",
        trim_blocks=True,
        line_comment_prefix="##",
        variable_start_string="${",
        variable_end_string="}",
    )
    env.filters["shout"] = lambda v: str(v).upper() + "!"
    env.globals["company"] = "Acme & Co"
    doc = docx.Document()
    doc.add_paragraph("{{ name | shout }} at {{ company }} ## not a comment ${x}")
    doc.add_paragraph("{% macro tag(v) %}[{{ v }}]{% endmacro %}{{ tag('a&b') }}")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    out = DocxTemplate.compile(path, env).render({"name": "zoë"})
    assert body(out) == ["ZOË! at Acme & Co ## not a comment ${x}", "[a&b]"]


def test_variables_and_text_fragments(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("Dear {{ candidate.name }}")
        doc.add_paragraph("")
        doc.add_paragraph("{%p for d in duties %}")
        doc.add_paragraph("{{ d }} {{ loop.index }}")
        doc.add_paragraph("{%p endfor %}")
        doc.add_table(rows=1, cols=1).cell(0, 0).text = "Pay {{ salary }}"
        doc.sections[0].footer.paragraphs[0].text = "Ref {{ ref }}"

    tpl = make(build)
    assert tpl.variables() == {"candidate", "duties", "salary", "ref"}
    assert tpl.text_fragments() == [
        ("body, paragraph 1", "Dear {{ candidate.name }}"),
        ("body, paragraph 3", "{%p for d in duties %}"),
        ("body, paragraph 4", "{{ d }} {{ loop.index }}"),
        ("body, paragraph 5", "{%p endfor %}"),
        ("body, table 1, row 1, cell 1", "Pay {{ salary }}"),
        ("footer 1, paragraph 1", "Ref {{ ref }}"),
    ]


def test_not_a_docx(tmp_path: Path, env: SandboxedEnvironment) -> None:
    path = tmp_path / "letter.docx"
    path.write_text("hello")
    with pytest.raises(DocxTemplateError, match=r"^letter.docx: not a Word .docx file"):
        DocxTemplate.compile(path, env)
    with pytest.raises(DocxTemplateError, match=r"^missing.docx: cannot read the file"):
        DocxTemplate.compile(tmp_path / "missing.docx", env)


def test_repeated_renders_are_identical(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.sections[0].header.paragraphs[0].text = "Acme — {{ company }}"
        doc.add_heading("Offer of employment", 1)
        doc.add_paragraph("Dear {{ candidate.first_name }} {{ candidate.last_name }},")
        for _ in range(8):
            doc.add_paragraph("We offer you the role of {{ role }}, starting {{ start }}. " * 3)
        doc.add_paragraph("{%p if bonus %}")
        doc.add_paragraph("Bonus: {{ bonus }}")
        doc.add_paragraph("{%p endif %}")
        doc.add_paragraph("Yours sincerely, {{ signer }}")

    tpl = make(build)
    context = {
        "company": "Tom & Jerry <Ltd>",
        "candidate": {"first_name": "Zoë", "last_name": "O'Brien"},
        "role": "HR Partner",
        "start": "2 June 2025",
        "bonus": "10%",
        "signer": "王小明",
    }
    # Speed is measured in bench/, never in a timed test; here: many renders stay correct and identical.
    first = tpl.render(context)
    assert all(tpl.render(context) == first for _ in range(50))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_rendered_document(make: Callable[..., DocxTemplate], tmp_path: Path) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("Dear {{ name }},")
        doc.add_table(rows=3, cols=1)
        doc.tables[0].cell(0, 0).text = "{%tr for d in duties %}"
        doc.tables[0].cell(1, 0).text = "Duty: {{ d }}"
        doc.tables[0].cell(2, 0).text = "{%tr endfor %}"

    rendered = tmp_path / "rendered.docx"
    rendered.write_bytes(make(build).render({"name": "Tom & Jerry <Ltd>", "duties": ["Hire"]}))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered)],
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    pdf = tmp_path / "rendered.pdf"
    if shutil.which("pdftotext") is None:
        assert pdf.stat().st_size > 0
        return
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    assert "Dear Tom & Jerry <Ltd>," in text
    assert "Duty: Hire" in text


def test_value_paragraph_keeps_the_section_break_of_its_paragraph(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("{{p intro }}")
        doc.add_section()
        doc.add_paragraph("Second section")

    out = make(build).render({"intro": "First\asecond"})
    result = read(out)
    assert [p.text for p in result.paragraphs] == ["First", "second", "", "Second section"]
    assert len(result.sections) == 2
    assert sum(len(p._p.findall(f".//{{{W_NS}}}sectPr")) for p in result.paragraphs) == 1


def test_grid_follows_the_columns_a_loop_makes(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        table = doc.add_table(rows=1, cols=4)
        texts = ["Days", "{%tc for d in days %}", "{{ d }}", "{%tc endfor %}"]
        for cell, text in zip(table.rows[0].cells, texts, strict=True):
            cell.text = text

    tpl = make(build)
    for days in ([], ["Mon"], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]):
        tbl = read(tpl.render({"days": days})).tables[0]._tbl
        cols = tbl.findall(f"{{{W_NS}}}tblGrid/{{{W_NS}}}gridCol")
        assert len(cols) == 1 + len(days)
        assert sum(int(c.get(f"{{{W_NS}}}w")) for c in cols) == pytest.approx(4 * 2160, abs=len(cols))


def test_run_forms_with_macros_and_the_text_beside_them(make: Callable[..., DocxTemplate]) -> None:
    def build(doc: DocumentObject) -> None:
        doc.add_paragraph("{% macro shout(v) %}{{ v | upper }}!{% endmacro %}Hi")
        p = doc.add_paragraph("Say ")
        p.add_run("{{r shout(name) }} and {%r if formal %}kindly {%r endif %}go").italic = True

    tpl = make(build)
    para = read(tpl.render({"name": "a&b", "formal": False})).paragraphs[1]
    assert para.text == "Say A&B! and go"
    assert [r.text for r in para.runs if r.italic] == ["A&B!", " and ", "go"]
    assert read(tpl.render({"name": "x", "formal": True})).paragraphs[1].text == "Say X! and kindly go"


def test_joining_keeps_words_typed_beside_the_tag(make: Callable[..., DocxTemplate]) -> None:
    tpl = make(
        paragraphs(
            "We offer", "you{%- if remote %} a remote role{%- else %} an office role{% endif %}", "End"
        )
    )
    assert body(tpl.render({"remote": True})) == ["We offeryou a remote role", "End"]
    assert body(tpl.render({"remote": False})) == ["We offeryou an office role", "End"]
