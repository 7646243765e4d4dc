"""Pay-transparency rules as data: which postings must show pay, benefits or a deadline, and where.

The rules live in ``hrdocs/data/pay_transparency.yaml`` (one entry per jurisdiction, each citing its
source) rather than in code, because laws change faster than releases: a company can add or replace a
rule by id in its own file and switch rules off, without waiting for a new hrdocs. Nothing here is legal
advice; :func:`describe` words every rule as a fact with its date so a person can check it.

Coverage questions are answered conservatively (the tool warns rather than stays quiet):

* an unknown employer size counts as covered by every rule;
* a remote job open to a whole country is covered by every rule of that country that is in force, since
  the people who may apply live in every state of it.

A rule is ``required`` (a posting that lacks what it asks for is refused or an error) or ``recommended``
(a note): the EU directive binds member states, not employers, so until a state's own law is in force
the directive only recommends. A national rule says which rule it transposes (``implements``); once in
force it replaces that rule for its country. A rule without ``in_force`` (passed but not known to be in
force, a bill, a draft) is off; its ``status`` is what the notes say. A company switches such a rule on
by giving its id and an ``in_force`` date in its own rules file: an entry there whose id is a built-in
rule's is merged over it field by field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hrdocs.errors import HrdocsError
from hrdocs.loader import read_yaml, validate
from hrdocs.models import CountryCode, Location, PayPeriod, PayRange

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "pay_transparency.yaml"

What = Literal["pay-range", "closed-range", "range-width", "benefits", "application-deadline"]
Country = CountryCode
Level = Literal["required", "recommended"]

_WHAT_WORDS = {
    "pay-range": "a pay range",
    "closed-range": "a range with both ends (no open-ended range such as “$20+”)",
    "range-width": "a range no wider than the law's limit",
    "benefits": "a general description of benefits",
    "application-deadline": "an application deadline",
}


_MONEY = r"(?:[$€£¥]\s?|\b(?:USD|EUR|GBP|CAD|AUD|CHF)\s?)"
_AMOUNT = r"\d[\d,.]*+(?:\s?[kK]\b)?+"  # possessive: "from $20 to $25" must not match "$2"
_RATE = r"(?:\s*(?:/|per|an?)\s*(?:hour|hr|year|yr|month|week)\b)?"
OPEN_ENDED_PAY = re.compile(
    rf"{_MONEY}{_AMOUNT}\s*(?:\+|and\s+up\b|or\s+more\b|and\s+above\b)"  # $20+, $60k and up
    rf"|\b(?:from|starting\s+at|at\s+least|up\s+to)\s+{_MONEY}{_AMOUNT}{_RATE}"
    rf"(?!\s*(?:-|–|—|to\b|and\b)\s*{_MONEY}?\d)",  # "from $20 to $25" is a range
    re.IGNORECASE,
)
"""Pay with one end only ("$20+", "from $60,000", "up to $25/hour"): BC refuses such ranges."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Requirement(_Model):
    """One thing a posting must say; ``since`` when it started later than the rule itself."""

    what: What
    since: date | None = None
    max_width: Decimal | None = Field(None, gt=0)
    """For ``range-width``: the widest range allowed (max − min of a yearly range) in ``currency``."""
    currency: str | None = None
    exempt_over: Decimal | None = Field(None, gt=0)
    """For ``range-width``: no limit when the top of the range is above this."""

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
    requires: list[Requirement] = []
    in_force: date | None = None
    """The first day the rule applies; none: not in force (see ``status``), unless a company sets one."""
    level: Level = "required"
    implements: str | None = None
    """The id of the rule this one transposes (the EU directive); in force, it replaces that rule."""
    status: str = ""
    """How things stand where the rule has no ``in_force`` ("not yet transposed (as of June 2026)")."""
    reminders: list[str] = []
    """Duties of the rule hrdocs does not check; each is reported with every posting it covers."""
    forbidden: list[str] = []
    """Phrases a posting must not contain ("Canadian experience"), matched without regard to case."""
    source: str = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _says_something(self) -> PayRule:
        if not self.requires and not self.reminders:
            raise ValueError("give `requires` or `reminders`")
        return self

    def in_force_on(self, on: date) -> bool:
        return self.in_force is not None and on >= self.in_force

    def wanted_on(self, on: date) -> list[What]:
        """What the rule asks a posting to say on ``on``, whether it requires or recommends it."""
        if not self.in_force_on(on):
            return []
        return [r.what for r in self.requires if r.since is None or on >= r.since]

    def requirements_on(self, on: date) -> list[What]:
        """What a posting must say on ``on`` (empty before the rule is in force, or when it only
        recommends)."""
        return self.wanted_on(on) if self.level == "required" else []

    def requirement(self, what: What) -> Requirement | None:
        return next((r for r in self.requires if r.what == what), None)


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


def _company_rules(path: Path, builtin: dict[str, PayRule]) -> list[PayRule]:
    """The company's rules; an entry with a built-in id is merged over that rule, so that switching a
    pending rule on takes two lines (``id`` and ``in_force``), not a copy of the whole rule."""
    data, lines = read_yaml(path)
    if isinstance(data, dict) and isinstance(data.get("rules"), list):
        merged = []
        for entry in data["rules"]:
            base = builtin.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if base is not None:
                entry = {**base.model_dump(mode="json", exclude_defaults=True), **entry}
            merged.append(entry)
        data = {**data, "rules": merged}
    return validate(RuleFile, data, str(path), lines).rules


def load_rules(extra_file: Path | None = None, disabled: Sequence[str] = ()) -> list[PayRule]:
    """The built-in rules, extended and overridden (by id) by ``extra_file``, minus ``disabled``.

    A disabled id that matches no rule is an error, not a no-op: a typo there would silently keep a
    rule on that the company believes it has switched off (or the reverse, after a rename).
    """
    rules = {rule.id: rule for rule in _builtin()}
    if extra_file is not None:
        for rule in _company_rules(Path(extra_file), rules):
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
    every rule of its country in force is returned (see :func:`covers_place`). A rule replaced by a
    national rule in force here (``implements``) is left out.
    """
    found = [rule for rule in _covering(location, rules, employer_size) if rule.in_force_on(on)]
    replaced = {rule.implements for rule in found if rule.implements}
    return [rule for rule in found if rule.id not in replaced]


def _covering(location: Location, rules: Sequence[PayRule], employer_size: int | None) -> list[PayRule]:
    return [
        rule
        for rule in rules
        if (rule.min_employees is None or employer_size is None or employer_size >= rule.min_employees)
        and covers_place(rule, location)
    ]


def notes_for(
    location: Location, *, rules: Sequence[PayRule], employer_size: int | None, on: date
) -> list[str]:
    """Notes, not errors, for a posting at ``location``: what rules in force only recommend, with how
    the national law stands where a state has not transposed a directive, and rules not in force."""
    covering = _covering(location, rules, employer_size)
    applying = rules_for(location, rules=rules, employer_size=employer_size, on=on)
    country = location.country
    notes = []
    for rule in applying:
        wanted = rule.wanted_on(on)
        if rule.level != "recommended" or not wanted:
            continue
        pending = [r for r in covering if r.implements == rule.id and not r.in_force_on(on)]
        whats = _join([_WHAT_WORDS[w] for w in wanted])
        if pending or rule.implements is None:
            status = (pending[0].status if pending else "") or rule.status or "no law in {country}"
            ids = ", ".join([rule.id, *(r.id for r in pending)])
            notes.append(
                f"{status.replace('{country}', country)}: {whats} recommended, not required — "
                f"{rule.name} (since {rule.in_force}) binds the state, not the employer [{ids}]"
            )
        else:
            notes.append(
                f"{rule.name} (in force since {rule.in_force}): {whats} recommended, not required in "
                f"the posting itself{f' — {rule.notes}' if rule.notes else ''} [{rule.id}]"
            )
    for rule in covering:
        if rule.in_force is None and rule.implements is None:
            notes.append(
                f"{rule.name}: {rule.status or 'not known to be in force'}; not checked until your "
                f"rules file gives it an in_force date [{rule.id}]"
            )
    return notes


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
    if rule.in_force is None:
        return f"{rule.name}: {rule.status or 'not in force'}"
    reqs = [r for r in rule.requires if what is None or r.what == what]
    whats = _join([_WHAT_WORDS[r.what] for r in reqs])
    size = ""
    if rule.min_employees and rule.min_employees > 1:
        size = f" for employers with {rule.min_employees} or more employees"
    if on < rule.in_force:
        return f"{rule.name} (from {rule.in_force}) will require {whats} in postings{size}"
    start = rule.in_force
    later = [r for r in reqs if r.since and r.since > start]
    if what is not None and later:
        return f"{rule.name} (since {later[0].since}) requires {whats} in postings{size}"
    tail = "".join(f" ({_WHAT_WORDS[r.what]} since {r.since})" for r in later)
    return f"{rule.name} (in force since {rule.in_force}) requires {whats} in postings{size}{tail}"


def posting_warnings(
    applying: Sequence[PayRule], *, on: date, pay: PayRange | None, currency: str, texts: Sequence[str]
) -> list[str]:
    """What rules in force say beyond "show pay": a range wider than a law allows, phrases a law
    forbids in ``texts`` (the role's own words), and the duties hrdocs cannot check (reminders)."""
    out = []
    for rule in applying:
        if not rule.in_force_on(on):
            continue
        width = rule.requirement("range-width")
        if width and width.max_width and pay and pay.period is PayPeriod.YEAR:
            same = width.currency is None or (pay.currency or currency) == width.currency
            exempt = width.exempt_over is not None and pay.max > width.exempt_over
            if same and not exempt and pay.max - pay.min > width.max_width:
                out.append(
                    f"{rule.name} allows a pay range at most {width.max_width:,} {width.currency or ''} "
                    f"wide; this one spans {pay.max - pay.min:,} [{rule.id}]".replace("  ", " ")
                )
        for phrase in rule.forbidden:
            if any(phrase.casefold() in text.casefold() for text in texts):
                out.append(f"{rule.name} forbids asking for “{phrase}” in postings [{rule.id}]")
        out += [f"{rule.name}: {reminder} (not checked by hrdocs) [{rule.id}]" for reminder in rule.reminders]
    return out


_URL = re.compile(r"https?://[^\s;)]+")


def rules_table(rules: Sequence[PayRule]) -> str:
    """The rules as the Markdown table in docs/postings.md, so the docs are made from the data (a test
    compares them) and cannot drift from it."""
    words = {**_WHAT_WORDS, "closed-range": "both ends", "range-width": "range width limit"}
    rows = [
        "| Rule | Where | Employers | Asks for | In force | Level | Source |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        where = rule.where
        place = ", ".join(sorted(where.all_countries)) if len(where.all_countries) > 3 else rule.name
        size = f"{rule.min_employees}+" if rule.min_employees and rule.min_employees > 1 else "all"
        asks = [words[r.what].removeprefix("a ").removeprefix("an ") for r in rule.requires]
        asks += ["reminders"] if rule.reminders else []
        asks += [f"no “{p}”" for p in rule.forbidden]
        start = str(rule.in_force) if rule.in_force else f"no — {rule.status}" if rule.status else "no"
        urls = _URL.findall(rule.source)
        source = f"[source]({urls[0]})" if urls else rule.source.replace("|", "/")
        rows.append(
            f"| `{rule.id}` | {place} | {size} | {', '.join(asks)} | {start} | {rule.level} | {source} |"
        )
    return "\n".join(rows)
