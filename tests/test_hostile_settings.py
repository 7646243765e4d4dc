"""Settings checked against the world (issue 12): currencies, countries and locales are real codes.

``voice.currency: ZZZ`` used to be accepted and letters read ``ZZZ73,517.00``. Every code in the
settings and the roles — ``voice.currency``, ``voice.locale``, a role's ``pay_range.currency``, the
country of a location, the countries of a pay-transparency rule — is checked against Babel's CLDR data
(:mod:`hrdocs.places`), refused with the file, the line and what it likely meant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.core import get_global
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hrdocs import places
from hrdocs.compliance import load_rules
from hrdocs.errors import ValidationFailed
from hrdocs.models import LOCALE, Location, PayRange, Voice
from tests.conftest import Outcome

Run = Callable[..., Outcome]
DATE = "2026-12-01"
OFFER = [
    "offer", "generalist", "--candidate", "Jane Q. Doe", "--salary", "73517", "--start", "2027-01-04",
    "--manager", "Dana Whitfield", "--location", "Denver, CO",
]  # fmt: skip
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ROLE = """\
id: tester
title: Tester
department: Quality
employment_type: full-time
flsa_status: exempt
summary: Tests things.
pay_range: {min: 60000, max: 80000, currency: EURO}
locations:
  - Remote (ZZ)
  - {city: Paris, country: fr}
"""


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def written(ws: Path) -> list[Path]:
    return sorted(p for p in (ws / "output").rglob("*") if p.is_file()) if (ws / "output").exists() else []


def voice_problem(**voice: str) -> str:
    with pytest.raises(ValidationError) as err:
        Voice.model_validate(voice)
    [error] = err.value.errors(include_url=False)
    return str(error["msg"]).removeprefix("Value error, ")


# -------------------------------------------------------------------------------- the case
def test_a_currency_that_does_not_exist_stops_every_letter_with_its_line(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(company={"voice": {"currency": "ZZZ"}})
    line = line_of(ws / "hrdocs.yaml", "currency: ZZZ")
    result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 1, result.err
    assert (
        f"hrdocs.yaml:{line}: voice.currency: `ZZZ` is not an ISO 4217 currency code "
        "(the currency of en_US is `USD`)" in result.err
    )
    assert "ZZZ73" not in result.out + result.err and "Jane" not in result.err and "73517" not in result.err
    assert "Traceback" not in result.err and written(ws) == []


def test_settings_report_every_wrong_code_at_once(hrdocs: Run, make_workspace: Callable[..., Path]) -> None:
    ws = make_workspace(company={"voice": {"locale": "en_ZZ", "currency": "usd"}})
    result = hrdocs("--date", DATE, *OFFER, cwd=ws)
    assert result.code == 1
    locale, currency = line_of(ws / "hrdocs.yaml", "en_ZZ"), line_of(ws / "hrdocs.yaml", "usd")
    assert f"hrdocs.yaml:{locale}: voice.locale: unknown locale `en_ZZ` (did you mean `en_US`?)" in result.err
    assert f"hrdocs.yaml:{currency}: voice.currency: `usd` is not an ISO 4217 currency code" in result.err
    assert written(ws) == []


def test_a_roles_currency_and_countries_are_checked_with_their_lines(
    hrdocs: Run, make_workspace: Callable[..., Path]
) -> None:
    ws = make_workspace(
        {"roles/tester.yaml": ROLE}, company={"voice": {"locale": "fr_FR", "currency": "EUR"}}
    )
    result = hrdocs("jd", "tester", cwd=ws)
    assert result.code == 1, result.err
    role = ws / "roles" / "tester.yaml"
    pay, remote, paris = line_of(role, "EURO"), line_of(role, "Remote (ZZ)"), line_of(role, "Paris")
    currency = "`EURO` is not an ISO 4217 currency code (did you mean `EUR`?)"
    assert f"tester.yaml:{pay}: pay_range.currency: {currency}" in result.err
    assert f"tester.yaml:{remote}: locations[0].country: `ZZ` is not an ISO 3166-1 country code" in result.err
    country = "`fr` is not an ISO 3166-1 country code (did you mean `FR`? Codes are written in capitals)"
    assert f"tester.yaml:{paris}: locations[1].country: {country}" in result.err
    assert written(ws) == []


def test_the_countries_of_a_pay_transparency_rule_are_real(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rule = {
        "id": "atlantis", "name": "Atlantis pay law", "where": {"country": "AT", "countries": ["UK"]},
        "requires": ["pay-range"], "in_force": "2025-01-01", "source": "https://example.org/law",
    }  # fmt: skip
    rules.write_text(yaml.safe_dump({"rules": [rule]}), encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        load_rules(rules)
    assert "rules[0].where.countries[0]: `UK` is not an ISO 3166-1 country code (did you mean `GB`?)" in str(
        err.value
    )


# -------------------------------------------------------------------------------- what it suggests
@pytest.mark.parametrize(
    ("written_as", "locale", "problem"),
    [
        ("usd", "en_US", "`usd` is not an ISO 4217 currency code (did you mean `USD`?)"),
        ("EURO", "de_DE", "`EURO` is not an ISO 4217 currency code (did you mean `EUR`?)"),
        ("€", "en_US", "`€` is not an ISO 4217 currency code (did you mean `EUR`?)"),
        ("$", "en_US", "`$` is not an ISO 4217 currency code (did you mean `USD`?)"),
        (
            "British pounds",
            "en_GB",
            "`British pounds` is not an ISO 4217 currency code (did you mean `GBP`?)",
        ),
        (
            "dollars",
            "en_US",
            "`dollars` is not an ISO 4217 currency code (did you mean `USD`, `AUD` or `BBD`?)",
        ),
        ("DE", "en_US", "`DE` is not an ISO 4217 currency code (did you mean `EUR`?)"),
        ("USF", "en_US", "`USF` is not an ISO 4217 currency code (did you mean `USD`?)"),
        ("DEM", "de_DE", "`DEM` is a former currency, no longer in use (did you mean `EUR`?)"),
        ("HRK", "hr_HR", "`HRK` is a former currency, no longer in use (did you mean `EUR`?)"),
        (
            "XTS",
            "en_US",
            "`XTS` is an ISO 4217 code, but not of a currency in use today (funds, metals, tests)",
        ),
        (
            "XAU",
            "en_US",
            "`XAU` is an ISO 4217 code, but not of a currency in use today (funds, metals, tests)",
        ),
        ("ZZZ", "de_DE", "`ZZZ` is not an ISO 4217 currency code (the currency of de_DE is `EUR`)"),
    ],
)
def test_a_wrong_currency_is_refused_with_what_it_likely_meant(
    written_as: str, locale: str, problem: str
) -> None:
    assert voice_problem(locale=locale, currency=written_as) == problem


@pytest.mark.parametrize(
    ("written_as", "problem"),
    [
        ("en_ZZ", "unknown locale `en_ZZ` (did you mean `en_US`?)"),  # Babel would quietly write en_US
        ("en_UK", "unknown locale `en_UK` (did you mean `en_GB`?)"),
        ("iw_IL", "unknown locale `iw_IL` (did you mean `he_IL`?)"),
        ("en-US", "unknown locale `en-US` (did you mean `en_US`? Written like en_US, de_DE, fr_CA)"),
        ("DE_de", "unknown locale `DE_de` (did you mean `de_DE`? Written like en_US, de_DE, fr_CA)"),
        ("xx", "unknown locale `xx` (examples: en_US, en_GB, de_DE, fr_CA)"),
    ],
)
def test_a_wrong_locale_is_refused_with_what_it_likely_meant(written_as: str, problem: str) -> None:
    assert voice_problem(locale=written_as) == problem


@pytest.mark.parametrize(
    "locale", ["en_US", "en", "de_DE", "zh_CN", "zh_Hant_TW", "sr_Latn_RS", "es_419", "sq_XK"]
)
def test_locales_babel_writes_for_are_accepted(locale: str) -> None:
    assert Voice.model_validate({"locale": locale, "currency": "EUR"}).locale == locale


@pytest.mark.parametrize(
    ("written_as", "problem"),
    [
        ({"country": "UK"}, "`UK` is not an ISO 3166-1 country code (did you mean `GB`?)"),
        ({"country": "YU"}, "`YU` is not an ISO 3166-1 country code (did you mean `RS` or `ME`?)"),
        ({"country": "EU"}, "`EU` is not an ISO 3166-1 country code (it names no country of its own)"),
        ("Remote (XX)", "`XX` is not an ISO 3166-1 country code: write the country's two-letter code"),
        ("Berlin, Berlin, QQ", "`QQ` is not an ISO 3166-1 country code"),
    ],
)
def test_a_location_in_no_country_is_refused(written_as: object, problem: str) -> None:
    value = {"city": "Paris", **written_as} if isinstance(written_as, dict) else written_as
    with pytest.raises(ValidationError) as err:
        Location.model_validate(value, context={LOCALE: "en_US"})
    assert str(err.value.errors()[0]["msg"]).removeprefix("Value error, ").startswith(problem)


def test_the_common_ways_of_writing_britain_still_read_as_gb() -> None:
    for text in ("Remote (UK)", "London, UK", "London, England, UK", "London, United Kingdom"):
        assert Location.model_validate(text, context={LOCALE: "en_GB"}).country == "GB", text


# ------------------------------------------------------------------------- the code lists themselves
def test_the_country_list_is_babels_territories_less_the_non_countries() -> None:
    """Held to Babel's own territory names, the slower list the fast one stands in for."""
    named = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
    not_countries = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
    assert places.country_codes() == named - not_countries
    assert len(places.country_codes()) == 250  # the 249 of ISO 3166-1, and XK (Kosovo)


def test_every_currency_in_use_has_a_name_and_every_country_a_currency_history() -> None:
    names = Locale("en").currencies
    assert {"USD", "EUR", "GBP", "JPY", "INR", "CHF"} <= places.currencies_in_use()
    assert all(code in names for code in places.currencies_in_use())
    assert places.country_codes() <= set(get_global("territory_currencies"))
    assert "CLDR" in places.CLDR_SOURCE


@FAST
@given(code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3))
def test_any_three_letters_are_a_currency_exactly_when_cldr_says_so(code: str) -> None:
    if code in places.currencies_in_use():
        assert PayRange.model_validate({"min": 1, "max": 2, "currency": code}).currency == code
        return
    with pytest.raises(ValidationError) as err:
        PayRange.model_validate({"min": 1, "max": 2, "currency": code}, context={LOCALE: "en_US"})
    message = str(err.value.errors()[0]["msg"])
    assert f"`{code}` is " in message and ("ISO 4217" in message or "former currency" in message)


@FAST
@given(code=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
def test_any_two_letters_are_a_country_exactly_when_cldr_says_so(code: str) -> None:
    value = {"remote": True, "country": code}
    if code in places.country_codes():
        assert Location.model_validate(value).country == code
        return
    with pytest.raises(ValidationError) as err:
        Location.model_validate(value)
    assert f"`{code}` is not an ISO 3166-1 country code" in str(err.value.errors()[0]["msg"])


@FAST
@given(text=st.text(max_size=40))
def test_any_text_as_a_locale_or_currency_gives_a_message_never_a_crash(text: str) -> None:
    for key in ("locale", "currency"):
        try:
            Voice.model_validate({key: text})
        except ValidationError as exc:
            assert exc.errors()[0]["msg"]
