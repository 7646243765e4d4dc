"""Tests for hrdocs.compliance: pay-transparency rules as data, and who they cover."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hrdocs.compliance import describe, load_rules, rules_for
from hrdocs.errors import HrdocsError, ValidationFailed
from hrdocs.lint import lint_text
from hrdocs.models import LintSettings, Location, Voice

RULES = load_rules()
BY_ID = {rule.id: rule for rule in RULES}
EU_27 = set(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


def ids(location: Location | str, on: date, employer_size: int | None = None, rules=RULES) -> set[str]:
    if isinstance(location, str):
        location = Location.model_validate(location)
    return {r.id for r in rules_for(location, rules=rules, employer_size=employer_size, on=on)}


def test_every_row_of_the_reference_table() -> None:
    assert set(BY_ID) == {
        "us-co", "us-ca", "us-wa", "us-ny-nyc", "us-ny", "us-hi", "us-dc", "us-md", "us-il",
        "us-mn", "us-nj", "us-vt", "us-ma", "us-oh-cleveland", "us-oh-columbus", "us-de",
        "eu-directive-2023-970",
        # national transpositions and Canada (intl-letters.md; tests/test_postings_intl.py)
        "eu-it", "eu-sk", "eu-lt", "eu-mt", "eu-pl", "eu-de", "eu-fr", "eu-es", "eu-nl", "eu-dk",
        "eu-ie", "eu-se", "ca-bc", "ca-on", "ca-pe", "ca-nl", "ca-qc-language",
    }  # fmt: skip
    assert set(BY_ID["eu-directive-2023-970"].where.countries) == EU_27
    assert BY_ID["eu-directive-2023-970"].in_force == date(2026, 6, 7)
    assert BY_ID["us-hi"].min_employees == 50
    assert BY_ID["us-md"].min_employees is None
    assert all(rule.source for rule in RULES)


def test_denver() -> None:
    assert ids("Denver, CO", date(2025, 1, 1)) == {"us-co"}
    assert ids("Denver, Colorado", date(2025, 1, 1)) == {"us-co"}
    assert ids("Denver, CO", date(2020, 12, 31)) == set()


def test_colorado_deadline_started_later() -> None:
    assert BY_ID["us-co"].requirements_on(date(2023, 6, 1)) == ["pay-range", "benefits"]
    assert BY_ID["us-co"].requirements_on(date(2024, 1, 1)) == [
        "pay-range",
        "benefits",
        "application-deadline",
    ]


def test_new_york_city_is_city_and_state() -> None:
    assert ids("New York, NY", date(2024, 1, 1)) == {"us-ny-nyc", "us-ny"}
    assert ids("Brooklyn, NY", date(2024, 1, 1)) == {"us-ny-nyc", "us-ny"}
    assert ids("Buffalo, NY", date(2024, 1, 1)) == {"us-ny"}
    assert ids("New York, NY", date(2023, 1, 1)) == {"us-ny-nyc"}  # before the state law


def test_austin_has_none() -> None:
    assert ids("Austin, TX", date(2026, 1, 1)) == set()


def test_remote_us_is_every_us_rule_in_force() -> None:
    found = ids("Remote (US)", date(2026, 1, 1))
    assert found == {r.id for r in RULES if r.id.startswith("us-")} - {"us-oh-columbus", "us-de"}
    assert ids("Remote (US)", date(2028, 1, 1)) == {r.id for r in RULES if r.id.startswith("us-")}
    assert ids("Remote (DE)", date(2026, 6, 7)) == {"eu-directive-2023-970"}


def test_berlin_eu_directive_from_june_2026() -> None:
    berlin = Location(city="Berlin", region="BE", country="DE")
    assert ids(berlin, date(2026, 6, 6)) == set()
    assert ids(berlin, date(2026, 6, 7)) == {"eu-directive-2023-970"}


def test_columbus_from_2027() -> None:
    assert ids("Columbus, OH", date(2026, 12, 31)) == set()
    assert ids("Columbus, OH", date(2027, 1, 1)) == {"us-oh-columbus"}
    assert ids("Cleveland, OH", date(2026, 1, 1)) == {"us-oh-cleveland"}
    assert ids("Columbus, GA", date(2027, 1, 1)) == set()


@pytest.mark.parametrize(
    ("place", "size", "expected"),
    [
        ("San Jose, CA", 14, set()),
        ("San Jose, CA", 15, {"us-ca"}),
        ("San Jose, CA", None, {"us-ca"}),  # unknown size: assume covered
        ("Honolulu, HI", 49, set()),
        ("Honolulu, HI", 50, {"us-hi"}),
        ("Baltimore, MD", 1, {"us-md"}),  # every employer
        ("Denver, CO", 1, {"us-co"}),
    ],
)
def test_employer_size(place: str, size: int | None, expected: set[str]) -> None:
    assert ids(place, date(2026, 1, 1), employer_size=size) == expected


def test_company_rules_file_extends_and_overrides(tmp_path: Path) -> None:
    extra = tmp_path / "rules.yaml"
    extra.write_text(
        """
rules:
  - id: us-ca
    name: California
    where: {country: US, region: CA}
    min_employees: 1
    requires: [pay-range, benefits]
    in_force: 2023-01-01
    source: our counsel
  - id: us-tx-austin
    name: Austin (company policy)
    where: {country: US, region: TX, cities: [Austin]}
    requires: [pay-range]
    in_force: 2020-01-01
    source: company policy
""",
        encoding="utf-8",
    )
    rules = load_rules(extra)
    assert ids("Austin, TX", date(2025, 1, 1), rules=rules) == {"us-tx-austin"}
    assert ids("Fresno, CA", date(2025, 1, 1), employer_size=3, rules=rules) == {"us-ca"}
    assert len(rules) == len(RULES) + 1


def test_company_rules_file_errors_name_the_line(tmp_path: Path) -> None:
    extra = tmp_path / "rules.yaml"
    extra.write_text(
        "rules:\n  - id: x\n    name: X\n    where: {country: US}\n    requires: [pay-range]\n"
        "    in_force: 2020-01-01\n    source: s\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        load_rules(extra)
    assert f"{extra}:8: rules[0].colour: unknown key" in str(caught.value)


def test_disabling_a_rule() -> None:
    rules = load_rules(disabled=["us-ny"])
    assert ids("New York, NY", date(2024, 1, 1), rules=rules) == {"us-ny-nyc"}


def test_disabling_an_unknown_rule() -> None:
    with pytest.raises(HrdocsError) as caught:
        load_rules(disabled=["us-nyc"])
    assert "unknown pay-transparency rule id in disabled_rules: `us-nyc`" in str(caught.value)
    assert "did you mean" in str(caught.value)


def test_describe() -> None:
    assert describe(BY_ID["us-co"], on=date(2025, 1, 1), what="pay-range") == (
        "Colorado (in force since 2021-01-01) requires a pay range in postings"
    )
    assert describe(BY_ID["us-ca"], on=date(2025, 1, 1)) == (
        "California (in force since 2023-01-01) requires a pay range in postings"
        " for employers with 15 or more employees"
    )
    assert describe(BY_ID["us-oh-columbus"], on=date(2026, 1, 1)).startswith(
        "Columbus, OH (from 2027-01-01) will require a pay range"
    )


# ---------------------------------------------------------------------- through the linter
def rules_found(kind: str, place: str, on: date, **kwargs) -> set[str]:
    findings = lint_text(
        "A job.",
        source="p.md",
        kind=kind,
        settings=LintSettings(),
        voice=Voice(),
        locations=[Location.model_validate(place)],
        on=on,
        **kwargs,
    )
    return {f.rule for f in findings if f.rule.startswith("compliance.")}


def test_lint_posting_for_denver() -> None:
    assert rules_found("posting", "Denver, CO", date(2025, 1, 1), has_pay_range=False) == {
        "compliance.pay-range",
        "compliance.benefits",
        "compliance.deadline",
        "compliance.eeo",
    }
    assert "compliance.pay-range" not in rules_found(
        "posting", "Denver, CO", date(2025, 1, 1), has_pay_range=True
    )


def test_lint_uses_company_rules_and_employer_size() -> None:
    assert "compliance.pay-range" not in rules_found(
        "posting", "San Jose, CA", date(2025, 1, 1), has_pay_range=False, employer_size=10
    )
    only_ny = load_rules(disabled=[r.id for r in RULES if r.id != "us-ny"])
    assert "compliance.pay-range" not in rules_found(
        "posting", "Denver, CO", date(2025, 1, 1), has_pay_range=False, pay_rules=only_ny
    )
