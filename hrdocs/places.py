"""Which country a location written as text lies in: ``"Denver, CO"``, ``"Berlin, Germany"``.

People write a place as "City, Region" and leave the country out when it is their own, and a two-letter
code after the city can be a US state and a country at once: DE is Delaware and Germany, CA California
and Canada, IN Indiana and India. Reading every such code as a US state put Berlin in Delaware for a
German company, so the company's own country (the territory of ``voice.locale``: ``de_DE`` -> DE) takes
part. The rules, in order, for ``"City, X"`` (documented in docs/roles.md):

1. X is the company's own country code (``Berlin, DE`` for a ``de_DE`` company): that country.
2. X is a US state or territory, as a code or a name (``Wilmington, DE``, ``Denver, Colorado``): the US.
3. X is a country name (``Berlin, Germany``; English, or the company's language): that country.
4. Otherwise X is a region of the company's country (``Munich, Bavaria``), or of the US when the locale
   names no country.

``"City, Region, Country"`` says the country itself, as a code or a name, and a location with no country
at all (``Remote``) is in the company's country. No list of cities is kept: a place these rules misread
is written with its country (``"Wilmington, DE, US"``, ``"Berlin, Germany"``).

The code lists the settings and roles are checked against (:func:`country_problem`,
:func:`currency_problem`, :func:`locale_problem`) are Babel's own CLDR data, the data that formats
every date and amount hrdocs writes (:data:`CLDR_SOURCE`), so a code is accepted exactly when it can be
written: ``voice.currency: ZZZ`` is refused with ``did you mean``, not printed as ``ZZZ73,517.00``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_cldr_version, get_global

DEFAULT_COUNTRY = "US"
"""The country of a location that names none, when the company's locale names none either."""

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
}  # fmt: skip
"""The states, DC and the inhabited territories, with their US Postal Service codes."""

_US_STATE_NAMES = frozenset(name.casefold() for name in US_STATES.values())

_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
"""Two-letter CLDR territories that are no country: European Union, Eurozone, United Nations, ….."""

_RESERVED = frozenset({"AC", "CP", "CQ", "DG", "EA", "IC", "TA"})
"""CLDR territories with codes ISO 3166-1 only *reserves* (Ascension, Clipperton, Sark, Diego Garcia,
Ceuta and Melilla, the Canary Islands, Tristan da Cunha): each lies in a country with a code of its own."""

_ALIASES = {"usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US", "uk": "GB", "great britain": "GB"}


def home_country(locale: str | None) -> str | None:
    """The country of a locale (``de_DE`` -> ``DE``), or ``None`` when it names none (``de``)."""
    if not locale:
        return None
    try:
        territory = Locale.parse(locale).territory
    except (UnknownLocaleError, ValueError):
        return None
    return territory if territory and territory.isalpha() and len(territory) == 2 else None


@cache
def _country_names(language: str) -> dict[str, str]:
    """Country names in ``language`` (and in English), casefolded -> the two-letter code."""
    names: dict[str, str] = {}
    for lang in dict.fromkeys(("en", language)):
        try:
            territories = Locale.parse(lang).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names.setdefault(name.casefold(), code)
    return {**names, **_ALIASES}


def country_code(text: str, locale: str | None = None) -> str | None:
    """``"DE"``, ``"de"``, ``"Germany"`` or (for a German locale) ``"Deutschland"`` -> ``"DE"``."""
    value = text.strip()
    if len(value) == 2 and value.isalpha():
        return _ALIASES.get(value.casefold(), value.upper())  # UK is GB
    return _country_names(_language(locale)).get(value.casefold())


def _language(locale: str | None) -> str:
    try:
        return Locale.parse(locale).language if locale else "en"
    except (UnknownLocaleError, ValueError):
        return "en"


def is_us_state(text: str) -> bool:
    """A US state or territory as written: its postal code (``CO``) or its name (``Colorado``)."""
    value = text.strip()
    return value.upper() in US_STATES if len(value) == 2 else value.casefold() in _US_STATE_NAMES


def place(part: str, locale: str | None = None) -> tuple[str | None, str]:
    """What follows the city in ``"City, part"`` -> (region, country), by the rules of this module.

    >>> place("DE", "de_DE"), place("DE", "en_US"), place("Germany"), place("Bavaria", "de_DE")
    ((None, 'DE'), ('DE', 'US'), (None, 'DE'), ('Bavaria', 'DE'))
    """
    home = home_country(locale)
    value = part.strip()
    if home is not None and len(value) == 2 and value.upper() == home:
        return None, home
    if is_us_state(value):
        return value, "US"
    if (named := _country_names(_language(locale)).get(value.casefold())) is not None:
        return None, named  # a name or alias (Germany, UK), never a bare code: BY is Bavaria, not Belarus
    return value, home or DEFAULT_COUNTRY


def default_country(region: str | None, locale: str | None = None) -> str:
    """The country of a location that names a region but no country (the mapping form, ``Remote``)."""
    if region is not None and is_us_state(region):
        return "US"
    return home_country(locale) or DEFAULT_COUNTRY


# -------------------------------------------------------------------------------------- code lists
CLDR_SOURCE = f"the Unicode CLDR {get_cldr_version()} data shipped with Babel"
"""Where every code list below comes from. Babel (already the library that formats dates and money)
carries CLDR's territory and currency data, so the lists update with Babel and never disagree with
what can be formatted; ``tests/test_hostile_settings.py`` holds them to Babel's own territory names."""

_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes, from CLDR's currency history by territory.

    Every country has a currency history in CLDR (Antarctica included), so its keys are every
    territory, with the former ones (YU, SU: CLDR's territory aliases) and those that are no country
    (EU, ZZ, the reserved AC…) taken out. It is read from Babel's global data, which every locale lookup
    has loaded already; the territory names (``Locale("en").territories``, 15 ms to load) give the same
    set and are kept for "did you mean". XK (Kosovo) is kept: not assigned by ISO 3166-1, but the code
    CLDR, the EU and the IMF use for it.
    """
    aliases = get_global("territory_aliases")
    return frozenset(
        code
        for code in get_global("territory_currencies")
        if len(code) == 2 and code.isalpha() and code not in aliases
        and code not in _NOT_COUNTRIES and code not in _RESERVED
    )  # fmt: skip


def country_problem(code: str) -> str | None:
    """Why ``code`` is not an ISO 3166-1 alpha-2 country code, with the likely one; ``None`` if it is."""
    if code in country_codes():
        return None
    shown = f"`{code}` is not an ISO 3166-1 country code"
    if code.upper() in country_codes():
        return f"{shown} (did you mean `{code.upper()}`? Codes are written in capitals)"
    replaced = [c for c in get_global("territory_aliases").get(code.upper(), ()) if c in country_codes()]
    if replaced:
        return f"{shown} (did you mean {_either(replaced)}?)"
    if (named := country_code(code)) is not None and named in country_codes() and len(code) != 2:
        return f"{shown} (did you mean `{named}`?)"
    if code.upper() in _NOT_COUNTRIES or code.upper() in _RESERVED:
        return f"{shown} (it names no country of its own); write the country's two-letter code"
    return f"{shown}: write the country's two-letter code (DE, GB, US) or its name (Germany)"


@cache
def _currencies() -> tuple[frozenset[str], dict[str, list[str]]]:
    """(the currencies in use today, former currency -> its countries), from CLDR's currency history.

    "In use" is legal tender in some territory today: funds, precious metals and test codes (XAU, XTS,
    XXX, CHE) are ISO 4217 codes too, but no salary is paid in them.
    """
    today = dt.date.today()
    in_use: set[str] = set()
    former: dict[str, list[str]] = {}
    for territory, history in get_global("territory_currencies").items():
        for code, start, end, tender in history:
            if not tender:
                continue
            started = start is None or dt.date(*start) <= today
            if started and (end is None or dt.date(*end) > today):
                in_use.add(code)
            elif end is not None and len(territory) == 2:
                former.setdefault(code, []).append(territory)
    return frozenset(in_use), former


def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes of the currencies that are legal tender somewhere today (per CLDR)."""
    return _currencies()[0]


def territory_currency(territory: str | None) -> str | None:
    """The currency in use in a country today (``DE`` -> ``EUR``), or ``None``."""
    in_use = currencies_in_use()
    for code, _start, end, tender in get_global("territory_currencies").get(territory or "", ()):
        if tender and end is None and code in in_use:
            return code
    return None


def currency_problem(code: str, locale: str | None = None) -> str | None:
    """Why ``code`` is not the ISO 4217 code of a currency in use, with the likely one; ``None`` if it is.

    The suggestions, in order: the code in capitals; the currency a country code or name, a currency
    symbol or a currency's English name stands for (``DE``, ``€``, ``euro``); for a former currency,
    what its countries use now (``DEM`` -> ``EUR``); codes one letter away; the currency of the
    company's own country (the territory of ``locale``).
    """
    in_use, former = _currencies()
    if code in in_use:
        return None
    upper = code.strip().upper()
    if code in former:
        now = sorted({c for t in former[code] if (c := territory_currency(t))})
        return f"`{code}` is a former currency, no longer in use" + (
            f" (did you mean {_either(now)}?)" if now else ""
        )
    if code in get_global("all_currencies"):
        return f"`{code}` is an ISO 4217 code, but not of a currency in use today (funds, metals, tests)"
    shown = f"`{code}` is not an ISO 4217 currency code"
    guesses = [upper] if upper in in_use else _currency_guesses(code, locale)
    if not guesses and len(upper) == 3 and set(upper) <= _LETTERS:
        guesses = sorted(c for c in in_use if sum(a != b for a, b in zip(c, upper, strict=True)) == 1)
        guesses.sort(key=lambda c: c[:2] != upper[:2])  # same country letters first: USF -> USD
    if not guesses and (home := territory_currency(home_country(locale))) is not None:
        return f"{shown} (the currency of {locale} is `{home}`)"
    return f"{shown} (did you mean {_either(guesses[:3])}?)" if guesses else shown


def _currency_guesses(text: str, locale: str | None) -> list[str]:
    """Currencies a country, a symbol or an English currency name stands for (the error path only:
    the names load Babel's English locale data)."""
    value = text.strip()
    if (country := country_code(value, locale)) is not None and (its := territory_currency(country)):
        return [its]
    english = Locale("en")
    try:
        own = Locale.parse(locale) if locale else english
    except (UnknownLocaleError, ValueError):
        own = english
    in_use = currencies_in_use()
    for symbols in (own.currency_symbols, english.currency_symbols):
        if written := [c for c, s in symbols.items() if s == value and c in in_use]:
            return written[:1]
    key = value.casefold().removesuffix("s")
    names = [(c, n.casefold().removesuffix("s")) for c, n in english.currencies.items() if c in in_use]
    found = sorted(c for c, n in names if n == key) or sorted(c for c, n in names if n.endswith(" " + key))
    home = territory_currency(home_country(locale))
    return sorted(found, key=lambda c: c != home)  # "dollar" for an American company: USD first


_LOCALE_SHAPE = re.compile(
    r"(?P<lang>[a-z]{2,3})(?:_(?P<script>[A-Z][a-z]{3}))?(?:_(?P<territory>[A-Z]{2}|\d{3}))?"
)


def locale_problem(value: str) -> str | None:
    """Why ``value`` is not a locale Babel has data for, written as Babel writes it; ``None`` if it is.

    Babel reads some unknown locales as another (``en_ZZ`` as ``en_US``, ``en_UK`` as ``en_GB``) and
    would silently write for that one; a locale is accepted only when Babel keeps the language, script
    and territory written (``zh_CN``, read as ``zh_Hans_CN``, is kept)."""
    shape = _LOCALE_SHAPE.fullmatch(value)
    read = _read_locale(value) if shape else None
    if shape and read is not None:
        kept = read.language == shape["lang"] and all(
            shape[part] in (None, getattr(read, part)) for part in ("script", "territory")
        )
        if kept:
            return None
    shown = f"unknown locale `{value}`"
    if read is not None:
        return f"{shown} (did you mean `{read}`?)"
    fixed = _fix_locale_case(value)
    if fixed != value and locale_problem(fixed) is None:
        return f"{shown} (did you mean `{fixed}`? Written like en_US, de_DE, fr_CA)"
    from babel.localedata import locale_identifiers

    close = difflib.get_close_matches(fixed, locale_identifiers(), n=3, cutoff=0.6)
    return (
        f"{shown} (did you mean {_either(close)}?)"
        if close
        else f"{shown} (examples: en_US, en_GB, de_DE, fr_CA)"
    )


def _read_locale(value: str) -> Locale | None:
    try:
        return Locale.parse(value)
    except (UnknownLocaleError, ValueError):
        return None


def _fix_locale_case(value: str) -> str:
    """``EN-us`` -> ``en_US``: the shape Babel wants, whatever the separators and case written."""
    parts = [p for p in re.split(r"[-_.@\s]+", value.strip()) if p]
    if not parts:
        return value
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "_".join(out)


def _either(codes: list[str]) -> str:
    shown = [f"`{c}`" for c in codes]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" or {shown[-1]}"
