"""ATS exports read as their systems write them: profiles, refused ambiguities, stages, dates, amounts.

Each shipped import profile has a made-up export in ``tests/fixtures/ats/`` with its system's traps
(Greenhouse's ``Title`` beside ``Job``, Personio's ``Expected salary``, stage names, ``MM/DD/YYYY``).
The pages of docs/ats/ and the tables of docs/ats.md are made from the profile and token files::

    python tests/test_ats.py      # rewrites them (as python docs/ats/make.py does)
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hrdocs import ats_tokens
from hrdocs.batch import profiles
from hrdocs.batch.columns import ADDRESS_PARTS, column_key
from hrdocs.batch.profiles import BUILTIN_PROFILES, markdown_page
from hrdocs.batch.values import Reading
from hrdocs.kinds import registry
from hrdocs.session import Session
from hrdocs.workspace import Workspace
from tests.conftest import Outcome
from tests.util import docx_text

Run = Callable[..., Outcome]
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ats"
DOC = ROOT / "docs" / "ats.md"
DATE = "2026-12-01"

RUNS: dict[str, tuple[str, list[str], dict[str, str]]] = {
    "greenhouse": ("greenhouse.csv", [], {}),  # known by its header row
    "lever": ("lever.csv", ["--set", "role=recruiter"], {}),
    "personio": ("personio.csv", [], {"Culture talk": "interview"}),
    "workable": ("workable.csv", ["--from", "workable"], {}),
    "smartrecruiters": ("smartrecruiters.csv", ["--from", "smartrecruiters", "--map", "Status=stage"],
                        {"Rejected": "interview"}),
    "teamtailor": ("teamtailor.csv", ["--from", "teamtailor"], {"Second interview": "final-round"}),
    "recruitee": ("recruitee.csv", ["--from", "recruitee"], {}),
    "jazzhr": ("jazzhr.csv", ["--from", "jazzhr"], {"Not Hired": "interview"}),
    "ashby": ("ashby.csv", ["--from", "ashby"], {"Archived": "application"}),
    "bamboohr": ("bamboohr.csv", ["--from", "bamboohr", "--map", "Candidate Info=candidate",
                                  "--map", "Job Opening=role", "--map", "Status=stage"],
                 {"Schedule Phone Screen": "application"}),
    "workday": ("workday.csv", ["--from", "workday"], {}),
}  # fmt: skip
"""Profile -> (fixture, options, the stage_map the company adds for the stage names it made up)."""
STAGE_COLUMNS = {"Stage", "Status", "Final phase", "Final status"}
JOB_COLUMNS = {"Job", "Job Opening", "Job Requisition", "Position"}


def personal(fixture: Path) -> set[str]:
    """Every cell of a fixture that is the candidate's (not a stage name, a job or a tiny code)."""
    with fixture.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        value
        for row in rows
        for column, value in row.items()
        if column not in STAGE_COLUMNS | JOB_COLUMNS and len(value) > 3
    }


def quiet(result: Outcome, fixture: Path) -> bool:
    printed = result.out + result.err
    leaked = sorted(v for v in personal(fixture) if v in printed)
    assert not leaked, f"printed: {leaked}"
    return "Traceback" not in printed


def workspace(
    make_workspace: Callable[..., Path], stage_map: dict[str, str] | None = None, **batch: Any
) -> Path:
    settings = {**batch, **({"stage_map": stage_map} if stage_map else {})}
    return make_workspace(company={"batch": settings} if settings else {})


def run(hrdocs: Run, ws: Path, fixture: str, *args: str) -> Outcome:
    return hrdocs("--date", DATE, "batch", FIXTURES / fixture, "--jobs", "1", *args, cwd=ws)


def letters(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.docx"))}


# ----------------------------------------------------------------------------------- every profile
def test_every_profile_has_a_fixture_and_a_run() -> None:
    assert set(RUNS) == {p.stem for p in BUILTIN_PROFILES.glob("*.yaml")}
    for fixture, _, _ in RUNS.values():
        assert (FIXTURES / fixture).is_file()


@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_profile_reads_its_export(hrdocs: Run, make_workspace: Callable[..., Path], name: str) -> None:
    fixture, args, stage_map = RUNS[name]
    rows = len(personal_rows(FIXTURES / fixture))
    if stage_map:  # the stage names a company makes up are refused until it says what they are
        refused = run(hrdocs, workspace(make_workspace), fixture, "--kind", "denial", "--dry-run", *args)
        assert refused.code == 1, refused.err
        assert quiet(refused, FIXTURES / fixture)
        ws = workspace(make_workspace, stage_map)
    else:
        ws = workspace(make_workspace)
    result = run(hrdocs, ws, fixture, "--kind", "denial", *args)
    assert result.code == 0, result.err
    system = profiles.load(Workspace.at(ws), name, all_fields(ws)).system
    assert (
        f"note: read as a{'n' if system[0] in 'AEIO' else ''} {system} export (profile {name}" in result.err
    )
    assert len(letters(ws / "output/denials")) == rows
    assert quiet(result, FIXTURES / fixture)


OFFER_TERMS = ["--set", "salary=72000", "--set", "start=2027-01-04", "--set", "manager=Dana Whitfield",
               "--set", "location=Denver, CO"]  # fmt: skip
"""What an offer needs that no export of these systems is known to hold: the same for every row."""


def kind_fields(kind: str) -> set[str]:
    """The fields a column may feed in a batch of ``kind`` (an address's parts with an address)."""
    found = registry(Session(ROOT)).find(kind)
    assert found is not None
    names = {f.name for f in found.fields}
    return names | (set(ADDRESS_PARTS) if "address" in names else set())


def for_kind(args: list[str], kind: str) -> list[str]:
    """A run's options for a batch of ``kind``: a `--map` to a field it lacks becomes `--map X=-`."""
    fields = kind_fields(kind)
    out: list[str] = []
    for arg in args:
        column, _, target = arg.rpartition("=")
        lacks = out[-1:] == ["--map"] and target not in fields | {"-"}
        out.append(f"{column}=-" if lacks else arg)
    return out


def by_map(name: str, header: list[str], args: list[str], kind: str) -> list[str]:
    """The options that read a fixture as its profile does, with no profile: `--from none` and a
    `--map` for every column the profile reads or ignores (or feeds a field this kind lacks)."""
    profile = profiles.load(Workspace.at(ROOT), name, all_fields(ROOT))
    fields = kind_fields(kind)
    out = ["--from", "none"]
    skip = {i + 1 for i, a in enumerate(args) if a == "--from"} | {
        i for i, a in enumerate(args) if a == "--from"
    }
    out += [a for i, a in enumerate(args) if i not in skip]
    mapped = {a.split("=")[0] for a in out if "=" in a}
    for column in header:
        rule = profile.column(column_key(column))
        if rule is not None and column not in mapped:
            field = rule[1].field
            out += ["--map", f"{column}={field if field in fields else '-'}"]
    return out


def expected_names(name: str, row: dict[str, str]) -> list[str]:
    """The candidate's name as a letter must print it, from the columns the profile (or run) names."""
    keys = {column_key(c): v for c, v in row.items()}
    for whole in ("full_name", "candidate_name", "candidate", "name", "candidate_info"):
        if whole in keys:
            return [keys[whole]]
    return [keys["first_name"], keys["last_name"]]


@pytest.mark.parametrize("kind", ["denial", "offer"])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_letters_are_the_same_bytes_by_profile_or_by_map_for_every_profile(
    hrdocs: Run, make_workspace: Callable[..., Path], name: str, kind: str
) -> None:
    """Every system's export, as denials and as offers: the letters name the right candidate and job
    and none of the candidate's own data; the same bytes come from `--map` alone as from the profile."""
    fixture, args, stage_map = RUNS[name]
    args = for_kind(args, kind)
    rows = personal_rows(FIXTURES / fixture)
    spec = profiles.load(Workspace.at(ROOT), name, all_fields(ROOT)).spec
    settings: dict[str, Any] = {"date_format": spec.dates.format} if spec.dates.format else {}
    extra = ["--kind", kind, *(OFFER_TERMS if kind == "offer" else [])]
    ws = workspace(make_workspace, stage_map if kind == "denial" else None, **settings)
    result = run(hrdocs, ws, fixture, *extra, *args)
    assert result.code == 0, result.err
    folder = ws / "output" / ("denials" if kind == "denial" else "offers")
    made = letters(folder)
    assert len(made) == len(rows)
    texts = [docx_text(folder / file) for file in made]
    for row in rows:
        names = expected_names(name, row)
        assert sum(all(n in t for n in names) for t in texts) == 1, f"{names}: not in exactly one letter"
    own = {v for r in rows for c, v in r.items() if column_key(c) in OWN and len(v) > 3}
    leaked = sorted({v for v in own for t in texts if v in t})
    assert not leaked, f"the candidate's own data reached a letter: {leaked}"
    if kind == "offer":
        assert all("$72,000.00" in t and "January 4, 2027" in t and "Dana Whitfield" in t for t in texts)
    stages = {**{s: r.stage for s, r in spec.stages.items() if r.stage != "none"}, **stage_map}
    other = make_workspace(company={"batch": {**settings, "stage_map": stages}}, name="by-map")
    header = list(rows[0])
    mapped = run(hrdocs, other, fixture, *extra, *by_map(name, header, args, kind))
    assert mapped.code == 0, mapped.err
    assert letters(other / folder.relative_to(ws)) == made
    assert quiet(result, FIXTURES / fixture) and quiet(mapped, FIXTURES / fixture)


OWN = {"title", "company", "current_salary", "expected_salary", "available_from", "candidate_location",
       "phone", "phone_number", "location", "birthday", "gender", "rating"}  # fmt: skip
"""Columns of the fixtures that are the candidate's own data (or say nothing a letter may print)."""


def personal_rows(fixture: Path) -> list[dict[str, str]]:
    with fixture.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_built_in_profiles_are_consistent(tmp_path: Path) -> None:
    """Each loads (every field it names is a field), detects by columns it describes, cites a source."""
    session = Session(tmp_path)
    names = {f.name for k in registry(session).all() for f in k.fields}
    for name in profiles.names(session.workspace):
        profile = profiles.load(session.workspace, name, names)
        assert set(profile.spec.detect) <= set(profile.spec.columns), name
        assert profile.spec.status != "confirmed", f"{name}: no source confirmed any export's columns in full"


# --------------------------------------------------------------------------------------- Greenhouse
def test_greenhouse_title_and_company_never_reach_a_letter(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace)
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial")
    assert result.code == 0, result.err
    texts = [docx_text(p) for p in sorted((ws / "output/denials").glob("*.docx"))]
    for title in (
        "Senior Editor",
        "Junior Copy Editor",
        "Production Lead",
        "Office Manager",
        "Inkwell Press",
    ):
        assert not any(title in t for t in texts)
    by_name = {p.name: docx_text(p) for p in (ws / "output/denials").glob("*.docx")}
    assert "Thank you for applying for the Recruiter role" in by_name["denial-aurelia-quist-recruiter.docx"]
    assert "Thank you for interviewing" in by_name["denial-bram-oyelaran-recruiter.docx"]
    assert "right up to the final round" in by_name["denial-dov-ashgrove-hr-generalist.docx"]


def test_greenhouse_without_its_profile_is_refused_with_the_choices(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace)
    for extra in (["--dry-run"], []):
        result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial", "--from", "none", *extra)
        assert result.code == 2
        assert "`Title` could mean two things" in result.err
        assert '--map "Title=title" or --map "Title=-"' in result.err
        assert quiet(result, FIXTURES / "greenhouse.csv")
    assert not (ws / "output").exists()


def test_letters_are_the_same_bytes_by_profile_or_by_map(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    stages = {"Application Review": "application", "Phone Interview": "interview",
              "Face to Face": "interview", "Offer": "final-round"}  # fmt: skip
    by_profile = workspace(make_workspace)
    assert run(hrdocs, by_profile, "greenhouse.csv", "--kind", "denial").code == 0
    by_map = make_workspace(company={"batch": {"stage_map": stages}}, name="by-map")
    result = run(hrdocs, by_map, "greenhouse.csv", "--kind", "denial", "--from", "none", "--map", "Title=-")
    assert result.code == 0, result.err
    assert letters(by_profile / "output/denials") == letters(by_map / "output/denials") != {}


def test_greenhouse_offers_dates_and_amounts(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    """MM/DD/YYYY is refused until batch.date_format says so; `$72,000` and `USD 58000` are read; the
    candidate's current title and salary never feed the offer; by profile or by --map, the same bytes."""
    ws = workspace(make_workspace)
    refused = run(hrdocs, ws, "greenhouse-offers.csv", "--kind", "offer")
    assert refused.code == 1 and "Start Date: is a date with day and month in numbers" in refused.err
    assert quiet(refused, FIXTURES / "greenhouse-offers.csv")
    ws = workspace(make_workspace, date_format="MM/DD/YYYY")
    result = run(hrdocs, ws, "greenhouse-offers.csv", "--kind", "offer")
    assert result.code == 0, result.err
    text = docx_text(ws / "output/offers/offer-aurelia-quist-hr-generalist.docx")
    assert "$72,000.00" in text and "January 4, 2027" in text and "Junior Copy Editor" not in text
    assert "$61,500" not in text
    other = make_workspace(company={"batch": {"date_format": "MM/DD/YYYY"}}, name="by-map")
    maps = ["--map", "Title=-", "--map", "Salary=salary"]
    mapped = run(hrdocs, other, "greenhouse-offers.csv", "--kind", "offer", "--from", "none", *maps)
    assert mapped.code == 0, mapped.err
    assert letters(ws / "output/offers") == letters(other / "output/offers") != {}


# ----------------------------------------------------------------------------------------- Personio
EURO = {"voice": {"locale": "de_DE", "currency": "EUR"}}


def test_personio_expected_salary_is_never_the_offer(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company=EURO)
    result = run(hrdocs, ws, "personio-offers.csv", "--kind", "offer")
    assert result.code == 0, result.err
    assert "Expected salary" in result.err or "4 ignored" in result.err
    text = docx_text(ws / "output/offers/offer-henrike-solvang-hr-generalist.docx")
    # the letters are English (voice.language unset): English forms of the company's euros
    assert "€72,000.00" in text and "78,000" not in text and "March 1, 2027" in text
    assert "€58,500.00" in docx_text(ws / "output/offers/offer-ilias-brandauer-hr-coordinator.docx")
    assert quiet(result, FIXTURES / "personio-offers.csv")
    other = make_workspace(company={**EURO, "batch": {"date_format": "DD.MM.YYYY"}}, name="by-map")
    mapped = run(hrdocs, other, "personio-offers.csv", "--kind", "offer", "--from", "none",
                 "--map", "Salary=salary", "--map", "Candidate name=candidate")  # fmt: skip
    assert mapped.code == 0, mapped.err
    assert letters(ws / "output/offers") == letters(other / "output/offers") != {}


def test_without_its_profile_salary_beside_expected_salary_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company=EURO)
    result = run(hrdocs, ws, "personio-offers.csv", "--kind", "offer", "--from", "none", "--dry-run")
    assert result.code == 2
    assert "`Salary` (beside `Available from`)" in result.err or "`Salary` (beside `" in result.err
    assert '--map "Salary=salary" or --map "Salary=-"' in result.err
    assert quiet(result, FIXTURES / "personio-offers.csv")


def test_a_euro_amount_in_a_dollar_company_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace)
    result = run(hrdocs, ws, "personio-offers.csv", "--kind", "offer")
    assert result.code == 1
    assert (
        "personio-offers.csv:2: Salary: is an amount in EUR, but the company's letters are in USD"
        in result.err
    )
    assert quiet(result, FIXTURES / "personio-offers.csv")


# ------------------------------------------------------------------------------------------- stages
def test_an_unknown_stage_is_reported_once_with_its_rows(
    hrdocs: Run, make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    ws = workspace(make_workspace)
    rows = ["Phone Interviw", "Application Review", "Phone Interviw", "Phone Interviw", "ZZSECRET Lane"]
    lines = ["Name,Job,Stage", *(f"Person {i},Recruiter,{s}" for i, s in enumerate(rows))]
    (ws / "x.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = hrdocs("--date", DATE, "batch", "x.csv", "--kind", "denial", "--from", "greenhouse", cwd=ws)
    assert result.code == 1
    assert (
        "x.csv:2: Stage: a stage name hrdocs does not know (3 rows: 2, 4, 5); did you mean `Phone Interview`?"
        in result.err
    )
    assert result.err.count("does not know") == 2 and "x.csv:6: Stage: " in result.err
    assert "Interviw" not in result.err and "ZZSECRET" not in result.err
    fixed = make_workspace(company={"batch": {"stage_map": {"phone interviw": "interview",
                                                            "ZZSECRET Lane": "none"}}}, name="b")  # fmt: skip
    (fixed / "x.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = hrdocs("--date", DATE, "batch", "x.csv", "--kind", "denial", "--from", "greenhouse", cwd=fixed)
    assert result.code == 1 and "x.csv:6: Stage: `ZZSECRET Lane` (1 row): batch.stage_map says" in result.err
    result = hrdocs("--date", DATE, "batch", "x.csv", "--kind", "denial", "--stage", "interview", cwd=ws)
    assert result.code == 0, result.err  # --stage gives every row its stage: the column is not read


def test_a_stage_name_of_another_system_says_which(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = workspace(make_workspace)
    result = run(hrdocs, ws, "workable.csv", "--kind", "denial", "--from", "none")
    assert result.code == 1
    assert "`Phone Screen` (1 row) is a stage name of Workable, which this batch does not read" in result.err
    assert "--from workable" in result.err


def test_a_bad_stage_map_is_the_settings_fault(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace(
        company={"batch": {"stage_map": {"Phone Interview": "phone"}, "date_format": "M/D/Y"}}
    )
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial")
    assert result.code == 1
    assert "batch.stage_map.Phone Interview" in result.err and "batch.date_format" in result.err


# ------------------------------------------------------------------------------------------- values
@pytest.fixture
def reading(tmp_path: Path, make_workspace: Callable[..., Path]) -> Callable[..., Reading]:
    def make(**company: Any) -> Reading:
        return Reading(Session(make_workspace(company=company)).config.settings, None)

    return make


@pytest.mark.parametrize(
    ("voice", "cell", "read"),
    [
        ({}, "$72,000", "72000"), ({}, "USD 72000", "72000"), ({}, "72000 USD", "72000"),
        ({}, "72,000.50", "72,000.50"), ({}, "72000", "72000"), ({}, "$ 24.50", "24.50"),
        ({}, "72.000 €", "is an amount in EUR"), ({}, "€72", "is an amount in EUR"),
        ({}, "CA$5,000", "is an amount in CAD"), ({}, "72.000", "more than two decimals"),
        ({}, "58,00", "is not an amount as en_US writes one"), ({}, "72000 dollars", "no currency"),
        (EURO["voice"], "72.000 €", "72000"), (EURO["voice"], "58.500,00 €", "58500.00"),
        (EURO["voice"], "EUR 1.234,5", "1234.5"), (EURO["voice"], "$72,000", "is an amount in USD"),
        (EURO["voice"], "72,000", "more than two decimals"),
        ({"locale": "fr_FR", "currency": "EUR"}, "72 000 €", "72000"),
    ],
)  # fmt: skip
def test_amounts_as_exports_write_them(reading: Callable[..., Reading], voice: dict[str, str], cell: str,
                                       read: str) -> None:  # fmt: skip
    reader = reading(voice=voice) if voice else reading()
    try:
        assert reader.money(cell) == read
    except ValueError as exc:
        assert read in str(exc) and cell not in str(exc)


@pytest.mark.parametrize(
    ("fmt", "cell", "read"),
    [
        ("MM/DD/YYYY", "01/04/2027", "2027-01-04"), ("DD/MM/YYYY", "01/04/2027", "2027-04-01"),
        ("DD.MM.YYYY", "01.04.2027", "2027-04-01"), ("MM/DD/YYYY", "1/4/2027 00:00", "2027-01-04"),
        ("MM/DD/YYYY", "2027-01-04", "2027-01-04"), (None, "2027-01-04", "2027-01-04"),
        (None, "01/04/2027", "which comes first is not known"), (None, "01.04.2027", "which comes first"),
        ("MM/DD/YYYY", "13/01/2027", "not a real date read as MM/DD/YYYY"),
        ("MM/DD/YYYY", "01.04.2027", "is not written MM/DD/YYYY"),
        ("MM/DD/YYYY", "01/04/2027 09:30", "is not written MM/DD/YYYY"),
        ("YYYY-MM-DD", "01/04/2027", "is not written YYYY-MM-DD"), (None, "soon", "soon"),
    ],
)  # fmt: skip
def test_dates_as_exports_write_them(reading: Callable[..., Reading], fmt: str | None, cell: str,
                                     read: str) -> None:  # fmt: skip
    reader = reading(batch={"date_format": fmt}) if fmt else reading()
    try:
        assert reader.date(cell) == read
    except ValueError as exc:
        assert read in str(exc) and cell not in str(exc)


def test_the_shared_parsers_stay_strict(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    """Reading exports is the batch's: `hrdocs offer --salary '$72,000'` is refused as before."""
    ws = workspace(make_workspace)
    result = hrdocs("--date", DATE, "offer", "generalist", "--candidate", "Jane Doe", "--salary", "$72,000",
                    "--start", "2027-01-04", "--manager", "Dana Whitfield", cwd=ws)  # fmt: skip
    assert result.code == 1 and "salary: must be a number" in result.err


# ------------------------------------------------------------------------------------------ preview
def test_the_preview_shows_the_mapping_and_no_candidate(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = workspace(make_workspace)
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial", "--dry-run")
    assert result.code == 0, result.err
    shown = result.out.split("dry run:")[0].rstrip("\n")
    assert shown == doc_preview(), "docs/ats.md shows another preview: copy this one there"
    assert "  Title       the candidate's current job title, not the job's (the job is `Job`)" in shown
    assert "  Phone Interview        2 rows  → interview   (the Greenhouse profile)" in shown
    assert quiet(result, FIXTURES / "greenhouse.csv")
    assert not (ws / "output").exists()


def test_the_preview_marks_what_the_profile_does_not_confirm(
    hrdocs: Run, make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    ws = workspace(make_workspace, {"Reached Out": "interview"})
    offers = tmp_path / "gh-offers.csv"
    offers.write_text(
        "First Name,Last Name,Email,Job,Office,Start Date,Salary\n"
        'Ana,Ruiz,ana@example.org,Recruiter,"Denver, CO",2027-01-04,72000\n',
        encoding="utf-8",
    )
    result = hrdocs("--date", DATE, "batch", offers, "--kind", "offer", "--from", "greenhouse", "--dry-run",
                    "--set", "manager=Dana Whitfield", cwd=ws)  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    salary = next(line for line in lines if line.strip().startswith("Salary"))
    start = next(line for line in lines if line.strip().startswith("Start Date"))
    job = next(line for line in lines if line.strip().startswith("Job"))
    assert "→ salary" in salary and salary.endswith("(profile; (not confirmed: check it))")
    assert "→ start" in start and "(not confirmed: check it)" in start
    assert "not confirmed" not in job  # the profile's source confirms Job
    stages = tmp_path / "ashby.csv"
    stages.write_text("Name,Job,Stage\nAl Bo,Recruiter,Applied\nCy Do,Recruiter,New Lead\n"
                      "Ed Fo,Recruiter,Reached Out\n", encoding="utf-8")  # fmt: skip
    maps = ("--map", "Name=candidate", "--map", "Job=role", "--map", "Stage=stage")
    result = hrdocs("--date", DATE, "batch", stages, "--kind", "denial", "--from", "ashby", "--dry-run",
                    *maps, cwd=ws)  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert next(x for x in lines if x.strip().startswith("Applied")).endswith("(not confirmed: check it)")
    assert "not confirmed" not in next(x for x in lines if x.strip().startswith("New Lead"))
    reached = next(x for x in lines if x.strip().startswith("Reached Out"))  # batch.stage_map says so
    assert "batch.stage_map" in reached and "not confirmed" not in reached


def doc_preview() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"^```\n(greenhouse\.csv: read as .*?)^```$", text, re.M | re.S)
    assert found, "docs/ats.md: the preview example is gone"
    return found[1].rstrip("\n")


# ----------------------------------------------------------------------------------------- profiles
GREENHOUSE = (BUILTIN_PROFILES / "greenhouse.yaml").read_text(encoding="utf-8")


def test_a_workspace_profile_wins_and_a_new_one_is_detected(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    mine = GREENHOUSE.replace("Phone Interview: {stage: interview", "Phone Interview: {stage: final-round")
    acme = """\
        system: Acme ATS
        status: confirmed
        about: Our own export.
        detect: [Applicant, Pipeline Step]
        columns:
          Applicant: {field: candidate, source: ours}
          Pipeline Step: {field: stage, source: ours}
        stages:
          Panel: {stage: final-round, source: ours}
        dates: {format: MM/DD/YYYY, source: ours}
    """
    ws = make_workspace({"profiles/greenhouse.yaml": mine, "profiles/acme.yaml": acme})
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial", "--dry-run")
    assert "  Phone Interview        2 rows  → final-round   (the Greenhouse profile)" in result.out
    (ws / "a.csv").write_text("Applicant,Job,Pipeline Step\nAl Bo,Recruiter,Panel\n", encoding="utf-8")
    result = hrdocs("--date", DATE, "batch", "a.csv", "--kind", "denial", "--dry-run", cwd=ws)
    assert result.code == 0, result.err
    assert "read as an Acme ATS export (profile acme: docs/ats.md): 3 columns mapped, 0 ignored" in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GREENHOUSE.replace("field: first_name", "field: first_nm"), "not a field (did you mean `first_n"),
        (GREENHOUSE.replace("status: unconfirmed", "status: unconfirmed\nsytem: x"), "sytem: unknown key"),
        (GREENHOUSE.replace("{stage: interview,", "{stage: phone,", 1), "Input should be"),
        (GREENHOUSE.replace("stage: none\n    why:", "stage: none\n    wy:", 1), "wy: unknown key"),
        ("!!python/object/apply:os.system [echo hi]\n", "python/object"),
    ],
)  # fmt: skip
def test_a_broken_profile_says_where(
    hrdocs: Run, make_workspace: Callable[..., Path], text: str, message: str
) -> None:
    ws = make_workspace({"profiles/greenhouse.yaml": text})
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial", "--dry-run")
    assert result.code == 1 and message in result.err and "profiles/greenhouse.yaml" in result.err


def test_a_profile_linked_from_outside_is_refused(hrdocs: Run, make_workspace: Callable[..., Path],
                                                  tmp_path: Path) -> None:  # fmt: skip
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GREENHOUSE, encoding="utf-8")
    ws = make_workspace()
    (ws / "profiles").mkdir()
    (ws / "profiles/greenhouse.yaml").symlink_to(outside)
    result = run(hrdocs, ws, "greenhouse.csv", "--kind", "denial", "--dry-run")
    assert result.code == 1 and "greenhouse.yaml" in result.err and "outside" in result.err.lower()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "greenhous"], "no import profile `greenhous` (did you mean `greenhouse`?)"),
        (["--from", "../hrdocs"], "no import profile"),
    ],
)
def test_a_bad_from_is_usage(
    hrdocs: Run, make_workspace: Callable[..., Path], args: list[str], message: str
) -> None:
    result = run(hrdocs, workspace(make_workspace), "greenhouse.csv", "--kind", "denial", *args)
    assert result.code == 2 and message in result.err


def test_from_is_for_exports(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = workspace(make_workspace)
    (ws / "plan.yaml").write_text("- {kind: denial, candidate: Al Bo, role: recruiter, stage: interview}\n")
    result = hrdocs("batch", "plan.yaml", "--from", "greenhouse", cwd=ws)
    assert result.code == 2 and "--from is for CSV and Excel exports" in result.err


def test_a_workspace_kind_field_named_like_candidate_data_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    """A column of the candidate's own data that would feed a field is ambiguous, not used: a workspace
    kind (personal data, by default) with a `current_employer` field must say it means the candidate's."""
    kind = "title: reference letter\nfields:\n  candidate: {type: text, required: true}\n"
    template = "{{ candidate }} {{ current_employer }}\n"
    ws = make_workspace({"kinds/reference-letter.yaml": kind + "  current_employer: text\n",
                         "templates/reference-letter.md.j2": template})  # fmt: skip
    (ws / "r.csv").write_text("Candidate,Current Employer\nAl Bo,Tern LLC\n", encoding="utf-8")
    result = hrdocs("batch", "r.csv", "--kind", "reference-letter", "--dry-run", cwd=ws)
    assert result.code == 2 and '--map "Current Employer=current_employer" or' in result.err
    mapped = ["--map", "Current Employer=current_employer"]
    result = hrdocs("batch", "r.csv", "--kind", "reference-letter", "--dry-run", *mapped, cwd=ws)
    assert result.code == 0, result.err


# --------------------------------------------------------------------------------------------- docs
def made_docs() -> dict[Path, str]:
    """What docs/ats/make.py writes: every system's page and docs/ats.md's tables, from the data."""
    spec = importlib.util.spec_from_file_location("ats_docs", ROOT / "docs" / "ats" / "make.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.built_in())


def test_the_docs_are_made_from_the_profile_and_token_files() -> None:
    """A page per shipped profile (docs/ats/NAME.md), each the text its files make, and docs/ats.md's
    systems and tokens tables; none drifts from the data (run python tests/test_ats.py to remake)."""
    made = made_docs()
    pages = {p.stem for p in made if p.parent.name == "ats"}
    assert pages == {p.stem for p in BUILTIN_PROFILES.glob("*.yaml")}
    assert {p.stem for p in (ROOT / "docs" / "ats").glob("*.md")} == pages, "a page of no profile"
    for path, text in made.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: python tests/test_ats.py"
        )
    index = DOC.read_text(encoding="utf-8")
    assert all(f"](ats/{name}.md)" in index for name in pages)
    assert all(
        f"ats/{name}.md" in (ROOT / "docs" / "README.md").read_text(encoding="utf-8") for name in pages
    )


def test_a_page_shows_the_mapping_stages_names_and_what_is_not_confirmed() -> None:
    made = {p.name: t for p, t in made_docs().items()}
    greenhouse = made["greenhouse.md"]
    assert greenhouse.startswith("# From Greenhouse to a folder of letters\n")
    assert "| `Job` | `role` | the job the candidate applied to; required (GH 360053674012) |" in greenhouse
    assert "| `Title` | the candidate's current job title, not the job's (the job is `Job`) |" in greenhouse
    assert "| `Salary` | `salary` (not confirmed) |" in greenhouse and "- column `Salary`: " in greenhouse
    assert "| Phone Interview | `interview` |" in greenhouse
    assert "**Names.** `First Name` (the first name) and `Last Name` (the last name)." in greenhouse
    assert "| Greenhouse | `{{JOB_NAME}}` | `role.title` |" in greenhouse
    personio = made["personio.md"]
    assert (
        "Dates: `DD.MM.YYYY` (not confirmed)" in personio
        and "**Names.** `Candidate name` (the whole name)." in personio
    )
    assert "| `Expected salary` | the candidate's salary expectation, not the offer's salary |" in personio
    assert "hrdocs ships no token table for BambooHR" in made["bamboohr.md"]
    assert "| Lever | `{candidate_signature}` |" in made["lever.md"]


def test_a_changed_profile_changes_its_page(tmp_path: Path) -> None:
    workspace = Workspace.at(tmp_path)
    profile = profiles.load(workspace, "greenhouse", all_fields(tmp_path))
    extra = profile.spec.model_copy(update={"detect": [*profile.spec.detect, "Email"]})
    assert markdown_page(profile) != markdown_page(profiles.Profile("greenhouse", profile.path, extra))


UNSURE = re.compile(r"unofficial|not confirmed|taken to|assumed|not an export header", re.I)


def test_every_unconfirmed_fact_is_marked(tmp_path: Path) -> None:
    """A fact whose source says it is unofficial, assumed or not confirmed is `confirmed: false`, so
    its page marks it; and a `confirmed: false` fact says why in its source."""
    workspace = Workspace.at(tmp_path)
    for name in profiles.names(workspace):
        spec = profiles.load(workspace, name, all_fields(tmp_path)).spec
        facts = [*spec.columns.items(), *spec.stages.items()]
        facts += [("dates", spec.dates)] if spec.dates.format else []  # no format: nothing is read so
        for what, fact in facts:
            said = bool(UNSURE.search(fact.source))
            assert said == (not fact.confirmed), (
                f"{name}: {what}: confirmed={fact.confirmed}, source: {fact.source}"
            )
    for table in ats_tokens.tables():
        for token, entry in table.tokens.items():
            said = bool(UNSURE.search(entry.source)) or "probably" in entry.source
            assert said == (not entry.confirmed), f"{table.system}: {token}"


def all_fields(folder: Path) -> set[str]:
    return {f.name for k in registry(Session(folder)).all() for f in k.fields} | set(ADDRESS_PARTS)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for path, text in made_docs().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
