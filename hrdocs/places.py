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
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

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
        return value.upper()
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
