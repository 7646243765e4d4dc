"""Import profiles: what an applicant tracking system's columns and stage names mean, kept as data.

A column that looks right can mean something else: Greenhouse's ``Title`` and ``Company`` are the
candidate's *current* title and employer, Personio's ``Expected salary`` is the candidate's wish, not
the offer. Which is which is a fact about each system, found in its public documentation, so it lives
in one YAML file per system (``hrdocs/data/profiles/greenhouse.yaml``), each fact with its source
(the research is ``docs/ats.md``'s). Code holds none of it: a company whose account exports other
columns or stage names copies the file into its workspace as ``profiles/greenhouse.yaml`` (which then
wins over the built-in one) or adds a system of its own there. Files are read with the workspace's one
loader, inside its jail, and checked with the typed model below, so a typo fails loudly, with its line.

A profile says, per column, the field it feeds or why it is ignored; per stage name, the hrdocs stage
it becomes (or ``none``: no denial for a hired candidate); how dates are written, when a source says
so (never guessed between month-first and day-first); and which columns, all present, make a header
row this system's (``detect``). ``status: unconfirmed`` marks a profile built from what a source does
show (a system's import fields) where no source showed the export's own header row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from hrdocs.batch.columns import column_key
from hrdocs.errors import Problem, UsageError, ValidationFailed
from hrdocs.loader import read_yaml, validate
from hrdocs.models import DateFormat, StageName, Strict, Text
from hrdocs.workspace import PACKAGE_DIR, Workspace

BUILTIN_PROFILES = PACKAGE_DIR / "data" / "profiles"
FOLDER = "profiles"
"""The workspace's own profiles: ``profiles/NAME.yaml``."""
NO_PROFILE = "none"
"""``--from none``: read the columns by their names alone, even if a profile would match the header."""


class Column(Strict):
    """One column of the system's files: the field it feeds, or why it never feeds one."""

    field: str | None = None
    ignore: Text | None = None
    """Why the column is left out (the candidate's own data, an id, a reason a letter never gives)."""
    source: Text

    @model_validator(mode="after")
    def _one_of(self) -> Column:
        if (self.field is None) == (self.ignore is None):
            raise ValueError("give either `field` (the field it feeds) or `ignore` (why it is left out)")
        return self


class StageRule(Strict):
    """One of the system's stage names, as the denial's stage."""

    stage: StageName
    why: Text | None = None
    """Why a stage gets no letter (``stage: none``), or what to check about the reading."""
    source: Text

    @model_validator(mode="after")
    def _why_for_none(self) -> StageRule:
        if self.stage == "none" and not self.why:
            raise ValueError("`stage: none` needs a `why` (the message the rows with this stage get)")
        return self


class Dates(Strict):
    format: DateFormat | None = None
    """None: no source says, so ``batch.date_format`` must (a date not in ISO form is refused)."""
    source: Text


class Spec(Strict):
    """A profile file, as written."""

    system: Text
    """The system's name as people write it: ``Greenhouse``."""
    status: Literal["confirmed", "partial", "unconfirmed"]
    """``confirmed``: a source shows the export's columns; ``partial``: some of them; ``unconfirmed``:
    none, so the columns are the system's import fields (docs/ats.md says which)."""
    about: Text
    detect: list[Text] = Field(default_factory=list)
    """Columns that, all present, make a header row this system's; none: only ``--from`` picks it."""
    columns: dict[Text, Column] = Field(default_factory=dict)
    stages: dict[Text, StageRule] = Field(default_factory=dict)
    dates: Dates


@dataclass(frozen=True)
class Profile:
    """A loaded profile: its name (the file's), where it was found, and its facts by lenient key."""

    name: str
    path: Path
    spec: Spec

    @property
    def system(self) -> str:
        return self.spec.system

    def column(self, key: str) -> tuple[str, Column] | None:
        """The profile's entry for a header cell, spelled leniently (``first_name`` = ``First Name``)."""
        for name, rule in self.spec.columns.items():
            if column_key(name) == key:
                return name, rule
        return None

    def stage(self, key: str) -> tuple[str, StageRule] | None:
        for name, rule in self.spec.stages.items():
            if stage_key(name) == key:
                return name, rule
        return None

    @property
    def headline(self) -> str:
        """``a Greenhouse export (profile greenhouse, …)``, for the batch's note and preview."""
        what = {
            "confirmed": "",
            "partial": ", its columns partly confirmed",
            "unconfirmed": ", its export columns unconfirmed",
        }
        article = "an" if self.system[:1].lower() in "aeio" else "a"
        return f"{article} {self.system} export (profile {self.name}{what[self.spec.status]}: docs/ats.md)"


def stage_key(text: str) -> str:
    """``New Lead`` / ``new lead`` / `` NEW-LEAD`` -> ``new lead``: sources differ in case."""
    return " ".join(re.split(r"[\s_-]+", text.casefold())).strip()


def folders(workspace: Workspace) -> list[Path]:
    """Where profiles are looked for: the workspace's own first, then the built-in ones."""
    return [workspace.root / FOLDER, BUILTIN_PROFILES]


def names(workspace: Workspace) -> list[str]:
    found: set[str] = set()
    for folder in folders(workspace):
        if folder.is_dir():
            found |= {p.stem for p in folder.glob("*.yaml")}
    return sorted(found)


def load(workspace: Workspace, name: str, fields: Iterable[str]) -> Profile:
    """The profile called ``name`` (the workspace's, else the built-in one); ``fields``: the field names
    a column may feed. A name no profile has is bad usage, with the names there are."""
    key = name.strip().lower()
    for folder in folders(workspace):
        path = folder / f"{key}.yaml"
        if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key) and (path.is_file() or path.is_symlink()):
            return _read(workspace, key, path, set(fields))
    known = names(workspace)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    raise UsageError(
        f"--from {name}: no import profile `{name}`" + (f" (did you mean `{close[0]}`?)" if close else ""),
        hint=f"profiles: {', '.join(known)}, or none; a workspace adds its own as profiles/NAME.yaml",
    )


def detect(workspace: Workspace, keys: set[str], fields: Iterable[str]) -> Profile | None:
    """The profile whose ``detect`` columns (column keys) are all in ``keys``; the most specific one
    when several are; two equally specific ones are bad usage, which ``--from`` settles."""
    wanted = set(fields)
    found: list[Profile] = []
    for name in names(workspace):
        profile = load(workspace, name, wanted)
        needed = {column_key(c) for c in profile.spec.detect}
        if needed and needed <= keys:
            found.append(profile)
    if not found:
        return None
    found.sort(key=lambda p: -len(p.spec.detect))
    best = [p for p in found if len(p.spec.detect) == len(found[0].spec.detect)]
    if len(best) > 1:
        raise UsageError(
            f"the header row reads as a {' and as a '.join(p.system for p in best)} export",
            hint=f"say which: {' or '.join(f'--from {p.name}' for p in best)} (or --from none)",
        )
    return found[0]


def _read(workspace: Workspace, name: str, path: Path, fields: set[str]) -> Profile:
    real = workspace.inside(path)  # a link planted in profiles/ must not read a file from elsewhere
    data, lines = read_yaml(real)
    spec = validate(Spec, data, str(path), lines)
    problems = []
    for column, rule in spec.columns.items():
        if rule.field is not None and rule.field not in fields:
            close = difflib.get_close_matches(rule.field, sorted(fields), n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            line = lines.line(("columns", column, "field"))
            problems.append(Problem(str(path), line, f"columns.{column}.field", f"not a field{hint}"))
    if problems:
        raise ValidationFailed(problems, what=str(path))
    return Profile(name, path, spec)


# ------------------------------------------------------------------------------------------ the docs
def markdown_table(profile: Profile) -> str:
    """The profile as the docs show it (docs/ats.md, between ``<!-- profile: NAME -->`` markers)."""
    spec = profile.spec
    out = [f"Status: **{spec.status}**. {_one_line(spec.about)}", ""]
    if spec.detect:
        out += ["Detected when the header row has " + ", ".join(f"`{c}`" for c in spec.detect) + ".", ""]
    else:
        out += [f"Never detected from a header row: pass `--from {profile.name}`.", ""]
    if spec.columns:
        out += ["| column | read as | source |", "|---|---|---|"]
        for column, rule in spec.columns.items():
            read = f"`{rule.field}`" if rule.field else f"ignored: {rule.ignore}"
            out.append(f"| `{column}` | {_cell(read)} | {_cell(rule.source)} |")
        out.append("")
    if spec.stages:
        out += ["| stage name | hrdocs stage | source |", "|---|---|---|"]
        for stage, step in spec.stages.items():
            read = f"refused: {step.why}" if step.stage == "none" else f"`{step.stage}`"
            read += f" ({step.why})" if step.why and step.stage != "none" else ""
            out.append(f"| {_cell(stage)} | {_cell(read)} | {_cell(step.source)} |")
        out.append("")
    fmt = f"`{spec.dates.format}`" if spec.dates.format else "not known: set `batch.date_format`"
    out.append(f"Dates: {fmt} ({_one_line(spec.dates.source)}).")
    return "\n".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")
