"""Offer templates written for an ATS render with hrdocs' data: each system's tokens, split runs too."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from hrdocs.ats_tokens import tables
from tests.conftest import Outcome
from tests.util import SOFFICE, docx_text, needs_libreoffice

Run = Callable[..., Outcome]
DATE = "2026-12-01"
OFFER = ["--candidate", "Jane Q. Doe", "--first-name", "Jane", "--last-name", "Doe", "--salary", "72000",
         "--start", "2027-01-04", "--manager", "Dana Whitfield", "--location", "Denver, CO"]  # fmt: skip


def word(path: Path, paragraphs: list[list[str]]) -> Path:
    """A .docx whose paragraphs are made of these runs (every other run bold, as an edit leaves it)."""
    doc = Document()
    for runs in paragraphs:
        p = doc.add_paragraph()
        for i, text in enumerate(runs):
            p.add_run(text).bold = bool(i % 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def offer(hrdocs: Run, ws: Path, *extra: str) -> Outcome:
    return hrdocs("--date", DATE, "offer", "generalist", *OFFER, "-o", "out", *extra, cwd=ws)


def letter(ws: Path) -> str:
    (path,) = (ws / "out").glob("*.docx")
    return docx_text(path)


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        (["Dear {{CANDIDATE_", "FIRST_NAME}},"], "Dear Jane,"),  # Greenhouse, split by Word
        (["{{CANDIDATE_NAME}} will be our {{JOB_", "NAME}}."], "Jane Q. Doe will be our HR Generalist."),
        (["{{JOB_TITLE}}, reporting to {{ HIRING_MANAGER }}"], "HR Generalist, reporting to Dana Whitfield"),
        (["Dear [candid", "ate], the position of [job] with [company] starts [start_date]."],
         "Dear Jane Q. Doe, the position of HR Generalist with Acme Widgets starts January 4, 2027."),
        (["at [salary], to [direct_manager]"], "at $72,000.00 per year, to Dana Whitfield"),
        (["Hello <<Applicant", "FirstName>>,"], "Hello Jane,"),
        (["Dear {{first_name}} {{last_", "name}}, {{position_name}}"], "Dear Jane Doe, HR Generalist"),
        (["Hi {first-", "name}, {full-name there}: {job-title}"], "Hi Jane, Jane Q. Doe: HR Generalist"),
        (["Dear {{ candidate.name }} [sic]"], "Dear Jane Q. Doe [sic]"),  # hrdocs' own tags; prose
    ],
)  # fmt: skip
def test_each_systems_tokens_render(
    hrdocs: Run, make_workspace: Callable[..., Path], runs: list[str], expected: str
) -> None:
    ws = make_workspace()
    word(ws / "templates/offer-letter.docx", [runs])
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    assert expected in letter(ws)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Start: {{START_DATE}}", "the Ashby or Greenhouse token {{START_DATE}} has no value in hrdocs"),
        ("Dear <<ApplicantNickname>>", "the SmartRecruiters token <<ApplicantNickname>> has no value"),
        ("Dear [candidate], [bonus_plan]", "the Workable token [bonus_plan] has no value"),
        ("Hi {nick-name}", "the Teamtailor token {nick-name} has no value"),
    ],
)
def test_a_token_without_a_value_is_a_located_error(
    hrdocs: Run, make_workspace: Callable[..., Path], text: str, message: str
) -> None:
    ws = make_workspace()
    word(ws / "templates/offer-letter.docx", [["Offer"], [text]])
    result = offer(hrdocs, ws)
    assert result.code == 1 and message in result.err
    assert 'body, paragraph 2 ("' in result.err and "the tokens hrdocs fills in: " in result.err
    checked = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert checked.code == 1 and message in checked.out + checked.err


def test_every_token_names_data_an_offer_has(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    """Every token of every table renders in an offer (a typo in a table's Jinja would fail here)."""
    spell = {"UPPER_BRACES": "{{%s}}", "lower_braces": "{{%s}}", "angles": "<<%s>>", "brackets": "[%s]",
             "kebab-brace": "{%s}"}  # fmt: skip
    ws = make_workspace()
    paragraphs = [[spell[t.syntax] % name] for t in tables() for name in t.tokens]
    word(ws / "templates/offer-letter.docx", paragraphs)
    result = offer(hrdocs, ws, "--email", "jane@example.org", "--address", "12 Elm St")
    assert result.code == 0, result.err
    text = letter(ws)
    assert "{" not in text and "<<" not in text and "[" not in text
    assert all(table.source and all(t.source for t in table.tokens.values()) for table in tables())


@needs_libreoffice
@pytest.mark.slow
def test_a_template_made_by_libreoffice_from_html(
    hrdocs: Run, make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    """Runs split as a real editor splits them: formatting in the middle of a token."""
    html = tmp_path / "offer-letter.html"
    html.write_text(
        "<html><body><p>Dear {{CANDIDATE_<b>FIRST</b>_NAME}},</p>"
        "<p>We offer you the role of <i>{{JOB_</i>NAME}} with [company] from [start_<u>date</u>].</p>"
        "</body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path), str(html)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    ws = make_workspace()
    (ws / "templates").mkdir()
    (ws / "templates/offer-letter.docx").write_bytes((tmp_path / "offer-letter.docx").read_bytes())
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    text = letter(ws)
    assert "Dear Jane," in text
    assert "We offer you the role of HR Generalist with Acme Widgets from January 4, 2027." in text
