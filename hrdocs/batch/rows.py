"""Rows to documents: which kind each row makes and its fields, from a spreadsheet or a plan.

A spreadsheet is read through its column map (:mod:`hrdocs.batch.columns`), with the export's import
profile when one is named (``--from``) or its header row gives it away (:mod:`hrdocs.batch.profiles`),
and its cells read as the export writes them (:mod:`hrdocs.batch.values`) before the kind validates
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hrdocs.batch import profiles
from hrdocs.batch.columns import ADDRESS_PARTS, Aliases, ColumnMap, column_key, join_address
from hrdocs.batch.profiles import NO_PROFILE, Profile
from hrdocs.batch.reading import Input, PlanInput, Row
from hrdocs.batch.values import Reading
from hrdocs.errors import Problem, UsageError
from hrdocs.kinds import Kind, Registry

T = TypeVar("T")

CHUNK = 128
"""Rows per task sent to a worker: big enough to make the hand-over cheap, small enough for a smooth bar."""

Refusals = list[tuple[str, str | None]]
"""A row's problems before validation: (field, message); a message None is reported once for its
column, with the other rows of the same value (an unknown stage name), not on this row."""


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

    profile: Profile | None = None
    """The export's import profile, if one is named or the header row gives it away."""
    reading: Reading | None = None
    """How cells are read (dates, amounts, stage names); spreadsheets only."""

    @classmethod
    def of(
        cls,
        source: Input,
        registry: Registry,
        fixed: Kind | None,
        maps: Sequence[str],
        profile: str | None = None,
    ) -> Shape:
        """``profile``: ``--from``: a profile's name, ``none``, or None to look at the header row."""
        kinds = [fixed] if fixed else registry.all()
        if isinstance(source, PlanInput):
            if maps:
                raise UsageError("--map is for CSV and Excel files; a plan names its fields itself")
            if profile not in (None, NO_PROFILE):
                raise UsageError("--from is for CSV and Excel exports; a plan names its fields itself")
            return cls(registry, fixed, kinds, None, [], plan_fields(source.defaults, kinds))
        session = registry.session
        names = {f.name for k in registry.all() for f in k.fields} | set(ADDRESS_PARTS)
        if profile == NO_PROFILE:
            chosen = None
        elif profile is not None:
            chosen = profiles.load(session.workspace, profile, names)
        else:
            keys = {column_key(c) for c in source.columns if c}
            chosen = profiles.detect(session.workspace, keys, names)
        columns = ColumnMap.build(source.columns, kinds, maps, chosen)
        if fixed is None and not columns.has("kind"):
            raise UsageError(
                f"{source.path}: which kind of document? The file has no `kind` column",
                hint="pass --kind offer, --kind denial or --kind jd",
            )
        notes = list(columns.notes)
        if chosen is not None:
            left = len(columns.ignored) + len(columns.why)
            notes.insert(
                0, f"read as {chosen.headline}: {len(columns.fields)} columns mapped, {left} ignored"
            )
        reading = Reading(session.config.settings, chosen)
        return cls(registry, fixed, kinds, columns, notes, profile=chosen, reading=reading)

    def fields(self, row: Row, overrides: Mapping[str, str]) -> tuple[Kind | None, dict[str, Any], Refusals]:
        """(kind or None, fields, what is wrong before validation: the kind, a cell as read)."""
        if self.columns is not None:
            fields = self.columns.apply(row.values)
        else:
            fields = plan_fields(row.values, self.kinds)
        kind_value = fields.pop("kind", None)
        kind = self.fixed
        if kind is None:
            if kind_value is None:
                return None, fields, [("kind", "required, but missing (offer, denial, jd, …)")]
            kind = self.registry.find(kind_value)
            if kind is None:
                known = ", ".join(k.short for k in self.kinds)
                return None, fields, [("kind", f"unknown kind (choose from {known})")]
        names = set(kind.field_names)
        if self.columns is not None and not kind.open_fields:  # another kind's column is not this row's
            fields = {k: v for k, v in fields.items() if k in names}
        refused = self.reading.read(kind, fields, row.number, overrides) if self.reading else []
        for key, value in self.defaults.items():
            if key not in fields and (key in names or not any(key in k.field_names for k in self.kinds)):
                fields[key] = value  # a key no kind has is passed on, to be reported as unknown
        fields.update({k: v for k, v in overrides.items() if k in names})
        return kind, fields, refused

    def problems(self, source: str) -> list[Problem]:
        """What is reported once for a column after every row is read: each stage name the rows could
        not use, with its rows."""
        if self.reading is None:
            return []
        stages = self.reading.stages
        if not (stages.unknown or stages.refused):
            return []
        others: dict[str, list[tuple[str, Profile]]] = {}
        if stages.unknown:  # a stage name of another system's is a stage name: it may be named
            workspace = self.registry.session.workspace
            names = {f.name for k in self.registry.all() for f in k.fields} | set(ADDRESS_PARTS)
            for name in profiles.names(workspace):
                other = profiles.load(workspace, name, names)
                for stage in other.spec.stages:
                    if (key := profiles.stage_key(stage)) in stages.unknown:
                        others.setdefault(key, []).append((stage, other))
        return stages.problems(source, self.label("stage") or "stage", others)

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
) -> Iterator[tuple[int, Row, Kind | None, dict[str, Any], Refusals]]:
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
