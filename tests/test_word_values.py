"""Values richer than text: rich-text filters, pictures, the signatory's signature, sub-documents.

The Word templates here are made by LibreOffice from HTML (so their runs are split as an editor splits
them) or with python-docx; the letters are rendered through the CLI as a recruiter runs it, read back
with python-docx, and opened by LibreOffice (PDF, pdftotext, pdfimages) where a reader matters.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from hrdocs.word.sink import IMAGE, PackageSink
from hrdocs.writers.zipfast import deflate
from tests.conftest import Outcome
from tests.util import PDFTOTEXT, SOFFICE, needs_libreoffice

PDFIMAGES = shutil.which("pdfimages")
needs_poppler = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT and PDFIMAGES), reason="LibreOffice and poppler are not installed"
)
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EMU_PER_CM = 360_000


def png(width: int, height: int, dpi: float | None = None, *, claim: tuple[int, int] | None = None) -> bytes:
    """A real PNG (stripes), or with ``claim`` one whose header states another size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    line = b"\x00" + b"".join(b"\x1f\x4e\x79" if x % 5 < 2 else b"\xff\xff\xff" for x in range(width))
    rows = line * height
    w, h = claim or (width, height)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    if dpi:
        per_metre = round(dpi / 0.0254)
        out += chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    return out + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


SIGNATURE = png(300, 100, dpi=300)  # 1 x 1/3 inch at its own resolution


def from_html(tmp: Path, pages: dict[str, str]) -> dict[str, bytes]:
    """Word files made by LibreOffice from HTML, all in one run: its runs are split as an editor's."""
    folder = tmp / "html"
    folder.mkdir(exist_ok=True)
    for name, body in pages.items():
        (folder / f"{name}.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    soffice(
        tmp,
        "docx:MS Word 2007 XML",
        [folder / f"{n}.html" for n in pages],
        folder,
        infilter="HTML (StarWriter)",
    )
    return {name: (folder / f"{name}.docx").read_bytes() for name in pages}


def soffice(tmp: Path, to: str, files: list[Path], outdir: Path, infilter: str | None = None) -> None:
    args = [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp / 'lo-profile'}"]
    args += [f"--infilter={infilter}"] if infilter else []
    subprocess.run([*args, "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=240)  # fmt: skip


def to_pdf(tmp: Path, path: Path) -> tuple[str, str]:
    """(text, pdfimages -list) of ``path`` converted by LibreOffice."""
    out = tmp / "pdf"
    out.mkdir(exist_ok=True)
    soffice(tmp, "pdf", [path], out)
    pdf = out / f"{path.stem}.pdf"
    text = subprocess.run([str(PDFTOTEXT), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    images = subprocess.run([str(PDFIMAGES), "-list", str(pdf)], check=True, capture_output=True, text=True)
    return text, images.stdout


def render(
    hrdocs: Callable[..., Outcome], ws: Path, name: str, data: dict[str, object], *formats: str
) -> Outcome:
    (ws / "data.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return hrdocs("render", name, "--data", "data.yaml", "--format", ",".join(formats or ("docx",)), cwd=ws)


def run_props(run: docx.text.run.Run) -> tuple[object, ...]:
    colour = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
    return (run.text, run.bold, run.italic, run.underline, colour, run.font.size, run.font.name)


def picture_parts(doc: docx.document.Document) -> list[tuple[int, int, str, bytes]]:
    """(width, height, content type, bytes) of every inline picture."""
    out = []
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        part = doc.part.related_parts[rid]
        out.append((shape.width, shape.height, part.content_type, part.blob))
    return out


# ------------------------------------------------------------------------------------ rich text
@needs_libreoffice
def test_rich_filters_in_a_word_template_made_by_libreoffice(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    made = from_html(tmp_path, {"welcome": (
        '<p style="font-family: Georgia; font-size: 14pt">Dear {{r name | bold | color(\'C00000\') | size(16)'
        " | font('Arial') }}, <i>welcome</i> to {{ company.name }}.</p>"
        "<p>Note: {{r note | markdown }}</p>"
        "<p>Visit {{ 'our careers site' | link('https://acme.example/jobs?a=1&amp;b=2') | italic }}"
        " today.</p>"
        "<p>Also {{ name | strike | highlight }} and {{ name | underline | highlight('FFE699') }}.</p>"
    )})  # fmt: skip
    ws = make_workspace({"templates/welcome.docx": made["welcome"]})
    note = "Start **Monday** at *nine*,\nsee [the guide](https://acme.example/guide) & <bring> ID"
    result = render(hrdocs, ws, "welcome", {"name": "Tom & <Jerry>", "note": note})
    assert result.code == 0, result.err
    doc = docx.Document(str(ws / "output/welcome/data.docx"))
    first, second, third, fourth = doc.paragraphs[:4]

    assert first.text == "Dear Tom & <Jerry>, welcome to Acme Widgets."
    name = next(r for r in first.runs if r.text == "Tom & <Jerry>")
    assert run_props(name) == ("Tom & <Jerry>", True, None, None, RGBColor(0xC0, 0, 0), Pt(16), "Arial")
    dear = next(r for r in first.runs if r.text.startswith("Dear"))
    assert (dear.font.name, dear.font.size, dear.bold) == ("Georgia", Pt(14), None)  # the template's own

    assert second.text == "Note: Start Monday at nine,\nsee the guide & <bring> ID"
    looks = {r.text: (r.bold, r.italic) for r in second.runs}
    assert looks["Monday"] == (True, None) and looks["nine"] == (None, True)
    links = second._p.findall(qn("w:hyperlink"))
    assert ["".join(t.text for t in h.iter(qn("w:t"))) for h in links] == ["the guide"]
    rels = doc.part.rels
    assert rels[links[0].get(f"{{{R_NS}}}id")].target_ref == "https://acme.example/guide"
    assert rels[links[0].get(f"{{{R_NS}}}id")].is_external

    (link,) = third._p.findall(qn("w:hyperlink"))
    assert rels[link.get(f"{{{R_NS}}}id")].target_ref == "https://acme.example/jobs?a=1&b=2"
    assert third.text == "Visit our careers site today."
    assert link.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:i')}") is not None

    struck = fourth.runs[1]._r.rPr
    assert (
        struck.find(qn("w:strike")) is not None
        and struck.find(qn("w:highlight")).get(qn("w:val")) == "yellow"
    )
    shaded = fourth.runs[3]._r.rPr
    assert shaded.find(qn("w:shd")).get(qn("w:fill")) == "FFE699" and fourth.runs[3].underline

    text, _ = to_pdf(tmp_path, ws / "output/welcome/data.docx")  # LibreOffice opens it
    assert "Dear Tom & <Jerry>, welcome to Acme Widgets." in text
    assert "see the guide & <bring> ID" in text


def test_rich_values_in_a_text_template_reach_docx_and_html(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    ws = make_workspace({"templates/hello.md.j2": (
        "Dear {{ name | bold | color('C00000') }}, see {{ note | markdown }}.\n\n"
        "Apply at {{ 'our site' | link('https://acme.example/jobs') }}.\n"
    )})  # fmt: skip
    result = render(
        hrdocs, ws, "hello", {"name": "Tom & <Jerry> *x*", "note": "*soon* **now**"}, "docx", "html", "md"
    )
    assert result.code == 0, result.err
    doc = docx.Document(str(ws / "output/hello/data.docx"))
    runs = {r.text: (r.bold, r.italic) for r in doc.paragraphs[0].runs}
    assert runs["Tom & <Jerry> *x*"] == (True, None)  # escaped exactly as a plain value: no italic
    assert runs["soon"] == (None, True) and runs["now"] == (True, None)
    page = (ws / "output/hello/data.html").read_text(encoding="utf-8")
    assert "<strong>Tom &amp; &lt;Jerry&gt; *x*</strong>" in page
    assert "<em>soon</em> <strong>now</strong>" in page
    assert '<a href="https://acme.example/jobs">our site</a>' in page
    assert "**Tom \\& \\<Jerry\\> \\*x\\***" in (ws / "output/hello/data.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("tag", "data", "said"),
    [
        ("{{r note | bold }}", {"note": None}, "note"),
        ("{{r missing | bold }}", {}, "undefined variable"),
        ("{{ note | markdown }}", {"note": ["a", "b"]}, "note"),
        ("{{ 'x' | link('javascript:alert(1)') }}", {}, "https://, http:// or mailto:"),
        ("{{ 'x' | color('red') }}", {}, "six hex digits"),
    ],
)
def test_bad_rich_values_are_refused_with_the_place(
    make_workspace: Callable[..., Path],
    hrdocs: Callable[..., Outcome],
    tag: str,
    data: dict[str, object],
    said: str,
) -> None:
    ws = make_workspace({"templates/hi.docx": word_template("Hello", f"Dear {tag}.")})
    result = render(hrdocs, ws, "hi", data)
    assert result.code == 1
    assert "hi.docx: body, paragraph 2" in result.err and said in result.err
    assert not (ws / "output/hi/data.docx").exists()


# ------------------------------------------------------------------------------------- pictures
def word_template(*paragraphs: str) -> bytes:
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    return saved(doc)


def saved(doc: docx.document.Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@needs_poppler
def test_image_in_a_word_template_has_its_size_type_and_prints(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    ws = make_workspace({
        "templates/signed.docx": word_template(
            "Signed: {{ image('art/signature.png', width='4cm', alt='Signature of Riley Park') }} by Riley",
            "{{p image('art/signature.png') }}",
            "{{r image('art/photo.jpeg', height='2cm') }}",
        ),
        "art/signature.png": SIGNATURE,
        "art/photo.jpeg": _jpeg(),
    })  # fmt: skip
    result = render(hrdocs, ws, "signed", {})
    assert result.code == 0, result.err
    out = ws / "output/signed/data.docx"
    doc = docx.Document(str(out))
    pictures = picture_parts(doc)
    assert [(w, h, ct) for w, h, ct, _ in pictures] == [
        (4 * EMU_PER_CM, round(4 * EMU_PER_CM / 3), "image/png"),  # one side given: the proportions kept
        (914_400, 304_800, "image/png"),  # none: its own 300 DPI
        (round(2 * EMU_PER_CM * 395 / 512), 2 * EMU_PER_CM, "image/jpeg"),
    ]
    assert pictures[0][3] == SIGNATURE
    assert doc.paragraphs[0].text == "Signed:  by Riley"
    assert doc.inline_shapes[0]._inline.docPr.get("descr") == "Signature of Riley Park"
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/hrdocs-")]
        assert len(media) == 2  # the signature, printed twice, is stored once
        types = z.read("[Content_Types].xml").decode()
        assert 'Extension="png"' in types and 'Extension="jpeg"' in types
    text, images = to_pdf(tmp_path, out)
    assert "Signed:" in text and "by Riley" in text
    listed = [line.split() for line in images.splitlines()[2:]]
    assert [(row[3], row[4]) for row in listed[:2]] == [("300", "100"), ("300", "100")]
    assert len(listed) == 3  # the photo too (LibreOffice resamples it to the PDF's resolution)


def _jpeg() -> bytes:
    """A real JPEG (python-docx ships one as its default template's thumbnail: 395 x 512)."""
    with zipfile.ZipFile(Path(docx.__file__).parent / "templates" / "default.docx") as z:
        return z.read("docProps/thumbnail.jpeg")


HOSTILE = {
    "a program renamed": ("art/photo.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a PNG or JPEG picture"),
    "a PNG claiming 100000 x 100000 px": (
        "art/huge.png",
        png(4, 4, claim=(100_000, 100_000)),
        "100,000 × 100,000",
    ),
    "a path out": ("../../etc/passwd", None, "leads outside the workspace"),
    "a link out": ("art/link.png", "link", "a symbolic link to"),
    "a damaged PNG": ("art/cut.png", SIGNATURE[:20], "damaged PNG"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_pictures_are_refused_naming_the_file(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome], case: str
) -> None:
    name, content, said = HOSTILE[case]
    files: dict[str, str | bytes] = {"templates/signed.docx": word_template("Hi", "{{ image(picture) }}")}
    if isinstance(content, bytes):
        files[name] = content
    ws = make_workspace(files)
    if content == "link":
        (ws / "art").mkdir()
        outside = ws.parent / "secret.png"
        outside.write_bytes(SIGNATURE)
        (ws / name).symlink_to(outside)
    result = render(hrdocs, ws, "signed", {"picture": name})
    assert result.code == 1
    assert f"signed.docx: body, paragraph 2 (\"{{{{ image(picture) }}}}\"): image '{name}'" in result.err
    assert said in result.err
    assert not (ws / "output/signed/data.docx").exists()


def test_a_picture_per_row_in_a_batch(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    ws = make_workspace({
        "kinds/welcome.yaml": (
            "folder: welcome\nfile_name: \"{kind}-{candidate}\"\nfields:\n"
            "  candidate: {type: text, required: true}\n  signature_file: {type: text, help: a picture}\n"
        ),
        "templates/welcome.docx": word_template(
            "Welcome {{ candidate }}!", "{{p image(signature_file, height='1cm') }}"
        ),
        "signatures/ana.png": SIGNATURE,
        "signatures/sam.png": png(200, 100),
        "rows.csv": "candidate,signature_file\nAna Ruiz,signatures/ana.png\nSam Lee,signatures/sam.png\n",
    })  # fmt: skip
    result = hrdocs("batch", "rows.csv", "--kind", "welcome", cwd=ws)
    assert result.code == 0, result.err
    for who, picture, width in (("ana-ruiz", "ana", 3), ("sam-lee", "sam", 2)):
        doc = docx.Document(str(ws / f"output/welcome/welcome-{who}.docx"))
        ((w, h, _, data),) = picture_parts(doc)
        assert data == (ws / f"signatures/{picture}.png").read_bytes()
        assert (w, h) == (width * EMU_PER_CM, EMU_PER_CM)


WELCOME_KIND = (
    'folder: welcome\nfile_name: "{kind}-{candidate}"\nfields:\n'
    "  candidate: {type: text, required: true}\n  signature_file: {type: text, help: a picture}\n"
)


def test_templates_check_is_lenient_with_a_picture_named_by_the_data_only(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    per_row = "{{p image(signature_file, height='1cm') }}"
    ws = make_workspace({
        "kinds/welcome.yaml": WELCOME_KIND,
        "templates/welcome.docx": word_template("Welcome {{ candidate }}!", per_row),
        "art/signature.png": SIGNATURE,
    })  # fmt: skip
    result = hrdocs("templates", "check", cwd=ws)
    assert result.code == 0, result.err  # the sample of signature_file is a word, not a file
    literal = ("{{ image('art/signature.png', width='3cm') }}", "{{ image('art/missing.png') }}")
    (ws / "templates/welcome.docx").write_bytes(word_template("Welcome {{ candidate }}!", per_row, *literal))
    result = hrdocs("templates", "check", cwd=ws)
    assert result.code == 1
    assert (
        "paragraph 4 (\"{{ image('art/missing.png') }}\"): error: image 'art/missing.png': no such file"
        in (result.out + result.err)
    )
    assert "paragraph 2" not in result.out + result.err and "paragraph 3" not in result.out + result.err
    bad_size = "{{p image(signature_file, height='9 parsecs') }}"
    (ws / "templates/welcome.docx").write_bytes(word_template("Welcome {{ candidate }}!", bad_size))
    result = hrdocs("templates", "check", cwd=ws)
    assert result.code == 1 and "height: a length such as '4cm'" in result.out + result.err


# -------------------------------------------------------------------------------- sub-documents
def benefits_docx(picture: bytes) -> bytes:
    """A clause file as HR keeps it: a style of its own, a numbered list of its own, a picture."""
    doc = docx.Document()
    style = doc.styles.add_style("Clause Heading", WD_STYLE_TYPE.PARAGRAPH)
    style.font.bold, style.font.color.rgb, style.font.size = True, RGBColor(0x1F, 0x4E, 0x79), Pt(13)
    doc.add_paragraph("Benefits summary", style="Clause Heading")
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
    )
    first = numbering.find(qn("w:num"))
    first.addprevious(abstract) if first is not None else numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="77"/></w:num>'))
    for text in ("Health insurance from day one", "25 days of paid leave", "A pension"):
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="50"/></w:numPr>')
        )
    doc.add_paragraph().add_run().add_picture(io.BytesIO(picture))
    return saved(doc)


@needs_libreoffice
def test_a_sub_document_keeps_its_style_list_and_picture(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    template = docx.Document()
    template.add_paragraph("Your benefits:")
    own = template.add_paragraph("First: {{ 'kept' }}")
    template.add_paragraph("{{p subdoc('clauses/benefits.docx') }}")
    template.add_paragraph("Again, briefly:")
    template.add_paragraph("{{p subdoc('clauses/benefits.docx') }}")
    own.style = template.styles["List Number"]  # the template's own list
    clause = benefits_docx(SIGNATURE)
    ws = make_workspace({"templates/offer-pack.docx": saved(template), "clauses/benefits.docx": clause})
    result = render(hrdocs, ws, "offer-pack", {})
    assert result.code == 0, result.err
    out = ws / "output/offer-pack/data.docx"
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:6] == ["Your benefits:", "First: kept", "Benefits summary", "Health insurance from day one",
                         "25 days of paid leave", "A pension"]  # fmt: skip
    heading = doc.paragraphs[2]
    assert heading.style.name == "Clause Heading"
    assert heading.style.font.color.rgb == RGBColor(0x1F, 0x4E, 0x79) and heading.style.font.bold
    items = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    ids = {p._p.pPr.numPr.numId.val for p in items}
    assert len(items) == 6 and len(ids) == 1  # both inclusions, one list definition of their own
    (num_id,) = ids
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
    )
    assert abstract.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "decimal"
    children = [el.tag for el in numbering]
    assert max(i for i, t in enumerate(children) if t == qn("w:abstractNum")) < min(
        i for i, t in enumerate(children) if t == qn("w:num")
    )  # Word's order kept
    assert [data for _, _, _, data in picture_parts(doc)] == [SIGNATURE, SIGNATURE]
    with zipfile.ZipFile(out) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/hrdocs-")]) == 1

    pdf = _pdf(tmp_path, out)
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "1. Health insurance from day one" in " ".join(text.split()).replace("1.  ", "1. ")
    assert "3. A pension" in " ".join(text.split())


def _pdf(tmp: Path, path: Path) -> Path:
    out = tmp / "pdf"
    out.mkdir(exist_ok=True)
    soffice(tmp, "pdf", [path], out)
    return out / f"{path.stem}.pdf"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("clauses/x.docx", b"not a zip", "not a Word .docx file"),
        ("../outside.docx", None, "leads outside the workspace"),
        ("clauses/notes.txt", b"hello", "give a .docx file"),
    ],
)
def test_bad_sub_documents_are_refused(
    make_workspace: Callable[..., Path],
    hrdocs: Callable[..., Outcome],
    name: str,
    content: bytes | None,
    said: str,
) -> None:
    files: dict[str, str | bytes] = {"templates/pack.docx": word_template("Hi", "{{p subdoc(clause) }}")}
    if content is not None:
        files[name] = content
    ws = make_workspace(files)
    result = render(hrdocs, ws, "pack", {"clause": name})
    assert result.code == 1
    assert "pack.docx: body, paragraph 2" in result.err and said in result.err


# ----------------------------------------------------------------- the signatory's signature
SIGNED_COMPANY = {"voice": {"signatory": {"signature_image": "art/signature.png", "signature_height": "2cm"}}}
OFFER = ["--date", "2026-12-01", "offer", "generalist", "--candidate", "Jane Q. Doe", "--salary", "72000",
         "--start", "2027-01-04", "--manager", "Dana Whitfield", "--location", "Denver, CO"]  # fmt: skip


def test_the_built_in_offer_shows_the_signature_above_the_name(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    ws = make_workspace({"art/signature.png": SIGNATURE}, company=SIGNED_COMPANY)
    result = hrdocs(*OFFER, "--format", "docx,html,pdf", "--pdf-engine", "typst", cwd=ws)
    assert result.code == 0, result.err
    folder = ws / "output/offers"
    doc = docx.Document(str(folder / "offer-jane-q-doe-hr-generalist.docx"))
    ((w, h, ct, data),) = picture_parts(doc)
    assert (w, h, ct, data) == (6 * EMU_PER_CM, 2 * EMU_PER_CM, "image/png", SIGNATURE)
    signed = next(p for p in doc.paragraphs if p._p.findall(f".//{qn('w:drawing')}"))
    lines = signed.text.split("\n")
    assert lines[lines.index("Riley Park") - 1] == ""  # the picture's line, just above the name
    assert lines[0] in ("Warm regards,", "Sincerely,", "Best,")
    page = (folder / "offer-jane-q-doe-hr-generalist.html").read_text(encoding="utf-8")
    signature = page[page.index('<div class="signature">') :]
    assert signature.index('<img class="signature-image" src="data:image/png;base64,') < signature.index(
        "Riley Park"
    )
    assert "http" not in signature[: signature.index("Riley Park")]  # nothing fetched
    if PDFIMAGES:
        pdf = folder / "offer-jane-q-doe-hr-generalist.pdf"
        images = subprocess.run(
            [PDFIMAGES, "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert [line.split()[3:5] for line in images.splitlines()[2:]] == [["300", "100"]]


def test_a_signature_that_is_no_picture_is_refused_with_its_line(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    ws = make_workspace({"art/signature.png": b"%PDF-1.7 not a picture"}, company=SIGNED_COMPANY)
    result = hrdocs(*OFFER, cwd=ws)
    assert result.code == 1
    assert "hrdocs.yaml:" in result.err and "voice.signatory.signature_image" in result.err
    assert "signature.png is not a PNG or JPEG picture" in result.err


# ------------------------------------------------------------------------------------- the sink
def test_the_sink_changes_nothing_unless_asked_and_stores_bytes_once() -> None:
    members = [deflate("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'content-types"/>'), deflate("word/document.xml", b"<w:document/>")]  # fmt: skip
    sink = PackageSink()
    assert sink.finish(members) is members
    first = sink.add_part("hrdocs", "png", SIGNATURE, "image/png")
    assert sink.add_part("hrdocs", "png", SIGNATURE, "image/png") == first == "word/media/hrdocs-1.png"
    rid = sink.relate(IMAGE, first)
    assert sink.relate(IMAGE, first) == rid
    sink.part = "word/header1.xml"
    other = sink.relate(IMAGE, first)
    assert other != rid
    names = [m.name for m in sink.finish(members)]
    assert names == ["[Content_Types].xml", "word/document.xml", first, "word/_rels/document.xml.rels",
                     "word/_rels/header1.xml.rels"]  # fmt: skip


def test_image_and_subdoc_in_a_text_template_are_refused_with_the_line(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    ws = make_workspace(
        {
            "templates/note.md.j2": "Hello\n\n{{ image('art/signature.png') }}\n",
            "art/signature.png": SIGNATURE,
        }
    )
    result = render(hrdocs, ws, "note", {})
    assert result.code == 1
    assert "note.md.j2:3" in result.err and "image() places a picture in Word templates only" in result.err


def test_a_link_in_a_footer_is_related_from_the_footer(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    template = docx.Document()
    template.add_paragraph("Body: {{ 'jobs' | link('https://acme.example/jobs') }}")
    template.sections[0].footer.paragraphs[
        0
    ].text = "Footer: {{ 'privacy' | link('mailto:privacy@acme.example') }}"
    ws = make_workspace({"templates/linked.docx": saved(template)})
    result = render(hrdocs, ws, "linked", {})
    assert result.code == 0, result.err
    doc = docx.Document(str(ws / "output/linked/data.docx"))
    footer = doc.sections[0].footer
    (link,) = footer.paragraphs[0]._p.findall(qn("w:hyperlink"))
    assert footer.part.rels[link.get(f"{{{R_NS}}}id")].target_ref == "mailto:privacy@acme.example"
    (body_link,) = doc.paragraphs[0]._p.findall(qn("w:hyperlink"))
    assert doc.part.rels[body_link.get(f"{{{R_NS}}}id")].target_ref == "https://acme.example/jobs"
    assert footer.paragraphs[0].text == "Footer: privacy"


@pytest.mark.parametrize(
    "tag",
    [
        "{{ image.root }}",
        "{{ image._root.parent }}",
        "{{ subdoc('clauses/benefits.docx')._styles[0].getroottree() }}",
        "{{ image.__call__.__globals__ }}",
    ],
)
def test_the_values_reach_no_file_through_the_sandbox(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome], tag: str
) -> None:
    ws = make_workspace({
        "templates/peek.docx": word_template("Hi", tag),
        "art/signature.png": SIGNATURE,
        "clauses/benefits.docx": benefits_docx(SIGNATURE),
    })  # fmt: skip
    result = render(hrdocs, ws, "peek", {})
    assert result.code == 1
    assert "peek.docx: body, paragraph 2" in result.err
