"""The HTML, Markdown, plain-text, JSON-LD and PDF writers, from the document model.

Documents come from the real templates (job descriptions, postings, comparisons for several roles) and
from hand-built models with awkward text; Markdown is read back with the project's own parser, HTML
with html5lib (strict: a parse error fails the test), PDF with pdftotext.
"""

from __future__ import annotations

import json
import re
import stat
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdocs.api import Session, document
from hrdocs.docmodel import (
    Container,
    Document,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Rule,
    Span,
    Table,
    parse_markdown,
)
from hrdocs.errors import HrdocsError, UsageError
from hrdocs.writers.html import safe_href, script_json
from hrdocs.writers.markdown import to_markdown, to_text
from hrdocs.writers.pdf import PdfConverter, PdfUnavailable
from tests.conftest import Outcome
from tests.util import PDFTOTEXT, needs_libreoffice

TODAY = date(2025, 3, 3)
ROLES = ["hr-generalist", "hr-executive", "hr-coordinator", "software-engineer", "senior-recruiter"]
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    return Session(tmp_path_factory.mktemp("ws"), today=TODAY)


def job_description(session: Session, role: str) -> Document:
    return document(session, "jd", {"role": role})


def documents(session: Session) -> list[Document]:
    docs = [job_description(session, r) for r in ROLES]
    docs += [document(session, "posting", {"role": r}) for r in ROLES]
    for roles in (
        ["hr-executive", "hr-generalist"],
        ["software-engineer", "customer-success-manager", "hr-coordinator"],
    ):
        docs.append(document(session, "comparison", {"roles": roles}))
    return docs


def parse_html(data: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(data.decode("utf-8"))


# ------------------------------------------------------------------------------------- Markdown
def test_markdown_round_trips_every_document_to_the_same_text(session: Session) -> None:
    for doc in documents(session):
        again = parse_markdown(to_markdown(doc))
        assert again.plain_text() == doc.plain_text(), doc.title
        assert again.title == doc.title


def test_markdown_keeps_structure(session: Session) -> None:
    doc = job_description(session, "hr-generalist")
    again = parse_markdown(to_markdown(doc))
    assert [type(b).__name__ for b in again.blocks] == [type(b).__name__ for b in doc.blocks]
    assert again.blocks == doc.blocks


AWKWARD = [
    "Tom & Jerry <Ltd>",
    "*not emphasis* and _this_ neither",
    "1. not a list",
    "- nor this",
    "::: small",
    "# not a heading",
    "a | pipe, a \\ backslash, `code`, [link](x), ![img](y)",
    "&amp; stays literal, <br> too",
    "+ plus",
    "= equals",
    "    indented",
    "2) second",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_markdown_escapes_text_everywhere_it_can_appear(text: str) -> None:
    doc = Document(
        title=text,
        blocks=[
            Heading(1, (Span(text),)),
            Paragraph((Span(text),)),
            Paragraph((Span("lead "), Span(text, bold=True), Span(" tail"))),
            ListBlock(False, (ListItem((Span(text),)), ListItem((Span(text, italic=True),)))),
            ListBlock(True, (ListItem((Span(text),)),)),
            Table(((Span(text),), (Span("b"),)), (((Span("x"),), (Span(text), Span("\n"), Span(text))),)),
            Container("small", (Paragraph((Span(text),)),)),
        ],
    )
    again = parse_markdown(to_markdown(doc))
    assert _normal(again.plain_text()) == _normal(doc.plain_text())  # Markdown drops line-start spaces


def test_markdown_keeps_emphasis_links_and_containers() -> None:
    doc = Document(
        title="T",
        blocks=[
            Heading(1, (Span("T"),)),
            Paragraph(
                (
                    Span("Pay: ", bold=True),
                    Span("$1 – $2 "),
                    Span("per year", italic=True),
                    Span(". See "),
                    Span("our site", href="https://example.com/a b(c)"),
                    Span(" or "),
                    Span("https://example.com/x", href="https://example.com/x"),
                    Span("."),
                )
            ),
            ListBlock(False, (ListItem((Span("a"),)),)),
            ListBlock(False, (ListItem((Span("b"),)),)),
            Rule(),
            Container("signature", (Container("keep", (Paragraph((Span("Sig"),)),)),)),
        ],
    )
    md = to_markdown(doc)
    assert "**Pay:** $1 – $2 *per year*" in md
    assert "<https://example.com/x>" in md
    again = parse_markdown(md)
    assert again.blocks[1] == Paragraph(
        (
            Span("Pay:", bold=True),  # the space moves outside the markers, where CommonMark needs it
            Span(" $1 – $2 "),
            Span("per year", italic=True),
            Span(". See "),
            Span("our site", href="https://example.com/a%20b(c)"),
            Span(" or "),
            Span("https://example.com/x", href="https://example.com/x"),
            Span("."),
        )
    )
    assert len([b for b in again.blocks if isinstance(b, ListBlock)]) == 2  # two lists stay two
    assert isinstance(again.blocks[4], Rule)
    assert again.blocks[5] == Container("signature", (Container("keep", (Paragraph((Span("Sig"),)),)),))


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ue000\ue001"),
    min_size=1,
    max_size=12,
)
_href = st.none() | st.just("https://example.com/p") | st.text(min_size=1, max_size=8).map(lambda t: "x/" + t)
_spans = st.lists(
    st.builds(Span, _text.filter(str.strip), st.booleans(), st.booleans(), _href) | st.just(Span("\n")),
    min_size=1,
    max_size=6,
)


def _normal(text: str) -> str:
    """Without what Markdown itself cannot keep: spaces at the start and end of lines and cells."""
    return "\n".join(re.sub(r" *\| *", " | ", line.strip()) for line in text.split("\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spans=_spans)
def test_markdown_round_trip_property(spans: list[Span]) -> None:
    doc = Document(title="", blocks=[Paragraph(tuple(spans)), ListBlock(False, (ListItem(tuple(spans)),))])
    again = parse_markdown(to_markdown(doc))
    # A block cannot start or end with a line break in Markdown, and an empty paragraph is no paragraph.
    text = "".join(s.text for s in spans).strip(" \t\n")
    expected = "\n".join([text] * 2) if text.strip() else ""
    assert _normal(again.plain_text()).strip() == _normal(expected).strip()


# ------------------------------------------------------------------------------------------ text
def test_plain_text_has_every_line_of_the_document(session: Session) -> None:
    for doc in documents(session):
        text = to_text(doc)
        for line in doc.plain_text().split("\n"):
            for part in line.split(" | "):
                if part != "Duty area":  # a wide table's corner cell: each row starts with its area
                    assert part.strip() in text, (doc.title, part)
    text = to_text(job_description(session, "hr-generalist"))
    assert text.startswith("HR Generalist\n=============\n")
    assert "\nDepartment: Human Resources\n" in text


# ------------------------------------------------------------------------------------------ HTML
def test_html_is_valid_semantic_and_self_contained(session: Session) -> None:
    writer = session.writers()["html"]
    for doc in documents(session):
        data = writer(doc)
        root = parse_html(data)  # strict: raises on any parse error
        assert root.get("lang") == "en-US"
        assert root.find(f"{XHTML}head/{XHTML}meta").get("charset") == "utf-8"
        assert root.find(f"{XHTML}head/{XHTML}title").text == doc.title
        style = root.find(f"{XHTML}head/{XHTML}style").text
        assert "#1F3A5F" in style and '"Calibri"' in style  # brand colours and fonts
        article = root.find(f"{XHTML}body/{XHTML}main/{XHTML}article")
        assert article.find(f"{XHTML}h1").text == doc.title
        assert b"<script src" not in data and b"<link" not in data and b"javascript:" not in data
        logo = root.find(f"{XHTML}body/{XHTML}header/{XHTML}img")
        assert logo.get("src").startswith("data:image/png;base64,")
        text = "".join(article.itertext())
        for line in doc.plain_text().split("\n"):
            for part in line.split(" | "):
                assert part.strip() in text, (doc.title, part)


def test_html_headings_lists_and_tables(session: Session) -> None:
    root = parse_html(session.writers()["html"](job_description(session, "hr-generalist")))
    article = root.find(f"{XHTML}body/{XHTML}main/{XHTML}article")
    assert [h.text for h in article.findall(f"{XHTML}h2")][:2] == ["Summary", "Duties and responsibilities"]
    assert "Strategic Planning" in [h.text for h in article.findall(f"{XHTML}h3")]
    facts = article.find(f"{XHTML}table")
    assert facts.get("class") == "facts"
    rows = facts.findall(f"{XHTML}tbody/{XHTML}tr")
    assert [(r.find(f"{XHTML}th").text, r.find(f"{XHTML}td").text) for r in rows][:2] == [
        ("Position", "HR Generalist"),
        ("Department", "Human Resources"),
    ]
    assert all(th.get("scope") == "row" for th in facts.iter(f"{XHTML}th"))
    assert len(article.findall(f"{XHTML}ul")) >= 4


def test_html_escapes_everything_and_drops_unsafe_links(session: Session) -> None:
    evil = '</title><script>alert("x")</script> & "quotes"'
    doc = Document(
        title=evil,
        kind='x" onload="alert(1)',
        blocks=[
            Heading(1, (Span(evil),)),
            Paragraph((Span(evil, bold=True), Span("click", href="javascript:alert(1)"))),
            Paragraph((Span("ok", href='https://example.com/?a=1&b="2"'),)),
        ],
    )
    data = session.writers()["html"](doc)
    assert b"<script>" not in data and b"javascript:" not in data and b'onload="' not in data
    root = parse_html(data)
    assert root.find(f"{XHTML}head/{XHTML}title").text == evil
    link = root.find(f".//{XHTML}a")
    assert link.get("href") == 'https://example.com/?a=1&b="2"' and link.text == "ok"
    assert safe_href("JavaScript:alert(1)") is None and safe_href("data:text/html,x") is None
    assert safe_href("mailto:a@b.c") == "mailto:a@b.c" and safe_href("other.html") == "other.html"


def test_script_json_cannot_end_its_element() -> None:
    data = {"x": "</script><!-- & <b>"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_html_uses_the_brand_settings(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        company={
            "company": {"name": "Acme <Tools>"},
            "voice": {"locale": "de_DE", "currency": "EUR"},
            "brand": {
                "fonts": {"body": 'Evil"; } body { color: red', "heading": "Georgia"},
                "colours": {"primary": "AA0000", "accent": "00aa00"},
                "footer": {"text": "Acme & Co"},
            },
        }
    )
    s = Session(root, today=TODAY)
    data = s.writers()["html"](job_description(s, "hr-generalist"))
    root = parse_html(data)
    assert root.get("lang") == "en-US"  # the document's language (English), not the locale's
    style = root.find(f"{XHTML}head/{XHTML}style").text
    assert "#AA0000" in style and "#00AA00" in style and '"Georgia"' in style
    # The font name cannot leave its quoted string: no quote, brace or semicolon survives from it.
    assert 'font-family: "Evil  body  color: red", system-ui' in style
    assert style.count("{") == style.count("}") and "red;" not in style
    assert root.find(f"{XHTML}body/{XHTML}header/{XHTML}img") is None  # no logo configured
    assert "".join(root.find(f"{XHTML}body/{XHTML}header").itertext()) == "Acme <Tools>"
    assert "".join(root.find(f"{XHTML}body/{XHTML}footer").itertext()) == "Acme & Co"


# --------------------------------------------------------------------------------------- JSON-LD
def test_json_is_for_postings_only(session: Session) -> None:
    with pytest.raises(UsageError, match="for job postings only"):
        session.writers()["json"](job_description(session, "hr-generalist"))


def test_html_of_other_documents_has_no_structured_data(session: Session) -> None:
    assert b"application/ld+json" not in session.writers()["html"](job_description(session, "hr-generalist"))


# ------------------------------------------------------------------------------------------- PDF
def _fake_soffice(tmp_path: Path, body: str) -> str:
    path = tmp_path / "fake-soffice"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_missing_libreoffice_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("HRDOCS_SOFFICE", raising=False)
    monkeypatch.setattr("hrdocs.writers.pdf._USUAL_PLACES", ())
    with pytest.raises(PdfUnavailable) as caught:
        PdfConverter().convert([b"x"])
    message = str(caught.value)
    assert "LibreOffice" in message and "apt-get install libreoffice-writer-nogui" in message
    assert "libreoffice.org" in message and "HRDOCS_SOFFICE" in message


def test_without_libreoffice_a_pdf_is_refused_before_anything_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, hrdocs: Callable[..., Outcome]
) -> None:
    monkeypatch.setenv("HRDOCS_SOFFICE", str(tmp_path / "no-such-soffice"))
    # LibreOffice's PDF: Typst (the default engine, docs/pdf.md) needs no program
    (tmp_path / "hrdocs.yaml").write_text("company: {name: Acme}\npdf: {engine: libreoffice}\n")
    result = hrdocs("jd", "generalist", "--format", "docx,pdf,html", cwd=tmp_path)
    assert result.code == 1
    assert "PDF not written" in result.err and "apt-get install libreoffice-writer-nogui" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "output").exists()  # not the docx nor the html either
    assert result.out == ""
    assert hrdocs("jd", "generalist", "--format", "docx,html", cwd=tmp_path).code == 0  # the others alone


def test_libreoffice_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    converter = PdfConverter(_fake_soffice(tmp_path, "sleep 60"), timeout=1, per_document=0)
    started = time.monotonic()
    with pytest.raises(HrdocsError, match="did not finish converting 1 document to PDF within 1 s"):
        converter.convert([b"docx"])
    assert time.monotonic() - started < 15


def test_a_failed_conversion_is_reported(tmp_path: Path) -> None:
    converter = PdfConverter(
        _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    )
    with pytest.raises(HrdocsError, match=r"did not convert 2 of 2 documents.*could not be loaded"):
        converter.convert([b"a", b"b"])


def test_several_documents_go_to_one_libreoffice_start(tmp_path: Path) -> None:
    log = tmp_path / "calls.log"
    # A stand-in that records each start and "converts" every input by copying it.
    script = _fake_soffice(
        tmp_path,
        f"""echo start >> {log}
out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--outdir" ]; then out="$a"; fi
  case "$a" in *.docx) cp "$a" "$out/$(basename "$a" .docx).pdf";; esac
  prev="$a"
done""",
    )
    converter = PdfConverter(script, batch_size=3)
    docs = [f"doc {k}".encode() for k in range(7)]
    assert converter.convert(docs) == docs  # in order
    assert log.read_text().count("start") == 3  # 3 + 3 + 1


@pytest.mark.slow
@needs_libreoffice
def test_pdf_of_several_documents_holds_their_titles(tmp_path: Path, hrdocs: Callable[..., Outcome]) -> None:
    result = hrdocs("--date", "2025-03-03", "jd", "generalist", "--format", "docx,pdf", cwd=tmp_path)
    assert result.code == 0, result.err
    result = hrdocs("posting", "software-engineer", "--format", "html,pdf", cwd=tmp_path)
    assert result.code == 0, result.err
    result = hrdocs("compare", "executive", "generalist", "--format", "pdf", cwd=tmp_path)
    assert result.code == 0, result.err

    for pdf, title in [
        ("output/job-descriptions/hr-generalist.pdf", "HR Generalist"),
        ("output/postings/software-engineer.pdf", "Software Engineer"),
        ("output/comparisons/hr-executive-vs-hr-generalist.pdf", "HR Executive vs HR Generalist"),
    ]:
        path = tmp_path / pdf
        assert path.read_bytes().startswith(b"%PDF")
        text = subprocess.run(
            [str(PDFTOTEXT), str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert title in text
    text = subprocess.run(
        [str(PDFTOTEXT), str(tmp_path / "output/postings/software-engineer.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "$115,000" in text and "What you" in text
