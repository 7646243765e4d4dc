"""Rows to documents: which kind each row makes and its fields, from a spreadsheet or a plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hrdocs.batch.columns import ADDRESS_PARTS, Aliases, ColumnMap, column_key, join_address
from hrdocs.batch.reading import Input, PlanInput, Row
from hrdocs.errors import UsageError
from hrdocs.kinds import Kind, Registry

T = TypeVar("T")

CHUNK = 128
"""Rows per task sent to a worker: big enough to make the hand-over cheap, small enough for a smooth bar."""


@dataclass
class Shape:
    """How each row becomes (kind, fields): the column map, the fixed kind, the command-line fields."""

    registry: Registry
    fixed: Kind | None
    kinds: Sequence[Kind]
    columns: ColumnMap | None
    notes: list[str]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """A plan's ``defaults:``, fields spelled as fields."""

    @classmethod
    def of(cls, source: Input, registry: Registry, fixed: Kind | None, maps: Sequence[str]) -> Shape:
        kinds = [fixed] if fixed else registry.all()
        if isinstance(source, PlanInput):
            if maps:
                raise UsageError("--map is for CSV and Excel files; a plan names its fields itself")
            return cls(registry, fixed, kinds, None, [], plan_fields(source.defaults, kinds))
        columns = ColumnMap.build(source.columns, kinds, maps)
        if fixed is None and not columns.has("kind"):
            raise UsageError(
                f"{source.path}: which kind of document? The file has no `kind` column",
                hint="pass --kind offer, --kind denial or --kind jd",
            )
        return cls(registry, fixed, kinds, columns, columns.notes)

    def fields(self, row: Row, overrides: Mapping[str, str]) -> tuple[Kind | None, dict[str, Any], str]:
        """(kind or None, fields, what is wrong with the kind)."""
        if self.columns is not None:
            fields = self.columns.apply(row.values)
        else:
            fields = plan_fields(row.values, self.kinds)
        kind_value = fields.pop("kind", None)
        kind = self.fixed
        if kind is None:
            if kind_value is None:
                return None, fields, "required, but missing (offer, denial, jd, …)"
            kind = self.registry.find(kind_value)
            if kind is None:
                known = ", ".join(k.short for k in self.kinds)
                return None, fields, f"unknown kind (choose from {known})"
        names = set(kind.field_names)
        if self.columns is not None and not kind.open_fields:  # another kind's column is not this row's
            fields = {k: v for k, v in fields.items() if k in names}
        for key, value in self.defaults.items():
            if key not in fields and (key in names or not any(key in k.field_names for k in self.kinds)):
                fields[key] = value  # a key no kind has is passed on, to be reported as unknown
        fields.update({k: v for k, v in overrides.items() if k in names})
        return kind, fields, ""

    def label(self, name: str | None) -> str | None:
        """A problem's field as the user knows it: the column that feeds it."""
        if name is None or self.columns is None:
            return name
        top, sep, rest = name.partition(".")
        base, bracket, index = top.partition("[")
        return self.columns.label(base) + bracket + index + sep + rest


def plan_fields(values: Mapping[str, Any], kinds: Sequence[Kind]) -> dict[str, Any]:
    """A plan entry's keys spelled leniently; keys that are no field stay, to be reported as unknown."""
    aliases = Aliases(kinds)
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = column_key(key)
        out[aliases.field_for(name) or name] = value
    if any(k in ADDRESS_PARTS for k in out) and "address" not in out:
        parts = {k: str(out.pop(k)) for k in list(out) if k in ADDRESS_PARTS}
        out["address"] = join_address(parts)
    return out


def numbered(
    source: Input, shape: Shape, overrides: Mapping[str, str]
) -> Iterator[tuple[int, Row, Kind | None, dict[str, Any], str]]:
    for ordinal, row in enumerate(source.rows()):
        yield (ordinal, row, *shape.fields(row, overrides))


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
