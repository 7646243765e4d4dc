"""The role catalogue as a user writes it: roles (``roles/<id>.yaml``), their pay, places and
translations, and the duty areas (``roles/_areas.yaml``).

A role with its parent merged in is built later, in :mod:`hrdocs.catalogue`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, model_validator

from hrdocs import places
from hrdocs.language import LanguageChoice
from hrdocs.models.base import LOCALE, CountryCode, CurrencyCode, RoleId, Strict, Text


class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERN = "intern"

    @property
    def label(self) -> str:
        return {"full-time": "Full-time", "part-time": "Part-time", "contract": "Contract"}.get(
            self.value, self.value.capitalize()
        )

    @property
    def schema_org(self) -> str:
        return {
            "full-time": "FULL_TIME",
            "part-time": "PART_TIME",
            "contract": "CONTRACTOR",
            "temporary": "TEMPORARY",
            "intern": "INTERN",
        }[self.value]


class FlsaStatus(StrEnum):
    EXEMPT = "exempt"
    NON_EXEMPT = "non-exempt"

    @property
    def label(self) -> str:
        return "Exempt" if self is FlsaStatus.EXEMPT else "Non-exempt"


class PayPeriod(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def schema_org(self) -> str:
        return self.value.upper()


class PayRange(Strict):
    min: Decimal = Field(gt=0, lt=Decimal("1e12"))  # as a salary (hrdocs.fields): a figure past it is a typo
    max: Decimal = Field(gt=0, lt=Decimal("1e12"))
    currency: CurrencyCode | None = None
    """The company's currency when left out."""
    period: PayPeriod = PayPeriod.YEAR

    @model_validator(mode="after")
    def _ordered(self) -> PayRange:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self


_CITY_REGION = re.compile(r"^\s*(?P<city>[^,]+?)\s*,\s*(?P<region>[^,]+?)\s*(?:,\s*(?P<country>[^,]+?))?\s*$")


class Location(Strict):
    """A place of work. Written in YAML as ``"Denver, CO"``, ``"Berlin, Germany"``, ``"Remote (US)"`` or
    a mapping; which country a text means is decided by :func:`hrdocs.places.place`."""

    city: str | None = None
    region: str | None = None
    """State, province or region code as people write it: ``CO``, ``NY``, ``Bavaria``."""
    country: CountryCode = "US"
    remote: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any, info: ValidationInfo) -> Any:
        locale = (info.context or {}).get(LOCALE)
        if isinstance(value, dict):
            if "country" in value:
                return value
            region = value.get("region")
            return {
                **value,
                "country": places.default_country(region if isinstance(region, str) else None, locale),
            }
        if not isinstance(value, str):
            return value
        text = value.strip()
        remote = re.fullmatch(r"(?i)remote(?:\s*\((?P<country>[A-Za-z]{2})\))?", text)
        if remote:
            code = places.country_code(remote["country"] or "") or places.default_country(None, locale)
            return {"remote": True, "country": code}
        match = _CITY_REGION.match(text)
        if not match:
            raise ValueError(
                'write a location as "City, Region", "City, Country", "City, Region, Country" '
                'or "Remote (CC)"'
            )
        if match["country"] is None:
            region, home = places.place(match["region"], locale)
            return {"city": match["city"], "region": region, "country": home}
        country = places.country_code(match["country"], locale)
        if country is None:
            raise ValueError(
                f"unknown country {match['country']!r}: write its two-letter code (DE) or its name (Germany)"
            )
        region = match["region"]
        same = (
            region.upper() == country if len(region) == 2 else places.country_code(region, locale) == country
        )
        return {"city": match["city"], "region": None if same else region, "country": country}

    @model_validator(mode="after")
    def _complete(self) -> Location:
        if not self.remote and not self.city:
            raise ValueError("an on-site location needs a city")
        return self

    @property
    def label(self) -> str:
        if self.remote:
            return f"Remote ({self.country})"
        parts = [p for p in (self.city, self.region) if p]
        if self.country != "US":
            parts.append(self.country)
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.label


class Qualifications(Strict):
    required: list[Text] = []
    preferred: list[Text] = []


class RoleText(Strict):
    """A role's text in another language (``translations: {de: {...}}`` in its file): each field, where
    given, replaces the English one in documents in that language; duties by area id, the same number
    as the English ones (docs/languages.md)."""

    title: Text | None = None
    department: Text | None = None
    level: Text | None = None
    summary: Text | None = None
    duties: dict[RoleId, list[Text]] = {}
    qualifications: Qualifications | None = None
    competencies: list[Text] | None = None
    working_conditions: list[Text] | None = None


class RoleSpec(Strict):
    """A role as written in ``roles/<id>.yaml``. Fields left out may come from ``extends``."""

    id: RoleId
    title: Text | None = None
    aliases: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]] = []
    extends: RoleId | None = None
    department: Text | None = None
    reports_to: RoleId | None = None
    level: Text | None = None
    employment_type: EmploymentType | None = None
    flsa_status: FlsaStatus | None = None
    summary: Text | None = None
    duties: dict[RoleId, list[Text]] = {}
    """Duties by area id; with ``extends``, appended to the parent's duties in the same area."""
    replace_duties: dict[RoleId, list[Text]] = {}
    """With ``extends``: these areas' duties replace the parent's instead of adding to them."""
    qualifications: Qualifications | None = None
    competencies: list[Text] | None = None
    working_conditions: list[Text] | None = None
    pay_range: PayRange | None = None
    locations: list[Location] | None = None
    translations: dict[LanguageChoice, RoleText] = {}
    """The role's text in other languages, by language tag (see :class:`RoleText`)."""


class AreaText(Strict):
    name: Text
    description: str = ""


class DutyArea(Strict):
    id: RoleId
    name: Text
    description: str = ""
    translations: dict[LanguageChoice, AreaText] = {}
    """The area's name in other languages (``{de: {name: Personalplanung}}``)."""


class AreaList(Strict):
    areas: list[DutyArea]
