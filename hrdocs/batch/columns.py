"""Matching a spreadsheet's columns to letter fields, leniently.

``First Name``, ``first_name`` and ``FIRST-NAME`` are the same column; the names applicant tracking
systems use in their exports (Greenhouse, Lever, Workday, …: ``Candidate Name``, ``Job``, ``Base
Salary``, ``Anticipated Start Date``, ``Hiring Manager``) are aliases each kind declares with its
fields; ``--map "Column=field"``
covers the rest, and ``--map "Column=-"`` ignores a column. Columns that match no field are ignored
and listed once, with the closest field name, so a typo (``Salry``) does not go unnoticed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hrdocs.errors import UsageError
from hrdocs.kinds import Kind

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

    @classmethod
    def build(cls, columns: Sequence[str], kinds: Sequence[Kind], maps: Sequence[str] = ()) -> ColumnMap:
        """``kinds``: the kinds a row of this batch may make."""
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
        for column in columns:
            if not column:
                continue
            if column in explicit:
                target = explicit[column]
            else:
                target = aliases.field_for(column_key(column)) or ""
                if target not in known and not (parts_ok and target in ADDRESS_PARTS):
                    target = ""
            if target and target != IGNORE:
                fields[column] = target
            elif not target:
                ignored.append(column)

        _role_from_title(fields, explicit)
        _no_duplicates(fields)
        notes = []
        if ignored:
            notes.append(
                "ignored columns (they match no field): "
                + ", ".join(_with_hint(c, known, aliases) for c in ignored)
            )
        return cls(fields, ignored, notes)

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
