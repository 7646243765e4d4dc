"""The Typst PDF writer, read back by real readers: poppler's pdftotext, pdffonts, pdfinfo, pdftoppm.

Each PDF is opened as a person's reader would open it: its words come back in reading order
(pdftotext), its fonts are embedded (pdffonts), its pages are drawn (pdftoppm, in grey, whose PGM
format needs no image library to read) and their ink is where the layout puts it. Names in every script
a name is written in print, with no box in place of a character. Values with every character Typst
gives a meaning to print literally (a property test). The same input gives the same bytes, in another
process too. PDF/A-2b carries the marks the standard asks for. Without poppler the tests that need it
are skipped, saying so (.ci/run installs poppler-utils).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hrdocs.docmodel import Document, Heading, Paragraph, Span
from hrdocs.pipeline import LIBREOFFICE, TYPST, pdf_engine
from hrdocs.session import Session
from hrdocs.writers.pdf_typst import TypstPdf, missing_glyphs
from hrdocs.writers.typst_markup import string
from tests.conftest import BASE_COMPANY, Outcome
from tests.util import needs_libreoffice

typst = pytest.importorskip("typst")
POPPLER = {tool: shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")}
needs_poppler = pytest.mark.skipif(
    not all(POPPLER.values()),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm) is not installed; .ci/run installs it",
)
Run = Callable[..., Outcome]
DATE = "2026-12-01"
OFFER = (
    *("offer", "generalist", "--salary", "70000", "--start", "2027-01-04"),
    *("--manager", "Dana Whitfield", "--location", "Denver, CO", "--address", "12 Elm St"),
)
NAMES = {
    "Latin": "Zoë Núñez-Ångström",
    "Cyrillic": "Жанна Иванова",
    "Greek": "Ελένη Παπαδοπούλου",
    "Chinese": "王小明",
    "Japanese": "山田さくら",
    "Korean": "김민준",
    "Arabic": "محمد عبد الله",
    "Hebrew": "שרה כהן",
    "Devanagari": "प्रिया शर्मा",
}
SCRIPT_FONTS = {"Chinese": "NotoSansCJK", "Arabic": "NotoSansArabic", "Hebrew": "NotoSansHebrew"}
SCRIPT_FONTS["Devanagari"] = "NotoSansDevanagari"
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Direction marks pdftotext puts around right-to-left text."""


# ------------------------------------------------------------------------------------------ readers
def run(tool: str, *args: str | Path) -> str:
    return subprocess.run(
        [str(POPPLER[tool]), *map(str, args)], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def words(text: str) -> str:
    """Text with its direction marks dropped and every run of white space one space."""
    return " ".join(BIDI.sub("", text).split())


def info(pdf: Path) -> dict[str, str]:
    lines = run("pdfinfo", pdf).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni of each font."""
    rows = run("pdffonts", pdf).splitlines()[2:]
    out = []
    for row in rows:
        cells = row.split()
        # name type... encoding emb sub uni object ID: the last five cells are fixed
        out.append({"name": cells[0], "type": " ".join(cells[1:-6]), "emb": cells[-5], "sub": cells[-4]})
    return out


def boxes(pdf: Path) -> list[tuple[int, float, float, str]]:
    """Every word with its page and position (top, as a share of the page's height): pdftotext -bbox."""
    page, height, out = 0, 1.0, []
    for line in run("pdftotext", "-bbox", pdf, "-").splitlines():
        if (found := re.search(r'<page width="[\d.]+" height="([\d.]+)"', line)) is not None:
            page, height = page + 1, float(found[1])
        elif (
            found := re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        ) is not None:
            out.append((page, float(found[1]) / height, float(found[2]) / height, found[3]))
    return out


def inked_rows(pdf: Path, tmp: Path) -> list[list[bool]]:
    """Each page drawn by pdftoppm at 40 dpi in grey: for each pixel row, whether anything is printed."""
    prefix = tmp / "page"
    run("pdftoppm", "-gray", "-r", "40", pdf, prefix)
    pages = []
    for path in sorted(tmp.glob("page*.pgm")):
        data = path.read_bytes()
        magic, width, height, _, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        w, h = int(width), int(height)
        pages.append([min(pixels[y * w : (y + 1) * w]) < 160 for y in range(h)])
    return pages


# ---------------------------------------------------------------------------------------- workspaces
@pytest.fixture
def ws(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace()


def offer(hrdocs: Run, ws: Path, *args: str, name: str = "Jane Doe", out: str = "out") -> Path:
    result = hrdocs("--date", DATE, *OFFER, "--candidate", name, "-f", "pdf", "-o", out, *args, cwd=ws)
    assert result.code == 0, result.err
    (pdf,) = (ws / out).glob("*.pdf")
    return pdf


@cache
def writer() -> TypstPdf:
    """One writer for the property tests (the built-in example company), made once: fonts are found once."""
    session = Session(Path(__file__).parent / "no-workspace-here")
    return session.typst_pdf


def single(text: str) -> Document:
    return Document("Escapes", [Heading(1, (Span("Escapes"),)), Paragraph((Span(text),))], kind="test")


# -------------------------------------------------------------------------------------------- tests
@needs_poppler
def test_an_offer_reads_in_order_with_its_metadata(hrdocs: Run, ws: Path) -> None:
    pdf = offer(hrdocs, ws)
    text = words(run("pdftotext", pdf, "-"))
    at = 0
    for phrase in (
        "Acme Widgets",
        "Your Offer to Join Us",
        "December 1, 2026",
        "Jane Doe 12 Elm St",
        "Dear Jane Doe,",
        "Position HR Generalist",
        "Your role",
        "Your pay",
        "Your benefits",
        "Health insurance from day one",
        "Before you start",
        "The fine print",
        "Riley Park Head of People Acme Widgets LLC",
        "Your acceptance",
        "Signature:",
        "Name: Jane Doe",
        "Date:",
        "Page 2 of 2",
    ):
        found = text.find(phrase, at)
        assert found >= 0, f"{phrase!r} not after position {at} in: {text[at : at + 300]}"
        at = found + len(phrase)
    meta = info(pdf)
    assert meta["Title"] == "Your Offer to Join Us" and meta["Author"] == "Acme Widgets"
    assert meta["Creator"].startswith("Typst") and meta["Tagged"] == "yes"
    assert meta["CreationDate"].startswith("Tue Dec  1 00:00:00 2026")  # the letter's date, not today's
    assert meta["Page size"].startswith("612 x 792") and meta["Pages"] == "2"


@needs_poppler
def test_fonts_are_embedded_and_subset(hrdocs: Run, ws: Path) -> None:
    found = fonts(offer(hrdocs, ws))
    assert found and all(f["emb"] == "yes" and f["sub"] == "yes" for f in found), found
    assert not [f for f in found if "Type 3" in f["type"]]
    assert any("Carlito" in f["name"] for f in found)  # Calibri's metric twin (fonts-crosextra-carlito)


@needs_poppler
def test_the_layout_on_the_page(hrdocs: Run, ws: Path, tmp_path: Path) -> None:
    pdf = offer(hrdocs, ws)
    pages = inked_rows(pdf, tmp_path)
    assert len(pages) == int(info(pdf)["Pages"]) == 2
    for rows in pages:
        height = len(rows)
        top = rows.index(True) / height
        assert 0.03 < top < 0.12  # the letterhead, 0.45 in from the edge
        assert any(rows[int(height * 0.90) : int(height * 0.97)])  # the footer: Page N of M
        assert not any(rows[int(height * 0.975) :])  # nothing in the last sixth of an inch
    placed = boxes(pdf)
    title = next(b for b in placed if b[3] == "Offer")
    assert title[0] == 1 and title[1] < 0.25
    last = len(pages)
    signature = [b for b in placed if b[3] in ("Riley", "acceptance", "Signature:")]
    assert {b[0] for b in signature} == {last}, signature
    assert max(b[2] for b in placed if b[0] == last and b[3] == "Date:") < 0.88  # above the footer


@needs_poppler
def test_the_acceptance_block_is_never_split_across_pages(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    for count in range(10, 31, 4):  # letters of different lengths: the block falls at different places
        benefits = [f"Benefit number {k} of a long list" for k in range(count)]
        folder = make_workspace(company={"company": {"benefits": benefits}}, name=f"w{count}")
        placed = boxes(offer(hrdocs, folder))
        pages = {b[0] for b in placed if b[3] in ("acceptance", "Signature:", "Name:", "Date:")}
        assert len(pages) == 1, (count, placed[-20:])


@needs_poppler
def test_a_name_in_every_script_prints(hrdocs: Run, ws: Path) -> None:
    name = " / ".join(NAMES.values())
    pdf = offer(hrdocs, ws, name=name)
    text = words(run("pdftotext", pdf, "-"))
    for script, written in NAMES.items():
        assert written in text, f"{script}: {written} not in {text[:400]}"
    used = " ".join(f["name"] for f in fonts(pdf))
    for script, font in SCRIPT_FONTS.items():
        assert font in used, f"{script}: no {font} embedded: {used}"
    assert all(f["emb"] == "yes" for f in fonts(pdf))
    assert missing_glyphs(pdf.read_bytes()) == 0


def test_a_character_no_font_has_is_found_and_reported() -> None:
    pdf_writer = writer()
    pdf_writer.news()
    assert missing_glyphs(pdf_writer.render(single("Ada \U0010fffd Lovelace"), when=date(2026, 1, 2))) == 1
    (said,) = pdf_writer.news()
    assert "1 character of this document print as a box" in said and "fonts-noto-core" in said
    assert missing_glyphs(pdf_writer.render(single("Ada Lovelace"), when=date(2026, 1, 2))) == 0
    assert pdf_writer.news() == []


TYPST_SPECIALS = "#$*_@<>[]{}()\\/`~'\"=+-.,:;!?&%^|"
ALPHABET = st.sampled_from(list(TYPST_SPECIALS) + list("azAZ09 éñüßøÅŒЖжΩπ€£§°±×…–—‘’“”«»¿¡"))


@needs_poppler
@settings(max_examples=40, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=40))
@example("Tom & Jerry <Ltd>")
@example("#set page(width: 1pt) $x^2$ *bold* _it_ @ref <label> [x] \\ // /* \"q\" 'q' -- --- ... ~")
@example("= Heading")
@example("- not a list")
@example('#read("/etc/passwd") #panic("no")')
@example("`raw` \\u{41} \\#")
@example("0 0")
def test_any_text_prints_exactly_as_given(tmp_path_factory: pytest.TempPathFactory, value: str) -> None:
    expected = words(value)
    if not expected:
        return
    pdf = tmp_path_factory.mktemp("esc") / "esc.pdf"
    pdf.write_bytes(writer().render(single(value), when=date(2026, 1, 2)))
    # -raw: the content's own order and spaces (the default layout mode joins one-letter words, "a a")
    printed = words(run("pdftotext", "-raw", pdf, "-"))
    assert printed.startswith("Example Co.")  # the letterhead, then the title, then the paragraph
    body = printed.split(" Escapes ", 1)[1]
    assert body.startswith(expected), (value, body)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t"), max_size=60))
@example('a\\b"c\nd\re\tf #$*_@[] \\u{41}')
def test_a_string_literal_reads_back_as_the_same_text(value: str) -> None:
    """Typst's own evaluator reads our literal as the very text (no font needed, so it is quick)."""
    read = typst.eval(b"", string(value), format="json", ignore_system_fonts=True)
    assert json.loads(read) == value


@needs_poppler
def test_links_are_clickable(tmp_path: Path) -> None:
    document = Document(
        "Links",
        [
            Paragraph(
                (Span("Apply "), Span("here", href="https://jobs.example/apply?a=1&b=2"), Span(" today."))
            ),
            Paragraph((Span("not this", href="javascript:alert(1)"),)),
        ],
    )
    pdf = tmp_path / "links.pdf"
    pdf.write_bytes(writer().render(document, when=date(2026, 1, 2)))
    urls = run("pdfinfo", "-url", pdf)
    assert "https://jobs.example/apply?a=1&b=2" in urls and "javascript" not in urls
    assert "Apply here today. not this" in words(run("pdftotext", pdf, "-"))


def test_the_same_letter_is_the_same_bytes_in_another_process(hrdocs: Run, ws: Path) -> None:
    first = offer(hrdocs, ws, out="a").read_bytes()
    assert offer(hrdocs, ws, out="b").read_bytes() == first
    command = [sys.executable, "-m", "hrdocs", "--date", DATE, *OFFER, "--candidate", "Jane Doe"]
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [*command, "-f", "pdf", "-o", "c"], cwd=ws, env=environment, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    (other,) = (ws / "c").glob("*.pdf")
    assert other.read_bytes() == first
    result = hrdocs("--date", "2026-12-02", *OFFER, "--candidate", "Jane Doe", "-f", "pdf", "-o", "d", cwd=ws)
    assert result.code == 0
    assert next((ws / "d").glob("*.pdf")).read_bytes() != first  # another day, another letter


@needs_poppler
def test_pdf_a_2b_carries_what_the_standard_asks_for(
    hrdocs: Run, ws: Path, make_workspace: Callable[..., Path]
) -> None:
    archival = make_workspace(company={"pdf": {"standard": "a-2b"}}, name="archival")
    pdf = offer(hrdocs, archival)
    data = pdf.read_bytes()
    xmp = data[data.index(b"<x:xmpmeta") : data.index(b"</x:xmpmeta>")].decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "Your Offer to Join Us" in xmp and "Acme Widgets" in xmp  # title and author, as in Info
    assert b"/OutputIntents" in data and b"/GTS_PDFA1" in data and b"/DestOutputProfile" in data
    assert b"/Encrypt" not in data and b"/JavaScript" not in data
    assert all(f["emb"] == "yes" for f in fonts(pdf))
    assert info(pdf)["PDF version"] == "1.7"
    plain = offer(hrdocs, ws).read_bytes()
    assert b"pdfaid:part" not in plain and b"/OutputIntents" not in plain
    verapdf = shutil.which("verapdf")
    if verapdf is not None:  # a real validator, where one is installed
        checked = subprocess.run([verapdf, "--flavour", "2b", str(pdf)], capture_output=True, text=True)
        assert 'isCompliant="true"' in checked.stdout, checked.stdout[-2000:]


def test_an_unknown_standard_or_engine_is_refused_naming_the_setting(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    for setting in ({"standard": "a-1a"}, {"engine": "word"}):
        folder = make_workspace(company={"pdf": setting}, name=f"bad-{next(iter(setting.values()))}")
        result = hrdocs("--date", DATE, *OFFER, "--candidate", "Jane Doe", "-f", "pdf", cwd=folder)
        assert result.code == 1 and f"pdf.{next(iter(setting))}" in result.err, result.err
        assert not (folder / "output").exists()


# ------------------------------------------------------------------------------------------ engines
def test_which_engine_makes_the_pdf(make_workspace: Callable[..., Path]) -> None:
    def engine(name: str, word: bool = False, **pdf: str) -> str:
        changes: dict[str, object] = {"pdf": pdf} if pdf else {}
        if name == "reference":
            changes["brand"] = {"reference_docx": "ref.docx"}
        folder = make_workspace(company=changes, name=f"{name}-{sorted(pdf.items())}")
        if name == "reference":
            import docx

            docx.Document().save(str(folder / "ref.docx"))
        return pdf_engine(Session(folder), word=word)

    assert engine("plain") == TYPST
    assert engine("plain", word=True) == LIBREOFFICE  # a Word template's look is Word's
    assert engine("plain", engine="libreoffice") == LIBREOFFICE
    assert engine("reference") == LIBREOFFICE  # styled by a reference .docx: Word's look too
    assert engine("reference", engine="typst") == TYPST


def test_without_typst_a_pdf_is_refused_before_anything_is_written(
    hrdocs: Run, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hrdocs.pipeline.typst_available", lambda: False)
    result = hrdocs("--date", DATE, *OFFER, "--candidate", "Jane Doe", "-f", "docx,pdf", cwd=ws)
    assert result.code == 1 and "PDF not written" in result.err and "pip install typst" in result.err
    assert "engine: libreoffice" in result.err
    assert not (ws / "output").exists()


@pytest.mark.slow
@needs_libreoffice
def test_pdf_a_from_libreoffice_when_the_settings_ask_for_it(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    """``pdf.standard`` is honoured whichever engine makes the PDF (it was refused before LibreOffice's
    PDF/A export was wired in): LibreOffice's PDF says PDF/A-2b in its XMP."""
    folder = make_workspace(company={"pdf": {"engine": "libreoffice", "standard": "a-2b"}})
    pdf = offer(hrdocs, folder)
    assert "LibreOffice" in info(pdf)["Producer"]
    xmp = pdf.read_bytes()
    assert re.search(rb"pdfaid:part>\s*2<", xmp) and re.search(rb"pdfaid:conformance>\s*B<", xmp)


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_when_the_settings_ask_for_it(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    folder = make_workspace(company={"pdf": {"engine": "libreoffice"}})
    meta = info(offer(hrdocs, folder))
    assert "LibreOffice" in meta["Producer"] and meta["Title"] == "Your Offer to Join Us"


# ------------------------------------------------------------------------------------------- batch
CSV = """\
Candidate Name,Job,Base Salary,Start Date,Hiring Manager,Location,Address
Jane Doe,generalist,70000,2027-01-04,Dana Whitfield,"Denver, CO",12 Elm St
Zoë Núñez,generalist,70000.50,2027-02-01,Sam Ortiz,"Denver, CO",1 Oak Ave
"""


@needs_poppler
def test_a_batch_writes_docx_and_pdf_and_the_pdf_is_the_commands(hrdocs: Run, ws: Path) -> None:
    (ws / "offers.csv").write_text(CSV, encoding="utf-8")
    command = ("--date", DATE, "batch", "offers.csv", "--kind", "offer", "--jobs", "1")
    result = hrdocs(*command, "-f", "docx,pdf", "--verify", cwd=ws)
    assert result.code == 0, result.err
    assert "written 2 (4 files)" in result.out
    folder = ws / "output/offers"
    entries = [json.loads(line) for line in (folder / "offers.manifest.jsonl").read_text().splitlines()]
    assert [(e["path"], e["format"]) for e in entries] == [
        (f"offer-{who}-hr-generalist.{fmt}", fmt)
        for who in ("jane-doe", "zoe-nunez")
        for fmt in ("docx", "pdf")
    ]
    assert info(folder / "offer-zoe-nunez-hr-generalist.pdf")["Creator"].startswith("Typst")
    assert "Zoë Núñez" in run("pdftotext", folder / "offer-zoe-nunez-hr-generalist.pdf", "-")
    single = offer(hrdocs, ws, name="Jane Doe")
    assert single.read_bytes() == (folder / "offer-jane-doe-hr-generalist.pdf").read_bytes()
    said = result.err + result.out
    assert said.count("'Calibri' (brand.fonts.body) is not installed; 'Carlito'") == 1  # once, not per row


def test_the_voice_fonts_are_used_when_installed_and_named_when_not(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    def warnings(body: str) -> list[str]:
        folder = make_workspace(
            company={"brand": {"fonts": {"body": body, "heading": body}}}, name=body.replace(" ", "-")
        )
        result = hrdocs("--date", DATE, *OFFER, "--candidate", "Jane Doe", "-f", "pdf", cwd=folder)
        assert result.code == 0, result.err
        return [line for line in result.err.splitlines() if "font" in line]

    assert warnings("Carlito") == []
    (said, _) = warnings("Frobnicate Sans")
    assert "'Frobnicate Sans' (brand.fonts.body) is not installed; 'Noto Sans' is used instead" in said


def test_the_workspace_fonts_folder_is_searched(make_workspace: Callable[..., Path]) -> None:
    source = next(iter(Path("/usr/share/fonts").rglob("Carlito-Regular.ttf")), None)
    if source is None:
        pytest.skip("fonts-crosextra-carlito is not installed")
    folder = make_workspace({"fonts/Carlito-Regular.ttf": source.read_bytes()})
    paths = [f.path for f in Session(folder).typst_pdf.fonts.fonts()]
    assert str(folder / "fonts" / "Carlito-Regular.ttf") in paths


def test_a_process_forked_after_a_pdf_is_told_rather_than_left_waiting(tmp_path: Path) -> None:
    """Typst's worker threads are not copied by fork: a forked child that compiles would wait for
    ever. The child is refused at once instead (the batch forks its workers before any PDF)."""
    script = textwrap.dedent(
        """
        import os, sys
        from datetime import date
        from hrdocs.docmodel import Document, Heading, Paragraph, Span
        from hrdocs.errors import HrdocsError
        from hrdocs.session import Session
        from hrdocs.writers.pdf_typst import fork_safe
        doc = Document("t", [Paragraph((Span("x"),))])
        assert fork_safe()
        Session(sys.argv[1]).typst_pdf.render(doc, when=date(2026, 1, 1))
        assert not fork_safe()
        pid = os.fork()
        if pid == 0:
            try:
                Session(sys.argv[1]).typst_pdf.render(doc, when=date(2026, 1, 1))
            except HrdocsError as exc:
                print("refused:", exc.message, flush=True)
                os._exit(0)
            os._exit(3)
        print("child exit", os.waitpid(pid, 0)[1] >> 8)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert "refused: internal error: this process was forked" in done.stdout, done.stderr
    assert "child exit 0" in done.stdout


def test_settings_yaml_example(tmp_path: Path) -> None:
    """The settings as docs/pdf.md shows them load."""
    settings = merged_settings({"pdf": {"engine": "typst", "standard": "a-2b"}})
    (tmp_path / "hrdocs.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    loaded = Session(tmp_path).config.settings.pdf
    assert (loaded.engine, loaded.standard) == ("typst", "a-2b")


def merged_settings(extra: dict[str, object]) -> dict[str, object]:
    return {**BASE_COMPANY, **extra}
