"""Pay-transparency rules as data: which postings must show pay, benefits or a deadline, and where.

The rules live in ``hrdocs/data/pay_transparency.yaml`` (one entry per jurisdiction, each citing its
source) rather than in code, because laws change faster than releases: a company can add or replace a
rule by id in its own file and switch rules off, without waiting for a new hrdocs. Nothing here is legal
advice; :func:`describe` words every rule as a fact with its date so a person can check it.

Coverage questions are answered conservatively (the tool warns rather than stays quiet):

* an unknown employer size counts as covered by every rule;
* a remote job open to a whole country is covered by every rule of that country that is in force, since
  the people who may apply live in every state of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hrdocs.errors import HrdocsError
from hrdocs.loader import load_model, read_yaml, validate
from hrdocs.models import CountryCode, Location

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "pay_transparency.yaml"

What = Literal["pay-range", "benefits", "application-deadline"]
Country = CountryCode

_WHAT_WORDS = {
    "pay-range": "a pay range",
    "benefits": "a general description of benefits",
    "application-deadline": "an application deadline",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Requirement(_Model):
    """One thing a posting must say; ``since`` when it started later than the rule itself."""

    what: What
    since: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"what": value} if isinstance(value, str) else value


class Where(_Model):
    """The places a rule covers. Region and city compare without regard to case."""

    country: Country | None = None
    countries: list[Country] = []
    region: str | None = None
    region_name: str | None = None
    cities: list[str] = []

    @model_validator(mode="after")
    def _some_country(self) -> Where:
        if not self.country and not self.countries:
            raise ValueError("give `country` or `countries`")
        return self

    @property
    def all_countries(self) -> frozenset[str]:
        return frozenset([*self.countries, *([self.country] if self.country else [])])


class PayRule(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: str = Field(min_length=1)
    where: Where
    min_employees: int | None = Field(None, ge=1)
    """Covers employers with at least this many employees; ``None``: every employer."""
    requires: list[Requirement] = Field(min_length=1)
    in_force: date
    source: str = Field(min_length=1)
    notes: str = ""

    def requirements_on(self, on: date) -> list[What]:
        """What a posting must say on ``on`` (empty before the rule is in force)."""
        if on < self.in_force:
            return []
        return [r.what for r in self.requires if r.since is None or on >= r.since]


class RuleFile(_Model):
    rules: list[PayRule]

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[PayRule]) -> list[PayRule]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"rule id `{rule.id}` appears twice")
            seen.add(rule.id)
        return rules


@lru_cache(maxsize=1)
def _builtin() -> tuple[PayRule, ...]:
    data, lines = read_yaml(BUILTIN_FILE)
    return tuple(validate(RuleFile, data, str(BUILTIN_FILE), lines).rules)


def load_rules(extra_file: Path | None = None, disabled: Sequence[str] = ()) -> list[PayRule]:
    """The built-in rules, extended and overridden (by id) by ``extra_file``, minus ``disabled``.

    A disabled id that matches no rule is an error, not a no-op: a typo there would silently keep a
    rule on that the company believes it has switched off (or the reverse, after a rename).
    """
    rules = {rule.id: rule for rule in _builtin()}
    if extra_file is not None:
        for rule in load_model(RuleFile, Path(extra_file)).rules:
            rules[rule.id] = rule
    unknown = [rule_id for rule_id in disabled if rule_id not in rules]
    if unknown:
        known = sorted(rules)
        hints = []
        for rule_id in unknown:
            close = difflib.get_close_matches(rule_id, known, n=3, cutoff=0.5)
            if close:
                hints.append(f"`{rule_id}`: did you mean {', '.join(f'`{c}`' for c in close)}?")
        raise HrdocsError(
            f"unknown pay-transparency rule id{'s' if len(unknown) > 1 else ''} in disabled_rules: "
            f"{', '.join(f'`{u}`' for u in unknown)} (known: {', '.join(known)})",
            hint="; ".join(hints) or None,
        )
    off = set(disabled)
    return [rule for rule in rules.values() if rule.id not in off]


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def covers_place(rule: PayRule, location: Location) -> bool:
    """Whether ``location`` lies in the rule's area (ignoring dates and employer size).

    A remote location stands for the whole of its country, so it lies in every area of that country.
    """
    where = rule.where
    if location.country not in where.all_countries:
        return False
    if location.remote:
        return True
    if where.region and not (
        _same(location.region, where.region) or _same(location.region, where.region_name)
    ):
        return False
    return not where.cities or any(_same(location.city, city) for city in where.cities)


def rules_for(
    location: Location, *, rules: Sequence[PayRule], employer_size: int | None, on: date
) -> list[PayRule]:
    """The rules in force on ``on`` that cover a posting for ``location`` by this employer.

    ``employer_size`` ``None`` (unknown) counts as covered by every threshold. For a remote location
    every rule of its country in force is returned (see :func:`covers_place`).
    """
    return [
        rule
        for rule in rules
        if on >= rule.in_force
        and (rule.min_employees is None or employer_size is None or employer_size >= rule.min_employees)
        and covers_place(rule, location)
    ]


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe(rule: PayRule, *, on: date | None = None, what: What | None = None) -> str:
    """``Colorado (in force since 2021-01-01) requires a pay range … in postings``.

    ``what`` narrows the sentence to one requirement (for a finding about that one thing). With ``on``
    before the rule starts, the sentence is in the future tense, so that a note about a coming rule
    does not read as if it already applied.
    """
    on = on or date.today()
    reqs = [r for r in rule.requires if what is None or r.what == what]
    whats = _join([_WHAT_WORDS[r.what] for r in reqs])
    size = ""
    if rule.min_employees and rule.min_employees > 1:
        size = f" for employers with {rule.min_employees} or more employees"
    if on < rule.in_force:
        return f"{rule.name} (from {rule.in_force}) will require {whats} in postings{size}"
    later = [r for r in reqs if r.since and r.since > rule.in_force]
    if what is not None and later:
        return f"{rule.name} (since {later[0].since}) requires {whats} in postings{size}"
    tail = "".join(f" ({_WHAT_WORDS[r.what]} since {r.since})" for r in later)
    return f"{rule.name} (in force since {rule.in_force}) requires {whats} in postings{size}{tail}"
