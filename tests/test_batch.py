"""``hrdocs batch`` as a user runs it: every row checked first, a manifest, byte-identical reruns, resume.

Speed is measured in bench/, never here; the 10,000-row test checks correctness only.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import pickle
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdocs.api import Session
from hrdocs.batch import Options, run_batch
from hrdocs.batch.columns import ColumnMap
from hrdocs.docmodel import parse_markdown
from hrdocs.engines import engines, render_plain
from hrdocs.environment import VALUE_END, VALUE_START, apply_terms_outside_values, escape_md
from hrdocs.errors import UsageError
from hrdocs.kinds import Prepared, registry
from hrdocs.kinds.denial import DENIAL
from hrdocs.masking import mask, unmask
from hrdocs.mdcache import CachedReader, split
from hrdocs.render import load_template, render_fenced
from hrdocs.writers.docx import DocxWriter
from tests.conftest import Outcome
from tests.util import PDFTOTEXT, docx_text, needs_libreoffice

Run = Callable[..., Outcome]
DATE = "2026-12-01"
HEADER = [
    "Candidate Name",
    "Email",
    "Address",
    "Job",
    "Base Salary",
    "Start Date",
    "Hiring Manager",
    "Location",
]
GOOD = [
    [
        "Jane Q. Doe",
        "jane@example.org",
        "12 Elm St\nDenver, CO 80202",
        "generalist",
        "72000",
        "2027-01-04",
        "Dana Whitfield",
        "Denver, CO",
    ],
    [
        "Richard Roe",
        "rr@example.org",
        "",
        "HR Generalist",
        "71,500",
        "2027-01-11",
        "Dana Whitfield",
        "Denver, CO",
    ],
    ["Zoë Núñez", "", "", "generalist", "70000.50", "2027-02-01", "Sam Ortiz", "Denver, CO"],
]
BAD = [
    [
        "Bad Salary",
        "bad@example.org",
        "9 Secret Lane",
        "generalist",
        "$88k",
        "2027-01-04",
        "Dana Whitfield",
        "Denver, CO",
    ],
    ["", "x@example.org", "", "nosuchrole", "65000", "2020-01-01", "", "Denver, CO"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, **fmt: str) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, **fmt)  # type: ignore[arg-type]
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def ws(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace()


def batch(hrdocs: Run, ws: Path, *args: str) -> Outcome:
    return hrdocs("--date", DATE, "batch", *args, "--jobs", "1", cwd=ws)


def manifest_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def docs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx")) if folder.is_dir() else []


# ------------------------------------------------------------------------------------ validation first
def test_bad_rows_stop_the_batch_before_anything_is_written(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", [GOOD[0], BAD[0], GOOD[1], BAD[1], GOOD[2]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 1, result.err
    assert not (ws / "output").exists()
    lines = result.err.splitlines()
    assert (
        "  offers.csv:3: Base Salary: must be a number, written like 72000 or 72000.50 (no currency sign)"
        in lines
    )
    assert any(line.startswith("  offers.csv:5: Candidate Name: required") for line in lines)
    assert any(line.startswith("  offers.csv:5: Job: unknown role; give a role id") for line in lines)
    assert "nosuchrole" not in result.err  # a row's value is never quoted
    assert any(line.startswith("  offers.csv:5: Hiring Manager: required") for line in lines)
    assert "nothing written: 2 of 5 rows are invalid" in result.err
    assert "--skip-invalid" in result.err
    for secret in ("88k", "9 Secret Lane", "71,500", "Elm St"):  # never echo pay or addresses
        assert secret not in result.err + result.out


def test_a_template_that_fails_on_one_rows_data_stops_the_batch_before_anything_is_written(
    hrdocs: Run, ws: Path
) -> None:
    assert hrdocs("templates", "export", "offer-letter", cwd=ws).code == 0
    template = ws / "templates/offer-letter.md.j2"
    text = template.read_text(encoding="utf-8")
    broken = '{% if candidate.name == "Richard Roe" %}{{ candidate.nickname }}{% endif %}\n{% endblock %}'
    template.write_text(text.replace("{% endblock %}", broken), encoding="utf-8")
    write_csv(ws / "offers.csv", [GOOD[0], GOOD[2], GOOD[1]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 1
    assert result.err.startswith("error: offers.csv:4: "), result.err
    assert "offer-letter.md.j2" in result.err and "nickname" in result.err
    assert not (ws / "output").exists()


def test_skip_invalid_writes_the_good_rows_and_still_exits_1(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", [GOOD[0], BAD[0], GOOD[1], BAD[1], GOOD[2]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--skip-invalid")
    assert result.code == 1
    assert "written 3, skipped 0, invalid 2, failed 0" in result.out
    folder = ws / "output/offers"
    assert [p.name for p in docs(folder)] == [
        "offer-jane-q-doe-hr-generalist.docx",
        "offer-richard-roe-hr-generalist.docx",
        "offer-zoe-nunez-hr-generalist.docx",
    ]
    assert [e["row"] for e in manifest_lines(folder / "offers.manifest.jsonl")] == [2, 4, 6]
    assert "Dear Richard" in docx_text(folder / "offer-richard-roe-hr-generalist.docx")


def test_dry_run_checks_every_row_and_writes_nothing(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--dry-run")
    assert result.code == 0, result.err
    assert "dry run: 3 rows checked, 3 valid, 0 invalid; nothing written" in result.out
    assert not (ws / "output").exists()
    write_csv(ws / "offers.csv", [*GOOD, BAD[0]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "-n")
    assert result.code == 1 and "offers.csv:5: Base Salary" in result.err
    assert not (ws / "output").exists()


def test_problems_in_the_company_settings_are_reported_once(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company={"offers": {"contingencies": ["background-check", "astrology"]}})
    write_csv(ws / "offers.csv", GOOD)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 1
    assert result.err.count("astrology") == 1
    assert "hrdocs.yaml" in result.err


# ------------------------------------------------------------------------------ manifest, identity
def test_manifest_records_each_document_and_its_hashes_but_no_pay_or_address(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    folder = ws / "output/offers"
    text = (folder / "offers.manifest.jsonl").read_text(encoding="utf-8")
    entries = manifest_lines(folder / "offers.manifest.jsonl")
    assert len(entries) == 3
    for entry, row in zip(entries, (2, 3, 4), strict=True):
        data = (folder / str(entry["path"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["row"] == row and entry["input"] == "offers.csv"
        assert entry["kind"] == "offer" and entry["role"] == "hr-generalist"
        assert entry["template"] == "offer-letter.md.j2"
        assert len(str(entry["template_sha256"])) == len(str(entry["input_sha256"])) == 64
    assert len({e["input_sha256"] for e in entries}) == 3
    for secret in ("72000", "71,500", "70000.50", "Elm St", "Denver, CO 80202", "@example.org"):
        assert secret not in text
    assert oct((folder / str(entries[0]["path"])).stat().st_mode & 0o777) == "0o600"  # letters are private


def test_reruns_are_byte_identical_and_equal_to_the_single_letter_command(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    first = {p.name: p.read_bytes() for p in (ws / "output/offers").iterdir()}
    again = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert (
        again.code == 1
        and "the manifest of an earlier batch is here" in again.err
        and "--resume" in again.err
    )
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--force").code == 0
    again = {p.name: p.read_bytes() for p in (ws / "output/offers").iterdir()}
    assert again == first  # the documents and the manifest
    single = hrdocs(
        "--date",
        DATE,
        "offer",
        "generalist",
        "--candidate",
        "Jane Q. Doe",
        "--email",
        "jane@example.org",
        "--address",
        "12 Elm St",
        "--address",
        "Denver, CO 80202",
        "--salary",
        "72000",
        "--start",
        "2027-01-04",
        "--manager",
        "Dana Whitfield",
        "--location",
        "Denver, CO",
        "-o",
        "single",
        cwd=ws,
    )
    assert single.code == 0, single.err
    assert (ws / "single/offer-jane-q-doe-hr-generalist.docx").read_bytes() == first[
        "offer-jane-q-doe-hr-generalist.docx"
    ]


def test_the_letter_date_comes_from_the_data_and_stamps_the_document(hrdocs: Run, ws: Path) -> None:
    write_csv(
        ws / "d.csv",
        [["Ann Lee", "generalist", "interview", "2026-11-02"]],
        ["Name", "Role", "Stage", "Date"],
    )
    assert hrdocs("batch", "d.csv", "--kind", "denial", "-j", "1", cwd=ws).code == 0  # no --date: today
    target = ws / "output/denials/denial-ann-lee-hr-generalist.docx"
    import zipfile

    core = zipfile.ZipFile(target).read("docProps/core.xml").decode()
    assert "2026-11-02T00:00:00Z" in core
    assert "November 2, 2026" in docx_text(target)


def test_existing_documents_are_never_overwritten_without_force(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    target = ws / "output/offers/offer-jane-q-doe-hr-generalist.docx"
    target.write_bytes(b"edited by hand")
    (ws / "output/offers/offers.manifest.jsonl").unlink()
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 1
    assert (
        "3 files already exist in " in result.err
        and "not overwritten: the files of offers.csv:2" in result.err
    )
    assert "jane" not in result.err.lower()
    assert "--resume" in result.err and "--force" in result.err
    assert target.read_bytes() == b"edited by hand"
    # --resume takes the two identical files as written, and refuses the edited one
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume")
    assert result.code == 1
    assert "offers.csv:2: its docx file in " in result.err and "already exists" in result.err
    assert target.read_bytes() == b"edited by hand"
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--force").code == 0
    assert target.read_bytes().startswith(b"PK")


def test_resume_after_an_interruption_finishes_the_batch_exactly(hrdocs: Run, ws: Path) -> None:
    rows = [
        [f"Person {i}", "", "", "generalist", str(60000 + i), "2027-01-04", "Dana Whitfield", "Denver, CO"]
        for i in range(12)
    ]
    write_csv(ws / "offers.csv", rows)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    folder = ws / "output/offers"
    whole_manifest = (folder / "offers.manifest.jsonl").read_bytes()
    whole = {p.name: p.read_bytes() for p in docs(folder)}

    # As a kill leaves it: the manifest cut mid-line, the last documents missing, a temporary file left.
    lines = whole_manifest.splitlines(keepends=True)
    (folder / "offers.manifest.jsonl").write_bytes(b"".join(lines[:5]) + lines[5][:40])
    for entry in [json.loads(line) for line in lines[7:]]:
        (folder / str(entry["path"])).unlink()
    leftover = folder / ".offer-person-9-hr-generalist.docx.k2j4h1.part"
    leftover.write_bytes(b"PK half a document")

    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume")
    assert result.code == 0, result.err
    assert "written 5, skipped 7, invalid 0, failed 0" in result.out
    assert not leftover.exists()
    assert {p.name: p.read_bytes() for p in docs(folder)} == whole
    assert (folder / "offers.manifest.jsonl").read_bytes() == whole_manifest

    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume")
    assert result.code == 0 and "written 0, skipped 12" in result.out


def test_resume_rewrites_a_document_whose_row_changed_only_with_force(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0
    changed = [[*GOOD[0][:4], "73000", *GOOD[0][5:]], *GOOD[1:]]
    write_csv(ws / "offers.csv", changed)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume")
    assert result.code == 1 and "offers.csv:2: " in result.err
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--resume", "--force").code == 0
    assert "$73,000.00" in docx_text(ws / "output/offers/offer-jane-q-doe-hr-generalist.docx")


# ------------------------------------------------------------------- checks, every kind, every format
def test_strict_refuses_a_letter_whose_template_wording_breaks_the_voice(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    """The built-in denial says "we have thought it over carefully"; a voice that avoids the word stops
    the batch under --strict. The candidate's own name (which holds avoided words) is never read."""
    ws = make_workspace(company={"voice": {"avoid": ["carefully", "ann"]}})
    rows = [["Ann Carefully", "generalist", "interview"], ["Bo Ray", "recruiter", "interview"]]
    write_csv(ws / "d.csv", rows, ["Candidate", "Role", "Stage"])
    for args in (
        ("--strict", "--date", DATE, "batch", "d.csv", "--kind", "denial", "--jobs", "1"),
        ("--date", DATE, "batch", "d.csv", "--kind", "denial", "--strict", "--jobs", "1"),
    ):
        result = hrdocs(*args, cwd=ws)
        assert result.code == 1, result.err
        assert result.err.startswith("error: d.csv:2: --strict: 1 warning, nothing written:\n"), result.err
        assert re.search(r"\n  denial-letter:\d+: voice\.avoid: .*\(`carefully`\)\n", result.err), result.err
        assert "Ann" not in result.err and "Carefully" not in result.err
        assert not (ws / "output").exists()
    # without --strict: written, and each letter warned of the template's word only
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial")
    assert result.code == 0, result.err
    assert "written 2, skipped 0, invalid 0, failed 0" in result.out
    warnings = [line for line in result.err.splitlines() if "voice.avoid" in line]
    assert [re.sub(r"denial-letter:\d+:", "denial-letter:N:", w) for w in warnings] == [
        f"warning: d.csv:{row}: denial-letter:N: voice.avoid: a word the company's voice avoids (`carefully`)"
        for row in (2, 3)
    ], result.err
    assert "Ann" not in result.err
    folder = ws / "output/denials"
    assert [p.name for p in docs(folder)] == [
        "denial-ann-carefully-hr-generalist.docx",
        "denial-bo-ray-recruiter.docx",
    ]
    text = docx_text(folder / "denial-ann-carefully-hr-generalist.docx")
    assert "Ann Carefully" in text and "carefully" in text.replace("Ann Carefully", "")


def test_a_batch_of_postings_writes_every_format_asked_for(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "roles.csv", [["generalist"], ["Recruiter"]], ["Role"])  # an id, and a title
    result = batch(hrdocs, ws, "roles.csv", "--kind", "posting", "--format", "html,json")
    assert result.code == 0, result.err
    assert "written 2 (4 files), skipped 0, invalid 0, failed 0" in result.out
    folder = ws / "output/postings"
    entries = manifest_lines(folder / "roles.manifest.jsonl")
    assert [(e["path"], e["format"], e["row"]) for e in entries] == [
        ("hr-generalist.html", "html", 2),
        ("hr-generalist.json", "json", 2),
        ("recruiter.html", "html", 3),
        ("recruiter.json", "json", 3),
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*(str(e["path"]) for e in entries), "roles.manifest.jsonl"]
    )
    _check_files(folder, entries, kind="posting", template="posting.md.j2")
    facts = json.loads((folder / "recruiter.json").read_text(encoding="utf-8"))
    assert facts["@type"] == "JobPosting" and facts["title"] == "Recruiter"
    assert "<h1>Recruiter</h1>" in (folder / "recruiter.html").read_text(encoding="utf-8")
    assert "<h1>HR Generalist</h1>" in (folder / "hr-generalist.html").read_text(encoding="utf-8")
    # the same files as the single command writes
    single = hrdocs("--date", DATE, "posting", "Recruiter", "-f", "html,json", "-o", "single", cwd=ws)
    assert single.code == 0, single.err
    for name in ("recruiter.html", "recruiter.json"):
        assert (ws / "single" / name).read_bytes() == (folder / name).read_bytes()


def test_job_descriptions_in_word_markdown_and_html(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "roles.csv", [["generalist"], ["payroll"]], ["Role"])
    result = batch(hrdocs, ws, "roles.csv", "--kind", "jd", "-f", "docx,md,html")
    assert result.code == 0, result.err
    assert "written 2 (6 files), skipped 0, invalid 0, failed 0" in result.out
    folder = ws / "output/job-descriptions"
    entries = manifest_lines(folder / "roles.manifest.jsonl")
    assert [(e["path"], e["format"], e["row"]) for e in entries] == [
        (f"{stem}.{fmt}", fmt, row)
        for stem, row in (("hr-generalist", 2), ("payroll-specialist", 3))
        for fmt in ("docx", "md", "html")
    ]
    _check_files(folder, entries, kind="jd", template="job-description.md.j2")
    assert "Payroll Specialist" in docx_text(folder / "payroll-specialist.docx")
    assert (folder / "payroll-specialist.md").read_text(encoding="utf-8").startswith("# Payroll Specialist\n")
    assert "<h1>Payroll Specialist</h1>" in (folder / "payroll-specialist.html").read_text(encoding="utf-8")
    single = hrdocs("--date", DATE, "jd", "payroll", "-f", "docx,md,html", "-o", "single", cwd=ws)
    assert single.code == 0, single.err
    for fmt in ("docx", "md", "html"):
        name = f"payroll-specialist.{fmt}"
        assert (ws / "single" / name).read_bytes() == (folder / name).read_bytes(), name


@needs_libreoffice
def test_offers_in_word_and_pdf(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", [GOOD[0], GOOD[2]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "-f", "docx,pdf")
    assert result.code == 0, result.err
    assert "written 2 (4 files), skipped 0, invalid 0, failed 0" in result.out
    folder = ws / "output/offers"
    entries = manifest_lines(folder / "offers.manifest.jsonl")
    assert [(e["path"], e["format"], e["row"]) for e in entries] == [
        (f"offer-{who}-hr-generalist.{fmt}", fmt, row)
        for who, row in (("jane-q-doe", 2), ("zoe-nunez", 3))
        for fmt in ("docx", "pdf")
    ]
    _check_files(folder, entries, kind="offer", template="offer-letter.md.j2")
    for entry in entries:  # letters are private, in every format
        assert oct((folder / str(entry["path"])).stat().st_mode & 0o777) == "0o600"
    pdf = folder / "offer-zoe-nunez-hr-generalist.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Zoë Núñez" in text and "$70,000.50" in text and "Sam Ortiz" in text
    # the DOCX is the one a Word-only batch writes
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--out", "word").code == 0
    for who in ("jane-q-doe", "zoe-nunez"):
        name = f"offer-{who}-hr-generalist.docx"
        assert (ws / "word" / name).read_bytes() == (folder / name).read_bytes()


def test_verify_passes_on_a_normal_batch_and_changes_no_byte(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "offers.csv", GOOD)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--verify")
    assert result.code == 0, result.err
    assert "written 3, skipped 0, invalid 0, failed 0" in result.out
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--out", "plain").code == 0
    verified = {p.name: p.read_bytes() for p in docs(ws / "output/offers")}
    assert len(verified) == 3 and verified == {p.name: p.read_bytes() for p in docs(ws / "plain")}
    write_csv(ws / "roles.csv", [["generalist"], ["recruiter"]], ["Role"])
    result = batch(hrdocs, ws, "roles.csv", "--kind", "jd", "-f", "docx,md,html", "--verify")
    assert result.code == 0, result.err
    assert "written 2 (6 files)" in result.out


def test_verify_stops_the_batch_when_the_fast_way_differs_from_the_plain_way(
    hrdocs: Run, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--verify really renders the plain way and compares: a plain document one block longer fails it."""
    from hrdocs import pipeline

    original = pipeline.render_plain

    def skewed(*args: Any) -> Any:
        plain = original(*args)
        document = plain.document()
        document.blocks.append(document.blocks[-1])
        return plain

    monkeypatch.setattr(pipeline, "render_plain", skewed)
    write_csv(ws / "offers.csv", GOOD)
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer", "--verify")
    assert result.code == 1
    assert result.err.startswith("error: offers.csv:2: self-check: the docx of a offer-letter"), result.err
    assert not (ws / "output").exists()
    assert batch(hrdocs, ws, "offers.csv", "--kind", "offer").code == 0  # without --verify: not compared


def _check_files(folder: Path, entries: list[dict[str, object]], *, kind: str, template: str) -> None:
    """Each manifest line: its file's hash and size, its kind and template; no file listed twice."""
    assert len({e["path"] for e in entries}) == len(entries)
    for entry in entries:
        data = (folder / str(entry["path"])).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        assert str(entry["path"]).endswith(f".{entry['format']}")
        assert (entry["kind"], entry["template"]) == (kind, template)


# ---------------------------------------------------------------------------------------- names
def test_names_from_a_pattern_are_safe_and_unique(hrdocs: Run, ws: Path) -> None:
    rows = [
        ["Jane Doe", "generalist", "interview"],
        ["John Doe", "generalist", "interview"],
        ["JANE DOE", "generalist", "interview"],
        ["王小明", "recruiter", "application"],
        ["../../etc/passwd", "recruiter", "application"],
        ["José Ñúñez-Con", "recruiter", "filled"],
    ]
    write_csv(ws / "d.csv", rows, ["Candidate", "Role", "Stage"])
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--name", "{kind}-{role}-{candidate.last_name}")
    assert result.code == 0, result.err
    names = [p.name for p in docs(ws / "output/denials")]
    assert names == sorted(
        [
            "denial-hr-generalist-doe.docx",
            "denial-hr-generalist-doe-2.docx",
            "denial-hr-generalist-doe-3.docx",
            "denial-recruiter-王小明.docx",
            "denial-recruiter-etc-passwd.docx",
            "denial-recruiter-nunez-con.docx",
        ]
    )
    entries = manifest_lines(ws / "output/denials/d.manifest.jsonl")
    assert [e["path"] for e in entries][:3] == [
        "denial-hr-generalist-doe.docx",
        "denial-hr-generalist-doe-2.docx",
        "denial-hr-generalist-doe-3.docx",
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("{kind}-{salary}", "unknown field {salary}"), ("{kind", "unbalanced"), ("a/{role}", "not a path")],
)
def test_bad_name_patterns_are_usage_errors(hrdocs: Run, ws: Path, pattern: str, message: str) -> None:
    write_csv(ws / "d.csv", [["Ann Lee", "generalist", "interview"]], ["Candidate", "Role", "Stage"])
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--name", pattern)
    assert result.code == 2 and message in result.err


# -------------------------------------------------------------------------------------- columns
def test_ats_export_columns_map_to_fields(hrdocs: Run, ws: Path) -> None:
    header = [
        "First Name",
        "LAST NAME",
        "E-mail Address",
        "Job Title",
        "Annual Salary",
        "Anticipated Start Date",
        "hiring_manager",
        "Office",
        "Address Line 1",
        "City",
        "State",
        "Zip",
        "Candidate ID",
        "Salry Band",
    ]
    row = [
        "Amelia",
        "Okafor",
        "a@example.org",
        "HR Generalist",
        "72000",
        "2027-01-04",
        "Dana Whitfield",
        "Denver, CO",
        "5 Oak Ave",
        "Denver",
        "CO",
        "80203",
        "c-1",
        "B2",
    ]
    write_csv(ws / "export.csv", [row], header)
    result = batch(hrdocs, ws, "export.csv", "--kind", "offer")
    assert result.code == 0, result.err
    assert "note: ignored columns (they match no field): `Candidate ID`, `Salry Band`" in result.err
    text = docx_text(ws / "output/offers/offer-amelia-okafor-hr-generalist.docx")
    assert "Dear Amelia" in text and "5 Oak Ave" in text and "Denver, CO 80203" in text
    assert "$72,000.00" in text


def test_map_option_names_columns_the_aliases_do_not_know(hrdocs: Run, ws: Path) -> None:
    write_csv(
        ws / "x.csv", [["Ann Lee", "generalist", "Interview", "x"]], ["Who", "Req", "Where it ended", "Notes"]
    )
    args = ["x.csv", "--kind", "denial", "--map", "Who=candidate", "--map", "req=role"]
    result = batch(hrdocs, ws, *args, "--map", "Where it ended=stage", "--map", "Notes=-")
    assert result.code == 0, result.err
    assert "ignored" not in result.err
    assert docs(ws / "output/denials")[0].name == "denial-ann-lee-hr-generalist.docx"


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (["Nope=candidate"], "has no column `Nope`"),
        (["Who=salry"], "`salry` is not a field"),
        (["Who"], 'write it as "Column name=field"'),
    ],
)
def test_bad_maps_are_usage_errors(hrdocs: Run, ws: Path, maps: list[str], message: str) -> None:
    write_csv(ws / "x.csv", [["Ann Lee", "generalist"]], ["Who", "Role"])
    result = batch(hrdocs, ws, "x.csv", "--kind", "denial", *[a for m in maps for a in ("--map", m)])
    assert result.code == 2 and message in result.err


def test_two_columns_for_one_field_is_a_usage_error() -> None:
    with pytest.raises(
        UsageError, match="columns `Name` and `Candidate Name` both give the field `candidate`"
    ):
        ColumnMap.build(["Name", "Candidate Name"], [DENIAL])
    columns = ColumnMap.build(["Name", "Candidate Name"], [DENIAL], ["Name=-"])
    assert columns.fields == {"Candidate Name": "candidate"}


def test_bom_semicolons_and_quoted_line_breaks(hrdocs: Run, ws: Path) -> None:
    text = (
        "\ufeffNom;Role;Stage;Address\n"
        'Ann Lee;generalist;interview;"1 Rue Haute\n75001 Paris"\n'
        "Bob Ray;recruiter;final round;\n"
        "Cy Young;recruiter;lunch;\n"
    )
    (ws / "fr.csv").write_text(text, encoding="utf-8")
    result = batch(hrdocs, ws, "fr.csv", "--kind", "denial", "--map", "Nom=candidate")
    assert result.code == 1
    assert "fr.csv:4: Stage: " in result.err  # the row as a spreadsheet numbers it, line breaks or not
    result = batch(hrdocs, ws, "fr.csv", "--kind", "denial", "--map", "Nom=candidate", "--skip-invalid")
    assert result.code == 1 and "written 2" in result.out
    assert "1 Rue Haute\n75001 Paris" in docx_text(ws / "output/denials/denial-ann-lee-hr-generalist.docx")


def test_stage_and_set_apply_to_every_row(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "d.csv", [["Ann Lee", "generalist", "Phone Screen"]], ["Candidate", "Role", "Stage"])
    assert batch(hrdocs, ws, "d.csv", "--kind", "denial").code == 1  # the export's own stage names
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--stage", "interview", "--set", "reapply=no")
    assert result.code == 0, result.err
    assert "interview" in docx_text(ws / "output/denials/denial-ann-lee-hr-generalist.docx")
    result = batch(hrdocs, ws, "d.csv", "--kind", "denial", "--set", "salary=1", "--dry-run")
    assert result.code == 2 and "--set salary: not a field of denial" in result.err


def test_without_a_kind_the_file_must_say(hrdocs: Run, ws: Path) -> None:
    write_csv(ws / "d.csv", [["Ann Lee", "generalist"]], ["Candidate", "Role"])
    result = batch(hrdocs, ws, "d.csv")
    assert result.code == 2 and "--kind" in result.err
    write_csv(
        ws / "m.csv",
        [
            ["denial", "Ann Lee", "generalist", "interview", ""],
            ["jd", "", "recruiter", "", ""],
            ["memo", "Bo", "recruiter", "", ""],
        ],
        ["Kind", "Candidate", "Role", "Stage", "Salary"],
    )
    result = batch(hrdocs, ws, "m.csv", "--skip-invalid")
    assert result.code == 1 and "m.csv:4: Kind: unknown kind" in result.err
    assert (ws / "output/denials/denial-ann-lee-hr-generalist.docx").exists()
    assert (ws / "output/job-descriptions/recruiter.docx").exists()
    assert (ws / "output/m.manifest.jsonl").exists()
    # no folder for the kinds no row made
    assert sorted(p.name for p in (ws / "output").iterdir()) == [
        "denials",
        "job-descriptions",
        "m.manifest.jsonl",
    ]


def test_a_yaml_plan_mixes_kinds_and_names_lines(hrdocs: Run, ws: Path) -> None:
    plan = {
        "defaults": {"start": "2027-01-04", "manager": "Dana Whitfield", "location": "Denver, CO"},
        "documents": [
            {
                "kind": "offer",
                "candidate": {"name": "Jane Doe", "preferred_name": "JJ"},
                "role": "generalist",
                "salary": 72000,
            },
            {"kind": "denial", "candidate": "John Roe", "role": "recruiter", "stage": "interview"},
            {"kind": "jd", "role": "payroll", "salry": 1},
        ],
    }
    text = yaml.safe_dump(plan, sort_keys=False)
    (ws / "plan.yaml").write_text(text, encoding="utf-8")
    result = batch(hrdocs, ws, "plan.yaml")
    assert result.code == 1
    line = text.splitlines().index("- kind: jd") + 1
    assert result.err.count("problem") == 1 and f"  plan.yaml:{line}: salry: unknown key" in result.err
    del plan["documents"][2]["salry"]
    (ws / "plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    result = batch(hrdocs, ws, "plan.yaml")
    assert result.code == 0, result.err  # the defaults went to the offer only
    assert "Dear JJ" in docx_text(ws / "output/offers/offer-jane-doe-hr-generalist.docx")
    assert (ws / "output/denials/denial-john-roe-recruiter.docx").exists()
    assert (ws / "output/job-descriptions/payroll-specialist.docx").exists()
    kinds = [e["kind"] for e in manifest_lines(ws / "output/plan.manifest.jsonl")]
    assert kinds == ["offer", "denial", "jd"]
    assert sorted(p.name for p in (ws / "output").iterdir()) == [
        "denials",
        "job-descriptions",
        "offers",
        "plan.manifest.jsonl",
    ]


def test_excel_workbooks_are_read_when_openpyxl_is_installed(hrdocs: Run, ws: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Candidate Name", "Job", "Base Salary", "Start Date", "Hiring Manager", "Location"])
    sheet.append(["Jane Doe", "generalist", 72000, dt.datetime(2027, 1, 4), "Dana Whitfield", "Denver, CO"])
    sheet.append(["Bad Row", "generalist", "lots", dt.datetime(2027, 1, 4), "Dana Whitfield", "Denver, CO"])
    book.save(ws / "offers.xlsx")
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer", "--skip-invalid")
    assert result.code == 1 and "offers.xlsx:3: Base Salary: must be a number" in result.err
    assert "January 4, 2027" in docx_text(ws / "output/offers/offer-jane-doe-hr-generalist.docx")


def test_excel_without_openpyxl_says_how_to_get_it(
    hrdocs: Run, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (ws / "offers.xlsx").write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    result = batch(hrdocs, ws, "offers.xlsx", "--kind", "offer")
    assert result.code == 2 and "pip install 'hrdocs[xlsx]'" in result.err


def test_unreadable_inputs_are_reported(hrdocs: Run, ws: Path) -> None:
    (ws / "latin1.csv").write_bytes("Name;Role\nJosé;generalist\n".encode("latin-1"))
    result = batch(hrdocs, ws, "latin1.csv", "--kind", "denial")
    assert result.code == 1 and "not UTF-8" in result.err and "CSV UTF-8" in result.err
    result = batch(hrdocs, ws, "missing.csv", "--kind", "denial")
    assert result.code == 2 and "no such file" in result.err
    (ws / "notes.pdf").write_bytes(b"%PDF")
    assert batch(hrdocs, ws, "notes.pdf", "--kind", "denial").code == 2
    (ws / "dup.csv").write_text("Name,name\nA,B\n", encoding="utf-8")
    assert batch(hrdocs, ws, "dup.csv", "--kind", "denial").code == 2


# ----------------------------------------------------------------------------------------- scale
def test_ten_thousand_rows_in_two_workers(hrdocs: Run, ws: Path) -> None:
    rows = [
        [f"Person {i}", "generalist" if i % 3 else "recruiter", ("interview", "application")[i % 2]]
        for i in range(10_000)
    ]
    rows[5000] = ["Person 5000", "generalist", "lunch"]  # one bad row, found before anything is written
    write_csv(ws / "big.csv", rows, ["Candidate", "Role", "Stage"])
    result = hrdocs("--date", DATE, "batch", "big.csv", "--kind", "denial", "--jobs", "2", "--quiet", cwd=ws)
    assert result.code == 1 and "big.csv:5002: Stage: " in result.err
    assert not (ws / "output").exists()
    rows[5000] = ["Person 5000", "generalist", "interview"]
    write_csv(ws / "big.csv", rows, ["Candidate", "Role", "Stage"])
    result = hrdocs("--date", DATE, "batch", "big.csv", "--kind", "denial", "--jobs", "2", "--quiet", cwd=ws)
    assert result.code == 0, result.err
    assert "written 10000, skipped 0, invalid 0, failed 0" in result.out
    folder = ws / "output/denials"
    entries = manifest_lines(folder / "big.manifest.jsonl")
    assert [e["row"] for e in entries] == list(range(2, 10_002))
    assert len({e["path"] for e in entries}) == 10_000 == len(docs(folder))
    for entry in entries:
        data = (folder / str(entry["path"])).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert "Person 7777" in docx_text(folder / "denial-person-7777-hr-generalist.docx")
    assert "Person 7779" in docx_text(folder / "denial-person-7779-recruiter.docx")
    # a few of the same rows in one process: the same bytes
    write_csv(ws / "few.csv", [rows[4], rows[9999]], ["Candidate", "Role", "Stage"])
    report = run_batch(
        Session(ws, today=_date()), ws / "few.csv", Options(kind="denial", out=ws / "few", jobs=1)
    )
    assert report.written == 2
    for name in ("denial-person-4-hr-generalist.docx", "denial-person-9999-recruiter.docx"):
        assert (ws / "few" / name).read_bytes() == (folder / name).read_bytes()


def _date():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(DATE)


# ------------------------------------------------------------------------------- the Markdown cache
def _letters(session: Session) -> list[tuple[str, Prepared]]:
    """Letters and job descriptions as their kinds make them: (template name, template data)."""
    kinds = registry(session)
    offer, denial, jd = kinds.get("offer"), kinds.get("denial"), kinds.get("jd")
    made = []
    names = [
        "Jane Doe",
        "Tom & Jerry <Ltd>",
        "*Zoë*",
        "1. First",
        "- dash",
        "a|b",
        "x\\y",
        "::: small",
        "王小明",
    ]
    for i, name in enumerate(names):
        raw: dict[str, Any] = {
            "candidate": name,
            "role": "generalist",
            "salary": 60000 + i,
            "start": "2027-01-04",
            "manager": names[-i],
            "location": "Denver, CO",
            "address": f"{i} Main St\n{names[i - 1]}",
            "bonus": f"10%\n{name}" if i % 2 else None,
        }
        for kind, fields in (
            (offer, raw),
            (denial, {"candidate": name, "role": "recruiter", "stage": "interview"}),
        ):
            data = kind.validate(session, kind, fields, "t", {})
            made.append((kind.template_name, kind.prepare(session, kind, data)))
    for role in session.catalogue.all():
        data = jd.validate(session, jd, {"role": role.id}, "t", {})
        made.append((jd.template_name, jd.prepare(session, jd, data)))
    return made


def _fenced(session: Session) -> list[str]:
    """The letters' Markdown as their templates make it, values still fenced."""
    return [
        render_fenced(load_template(session.env, name), prepared.context)
        for name, prepared in _letters(session)
    ]


def _cached(reader: CachedReader, text: str) -> tuple[str, list[Any]]:
    """Text without values, read through the cache: its title and blocks."""
    doc = reader.read(text, str, kind="k", source="t").bound()
    return doc.title, doc.blocks


def _parsed(text: str) -> tuple[str, list[Any]]:
    doc = parse_markdown(text, kind="k")
    return doc.title, doc.blocks


def test_cached_reading_gives_the_same_documents_as_the_parser(ws: Path) -> None:
    session = Session(ws, today=_date())
    reader = CachedReader(size=8)
    for _ in range(2):  # read, then read again from the cache
        for fenced in _fenced(session):
            text = apply_terms_outside_values(fenced, session.terms)
            assert _cached(reader, text) == _parsed(text)


def test_masked_values_give_the_same_documents_and_the_same_docx_bytes(ws: Path) -> None:
    """Each letter's values masked, its passages shared with the other letters, its values put back
    in the Word XML (the render step's fast path, :meth:`Engines.render`): the same document as the
    plain path (:func:`render_plain`, no masking, no cache) gives, and the same DOCX bytes."""
    session = Session(ws, today=_date())
    fast = engines(session)
    masked_any = 0
    for _ in range(2):  # the second time round, every passage comes from the cache
        for name, prepared in _letters(session):
            rendered = fast.render(name, prepared.context, prepared.meta)
            plain = render_plain(session, name, prepared.context, prepared.meta)
            assert rendered.masked is not None and plain.masked is None and not plain.word
            expected = plain.document()
            bound = rendered.document()
            assert (bound.title, bound.blocks, bound.meta) == (expected.title, expected.blocks, expected.meta)
            masked = rendered.masked
            masked_any += sum(1 for v in masked.values if v)
            when = _date()
            parts = session.docx.parts(masked.document, when=when, values=masked.values)
            assert session.docx.pack(parts) == session.docx.render(expected, when=when)
    assert masked_any > 100  # the names, dates and roles of the letters were masked, not read as they are


_LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "Plain words here",
        "Dear Jane Doe,",
        "Jane<br>1 Main St",
        "  indented",
        "    code",
        "- item",
        "1. first",
        "2) second",
        "* star",
        "# Heading",
        "## Sub",
        "---",
        "***",
        "===",
        "| a | b |",
        "|---|---|",
        "| c | d |",
        "|x|",
        "::: small",
        "::: signature",
        ":::",
        "::::",
        "```",
        "~~~",
        "> quote",
        "**bold** text",
        "_it_",
        "a\\|b",
        "text  ",
        "<div>",
        "</div>",
        "[x](y)",
        "&amp;",
        "Name: Zoë",
        "$2,000.00 per year",
        "401(k) plan",
        "\tTab",
        "x | y",
        ":--|--:",
    ]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=14))
def test_cached_reading_equals_parsing_on_any_markdown(lines: list[str]) -> None:
    text = "\n".join(lines)
    reader = CachedReader()
    assert _cached(reader, text) == _parsed(text)
    assert _cached(reader, text) == _parsed(text)
    assert "".join(split(text)).replace("\n", "") == text.replace("\n", "")


_VALUES = st.sampled_from(
    [
        *("Jane", "Zoë Núñez", "12", "1", "7 Elm St", "O'Brien", "jane@example.org", "amp", "x41", "2027"),
        *("Tom & Jerry", "a_b", "*x*", "$72,000.00", "10%", "-", "Line one\nLine two", " padded ", ""),
        *("http://example.org/a", "王小明", "A. B.", "3)", "x  y", "($5)", "$5", "€1.000,00", ". x", "x ."),
        *("'quoted'", '"q"', "-5", "+1 555", "5%", "(a", "a)", ":x", "x:", "=x", ".5", "a.", "@x", "'"),
        *("$", "(1)", "1)", "#1", "!x", "x!", "?", "/path/", "%", "^x^", ".-.", "a-", "-a-"),
    ]
)
_WORDING = st.sampled_from(
    [
        *("", "Dear ", ", ", ".", " ", "**", "*", "_", "__", "&", "&#", ";", ". ", ") ", "\n", "\n\n"),
        *("<br>", "[", "](", ")", "](mailto:", "`", "<", ">", "~~", "| ", " | ", "\n|---|---|\n", "# "),
        *("- ", "1. ", "\n::: small\n", "\n:::\n", "x", "9", "a*", "*a", "(", "\\", "    ", "\n> "),
        *("\n    ", "![", "]: ", '<span title="', '">', "<!-- ", " -->", "\n---\n", "\n===\n", "~"),
        *("\t", "http://", "mailto:"),
    ]
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_WORDING, _VALUES), max_size=10), _WORDING)
def test_masked_reading_equals_parsing_on_any_values(pieces: list[tuple[str, str]], last: str) -> None:
    """Wherever a template puts a value, masking it reads the same as the text with the value in it."""
    fenced = "".join(w + VALUE_START + escape_md(v) + VALUE_END for w, v in pieces) + last
    text = apply_terms_outside_values(fenced, str)
    expected = parse_markdown(text)
    reader = CachedReader()
    writer = _writer()
    for _ in range(2):
        masked = reader.read(fenced, str, kind="document", source="t")
        bound = masked.bound()
        assert (bound.title, bound.blocks) == (expected.title, expected.blocks)
        assert writer.pack(writer.parts(masked.document, values=masked.values)) == writer.render(expected)


def test_masking_numbers_any_count_of_values() -> None:
    fenced = "".join(f"- item {VALUE_START}value{i}{VALUE_END}\n" for i in range(300))
    text, values = mask(fenced, str)
    assert values == [f"value{i}" for i in range(300)]
    assert unmask(text, values) == apply_terms_outside_values(fenced, str)


@functools.cache
def _writer() -> DocxWriter:
    return Session(None).docx


def test_library_api_reports_without_printing(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(ws / "offers.csv", [*GOOD, BAD[0]])
    report = run_batch(Session(ws, today=_date()), ws / "offers.csv", Options(kind="offer", dry_run=True))
    assert (report.rows, report.valid, report.invalid) == (4, 3, 1)
    assert str(report.problems[0]).startswith("offers.csv:5: Base Salary: ")
    assert capsys.readouterr() == ("", "")
    assert not os.path.exists(ws / "output")


def test_rendered_rows_wait_in_a_private_spool_that_is_removed_however_the_batch_ends(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    spool_root = tmp_path / "tmp"
    spool_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_root))
    write_csv(ws / "offers.csv", [GOOD[0], GOOD[1], GOOD[2]])
    seen: list[tuple[int, list[int]]] = []

    def progress(stage: str, done: int, total: int | None) -> None:
        if stage == "write":
            (spool,) = spool_root.iterdir()
            files = list(spool.iterdir())
            seen.append((spool.stat().st_mode & 0o777, [f.stat().st_mode & 0o777 for f in files]))
            bodies = []  # what pass 2 reads back: each row's rendered body, compressed
            with files[0].open("rb") as handle:
                while handle.peek(1):
                    kind, number, role, _, made = pickle.load(handle)
                    assert (kind, role) == ("offer-letter", "hr-generalist") and number == len(bodies) + 2
                    assert list(made) == ["docx"]  # the one format asked for, as its own parts
                    (body,) = [data for name, _, _, data in made["docx"] if name == "word/document.xml"]
                    bodies.append(zlib.decompress(body, -15).decode())
            assert len(bodies) == 3 and "Jane Q. Doe" in bodies[0] and "72,000" in bodies[0]

    session = Session(ws, today=_date())
    report = run_batch(session, ws / "offers.csv", Options(kind="offer", out=ws / "a", jobs=1), progress)
    assert report.written == 3 and seen and seen[0] == (0o700, [0o600])
    assert list(spool_root.iterdir()) == []
    # stopped by a bad row, and failed while writing: the spool goes too
    write_csv(ws / "bad.csv", [GOOD[0], BAD[0]])
    assert run_batch(session, ws / "bad.csv", Options(kind="offer", out=ws / "b", jobs=1)).stopped
    assert list(spool_root.iterdir()) == []

    def interrupt(stage: str, done: int, total: int | None) -> None:
        if stage == "write":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(session, ws / "offers.csv", Options(kind="offer", out=ws / "c", jobs=1), interrupt)
    assert list(spool_root.iterdir()) == []


def test_a_workspace_word_template_wins_in_a_batch_too(hrdocs: Run, ws: Path) -> None:
    """The recruiter's own Word offer letter makes every letter of the batch, as it makes a single one."""
    import docx

    assert hrdocs("templates", "export", "offer-letter", "--docx", cwd=ws).code == 0
    word = ws / "templates/offer-letter.docx"
    document = docx.Document(str(word))
    document.add_paragraph("EDITED IN WORD for {{ candidate.name }}")
    document.save(str(word))
    write_csv(ws / "offers.csv", [GOOD[0], GOOD[2]])
    result = batch(hrdocs, ws, "offers.csv", "--kind", "offer")
    assert result.code == 0, result.err
    folder = ws / "output/offers"
    assert "EDITED IN WORD for Jane Q. Doe" in docx_text(folder / "offer-jane-q-doe-hr-generalist.docx")
    assert "EDITED IN WORD for Zoë Núñez" in docx_text(folder / "offer-zoe-nunez-hr-generalist.docx")
    entries = manifest_lines(folder / "offers.manifest.jsonl")
    assert {e["template"] for e in entries} == {"offer-letter.docx"}
    assert {e["template_sha256"] for e in entries} == {hashlib.sha256(word.read_bytes()).hexdigest()}
    # the same letter as the single-letter command writes from the same fields
    single = hrdocs(
        "--date", DATE, "offer", "generalist", "--candidate", "Zoë Núñez", "--salary", "70000.50",
        "--start", "2027-02-01", "--manager", "Sam Ortiz", "--location", "Denver, CO", "--out", "single",
        cwd=ws,
    )  # fmt: skip
    assert single.code == 0, single.err
    (letter,) = (ws / "single").glob("*.docx")
    assert letter.read_bytes() == (folder / "offer-zoe-nunez-hr-generalist.docx").read_bytes()


def test_a_full_temporary_folder_is_one_clear_error(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from hrdocs.batch import workers
    from hrdocs.errors import HrdocsError

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    write_csv(ws / "offers.csv", [GOOD[0], GOOD[1]])
    monkeypatch.setattr(workers.os, "write", full)
    options = Options(kind="offer", out=ws / "out", jobs=1)
    with pytest.raises(HrdocsError, match="cannot keep the checked rows here: No space left") as caught:
        run_batch(Session(ws, today=_date()), ws / "offers.csv", options)
    assert caught.value.hint and "TMPDIR" in caught.value.hint
    assert not (ws / "out").exists()
