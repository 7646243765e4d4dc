"""The mapping preview: which column feeds which field, what is ignored and why, which stages.

A column that feeds the wrong field is invisible in the letters until someone reads one closely (a
denial "for the Senior Editor role" when the job was Production Editor). So ``--dry-run``, and every
batch run on a terminal, first shows how the file is read: each column and the field it feeds (and who
said so: its name, ``--map`` or the profile), each ignored column with its reason, the stage names
found with their counts and the hrdocs stage each becomes, and how dates and amounts are read.

It shows no cell of the file but stage names that a profile or ``batch.stage_map`` knows (a name that
slipped into the stage column is counted, never printed). A column reading or a stage that the profile
marks ``confirmed: false`` (no source shows it for this system's export) says so, with
:data:`UNCONFIRMED`, so the person checks that one against the file before the letters go out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hrdocs.batch.options import Options
from hrdocs.batch.profiles import Profile, column_key, stage_key
from hrdocs.batch.reading import open_input
from hrdocs.batch.rows import Shape, numbered
from hrdocs.batch.running import check_overrides
from hrdocs.batch.values import ROWS_NAMED, Reading
from hrdocs.errors import UsageError
from hrdocs.kinds import registry
from hrdocs.session import Session

UNCONFIRMED = "(not confirmed: check it)"
"""After a column or stage the profile reads with ``confirmed: false``."""


@dataclass
class Preview:
    """How one input is read, in words a person checks before the letters go out."""

    input: str
    headline: str | None
    """``read as a Greenhouse export (…)``, when a profile reads it."""
    mapped: list[tuple[str, str, str]] = field(default_factory=list)
    """(column, field, who says: ``name``, ``--map`` or the profile's source)."""
    ignored: list[tuple[str, str]] = field(default_factory=list)
    """(column, why)."""
    stage_column: str | None = None
    stages: list[tuple[str, int, str]] = field(default_factory=list)
    """(stage name, rows, what it becomes: an hrdocs stage, or why no letter)."""
    unknown: list[tuple[int, list[int]]] = field(default_factory=list)
    """(rows, the first of them) for each stage name nobody knows: counted, not named."""
    stage_fixed: bool = False
    """``--stage`` gives every row its stage."""
    dates: str = ""
    money: str = ""
    table: bool = True
    """False for a plan, which names its fields itself: nothing to preview."""

    def lines(self) -> list[str]:
        if not self.table:
            return []
        out = [
            f"{self.input}: read as {self.headline}"
            if self.headline
            else f"{self.input}: columns read by name"
        ]
        width = max((len(c) for c, *_ in (*self.mapped, *self.ignored)), default=0) + 2
        if self.mapped:
            out.append("columns → fields:")
            for column, name, said in self.mapped:
                why = "" if said == "name" else f"   ({said})"
                out.append(f"  {column:<{width}}→ {name}{why}")
        if self.ignored:
            out.append("ignored:")
            out += [f"  {column:<{width}}{why}" for column, why in self.ignored]
        if self.stage_fixed:
            out.append("stages: --stage gives every row its stage")
        elif self.stage_column is not None:
            out.append(f"stages (column {self.stage_column}):")
            width = max((len(n) for n, *_ in self.stages), default=0) + 2
            for name, rows, becomes in self.stages:
                out.append(f"  {name:<{width}}{_count(rows):>9}  → {becomes}")
            for rows, first in self.unknown:
                shown = ", ".join(str(r) for r in first) + (", …" if rows > len(first) else "")
                which = "rows" if rows > 1 else "row"
                out.append(f"  a stage name hrdocs does not know: {_count(rows)} ({which} {shown})")
        out.append(f"dates: {self.dates}")
        out.append(f"amounts: {self.money}")
        return out


def _count(rows: int) -> str:
    return f"{rows} row{'s' if rows != 1 else ''}"


def preview(session: Session, path: Path, options: Options) -> Preview:
    """How ``path`` will be read by ``run_batch(session, path, options)``: its column map (refusing,
    as the batch does, a column that could mean two things), and its stage names, counted over every
    row. Reads the file; renders and writes nothing."""
    kinds = registry(session)
    fixed = kinds.get(options.kind) if options.kind else None
    if fixed is None and options.kind:
        raise UsageError(f"unknown kind `{options.kind}`")
    in_play = [fixed] if fixed else kinds.all()
    known = {f for k in in_play for f in k.field_names}
    for key in options.overrides:  # the batch's own checks of the command line, before anything is shown
        if key not in known and not (fixed and fixed.open_fields):
            raise UsageError(f"--set {key}: not a field of {' or '.join(k.short for k in in_play)}")
    check_overrides(session, in_play, options.overrides)
    source = open_input(path)
    shape = Shape.of(source, kinds, fixed, options.maps, options.profile)
    columns, reading = shape.columns, shape.reading
    result = Preview(source.name, shape.profile.headline if shape.profile else None)
    if columns is None or reading is None:  # a plan names its fields itself
        result.table = False
        return result
    for column, name in columns.fields.items():
        said = columns.origin.get(column, "name")
        said = "profile" if said not in ("name", "--map") else said
        doubt = said == "profile" and _unconfirmed_column(shape.profile, column)
        result.mapped.append((column, name, f"{said}; {UNCONFIRMED}" if doubt else said))
    result.ignored += [
        (c, f"{why} {UNCONFIRMED}" if _profile_ignores(shape.profile, c, why) else why)
        for c, why in columns.why.items()
    ]
    result.ignored += [(c, "matches no field") for c in columns.ignored]
    result.stage_fixed = "stage" in options.overrides
    result.stage_column = None if result.stage_fixed else columns.column_of("stage")
    if result.stage_column is not None:
        for _ in numbered(source, shape, options.overrides):
            pass
        _stages(result, reading, shape.profile)
    result.dates = _dates(reading)
    result.money = f"as {reading.locale} writes them, in {reading.currency} (voice.locale, voice.currency)"
    return result


def _unconfirmed_column(profile: Profile | None, column: str) -> bool:
    """The profile's own reading of ``column`` (the field it feeds, or why it is left out), not
    confirmed; not a column left out only because this batch's kind lacks its field."""
    rule = profile.column(column_key(column)) if profile is not None else None
    return rule is not None and not rule[1].confirmed


def _profile_ignores(profile: Profile | None, column: str, why: str) -> bool:
    rule = profile.column(column_key(column)) if profile is not None else None
    return rule is not None and rule[1].ignore == why and not rule[1].confirmed


def _unconfirmed_stage(profile: Profile | None, reading: Reading, key: str) -> bool:
    """The profile's reading of a stage, not confirmed, and not replaced by ``batch.stage_map``."""
    if profile is None or reading.stages.origin.get(key) == "batch.stage_map":
        return False
    rule = profile.stage(stage_key(reading.stages.table[key][0])) if key in reading.stages.table else None
    return rule is not None and not rule[1].confirmed


def _stages(result: Preview, reading: Reading, profile: Profile | None) -> None:
    stages = reading.stages
    for key, rows in stages.counts.most_common():
        entry = stages.table.get(key)
        name, becomes = (entry[0], entry[1]) if entry else (key, key)
        said = stages.origin.get(key)
        shown = f"{becomes}   ({said})" if said else becomes
        result.stages.append(
            (name, rows, f"{shown} {UNCONFIRMED}" if _unconfirmed_stage(profile, reading, key) else shown)
        )
    for key, rows in stages.refused_counts.most_common():
        name, _, why = stages.table[key]
        doubt = f" {UNCONFIRMED}" if _unconfirmed_stage(profile, reading, key) else ""
        result.stages.append((name, rows, f"no letter: {why}{doubt}"))
    for key, rows in stages.unknown_counts.most_common():
        result.unknown.append((rows, stages.unknown[key][:ROWS_NAMED]))


def _dates(reading: Reading) -> str:
    if reading.date_format is None:
        return "YYYY-MM-DD only (no format is known for this file: set batch.date_format for others)"
    return f"{reading.date_format} ({reading.date_origin}), or YYYY-MM-DD"
