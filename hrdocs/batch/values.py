"""Cells as exports write them: dates, amounts and stage names, read before the fields' own parsers.

An export writes ``01/04/2027``, ``$72,000``, ``72.000 €`` and ``Phone Interview``; a letter's fields
take ``2027-01-04``, ``72000`` and ``interview``. This is the batch's reading of a spreadsheet's cells,
driven by what is known of the export (its import profile, :mod:`hrdocs.batch.profiles`) and what the
company says (``batch:`` in ``hrdocs.yaml``); the shared parsers of :mod:`hrdocs.fields`, which every
command uses, stay as strict as they are.

- **Dates** in the format the profile or ``batch.date_format`` gives (``MM/DD/YYYY``, ``DD/MM/YYYY``,
  ``DD.MM.YYYY``); ISO dates are always read. A date such as ``01/04/2027`` with no format said is
  refused: January or April is never guessed.
- **Amounts** with a symbol, code or thousands separators, read by Babel as the company's locale writes
  numbers (``voice.locale``) and held to the company's currency (``voice.currency``): a ``€`` amount
  in a USD company's offer is refused.
- **Stages**: the export's stage name through the profile's and ``batch.stage_map``'s table. An unknown
  one is reported once per name, with its rows, not once a row.

No message quotes a cell: a stage name is quoted only when it is one of a profile's or the company's
own (so a name that slipped into the stage column is never printed).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_currency_symbol,
    get_group_symbol,
    list_currencies,
    parse_decimal,
)
from pydantic import TypeAdapter, ValidationError

from hrdocs.batch.profiles import Profile, stage_key
from hrdocs.errors import Problem
from hrdocs.kinds import Kind
from hrdocs.models import Settings

STAGES = ("application", "interview", "final-round", "filled", "cancelled")
HELD = None
"""A row's problem reported once for its column (an unknown stage name), not on the row."""
ROWS_NAMED = 10
"""Rows a problem of many rows names; the rest are counted."""
KEPT_NAMES = 500
"""Distinct stage names counted, at most: memory must not grow with the input."""

_DATE_SHAPES = {
    "MM/DD/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("month", "day", "year")),
    "DD/MM/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("day", "month", "year")),
    "DD.MM.YYYY": (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?"), ("day", "month", "year")),
}
_MIDNIGHT = re.compile(r"(?:[ T]0?0:00(?::00(?:\.0+)?)?)?")
_SOME_DATE = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}(?:[ T].*)?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T].*)?")
_AMOUNT = re.compile(
    r"(?P<pre>[^\d\s.,'’-]*)\s*(?P<num>\d(?:[\d.,'’\s\u00a0\u202f]*\d)?)\s*(?P<post>[^\d\s.,'’]*)"
)
_CURRENCIES = frozenset(list_currencies())
_SHARED = re.compile(r"\d+(\.\d+)?|\d{1,3}(,\d{3})+(\.\d+)?")
"""Amounts the shared parser reads (``72000``, ``72,000.50``): kept as written when read alike."""


@dataclass
class Stages:
    """The stage names of one batch: which hrdocs stage each becomes, and what was found."""

    table: dict[str, tuple[str, str, str | None]]
    """stage key -> (name as written in the table, hrdocs stage or ``none``, why)."""
    origin: dict[str, str]
    """stage key -> where its reading comes from (``the Greenhouse profile``, ``batch.stage_map``)."""
    counts: Counter[str] = field(default_factory=Counter)
    """stage key -> rows (known names; hrdocs' own stage names)."""
    unknown: dict[str, list[int]] = field(default_factory=dict)
    """stage key -> the rows of a name nobody knows (the first :data:`ROWS_NAMED` of them)."""
    unknown_counts: Counter[str] = field(default_factory=Counter)
    refused: dict[str, list[int]] = field(default_factory=dict)
    refused_counts: Counter[str] = field(default_factory=Counter)

    def read(self, value: str, parse: TypeAdapter[Any], number: int) -> str | None:
        """The hrdocs stage for ``value``, or HELD (the row waits for one problem of its name)."""
        key = stage_key(value)
        known = self.table.get(key)
        if known is not None:
            if known[1] == "none":
                _note(self.refused, self.refused_counts, key, number)
                return HELD
            self.counts[key] += 1
            return known[1]
        own = _accepts(parse, value)  # hrdocs' own names and their spellings (``final round``)
        if own is not None:
            self.counts[own] += 1
            return value
        _note(self.unknown, self.unknown_counts, key, number)
        return HELD

    def problems(
        self, source: str, label: str, others: Mapping[str, list[tuple[str, Profile]]]
    ) -> list[Problem]:
        """One problem per stage name the rows could not use. ``others``: stage key -> (name, profile)
        for each other profile that knows it (a name in a profile is a stage name, so it is quoted)."""
        out = []
        for key, rows in self.refused.items():
            name, _, why = self.table[key]
            out.append(
                Problem(source, rows[0], label, f"`{name}` {_rows(rows, self.refused_counts[key])}: {why}")
            )
        known = {k: v[0] for k, v in self.table.items()} | {s: s for s in STAGES}
        choices = ", ".join((*STAGES, "none"))
        for key, rows in self.unknown.items():
            count = _rows(rows, self.unknown_counts[key])
            if key in others:
                name = others[key][0][0]
                systems = _either([p.system for _, p in others[key]], "and")
                froms = _either([f"--from {p.name}" for _, p in others[key]], "or")
                message = (
                    f"`{name}` {count} is a stage name of {systems}, which this batch does not read; "
                    f"read the file with {froms}, or map it in hrdocs.yaml (batch.stage_map)"
                )
            else:
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                mean = f"did you mean `{known[close[0]]}`? " if close else ""
                message = (
                    f"a stage name hrdocs does not know {count}; {mean}"
                    f"map it in hrdocs.yaml: batch.stage_map, to one of {choices}"
                )
            out.append(Problem(source, rows[0], label, message))
        return out


def _either(items: list[str], word: str) -> str:
    """``A, B and C``; past three, ``A, B, C and others``."""
    if len(items) > 3:
        items = [*items[:3], "others"]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _note(rows: dict[str, list[int]], counts: Counter[str], key: str, number: int) -> None:
    if key not in rows and len(rows) >= KEPT_NAMES:
        key = ""  # the rest of a column of nonsense: counted together
    counts[key] += 1
    seen = rows.setdefault(key, [])
    if len(seen) < ROWS_NAMED:
        seen.append(number)


def _rows(rows: list[int], count: int) -> str:
    if count == 1:
        return "(1 row)"
    named = ", ".join(str(r) for r in rows)
    return f"({count} rows: {named}{', …' if count > len(rows) else ''})"


def _accepts(parse: TypeAdapter[Any], value: str) -> str | None:
    try:
        return str(parse.validate_python(value))
    except ValidationError:
        return None


@functools.lru_cache(maxsize=64)
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


@functools.lru_cache(maxsize=16)
def _symbols(locale: str, currency: str) -> dict[str, str]:
    """Currency sign -> code as ``locale`` writes them; the company's own currency wins a shared sign."""
    table: dict[str, str] = {}
    for code in list_currencies():
        table.setdefault(get_currency_symbol(code, locale), code)
    table[get_currency_symbol(currency, locale)] = currency
    return table


class Reading:
    """How one batch reads its cells, decided once from the profile and the company's settings."""

    def __init__(self, settings: Settings, profile: Profile | None) -> None:
        batch = settings.batch
        system = f"the {profile.system} profile" if profile else ""
        self.date_format = batch.date_format or (profile.spec.dates.format if profile else None)
        self.date_origin = "batch.date_format" if batch.date_format else system
        self.locale = settings.voice.locale
        self.currency = settings.voice.currency
        table: dict[str, tuple[str, str, str | None]] = {}
        origin: dict[str, str] = {}
        for name, rule in (profile.spec.stages if profile else {}).items():
            table[stage_key(name)] = (name, rule.stage, rule.why)
            origin[stage_key(name)] = system
        for name, stage in batch.stage_map.items():
            why = "batch.stage_map says no denial letter is written for this stage"
            table[stage_key(name)] = (name, stage, why if stage == "none" else None)
            origin[stage_key(name)] = "batch.stage_map"
        self.stages = Stages(table, origin)
        self._kinds: dict[str, dict[str, tuple[str, TypeAdapter[Any]]]] = {}

    def read(
        self, kind: Kind, fields: dict[str, Any], number: int, fixed: Mapping[str, Any]
    ) -> list[tuple[str, str | None]]:
        """Read the row's cells in place; ``(field, message)`` for each refused (message HELD: the
        row waits for its column's one problem). ``fixed``: fields the command line gives every row."""
        problems: list[tuple[str, str | None]] = []
        for name, (how, parse) in self._read_by(kind).items():
            value = fields.get(name)
            if not isinstance(value, str) or name in fixed:
                continue
            try:
                if how == "date":
                    fields[name] = self.date(value)
                elif how == "money":
                    fields[name] = self.money(value)
                else:
                    stage = self.stages.read(value, parse, number)
                    if stage is HELD:
                        problems.append((name, HELD))
                    else:
                        fields[name] = stage
            except ValueError as exc:
                problems.append((name, str(exc)))
        return problems

    def _read_by(self, kind: Kind) -> dict[str, tuple[str, TypeAdapter[Any]]]:
        """The kind's fields whose cells are read here, how, and the field's own parser: found once per
        kind, not per row."""
        found = self._kinds.get(kind.name)
        if found is None:
            found = self._kinds[kind.name] = {
                f.name: ("stage" if f.name == "stage" and f.choices else f.type, _adapter(f.annotation))
                for f in kind.fields
                if f.type in ("date", "money") or (f.name == "stage" and f.choices)
            }
        return found

    def date(self, value: str) -> str:
        text = value.strip()
        if not text or _ISO.fullmatch(text):
            return value  # the field's own parser reads ISO dates (and says why one is not real)
        fmt = self.date_format
        if fmt is None or fmt == "YYYY-MM-DD":
            if _SOME_DATE.fullmatch(text):
                if fmt is None:
                    raise ValueError(
                        "is a date with day and month in numbers, and which comes first is not known: "
                        "set batch.date_format in hrdocs.yaml (MM/DD/YYYY, DD/MM/YYYY or DD.MM.YYYY)"
                    )
                raise ValueError(
                    f"is not written YYYY-MM-DD, as {self.date_origin} says this file's dates are"
                )
            return value
        pattern, order = _DATE_SHAPES[fmt]
        found = pattern.match(text)
        if found is None or not _MIDNIGHT.fullmatch(text[found.end() :]):
            if _SOME_DATE.fullmatch(text) or _ISO.fullmatch(text):
                raise ValueError(f"is not written {fmt}, as {self.date_origin} says this file's dates are")
            return value
        parts = dict(zip(order, (int(g) for g in found.groups()), strict=True))
        try:
            return dt.date(parts["year"], parts["month"], parts["day"]).isoformat()
        except ValueError:
            raise ValueError(f"is not a real date read as {fmt} ({self.date_origin})") from None

    def money(self, value: str) -> str:
        text = value.strip()
        found = _AMOUNT.fullmatch(text)
        if found is None or text.isdigit():
            return value  # the field's own parser says what is wrong, or takes it
        pre, number, post = found["pre"], found["num"], found["post"]
        if pre and post:
            return value
        sign = (pre or post).strip()
        if sign:
            code = (
                sign.upper()
                if sign.upper() in _CURRENCIES
                else _symbols(self.locale, self.currency).get(sign)
            )
            if code is None:
                raise ValueError("has a sign or word beside the amount that is no currency hrdocs knows")
            if code != self.currency:
                raise ValueError(
                    f"is an amount in {code}, but the company's letters are in {self.currency} "
                    "(voice.currency in hrdocs.yaml)"
                )
        group = get_group_symbol(self.locale)
        if group.isspace():
            number = re.sub(r"\s", group, number)
        elif group == "’":
            number = number.replace("'", group)
        try:
            amount = parse_decimal(number, locale=self.locale, strict=True)
        except NumberFormatError:
            raise ValueError(
                f"is not an amount as {self.locale} writes one (voice.locale in hrdocs.yaml), "
                f"e.g. {_example(self.locale)}"
            ) from None
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise ValueError(
                f"has more than two decimals: a thousands separator of another locale? "
                f"Amounts are read as {self.locale} writes them, e.g. {_example(self.locale)}"
            )
        if not sign and _SHARED.fullmatch(number) and Decimal(number.replace(",", "")) == amount:
            return value  # as the shared parser reads it: kept as written (the manifest's row hash)
        return format(amount, "f")


def _example(locale: str) -> str:
    return format_decimal(Decimal("72000.50"), format="#,##0.00", locale=locale)
