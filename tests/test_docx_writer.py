"""The job description as Word shows it: text, real styles, letterhead, footer, fonts, reproducibility."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

from hrdocs.api import Session, generate
from hrdocs.errors import ValidationFailed
from tests.seed_duties import SEED_DUTIES
from tests.util import docx_text, needs_libreoffice, pdf_text, write_files


@pytest.fixture(scope="module")
def jd_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("ws")
    session = Session(root)
    return {
        name: generate(session, "jd", {"role": name}).paths[0] for name in ("hr-generalist", "hr-executive")
    }


@pytest.mark.parametrize(("role", "area", "seed", "phrases"), SEED_DUTIES)
def test_every_seed_duty_reaches_the_document(
    jd_files: dict[str, Path], role: str, area: str, seed: str, phrases: tuple[str, ...]
) -> None:
    doc = docx.Document(str(jd_files[role]))
    area_names = {
        "strategic-planning": "Strategic Planning",
        "policy-formation": "Policy Formation",
        "employee-relations": "Employee Relations",
        "hr-operations": "HR Operations",
    }
    # the duty sits in a List Bullet paragraph after its area's heading
    current, found = None, []
    for p in doc.paragraphs:
        if p.style.name == "Heading 2":
            current = p.text
        elif current == area_names[area] and p.style.name == "List Bullet":
            found.append(p.text.lower())
    text = " ".join(found)
    terms = Session(jd_files[role].parents[2]).terms  # the company's preferred terms apply to duties too
    for phrase in phrases:
        assert terms(phrase).lower() in text, f"seed duty {seed!r} not under {area_names[area]}"


def test_structure_and_styles(jd_files: dict[str, Path]) -> None:
    doc = docx.Document(str(jd_files["hr-generalist"]))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert styled[0] == ("Title", "HR Generalist")
    headings = [t for s, t in styled if s == "Heading 1"]
    assert headings[:4] == ["Summary", "Duties and responsibilities", "Qualifications", "Competencies"]
    assert "About Example Co." in headings
    assert [t for s, t in styled if s == "Heading 2"][:4] == [
        "Strategic Planning",
        "Policy Formation",
        "Employee Relations",
        "HR Operations",
    ]
    facts = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert facts["Reports to"] == "HR Executive"
    assert facts["FLSA status"] == "Exempt"
    assert facts["Pay range"] == "$62,000 – $82,000 per year"
    assert any(s == "Small Print" and "equal opportunity employer" in t for s, t in styled)


def test_letterhead_footer_and_fonts(jd_files: dict[str, Path]) -> None:
    doc = docx.Document(str(jd_files["hr-generalist"]))
    section = doc.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "Example Co." in header and "1200 Sample Street" in header
    assert section.header.part.related_parts, "the logo image is in the header"
    footer_xml = section.footer._element.xml
    assert "EXAMPLE COMPANY" in "".join(p.text for p in section.footer.paragraphs)
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    assert doc.styles["Normal"].font.name == "Calibri"
    assert doc.styles["Normal"].font.size == Pt(11)
    assert doc.styles["Heading 1"].font.name == "Calibri Light"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x1F, 0x3A, 0x5F)
    assert round(section.page_width.inches, 2) == 8.5


def test_the_package_carries_no_unused_parts_or_table_styles(jd_files: dict[str, Path]) -> None:
    path = jd_files["hr-generalist"]
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
    assert not {n for n in names if "stylesWithEffects" in n or n.startswith("customXml/")}
    doc = docx.Document(str(path))
    tables = {s.name for s in doc.styles if s.type == WD_STYLE_TYPE.TABLE}
    assert tables == {"Normal Table", "Table Grid"}
    assert doc.tables[0].style.name == "Table Grid"
    assert {"Title", "Heading 1", "List Bullet", "List Number", "Small Print"} <= {s.name for s in doc.styles}
    assert path.stat().st_size < 20_000  # python-docx's default package alone is 37 kB


def test_output_is_byte_identical_run_after_run(tmp_path: Path) -> None:
    a = generate(Session(tmp_path / "a"), "jd", {"role": "generalist"}).paths[0]
    b = generate(Session(tmp_path / "b"), "jd", {"role": "generalist"}).paths[0]
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(io.BytesIO(a.read_bytes())) as z:
        assert z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


COMPANY = """
    company:
      name: Müller & Söhne GmbH
      address: [Hauptstraße 1, 80331 München]
      logo: {logo}
    voice:
      locale: de_DE
      currency: EUR
    brand:
      fonts: {{body: Georgia, heading: Georgia}}
      colours: {{primary: "AA0000"}}
      page: {{size: a4}}
      footer: {{text: Vertraulich, page_numbers: false}}
"""


def test_company_voice_and_brand_from_the_workspace(tmp_path: Path) -> None:
    logo = Path(__file__).parents[1] / "hrdocs/data/example-logo.png"
    write_files(tmp_path, {"hrdocs.yaml": COMPANY.format(logo=logo)})
    session = Session(tmp_path)
    path = generate(session, "jd", {"role": "generalist"}).paths[0]
    doc = docx.Document(str(path))
    assert "Müller & Söhne GmbH" in doc.sections[0].header.paragraphs[1].text
    assert doc.styles["Normal"].font.name == "Georgia"
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0xAA, 0, 0)
    assert "$62,000 – $82,000 per year" in docx_text(path)  # USD, in the (English) document's forms
    assert "".join(p.text for p in doc.sections[0].footer.paragraphs) == "Vertraulich"
    assert round(doc.sections[0].page_width.mm) == 210


def test_reference_docx_supplies_styles_header_and_footer(tmp_path: Path) -> None:
    ref = docx.Document()
    ref.styles["Normal"].font.name = "Courier New"
    ref.sections[0].header.paragraphs[0].text = "REFERENCE LETTERHEAD"
    ref.sections[0].footer.paragraphs[0].text = "REFERENCE FOOTER"
    ref.add_paragraph("content that must not appear")
    ref.save(str(tmp_path / "ref.docx"))
    write_files(tmp_path, {"hrdocs.yaml": "company: {name: Ref Inc.}\nbrand: {reference_docx: ref.docx}\n"})
    session = Session(tmp_path)
    path = generate(session, "jd", {"role": "generalist"}).paths[0]
    doc = docx.Document(str(path))
    assert doc.styles["Normal"].font.name == "Courier New"
    assert doc.sections[0].header.paragraphs[0].text == "REFERENCE LETTERHEAD"
    assert doc.sections[0].footer.paragraphs[0].text == "REFERENCE FOOTER"
    assert "content that must not appear" not in docx_text(path)
    assert doc.paragraphs[0].style.name == "Title"


def test_missing_logo_is_reported_with_its_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"hrdocs.yaml": "company:\n  name: X\n  logo: nowhere.png\n"})
    with pytest.raises(ValidationFailed, match=r"hrdocs\.yaml:3: company\.logo: logo image not found"):
        Session(tmp_path).config  # noqa: B018


def test_unreadable_logo_is_reported(tmp_path: Path) -> None:
    write_files(
        tmp_path, {"hrdocs.yaml": "company:\n  name: X\n  logo: logo.png\n", "logo.png": "not an image"}
    )
    with pytest.raises(ValidationFailed, match=r"hrdocs\.yaml:3: company\.logo: not a PNG, JPEG or GIF"):
        Session(tmp_path).config  # noqa: B018


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_opens_the_job_descriptions(jd_files: dict[str, Path], tmp_path: Path) -> None:
    for role, path in jd_files.items():
        text = pdf_text(path, tmp_path)
        title = "HR Generalist" if role == "hr-generalist" else "HR Executive"
        assert title in text
        assert "Example Co." in text  # the letterhead
        assert "Page 1 of" in text  # the footer fields


def test_a_block_that_is_not_well_formed_stops_the_document_and_is_not_remembered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from hrdocs.docmodel import parse_markdown
    from hrdocs.errors import HrdocsError
    from hrdocs.writers import docx as docx_writer

    writer = Session(None).docx
    doc = parse_markdown("# Title\n\nFirst paragraph.\n\nSecond paragraph.\n")
    good = writer.render(doc)
    real = docx_writer._Body.paragraph

    def broken(self: object, spans: object, style: object, **kw: object) -> str:
        xml = real(self, spans, style, **kw)  # type: ignore[arg-type]
        return xml.replace("</w:p>", "", 1) if "Second" in xml else xml

    monkeypatch.setattr(docx_writer._Body, "paragraph", broken)
    other = parse_markdown("# Title\n\nFirst paragraph.\n\nSecond paragraph, changed.\n")
    with pytest.raises(HrdocsError, match="not well-formed XML"):
        writer.render(other)
    with pytest.raises(HrdocsError, match="not well-formed XML"):  # not remembered as made
        writer.render(other)
    monkeypatch.setattr(docx_writer._Body, "paragraph", real)
    assert writer.render(doc) == good
    (tmp_path / "other.docx").write_bytes(writer.render(other))
    assert "Second paragraph, changed." in docx_text(tmp_path / "other.docx")
