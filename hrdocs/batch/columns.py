"""Matching a spreadsheet's columns to letter fields, leniently.

``First Name``, ``first_name`` and ``FIRST-NAME`` are the same column; the names applicant tracking
systems use in their exports (Greenhouse, Lever, Workday, …: ``Candidate Name``, ``Job``, ``Base
Salary``, ``Anticipated Start Date``, ``Hiring Manager``) are aliases each kind declares with its
fields; ``--map "Column=field"``
covers the rest, and ``--map "Column=-"`` ignores a column. Columns that match no field are ignored
and listed once, with the closest field name, so a typo (``Salry``) does not go unnoticed.

A name can look right and mean something else: Greenhouse's ``Title`` is the candidate's current job
title, not the job's. An import profile (:mod:`hrdocs.batch.profiles`) says what each column of its
system means; without one, a column that could mean two things (:data:`DOUBTS`) is refused, naming the
choices, rather than guessed. Columns known to hold the candidate's own data (:data:`CANDIDATE_OWN`)
never feed a field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from hrdocs.errors import UsageError
from hrdocs.kinds import Kind


class Rule(Protocol):
    """What an import profile says of one column (:class:`hrdocs.batch.profiles.Column`)."""

    @property
    def field(self) -> str | None: ...
    @property
    def ignore(self) -> str | None: ...
    @property
    def source(self) -> str: ...


class Rules(Protocol):
    """An import profile, as the column map reads it (:class:`hrdocs.batch.profiles.Profile`)."""

    def column(self, key: str) -> tuple[str, Rule] | None: ...


IGNORE = "-"

KIND_COLUMNS = ("kind", "letter", "letter_type", "document", "document_type", "doc_type")
"""Columns that say which kind of document a row makes (a batch of mixed kinds)."""

ADDRESS_PARTS: dict[str, tuple[str, ...]] = {
    "address_1": ("address_1", "address_line_1", "address1", "street", "street_address", "address_street"),
    "address_2": ("address_2", "address_line_2", "address2", "apartment", "suite"),
    "city": ("city", "town", "address_city"),
    "state": ("state", "province", "region", "state_province", "address_state"),
    "postal_code": ("postal_code", "zip", "zip_code", "postcode", "post_code", "address_zip"),
    "country": ("country", "address_country"),
}
"""Address columns as exports split them; joined into the ``address`` field when there is none."""

CANDIDATE_OWN: dict[str, str] = {
    "company": "could be the candidate's current employer (Greenhouse's Company is)",
    "current_company": "the candidate's current employer",
    "current_employer": "the candidate's current employer",
    "current_title": "the candidate's current job title",
    "current_job_title": "the candidate's current job title",
    "headline": "the candidate's own headline",
    "expected_salary": "the candidate's salary expectation, not the offer (Personio's Expected salary)",
    "desired_salary": "the candidate's salary expectation, not the offer",
    "salary_expectation": "the candidate's salary expectation, not the offer",
    "salary_expectations": "the candidate's salary expectation, not the offer",
    "current_salary": "the candidate's present pay, not the offer (Greenhouse's Current Salary)",
    "available_from": "when the candidate could start, not the start date (Personio's Available from)",
    "availability": "when the candidate could start, not the start date",
    "candidate_location": "where the candidate lives, not the office (Personio's Candidate location)",
    "current_location": "where the candidate lives, not the office",
    "home_location": "where the candidate lives, not the office",
}
"""Column keys of the candidate's own data: ignored with this reason, never a letter's field (a field of
a workspace kind by that name is ambiguous, see :data:`DOUBTS`)."""


@dataclass(frozen=True)
class Doubt:
    other: str
    """What else the column may be."""
    beside: frozenset[str] = frozenset()
    """Only beside one of these columns (keys); empty: always."""


DOUBTS: dict[str, Doubt] = {
    "title": Doubt("the candidate's current job title (as Greenhouse's Title is)"),
    "location": Doubt("where the candidate lives", frozenset(CANDIDATE_OWN)),
    "salary": Doubt("the candidate's expected or current salary", frozenset(CANDIDATE_OWN)),
    **{key: Doubt(why) for key, why in CANDIDATE_OWN.items()},
}
"""Column keys that may mean the candidate's own data rather than the letter's: in a batch of letters
without a profile, such a column that would feed a field is refused until ``--map`` says which."""


class Aliases:
    """Column key -> field, for the kinds of one batch: each field's name and the aliases its kind
    declares (see :class:`hrdocs.fields.Field`), the kind column and the address parts."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        table: dict[str, str] = {alias: "kind" for alias in KIND_COLUMNS}
        for name, aliases in ADDRESS_PARTS.items():
            table.update(dict.fromkeys(aliases, name))
        for kind in kinds:
            for f in kind.fields:
                for alias in (f.name, *f.aliases):
                    table.setdefault(alias, f.name)
        self.table = table
        self._compact = {alias.replace("_", ""): name for alias, name in table.items()}

    def field_for(self, key: str) -> str | None:
        """The field a column key names: ``e_mail_address`` and ``emailaddress`` both give ``email``."""
        return self.table.get(key) or self._compact.get(key.replace("_", ""))


def column_key(name: str) -> str:
    """``First Name`` / ``first-name`` / `` FIRST_NAME `` -> ``first_name``."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


@dataclass
class ColumnMap:
    """Which column feeds which field, decided once from the header."""

    fields: dict[str, str]
    """Column -> field (``kind``, a letter field, or an address part)."""
    ignored: list[str]
    notes: list[str] = field(default_factory=list)

    why: dict[str, str] = field(default_factory=dict)
    """Column -> why it is ignored, when a profile, ``--map`` or :data:`CANDIDATE_OWN` says."""
    origin: dict[str, str] = field(default_factory=dict)
    """Column -> who said what it feeds, when not its name: ``--map``, or the profile's source."""

    @classmethod
    def build(
        cls,
        columns: Sequence[str],
        kinds: Sequence[Kind],
        maps: Sequence[str] = (),
        profile: Rules | None = None,
    ) -> ColumnMap:
        """``kinds``: the kinds a row of this batch may make; ``profile``: what the export's system says
        its columns mean (``--map`` wins over it)."""
        aliases = Aliases(kinds)
        known = {f.name for k in kinds for f in k.fields} | {"kind"}
        parts_ok = "address" in known
        by_key: dict[str, str] = {}
        for column in columns:
            if column:
                by_key.setdefault(column_key(column), column)
        explicit: dict[str, str] = {}
        for item in maps:
            column, target = _parse_map(item)
            found = by_key.get(column_key(column))
            if found is None:
                raise UsageError(
                    f'--map "{item}": the input has no column `{column}`',
                    hint=f"its columns: {', '.join(c for c in columns if c)}",
                )
            target_key = column_key(target) if target != IGNORE else IGNORE
            if (
                target_key != IGNORE
                and target_key not in known
                and not (parts_ok and target_key in ADDRESS_PARTS)
            ):
                close = difflib.get_close_matches(target_key, sorted(known), n=3, cutoff=0.6)
                raise UsageError(
                    f'--map "{item}": `{target}` is not a field',
                    hint=f"did you mean {', '.join(f'`{c}`' for c in close)}?"
                    if close
                    else f"fields: {', '.join(sorted(known))}",
                )
            explicit[found] = target_key

        fields: dict[str, str] = {}
        ignored: list[str] = []
        why: dict[str, str] = {}
        origin: dict[str, str] = {}
        doubtful: list[tuple[str, str, Doubt]] = []
        keys = {column_key(c) for c in columns if c}
        letters = any(k.private for k in kinds)
        for column in columns:
            if not column:
                continue
            key = column_key(column)
            rule = profile.column(key) if profile is not None and column not in explicit else None
            if column in explicit:
                target = explicit[column]
                if target == IGNORE:
                    why[column] = "--map"
                else:
                    origin[column] = "--map"
            elif rule is not None:
                entry = rule[1]
                if entry.field in known or (parts_ok and entry.field in ADDRESS_PARTS):
                    target, origin[column] = str(entry.field), entry.source
                else:  # ignored, or another kind's field (the office in a batch of denials)
                    target = IGNORE
                    why[column] = entry.ignore or f"feeds `{entry.field}`, which no kind of this batch has"
            else:
                target = aliases.field_for(key) or ""
                if target not in known and not (parts_ok and target in ADDRESS_PARTS):
                    target = ""
                doubt = DOUBTS.get(key)
                in_doubt = doubt is not None and (not doubt.beside or bool(keys & doubt.beside))
                if target and doubt and in_doubt and letters and profile is None:
                    doubtful.append((column, target, doubt))
                elif key in CANDIDATE_OWN and not target:
                    target, why[column] = IGNORE, CANDIDATE_OWN[key]
            if target and target != IGNORE:
                fields[column] = target
            elif not target:
                ignored.append(column)
        if doubtful:
            raise _ambiguous(doubtful, columns)

        _role_from_title(fields, explicit)
        _no_duplicates(fields)
        notes = []
        if ignored:
            notes.append(
                "ignored columns (they match no field): "
                + ", ".join(_with_hint(c, known, aliases) for c in ignored)
            )
        return cls(fields, ignored, notes, why, origin)

    def has(self, name: str) -> bool:
        return name in self.fields.values()

    def column_of(self, name: str) -> str | None:
        for column, target in self.fields.items():
            if target == name:
                return column
        return None

    def apply(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """A row's cells as fields: blank cells left out, address parts joined into ``address``."""
        out: dict[str, Any] = {}
        parts: dict[str, str] = {}
        for column, target in self.fields.items():
            value = values.get(column)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if target in ADDRESS_PARTS:
                parts[target] = str(value).strip()
            else:
                out[target] = value
        if parts and "address" not in out:
            out["address"] = join_address(parts)
        return out

    def label(self, name: str) -> str:
        """How a problem names a field: by the user's column when one feeds it."""
        column = self.column_of(name)
        if column is None and name == "address" and any(t in ADDRESS_PARTS for t in self.fields.values()):
            return "address"
        return column if column is not None else name


def join_address(parts: Mapping[str, str]) -> str:
    """Street lines, then ``City, ST 80202``, then the country: one line each."""
    place = " ".join(p for p in (parts.get("state", ""), parts.get("postal_code", "")) if p)
    city = ", ".join(p for p in (parts.get("city", ""), place) if p)
    lines = [parts.get("address_1", ""), parts.get("address_2", ""), city, parts.get("country", "")]
    return "\n".join(line for line in lines if line)


def _parse_map(item: str) -> tuple[str, str]:
    column, equals, target = item.rpartition("=")
    if not equals or not column.strip() or not target.strip():
        raise UsageError(f'--map "{item}": write it as "Column name=field" (or "Column name=-" to ignore it)')
    return column.strip(), target.strip()


def _role_from_title(fields: dict[str, str], explicit: Mapping[str, str]) -> None:
    """An export with only a ``Job Title`` column names the role by its title: use it as the role."""
    targets = set(fields.values())
    if "role" in targets or "title" not in targets:
        return
    for column, target in fields.items():
        if target == "title" and column not in explicit:
            fields[column] = "role"
            return


def _ambiguous(doubtful: Sequence[tuple[str, str, Doubt]], columns: Sequence[str]) -> UsageError:
    """Every column that could mean two things, with both readings and the ``--map`` for each."""
    keys = {column_key(c): c for c in columns if c}
    lines, maps = [], []
    for column, target, doubt in doubtful:
        beside = [keys[k] for k in sorted(doubt.beside) if k in keys]
        context = f" (beside `{beside[0]}`)" if beside else ""
        lines.append(f"  `{column}`{context}: the letter's `{target}`, or {doubt.other}?")
        maps.append(f'--map "{column}={target}" or --map "{column}=-"')
    names = ", ".join(f"`{c}`" for c, _, _ in doubtful)
    return UsageError(
        f"{names} could mean two things, so the file is not read until you say which:\n" + "\n".join(lines),
        hint="; ".join(maps) + "; or read it with its system's import profile: --from NAME (docs/ats.md)",
    )


def _no_duplicates(fields: Mapping[str, str]) -> None:
    by_target: dict[str, list[str]] = {}
    for column, target in fields.items():
        by_target.setdefault(target, []).append(column)
    for target, columns in by_target.items():
        if len(columns) > 1:
            names = " and ".join(f"`{c}`" for c in columns)
            raise UsageError(
                f"columns {names} both give the field `{target}`",
                hint=f'keep one: --map "{columns[-1]}=-" ignores a column',
            )


def _with_hint(column: str, known: Iterable[str], aliases: Aliases) -> str:
    table = aliases.table
    close = difflib.get_close_matches(column_key(column), sorted(set(known) | set(table)), n=1, cutoff=0.88)
    if close:
        return f"`{column}` (did you mean `{table.get(close[0], close[0])}`?)"
    return f"`{column}`"
