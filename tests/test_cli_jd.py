"""``hrdocs jd`` and ``hrdocs roles`` as a user runs them: output, exit codes, messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.util import cli, docx_text, write_files


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path) -> None:
    os.chdir(tmp_path)


def test_jd_writes_the_document_and_prints_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = cli(capsys, "jd", "generalist")
    target = tmp_path / "output/job-descriptions/hr-generalist.docx"
    assert result.code == 0, result.err
    assert result.out.strip() == str(target)
    assert "HR Generalist" in docx_text(target)


def test_existing_file_is_kept_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "output/job-descriptions/hr-generalist.docx"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"edited by hand")
    result = cli(capsys, "jd", "generalist")
    assert result.code == 1
    assert "already exists, not overwritten" in result.err and "--force" in result.err
    assert target.read_bytes() == b"edited by hand"
    assert cli(capsys, "jd", "generalist", "--force").code == 0
    assert target.read_bytes().startswith(b"PK")
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]


def test_unknown_role_exits_1_with_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "jd", "generalst")
    assert result.code == 1
    assert "unknown role `generalst`" in result.err
    assert "did you mean `generalist`" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["jd"],
        ["jd", "generalist", "--all"],
        ["jd", "--bogus"],
        ["jd", "generalist", "--format", "xyz"],
        ["nope"],
    ],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    result = cli(capsys, *args)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err


def test_bad_workspace_data_exits_1_naming_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"hrdocs.yaml": "company:\n  name: Acme\nvoice:\n  tone: chummy\n  sign_of: Bye\n"})
    result = cli(capsys, "jd", "generalist")
    assert result.code == 1
    assert f"{tmp_path / 'hrdocs.yaml'}:4: voice.tone:" in result.err
    assert f"{tmp_path / 'hrdocs.yaml'}:5: voice.sign_of: unknown key" in result.err
    assert not (tmp_path / "output").exists()


def test_template_error_exits_1_naming_the_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"templates/job-description.md.j2": "# {{ role.titel }}\n"})
    result = cli(capsys, "jd", "generalist")
    assert result.code == 1
    assert f"{tmp_path / 'templates/job-description.md.j2'}:1: undefined variable: `role.titel`" in result.err


def test_unwritable_output_folder_is_one_clear_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blocked").write_text("a file where a folder should be")
    result = cli(capsys, "jd", "generalist", "--out", "blocked/sub")
    assert result.code == 1
    blocked = tmp_path / "blocked"
    assert result.err == (
        f"error: nothing written: 1 problem:\n  {blocked}: not a folder, so cannot hold {blocked / 'sub'}\n"
    )
    assert blocked.read_text() == "a file where a folder should be"


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Exception, match="generalst"):
        cli(capsys, "--debug", "jd", "generalst")


def test_jd_all_writes_every_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli(capsys, "jd", "--all")
    assert result.code == 0, result.err
    written = sorted(p.name for p in (tmp_path / "output/job-descriptions").iterdir())
    assert "hr-executive.docx" in written and "hr-generalist.docx" in written and len(written) >= 8


def test_roles_lists_and_shows(capsys: pytest.CaptureFixture[str]) -> None:
    listing = cli(capsys, "roles")
    assert listing.code == 0
    header, *rows = listing.out.splitlines()
    assert header.split() == ["ID", "TITLE", "DEPARTMENT", "REPORTS", "TO", "DUTIES"]
    generalist = next(r for r in rows if r.startswith("hr-generalist "))
    assert "HR Generalist" in generalist and "hr-executive" in generalist
    shown = cli(capsys, "roles", "show", "generalist")
    assert shown.code == 0
    assert "HR Generalist (hr-generalist)" in shown.out
    assert "Strategic Planning" in shown.out and "HR Operations" in shown.out


def test_workspace_option_and_global_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "acme"
    ws.mkdir()
    write_files(ws, {"hrdocs.yaml": "company:\n  name: Acme Widgets\n"})
    result = cli(capsys, "--workspace", str(ws), "--date", "2027-03-01", "jd", "executive")
    assert result.code == 0, result.err
    assert (ws / "output/job-descriptions/hr-executive.docx").is_file()
    assert cli(capsys, "--date", "03/01/2027", "jd", "executive").code == 2


def test_generation_runs_the_checks_and_strict_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(tmp_path, {"hrdocs.yaml": "company:\n  name: Acme\nvoice:\n  avoid: [day-to-day]\n"})
    strict = cli(capsys, "--strict", "jd", "generalist")
    assert strict.code == 1
    assert "voice.avoid" in strict.err and "`day-to-day`" in strict.err and "nothing written" in strict.err
    assert not (tmp_path / "output").exists()
    lenient = cli(capsys, "jd", "generalist")
    assert lenient.code == 0
    assert "warning: job-description hr-generalist:" in lenient.err and "voice.avoid" in lenient.err
    assert (tmp_path / "output/job-descriptions/hr-generalist.docx").is_file()
