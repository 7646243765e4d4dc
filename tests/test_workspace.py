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
    assert (tmp_path / "output" / "job-description" / "recruiter.docx").is_file()
    result = cli(capsys, "-w", str(tmp_path), "render", "job-descripton", "--role", "recruiter")
    assert result.code == 1 and "did you mean `job-description`" in result.err
    result = cli(capsys, "-w", str(tmp_path), "render", "job-description")
    assert result.code == 2 and "--role" in result.err
