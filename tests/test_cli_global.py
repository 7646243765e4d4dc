"""Global options (``-w``, ``--date``, ``--strict``, ``--debug``) before or after the command.

Users type options where they think of them (``hrdocs jd generalist --date 2027-01-04``); these
tests hold that the position never changes the meaning, that a command's own option of the same name
wins (``lint --strict``), that option values and ``--`` are left alone, and that a
bad ``--date`` is a usage error wherever it is written.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import date
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from hrdocs.cli import LATEST_DATE, Ctx, cli, hoist_global_options
from tests.util import Result, docx_text, write_files
from tests.util import cli as hrdocs

EXAMPLE = Path(__file__).parent.parent / "hrdocs/data/example-company.yaml"
AVOID = "company:\n  name: Acme\nvoice:\n  avoid: [day-to-day]\n"
"""A workspace whose voice avoids a phrase the generalist's job description uses: a warning."""


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path) -> None:
    os.chdir(tmp_path)


def hoisted(line: str) -> list[str]:
    return hoist_global_options(cli, click.Context(cli), line.split())


def created(docx: Path) -> str:
    """The ``dcterms:created`` stamp of a DOCX: where the document date lands in its properties."""
    with zipfile.ZipFile(docx) as package:
        core = package.read("docProps/core.xml").decode()
    match = re.search(r"<dcterms:created[^>]*>([^<]+)</dcterms:created>", core)
    assert match, core
    return match.group(1)


def test_date_after_the_command_means_the_same_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after = hrdocs(capsys, "jd", "generalist", "--date", "2027-01-04", "-o", "after")
    before = hrdocs(capsys, "--date", "2027-01-04", "jd", "generalist", "-o", "before")
    assert (after.code, before.code) == (0, 0), after.err + before.err
    docx_after, docx_before = tmp_path / "after/hr-generalist.docx", tmp_path / "before/hr-generalist.docx"
    assert created(docx_after).startswith("2027-01-04")
    with zipfile.ZipFile(docx_after) as a, zipfile.ZipFile(docx_before) as b:
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
        assert a.read("word/document.xml") == b.read("word/document.xml")


def test_workspace_after_the_command_is_the_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    settings["company"]["name"] = "Hoisted Widgets"
    logo = (EXAMPLE.parent / settings["company"]["logo"]).read_bytes()  # relative to the workspace
    ws = write_files(
        tmp_path / "ws",
        {"hrdocs.yaml": yaml.safe_dump(settings, sort_keys=False), settings["company"]["logo"]: logo},
    )
    result = hrdocs(capsys, "jd", "generalist", "-w", str(ws))
    assert result.code == 0, result.err
    target = ws / "output/job-descriptions/hr-generalist.docx"
    assert result.out.strip() == str(target)
    assert "Hoisted Widgets" in docx_text(target)
    glued = hrdocs(capsys, "jd", "generalist", f"-w{ws}", "--force")
    assert glued.code == 0, glued.err
    assert glued.out.strip() == str(target)


def test_strict_after_jd_refuses_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_files(tmp_path, {"hrdocs.yaml": AVOID})
    strict = hrdocs(capsys, "jd", "generalist", "--strict")
    assert strict.code == 1
    assert "voice.avoid" in strict.err and "nothing written" in strict.err
    assert not (tmp_path / "output").exists()


def test_a_value_that_looks_like_an_option_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = "offer generalist --candidate --strict"
    assert hoisted(line) == line.split()
    write_files(tmp_path, {"hrdocs.yaml": AVOID})
    result = hrdocs(capsys, "jd", "generalist", "-o", "--strict")  # a folder named --strict; not strict
    assert result.code == 0, result.err
    assert "warning:" in result.err and "voice.avoid" in result.err
    assert (tmp_path / "--strict/hr-generalist.docx").is_file()


def test_lint_keeps_its_own_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = write_files(tmp_path, {"note.txt": "We work hard, play hard.\n"}) / "note.txt"
    lenient = hrdocs(capsys, "lint", str(note), "-w", str(tmp_path))
    assert lenient.code == 0, lenient.out + lenient.err
    assert "warning" in lenient.out
    strict = hrdocs(capsys, "lint", str(note), "--strict", "-w", str(tmp_path))
    assert strict.code == 1
    assert "lint failed: 0 errors and 1 warning (--strict)" in strict.err
    assert hoisted("lint x --strict --debug") == ["--debug", "lint", "x", "--strict"]


OFFER = (
    "offer generalist --candidate Jane --start 2027-02-01 --salary 72000 --manager Dana --location Denver,CO"
)
"""An offer's command line (no value with a space, so ``str.split`` makes it); offer has no ``--date``."""


def test_date_after_offer_dates_the_letter_as_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hoisted(f"{OFFER} --date 2027-01-04 --strict") == [
        "--date=2027-01-04",
        "--strict",
        *OFFER.split(),
    ]
    after = hrdocs(capsys, *OFFER.split(), "--date", "2027-01-04", "-o", "after")
    before = hrdocs(capsys, "--date", "2027-01-04", *OFFER.split(), "-o", "before")
    assert (after.code, before.code) == (0, 0), after.err + before.err
    name = "offer-jane-hr-generalist.docx"
    letter_after, letter_before = tmp_path / "after" / name, tmp_path / "before" / name
    assert after.out.strip() == str(letter_after) and before.out.strip() == str(letter_before)
    text = docx_text(letter_after).split("\n")
    assert text[1] == "January 4, 2027"  # the letter's date, under its title
    assert "This offer is open until January 11, 2027." in docx_text(letter_after)  # counted from it
    assert created(letter_after).startswith("2027-01-04")
    with zipfile.ZipFile(letter_after) as a, zipfile.ZipFile(letter_before) as b:
        assert a.read("docProps/core.xml") == b.read("docProps/core.xml")
        assert a.read("word/document.xml") == b.read("word/document.xml")
    other = hrdocs(capsys, *OFFER.split(), "--date", "2027-01-05", "-o", "other")
    assert other.code == 0, other.err
    assert docx_text(tmp_path / "other" / name).split("\n")[1] == "January 5, 2027"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("jd generalist --date=2027-01-04", "--date=2027-01-04 jd generalist"),
        ("-w a jd -wb x", "-w a --workspace=b jd x"),  # written twice: the later one wins, as in click
        ("templates check --strict -w ws offer", "--strict --workspace=ws templates check offer"),
        ("templates --debug check", "--debug templates check"),
        ("batch x.csv --kind offer -w ws", "--workspace=ws batch x.csv --kind offer"),
        ("batch x.csv -nw ws -q", "--workspace=ws batch x.csv -n -q"),
        ("roles show generalist --date 2027-01-04", "--date=2027-01-04 roles show generalist"),
        ("jd generalist -- --date 2027-01-04", "jd generalist -- --date 2027-01-04"),
        ("nope --date 2027-01-04", "nope --date 2027-01-04"),
    ],
)
def test_hoisting_rule(line: str, expected: str) -> None:
    assert hoisted(line) == expected.split()


def test_double_dash_stops_hoisting(capsys: pytest.CaptureFixture[str]) -> None:
    result = hrdocs(capsys, "jd", "--", "--strict")
    assert result.code == 1
    assert "unknown role `--strict`" in result.err


def test_nested_command_with_options_after_it_through_cliRunner(tmp_path: Path) -> None:
    ws = write_files(tmp_path / "ws", {"templates/job-description.md.j2": "# {{ role.titel }}\n"})
    result = CliRunner().invoke(cli, ["templates", "check", "job-description", "--strict", "-w", str(ws)])
    assert result.exit_code == 1, result.output
    assert "ws/templates/job-description.md.j2:1:" in result.output and "`role.titel`" in result.output


def test_workspace_after_batch_is_checked_as_the_workspace(capsys: pytest.CaptureFixture[str]) -> None:
    result = hrdocs(capsys, "batch", "x.csv", "--kind", "offer", "-w", "nowhere")
    assert result.code == 2
    assert "nowhere is not a folder" in result.err and "--workspace" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["jd", "generalist", "--date=2027-02-30"],
        ["jd", "generalist", "--date", "9999-12-31x"],
        ["jd", "generalist", "--date", "20270104"],
        ["templates", "check", "--date=bad"],
        ["batch", "x.csv", "--date=bad"],
        ["--date=bad", "roles"],
    ],
)
def test_bad_date_anywhere_is_a_usage_error_naming_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    result = hrdocs(capsys, *args)
    assert result.code == 2, result.err
    assert "Invalid value for '--date'" in result.err and "use YYYY-MM-DD" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "output").exists()


def test_a_date_too_late_to_count_a_year_from_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = hrdocs(capsys, "jd", "generalist", "--date", "9999-12-31")
    assert result.code == 2
    assert "'--date'" in result.err and f"hint: use {LATEST_DATE.isoformat()} or earlier" in result.err
    assert not (tmp_path / "output").exists()
    with pytest.raises(click.BadParameter, match="too late"):
        Ctx(None, False, date.max)


def test_missing_value_after_the_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    result = hrdocs(capsys, "jd", "generalist", "--date")
    assert result.code == 2
    assert "Option '--date' requires an argument." in result.err


def test_debug_after_the_command_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Exception, match="generalst"):
        hrdocs(capsys, "jd", "generalst", "--debug")
    quiet = hrdocs(capsys, "jd", "generalst", "-o", "--debug")  # an output folder named --debug
    assert quiet.code == 1
    assert "unknown role `generalst`" in quiet.err and "Traceback" not in quiet.err


def _paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _paths(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


@pytest.mark.parametrize("path", _paths(cli), ids=lambda p: " ".join(p) or "hrdocs")
def test_every_help_says_where_global_options_go(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "may come before or after the command" in " ".join(result.output.split())


def test_cli_result_helper_is_the_run_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    """The global options are parsed once, in the group: ``run`` and CliRunner agree."""
    via_run: Result = hrdocs(capsys, "roles", "--date", "2027-01-04")
    via_runner = CliRunner().invoke(cli, ["roles", "--date", "2027-01-04"])
    assert via_run.code == via_runner.exit_code == 0, via_run.err + via_runner.output
    assert via_run.out == via_runner.stdout
