"""``--pdf-engine`` and ``--pdf-standard`` on the commands, LibreOffice's PDF/A-2b, and batch workers that
start safely after this process has used Typst.

Each PDF is read for what it says of itself: its producer (Typst or LibreOffice) and its XMP's
``pdfaid:part``/``pdfaid:conformance`` (PDF/A identification, ISO 19005-2 6.6.4).
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Outcome
from tests.util import needs_libreoffice

Run = Callable[..., Outcome]
DATE = "2026-12-01"
OFFER = (
    *("offer", "generalist", "--candidate", "Jane Doe", "--salary", "70000", "--start", "2027-01-04"),
    *("--manager", "Dana Whitfield", "--location", "Denver, CO"),
)


def streams(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated too (LibreOffice compresses nothing of the XMP, but
    a reader must not depend on it)."""
    out = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        chunk = pdf[m.end() : m.end() + 400_000]
        try:
            out.append(zlib.decompressobj().decompress(chunk))
        except zlib.error:
            continue
    return b"\n".join(out)


def pdfa(pdf: bytes) -> tuple[str, str] | None:
    """``(part, conformance)`` from the XMP metadata, as element or attribute, or None."""
    text = streams(pdf).decode("latin-1")
    part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", text)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")\s*([ABU])", text)
    return (part[1], conformance[1]) if part and conformance else None


def producer(pdf: bytes) -> str:
    """The document information's /Producer and /Creator, literal or hex (LibreOffice: UTF-16) strings."""
    text = streams(pdf).decode("latin-1")
    found = []
    for literal, hexed in re.findall(r"/(?:Producer|Creator)\s*(?:\(([^)]*)\)|<([0-9A-Fa-f]+)>)", text):
        if hexed:
            raw = bytes.fromhex(hexed)
            literal = raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        found.append(literal)
    assert found, "no /Producer or /Creator in the document information"
    return " ".join(found)


def offer(hrdocs: Run, ws: Path, *args: str, out: str = "out") -> bytes:
    result = hrdocs("--debug", "--date", DATE, *OFFER, "-f", "pdf", "-o", out, *args, cwd=ws)
    assert result.code == 0, result.err
    (pdf,) = (ws / out).glob("*.pdf")
    return pdf.read_bytes()


@pytest.mark.parametrize(
    ("option", "value", "choices"),
    [("--pdf-engine", "weasyprint", "'typst', 'libreoffice'"), ("--pdf-standard", "a-1b", "'a-2b', 'none'")],
)
@pytest.mark.parametrize("command", ["offer", "batch"])
def test_a_bad_value_is_a_usage_error_listing_the_choices(
    command: str, option: str, value: str, choices: str, hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    (ws / "offers.csv").write_text("candidate\nJane\n", encoding="utf-8")
    args = OFFER if command == "offer" else ("batch", "offers.csv", "--kind", "offer")
    result = hrdocs(*args, "-f", "pdf", option, value, cwd=ws)
    assert result.code == 2 and choices in result.err and value in result.err
    assert not (ws / "output").exists()


def test_pdf_standard_on_the_command_line_wins_over_the_settings(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    plain = make_workspace(name="plain")
    assert pdfa(offer(hrdocs, plain)) is None
    assert pdfa(offer(hrdocs, plain, "--pdf-standard", "a-2b", out="a")) == ("2", "B")
    archival = make_workspace(name="archival", company={"pdf": {"standard": "a-2b"}})
    assert pdfa(offer(hrdocs, archival)) == ("2", "B")
    assert pdfa(offer(hrdocs, archival, "--pdf-standard", "none", out="n")) is None


def test_the_options_are_on_every_command_that_writes_pdf(hrdocs: Run) -> None:
    for command in (["offer"], ["denial"], ["jd"], ["posting"], ["compare"], ["batch"], ["render"]):
        shown = hrdocs(*command, "--help")
        if shown.code != 0:  # a command of another name in this version
            continue
        assert "--pdf-engine" in shown.out and "--pdf-standard" in shown.out, command


@needs_libreoffice
def test_pdf_engine_libreoffice_makes_libreoffice_s_pdf_and_pdf_a_2b_too(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    typst = offer(hrdocs, ws)
    assert "Typst" in producer(typst)
    word = offer(hrdocs, ws, "--pdf-engine", "libreoffice", out="lo")
    assert "LibreOffice" in producer(word) and pdfa(word) is None
    archival = offer(hrdocs, ws, "--pdf-engine", "libreoffice", "--pdf-standard", "a-2b", out="lo-a")
    assert "LibreOffice" in producer(archival)
    assert pdfa(archival) == ("2", "B")
    assert b"/OutputIntents" in streams(archival)  # PDF/A-2b asks for an output intent (6.2.3)


@needs_libreoffice
def test_the_batch_s_workers_get_the_command_line_s_engine(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    (ws / "offers.csv").write_text(
        "candidate,role,salary,start,manager,location\n"
        + "".join(f'P{k} Doe,generalist,7000{k},2027-01-04,Dana Whitfield,"Denver, CO"\n' for k in range(3)),
        encoding="utf-8",
    )
    args = ("batch", "offers.csv", "--kind", "offer", "-f", "pdf", "--jobs", "2", "-o", "b")
    result = hrdocs("--date", DATE, *args, "--pdf-engine", "libreoffice", "--pdf-standard", "a-2b", cwd=ws)
    assert result.code == 0, result.err
    pdfs = sorted((ws / "b").glob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert "LibreOffice" in producer(data) and pdfa(data) == ("2", "B")


def test_pdf_engine_typst_with_a_word_template_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()
    assert hrdocs("templates", "export", "offer-letter", "--docx", cwd=ws).code == 0
    result = hrdocs("--date", DATE, *OFFER, "-f", "pdf", "--pdf-engine", "typst", cwd=ws)
    assert result.code == 2
    assert "Word template offer-letter.docx" in result.err and "look" in result.err
    assert not (ws / "output").exists()


def test_a_batch_after_a_typst_pdf_in_the_same_process_still_runs(
    make_workspace: Callable[..., Path],
) -> None:
    """Typst's compiler threads do not survive ``fork``: after this process has made a PDF, the batch
    starts its workers from a fresh forkserver instead, and they make the same bytes."""
    ws = make_workspace()
    (ws / "offers.csv").write_text(
        "candidate,role,salary,start,manager,location\n"
        + "".join(f'P{k} Doe,generalist,7000{k},2027-01-04,Dana Whitfield,"Denver, CO"\n' for k in range(4)),
        encoding="utf-8",
    )
    script = textwrap.dedent(
        f"""
        from datetime import date
        from pathlib import Path
        from hrdocs import api
        from hrdocs.batch import Options, run_batch
        from hrdocs.pipeline import fork_safe
        from hrdocs.session import Session

        session = Session({str(ws)!r}, today=date(2026, 12, 1))
        fields = dict(candidate="P0 Doe", role="generalist", salary="70000", start="2027-01-04",
                      manager="Dana Whitfield", location="Denver, CO")
        first = api.render(session, "offer", fields, formats=["pdf"])
        assert not fork_safe()
        out = Path({str(ws / "b")!r})
        report = run_batch(session, Path({str(ws / "offers.csv")!r}), Options(kind="offer", out=out, jobs=2,
                           formats=("pdf",)))
        assert report.ok and report.written == 4, report.problems
        made = out / "offer-p0-doe-hr-generalist.pdf"
        assert made.read_bytes() == first.files["pdf"], "not the same bytes"
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
