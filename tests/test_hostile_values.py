"""Hostile values and hostile templates, met as a user meets them: through the CLI.

- **No personal data in messages.** A batch whose rows are shifted and garbled with marker values in
  every column never prints a marker — not in a problem, a warning or the summary — for offers,
  denials and a workspace kind; a template lookup keyed by a value, and Python's own errors on a
  value, print the place and never the value (text and Word templates).
- **Unset values.** A template that prints a value the candidate does not have (``Dear None,``), a
  list or a group of values is refused, naming the value, the template and the line, with the fix;
  ``templates check`` warns where an optional value is printed without a guard.
- **The render budget.** Nested loops, huge ranges and texts, macros calling themselves: each
  refused with its limit and its place, quickly, nothing written; the budget is per document.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from docx import Document as new_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import BASE_COMPANY, Outcome
from tests.util import write_files

Run = Callable[..., Outcome]
DATE = "2026-12-01"
MARKERS = ("ZZSECRET123@x.org", "987654", "ZZSECRETNAME", "Zz Secretlane 9, Denver", "2031-02-31")
"""Values a spreadsheet may hold in any column; none may ever appear in what hrdocs prints."""
LEAKS = ("ZZSECRET", "Zz Secret", "987654", "2031-02-31")

REFERENCE_KIND = """\
    title: reference letter
    fields:
      candidate: {type: text, required: true, aliases: [employee]}
      role: {type: role, required: true, aliases: [job]}
      started: {type: date, required: true}
      ended: date
      email: email
      salary: money
      level: {type: choice, choices: [L1, L2]}
      rehire: yes/no
"""
REFERENCE_TEMPLATE = """\
    {% extends "_base.md.j2" %}
    {% block body %}
    {{ candidate }} was our {{ role.title }} from {{ started | date }}
    {%- if ended %} to {{ ended | date }}{% endif %}.
    {% if level %}Level {{ level }}.{% endif %}{% if salary %} Salary {{ salary | money }}.{% endif %}
    {% endblock %}
"""
KINDS = {
    "offer": (
        [
            "Candidate Name",
            "Email",
            "Address",
            "Job",
            "Base Salary",
            "Start Date",
            "Hiring Manager",
            "Location",
        ],
        [
            "Jane Doe",
            "jane@example.org",
            "12 Elm St",
            "generalist",
            "72000",
            "2027-01-04",
            "Dana",
            "Denver, CO",
        ],
    ),
    "denial": (
        ["Candidate Name", "Email", "Address", "Job", "Stage"],
        ["Jane Doe", "jane@example.org", "12 Elm St", "recruiter", "interview"],
    ),
    "reference-letter": (
        ["Employee", "Job", "Started", "Ended", "Email", "Salary", "Level", "Rehire"],
        ["Jane Doe", "generalist", "2021-03-01", "2026-10-30", "jane@example.org", "72000", "L1", "yes"],
    ),
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One workspace for the module (the batches here are dry runs: nothing is written into it)."""
    root = tmp_path_factory.mktemp("hostile") / "workspace"
    return write_files(
        root,
        {
            "hrdocs.yaml": yaml.safe_dump(BASE_COMPANY, allow_unicode=True, sort_keys=False),
            "kinds/reference-letter.yaml": REFERENCE_KIND,
            "templates/reference-letter.md.j2": REFERENCE_TEMPLATE,
        },
    )


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def assert_no_leak(result: Outcome) -> None:
    printed = result.out + result.err
    for marker in LEAKS:
        assert marker not in printed, f"{marker!r} printed:\n{printed}"
    assert "Traceback" not in printed and "internal error" not in printed, printed


# -------------------------------------------------------------------------- no personal data
def garbled(good: list[str]) -> st.SearchStrategy[list[str]]:
    """A good row shifted by some columns, with markers put into any cells, cut short or grown."""
    width = len(good)

    @st.composite
    def row(draw: st.DrawFn) -> list[str]:
        shift = draw(st.integers(0, width - 1))
        cells = good[shift:] + good[:shift]
        for i in draw(st.sets(st.integers(0, width - 1), max_size=width)):
            cells[i] = draw(st.sampled_from(MARKERS))
        size = draw(st.sampled_from([width, width, width, width - 1, width + 1]))
        return [*cells, draw(st.sampled_from(MARKERS))][:size]

    return row()


@pytest.mark.parametrize("kind", list(KINDS))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_garbled_batch_never_prints_a_value_of_its_rows(
    hrdocs: Run, ws: Path, kind: str, data: st.DataObject
) -> None:
    header, good = KINDS[kind]
    rows = data.draw(st.lists(garbled(good), min_size=1, max_size=4), label="rows")
    (ws / "rows.csv").write_text(csv_text(header, rows), encoding="utf-8")
    result = hrdocs("--date", DATE, "batch", "rows.csv", "--kind", kind, "--dry-run", "--jobs", "1", cwd=ws)
    assert result.code in (0, 1), result.err
    assert_no_leak(result)
    assert not (ws / "output").exists()


def test_garbled_rows_are_named_by_row_and_column(hrdocs: Run, ws: Path) -> None:
    header, good = KINDS["offer"]
    shifted = [*good[1:], "ZZSECRET123@x.org"]  # every cell one column to the left
    (ws / "shifted.csv").write_text(csv_text(header, [good, shifted]), encoding="utf-8")
    result = hrdocs("--date", DATE, "batch", "shifted.csv", "--kind", "offer", "--jobs", "1", cwd=ws)
    assert result.code == 1
    assert "  shifted.csv:3: Job: unknown role; give a role id, alias, unique prefix or title" in result.err
    assert "  shifted.csv:3: Email: is not an e-mail address" in result.err
    assert_no_leak(result)
    assert "jane@example.org" not in result.err and "Dana" not in result.err


def test_a_role_typed_for_a_job_description_is_said_back_but_a_letters_is_not(hrdocs: Run, ws: Path) -> None:
    jd = hrdocs("jd", "generalst", cwd=ws)
    assert jd.code == 1 and "unknown role `generalst`; did you mean `generalist`" in jd.err
    letter = hrdocs("denial", "ZZSECRET123@x.org", "--candidate", "Jane Doe", "--stage", "interview", cwd=ws)
    assert letter.code == 1 and "role: unknown role; give a role id" in letter.err
    assert_no_leak(letter)
    near = hrdocs("denial", "generalst", "--candidate", "Jane Doe", "--stage", "interview", cwd=ws)
    assert "did you mean `generalist`" in near.err and "generalst`" not in near.err  # the catalogue's names


def word_template(path: Path, *paragraphs: str) -> None:
    doc = new_docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def denial(hrdocs: Run, folder: Path, *extra: str, name: str = "Zoë ZZSECRETNAME") -> Outcome:
    args = ("denial", "recruiter", "--candidate", name, "--stage", "interview", "-f", "docx", *extra)
    return hrdocs("--date", DATE, *args, cwd=folder)


LOOKUPS = [
    (
        '{% set rates = {"a": 1} %}{{ rates[candidate.name] }}',
        "a lookup by a value from the data found nothing",
    ),
    ("{{ role[candidate.name] }}", "a lookup by a value from the data found nothing"),
    ('{{ candidate.name.encode("ascii") }}', "UnicodeEncodeError: 'ascii' codec can't encode character '…'"),
    ('{{ {"a": 1}.pop(candidate.name) }}', "KeyError"),
    ('{{ ["a"].index(candidate.name) }}', "ValueError: '…' is not in list"),
]


@pytest.mark.parametrize(("engine", "case"), [(e, c) for e in ("text", "word") for c in LOOKUPS])
def test_a_template_failing_on_a_value_names_the_place_and_never_the_value(
    hrdocs: Run, make_workspace: Callable[..., Path], engine: str, case: tuple[str, str]
) -> None:
    snippet, expected = case
    folder = make_workspace()
    if engine == "text":
        (folder / "templates").mkdir()
        (folder / "templates/denial-letter.md.j2").write_text(f"Hello\n{snippet}\n", encoding="utf-8")
        place = "templates/denial-letter.md.j2:2: "
    else:
        word_template(folder / "templates/denial-letter.docx", "Hello", snippet)
        place = 'denial-letter.docx: body, paragraph 2 ("'
    result = denial(hrdocs, folder)
    assert result.code == 1
    assert place in result.err and expected in result.err, result.err
    assert "ZZSECRET" not in result.err.replace(snippet, "") and "Zoë" not in result.err
    assert not (folder / "output").exists()


# ---------------------------------------------------------------------------------- unset values
PREFERRED = "prints `candidate.preferred_name`"
IF_PREFERRED = "{% if candidate.preferred_name %}"
UNSET = [
    ("Dear {{ candidate.preferred_name }},", f"{PREFERRED}, which this document does not have", IF_PREFERRED),
    ("Dear {{ candidate.first_name | default('you') }},", "prints `candidate.first_name`, which",
     'default("…", true)'),
    ("{{ 'Dear ' ~ candidate.preferred_name }},", PREFERRED, IF_PREFERRED),
    ("{{ candidate.name }} {{ candidate.email }}", "prints `candidate.email`", "{% if candidate.email %}"),
    ("{{ candidate.address }}", "prints the list `candidate.address` as it stands", '| join(", ")'),
    ("{{ role.pay_range }}", "prints `role.pay_range`, a group of values", "`role.pay_range.min`"),
]  # fmt: skip


@pytest.mark.parametrize("engine", ["text", "word"])
@pytest.mark.parametrize(("snippet", "message", "fix"), UNSET)
def test_printing_a_value_that_is_not_there_is_refused_with_its_name_and_the_fix(
    hrdocs: Run, make_workspace: Callable[..., Path], engine: str, snippet: str, message: str, fix: str
) -> None:
    folder = make_workspace()
    if engine == "text":
        (folder / "templates").mkdir()
        (folder / "templates/denial-letter.md.j2").write_text(f"Hello\n\n{snippet}\n", encoding="utf-8")
        place = "templates/denial-letter.md.j2:3: "
    else:
        word_template(folder / "templates/denial-letter.docx", "Hello", snippet)
        place = "denial-letter.docx: body, paragraph 2"
    result = denial(hrdocs, folder, "--address", "")
    assert result.code == 1, result.err
    assert place in result.err and message in result.err and fix in result.err, result.err
    assert "None" not in result.err.replace('"None"', "")
    assert not (folder / "output").exists()


def test_a_value_that_is_there_prints(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    folder = make_workspace({"templates/denial-letter.md.j2": "Dear {{ candidate.preferred_name }},\n"})
    result = denial(hrdocs, folder, "--preferred-name", "Zoë", "-f", "md")
    assert result.code == 0, result.err
    assert Path(result.out.strip()).read_text(encoding="utf-8").startswith("Dear Zoë,")


def test_a_batch_row_without_the_value_stops_the_batch_before_anything_is_written(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    folder = make_workspace({"templates/denial-letter.md.j2": "Dear {{ candidate.preferred_name }},\n"})
    rows = [
        ["Jane Doe", "Jane", "recruiter", "interview"],
        ["Zoë ZZSECRETNAME", "", "recruiter", "interview"],
    ]
    (folder / "d.csv").write_text(csv_text(["Candidate", "Preferred Name", "Job", "Stage"], rows), "utf-8")
    result = hrdocs("--date", DATE, "batch", "d.csv", "--kind", "denial", "--jobs", "1", cwd=folder)
    assert result.code == 1
    assert "d.csv:3: " in result.err and "prints `candidate.preferred_name`" in result.err
    assert_no_leak(result)
    assert not (folder / "output").exists() or not list((folder / "output").rglob("*.docx"))


GUARDED = [
    "{% if candidate.preferred_name %}Dear {{ candidate.preferred_name }},{% endif %}",
    "Dear {{ candidate.preferred_name if candidate.preferred_name else candidate.name }},",
    "Dear {{ candidate.preferred_name or candidate.name }},",
    "Dear {{ candidate.preferred_name | default(candidate.name, true) }},",
    "{% if not candidate.preferred_name %}Dear you,{% else %}Dear {{ candidate.preferred_name }},{% endif %}",
    "{% if candidate.preferred_name is not none %}{{ candidate.preferred_name | upper }}{% endif %}",
    "{% if candidate.email and candidate.preferred_name %}{{ candidate.preferred_name }}{% endif %}",
    "{% if role.reports_to %}{{ role.reports_to.title }}{% endif %}",
    "{% for line in candidate.address %}{{ line }}{% endfor %} {{ candidate.address | join(', ') }}",
    "Dear {{ candidate.salutation_name }},",
]
UNGUARDED = [
    ("Dear {{ candidate.preferred_name }},", f"{PREFERRED}, which some denial letters do not have"),
    ("{{ candidate.preferred_name | upper }}", PREFERRED),
    ("{{ candidate.preferred_name | default('you') }}", f"{PREFERRED}, which"),
    ("{{ 'Dear ' ~ candidate.first_name }}", "prints `candidate.first_name`"),
    ("{% if candidate.email %}{{ candidate.preferred_name }}{% endif %}", PREFERRED),
    ("{% if candidate.email %}{% else %}{{ candidate.email }}{% endif %}", "prints `candidate.email`"),
    ("{{ role.reports_to.title }}",
     "prints `role.reports_to.title`, but some denial letters have no `role.reports_to`"),
    ("{{ candidate.address }}", "prints the list `candidate.address` as it stands"),
]  # fmt: skip


def check(hrdocs: Run, folder: Path) -> Outcome:
    return hrdocs("templates", "check", "denial-letter", cwd=folder)


@pytest.mark.parametrize("snippet", GUARDED)
def test_templates_check_takes_a_guarded_value(
    hrdocs: Run, make_workspace: Callable[..., Path], snippet: str
) -> None:
    folder = make_workspace({"templates/denial-letter.md.j2": f"Hello\n{snippet}\n"})
    result = check(hrdocs, folder)
    assert result.code == 0 and "0 errors, 0 warnings" in result.out + result.err, result.out + result.err


@pytest.mark.parametrize(("snippet", "message"), UNGUARDED)
def test_templates_check_warns_of_an_unguarded_value(
    hrdocs: Run, make_workspace: Callable[..., Path], snippet: str, message: str
) -> None:
    folder = make_workspace({"templates/denial-letter.md.j2": f"Hello\n{snippet}\n"})
    printed = check(hrdocs, folder)
    text = printed.out + printed.err
    assert f"templates/denial-letter.md.j2:2: warning: {message}" in text, text


def test_templates_check_warns_in_a_word_template_at_its_paragraph(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    folder = make_workspace()
    word_template(folder / "templates/denial-letter.docx", "Hello", "Dear {{ candidate.preferred_name }},")
    result = check(hrdocs, folder)
    text = result.out + result.err
    assert (
        'denial-letter.docx: body, paragraph 2 ("Dear {{ candidate.preferred_name }},"): warning: prints '
        "`candidate.preferred_name`" in text
    ), text


def test_the_built_in_templates_print_no_value_unguarded(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    result = hrdocs("templates", "check", cwd=make_workspace())
    assert result.code == 0 and "0 errors, 0 warnings" in result.out + result.err, result.out + result.err


# ---------------------------------------------------------------------------------- the budget
STEPS = "took more than 500,000 steps"
BOMBS = [
    ("{% set r = range(1000) %}{% for a in r %}{% for b in r %}{% for c in r %}x"
     "{% endfor %}{% endfor %}{% endfor %}", STEPS),
    ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}", STEPS),
    ("{{ range(10**9) | length }}", "range(…) of 1,000,000,000 numbers: a template may count to 100,000"),
    ("{{ 'x' * 10**9 }}", "`*` would make a text of 1,000,000,000 characters"),
    ("{{ [1, 2] * 10**9 }}", "`*` would make a list of 2,000,000,000 items"),
    ("{{ 2 ** 100000 }}", "`**` would make a number of about 200,000 bits"),
    ("{{ '%999999999d' % 1 }}", "`%`: a width or precision over 5,000,000"),
    ("{{ '{:>999999999}'.format(1) }}", "`.format()`: a width over 5,000,000"),
    ("{{ 'x' | center(10**9) }}", "`center` would make a text"),
    ("{{ 'x' | indent(10**9, true) }}", "`indent` would make a text"),
    ("{{ ('ab' * 1000) | replace('', 'x' * 10000) }}", "`replace` would make a text of 20,012,000"),
    ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
     "`~` would make a text"),
    ('{% set ns = namespace(s="x") %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
     "`+` would make a text"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "calls go too deep"),
    ("{% macro f(n) %}{% for i in range(100) %}{% endfor %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
     "{% endmacro %}{{ f(60) }}", STEPS),
]  # fmt: skip


@pytest.mark.parametrize(("snippet", "limit"), BOMBS)
def test_a_template_over_its_budget_is_refused_quickly_with_its_place(
    hrdocs: Run, make_workspace: Callable[..., Path], snippet: str, limit: str
) -> None:
    folder = make_workspace({"templates/denial-letter.md.j2": f"Hello\n{snippet}\n"})
    started = time.monotonic()
    result = denial(hrdocs, folder)
    assert time.monotonic() - started < 20
    assert result.code == 1, result.err
    assert "templates/denial-letter.md.j2:2: " in result.err and limit in result.err, result.err
    assert 'docs/templates.md, "Limits on templates"' in result.err
    assert not (folder / "output").exists()


def test_a_word_template_has_the_same_budget(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    folder = make_workspace()
    loops = "{% for a in range(1000) %}{% for b in range(1000) %}x{% endfor %}{% endfor %}"
    word_template(folder / "templates/denial-letter.docx", "Hello", loops)
    result = denial(hrdocs, folder)
    assert result.code == 1
    assert "denial-letter.docx: body, paragraph 2" in result.err and STEPS in result.err
    assert not (folder / "output").exists()


def test_the_budget_is_per_document(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    """Each letter takes over half the budget: a batch of two still writes both."""
    # 2 × 130,000 steps (each number made, then walked): over half of 500,000
    loop = "{% for i in range(100000) %}{% if loop.last %}{{ i }}{% endif %}{% endfor %}"
    loop += "{% for i in range(30000) %}{% endfor %}"
    folder = make_workspace({"templates/denial-letter.md.j2": f"Hello {{{{ candidate.name }}}}\n{loop}\n"})
    rows = [[f"Person {n}", "recruiter", "interview"] for n in range(2)]
    (folder / "d.csv").write_text(csv_text(["Candidate", "Job", "Stage"], rows), encoding="utf-8")
    result = hrdocs(
        "--date", DATE, "batch", "d.csv", "--kind", "denial", "-f", "md", "--jobs", "1", cwd=folder
    )
    assert result.code == 0, result.err
    written = sorted((folder / "output/denials").glob("*.md"))
    assert len(written) == 2 and all("99999" in p.read_text(encoding="utf-8") for p in written)
