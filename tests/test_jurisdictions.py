"""Offers right for the work location's country: jurisdiction packs, their requirements and limits.

Every letter is made with the real CLI and read back from its DOCX with python-docx: the clauses the
country's pack asks for are there, and no US-only clause (at-will, exempt, Form I-9, FLSA, taxes and
withholdings) appears outside the US.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Outcome
from tests.util import docx_text

Run = Callable[..., Outcome]
DATE = "2026-12-01"
US_ONLY = re.compile(r"(?i)at[- ]will|exempt|I-9|FLSA|withholding")

UK_COMPANY = {
    "company": {
        "legal_name": "Acme Widgets Ltd",
        "address": ["1 High Street", "London EC1A 1AA"],
        "country": "GB",
    },
    "voice": {"locale": "en_GB", "currency": "GBP"},
}
BASE = (
    "--candidate",
    "Siobhán O'Connor",
    "--salary",
    "42000",
    "--start",
    "2027-01-04",
    "--manager",
    "Dana Whitfield",
)
GB_TERMS = ("--notice-period", "1 month", "--hours-per-week", "37.5", "--working-days", "Monday to Friday",
            "--holiday-days", "28",
            "--sick-pay", "full pay for 10 days a year, then Statutory Sick Pay")  # fmt: skip
EU_TERMS = ("--notice-period", "4 weeks", "--hours-per-week", "40", "--holiday-days", "30")


def offer(hrdocs: Run, ws: Path, *args: str) -> Outcome:
    return hrdocs("--date", DATE, "offer", "generalist", *BASE, *args, cwd=ws)


def letter(ws: Path) -> str:
    (path,) = sorted((ws / "output" / "offers").glob("*.docx"))
    return docx_text(path)


@pytest.fixture
def uk(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace(company=UK_COMPANY)


# --------------------------------------------------------------------------------- by country
CASES = {
    "GB": (("--location", "London, UK", *GB_TERMS, "--probation-months", "6"), [
        "1 month's written notice", "37.5 hours a week, Monday to Friday", "28 working days of paid holiday",
        "Sick leave and sick pay: full pay for 10 days a year",
        "auto-enrolment rules of the Pensions Act 2008",
        "right to work in the United Kingdom", "Immigration, Asylum and Nationality Act 2006",
        "probationary period",
        "Your place of work is London, UK; our address is 1 High Street, London EC1A 1AA",
    ]),
    "DE": (("--location", "Berlin, Germany", *EU_TERMS, "--probation-months", "6"), [
        "4 weeks' written notice", "2 weeks' notice",
        "Notice of termination must be given in writing (§ 623 BGB)",
        "30 working days of paid holiday", "40 hours a week", "§ 4a AufenthG", "48 hours",
    ]),
    "FR": (("--location", "Paris, France", *EU_TERMS, "--probation-months", "4"), [
        "4 weeks' written notice", "30 working days of paid holiday", "right to work in France",
        "first 4 months of your employment are a probationary period",
    ]),
    "IE": (("--location", "Dublin, Ireland", *EU_TERMS), [
        "40 hours a week", "Employment Permits Acts 2003 to 2024", "30 working days",
    ]),
    "CA-QC": (("--location", "Montréal, QC, Canada", "--notice-period", "2 weeks",
               "--hours-per-week", "40", "--language", "en"), [
        "2 weeks' written notice", "Employment Insurance Regulations, s.89", "right to work in Canada",
    ]),
    "AU": (("--location", "Sydney, Australia", "--notice-period", "2 weeks", "--holiday-days", "20",
            "--hours-per-week", "38"), [
        "Fair Work Information Statement", "superannuation guarantee rate (12% from 1 July 2025)",
        "20 working days", "Migration Act 1958",
    ]),
}  # fmt: skip


@pytest.mark.parametrize("country", sorted(CASES))
def test_offer_carries_the_countrys_clauses_and_no_us_ones(hrdocs: Run, uk: Path, country: str) -> None:
    args, expected = CASES[country]
    result = offer(hrdocs, uk, *args)
    assert result.code == 0, result.err
    text = letter(uk)
    for phrase in expected:
        assert phrase in text, f"{country}: {phrase!r} missing"
    found = US_ONLY.findall(text)
    assert not found, f"{country}: US-only wording {found}"


def test_us_letter_keeps_its_us_clauses_even_for_a_british_company(hrdocs: Run, uk: Path) -> None:
    """The pack follows the work location, never the locale: en_GB and GBP, but work in Denver."""
    result = offer(hrdocs, uk, "--location", "Denver, CO, US")
    assert result.code == 0, result.err
    text = letter(uk)
    for phrase in ("will be at will", "Full-time, exempt", "exempt, it is not eligible for overtime pay",
                   "Form I-9", "the usual taxes and withholdings"):  # fmt: skip
        assert phrase in text, phrase
    assert "written notice" not in text and "probation" not in text.lower()


def test_us_company_hiring_in_berlin_writes_a_german_offer(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace()  # en_US, USD, no company.country
    result = offer(hrdocs, ws, "--location", "Berlin, Germany", *EU_TERMS)
    assert result.code == 0, result.err
    text = letter(ws)
    assert "§ 623 BGB" in text and not US_ONLY.findall(text)


def test_a_quebec_offer_is_in_french_first(hrdocs: Run, uk: Path) -> None:
    """Quebec's language law, not the company's English voice, chooses the language: French unless
    the letter asks for another, and then a warning says what to keep on file."""
    args = ("--location", "Montréal, QC, Canada", "--notice-period", "2 weeks", "--hours-per-week", "40")
    result = offer(hrdocs, uk, *args)
    assert result.code == 0, result.err
    text = letter(uk)
    assert "préavis écrit de 2 semaines" in text and "Dear" not in text and "written notice" not in text
    english = offer(hrdocs, uk, *args, "--language", "en", "--force")
    assert english.code == 0, english.err
    assert "due in French first (Charter of the French language" in english.err
    assert "Dear" in letter(uk)


def test_work_country_names_the_region_where_the_location_cannot(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "Remote", "--work-country", "CA-QC", "--notice-period", "1 week")
    assert result.code == 0, result.err
    assert "Employment Insurance Regulations, s.89" in letter(uk)
    short = offer(hrdocs, uk, "--location", "Remote", "--work-country", "ca-qc", "--notice-period", "3 days",
                  "--force")  # fmt: skip
    assert short.code == 1 and "Act respecting labour standards s.82" in short.err
    bad = offer(hrdocs, uk, "--location", "Remote", "--work-country", "Atlantis", "--force")
    assert bad.code == 1 and "work_country: must be a two-letter country code" in bad.err


def test_company_country_places_a_location_that_names_none(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "Remote", *GB_TERMS)
    assert result.code == 0, result.err
    assert "Immigration, Asylum and Nationality Act 2006" in letter(uk)


# ----------------------------------------------------------------------------- requirements
def test_missing_notice_period_is_refused_naming_field_and_law(hrdocs: Run, uk: Path) -> None:
    terms = [
        a for i, a in enumerate(GB_TERMS) if a != "--notice-period" and GB_TERMS[i - 1] != "--notice-period"
    ]
    result = offer(hrdocs, uk, "--location", "London, UK", *terms)
    assert result.code == 1
    assert (
        "notice_period: required for an offer in GB (Employment Rights Act 1996 s.1, written statement of "
        "particulars); give --notice-period (the notice_period column or key)"
    ) in result.err
    assert not (uk / "output").exists()
    assert "Siobhán" not in result.err


def test_every_missing_item_of_the_uk_statement_at_once(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "London, UK", "--employment-type", "temporary")
    assert result.code == 1
    for field in ("notice_period", "hours_per_week", "working_days", "holiday_days", "sick_pay", "end_date"):
        assert f"{field}: required for an offer in GB" in result.err, field


def test_a_limit_is_an_error_with_its_law_and_source(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "Berlin, Germany", *EU_TERMS, "--probation-months", "9")
    assert result.code == 1
    assert "probation_months: must be at most 6 (§ 622(3) BGB" in result.err
    assert "https://haufe.de/" in result.err
    short = offer(hrdocs, uk, "--location", "Berlin, Germany", "--notice-period", "2 weeks",
                  "--hours-per-week", "40", "--holiday-days", "18")  # fmt: skip
    assert short.code == 1
    assert "notice_period: must be at least 28 days (§ 622(1) BGB" in short.err
    assert "holiday_days: must be at least 20 (§ 3 BUrlG" in short.err


def test_a_warning_limit_and_a_caution_do_not_stop_the_letter(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "Sydney, Australia", "--notice-period", "1 week",
                   "--hours-per-week", "45", "--holiday-days", "20",
                   "--pension", "12% plus super")  # fmt: skip
    assert result.code == 0, result.err
    assert "warning: hours_per_week: must be at most 38 (National Employment Standards" in result.err
    fixed = offer(hrdocs, uk, "--location", "Berlin, Germany", *EU_TERMS, "--employment-type", "temporary",
                  "--end-date", "2027-12-31", "--force")  # fmt: skip
    assert fixed.code == 0, fixed.err
    assert "§ 14(4) TzBfG" in fixed.err
    assert "your employment will end on 31 December 2027" in letter(uk)


def test_part_time_holiday_is_not_held_to_the_full_time_minimum(hrdocs: Run, uk: Path) -> None:
    result = offer(hrdocs, uk, "--location", "London, UK", *GB_TERMS[:-4], "--holiday-days", "14",
                   "--sick-pay", "Statutory Sick Pay", "--employment-type", "part-time")  # fmt: skip
    assert result.code == 0, result.err
    full = offer(hrdocs, uk, "--location", "London, UK", *GB_TERMS[:-4], "--holiday-days", "14",
                 "--sick-pay", "Statutory Sick Pay")  # fmt: skip
    assert full.code == 1 and "holiday_days: must be at least 28 (Working Time Regulations 1998" in full.err


def test_a_batch_row_with_a_missing_item_is_reported_by_its_row(hrdocs: Run, uk: Path) -> None:
    header = ["Candidate", "Job", "Salary", "Start", "Manager", "Location", "Notice", "Hours", "Working days",
              "Holiday", "Sick pay"]  # fmt: skip
    good = ["Ann Lee", "generalist", "42000", "2027-01-04", "Dana", "London, UK", "1 month", "37.5",
            "Monday to Friday", "28", "Statutory Sick Pay"]  # fmt: skip
    bad = [*good[:6], "", *good[7:]]
    bad[0] = "Bo Roe"
    with (uk / "offers.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, good, bad])
    result = hrdocs("--date", DATE, "batch", "offers.csv", "--kind", "offer", "--jobs", "1", cwd=uk)
    assert result.code == 1
    # named by the spreadsheet's own column, as every batch problem is
    assert "offers.csv:3: Notice: required for an offer in GB (Employment Rights Act 1996 s.1" in result.err
    assert "offers.csv:2:" not in result.err
    assert not (uk / "output").exists()


# ------------------------------------------------------------------------------- US-only fields
def test_flsa_status_is_required_only_for_us_work(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    role = """\
        id: people-partner
        title: People Partner
        aliases: [generalist]
        department: People
        employment_type: full-time
        summary: Partners with managers on people matters.
        """
    ws = make_workspace(
        {"roles/people-partner.yaml": role}, company={**UK_COMPANY, "catalogue": {"builtin": False}}
    )
    ok = offer(hrdocs, ws, "--location", "London, UK", *GB_TERMS)
    assert ok.code == 0, ok.err
    us = offer(hrdocs, ws, "--location", "Denver, CO, US", "--force")
    assert us.code == 1
    assert "flsa_status: required for an offer in US (Fair Labor Standards Act" in us.err
    assert "roles/people-partner.yaml sets no flsa_status" in us.err
    given = offer(hrdocs, ws, "--location", "Denver, CO, US", "--flsa-status", "exempt", "--force")
    assert given.code == 0, given.err


def test_a_role_worked_in_the_us_needs_its_flsa_status(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    role = """\
        id: clerk
        title: Clerk
        department: Office
        employment_type: full-time
        summary: Keeps the records.
        locations: ["Denver, CO"]
        """
    ws = make_workspace({"roles/clerk.yaml": role})
    result = hrdocs("jd", "clerk", cwd=ws)
    assert result.code == 1
    assert "clerk.yaml:1: flsa_status: required for a role with a US location" in result.err


# ------------------------------------------------------------------------------ workspace packs
def test_a_workspace_pack_extends_and_overrides_the_built_in_one(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    pack = """\
        # our own terms for offers in the UK
        defaults:
          notice_period: 3 months
          working_days: Monday to Friday
          holiday_days: 30
        required:
          - {field: sick_pay, enabled: false}
        limits:
          - {id: notice-min, min_days: 28}
        """
    ws = make_workspace({"jurisdictions/GB.yaml": pack}, company=UK_COMPANY)
    result = offer(hrdocs, ws, "--location", "London, UK", "--hours-per-week", "37.5")
    assert result.code == 0, result.err
    text = letter(ws)
    assert "3 months' written notice" in text and "30 working days" in text
    assert "Sick leave" not in text
    short = offer(hrdocs, ws, "--location", "London, UK", "--hours-per-week", "37.5", "--notice-period",
                  "2 weeks", "--force")  # fmt: skip
    assert short.code == 1 and "notice_period: must be at least 28 days" in short.err


def test_an_unverified_clause_is_a_setting_off_by_default(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company=UK_COMPANY)
    assert offer(hrdocs, ws, "--location", "Paris, France", *EU_TERMS).code == 0
    assert "which the law requires us to check" not in letter(ws)
    on = "clauses:\n  - {id: right-to-work, enabled: true, law: Code du travail (our counsel's reading)}\n"
    (ws / "jurisdictions").mkdir()
    (ws / "jurisdictions" / "FR.yaml").write_text(on, encoding="utf-8")
    assert offer(hrdocs, ws, "--location", "Paris, France", *EU_TERMS, "--force").code == 0
    assert "which the law requires us to check (Code du travail (our counsel's reading))" in letter(ws)


def test_a_pack_default_for_a_field_it_may_not_set_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace({"jurisdictions/GB.yaml": "defaults:\n  manager: Someone\n"}, company=UK_COMPANY)
    result = offer(hrdocs, ws, "--location", "London, UK", *GB_TERMS)
    assert result.code == 1
    assert "jurisdictions/GB.yaml: defaults.manager: not a term a pack can set" in result.err


def test_a_workspace_requirement_without_its_law_is_refused(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace({"jurisdictions/GB.yaml": "required:\n  - field: pension\n"}, company=UK_COMPANY)
    result = offer(hrdocs, ws, "--location", "London, UK", *GB_TERMS)
    assert result.code == 1
    assert "jurisdictions/GB.yaml: required.pension: needs `law`" in result.err


def test_a_pack_of_the_workspace_for_a_new_country(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace(company=UK_COMPANY)
    plain = offer(hrdocs, ws, "--location", "Tokyo, Japan")
    assert plain.code == 0 and "no jurisdiction pack for JP" in plain.err
    pack = "name: Japan\nclauses: [{id: notice}]\nrequired:\n  - {field: notice_period, law: our counsel}\n"
    (ws / "jurisdictions").mkdir()
    (ws / "jurisdictions" / "JP.yaml").write_text(pack, encoding="utf-8")
    refused = offer(hrdocs, ws, "--location", "Tokyo, Japan", "--force")
    assert refused.code == 1 and "notice_period: required for an offer in JP (our counsel)" in refused.err


# ----------------------------------------------------------------------------------------- init
def test_init_for_gb_makes_a_workspace_whose_documents_fit(hrdocs: Run, tmp_path: Path) -> None:
    ws = tmp_path / "london"
    assert hrdocs("init", str(ws), "--country", "GB").code == 0
    settings = (ws / "hrdocs.yaml").read_text(encoding="utf-8")
    assert "country: GB" in settings and "locale: en_GB" in settings and "currency: GBP" in settings
    assert "401(k)" not in settings and "at_will: false" in settings
    roles = hrdocs("roles", cwd=ws)
    assert roles.code == 0 and "hr-generalist" in roles.out and "recruiter" not in roles.out
    assert hrdocs("jd", "generalist", cwd=ws).code == 0
    assert "FLSA" not in docx_text(ws / "output" / "job-descriptions" / "hr-generalist.docx")
    made = hrdocs("--date", DATE, "offer", "generalist", *BASE, cwd=ws)  # the pack's defaults fill the terms
    assert made.code == 0, made.err
    text = letter(ws)  # British English (voice.language: en-GB): "£42,000", as the reference has it
    assert "1 month's written notice" in text and "£42,000 a year" in text and "£42,000.00" not in text
    assert "4 January 2027" in text and "Dear Siobhán O'Connor," in text and "Kind regards," in text
    assert not US_ONLY.findall(text)


def test_init_for_de_writes_german_documents(hrdocs: Run, tmp_path: Path) -> None:
    ws = tmp_path / "berlin"
    assert hrdocs("init", str(ws), "--country", "DE").code == 0
    assert re.search(r"(?m)^  language: de ", (ws / "hrdocs.yaml").read_text(encoding="utf-8"))
    made = hrdocs("jd", "generalist", cwd=ws)
    assert made.code == 0, made.err
    jd = docx_text(ws / "output" / "job-descriptions" / "hr-generalist.docx")
    assert "Aufgaben" in jd and "Arbeitsrechts (Deutschland)" in jd and "Onboards" not in jd
    args = (
        "--candidate",
        "Anna Müller",
        "--salary",
        "52000",
        "--start",
        "2027-02-01",
        "--manager",
        "Dana Whitfield",
    )
    made = hrdocs("--date", DATE, "offer", "generalist", *args, cwd=ws)
    assert made.code == 0, made.err
    text = letter(ws)
    assert "Guten Tag Anna Müller," in text and "1. Februar 2027" in text
    assert "Herzliche Grüße" in text and "Warm regards" not in text and "February" not in text


@pytest.mark.parametrize(
    ("country", "language"), [("GB", "en-GB"), ("IE", "en-GB"), ("AU", "en-GB"), ("CA", "en"), ("IN", None)]
)
def test_init_writes_the_countrys_document_language(
    hrdocs: Run, tmp_path: Path, country: str, language: str | None
) -> None:
    assert hrdocs("init", str(tmp_path / "w"), "--country", country).code == 0
    written = re.search(
        r"(?m)^  language: (\S+)", (tmp_path / "w" / "hrdocs.yaml").read_text(encoding="utf-8")
    )
    assert (written[1] if written else None) == language


def test_init_in_canada_with_a_french_locale_writes_french(hrdocs: Run, tmp_path: Path) -> None:
    ws = tmp_path / "montreal"
    assert hrdocs("init", str(ws), "--country", "CA", "--locale", "fr_CA").code == 0
    assert re.search(r"(?m)^  language: fr ", (ws / "hrdocs.yaml").read_text(encoding="utf-8"))
    made = hrdocs("jd", "generalist", cwd=ws)
    assert made.code == 0, made.err
    assert "Généraliste RH" in docx_text(ws / "output" / "job-descriptions" / "hr-generalist.docx")


def test_init_with_a_locale_implies_its_country(hrdocs: Run, tmp_path: Path) -> None:
    assert hrdocs("init", str(tmp_path / "w"), "--locale", "en_GB").code == 0
    assert "country: GB" in (tmp_path / "w" / "hrdocs.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "w" / "jurisdictions" / "GB.yaml").is_file()
    bad = hrdocs("init", str(tmp_path / "x"), "--country", "Narnia")
    assert bad.code == 2 and not (tmp_path / "x").exists()


def test_catalogue_builtin_false_hides_the_built_in_roles(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company={"catalogue": {"builtin": False}})
    assert hrdocs("jd", "recruiter", cwd=ws).code == 1
    shown = make_workspace(name="other")
    assert hrdocs("jd", "recruiter", cwd=shown).code == 0


def test_the_word_export_of_the_offer_letter_keeps_the_packs_clauses(hrdocs: Run, uk: Path) -> None:
    """`templates export offer-letter --docx` carries the clauses of every pack: the Word version of a
    German offer reads as the text template's."""
    args = ("--location", "Berlin, Germany", *EU_TERMS, "--probation-months", "6",
            "--employment-type", "temporary", "--end-date", "2027-12-31")  # fmt: skip
    assert offer(hrdocs, uk, *args).code == 0
    text = letter(uk)
    exported = hrdocs("templates", "export", "offer-letter", "--docx", cwd=uk)
    assert exported.code == 0, exported.err
    assert offer(hrdocs, uk, *args, "--force").code == 0
    word = letter(uk)
    assert [line for line in word.split("\n") if line.strip()] == [
        line for line in text.split("\n") if line.strip()
    ]
    assert "§ 623 BGB" in word and "31 December 2027" in word
