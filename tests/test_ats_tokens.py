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
    ws = make_workspace()
    paragraphs = [[t.kind().spelling % name] for t in tables() for name in t.tokens]
    word(ws / "templates/offer-letter.docx", paragraphs)
    result = offer(hrdocs, ws, "--email", "jane@example.org", "--address", "12 Elm St")
    assert result.code == 0, result.err
    text = letter(ws)
    assert "<<" not in text and "[" not in text
    assert "{" not in text.replace("{candidate_signature}", "")  # Lever's e-signature anchor stays
    assert all(table.source and all(t.source for t in table.tokens.values()) for table in tables())


# ------------------------------------------------------------------------------- templates check
@pytest.mark.parametrize(
    ("runs", "said"),
    [
        (["Dear {{CANDIDATE_", "FIRST_NAME}}, our {{JOB_NAME}}"],
         "note: ATS tokens: Ashby/Greenhouse syntax ({{UPPER_SNAKE}}), 2 tokens mapped: "
         "{{CANDIDATE_FIRST_NAME}} → candidate.first_name or candidate.salutation_name; "
         "{{JOB_NAME}} → role.title"),
        (["Dear [candidate] at [company]"],
         "note: ATS tokens: Workable syntax ([snake]), 2 tokens mapped: [candidate] → candidate.name; "
         "[company] → company.name"),
        (["Hello <<ApplicantFirstName>>"],
         "note: ATS tokens: SmartRecruiters syntax (<<PascalCase>>), 1 token mapped: <<ApplicantFirstName>>"),
        (["Hi {{first_name}}"],
         "note: ATS tokens: Personio syntax ({{snake}}), 1 token mapped: {{first_name}}"),
        (["Hi {first-name there}"], "note: ATS tokens: Teamtailor syntax ({kebab-case}), 1 token mapped"),
        (["Sign: {candidate_signature}"], "note: ATS tokens: Lever syntax ({snake}), 1 token mapped"),
    ],
)  # fmt: skip
def test_templates_check_says_whose_tokens_it_found(
    hrdocs: Run, make_workspace: Callable[..., Path], runs: list[str], said: str
) -> None:
    ws = make_workspace()
    word(ws / "templates/offer-letter.docx", [["Offer"], runs])
    result = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert result.code == 0, result.out + result.err
    assert f"templates/offer-letter.docx: {said}" in result.out
    assert result.out.count("note: ATS tokens") == 1


def test_templates_check_lists_every_unknown_token(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace()
    paragraphs = [["Dear {{CANDIDATE_NAME}}"], ["From {{START_", "DATE}}"], ["At {{SALARY}}, <<Bonus>>"]]
    word(ws / "templates/offer-letter.docx", paragraphs)
    result = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if ": error: " in line]
    assert len(lines) == 3, result.out
    assert lines[0].startswith(
        'templates/offer-letter.docx: body, paragraph 2 ("From {{START_DATE}}"): error: '
        "the Ashby or Greenhouse token {{START_DATE}} has no value in hrdocs"
    )
    assert "paragraph 3" in lines[1] and "{{SALARY}}" in lines[1] and "<<Bonus>>" in lines[2]
    assert "the tokens hrdocs fills in: {{CANDIDATE_EMAIL_ADDRESS}}, {{CANDIDATE_FIRST_NAME}}" in lines[0]
    assert "the tokens hrdocs fills in: <<ApplicantFirstName>>" in lines[2]
    assert "1 token mapped: {{CANDIDATE_NAME}} → candidate.name" in result.out
    assert "3 errors" in result.err


# --------------------------------------------------------------------------- the workspace's tables
MINE = """\
    system: Greenhouse
    syntax: UPPER_BRACES
    source: our account's token list, Configure > Offer Templates > All Available Tokens
    tokens:
      START_DATE: {value: "offer.start | date", source: our account}
      CANDIDATE_NAME: {value: "candidate.name | upper", source: our account}
"""


def test_a_workspace_table_extends_and_overrides_the_built_in_one(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace({"tokens/greenhouse.yaml": MINE})
    word(
        ws / "templates/offer-letter.docx",
        [["Dear {{CANDIDATE_FIRST_NAME}} {{CANDIDATE_NAME}}, from {{START_DATE}}"]],
    )
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    assert "Dear Jane JANE Q. DOE, from January 4, 2027" in letter(ws)
    checked = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert checked.code == 0, checked.out
    assert "{{START_DATE}} → offer.start | date" in checked.out


def test_a_company_syntax_of_its_own(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    acme = """\
        system: Acme HRIS
        syntax: "${NAME}"
        names: "[a-z][a-z_.]*"
        source: our own templates
        tokens:
          candidate.first: {value: "candidate.first_name or candidate.salutation_name", source: ours}
          job.title: {value: role.title, source: ours}
    """
    ws = make_workspace({"tokens/acme.yaml": acme})
    word(ws / "templates/offer-letter.docx", [["Hi ${candidate.", "first}, our ${ job.title }"]])
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    assert "Hi Jane, our HR Generalist" in letter(ws)
    word(ws / "templates/offer-letter.docx", [["Hi ${candidate.nick}"]])
    result = offer(hrdocs, ws, "--force")
    assert result.code == 1 and "the Acme HRIS token ${candidate.nick} has no value in hrdocs" in result.err
    assert "the tokens hrdocs fills in: ${candidate.first}, ${job.title}" in result.err


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (MINE.replace("source: our account's", "sorce: our account's"), ":3: sorce", "unknown key"),
        (MINE.replace('"offer.start | date"', '"offer.start }}{{ x"'), ":5: tokens.START_DATE.value",
         "must be one Jinja expression"),
        (MINE.replace('"offer.start | date"', '"offer.start |"'), ":5: tokens.START_DATE.value",
         "not a Jinja expression"),
        (MINE.replace("START_DATE:", "START DATE:"), ":5: tokens.START DATE",
         "not a name UPPER_BRACES writes"),
        (MINE.replace("syntax: UPPER_BRACES", "syntax: curly"), ":2: syntax", 'e.g. "${NAME}"'),
        (MINE.replace("syntax: UPPER_BRACES", "syntax: '${NAME}'\n    names: '(x)'"), ":3: names",
         "no groups"),
        ("system: [a\n", ":2", "YAML"),
    ],
)  # fmt: skip
def test_a_broken_table_says_file_line_and_key(
    hrdocs: Run, make_workspace: Callable[..., Path], text: str, where: str, message: str
) -> None:
    ws = make_workspace({"tokens/greenhouse.yaml": text})
    word(ws / "templates/offer-letter.docx", [["Dear {{CANDIDATE_NAME}}"]])
    for result in (offer(hrdocs, ws), hrdocs("templates", "check", "offer-letter", cwd=ws)):
        shown = result.out + result.err
        assert result.code == 1, shown
        assert f"tokens/greenhouse.yaml{where}" in shown and message in shown, shown


def test_two_workspace_tables_that_disagree_are_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ashby = MINE.replace("system: Greenhouse", "system: Ashby").replace('"offer.start | date"', "offer.start")
    ws = make_workspace({"tokens/greenhouse.yaml": MINE, "tokens/ashby.yaml": ashby})
    word(ws / "templates/offer-letter.docx", [["From {{START_DATE}}"]])
    result = offer(hrdocs, ws)
    assert result.code == 1
    assert "tokens/ashby.yaml:5: tokens.START_DATE: {{START_DATE}} is given another value" in result.err
    assert "tokens/greenhouse.yaml:5: tokens.START_DATE" in result.err


def test_a_table_linked_from_outside_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(MINE.replace("    ", ""), encoding="utf-8")
    ws = make_workspace()
    (ws / "tokens").mkdir()
    (ws / "tokens/greenhouse.yaml").symlink_to(outside)
    word(ws / "templates/offer-letter.docx", [["Dear {{CANDIDATE_NAME}}"]])
    result = offer(hrdocs, ws)
    assert result.code == 1 and "greenhouse.yaml" in result.err and "outside" in result.err.lower()


# -------------------------------------------------------------------------------------------- Lever
LEVER = """\
    system: Lever
    syntax: single-brace
    source: our account, Settings > Offers > Offer Fields
    tokens:
      candidate_name: {value: candidate.name, source: our account}
      posting_title: {value: role.title, source: our account}
"""


def test_lever_placeholders_are_the_workspaces_to_name(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    """Lever's predefined placeholder names are not confirmed: none is shipped but the e-signature
    anchor, so a Lever template's names are refused until the workspace's tokens/lever.yaml gives them."""
    ws = make_workspace()
    template = [["Dear {candidate_", "name}, as {posting_title}"], ["Signed: {candidate_signature}"]]
    word(ws / "templates/offer-letter.docx", template)
    result = offer(hrdocs, ws)
    assert result.code == 1 and "the Lever token {candidate_name} has no value in hrdocs" in result.err
    assert "the tokens hrdocs fills in: {candidate_signature}" in result.err and "tokens/" in result.err
    (ws / "tokens").mkdir()
    (ws / "tokens/lever.yaml").write_text(LEVER.replace("    ", ""), encoding="utf-8")
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    text = letter(ws)
    assert "Dear Jane Q. Doe, as HR Generalist" in text and "Signed: {candidate_signature}" in text


def test_single_braces_in_prose_are_left_alone(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace()
    word(ws / "templates/offer-letter.docx", [["Dear {{ candidate.name }}, see clause {a} and {note}."]])
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    assert "Dear Jane Q. Doe, see clause {a} and {note}." in letter(ws)


def test_built_in_tables_of_one_syntax_agree() -> None:
    """Greenhouse's and Ashby's tokens are read as one family: a token both list means one thing."""
    seen: dict[tuple[str, str], str] = {}
    for table in tables():
        for name, token in table.tokens.items():
            assert seen.setdefault((table.syntax, name), token.value) == token.value, name


# -------------------------------------------------------------------- Word files made by LibreOffice
SYNTAXES: dict[str, tuple[str, str, dict[str, str]]] = {
    "greenhouse": ("<p>Dear {{CANDIDATE_<b>FIRST</b>_NAME}},</p><p>the role of <i>{{JOB_</i>NAME}}.</p>",
                   "Dear Jane,\nthe role of HR Generalist.", {}),
    "ashby": ("<p>{{CANDIDATE_NAME}} as {{JOB_<u>TITLE</u>}}, with {{HIRING_MANAGER}}.</p>",
              "Jane Q. Doe as HR Generalist, with Dana Whitfield.", {}),
    "workable": ("<p>Dear [candid<b>ate</b>], [job] with [company] from [start_<u>date</u>].</p>",
                 "Dear Jane Q. Doe, HR Generalist with Acme Widgets from January 4, 2027.", {}),
    "smartrecruiters": ("<p>Hello &lt;&lt;Applicant<b>First</b>Name&gt;&gt;,</p>", "Hello Jane,", {}),
    "personio": ("<p>Dear {{first_<i>name</i>}}, {{position}} from {{hire_date}}.</p>",
                 "Dear Jane, HR Generalist from January 4, 2027.", {}),
    "teamtailor": ("<p>Hi {first-<b>name</b>}, {full-name there}: {job-title}</p>",
                   "Hi Jane, Jane Q. Doe: HR Generalist", {}),
    "lever": ("<p>Dear {candidate_<b>name</b>}, as {posting_title}.</p><p>{candidate_signature}</p>",
              "Dear Jane Q. Doe, as HR Generalist.\n{candidate_signature}", {"tokens/lever.yaml": LEVER}),
    "own": ("<p>Hi ${candidate.<b>first</b>}!</p>", "Hi Jane!", {"tokens/acme.yaml": """\
        system: Acme HRIS
        syntax: "${NAME}"
        names: "[a-z][a-z_.]*"
        source: ours
        tokens:
          candidate.first: {value: "candidate.first_name or candidate.salutation_name", source: ours}
    """}),
}  # fmt: skip
"""Per token syntax: an offer template's HTML (formatting inside tokens), the text its letter must
hold, the workspace's token tables it needs."""


@pytest.fixture(scope="module")
def made_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every template of :data:`SYNTAXES` made into a .docx by one LibreOffice run."""
    folder = tmp_path_factory.mktemp("lo")
    pages = []
    for name, (html, _, _) in SYNTAXES.items():
        pages.append(folder / f"{name}.html")
        pages[-1].write_text(f"<html><body><p>Offer</p>{html}</body></html>", encoding="utf-8")
    subprocess.run(
        [str(SOFFICE), "--headless", f"-env:UserInstallation=file://{folder / 'profile'}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), *map(str, pages)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {name: folder / f"{name}.docx" for name in SYNTAXES}


@needs_libreoffice
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SYNTAXES))
def test_a_template_made_by_libreoffice_from_html(
    hrdocs: Run, make_workspace: Callable[..., Path], made_by_libreoffice: dict[str, Path], name: str
) -> None:
    """Runs split as a real editor splits them: formatting in the middle of a token."""
    _, expected, files = SYNTAXES[name]
    made = made_by_libreoffice[name]
    runs = [len(p.runs) for p in Document(str(made)).paragraphs if p.text.strip() not in ("", "Offer")]
    assert max(runs) > 1, "LibreOffice kept the token in one run: the test would prove nothing"
    ws = make_workspace(files)
    (ws / "templates").mkdir()
    (ws / "templates/offer-letter.docx").write_bytes(made.read_bytes())
    result = offer(hrdocs, ws)
    assert result.code == 0, result.err
    assert expected in letter(ws)
    checked = hrdocs("templates", "check", "offer-letter", cwd=ws)
    assert checked.code == 0 and "note: ATS tokens: " in checked.out, checked.out + checked.err


def test_the_parts_read_for_tokens_are_the_parts_the_engine_renders() -> None:
    from hrdocs.ats_tokens import document
    from hrdocs.word.template import RENDERED

    assert document._PARTS.pattern == RENDERED.pattern
