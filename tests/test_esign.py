"""E-signature tags (``esign.provider``): in the DOCX and in the PDF's text, invisible in print.

Each provider's tags are read back as the provider reads them: python-docx finds them as runs (white,
2 pt) and pdftotext finds them in the PDF's text layer. That they are invisible is checked on the page
as drawn: pdftotext -bbox gives each tag's box, pdftoppm draws the page in grey, and every pixel inside
the box is white — while the same check finds ink in the box of a visible word of the same block.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections.abc import Callable
from html import unescape
from pathlib import Path

import docx
import pytest

from hrdocs import esign
from hrdocs.docmodel import Container, Paragraph, Span
from hrdocs.session import Session
from tests.conftest import Outcome
from tests.util import needs_libreoffice

Run = Callable[..., Outcome]
POPPLER = {tool: shutil.which(tool) for tool in ("pdftotext", "pdftoppm")}
needs_poppler = pytest.mark.skipif(
    not all(POPPLER.values()), reason="poppler-utils is not installed; .ci/run installs it"
)
PROVIDERS = ("docusign", "dropbox-sign", "adobe-sign")
DATE = "2026-12-01"
OFFER = (
    *("offer", "generalist", "--candidate", "Jane Doe", "--salary", "70000", "--start", "2027-01-04"),
    *("--manager", "Dana Whitfield", "--location", "Denver, CO"),
)
DPI = 150


def tags_of(provider: str, *, signatory: bool) -> list[str]:
    """The tags the built-in table gives, read from the data file itself (not from a copy here)."""
    import yaml

    table = yaml.safe_load((esign.BUILTIN / f"{provider}.yaml").read_text(encoding="utf-8"))
    people = ["candidate", "signatory"] if signatory else ["candidate"]
    return [table[p][f]["text"] for p in people for f in ("signature", "name", "date") if f in table[p]]


def workspace(
    make_workspace: Callable[..., Path], provider: str, *, signatory: bool = False, **files: str
) -> Path:
    return make_workspace(files, company={"esign": {"provider": provider, "signatory": signatory}})


def offer(hrdocs: Run, ws: Path, *formats: str, out: str = "out") -> dict[str, Path]:
    result = hrdocs("--date", DATE, *OFFER, "-f", ",".join(formats), "-o", out, cwd=ws)
    assert result.code == 0, result.err
    return {f: next((ws / out).glob(f"*.{f}")) for f in formats}


def hidden_runs(path: Path) -> dict[str, tuple[str | None, float | None]]:
    """Every run's text -> (colour, size in points), for the runs printed in another colour or size."""
    found = {}
    for paragraph in docx.Document(str(path)).paragraphs:
        for run in paragraph.runs:
            if run.font.color.rgb is not None or run.font.size is not None:
                colour = str(run.font.color.rgb) if run.font.color.rgb is not None else None
                found[run.text] = (colour, run.font.size.pt if run.font.size else None)
    return found


def boxes(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) for every word pdftotext finds, in points."""
    html = subprocess.run(
        [str(POPPLER["pdftotext"]), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out = []
    for page, body in enumerate(re.split(r"<page ", html)[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body
        ):
            out.append((page, *(float(m[k]) for k in range(1, 5)), unescape(m[5])))
    return out


def darkest(pdf: Path, page: int, box: tuple[float, float, float, float], tmp: Path) -> int:
    """The darkest grey (0 black .. 255 white) inside ``box`` (points) of the page drawn at DPI."""
    stem = tmp / f"page{page}"
    subprocess.run(
        [
            str(POPPLER["pdftoppm"]),
            "-gray",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    (image,) = tmp.glob(f"page{page}*.pgm")
    data = image.read_bytes()
    head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert head is not None
    width, height = int(head[1]), int(head[2])
    pixels = data[head.end() :]
    image.unlink()
    scale = DPI / 72
    # the pixels wholly inside the box: its edge touches the blank line's first underscore
    x0, y0 = (math.ceil(v * scale) + 1 for v in box[:2])
    x1, y1 = (math.floor(v * scale) - 1 for v in box[2:])
    assert x0 <= x1 and y0 <= y1, box
    return min(
        pixels[y * width + x] for y in range(y0, min(height, y1 + 1)) for x in range(x0, min(width, x1 + 1))
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_tags_are_runs_of_the_docx_white_and_tiny(
    provider: str, hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace, provider, signatory=True)
    files = offer(hrdocs, ws, "docx", "html", "md")
    runs = hidden_runs(files["docx"])
    for tag in tags_of(provider, signatory=True):
        assert tag in runs, (tag, runs)
        colour, size = runs[tag]
        assert colour == "FFFFFF" and size is not None and size <= 2.0
    # the candidate's signature tag stands on the signature line, before its blank
    lines = [p.text for p in docx.Document(str(files["docx"])).paragraphs]
    signature = tags_of(provider, signatory=False)[0]
    (line,) = [t for t in lines if signature in t]
    assert line.startswith("Signature:") and line.index(signature) < line.index("___")
    # HTML and Markdown carry none: nobody sends those for signature, and screen readers would read them
    for fmt in ("html", "md"):
        text = files[fmt].read_text(encoding="utf-8")
        assert not any(tag in text for tag in tags_of(provider, signatory=True)), fmt


@needs_poppler
@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_tags_are_in_the_pdf_text_and_invisible_on_the_page(
    provider: str, hrdocs: Run, make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    ws = workspace(make_workspace, provider, signatory=True)
    pdf = offer(hrdocs, ws, "pdf")["pdf"]
    text = subprocess.run([str(POPPLER["pdftotext"]), str(pdf), "-"], capture_output=True, text=True).stdout
    words = boxes(pdf)
    for tag in tags_of(provider, signatory=True):
        assert tag in text, tag
        pieces = tag.split()
        found = [w for w in words if w[5] == pieces[0]]
        assert found, (tag, [w[5] for w in words][-20:])
        page, x0, y0, x1, y1, _ = found[0]
        assert darkest(pdf, page, (x0, y0, x1, y1), tmp_path) >= 250, f"{tag} shows on the page"
    # the same look at a word the reader sees finds ink: the check can fail
    page, x0, y0, x1, y1, _ = next(w for w in words if w[5] == "Signature:")
    assert darkest(pdf, page, (x0, y0, x1, y1), tmp_path) < 100


def test_the_company_signatory_s_tags_only_when_asked(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace, "dropbox-sign", signatory=False)
    runs = hidden_runs(offer(hrdocs, ws, "docx")["docx"])
    assert "[sig|req|signer1]" in runs and not any("signer2" in t for t in runs)
    plain = make_workspace(name="plain")
    assert hidden_runs(offer(hrdocs, plain, "docx")["docx"]) == {}  # esign.provider: none (the default)


def test_a_workspace_table_replaces_a_tag_and_a_mistake_in_it_is_located(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    own = "candidate:\n  name:\n    text: '{{Name_es_:signer1:text}}'\n    source: our Acrobat Sign account\n"
    ws = workspace(make_workspace, "adobe-sign", **{"esign/adobe-sign.yaml": own})
    runs = hidden_runs(offer(hrdocs, ws, "docx")["docx"])
    assert "{{Name_es_:signer1:text}}" in runs and "{{N_es_:signer1:fullname}}" not in runs
    assert "{{Sig_es_:signer1:signature}}" in runs  # what the workspace's file leaves out stays built-in
    (ws / "esign/adobe-sign.yaml").write_text("size_pt: 40\n", encoding="utf-8")
    result = hrdocs("--date", DATE, *OFFER, "-f", "docx", "-o", "again", cwd=ws)
    assert result.code == 1 and "adobe-sign.yaml" in result.err and "size_pt" in result.err
    assert not (ws / "again").exists()


@needs_poppler
def test_a_batch_places_the_tags_in_docx_and_pdf_as_the_single_command_does(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace, "docusign")
    (ws / "offers.csv").write_text(
        "candidate,role,salary,start,manager,location\n"
        'Jane Doe,generalist,70000,2027-01-04,Dana Whitfield,"Denver, CO"\n'
        'Zoë Núñez,generalist,71000,2027-01-04,Dana Whitfield,"Denver, CO"\n',
        encoding="utf-8",
    )
    result = hrdocs(
        "--date", DATE, "batch", "offers.csv", "--kind", "offer", "-f", "docx,pdf", "-o", "b", cwd=ws
    )
    assert result.code == 0, result.err
    pdfs = sorted((ws / "b").glob("*.pdf"))
    assert len(pdfs) == 2 and len(list((ws / "b").glob("*.docx"))) == 2
    for pdf in pdfs:
        text = subprocess.run(
            [str(POPPLER["pdftotext"]), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        assert all(tag in text for tag in tags_of("docusign", signatory=False))
    single = offer(hrdocs, ws, "docx", "pdf")
    batch_pdf = ws / "b" / single["pdf"].name
    assert batch_pdf.read_bytes() == single["pdf"].read_bytes()  # the same bytes, tags and all
    assert hidden_runs(ws / "b" / single["docx"].name) == hidden_runs(single["docx"])


def test_tags_find_their_lines_or_go_last() -> None:
    """The placement rule on blocks: signature before the first blank, date before the last, name after
    the line after the signature's; a block with no blank gets every tag in one last line."""
    session = Session(None)
    import dataclasses

    settings = session.config.settings.model_copy(
        update={"esign": session.config.settings.esign.model_copy(update={"provider": "dropbox-sign"})}
    )
    signing = esign.of(dataclasses.replace(session.config, settings=settings))
    assert signing is not None
    block = Container(
        "acceptance",
        (
            Paragraph((Span("Signature: ____"),)),
            Paragraph((Span("Name: "), Span("Jane"))),
            Paragraph((Span("Date: ___"),)),
        ),
    )
    placed = esign.container(block, signing)
    texts = [[(type(s).__name__, s.text) for s in p.spans] for p in placed if isinstance(p, Paragraph)]
    assert texts[0] == [("Span", "Signature: "), ("Tag", "[sig|req|signer1]"), ("Span", "____")]
    assert texts[1][-1] == ("Tag", "[text|req|signer1|Printed name]")
    assert texts[2] == [("Span", "Date: "), ("Tag", "[date|req|signer1]"), ("Span", "___")]
    assert len(placed) == 3
    bare = Container("acceptance", (Paragraph((Span("I accept."),)),))
    (_, last) = esign.container(bare, signing)
    assert isinstance(last, Paragraph)
    assert [s.text for s in last.spans if s.text.strip()] == esign.all_tags(signing)
    assert esign.container(Container("signature", bare.blocks), signing) == bare.blocks  # only acceptance


@needs_poppler
@needs_libreoffice
def test_libreoffice_s_pdf_keeps_the_docx_s_tags(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    """``--pdf-engine libreoffice`` converts the DOCX, whose white 2 pt runs stay text in the PDF."""
    ws = workspace(make_workspace, "adobe-sign")
    result = hrdocs("--date", DATE, *OFFER, "-f", "pdf", "--pdf-engine", "libreoffice", "-o", "lo", cwd=ws)
    assert result.code == 0, result.err
    (pdf,) = (ws / "lo").glob("*.pdf")
    text = subprocess.run([str(POPPLER["pdftotext"]), str(pdf), "-"], capture_output=True, text=True).stdout
    assert all(tag in text for tag in tags_of("adobe-sign", signatory=False))


# ------------------------------------------------------------------------- in a Word template
def _word_template(*paragraphs: str) -> bytes:
    import io

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


ACCEPT = (
    "I accept this offer, {{ candidate.name }}.",
    "Signature: {{ esign.candidate_signature }}________  Date: {{ esign.candidate_date }}______",
    "Name: {{ candidate.name }}{{ esign.candidate_name }}",
    "For the company: {{ esign.signatory_signature }}________",
)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_word_template_places_the_providers_tags_where_its_author_puts_them(
    make_workspace: Callable[..., Path], hrdocs: Run, provider: str
) -> None:
    ws = workspace(make_workspace, provider)
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "offer-letter.docx").write_bytes(_word_template(*ACCEPT))
    written = offer(hrdocs, ws, "docx")["docx"]
    table = tags_of(provider, signatory=True)  # the template asks for the signatory's tag itself
    hidden = hidden_runs(written)
    for tag in table[:4]:  # the candidate's signature, name and date, the signatory's signature
        assert hidden.get(tag) == ("FFFFFF", 2.0), tag
    shown = [p.text for p in docx.Document(str(written)).paragraphs]
    assert shown[1].startswith(f"Signature: {table[0]}________")  # where the author typed it
    assert hrdocs("templates", "check", cwd=ws).code == 0


def test_a_word_template_prints_no_tag_without_a_provider(
    make_workspace: Callable[..., Path], hrdocs: Run
) -> None:
    ws = workspace(make_workspace, "none")
    (ws / "templates").mkdir(exist_ok=True)
    (ws / "templates" / "offer-letter.docx").write_bytes(_word_template(*ACCEPT))
    written = offer(hrdocs, ws, "docx")["docx"]
    shown = [p.text for p in docx.Document(str(written)).paragraphs]
    assert shown[1] == "Signature: ________  Date: ______" and shown[2] == "Name: Jane Doe"
    assert not hidden_runs(written)
