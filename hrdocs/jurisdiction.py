"""Jurisdiction packs: what a letter must say where the work is done, as data with its sources.

An American offer letter abroad is wrong twice over: it speaks of at-will employment, exempt status and
Form I-9, which mean nothing there, and it leaves out what the local law requires in writing (the UK
written statement of particulars, the German Nachweisgesetz, the Irish Day 5 statement). A pack says,
for one country or region (``hrdocs/data/jurisdictions/GB.yaml``, ``CA-QC.yaml``), which clauses an
offer carries, which of the letter's fields the law requires (with the law's name and a public source)
and the limits its values are held to. It is chosen from the *work location's* country, never from the
company's locale: a London company hiring in Berlin writes a German offer.

Packs are data a company extends: a file of the same name in the workspace's ``jurisdictions/`` folder
is merged over the built-in one entry by entry (clauses and limits by ``id``, requirements by field),
as ``postings.extra_rules_file`` is over the pay-transparency rules. A pack ``extends`` another (every
EU country the EU baseline, Quebec Canada); a region pack extends its country's without saying so, and a
country with no pack of its own gets the EU baseline (an EU member) or ``_default`` (no requirements).
An entry the reference could not confirm ships with ``enabled: false``: a setting, off until the
company's counsel switches it on (docs/international.md).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from pydantic import Field

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.loader import read_yaml, validate
from hrdocs.models import CountryCode, Strict
from hrdocs.session import Session, per_session
from hrdocs.workspace import PACKAGE_DIR, Workspace

BUILTIN_DIR = PACKAGE_DIR / "data" / "jurisdictions"
FOLDER = "jurisdictions"
"""The workspace's folder of its own packs (``jurisdictions/GB.yaml``)."""
EU = "EU"
DEFAULT = "_default"

CLAUSES = (
    "at-will", "overtime-status", "flsa-row", "i-9", "withholdings",
    "place-of-work", "hours", "working-time", "holiday", "holiday-allowance", "sick-pay", "pension",
    "probation", "notice", "termination", "dismissal-claim", "fixed-term", "deductions",
    "collective-agreement", "right-to-work", "trade-union", "information-statement", "appointment-letter",
)  # fmt: skip
"""The clause ids the built-in offer template has wording for (its ``clause: ID`` comments); a pack
may name others, for a workspace template of the company's own."""

Level = Literal["error", "warning"]
When = Literal["always", "fixed-term"]
Checked = Literal["probation_months", "holiday_days", "hours_per_week", "notice_period"]


class Clause(Strict):
    """A clause the letter carries; its wording is the template's (``{#- clause: ID -#}``)."""

    id: str
    enabled: bool = True
    law: str | None = None
    source: str | None = None
    note: str | None = None
    scheme: str | None = None
    """For ``pension``: the statutory scheme the letter names when it gives no terms of its own."""


class Requirement(Strict):
    """A field of the letter the law requires, with the law's name and a source."""

    field: str
    when: When = "always"
    """``fixed-term``: only for a temporary or contract position."""
    level: Level = "error"
    enabled: bool = True
    law: str | None = None
    source: str | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return self.field if self.when == "always" else f"{self.field}/{self.when}"


class Limit(Strict):
    """A bound a value of the letter is held to: ``min``/``max`` in the field's own unit (months,
    days, hours), ``min_days`` for a notice period."""

    id: str
    field: Checked | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    min_days: int | None = None
    pro_rata: bool = False
    """A minimum that shrinks for part-time work: not checked for a part-time position."""
    level: Level = "error"
    enabled: bool = True
    law: str | None = None
    source: str | None = None
    note: str | None = None


class Caution(Strict):
    """A warning the letter gets when ``when`` holds (a German fixed-term clause needs ink)."""

    when: When = "always"
    text: str
    source: str | None = None


class PackFile(Strict):
    """One pack file as written; every key may be left out, so that a workspace file only says what
    it changes."""

    name: str | None = None
    extends: str | None = None
    members: list[CountryCode] = Field(default_factory=list)
    members_source: str | None = None
    us_terms: bool | None = None
    """At-will, exempt status and overtime, Form I-9, taxes and withholdings: the US letter's clauses."""
    holiday_unit: Literal["working days", "calendar days"] | None = None
    probation_notice: str | None = None
    region_names: list[str] = Field(default_factory=list)
    language_first: str | None = None
    language_law: str | None = None
    language_source: str | None = None
    clauses: list[Clause] = Field(default_factory=list)
    required: list[Requirement] = Field(default_factory=list)
    limits: list[Limit] = Field(default_factory=list)
    warnings: list[Caution] = Field(default_factory=list)
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Field -> the value an offer takes when it gives none: the company's own terms (its notice
    period, sick-pay policy), in a workspace pack."""
    hooks: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class Pack:
    """The pack that applies to one place of work, merged along ``extends`` and over the workspace."""

    code: str
    country: str
    name: str
    us_terms: bool
    holiday_unit: str
    probation_notice: str | None
    language_first: str | None
    language_law: str | None
    clauses: dict[str, Clause]
    """The enabled clauses, by id."""
    required: tuple[Requirement, ...]
    limits: tuple[Limit, ...]
    warnings: tuple[Caution, ...]
    defaults: dict[str, Any]
    files: tuple[Path, ...]
    """The files merged into it, the most specific last (errors name them)."""
    fallback: bool = False
    """No pack of its own: the EU baseline or ``_default`` stands in (a warning says so)."""
    law_by_field: dict[str, str] = field(default_factory=dict)
    country_name: str = ""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What is derived from the pack once per session (its defaults, parsed as a letter's fields)."""
    """The country's name (a region pack's ``name`` is the region's: Quebec, in Canada)."""

    def has(self, clause: str) -> bool:
        return clause in self.clauses

    @property
    def source(self) -> Path:
        return self.files[-1]


# ------------------------------------------------------------------------------------------ merging
def _merge_list(base: list[dict[str, Any]], over: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    out = {_key(item, key): dict(item) for item in base}
    for item in over:
        k = _key(item, key)
        out[k] = {**out.get(k, {}), **item}
    return list(out.values())


def _key(item: dict[str, Any], key: str) -> str:
    if key == "field":
        return f"{item.get('field')}/{item.get('when', 'always')}"
    return str(item.get(key))


_LISTS = {"clauses": "id", "required": "field", "limits": "id"}


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` (as written: only the keys it sets) merged over ``base``: entries by id, ``defaults``
    key by key, everything else replaced."""
    out = dict(base)
    for name, value in over.items():
        if name in _LISTS:
            out[name] = _merge_list(base.get(name, []), value, _LISTS[name])
        elif name == "defaults":
            out[name] = {**base.get(name, {}), **value}
        else:
            out[name] = value
    return out


# ------------------------------------------------------------------------------------------ loading
class Packs:
    """The packs of a workspace: the built-in ones, each with the workspace's file merged over it."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.dirs = [d for d in (workspace.root / FOLDER, BUILTIN_DIR) if d.is_dir()]
        self._files: dict[Path, dict[str, Any]] = {}
        self._packs: dict[str, Pack] = {}
        self._places: dict[tuple[str, str | None], Pack] = {}

    def _paths(self, code: str) -> list[Path]:
        """The files of ``code``, built-in first (the workspace's merges over it)."""
        found = [d / f"{code}.yaml" for d in reversed(self.dirs)]
        return [p for p in found if p.is_file()]

    def _read(self, path: Path) -> dict[str, Any]:
        if path not in self._files:
            real = self.workspace.inside(path)
            data, lines = read_yaml(real)
            self._files[path] = validate(PackFile, data, str(path), lines).model_dump(exclude_unset=True)
        return self._files[path]

    @functools.cached_property
    def _codes(self) -> list[str]:
        names = {p.stem for d in self.dirs for p in d.glob("*.yaml") if not p.stem.startswith("_")}
        return sorted(names)

    def codes(self) -> list[str]:
        """Every pack code known (``GB``, ``CA-QC``), built-in or the workspace's."""
        return list(self._codes)

    def exists(self, code: str) -> bool:
        return bool(self._paths(code))

    def _raw(self, code: str, chain: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[Path]]:
        paths = self._paths(code)
        own: dict[str, Any] = {}
        for path in paths:
            own = merge(own, self._read(path))
        parent = own.get("extends", _implied_parent(code, self))
        if parent is None:
            return own, paths
        if parent in (*chain, code):
            cycle = " -> ".join((*chain, code, parent))
            raise ValidationFailed([Problem(str(paths[-1]), None, "extends", f"cycle: {cycle}")])
        if not self.exists(parent):
            known = ", ".join(self.codes())
            problem = Problem(str(paths[-1]), None, "extends", f"no pack `{parent}` (known: {known})")
            raise ValidationFailed([problem])
        base, base_paths = self._raw(parent, (*chain, code))
        inherited = {k: v for k, v in base.items() if k not in ("members", "region_names")}
        own = {k: v for k, v in own.items() if k != "extends"}
        return merge(inherited, own), [*base_paths, *paths]

    def get(self, code: str, country: str, *, fallback: bool = False) -> Pack:
        key = f"{code}@{country}"
        if key not in self._packs:
            raw, paths = self._raw(code)
            pack = _complete(code, country, raw, paths, fallback=fallback)
            whole = self.get(country, country) if "-" in code and self.exists(country) else pack
            self._packs[key] = dataclasses.replace(pack, country_name=whole.name)
        return self._packs[key]

    def for_place(self, country: str, region: str | None = None) -> Pack:
        """The pack for work in ``country`` (and ``region``, as written: ``QC``, ``Quebec``), found
        once per place (a batch asks for the same few places on every row)."""
        key = (country, region)
        if key not in self._places:
            self._places[key] = self._find(country, region)
        return self._places[key]

    def _find(self, country: str, region: str | None) -> Pack:
        if region:
            for code in self.codes():
                if code.startswith(f"{country}-") and self._names_region(code, region):
                    return self.get(code, country)
        if self.exists(country):
            return self.get(country, country)
        if country in self._read(BUILTIN_DIR / f"{EU}.yaml").get("members", []):
            return self.get(EU, country, fallback=True)
        return self.get(DEFAULT, country, fallback=True)

    def _names_region(self, code: str, region: str) -> bool:
        wanted = region.strip().casefold()
        if code.split("-", 1)[1].casefold() == wanted:
            return True
        names = [n for p in self._paths(code) for n in self._read(p).get("region_names", [])]
        return wanted in {n.casefold() for n in names}


def _implied_parent(code: str, packs: Packs) -> str | None:
    """A region pack extends its country's; an EU member's pack the EU baseline."""
    if code in (EU, DEFAULT):
        return None
    if "-" in code:
        country = code.split("-", 1)[0]
        return country if packs.exists(country) else None
    members = packs._read(BUILTIN_DIR / f"{EU}.yaml").get("members", [])
    return EU if code in members else None


def _complete(code: str, country: str, raw: dict[str, Any], paths: list[Path], *, fallback: bool) -> Pack:
    """The merged pack, every enabled entry complete (a requirement or limit without its law is an
    error naming the pack's file: a letter must be able to say which law asks for it)."""
    where = str(paths[-1]) if paths else code
    merged = validate(PackFile, raw, where)
    problems: list[Problem] = []
    for item in merged.required:
        if item.enabled and not item.law:
            problems.append(
                Problem(where, None, f"required.{item.field}", "needs `law`: the law that requires it")
            )
    for limit in merged.limits:
        if limit.enabled and (limit.field is None or not limit.law):
            problems.append(Problem(where, None, f"limits.{limit.id}", "needs `field` and `law`"))
        if limit.enabled and limit.min is None and limit.max is None and limit.min_days is None:
            problems.append(Problem(where, None, f"limits.{limit.id}", "needs `min`, `max` or `min_days`"))
    if problems:
        raise ValidationFailed(problems, what=where)
    required = tuple(r for r in merged.required if r.enabled)
    return Pack(
        code=code if not fallback else country,
        country=country,
        name=merged.name or Locale("en").territories.get(country, country),
        us_terms=bool(merged.us_terms),
        holiday_unit=merged.holiday_unit or "working days",
        probation_notice=merged.probation_notice,
        language_first=merged.language_first,
        language_law=merged.language_law,
        clauses={c.id: c for c in merged.clauses if c.enabled},
        required=required,
        limits=tuple(lim for lim in merged.limits if lim.enabled),
        warnings=tuple(merged.warnings),
        defaults=dict(merged.defaults),
        files=tuple(paths),
        fallback=fallback,
        law_by_field={r.field: r.law or "" for r in required},
    )


packs = per_session(lambda session: Packs(session.workspace))
"""The workspace's packs, read once per session (a batch reads each file once)."""


def pack_for(session: Session, country: str, region: str | None = None) -> Pack:
    return packs(session).for_place(country, region)
