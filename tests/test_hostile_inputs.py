"""Hostile and careless inputs that were "unfriendly, though not wrong" (issue 12): each now gets one
message that says what is wrong and how to fix it, located by row and column, with the right exit code.

CSV cells too long for the reader and quotes never closed; Excel formulas never calculated, dates as
date-times and as bare serials, files that are not workbooks; ``--resume`` after a row changed; a
full disk; an hourly rate given as a salary; every problem of a role file at once; values given once
for every row of a batch (usage, exit 2) against the flags of one letter (data, exit 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import os
import string
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdocs import output as output_module
from hrdocs.batch.csvtext import LINE_LIMIT, READ_LIMIT
from hrdocs.batch.excel import WORKBOOK_MAX_RATIO, WORKBOOK_RATIO_FROM
from hrdocs.batch.reading import open_input
from hrdocs.errors import HrdocsError
from tests.conftest import Outcome
from tests.util import docx_text

openpyxl = pytest.importorskip("openpyxl")

Run = Callable[..., Outcome]
DATE = "2026-12-01"
SECRET = "Zephyrine Quixote-Blomqvist"
"""A candidate's name that must never reach a message."""
STAGES = ("application", "interview", "final-round", "filled", "cancelled")
OFFER_HEADER = ["Candidate Name", "Job", "Base Salary", "Start Date", "Hiring Manager", "Location"]


def offer_row(name: str = SECRET, salary: Any = 72000, start: Any = "2027-01-04") -> list[Any]:
    return [name, "generalist", salary, start, "Dana Whitfield", "Denver, CO"]


@pytest.fixture
def ws(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace()


def batch(hrdocs: Run, ws: Path, *args: str) -> Outcome:
    return hrdocs("--date", DATE, "batch", *args, "--jobs", "1", "--quiet", cwd=ws)


def write_csv(path: Path, rows: list[list[Any]], header: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def nothing_written(ws: Path) -> bool:
    return not (ws / "output").exists()


def quiet_about(result: Outcome, *secrets: str) -> bool:
    """No personal value in anything printed, and never a traceback."""
    text = result.out + result.err
    return not any(s in text for s in secrets) and "Traceback" not in text and "internal error" not in text


def problem_lines(result: Outcome) -> list[str]:
    return [line.strip() for line in result.err.splitlines() if line.startswith("  ")]


# ------------------------------------------------------------------------------------- CSV: size
def test_a_cell_over_128_kb_is_read_and_named_by_row_and_column(hrdocs: Run, ws: Path) -> None:
    """Python's reader refused the whole file past 128 KiB. A long cell is now read: in a column no
    field takes it does no harm; in one that feeds a field, the field's own limit names row and column."""
    notes = "x" * (200 * 1024)
    header = ["Candidate", "Role", "Stage", "Notes"]
    rows = [["Ann Lee", "generalist", "interview", notes], [SECRET, "nosuchrole", "interview", ""]]
    write_csv(ws / "d.csv", rows, header)
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--skip-invalid")
    assert result.code == 1 and problem_lines(result)[0].startswith("d.csv:3: Role: ")
    assert (ws / "output/denials/denial-ann-lee-hr-generalist.docx").exists()
    write_csv(ws / "e.csv", [[notes, "generalist", "interview"]], header[:3])
    result = batch(hrdocs, ws, "e.csv", "--kind", "denial")
    assert result.code == 1 and "e.csv:2: Candidate: is 204,800 characters long" in result.err
    assert quiet_about(result, SECRET, "xxxxxxxx")


def test_a_cell_past_the_read_limit_stops_reading_and_names_where(hrdocs: Run, ws: Path) -> None:
    write_csv(
        ws / "d.csv",
        [["Ann Lee", "generalist", "interview"], [SECRET, "y" * (READ_LIMIT + 10), "interview"]],
        ["Candidate", "Role", "Stage"],
    )
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and nothing_written(ws)
    assert f"d.csv:3: Role: a cell longer than {READ_LIMIT:,} characters" in result.err
    assert "not read past it" in result.err and "quote" not in result.err
    assert quiet_about(result, SECRET, "yyyyyyyy")


# ----------------------------------------------------------------------------------- CSV: quotes
def test_a_quote_never_closed_is_one_problem_not_four(hrdocs: Run, ws: Path) -> None:
    (ws / "d.csv").write_text(
        "Candidate,Role,Stage,Email\n"
        "Ann Lee,generalist,interview,ann@example.org\n"
        f'"{SECRET},generalist,interview,zq@example.org\n'
        "Bo Li,generalist,interview,bo@example.org\n"
        "Cy Ma,generalist,interview,cy@example.org\n",
        encoding="utf-8",
    )
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and nothing_written(ws)
    assert problem_lines(result) == [
        "d.csv:3: Candidate: a quote opened in this cell is never closed, so the rest of the file "
        "(lines 3-5) was read as this one cell; check the quotes in that row (a quote inside a quoted "
        'cell is written twice: "")'
    ]
    assert quiet_about(result, SECRET, "zq@example.org", "bo@example.org")


def test_a_quote_missing_further_up_is_named_where_it_swallowed_rows(hrdocs: Run, ws: Path) -> None:
    (ws / "d.csv").write_text(
        "Candidate,Address,Role,Stage\n"
        'Ann Lee,"12 Elm St, Denver",generalist,interview\n'
        f'"{SECRET},9 Oak St,generalist,interview\n'
        'Bo Li,"3 Ash Rd, Boston",generalist,interview\n'
        "Cy Ma,,generalist,interview\n",
        encoding="utf-8",
    )
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--skip-invalid")
    assert result.code == 1
    lines = problem_lines(result)
    assert lines == [
        "d.csv:3: Candidate: a quote opened in this cell closes only on line 4, so lines 3-4 were read "
        'as this one cell; check the quotes in that row (a quote inside a quoted cell is written twice: "")'
    ]
    written = sorted(p.name for p in (ws / "output/denials").glob("*.docx"))
    assert written == ["denial-ann-lee-hr-generalist.docx", "denial-cy-ma-hr-generalist.docx"]
    assert quiet_about(result, SECRET, "9 Oak St")


def test_a_quote_left_open_in_a_big_file_is_named_at_the_read_limit(hrdocs: Run, ws: Path) -> None:
    rows = "".join(f"Person {i},generalist,interview\n" for i in range(READ_LIMIT // 20))
    text = f'Candidate,Role,Stage\nAnn Lee,generalist,interview\n"{SECRET},generalist,interview\n{rows}'
    (ws / "d.csv").write_text(text, encoding="utf-8")
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and nothing_written(ws)
    assert "d.csv:3: Candidate: a cell longer than" in result.err
    assert "a quote opened in it is never closed" in result.err
    assert quiet_about(result, SECRET)


def test_a_quote_left_open_in_the_header_is_named(hrdocs: Run, ws: Path) -> None:
    (ws / "d.csv").write_text('"Candidate,Role,Stage\nAnn Lee,generalist,interview\n', encoding="utf-8")
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and "a quote in the header (line 1) is never closed" in result.err


def test_a_file_without_line_breaks_is_refused_before_it_is_read_whole(hrdocs: Run, ws: Path) -> None:
    (ws / "d.csv").write_text(
        "Candidate,Role,Stage\nAnn Lee,generalist,interview\n" + "z" * (LINE_LIMIT + 1), encoding="utf-8"
    )
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and nothing_written(ws)
    assert f"d.csv:3: line 3 is longer than {LINE_LIMIT:,} characters" in result.err
    (ws / "e.csv").write_text("z" * (LINE_LIMIT + 1), encoding="utf-8")
    result = batch(hrdocs, ws, "e.csv", "--kind", "denial")
    assert result.code == 1 and "the first line is longer than" in result.err


def test_well_formed_quotes_over_lines_are_not_taken_for_broken_ones(hrdocs: Run, ws: Path) -> None:
    write_csv(
        ws / "d.csv",
        [["Ann Lee", '12 Elm St\nDenver, CO "the old mill"', "generalist", "interview"],
         ["Bo Li", "3 Ash Rd,\nBoston, MA", "generalist", "interview"]],
        ["Candidate", "Address", "Role", "Stage"],
    )  # fmt: skip
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 0, result.err
    assert 'Denver, CO "the old mill"' in docx_text(ws / "output/denials/denial-ann-lee-hr-generalist.docx")


CELL = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40
) | st.sampled_from(['"', '""', ",", "\n", "\r\n", '"a"b', 'a"', ' "x" ', ";", "\t"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6))
def test_any_cells_a_csv_writer_writes_read_back_as_written(tmp_path: Path, rows: list[list[str]]) -> None:
    """Whatever the cells hold — quotes, delimiters, line breaks — a file written by a CSV writer
    reads back cell for cell, row numbers as a spreadsheet counts them, and no quote is suspected."""
    path = tmp_path / "cells.csv"
    write_csv(path, rows, ["a", "b", "c"])
    source = open_input(path)
    read = [(r.number, [r.values[c] for c in "abc"]) for r in source.rows()]
    expected = [(i + 2, row) for i, row in enumerate(rows) if any(c.strip() for c in row)]
    assert read == expected and source.problems == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet='ab,;"\n\r x\t\x00é', max_size=300))
def test_any_text_as_a_csv_is_read_or_refused_cleanly(tmp_path: Path, body: str) -> None:
    """A careless file (stray quotes, NULs, ragged rows) is read, or refused as hrdocs's own error:
    never another exception, and every problem is located by its row."""
    path = tmp_path / "any.csv"
    path.write_text("Candidate,Role,Stage\n" + body, encoding="utf-8")
    try:
        source = open_input(path)
        for _ in source.rows():
            pass
    except HrdocsError:
        return
    assert all(p.line is not None and p.line >= 2 for p in source.problems)


# ----------------------------------------------------------------------------------------- Excel
def workbook(path: Path, rows: list[list[Any]], header: list[str] = OFFER_HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)  # openpyxl saves formulas without values: as a script-made file is
    return path


def test_a_formula_excel_never_calculated_is_named_not_taken_for_blank(hrdocs: Run, ws: Path) -> None:
    workbook(
        ws / "offers.xlsx",
        [offer_row("Ann Lee"), offer_row(salary="=60000*1.2"), [*offer_row("Bo Li"), "=C2*2"]],
        [*OFFER_HEADER, "Total"],
    )
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer")
    assert result.code == 1 and nothing_written(ws)
    assert problem_lines(result) == [
        "offers.xlsx:3: Base Salary: holds a formula with no saved value (the file was written by a "
        "program that does not calculate formulas); open it in Excel and save it, or paste the values "
        "(Paste Special > Values)"
    ]  # and the formula in the ignored Total column is no problem
    assert "required, but missing" not in result.err and quiet_about(result, SECRET)


def test_a_cell_showing_an_excel_error_is_named(hrdocs: Run, ws: Path) -> None:
    workbook(ws / "offers.xlsx", [offer_row(salary="#N/A")])
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer")
    assert result.code == 1 and nothing_written(ws)
    assert "offers.xlsx:2: Base Salary: shows the Excel error #N/A (its formula fails)" in result.err


def test_excel_dates_date_times_and_serials(hrdocs: Run, ws: Path) -> None:
    workbook(
        ws / "offers.xlsx",
        [offer_row("Ann Lee", start=dt.datetime(2027, 1, 4)),  # a date cell: a datetime at midnight
         offer_row("Bo Li", start=dt.date(2027, 1, 11)),
         offer_row(start=dt.datetime(2027, 1, 4, 9, 30)),
         offer_row("Cy Ma", start=46391),  # a date cell formatted as General: its serial
         offer_row("Di Wu", salary=62100.00000000001)],  # a formula's float: Excel shows 62100
    )  # fmt: skip
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer", "--skip-invalid")
    assert result.code == 1
    assert problem_lines(result) == [
        "offers.xlsx:4: Start Date: has a time of day as well; give the date alone, YYYY-MM-DD",
        "offers.xlsx:5: Start Date: is a number, not a date: an Excel date serial? Format the column "
        "as a date (YYYY-MM-DD)",
    ]
    folder = ws / "output/offers"
    assert "January 4, 2027" in docx_text(folder / "offer-ann-lee-hr-generalist.docx")
    assert "January 11, 2027" in docx_text(folder / "offer-bo-li-hr-generalist.docx")
    assert "$62,100.00" in docx_text(folder / "offer-di-wu-hr-generalist.docx")
    assert quiet_about(result, SECRET, "46391")


def test_text_date_times_at_midnight_are_their_dates(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", [offer_row("Ann Lee", start="2027-01-04T00:00:00")], OFFER_HEADER)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 0, result.err
    assert "January 4, 2027" in docx_text(ws / "output/offers/offer-ann-lee-hr-generalist.docx")


@pytest.mark.parametrize(
    ("content", "message", "hint"),
    [
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "an old Excel 97-2003 workbook (.xls) or one "
         "protected by a password", "save it as an Excel Workbook (.xlsx)"),
        (bytes(range(256)) * 8, "not an Excel workbook (.xlsx)", "if it is an old .xls"),
        (b"Candidate,Role\nAnn,generalist\n", "a text file (a CSV or web-page export?)", "name it .csv"),
        (b"PK\x03\x04" + bytes(200), "not a readable Excel workbook (.xlsx)", "save it again as .xlsx"),
    ],
    ids=["xls", "random", "csv", "broken-zip"],
)  # fmt: skip
def test_a_file_that_is_no_workbook_is_named_for_what_it_is(
    hrdocs: Run, ws: Path, content: bytes, message: str, hint: str
) -> None:
    (ws / "offers.xlsx").write_bytes(content)
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer")
    assert result.code == 1 and nothing_written(ws)
    assert f"offers.xlsx: {message}" in result.err and hint in result.err
    assert "zip file" not in result.err.replace("a zip file without a workbook", "")
    assert quiet_about(result)


def test_a_workbook_that_is_a_zip_bomb_is_refused_from_its_directory(hrdocs: Run, ws: Path) -> None:
    real = workbook(ws / "real.xlsx", [offer_row()])
    with (
        zipfile.ZipFile(real) as source,
        zipfile.ZipFile(ws / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info.filename))
        bomb.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (WORKBOOK_RATIO_FROM + 1) + b"</sst>")
    result = batch(hrdocs, ws, "bomb.xlsx", "--kind", "offer")
    assert result.code == 1 and nothing_written(ws)
    assert "bomb.xlsx: part xl/sharedStrings.xml unpacks from" in result.err
    assert f"packed more than {WORKBOOK_MAX_RATIO}:1" in result.err


def test_other_spreadsheet_files_are_refused_by_name(hrdocs: Run, ws: Path) -> None:
    (ws / "offers.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1"))
    result = batch(hrdocs, ws, "offers.xls", "--kind", "offer")
    assert result.code == 2 and "an Excel 97-2003 workbook" in result.err and ".xlsx" in result.err


# ---------------------------------------------------------------------------------------- resume
def test_resume_names_the_rows_that_changed_and_writes_nothing(hrdocs: Run, ws: Path) -> None:
    rows = [offer_row("Ann Lee"), offer_row("Bo Li"), offer_row("Cy Ma")]
    write_csv(ws / "offers.csv", rows, OFFER_HEADER)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    folder = ws / "output/offers"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    changed = [
        offer_row("Ann Lee", salary=73000),
        rows[1],
        offer_row("Cy Ma", salary=74000),
        offer_row("Di Wu"),
    ]
    write_csv(ws / "offers.csv", changed, OFFER_HEADER)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume")
    assert result.code == 1
    assert "2 rows cannot be resumed, so nothing was written" in result.err
    assert problem_lines(result)[:2] == [
        "offers.csv:2: the row changed since its documents were written",
        "offers.csv:4: the row changed since its documents were written",
    ]
    assert "re-run with --force to replace them, or restore the rows" in result.err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # not even the new row
    assert quiet_about(result, "Ann Lee", "73000", "73,000")
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume", "--force").code == 0
    assert "$73,000.00" in docx_text(folder / "offer-ann-lee-hr-generalist.docx")


def test_resume_after_the_template_changed_says_so(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "d.csv", [["Ann Lee", "generalist", "interview"]], ["Candidate", "Role", "Stage"])
    assert batch(hrdocs, ws, "d.csv", "--kind", "denial").code == 0
    assert hrdocs("templates", "export", "denial-letter", cwd=ws).code == 0
    template = next((ws / "templates").glob("denial-letter*"))
    template.write_text(template.read_text(encoding="utf-8") + "\nP.S. Thank you.\n", encoding="utf-8")
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--resume")
    assert result.code == 1
    assert "d.csv:2: its documents were written with another template or other company settings" in result.err
    assert "restore the template and settings" in result.err


# ------------------------------------------------------------------------------------- full disk
def test_a_full_disk_says_what_to_do_for_one_letter_and_for_a_batch(
    hrdocs: Run, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = output_module.write_all
    calls = {"left": 0}

    def full(fd: int, data: bytes) -> None:
        calls["left"] -= 1
        if calls["left"] < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(output_module, "write_all", full)
    one = hrdocs(
        "--date", DATE, "denial", "generalist", "--candidate", SECRET, "--stage", "interview", cwd=ws
    )
    assert one.code == 1 and nothing_written(ws)
    assert "No space left on device (nothing written)" in one.err and "free some space" in one.err
    assert quiet_about(one, SECRET, "zephyrine")

    rows = [[f"Person {i}", "generalist", "interview"] for i in range(5)]
    write_csv(ws / "d.csv", rows, ["Candidate", "Role", "Stage"])
    calls["left"] = 2
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 1 and "d.csv:4: " in result.err
    assert "the 2 documents written so far are whole and in the manifest" in result.err
    assert "run the same command with --resume to finish" in result.err
    monkeypatch.setattr(output_module, "write_all", real)
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--resume")
    assert result.code == 0 and "written 3, skipped 2" in result.out


# ------------------------------------------------------------------------------- salary or hourly
def offer(hrdocs: Run, ws: Path, *args: str, role: str = "generalist") -> Outcome:
    return hrdocs(
        "--date", DATE, "offer", role, "--candidate", SECRET, "--start", "2027-01-04",
        "--manager", "Dana Whitfield", "--location", "Denver, CO", *args, cwd=ws,
    )  # fmt: skip


def test_an_hourly_rate_given_as_a_salary_is_refused_with_the_option_meant(hrdocs: Run, ws: Path) -> None:
    result = offer(hrdocs, ws, "--salary", "24.50")
    assert result.code == 1 and nothing_written(ws)
    assert (
        "command line: salary: looks like an hourly rate, not an annual salary (under a hundredth of "
        "the pay range of `hr-generalist`): use --hourly-rate" in result.err
    )
    assert quiet_about(result, SECRET, "24.5")
    result = offer(hrdocs, ws, "--hourly-rate", "72000", "--flsa-status", "non-exempt")
    assert result.code == 1 and "hourly_rate: looks like an annual salary, not an hourly rate" in result.err
    assert "use --salary" in result.err and quiet_about(result, "72000", "72,000")
    assert offer(hrdocs, ws, "--salary", "619").code == 1  # a hundredth of the range's least is 620
    assert offer(hrdocs, ws, "--salary", "620", "--out", "edge").code == 0  # absurd, but not hourly
    for figures in (["--salary", "45000"], ["--hourly-rate", "24.50", "--flsa-status", "non-exempt"]):
        result = offer(hrdocs, ws, *figures, "--out", f"out-{figures[1]}")
        assert result.code == 0, result.err  # outside the range: a warning only, as before


def test_without_a_pay_range_the_hourly_floor_sets_the_bounds(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(
        {"roles/clerk.yaml": """
            id: clerk
            title: Clerk
            department: Operations
            employment_type: part-time
            flsa_status: non-exempt
            summary: Keeps the records.
            locations: ["Denver, CO"]
        """},
        company={"offers": {"hourly_floor": 20}},
    )  # fmt: skip
    result = offer(hrdocs, ws, "--salary", "1999", role="clerk")
    assert result.code == 1 and "(under 100 hours at offers.hourly_floor)" in result.err
    assert offer(hrdocs, ws, "--salary", "2000", "--out", "a", role="clerk").code == 0
    result = offer(hrdocs, ws, "--hourly-rate", "20001", role="clerk")
    assert result.code == 1 and "over 1,000 times offers.hourly_floor" in result.err
    write_csv(ws / "offers.csv", [[*offer_row(salary="18.75")[:1], "clerk", "18.75", "2027-01-04",
                                   "Dana Whitfield", "Denver, CO"]], OFFER_HEADER)  # fmt: skip
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 1 and "offers.csv:2: Base Salary: looks like an hourly rate" in result.err


# ------------------------------------------------------------------------------------- role files
def test_a_role_file_reports_every_problem_at_once(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace(
        {"roles/broken.yaml": """
            id: broken
            title: Broken Role
            titel: a typo
            department: HR
            employment_type: full-tme
            flsa_status: exempt
            summary: A role with a problem on every other line.
            reports_to: nosuch-boss
            duties:
              nosuch-area:
                - Does things.
        """}
    )  # fmt: skip
    for command in (("roles", "show", "broken"), ("jd", "broken")):
        result = hrdocs(*command, cwd=ws)
        assert result.code == 1
        path = ws / "roles/broken.yaml"
        assert f"4 problems in {path}:" in result.err
        lines = problem_lines(result)
        assert [line.split(": ")[1] for line in lines] == [
            "titel",
            "employment_type",
            "reports_to",
            "duties.nosuch-area",
        ]
        assert [line.split(":")[1] for line in lines] == ["3", "5", "8", "10"]
        assert "Traceback" not in result.err


# -------------------------------------------------------------------------- options for every row
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "intervw"], f"--stage: must be one of {', '.join(STAGES)}"),
        (["--stage", "interview", "--set", "reapply=maybe"], "--set reapply: must be yes or no"),
        (["--stage", "interview", "--set", "role=nosuchrole"], "--set role: unknown role `nosuchrole`"),
        (["--stage", "interview", "--set", "date=2027-02-30"], "--set date: is not a real date"),
        (["--stage", "interview", "--set", "stage=filled"], "--stage and --set stage=…: give the stage once"),
    ],
)  # fmt: skip
def test_a_bad_value_for_every_row_is_bad_usage_named_once(
    hrdocs: Run, ws: Path, args: list[str], message: str
) -> None:
    rows = [[f"Person {i}", "generalist"] for i in range(4)]
    write_csv(ws / "d.csv", rows, ["Candidate", "Role"])
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", *args)
    assert result.code == 2 and nothing_written(ws)
    assert result.err.count(message) == 1 and "d.csv:" not in result.err


def test_a_bad_flag_of_one_letter_is_that_letters_data(hrdocs: Run, ws: Path) -> None:
    result = hrdocs(
        "--date", DATE, "denial", "generalist", "--candidate", SECRET, "--stage", "intervw", cwd=ws
    )
    assert result.code == 1 and "command line: stage: " in result.err and nothing_written(ws)
    result = offer(hrdocs, ws, "--salary", "72000", "--pay-frequency", "daily")
    assert result.code == 1 and "command line: pay_frequency: " in result.err and quiet_about(result, SECRET)
    ok = offer(hrdocs, ws, "--salary", "72000", "--pay-frequency", "Bi-Weekly")
    assert ok.code == 0, ok.err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=string.ascii_letters + string.digits + " -_", min_size=1, max_size=12))
def test_any_stage_for_every_row_is_accepted_or_usage(hrdocs: Run, ws: Path, value: str) -> None:
    write_csv(ws / "h.csv", [["Ann Lee", "generalist"]], ["Candidate", "Role"])
    result = batch(hrdocs, ws, "h.csv", "--kind", "denial", f"--stage={value}", "--dry-run")
    assert result.code in (0, 2), result.err
    refused = "--stage: must be one of" in result.err or "--stage: is blank" in result.err
    assert (result.code == 2) == refused
