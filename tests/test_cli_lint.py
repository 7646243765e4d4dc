"""``hrdocs lint``: roles as generated, templates and files; output, exit codes and where findings point."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import docx
import pytest

from hrdocs.api import Session, document, render
from hrdocs.kinds.offer import OFFER
from hrdocs.lint.sources import LintSources, docx_lines, guess_kind, lint_file, lint_role
from hrdocs.templates import visible_text
from tests.util import cli, write_files

NINJA_ROLE = """
    id: ninja
    extends: hr-generalist
    title: People Partner
    summary: >-
      We want a young and energetic rockstar ninja who will grow with the
      team and look after our people.
    duties:
      hr-operations:
        - Runs the onboarding programme for digital native new hires.
    """
"""A workspace role with error-level (``young``, ``digital native``) and warning-level wording."""


def findings(result_out: str) -> list[dict[str, Any]]:
    data = json.loads(result_out)
    assert isinstance(data, list)
    return data


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


# ----------------------------------------------------------------------------- the built-in content
def test_builtin_catalogue_and_templates_have_no_other_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "--format", "json")
    errors = [f for f in findings(result.out) if f["level"] == "error"]
    assert errors == []
    sources = {f["source"] for f in findings(result.out)}
    assert "hr-generalist (job description)" in sources and "hr-generalist (posting)" in sources
    assert any(s.endswith("posting.md.j2") for s in sources)  # templates are linted too
    assert result.err.count("lint failed") == (1 if errors else 0)


def test_builtin_content_lints_clean_from_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(capsys, "lint")
    assert result.code == 0, result.out + result.err
    assert "error" not in result.out.split("\n")[-1]


def test_one_builtin_role_lints_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "generalist")
    assert result.code == 0, result.out + result.err
    assert "hr-generalist (job description)" in result.out
    assert "hr-generalist (posting)" in result.out
    # duty lists without full stops are not read as one long sentence
    assert "voice.sentence-length" not in result.out


# -------------------------------------------------------------------------------- workspace roles
def test_biased_role_fails_and_points_at_the_yaml_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"roles/ninja.yaml": NINJA_ROLE})
    role_file = tmp_path / "roles" / "ninja.yaml"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "ninja")
    assert result.code == 1
    assert "lint failed: 2 errors" in result.err
    assert str(role_file) in result.out  # grouped under the file to edit
    young = line_of(role_file, "young and energetic")
    assert f"{young}:" in result.out and "“young”" in result.out
    assert "age-bias" in result.out and "cliche" in result.out

    result = cli(capsys, "--workspace", str(tmp_path), "lint", "ninja", "--format", "json")
    assert result.code == 1
    found = findings(result.out)
    by_match = {(f["rule"], f["match"].lower()): f for f in found}
    f = by_match[("age-bias", "young")]
    assert f["source"] == str(role_file) and f["level"] == "error"
    column = role_file.read_text().splitlines()[young - 1].index("young") + 1
    assert (f["line"], f["column"]) == (young, column)
    native = by_match[("age-bias", "digital native")]
    assert native["line"] == line_of(role_file, "digital native")
    assert by_match[("cliche", "rockstar")]["level"] == "warning"
    # reported once, though both the job description and the posting contain it
    assert sum(1 for x in found if x["rule"] == "age-bias" and x["match"] == "young") == 1
    assert {"rule", "level", "source", "line", "column", "match", "message", "suggestion"} <= set(f)


def test_inherited_text_points_at_the_parent_file_once(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "roles/base-role.yaml": """
                id: base-role
                title: Base Role
                department: Operations
                employment_type: full-time
                flsa_status: exempt
                summary: A role that others extend.
                duties:
                  hr-operations:
                    - Mentors recent graduates in the team.
                """,
            "roles/child-a.yaml": "id: child-a\nextends: base-role\ntitle: Child A\n",
            "roles/child-b.yaml": "id: child-b\nextends: base-role\ntitle: Child B\n",
        },
    )
    sources = LintSources(Session(tmp_path))
    linted = sources.roles([sources.session.role(r) for r in ("child-a", "child-b")])
    hits = [f for _, fs in linted for f in fs if f.rule == "age-bias"]
    assert len(hits) == 1
    parent = tmp_path / "roles" / "base-role.yaml"
    assert hits[0].source == str(parent) and hits[0].line == line_of(parent, "recent graduates")
    # a role without locations has no posting: a note says so, the job description is still linted
    assert {s for s, _ in linted} >= {"child-a (job description)", "child-b (job description)"}
    assert any("child-a: no posting linted" in n for n in sources.notes)


def test_template_text_stays_in_the_generated_document(tmp_path: Path) -> None:
    base = Path(__file__).resolve().parent.parent / "templates" / "job-description.md.j2"
    text = base.read_text("utf-8").replace("## Summary", "## Are you a rockstar?")
    write_files(tmp_path, {"templates/job-description.md.j2": text})
    linted = dict(lint_role(Session(tmp_path), "generalist"))
    jd = linted["hr-generalist (job description)"]
    rock = [f for f in jd if f.rule == "cliche"]
    assert rock and rock[0].match == "rockstar"
    plain = document(Session(tmp_path), "jd", {"role": "generalist"}).plain_text().split("\n")
    assert plain[rock[0].line - 1][rock[0].column - 1 :].startswith("rockstar")


def test_a_word_job_description_template_is_what_lint_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the workspace's Word template wins, ``lint ROLE`` reads the job description it makes."""
    exported = cli(capsys, "--workspace", str(tmp_path), "templates", "export", "job-description", "--docx")
    assert exported.code == 0, exported.err
    template = tmp_path / "templates" / "job-description.docx"
    before = cli(capsys, "--workspace", str(tmp_path), "lint", "generalist", "--format", "json")
    assert before.code == 0, before.err
    assert not [f for f in findings(before.out) if f["match"] == "rockstar"]

    word = docx.Document(str(template))
    summary = next(p for p in word.paragraphs if p.text == "Summary")
    summary.runs[0].text = "Are you a rockstar?"
    word.save(str(template))
    after = cli(capsys, "--workspace", str(tmp_path), "lint", "generalist", "--format", "json")
    assert after.code == 0, after.err
    jd = [f for f in findings(after.out) if f["source"] == "hr-generalist (job description)"]
    rock = [f for f in jd if f["rule"] == "cliche"]
    assert len(rock) == 1 and rock[0]["match"] == "rockstar"
    # the line and column are those of the DOCX the Word template makes (what `hrdocs jd` writes)
    made = render(Session(tmp_path), "jd", {"role": "generalist"}).files["docx"]
    lines = visible_text(made).split("\n")
    assert lines[rock[0]["line"] - 1][rock[0]["column"] - 1 :] == "rockstar?"


def test_workspace_template_is_linted_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "# Offer\n\n{{ role.title }}: welcome aboard, young {{ candidate }}!\n"
    write_files(tmp_path, {"templates/offer-letter.md.j2": text})
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "--format", "json")
    assert result.code == 1
    template = str(tmp_path / "templates" / "offer-letter.md.j2")
    young = [f for f in findings(result.out) if f["source"] == template and f["rule"] == "age-bias"]
    assert [(f["line"], f["column"]) for f in young] == [(3, 35)]
    # the workspace template replaces the built-in one of the same name: that one is not linted
    assert not any(f["source"].endswith("templates/offer-letter.md.j2") and f["source"] != template
                   for f in findings(result.out))  # fmt: skip


# ------------------------------------------------------------------------------------------ files
def test_docx_file_paragraphs_tables_and_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Careers at Acme"
    document.add_heading("Sales Associate", 1)
    document.add_paragraph("Join a friendly team.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Who"
    table.cell(0, 1).text = "A recent college graduate"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "No rockstar needed"
    document.add_paragraph("Line one\tand a tab")
    path = tmp_path / "sales-posting.docx"
    document.save(str(path))

    assert docx_lines(path) == [
        "Sales Associate",
        "Join a friendly team.",
        "Who | A recent college graduate",
        "No rockstar needed",
        "Line one and a tab",
        "Careers at Acme",
    ]
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(path), "--format", "json")
    assert result.code == 1
    found = findings(result.out)
    age = [f for f in found if f["rule"] == "age-bias"]
    assert [(f["line"], f["column"], f["match"]) for f in age] == [(3, 9, "recent college graduate")]
    assert any(f["rule"] == "cliche" and f["line"] == 4 and f["column"] == 4 for f in found)
    assert any(f["rule"] == "compliance.eeo" for f in found)  # the name says it is a posting


def test_markdown_file_lines_and_columns_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# Designer\n\nWe want a [young](https://x.example) **guru**.\n"
    path = write_files(tmp_path, {"designer.md": text}) / "designer.md"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(path))
    assert result.code == 1
    assert f"{path}" in result.out
    assert "3:12" in result.out and "“young”" in result.out
    assert "3:40" in result.out and "“guru”" in result.out
    assert "\x1b[" not in result.out  # no colour when not a terminal
    assert "\x1b[" in cli(capsys, "--workspace", str(tmp_path), "lint", str(path), "--color").out


def test_strict_counts_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_files(tmp_path, {"note.txt": "We work hard, play hard.\n"}) / "note.txt"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(path))
    assert result.code == 0, result.out + result.err
    assert "warning" in result.out and "cliche" in result.out
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "--strict", str(path))
    assert result.code == 1
    assert "lint failed: 0 errors and 1 warning (--strict)" in result.err


def test_kind_and_location_for_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "# Analyst\n\nWe are an equal opportunity employer.\n"
    path = write_files(tmp_path, {"analyst.md": text}) / "analyst.md"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(path), "--format", "json")
    assert result.code == 0 and not any(f["rule"].startswith("compliance") for f in findings(result.out))
    result = cli(
        capsys, "--workspace", str(tmp_path), "lint", str(path), "--kind", "posting", "-l", "Denver, CO",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 1
    assert "compliance.pay-range" in {f["rule"] for f in findings(result.out)}


def test_guess_kind() -> None:
    assert guess_kind(Path("Senior-Posting.docx")) == "posting"
    assert guess_kind(Path("offer_ana.docx")) == "offer"
    assert guess_kind(Path("denial.md")) == "denial"
    assert guess_kind(Path("jd-recruiter.md")) == "job-description"
    assert guess_kind(Path("x.md.j2")) == "template"
    assert guess_kind(Path("notes.txt")) == "text"
    assert guess_kind(Path("reject.md")) == "denial"  # an alias of the denial kind (hrdocs.kinds)
    internships = dataclasses.replace(OFFER, folder="internships", aliases=())  # a workspace kind's folder
    assert guess_kind(Path("internships/ana.docx"), [internships]) == "offer"
    assert guess_kind(Path("internships/ana.docx")) == "text"


# -------------------------------------------------------------------------------------- mistakes
def test_unknown_role_exits_1_with_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "generalst")
    assert result.code == 1
    assert "unknown role `generalst`" in result.err and "did you mean" in result.err
    assert "hr-generalist" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.docx"], 1, "no such file"),
        (["scan.pdf"], 1, "no such file"),
        (["--kind", "posting", "generalist"], 2, "apply to files"),
        (["notes.txt", "--location", "Nowhere"], 2, "--location"),
        (["--format", "xml"], 2, "xml"),
    ],
)
def test_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    write_files(tmp_path, {"notes.txt": "Hello.\n"})
    args = [str(tmp_path / a) if a.endswith(".txt") else a for a in args]
    result = cli(capsys, "--workspace", str(tmp_path), "lint", *args)
    assert result.code == code, result.err
    assert message in result.err and "Traceback" not in result.err


def test_unreadable_files(tmp_path: Path) -> None:
    write_files(tmp_path, {"fake.docx": "not a zip", "latin.txt": b"caf\xe9\n"})
    session = Session(tmp_path)
    with pytest.raises(Exception, match="not a Word document"):
        lint_file(session, tmp_path / "fake.docx")
    with pytest.raises(Exception, match="not a UTF-8 text file"):
        lint_file(session, tmp_path / "latin.txt")


def test_lint_settings_typo_stops_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, {"hrdocs.yaml": "company: {name: Acme}\nlint: {disable: [cliches]}\n"})
    result = cli(capsys, "--workspace", str(tmp_path), "lint", "generalist")
    assert result.code == 1
    assert "unknown rule id `cliches`" in result.err and "`cliche`" in result.err


def test_settings_change_levels_and_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(
        tmp_path,
        {
            "hrdocs.yaml": """
                company: {name: Acme}
                lint: {levels: {cliche: error}, extra_words: {cliche: [synergy]}}
                """,
            "memo.md": "Synergy is key.\n",
        },
    )
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(tmp_path / "memo.md"), "--format", "json")
    assert result.code == 1
    cliches = [(f["match"], f["level"]) for f in findings(result.out) if f["rule"] == "cliche"]
    assert cliches == [("Synergy", "error")]


def test_docs_list_every_option_setting_and_built_in_allowance() -> None:
    """docs/lint.md stays in step with `hrdocs lint --help`, `lint:` in hrdocs.yaml and the data files."""
    from hrdocs.cli.lint import lint
    from hrdocs.lint.rules import gender_lists
    from hrdocs.models import LintSettings

    docs = " ".join((Path(__file__).parent.parent / "docs" / "lint.md").read_text("utf-8").split())
    options = [o for p in lint.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")]
    assert {"--format", "--kind", "--location", "-l", "--strict", "--color", "--no-color"} <= set(options)
    assert not [o for o in options if f"`{o}" not in docs]
    assert not [key for key in LintSettings.model_fields if f"| `{key}` |" not in docs]
    assert not [word for word in gender_lists().allow if f'"{word.lower()}"' not in docs.lower()]


def test_web_pages_are_read_as_a_reader_sees_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = (
        "<!doctype html><html><head><title>young guru</title><style>p{color:red}</style></head><body>"
        "<h1>Designer</h1><p>We want a\n<b>young</b> guru.</p>"
        '<script type="application/ld+json">{"description": "ninja rockstar"}</script>'
        "<table><tr><th>Pay</th><td>$1&nbsp;&amp; more</td></tr></table></body></html>"
    )
    path = write_files(tmp_path, {"designer.html": page}) / "designer.html"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(path), "--format", "json")
    found = findings(result.out)
    words = {(f["line"], f["match"].lower()) for f in found}
    assert (2, "young") in words and (2, "guru") in words  # line 1 is the heading, line 2 the paragraph
    assert not any(f["match"].lower() in {"ninja", "rockstar"} for f in found)  # the JSON-LD is no text
    assert result.code == 1


def test_a_file_in_an_hrdocs_output_folder_is_the_kind_its_folder_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# Analyst\n\nYou will analyse data.\n"
    write_files(tmp_path, {"postings/analyst.md": text, "notes/analyst.md": text})
    rules = {}
    for folder in ("postings", "notes"):
        result = cli(capsys, "--workspace", str(tmp_path), "lint", str(tmp_path / folder), "--format", "json")
        rules[folder] = {f["rule"] for f in findings(result.out)}
    assert "compliance.eeo" in rules["postings"]  # a posting must carry the EEO statement
    assert "compliance.eeo" not in rules["notes"]


def test_a_folder_stands_for_its_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "out/a-designer.md": "# Designer\n\nWe want a young guru.\n",
        "out/b-page.html": "<p>We want a young guru.</p>",
        "out/c-posting.json": '{"title": "young guru"}',
        "out/.hidden.md": "young guru",
    }
    folder = write_files(tmp_path, files) / "out"
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(folder), "--format", "json")
    assert result.code == 1
    assert sorted({Path(f["source"]).name for f in findings(result.out)}) == ["a-designer.md", "b-page.html"]
    (tmp_path / "empty").mkdir()
    result = cli(capsys, "--workspace", str(tmp_path), "lint", str(tmp_path / "empty"))
    assert result.code == 2 and "no DOCX, HTML, Markdown or text file in this folder" in result.err
