"""Offer and denial letters: as Word shows them, as the CLI validates them, as a real reader opens them."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrdocs.api import Input, Session, Written, generate, render
from hrdocs.errors import ValidationFailed
from hrdocs.kinds.denial import DENIAL_FIELDS
from hrdocs.kinds.letter import Stage
from hrdocs.kinds.offer import OFFER_FIELDS, validate_offer
from tests.conftest import BASE_COMPANY, Outcome, merged
from tests.util import docx_text, needs_libreoffice, pdf_text, write_files

TODAY = date(2026, 12, 1)
NAMES = [
    "O'Brien",
    "Zoë",
    "José Ñúñez",
    "王小明",
    "Tom & Jerry <Ltd>",
    "*Star* _under_ #1",
    "1. Not a list",
    "::: small",
    "- dash",
    "a\\b",
    "[link](http://x)",
    "&amp; entity",
    "Anne-Marie  van der Berg",
]

LOCALES = {
    "en_US": {"locale": "en_US", "currency": "USD"},
    "de_DE": {"locale": "de_DE", "currency": "EUR"},
}
EXPECTED = {  # what Babel makes of the same figures in an English letter of each company locale
    "en_US": {
        "72000": "$72,000.00",
        "2769.23": "$2,769.23",
        "24.50": "$24.50",
        "140000": "$140,000.00",
        "10000": "$10,000.00",
        "2027-01-04": "January 4, 2027",
        "2026-12-01": "December 1, 2026",
        "2026-12-15": "December 15, 2026",
    },
    "de_DE": {  # the letter is English: English forms, the company's euros (docs/languages.md)
        "72000": "€72,000.00",
        "2769.23": "€2,769.23",
        "24.50": "€24.50",
        "140000": "€140,000.00",
        "10000": "€10,000.00",
        "2027-01-04": "January 4, 2027",
        "2026-12-01": "December 1, 2026",
        "2026-12-15": "December 15, 2026",
    },
}
SALUTATION = {"formal": "Dear {name}:", "warm": "Dear {first},", "plain": "Hello {first},"}
SIGN_OFF = {"formal": "Sincerely,", "warm": "Warm regards,", "plain": "Best,"}


# --------------------------------------------------------------------------------------- helpers
@dataclass
class Word:
    """A generated DOCX as python-docx reads it back."""

    doc: Any

    @classmethod
    def open(cls, source: Path | bytes) -> Word:
        return cls(docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source)))

    @property
    def paragraphs(self) -> list[str]:
        return [p.text for p in self.doc.paragraphs]

    @property
    def cells(self) -> dict[str, str]:
        return {row.cells[0].text: row.cells[1].text for t in self.doc.tables for row in t.rows}

    @property
    def text(self) -> str:
        return "\n".join([*self.paragraphs, *(f"{k} | {v}" for k, v in self.cells.items())])

    @property
    def header(self) -> str:
        return "\n".join(p.text for p in self.doc.sections[0].header.paragraphs)

    @property
    def footer(self) -> str:
        return "".join(p.text for p in self.doc.sections[0].footer.paragraphs)

    def style_of(self, text: str) -> str:
        return next(p.style.name for p in self.doc.paragraphs if p.text == text)


def company(tone: str = "warm", locale: str = "en_US", **changes: Any) -> dict[str, Any]:
    return merged({"voice": {"tone": tone, **LOCALES[locale]}}, changes)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Session]:
    """One session per (tone, locale), made once for the module."""
    made: dict[tuple[str, str], Session] = {}

    def get(tone: str = "warm", locale: str = "en_US") -> Session:
        if (tone, locale) not in made:
            root = tmp_path_factory.mktemp(f"ws-{tone}-{locale}")
            settings = merged(BASE_COMPANY, company(tone, locale))
            write_files(root, {"hrdocs.yaml": yaml.safe_dump(settings, allow_unicode=True)})
            made[tone, locale] = Session(root, today=TODAY)
        return made[tone, locale]

    return get


def with_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes``; a change to ``None`` leaves the field out."""
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def render_offer(session: Session, **changes: Any) -> Word:
    """The offer's DOCX as the library makes it (validated, rendered, checked, written to bytes only)."""
    made = render(session, "offer", Input(with_changes(OFFER, changes), source="test"), formats=["docx"])
    return Word.open(made.files["docx"])


def render_denial(session: Session, **changes: Any) -> Word:
    made = render(session, "denial", Input(with_changes(DENIAL, changes), source="test"), formats=["docx"])
    return Word.open(made.files["docx"])


def write_letter(
    session: Session, kind: str, fields: dict[str, Any], out: Path, source: str = "test"
) -> Written:
    """One letter written through the library, as ``hrdocs offer``/``hrdocs denial`` write it."""
    return generate(session, kind, Input(fields, source=source), out=out)


OFFER: dict[str, Any] = {
    "candidate": "Jane Q. Doe",
    "preferred_name": "Jane",
    "address": ["12 Elm Street", "Denver, CO 80202"],
    "email": "jane.doe@example.org",
    "role": "generalist",
    "salary": "72000",
    "start": "2027-01-04",
    "manager": "Dana Whitfield",
    "location": "Denver, CO",
}
DENIAL: dict[str, Any] = {
    "candidate": "John Roe",
    "first_name": "John",
    "role": "recruiter",
    "stage": "interview",
}

OFFER_ARGS = [
    "offer",
    "generalist",
    "--candidate",
    "Jane Q. Doe",
    "--salary",
    "72000",
    "--start",
    "2027-01-04",
    "--manager",
    "Dana Whitfield",
    "--location",
    "Denver, CO",
]


def run_offer(hrdocs: Callable[..., Outcome], cwd: Path, *extra: str) -> Outcome:
    return hrdocs("--date", TODAY.isoformat(), *OFFER_ARGS, *extra, cwd=cwd)


# ------------------------------------------------------------------------------ offer: the letter
ROLES = {
    # role: (fields, the pay lines expected in the letter, FLSA wording)
    "generalist": ({}, ["72000", "2769.23"], "exempt"),
    "hr-coordinator": (
        {"salary": None, "hourly_rate": "24.50", "location": None, "hours_per_week": "30"},
        ["24.50"],
        "non-exempt",
    ),
    "software-engineer": (
        {
            "salary": "140000",
            "location": "Remote (US)",
            "bonus": "a target annual bonus of 10% of base pay",
            "equity": "1,000 stock options, vesting over four years",
            "sign_on": "10000",
            "pay_frequency": "semimonthly",
            "expiry": "2026-12-15",
            "contingencies": "background-check, work-authorization, references, drug-test",
        },
        ["140000", "10000"],
        "exempt",
    ),
}


@pytest.mark.parametrize("tone", ["formal", "warm", "plain"])
@pytest.mark.parametrize("locale", ["en_US", "de_DE"])
@pytest.mark.parametrize("role", list(ROLES))
def test_offer_letter_holds_every_field_formatted_for_the_locale(
    sessions: Callable[..., Session], role: str, locale: str, tone: str
) -> None:
    extra, money, flsa = ROLES[role]
    fields = with_changes(OFFER, {"role": role, **extra})
    session = sessions(tone, locale)
    word = render_offer(session, role=role, **extra)
    text, paragraphs, cells, expected = word.text, word.paragraphs, word.cells, EXPECTED[locale]
    title = session.role(role).title

    # salutation and sign-off by tone; the recipient block
    assert SALUTATION[tone].format(name="Jane Q. Doe", first="Jane") in paragraphs
    assert "Jane Q. Doe\n12 Elm Street\nDenver, CO 80202\njane.doe@example.org" in paragraphs
    assert any(
        p.startswith(SIGN_OFF[tone]) and "Riley Park\nHead of People\nAcme Widgets LLC" in p
        for p in paragraphs
    )
    # every field, formatted
    assert cells["Position"] == title
    assert cells["Department"] == session.role(role).department
    boss = session.role(role).reports_to
    assert cells["Manager"] == "Dana Whitfield" + (f", {boss.title}" if boss else "")
    assert cells["Start date"] == expected["2027-01-04"]
    assert expected["2026-12-01"] in paragraphs  # the letter date
    default_expiry = {"en_US": "December 8, 2026", "de_DE": "December 8, 2026"}[locale]  # + expiry_days
    assert cells["Offer open until"] == (expected["2026-12-15"] if "expiry" in extra else default_expiry)
    location = fields.get("location") or "Denver, CO"
    arrangement = "remote" if location.startswith("Remote") else "on-site"
    assert cells["Location"] == f"{location} ({arrangement})"
    assert cells["Employment type"] == f"Full-time, {flsa}"
    for amount in money:
        assert expected[amount] in text, amount
    if "salary" in fields and role == "generalist":
        assert cells["Base pay"] == f"{expected['2769.23']} per pay period ({expected['72000']} per year)"
        assert f"which is the equivalent of {expected['72000']} on an annual basis" in text
        assert cells["Paid"] == "every two weeks"
    if "hourly_rate" in fields:
        assert cells["Base pay"] == f"{expected['24.50']} per hour"
        assert "of 30 hours a week" in text
        assert "you will be paid for overtime as the law provides" in text
    if flsa == "exempt":
        assert "it is not eligible for overtime pay" in text
    if role == "software-engineer":
        assert cells["Paid"] == "twice a month"
        assert "Bonus: a target annual bonus of 10% of base pay" in paragraphs
        assert "Equity: 1,000 stock options, vesting over four years" in paragraphs
        assert f"Sign-on bonus: a one-time payment of {expected['10000']}, less applicable taxes" in text
        assert "You will work remotely" in text
        assert "satisfactory references" in text and "pre-employment drug test" in text
    # the clauses
    assert "Health insurance from day one" in paragraphs and "25 days of paid time off" in paragraphs
    assert "background check" in text and "Form I-9" in text
    assert "will be at will" in text and "creates a contract of employment for any fixed period" in text
    assert "replaces any earlier discussions or offers" in text
    # the acceptance block
    assert "Name: Jane Q. Doe" in paragraphs and "Signature: ________________________________" in paragraphs
    assert f"I accept the offer of employment as {title} with Acme Widgets LLC" in text
    # letterhead and footer come from the company settings
    assert "Acme Widgets" in word.header and "1 Main Street" in word.header
    assert word.footer.startswith("Acme Widgets · Confidential")
    assert word.style_of(paragraphs[0]) == "Title"


def test_tone_changes_wording_salutation_and_sign_off(sessions: Callable[..., Session]) -> None:
    offers = {tone: render_offer(sessions(tone)).paragraphs for tone in ("formal", "warm", "plain")}
    denials = {tone: render_denial(sessions(tone)).paragraphs for tone in ("formal", "warm", "plain")}
    for letters in (offers, denials):
        bodies = {tone: set(p) for tone, p in letters.items()}
        for a, b in (("formal", "warm"), ("warm", "plain"), ("formal", "plain")):
            assert len(bodies[a] ^ bodies[b]) >= 4, f"{a} and {b} read almost the same"
    assert "On behalf of Acme Widgets LLC, I am pleased to offer you" in "\n".join(offers["formal"])
    assert "We are offering you the job of HR Generalist" in "\n".join(offers["plain"])
    assert "Dear John Roe:" in denials["formal"] and "Dear John," in denials["warm"]
    assert "Hello John," in denials["plain"]


def test_explicit_sign_off_in_voice_wins_over_tone(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(company={"voice": {"tone": "formal", "sign_off": "Yours faithfully,"}})
    session = Session(root, today=TODAY)
    for word in (render_offer(session), render_denial(session)):
        assert any(p.startswith("Yours faithfully,\n") for p in word.paragraphs)
        assert not any(p.startswith("Sincerely,") for p in word.paragraphs)


def test_at_will_statement_only_when_the_company_says_so(make_workspace: Callable[..., Path]) -> None:
    session = Session(make_workspace(company={"offers": {"at_will": False}}), today=TODAY)
    text = render_offer(session).text
    assert "at will" not in text
    assert "replaces any earlier discussions" in text  # the rest of the terms stay


def test_pay_is_stated_without_a_fixed_term_and_no_identity_documents_are_listed(
    sessions: Callable[..., Session],
) -> None:
    text = render_offer(sessions(), contingencies="work-authorization").text.lower()
    assert "per year" in text and "equivalent of" in text
    for wording in ("one-year", "for a period of one year", "annual contract", "term of employment is"):
        assert wording not in text
    for document in ("passport", "driver", "social security card", "birth certificate", "green card"):
        assert document not in text


def test_contingencies_per_company_and_per_letter(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        company={
            "offers": {
                "contingencies": ["background-check", "licence"],
                "contingency_texts": [
                    {"id": "licence", "text": "your holding a valid forklift licence"},
                    {"id": "background-check", "text": "a background check by our partner, CheckCo"},
                ],
            }
        }
    )
    session = Session(root, today=TODAY)
    text = render_offer(session).text
    assert "your holding a valid forklift licence" in text
    assert "a background check by our partner, CheckCo" in text
    assert "Form I-9" not in text  # the company's list replaced the default one
    text = render_offer(session, contingencies="references").text
    assert "satisfactory references" in text and "forklift" not in text
    assert "contingent on" not in render_offer(session, contingencies="none").text


def test_names_take_first_name_and_last_name_when_no_full_name(sessions: Callable[..., Session]) -> None:
    fields = {**OFFER, "candidate": None, "preferred_name": None, "first_name": "Mei", "last_name": "Chen"}
    data = validate_offer(fields, session=sessions(), source="test")
    assert data.candidate.name == "Mei Chen" and data.candidate.salutation_name == "Mei"


def test_location_defaults_to_the_roles_only_location_and_remote_sets_the_arrangement(
    sessions: Callable[..., Session],
) -> None:
    session = sessions()
    data = validate_offer({**OFFER, "role": "hr-executive", "location": None}, session=session, source="t")
    assert data.location == "Denver, CO" and data.arrangement.value == "on-site"
    data = validate_offer({**OFFER, "location": "Remote (US)"}, session=session, source="t")
    assert data.arrangement.value == "remote"
    data = validate_offer({**OFFER, "arrangement": "Hybrid"}, session=session, source="t")
    assert data.arrangement.value == "hybrid"


def test_offer_defaults_from_the_catalogue_can_be_overridden(sessions: Callable[..., Session]) -> None:
    word = render_offer(
        sessions(),
        title="Senior HR Generalist",
        department="People Operations",
        reports_to="VP People",
        flsa_status="Non-Exempt",
        employment_type="part time",
    )
    cells = word.cells
    assert cells["Position"] == "Senior HR Generalist" and cells["Department"] == "People Operations"
    assert cells["Manager"] == "Dana Whitfield, VP People"
    assert cells["Employment type"] == "Part-time, non-exempt"


# ----------------------------------------------------------------------------- denial: the letter
NEUTRAL_NEVER = (
    "because",
    "other candidates",
    "another candidate",
    "stronger",
    "more qualified",
    "better suited",
    "unfortunately you",
    "we found",
    "lacked",
    "your experience was",
)


@pytest.mark.parametrize("tone", ["formal", "warm", "plain"])
@pytest.mark.parametrize("stage", [s.value for s in Stage])
def test_denial_each_stage_is_neutral_short_and_in_the_voice(
    sessions: Callable[..., Session], stage: str, tone: str
) -> None:
    word = render_denial(sessions(tone), stage=stage)
    paragraphs, text = word.paragraphs, word.text
    assert paragraphs[0] == (
        "Your Application: Recruiter" if tone == "formal" else "Your application: Recruiter"
    )
    assert "December 1, 2026" in paragraphs
    assert SALUTATION[tone].format(name="John Roe", first="John") in paragraphs
    assert any(
        p.startswith(SIGN_OFF[tone]) and p.endswith("Riley Park\nHead of People\nAcme Widgets LLC")
        for p in paragraphs
    )
    assert "Recruiter" in text and "Thank" in text
    words = {
        "application": "appl",
        "interview": "interview",
        "final-round": "final",
        "filled": "filled",
        "cancelled": "not to fill",
    }
    assert words[stage] in text.lower()
    assert all(phrase not in text.lower() for phrase in NEUTRAL_NEVER)
    assert len(text.split()) < 160, "a denial is short"
    assert "https://acme.example" in text  # the invitation to apply again, with where
    assert "Acme Widgets" in word.header and word.footer.startswith("Acme Widgets · Confidential")


def test_each_stage_has_its_own_wording(sessions: Callable[..., Session]) -> None:
    bodies = {stage.value: render_denial(sessions(), stage=stage.value).paragraphs[4] for stage in Stage}
    assert len(set(bodies.values())) == len(Stage)


def test_reapply_invitation_is_optional(
    make_workspace: Callable[..., Path], sessions: Callable[..., Session]
) -> None:
    assert "apply for future roles" in render_denial(sessions()).text
    assert "apply for future roles" not in render_denial(sessions(), reapply="no").text
    session = Session(make_workspace(company={"denials": {"invite_reapply": False}}), today=TODAY)
    assert "apply for future roles" not in render_denial(session).text
    assert "apply for future roles" in render_denial(session, reapply=True).text


def test_denial_in_german_locale_formats_the_date(sessions: Callable[..., Session]) -> None:
    """An English letter of a German company: the date in English (issue 15), never "1. Dezember"."""
    paragraphs = render_denial(sessions("warm", "de_DE")).paragraphs
    assert "December 1, 2026" in paragraphs and "1. Dezember 2026" not in paragraphs


# ---------------------------------------------------------------------------------- exact names
@pytest.mark.parametrize("name", NAMES)
def test_names_appear_exactly_as_given(sessions: Callable[..., Session], name: str) -> None:
    word = render_offer(sessions("formal"), candidate=name, address=[name], manager=name, bonus=name)
    assert f"{name}\n{name}\njane.doe@example.org" in word.paragraphs
    assert f"Dear {name}:" in word.paragraphs and f"Name: {name}" in word.paragraphs
    assert word.cells["Manager"].startswith(name) and f"Bonus: {name}" in word.paragraphs
    denial = render_denial(sessions("formal"), candidate=name)
    assert name in denial.paragraphs and f"Dear {name}:" in denial.paragraphs


def _plain_name(text: str) -> bool:
    return bool(text) and text == text.strip() and text.isprintable()


MARKUP = "*_`[]<>#|~!{}&:;-+=.)(1 \\\"'/aZé王"
"""Characters that mean something to Markdown, HTML or Word, and a few letters to go with them."""


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(st.text(min_size=1, max_size=40), st.text(MARKUP, min_size=1, max_size=12)).filter(_plain_name)
)
def test_any_printable_name_round_trips_into_the_docx(sessions: Callable[..., Session], name: str) -> None:
    word = render_denial(sessions("formal"), candidate=name)
    assert name in word.paragraphs
    assert f"Dear {name}:" in word.paragraphs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=20))
def test_any_text_is_either_kept_exactly_or_refused_naming_the_field(
    sessions: Callable[..., Session], name: str
) -> None:
    try:
        word = render_denial(sessions("formal"), candidate=name, first_name=None)
    except ValidationFailed as exc:
        assert [p.field for p in exc.problems] == ["candidate"]
        return
    assert name.strip() in word.paragraphs


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Jane\x07Doe", "candidate: contains the control character U+0007, which Word cannot store"),
        ("Jane\x00", "candidate: contains the control character U+0000"),
        ("Jane\x1bDoe", "candidate: contains the control character U+001B"),
        ("Jane\nDoe", "candidate: must be a single line"),
        ("Jane\ue000", "candidate: contains the character U+E000, which hrdocs reserves"),
        ("\ud800", "not a valid character"),
    ],
)
def test_control_characters_are_refused_not_dropped(
    sessions: Callable[..., Session], name: str, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        validate_offer({**OFFER, "candidate": name}, session=sessions(), source="test")


# ------------------------------------------------------------------------------- validation (CLI)
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--salary", "0"], "command line: salary: must be a positive amount"),
        (["--salary", "-72000"], "command line: salary: must be a positive amount"),
        (["--salary", "seventy"], "command line: salary: must be a number"),
        (["--salary", "72000.123"], "salary: must have at most two decimal places"),
        (["--start", "2026-11-02"], "command line: start: must not be before the letter date (2026-12-01)"),
        (["--start", "04/01/2027"], "start: must be a date written as YYYY-MM-DD"),
        (["--expiry", "2026-11-30"], "command line: expiry: must not be before the letter date (2026-12-01)"),
        (["--salary", "", "--hourly-rate", "9"], "hourly_rate: below the company's floor for an exempt role"),
        (["--hourly-rate", "30"], "salary: give either salary or hourly_rate, not both"),
        (["--candidate", ""], "command line: candidate: required, but missing"),
        (["--candidate", "Jane\x07Doe"], "candidate: contains the control character U+0007"),
        (["--manager", ""], "manager: required, but missing"),
        (["--email", "jane at example"], "email: is not an e-mail address"),
        (["--flsa-status", "maybe"], "flsa_status: Input should be 'exempt' or 'non-exempt'"),
        (["--arrangement", "moon"], "arrangement: Input should be 'on-site', 'hybrid' or 'remote'"),
        (["--contingencies", "references,blood-test"], "contingencies: unknown contingency number 2"),
        (["--signatory", "Morgan"], 'signatory: write it as "Name, Title"'),
    ],
)
def test_each_validation_error_exits_1_naming_the_field(
    hrdocs: Callable[..., Outcome], tmp_path: Path, extra: list[str], expected: str
) -> None:
    result = run_offer(hrdocs, tmp_path, *extra)
    assert result.code == 1, result.err
    assert expected in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "output").exists(), "nothing is written when the input is wrong"


@pytest.mark.parametrize(
    ("letter_date", "start", "expected"),
    [
        ("2026-12-20", "2026-12-10", "start: must not be before the letter date (2026-12-20)"),
        ("2026-11-15", "2026-11-20", "start: is in the past (today is 2026-12-01)"),
    ],
)
def test_a_letter_date_of_its_own_is_checked_against_the_start_and_today(
    hrdocs: Callable[..., Outcome], tmp_path: Path, letter_date: str, start: str, expected: str
) -> None:
    """The global --date is today; a data file's ``date`` is the letter's own date (offer has no --date)."""
    (tmp_path / "jane.yaml").write_text(f"date: {letter_date}\n", encoding="utf-8")
    result = run_offer(hrdocs, tmp_path, "--data", "jane.yaml", "--start", start)
    assert result.code == 1, result.err
    assert expected in result.err and "1 problem" in result.err
    assert not (tmp_path / "output").exists()


def test_unknown_role_is_refused_with_suggestions_from_the_catalogue(
    hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    args = ["offer", "generalst", *OFFER_ARGS[2:]]
    result = hrdocs("--date", "2026-12-01", *args, cwd=tmp_path)
    assert result.code == 1
    assert "1 problem in command line:\n  command line: role: unknown role; give a role id" in result.err
    assert "generalst" not in result.err  # a letter's value is never quoted, even from the command line
    assert "did you mean `generalist`" in result.err
    assert not (tmp_path / "output").exists()
    result = hrdocs("denial", "recruter", "--candidate", "John Roe", "--stage", "interview", cwd=tmp_path)
    assert result.code == 1 and "did you mean `recruiter`" in result.err


def test_every_problem_is_reported_at_once_and_no_personal_values_are_printed(
    hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    result = hrdocs(
        "--date",
        "2026-12-01",
        "offer",
        "generalist",
        "--candidate",
        "Jane Q. Doe",
        "--salary",
        "-81234.5",
        "--start",
        "2026-01-01",
        "--address",
        "99 Secret Lane",
        "--expiry",
        "2026-01-01",
        "--email",
        "x",
        cwd=tmp_path,
    )
    assert result.code == 1
    for field in ("salary", "start", "email", "location", "manager", "expiry"):
        assert f": {field}: " in result.err, field
    assert "6 problems" in result.err
    for secret in ("81234", "81,234", "99 Secret Lane", "Secret"):
        assert secret not in result.err + result.out


def test_denial_validation_errors(hrdocs: Callable[..., Outcome], tmp_path: Path) -> None:
    result = hrdocs("denial", "recruiter", "--candidate", "John Roe", cwd=tmp_path)
    assert result.code == 1 and "stage: required, but missing (one of application, interview" in result.err
    result = hrdocs("denial", "recruiter", "--candidate", "John Roe", "--stage", "lunch", cwd=tmp_path)
    assert result.code == 1 and "stage: Input should be 'application'" in result.err
    result = hrdocs("denial", "recruiter", "--stage", "interview", cwd=tmp_path)
    assert result.code == 1 and "candidate: required, but missing" in result.err
    assert not (tmp_path / "output").exists()


def test_pay_outside_the_catalogue_range_warns_but_writes(
    hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    result = run_offer(hrdocs, tmp_path, "--salary", "95000")
    assert result.code == 0, result.err
    assert (
        "warning: salary: above the pay range of `hr-generalist` in the catalogue "
        "($62,000 – $82,000 per year)" in result.err
    )
    assert "95" not in result.err
    assert Path(result.out.strip()).is_file()


@pytest.mark.parametrize(
    ("role", "pay", "warned"),
    [
        ("generalist", ["--salary", "", "--hourly-rate", "30"], False),  # 30 × 2080 = 62,400 a year: in range
        ("generalist", ["--salary", "", "--hourly-rate", "20"], True),  # 41,600 a year: below
        ("coordinator", ["--salary", "50000"], False),  # 24.04 an hour: in range (22–28)
        ("coordinator", ["--salary", "", "--hourly-rate", "40"], True),
    ],
)
def test_pay_range_is_compared_like_with_like(
    hrdocs: Callable[..., Outcome], tmp_path: Path, role: str, pay: list[str], warned: bool
) -> None:
    args = ["--date", "2026-12-01", "offer", role, *OFFER_ARGS[2:], *pay]
    result = hrdocs(*args, cwd=tmp_path)
    assert result.code == 0, result.err
    assert ("pay range" in result.err) is warned


def test_help_lists_every_field_with_an_example(hrdocs: Callable[..., Outcome]) -> None:
    for command, fields in (("offer", OFFER_FIELDS), ("denial", DENIAL_FIELDS)):
        result = hrdocs(command, "--help")
        assert result.code == 0
        help_text = " ".join(result.out.split())
        for field in fields:
            if field.name == "role":
                assert "ROLE" in help_text
                continue
            if field.name == "date":  # the global --date sets the letter date; the command has none
                assert "Global options (-w/--workspace, --date" in help_text
                assert "--date YYYY-MM-DD" not in help_text
                continue
            flag = field.option if field.flag else f"--{field.name}"  # --reapply/--no-reapply
            assert flag in help_text, flag
            after = help_text.split(flag, 1)[1][:260]
            assert "E.g." in after, flag
        assert "--data" in help_text and "--force" in help_text


# ----------------------------------------------------------------------- data files and the CLI
def test_data_file_yaml_with_flags_overriding(hrdocs: Callable[..., Outcome], tmp_path: Path) -> None:
    (tmp_path / "jane.yaml").write_text(
        "candidate:\n  name: Jane Q. Doe\n  preferred_name: Jane\nrole: generalist\nsalary: 70000\n"
        "start: 2027-01-04\nmanager: Dana Whitfield\nlocation: Denver, CO\ncontingencies: []\n",
        encoding="utf-8",
    )
    result = hrdocs("--date", "2026-12-01", "offer", "--data", "jane.yaml", "--salary", "72000", cwd=tmp_path)
    assert result.code == 0, result.err
    word = Word.open(Path(result.out.strip()))
    assert "$72,000.00" in word.text and "$70,000.00" not in word.text
    assert "Dear Jane," in word.paragraphs and "contingent on" not in word.text


def test_data_file_problems_name_file_line_and_field(hrdocs: Callable[..., Outcome], tmp_path: Path) -> None:
    (tmp_path / "jane.yaml").write_text(
        "candidate: Jane Q. Doe\nrole: generalist\nsalary: 0\nstart: 2027-01-04\nmanager: Dana\n"
        "location: Denver, CO\nsalery: 5\n",
        encoding="utf-8",
    )
    result = hrdocs("--date", "2026-12-01", "offer", "--data", "jane.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "jane.yaml:3: salary: must be a positive amount" in result.err
    assert "jane.yaml:7: salery: unknown key (did you mean `salary`?)" in result.err


def test_data_file_json(hrdocs: Callable[..., Outcome], tmp_path: Path) -> None:
    data = {**DENIAL, "reapply": False, "address": "1 Road\nTown"}
    (tmp_path / "john.json").write_text(json.dumps(data), encoding="utf-8")
    result = hrdocs("--date", "2026-12-01", "denial", "--data", "john.json", cwd=tmp_path)
    assert result.code == 0, result.err
    word = Word.open(Path(result.out.strip()))
    assert "John Roe\n1 Road\nTown" in word.paragraphs and "apply for future" not in word.text
    (tmp_path / "bad.json").write_text('{"candidate": "John",', encoding="utf-8")
    result = hrdocs("denial", "--data", "bad.json", cwd=tmp_path)
    assert result.code == 1 and "bad.json:1: JSON:" in result.err


def test_offer_from_an_empty_folder_as_a_user_runs_it(hrdocs: Callable[..., Outcome], tmp_path: Path) -> None:
    result = run_offer(hrdocs, tmp_path)
    target = tmp_path / "output/offers/offer-jane-q-doe-hr-generalist.docx"
    assert result.code == 0, result.err
    assert result.out.strip() == str(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600, "letters are readable by their owner only"
    word = Word.open(target)
    assert "Example Co." in word.header and "EXAMPLE COMPANY" in word.footer  # the built-in example company
    assert "Morgan Lee" in word.text and "$72,000.00" in word.text and "January 4, 2027" in word.text

    again = run_offer(hrdocs, tmp_path)
    assert again.code == 1 and "already exists, not overwritten" in again.err and "--force" in again.err
    assert run_offer(hrdocs, tmp_path, "--force").code == 0

    result = hrdocs(
        "--date",
        "2026-12-01",
        "denial",
        "recruiter",
        "--candidate",
        "John Roe",
        "--stage",
        "interview",
        cwd=tmp_path,
    )
    target = tmp_path / "output/denials/denial-john-roe-recruiter.docx"
    assert result.code == 0 and result.out.strip() == str(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


@pytest.mark.parametrize(
    ("name", "file_name"),
    [
        ("../../etc/passwd", "offer-etc-passwd-hr-generalist.docx"),
        ("CON", "offer-con_-hr-generalist.docx"),  # a reserved name on Windows, made safe
        ("王小明", "offer-王小明-hr-generalist.docx"),
        ("José Ñúñez", "offer-jose-nunez-hr-generalist.docx"),
        ("///", "offer-document-hr-generalist.docx"),
    ],
)
def test_file_names_are_safe_and_inside_the_output_folder(
    hrdocs: Callable[..., Outcome], tmp_path: Path, name: str, file_name: str
) -> None:
    result = run_offer(hrdocs, tmp_path, "--candidate", name)
    assert result.code == 0, result.err
    assert Path(result.out.strip()) == tmp_path / "output/offers" / file_name


def test_out_folder_and_library_write(sessions: Callable[..., Session], tmp_path: Path) -> None:
    session = sessions()
    fields = {**OFFER, "salary": "120000"}
    written = write_letter(session, "offer", fields, tmp_path / "letters", source="offers.csv:7")
    assert written.paths == [tmp_path / "letters/offer-jane-q-doe-hr-generalist.docx"]
    assert written.kind == "offer-letter"
    assert any(w.startswith("salary: above the pay range") for w in written.warnings)
    assert "$120,000.00" in Word.open(written.paths[0]).text
    assert stat.S_IMODE(os.stat(written.paths[0]).st_mode) == 0o600, "the library writes letters privately"
    denial = write_letter(session, "denial", DENIAL, tmp_path / "letters")
    assert denial.paths == [tmp_path / "letters/denial-john-roe-recruiter.docx"]
    assert denial.kind == "denial-letter"
    assert "Dear John," in Word.open(denial.paths[0]).paragraphs


def test_batch_source_names_the_row(sessions: Callable[..., Session]) -> None:
    with pytest.raises(ValidationFailed) as err:
        row = with_changes(OFFER, {"salary": None, "start": None, "Salary": "abc", "Start": ""})
        validate_offer(row, session=sessions(), source="offers.csv:12")
    assert [str(p) for p in err.value.problems] == [
        "offers.csv:12: start: required, but missing (the first day of work, YYYY-MM-DD)",
        "offers.csv:12: salary: must be a number, written like 72000 or 72000.50 (no currency sign)",
    ]


@pytest.mark.parametrize("before", [True, False], ids=["before-the-command", "after-the-command"])
def test_global_date_pins_the_letter_date_and_default_expiry(
    hrdocs: Callable[..., Outcome], tmp_path: Path, before: bool
) -> None:
    when = ["--date", "2026-12-10"]
    result = hrdocs(*(when + OFFER_ARGS if before else OFFER_ARGS + when), cwd=tmp_path)
    assert result.code == 0, result.err
    word = Word.open(Path(result.out.strip()))
    assert "December 10, 2026" in word.paragraphs
    assert word.cells["Offer open until"] == "December 17, 2026"  # offers.expiry_days: 7


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("offer", {**OFFER, "date": "2026-12-01"}),
        ("denial", {**DENIAL, "date": "2026-12-01"}),
    ],
)
def test_a_letter_is_the_same_bytes_whatever_day_it_is_written(
    hrdocs: Callable[..., Outcome], tmp_path: Path, command: str, data: dict[str, Any]
) -> None:
    """The letter's own date, not the day of the run, is stamped in docProps/core.xml."""
    (tmp_path / "letter.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    made = []
    for day, out in (("2026-12-02", "first"), ("2026-12-28", "second")):
        result = hrdocs("--date", day, command, "--data", "letter.yaml", "--out", out, cwd=tmp_path)
        assert result.code == 0, result.err
        made.append(Path(result.out.strip()))
    assert made[0] != made[1] and made[0].read_bytes() == made[1].read_bytes()
    core = Word.open(made[0]).doc.core_properties
    assert core.created == core.modified == datetime(2026, 12, 1, tzinfo=UTC)
    with zipfile.ZipFile(made[0]) as archive:
        assert "2026-12-01T00:00:00Z" in archive.read("docProps/core.xml").decode()


def test_a_job_description_is_stamped_with_the_session_date(
    hrdocs: Callable[..., Outcome], tmp_path: Path
) -> None:
    """Only letters carry a date of their own; other documents keep --date (default: today)."""
    result = hrdocs("--date", "2026-12-02", "jd", "generalist", cwd=tmp_path)
    assert result.code == 0, result.err
    created = Word.open(Path(result.out.strip())).doc.core_properties.created
    assert created == datetime(2026, 12, 2, tzinfo=UTC)


# ------------------------------------------------------------------------------ a real reader
@needs_libreoffice
@pytest.mark.slow
def test_libreoffice_converts_both_letter_kinds(sessions: Callable[..., Session], tmp_path: Path) -> None:
    session = sessions("warm", "de_DE")
    name = "José Ñúñez"
    offer = write_letter(session, "offer", {**OFFER, "candidate": name}, tmp_path)
    denial = write_letter(session, "denial", {**DENIAL, "candidate": name}, tmp_path)
    texts = {path.name: pdf_text(path, tmp_path) for path in (offer.paths[0], denial.paths[0])}
    for text in texts.values():
        assert name in text
        assert "Acme Widgets" in text
    assert "€72,000.00" in texts[offer.paths[0].name]  # an English letter: English forms


def test_a_workspace_word_template_wins_for_offer_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recruiter exports the offer letter to Word, edits it, and `hrdocs offer` uses their file."""
    from hrdocs.cli import run

    monkeypatch.chdir(tmp_path)
    assert run(["templates", "export", "offer-letter", "--docx"]) == 0
    word = tmp_path / "templates/offer-letter.docx"
    document = docx.Document(str(word))
    document.add_paragraph("EDITED IN WORD for {{ candidate.name }}")
    document.save(str(word))
    code = run(
        [
            "offer",
            "generalist",
            "--candidate",
            "Zoë O'Brien",
            "--salary",
            "72000",
            "--start",
            "2027-01-04",
            "--manager",
            "Dana Whitfield",
            "--location",
            "Denver, CO",
            "--date",
            "2026-12-01",
        ]
    )
    assert code == 0
    (letter,) = (tmp_path / "output/offers").glob("*.docx")
    assert "EDITED IN WORD for Zoë O'Brien" in docx_text(letter)
