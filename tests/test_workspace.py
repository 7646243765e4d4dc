"""Workspaces: `hrdocs init`, templates found workspace-first, overrides, exports and new kinds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from pydantic import BaseModel

from hrdocs.api import Session
from hrdocs.init import STARTER, init_workspace
from hrdocs.loader import parse_yaml, validate
from hrdocs.models import Settings
from hrdocs.templates import find_template, template_files
from tests.util import cli, docx_text, write_files

JANE = """\
candidate: Tom & Jerry <Ltd>
preferred_name: Zoë
role: generalist
salary: 72000
start: 2031-01-06
manager: Dana O'Neil
location: Denver, CO
"""


# ------------------------------------------------------------------------------------------- init
def test_init_makes_a_working_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "acme-hr"
    result = cli(capsys, "init", str(ws))
    assert result.code == 0, result.err
    for name in ("hrdocs.yaml", "logo.png", "README.md", ".gitignore", "roles", "templates", "output"):
        assert (ws / name).exists(), name
    assert "hrdocs -w" in result.err
    result = cli(capsys, "-w", str(ws), "--date", "2030-01-02", "jd", "generalist")
    assert result.code == 0, result.err
    out = ws / "output" / "job-descriptions" / "hr-generalist.docx"
    assert result.out.strip() == str(out)
    assert "About Example Co." in docx_text(out)
    gitignore = (ws / ".gitignore").read_text()
    assert "output/" in gitignore and "~$*" in gitignore  # letters and Word's lock files stay out of git


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = write_files(tmp_path / "ws", {"hrdocs.yaml": "company: {name: Mine}\n", "notes.txt": "keep"})
    before = sorted(p.relative_to(ws) for p in ws.rglob("*"))
    result = cli(capsys, "init", str(ws))
    assert result.code == 1
    assert "already has hrdocs.yaml; nothing was written" in result.err
    assert sorted(p.relative_to(ws) for p in ws.rglob("*")) == before
    assert (ws / "hrdocs.yaml").read_text() == "company: {name: Mine}\n"


def test_init_into_a_non_empty_folder_without_clashes(tmp_path: Path) -> None:
    ws = write_files(tmp_path / "repo", {"notes.txt": "keep"})
    written = init_workspace(ws)
    assert ws / "hrdocs.yaml" in written
    assert (ws / "notes.txt").read_text() == "keep"
    with pytest.raises(Exception, match="is a file"):
        init_workspace(ws / "notes.txt")


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        key = prefix + name
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out |= _keys(annotation, key + ".")
        else:
            out.add(key)
    return out


def _paths(data: Any, prefix: str = "") -> set[str]:
    out = set()
    if isinstance(data, dict):
        for key, value in data.items():
            out.add(prefix + key)
            out |= _paths(value, prefix + key + ".")
    return out


def test_starter_settings_file_has_every_key_and_validates_with_all_of_them() -> None:
    validate(Settings, *parse_yaml(STARTER, "hrdocs.yaml"))
    # `#key: value` lines (a # right before a key, or before indented lines) are optional keys.
    uncommented = re.sub(r"(?m)^(\s*)#(?=\S|  )", r"\1", STARTER)
    data, lines = parse_yaml(uncommented, "hrdocs.yaml")
    settings = validate(Settings, data, "hrdocs.yaml", lines)
    assert settings.offers.contingency_texts[0].id == "references"
    missing = _keys(Settings) - _paths(yaml.safe_load(uncommented))
    assert not missing, f"keys of hrdocs.yaml the starter does not show: {sorted(missing)}"


# --------------------------------------------------------------------------- finding templates
def _word(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_workspace_templates_win_and_word_wins_within_a_folder(tmp_path: Path) -> None:
    write_files(tmp_path, {"templates/job-description.md.j2": "# {{ role.title }}\n\nOurs.\n"})
    assert find_template(Session(tmp_path).workspace, "job-description").origin == "workspace"
    _word(tmp_path / "templates" / "job-description.docx", "Word {{ role.title }}")
    (tmp_path / "templates" / "~$b-description.docx").write_bytes(b"lock")  # Word's lock file
    files = [f for f in template_files(Session(tmp_path).workspace) if f.kind == "job-description"]
    assert [(f.engine, f.origin, f.used) for f in files] == [
        ("word", "workspace", True),
        ("text", "workspace", False),
        ("text", "built-in", False),
    ]


def test_templates_lists_kind_engine_origin_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"templates/job-description.md.j2": "# {{ role.title }}\n"})
    _word(tmp_path / "templates" / "welcome.docx", "Hello {{ company.name }}")
    result = cli(capsys, "-w", str(tmp_path), "templates")
    assert result.code == 0, result.err
    rows = [line.split() for line in result.out.splitlines()]
    assert rows[0] == ["KIND", "ENGINE", "ORIGIN", "FILE"]
    assert rows[-1][:3] == ["welcome", "word", "workspace"]
    jd = [r for r in rows if r[0] == "job-description"]
    assert jd[0][:3] == ["job-description", "text", "workspace"]
    assert jd[1][:3] == ["job-description", "text", "built-in"] and jd[1][-2:] == ["(not", "used)"]
    assert rows[1][:4] == ["_base", "(partial)", "text", "built-in"]


def test_workspace_text_template_overrides_the_built_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "templates/job-description.md.j2": """\
                {% extends "_base.md.j2" %}
                {% block title %}{{ role.title }} at {{ company.name }}{% endblock %}
                {% block body %}
                Our own words about {{ role.title }}.
                {% endblock %}
            """
        },
    )
    result = cli(capsys, "-w", str(tmp_path), "jd", "generalist")
    assert result.code == 0, result.err
    text = docx_text(tmp_path / "output" / "job-descriptions" / "hr-generalist.docx")
    assert "HR Generalist at Example Co." in text and "Our own words about HR Generalist." in text


# --------------------------------------------------------------------------------------- export
def test_export_copies_the_built_in_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(tmp_path), "templates", "export", "offer-letter")
    assert result.code == 0, result.err
    copy = tmp_path / "templates" / "offer-letter.md.j2"
    assert (
        copy.read_text()
        == (Session(tmp_path).workspace.builtin / "templates" / "offer-letter.md.j2").read_text()
    )
    copy.write_text("edited")
    result = cli(capsys, "-w", str(tmp_path), "templates", "export", "offer-letter")
    assert result.code == 1 and "already exists, not overwritten" in result.err and "--force" in result.err
    assert copy.read_text() == "edited"
    assert cli(capsys, "-w", str(tmp_path), "templates", "export", "offer-letter", "--force").code == 0
    assert copy.read_text() != "edited"
    result = cli(capsys, "-w", str(tmp_path), "templates", "export", "offer-leter")
    assert result.code == 1 and "did you mean `offer-letter`" in result.err


def test_export_docx_is_refused_over_an_existing_one_and_notes_which_file_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "-w", str(tmp_path), "templates", "export", "job-description").code == 0
    result = cli(capsys, "-w", str(tmp_path), "templates", "export", "job-description", "--docx")
    assert result.code == 0, result.err
    assert "job-description.docx is used from now on" in result.err
    again = cli(capsys, "-w", str(tmp_path), "templates", "export", "job-description", "--docx")
    assert again.code == 1 and "already exists" in again.err


# ------------------------------------------------------------------------------------ new kinds
def test_new_free_form_kind_renders_with_the_company_voice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(
        tmp_path,
        {
            "templates/welcome.md.j2": """\
                {% extends "_base.md.j2" %}
                {% block title %}Welcome, {{ name }}{% endblock %}
                {% block body %}
                {{ by_tone(formal="Dear", warm="Hi", plain="Hello") }} {{ name }}, you join as
                {{ role.title }} on {{ start | date }}, with a stipend of {{ stipend | money }}.
                Read the employee handbook.
                {% endblock %}
            """,
            "zoe.yaml": "name: Zoë & <Co>\nstart: 2031-02-03\nstipend: 1500\nrole: recruiter\n",
        },
    )
    result = cli(capsys, "-w", str(tmp_path), "render", "welcome", "--data", str(tmp_path / "zoe.yaml"))
    assert result.code == 0, result.err
    out = tmp_path / "output" / "welcome" / "zoe.docx"
    assert result.out.strip() == str(out)
    text = docx_text(out)
    assert "Welcome, Zoë & <Co>" in text
    assert (
        "Hi Zoë & <Co>, you join as Recruiter on February 3, 2031, with a stipend of $1,500.00. "
        "Read the team handbook." in text
    )
    assert out.stat().st_mode & 0o077 == 0  # data files of new kinds may hold personal data


def test_reserved_names_cannot_come_from_a_data_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"templates/note.md.j2": "# {{ company.name }}\n", "x.yaml": "company: Evil\n"})
    result = cli(capsys, "-w", str(tmp_path), "render", "note", "--data", str(tmp_path / "x.yaml"))
    assert result.code == 1
    assert "company: comes from hrdocs.yaml" in result.err


def test_new_kind_like_an_offer_takes_the_offers_data_and_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys, "-w", str(tmp_path), "templates", "export", "offer-letter", "--as", "internship-offer"
    )
    assert result.code == 0, result.err
    template = tmp_path / "templates" / "internship-offer.md.j2"
    assert template.read_text().startswith("{#- hrdocs: like offer-letter -#}\n")
    write_files(tmp_path, {"jane.yaml": JANE})
    args = ["-w", str(tmp_path), "--date", "2030-12-01", "render", "internship-offer"]
    result = cli(capsys, *args, "--data", str(tmp_path / "jane.yaml"))
    assert result.code == 0, result.err
    out = tmp_path / "output" / "internship-offer" / "internship-offer-tom-jerry-ltd-hr-generalist.docx"
    assert result.out.strip() == str(out)
    assert "Dear Zoë," in docx_text(out)
    write_files(tmp_path, {"bad.yaml": JANE.replace("salary: 72000", "salary: lots")})
    result = cli(capsys, *args, "--data", str(tmp_path / "bad.yaml"))
    assert result.code == 1 and "bad.yaml:4: salary: must be a number" in result.err


def test_render_of_a_built_in_kind_and_an_unknown_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(tmp_path), "render", "job-description", "--role", "recruiter")
    assert result.code == 0, result.err
    out = tmp_path / "output" / "job-descriptions" / "recruiter.docx"  # the kind's folder, as `hrdocs jd`
    assert result.out.strip() == str(out)
    assert "Recruiter" in docx_text(out)
    result = cli(capsys, "-w", str(tmp_path), "render", "job-descripton", "--role", "recruiter")
    assert result.code == 1 and "did you mean `job-description`" in result.err
    # A missing role is refused as any missing field is, by the kind's validation.
    result = cli(capsys, "-w", str(tmp_path), "render", "job-description")
    assert result.code == 1
    assert "command line: role: required, but missing" in result.err
    assert list((tmp_path / "output").rglob("*.docx")) == [out]


# ------------------------------------------------------------------------- declared workspace kinds
PROMOTION_TEMPLATE = """\
    {% extends "_base.md.j2" %}
    {% block title %}Promotion: {{ candidate }}{% endblock %}
    {% block body %}
    Dear {{ candidate }},

    From {{ effective | date }} you are {{ role.title }}{% if level %} at level {{ level }}{% endif %}.
    {% if new_salary %}
    Your new salary is {{ new_salary | money }}.
    {% endif %}

    {{ signatory.name }}, {{ company.name }}
    {% endblock %}
"""
PROMOTION_KIND = """\
    title: Promotion letter
    aliases: [promotion]
    fields:
      candidate:
        type: text
        required: true
        help: The employee's full name.
        example: Jane Q. Doe
        aliases: [employee_name, staff name]
      role:
        type: role
        required: true
      effective:
        type: date
        required: true
        help: The day the promotion takes effect.
      new_salary:
        type: money
        aliases: [salary]
      level:
        type: choice
        choices: [L1, L2]
"""
PROMOTION_DATA = """\
candidate: Zoë O'Brien & <Co>
role: recruiter
effective: 2031-03-01
new_salary: 81,500
level: L2
"""


@pytest.fixture
def promotions(tmp_path: Path) -> Path:
    """A workspace with a declared kind: ``templates/promotion-letter.md.j2`` and its fields in
    ``kinds/promotion-letter.yaml``."""
    return write_files(
        tmp_path,
        {
            "templates/promotion-letter.md.j2": PROMOTION_TEMPLATE,
            "kinds/promotion-letter.yaml": PROMOTION_KIND,
            "x.yaml": PROMOTION_DATA,
        },
    )


def test_a_declared_kind_renders_its_fields_into_a_docx(
    promotions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(
        capsys, "-w", str(promotions), "render", "promotion-letter", "--data", str(promotions / "x.yaml")
    )
    assert result.code == 0, result.err
    out = promotions / "output" / "promotion-letter" / "promotion-letter-zoe-o-brien-co.docx"
    assert result.out.strip() == str(out)
    text = docx_text(out).splitlines()
    assert text[0] == "Promotion: Zoë O'Brien & <Co>"
    assert "Dear Zoë O'Brien & <Co>," in text
    assert "From March 1, 2031 you are Recruiter at level L2. Your new salary is $81,500.00." in text
    assert "Morgan Lee, Example Co." in text  # the signatory and the company come from hrdocs.yaml
    assert out.stat().st_mode & 0o077 == 0  # a declared kind is private unless it says otherwise
    assert [p.name for p in (promotions / "output").rglob("*") if p.is_file()] == [out.name]
    # any of its names will do, and an optional field may be left out
    write_files(promotions, {"y.yaml": "candidate: Sam Lee\nrole: HR Generalist\neffective: 2031-04-01\n"})
    result = cli(capsys, "-w", str(promotions), "render", "promotion", "--data", str(promotions / "y.yaml"))
    assert result.code == 0, result.err
    text = docx_text(promotions / "output" / "promotion-letter" / "promotion-letter-sam-lee.docx")
    assert "From April 1, 2031 you are HR Generalist." in text.splitlines()
    assert "salary" not in text


def test_a_declared_kind_refuses_bad_data_field_by_field_and_writes_nothing(
    promotions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "candidate: Zoë\nrole: recruiter\nnew_salary: abc\nlevel: L9\nmanager: Dana\n"
    write_files(promotions, {"bad.yaml": bad})
    result = cli(
        capsys, "-w", str(promotions), "render", "promotion-letter", "--data", str(promotions / "bad.yaml")
    )
    assert result.code == 1
    path = str(promotions / "bad.yaml")
    lines = result.err.splitlines()
    assert lines[0] == f"error: 4 problems in {path}:"
    assert lines[1:4] == [
        f"  {path}: effective: required, but missing (The day the promotion takes effect)",
        f"  {path}:3: new_salary: must be a number, written like 72000 or 72000.50 (no currency sign)",
        f"  {path}:4: level: must be one of L1, L2",
    ]
    assert lines[4].startswith(f"  {path}:5: manager: unknown key")
    assert "Zoë" not in result.err and "Dana" not in result.err  # the data's values are never quoted
    assert not (promotions / "output").exists()
    write_files(promotions, {"role.yaml": "candidate: Zoë\nrole: astronaut\neffective: 2031-03-01\n"})
    result = cli(
        capsys, "-w", str(promotions), "render", "promotion-letter", "--data", str(promotions / "role.yaml")
    )
    assert result.code == 1
    assert f"{promotions / 'role.yaml'}:2: role: unknown role; give a role id" in result.err
    assert "astronaut" not in result.err  # a letter's data is never quoted
    assert not (promotions / "output").exists()


PROMOTIONS_CSV = """\
Employee Name,Role,Effective,New Salary,Level
Zoë O'Brien,recruiter,2031-03-01,"81,500",L2
Sam Lee,generalist,2031-04-01,90000,L1
"""


def test_a_batch_of_a_declared_kind_reads_its_column_aliases(
    promotions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(promotions, {"promotions.csv": PROMOTIONS_CSV})
    args = ["-w", str(promotions), "batch", str(promotions / "promotions.csv"), "--kind", "promotion-letter"]
    result = cli(capsys, *args)
    assert result.code == 0, result.err
    assert "written 2, skipped 0, invalid 0, failed 0" in result.out
    folder = promotions / "output" / "promotion-letter"
    letters = sorted(p.name for p in folder.glob("*.docx"))
    assert letters == ["promotion-letter-sam-lee.docx", "promotion-letter-zoe-o-brien.docx"]
    zoe = docx_text(folder / "promotion-letter-zoe-o-brien.docx")
    assert "From March 1, 2031 you are Recruiter at level L2. Your new salary is $81,500.00." in zoe
    sam = docx_text(folder / "promotion-letter-sam-lee.docx")
    assert "From April 1, 2031 you are HR Generalist at level L1. Your new salary is $90,000.00." in sam
    assert "Zoë" not in sam


def test_a_bad_row_of_a_declared_kind_is_located_by_row_and_column(
    promotions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = PROMOTIONS_CSV.replace("2031-04-01,90000,L1", ",abc,L9")
    write_files(promotions, {"promotions.csv": bad})
    monkeypatch.chdir(promotions)
    result = cli(capsys, "batch", "promotions.csv", "--kind", "promotion-letter")
    assert result.code == 1
    assert (
        "promotions.csv:3: Effective: required, but missing (The day the promotion takes effect)"
        in result.err
    )
    assert (
        "promotions.csv:3: New Salary: must be a number, written like 72000 or 72000.50 (no currency sign)"
        in result.err
    )
    assert "promotions.csv:3: Level: must be one of L1, L2" in result.err
    assert "promotions.csv:2:" not in result.err
    assert "1 of 2 rows are invalid" in result.err
    assert not (promotions / "output").exists()  # nothing written, not even the good row


def test_templates_vars_and_check_read_the_declared_fields(
    promotions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(promotions), "templates", "vars", "promotion-letter")
    assert result.code == 0, result.err
    rows = {line[3:].split()[0]: line for line in result.out.splitlines()[1:] if line[3:].strip()}
    assert rows["candidate"].startswith("*") and "Jane Q. Doe" in rows["candidate"]  # its example
    assert rows["role.title"].startswith("*") and "text" in rows["role.title"]
    assert rows["effective"].startswith("*") and "date" in rows["effective"]
    assert rows["new_salary"].startswith("*") and "number" in rows["new_salary"]
    assert rows["level"].startswith("*") and "L1" in rows["level"]
    assert not rows["role.summary"].startswith("*")  # offered, but not used
    result = cli(capsys, "-w", str(promotions), "templates", "check", "promotion-letter")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "1 template checked: 0 errors, 0 warnings" in result.err
    result = cli(capsys, "-w", str(promotions), "templates", "check")
    assert result.code == 0, result.out + result.err
    # a name the declaration does not give is found by the check
    write_files(promotions, {"templates/promotion-letter.md.j2": "# {{ candidate }}\n\n{{ new_salery }}\n"})
    result = cli(capsys, "-w", str(promotions), "templates", "check", "promotion-letter")
    assert result.code == 1
    assert "promotion-letter.md.j2:3: error: unknown variable `new_salery` (did you mean `new_salary`?)" in (
        result.out
    )


@pytest.mark.parametrize(
    ("declaration", "problem"),
    [
        (
            "fields: {today: text}\n",
            "kinds/promotion-letter.yaml:1: fields.today: every template has it from hrdocs.yaml or the run",
        ),
        (
            "title: Promotion\nfields:\n  candidate: text\n  today: date\n",
            "kinds/promotion-letter.yaml:4: fields.today: every template has it from hrdocs.yaml or the run",
        ),
        (
            "title: Promotion\nfeilds:\n  candidate: text\n",
            "kinds/promotion-letter.yaml:2: feilds: unknown key",
        ),
        (
            "fields:\n  candidate: {type: text, requird: true}\n",
            "kinds/promotion-letter.yaml:2: fields.candidate.requird: unknown key",
        ),
        (
            "fields:\n  candidate: text\n  level: texty\n",
            "kinds/promotion-letter.yaml:3: fields.level.type: Input should be 'text', 'multiline'",
        ),
        (
            "fields:\n  Start-Date: date\n",
            "kinds/promotion-letter.yaml:2: fields.Start-Date: write field names in lower case",
        ),
    ],
    ids=["reserved-inline", "reserved", "unknown-key", "unknown-field-key", "unknown-type", "bad-name"],
)
def test_a_broken_declaration_is_an_error_naming_its_file_and_line(
    promotions: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    declaration: str,
    problem: str,
) -> None:
    write_files(promotions, {"kinds/promotion-letter.yaml": declaration})
    monkeypatch.chdir(promotions)
    result = cli(capsys, "templates", "check", "promotion-letter")
    assert result.code == 1
    assert result.out.startswith("kinds/promotion-letter.yaml: error: ")
    assert problem in result.out
    assert "1 template checked: 1 error" in result.err
    result = cli(capsys, "templates", "check")  # the whole workspace's check fails on it too
    assert result.code == 1 and problem in result.out
    # the kind refuses to be used, saying why; nothing is written, and the other kinds still work
    result = cli(capsys, "render", "promotion-letter", "--data", "x.yaml")
    assert result.code == 1 and problem in result.err
    assert not (promotions / "output").exists()
    assert cli(capsys, "jd", "recruiter").code == 0


def test_kinds_lists_the_declared_kind_and_shows_its_fields(
    promotions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "-w", str(promotions), "kinds")
    assert result.code == 0, result.err
    rows = {line.split()[0]: line for line in result.out.splitlines()[1:]}
    assert set(rows) >= {"job-description", "offer-letter", "denial-letter", "promotion-letter"}
    row = rows["promotion-letter"].split()
    assert row[1:] == [
        "promotion",
        "output/promotion-letter",
        str(promotions / "kinds" / "promotion-letter.yaml"),
    ]
    result = cli(capsys, "-w", str(promotions), "kinds", "show", "promotion-letter")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Promotion letter (promotion-letter)"
    assert "names: promotion-letter, promotion; folder: output/promotion-letter" in lines[1]
    fields = {line.split()[0]: line for line in lines[3:]}
    assert list(fields) == ["candidate", "role", "effective", "new_salary", "level"]
    assert fields["candidate"].split()[1:3] == ["text", "yes"]
    assert fields["candidate"].endswith("The employee's full name. (required) E.g. Jane Q. Doe.")
    assert fields["role"].split()[1:3] == ["role", "yes"]
    assert fields["effective"].split()[1:3] == ["date", "yes"]
    assert fields["effective"].endswith("The day the promotion takes effect. (required)")
    assert fields["new_salary"].split()[1:] == ["money"]
    assert fields["level"].split()[1:] == ["choice"]
    assert "free-form" not in result.out
    table = cli(capsys, "-w", str(promotions), "kinds", "show", "promotion-letter", "--markdown").out
    assert (
        "| `candidate` | text | yes | The employee's full name. E.g. `Jane Q. Doe`. "
        "| `employee_name`, `staff_name` |" in table
    )
    assert "| `level` | choice (L1, L2) |" in table
