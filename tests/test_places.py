"""Which country a written location is in: "Berlin, DE" is Berlin in Germany for a German company and
"Wilmington, DE" stays in Delaware for an American one (see hrdocs.places and docs/roles.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from hrdocs.api import Session
from hrdocs.models import LOCALE, Location
from hrdocs.postings import PayRangeRequired, Postings
from tests.conftest import Outcome
from tests.util import docx_text

GERMAN = {"voice": {"locale": "de_DE", "currency": "EUR"}}


def read(value: Any, locale: str | None) -> tuple[str | None, str | None, str, bool]:
    found = Location.model_validate(value, context={LOCALE: locale})
    return found.city, found.region, found.country, found.remote


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # A code that is both a US state and a country: the company's own country wins.
        ("Berlin, DE", "de_DE", ("Berlin", None, "DE")),
        ("Wilmington, DE", "en_US", ("Wilmington", "DE", "US")),
        ("Wilmington, DE", None, ("Wilmington", "DE", "US")),  # no company known: as before
        ("Berlin, DE", "en_US", ("Berlin", "DE", "US")),  # an American company's DE is Delaware
        ("Mumbai, IN", "en_IN", ("Mumbai", None, "IN")),
        ("Indianapolis, IN", "en_US", ("Indianapolis", "IN", "US")),
        ("Berlin, DE", "de", ("Berlin", "DE", "US")),  # a locale without a country decides nothing
        # A country named: that country, whatever the company.
        ("Berlin, Germany", "en_US", ("Berlin", None, "DE")),
        ("Berlin, Germany", None, ("Berlin", None, "DE")),
        ("Berlin, Deutschland", "de_DE", ("Berlin", None, "DE")),  # the company's language
        ("London, UK", "en_US", ("London", None, "GB")),
        ("Berlin, DE, Germany", "en_US", ("Berlin", None, "DE")),
        ("Berlin, BE, DE", "en_US", ("Berlin", "BE", "DE")),
        ("Tbilisi, Georgia, GE", "en_US", ("Tbilisi", None, "GE")),
        # A US state, as a code or a name, is in the US for any company.
        ("Denver, CO", "de_DE", ("Denver", "CO", "US")),
        ("Atlanta, Georgia", "de_DE", ("Atlanta", "Georgia", "US")),
        # Anything else is a region of the company's country; a bare code is never read as a country.
        ("Munich, Bavaria", "de_DE", ("Munich", "Bavaria", "DE")),
        ("Munich, BY", "de_DE", ("Munich", "BY", "DE")),  # Bavaria, not Belarus
        ("Toronto, ON", "en_CA", ("Toronto", "ON", "CA")),
        ("Toronto, ON", "en_US", ("Toronto", "ON", "US")),
    ],
)
def test_the_country_of_a_written_location(
    text: str, locale: str | None, expected: tuple[str | None, str | None, str]
) -> None:
    assert read(text, locale) == (*expected, False)


def test_remote_and_the_mapping_form_default_to_the_companys_country() -> None:
    assert read("Remote", "de_DE") == (None, None, "DE", True)
    assert read("Remote", "en_US") == (None, None, "US", True)
    assert read("Remote (US)", "de_DE") == (None, None, "US", True)
    assert read({"city": "Munich", "region": "BY"}, "de_DE") == ("Munich", "BY", "DE", False)
    assert read({"city": "Wilmington", "region": "DE"}, "de_DE") == ("Wilmington", "DE", "US", False)
    assert read({"city": "Berlin", "country": "DE"}, "en_US") == ("Berlin", None, "DE", False)


def test_an_unknown_country_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown country 'Germanyy'"):
        read("Berlin, BE, Germanyy", "en_US")


ROLE = """\
id: people-partner
title: People Partner
department: People
employment_type: full-time
flsa_status: exempt
summary: Looks after the people of one office.
duties:
  hr-operations: [Keeps personnel files up to date.]
locations: [{where}]
"""


def test_a_german_companys_role_in_berlin_de_falls_under_eu_law_not_delaware(
    make_workspace: Callable[..., Path],
) -> None:
    on = date(2027, 10, 1)  # Delaware's rule and the EU directive both in force
    german = make_workspace({"roles/people-partner.yaml": ROLE.format(where='"Berlin, DE"')}, company=GERMAN)
    # Germany has no law of its own yet: the directive only recommends (a note), and Delaware is absent
    posting = Postings(Session(german, today=on)).make("people-partner")
    notes = " ".join(posting.warnings)
    assert "not yet transposed in DE" in notes and "eu-directive-2023-970" in notes and "us-de" not in notes

    american = make_workspace(
        {"roles/people-partner.yaml": ROLE.format(where='"Wilmington, DE"')}, name="american"
    )
    with pytest.raises(PayRangeRequired) as refused:
        Postings(Session(american, today=on)).make("people-partner")
    assert [rule.id for rule in refused.value.rules] == ["us-de"]


def test_posting_cli_reads_the_location_as_the_company_does(
    make_workspace: Callable[..., Path], hrdocs: Callable[..., Outcome]
) -> None:
    role = ROLE.format(where='"Berlin, Germany"') + "pay_range: {min: 60000, max: 70000}\n"
    root = make_workspace({"roles/people-partner.yaml": role}, company=GERMAN)
    result = hrdocs(
        "--date", "2026-12-01", "posting", "people-partner", "--location", "Berlin, DE",
        "--format", "docx,json", cwd=root,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "not one of the role's locations" not in result.err  # "Berlin, DE" is its "Berlin, Germany"
    docx_path, json_path = (Path(p) for p in result.out.split())
    assert "Berlin, Germany" in docx_text(docx_path)  # the posting is English: its country names too
    assert "Delaware" not in docx_text(docx_path)
    address = json.loads(json_path.read_text("utf-8"))["jobLocation"]["address"]
    assert address == {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"}
