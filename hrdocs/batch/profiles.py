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
show (a system's import fields) where no source showed the export's own header row; ``confirmed:
false`` on a column, a stage or the dates marks one fact no source shows itself (an unofficial
source, another file's format): read as written by default, marked so on the system's docs page
(:func:`markdown_page`, docs/ats/NAME.md), and overridden by ``--map``, ``batch.stage_map``,
``batch.date_format`` or a workspace profile.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from hrdocs import ats_tokens
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
    confirmed: bool = True
    """``false``: no source shows this fact itself (an unofficial one, or one about another file);
    read so by default, shown so in the docs, and overridden by ``--map`` or a workspace profile."""
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
    confirmed: bool = True
    """``false``: the name comes from no official source (``batch.stage_map`` overrides it)."""
    source: Text

    @model_validator(mode="after")
    def _why_for_none(self) -> StageRule:
        if self.stage == "none" and not self.why:
            raise ValueError("`stage: none` needs a `why` (the message the rows with this stage get)")
        return self


class Dates(Strict):
    format: DateFormat | None = None
    """None: no source says, so ``batch.date_format`` must (a date not in ISO form is refused)."""
    confirmed: bool = True
    """``false``: the format is another file's (an import template's); ``batch.date_format`` wins."""
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
    guide: Text | None = None
    """How to get the export out of the system and what to watch for, in Markdown: the head of the
    system's page (docs/ats/NAME.md, made by :func:`markdown_page`: ``python docs/ats/make.py``)."""


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
        page = f"docs/ats/{self.name}.md" if self.path.parent == BUILTIN_PROFILES else "docs/ats.md"
        return f"{article} {self.system} export (profile {self.name}{what[self.spec.status]}: {page})"


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
_STATUS = {
    "confirmed": "a source shows this system's export columns",
    "partial": "a source shows some of this system's export columns",
    "unconfirmed": "no source shows this system's export columns: they are its import fields or "
    "others' (each says which); check them against one of your own exports (`--dry-run`)",
}
_NAMES = {"candidate": "the whole name", "first_name": "the first name", "last_name": "the last name"}


def markdown_page(profile: Profile, tokens: ats_tokens.Table | None = None) -> str:
    """The system's page of the docs (docs/ats/NAME.md), made from its profile and token table alone,
    so a test can hold the committed page to them; a workspace's own profile gets one the same way."""
    spec, name = profile.spec, profile.name
    shipped = profile.path.parent == BUILTIN_PROFILES
    made = f"hrdocs/data/profiles/{name}.yaml" if shipped else f"profiles/{name}.yaml"
    made += f" and {'hrdocs/data/' if shipped else ''}tokens/{name}.yaml" if tokens else ""
    out = [
        f"# From {spec.system} to a folder of letters",
        "",
        f"<!-- Made from {made} by hrdocs.batch.profiles.markdown_page (`python docs/ats/make.py`); "
        "tests/test_ats.py fails when they differ: edit those files, then run it. -->",
        "",
        f"{_one_line(spec.about)} Profile status: **{spec.status}** ({_STATUS[spec.status]}). "
        "How profiles are read, and how to change one: [docs/ats.md](../ats.md).",
        "",
    ]
    out += [spec.guide, ""] if spec.guide else []
    out += ["## How the columns are read", ""]
    if spec.detect:
        out += [f"Known by its header row when it has {_listed(spec.detect)}; `--from {name}` names it.", ""]
    else:
        out += [f"Never known by its header row: name it with `--from {name}`.", ""]
    mapped = [(c, r) for c, r in spec.columns.items() if r.field]
    ignored = [(c, r) for c, r in spec.columns.items() if r.ignore]
    if mapped:
        out += ["| column | feeds | source |", "|---|---|---|"]
        out += [f"| `{c}` | `{r.field}`{_mark(r.confirmed)} | {_cell(r.source)} |" for c, r in mapped]
        out.append("")
    else:
        out += ["No column of its export is known: columns are read by their names",
                "([batch.md](../batch.md#columns-and-fields)), or mapped with `--map \"Column=field\"`.",
                ""]  # fmt: skip
    if ignored:
        out += ["Never read into a letter:", "", "| column | why | source |", "|---|---|---|"]
        out += [
            f"| `{c}` | {_cell(r.ignore or '')}{_mark(r.confirmed)} | {_cell(r.source)} |" for c, r in ignored
        ]
        out.append("")
    names = [f"`{c}` ({_NAMES[r.field]})" for c, r in mapped if r.field in _NAMES]
    out += [f"**Names.** {_listed(names) + '.' if names else 'No name column is known: map yours.'}", ""]
    out += ["## Stages", ""]
    if spec.stages:
        out += ["| stage name | hrdocs stage | source |", "|---|---|---|"]
        for stage, step in spec.stages.items():
            read = f"no letter: {step.why}" if step.stage == "none" else f"`{step.stage}`"
            out.append(f"| {_cell(stage)} | {_cell(read)}{_mark(step.confirmed)} | {_cell(step.source)} |")
        out.append("")
    out += ["Which hrdocs stage a name becomes is hrdocs' reading of the name; yours win, in "
            "`batch.stage_map` ([docs/ats.md](../ats.md#how-a-file-is-read)).", ""]  # fmt: skip
    out += ["## Dates and amounts", ""]
    said = _one_line(spec.dates.source)
    if spec.dates.format:
        out.append(
            f"Dates: `{spec.dates.format}`{_mark(spec.dates.confirmed)} ({said}); `batch.date_format` wins."
        )
    else:
        out.append(f"Dates: no format is known ({said}): set `batch.date_format` for dates not in ISO form.")
    out += ["ISO dates (`2027-01-04`) are always read. Amounts: no source gives this system's money format;",
            "they are read as the company's locale writes them (`voice.locale`), held to `voice.currency`.",
            ""]  # fmt: skip
    out += ["## Offer-template tokens", ""]
    if tokens is not None:
        syntax = tokens.kind()
        out += [f"Syntax: `{syntax.described}` ({_one_line(tokens.source)}). Add or change tokens in the "
                f"workspace's `tokens/{name}.yaml` (same keys).", ""]  # fmt: skip
        out += [ats_tokens.markdown_table(tokens), ""]
    else:
        out += [f"hrdocs ships no token table for {spec.system}. A table of your own, `tokens/{name}.yaml`, "
                "with your syntax (`syntax: \"${NAME}\"`), makes a Word template's tokens work "
                "([docs/ats.md](../ats.md#offer-templates-written-for-an-ats)).", ""]  # fmt: skip
    out += _unconfirmed(profile, tokens)
    return "\n".join(out).rstrip("\n") + "\n"


def _unconfirmed(profile: Profile, tokens: ats_tokens.Table | None) -> list[str]:
    spec = profile.spec
    items = [f"column `{c}`: {_one_line(r.source)}" for c, r in spec.columns.items() if not r.confirmed]
    items += [f"stage {s}: {_one_line(r.source)}" for s, r in spec.stages.items() if not r.confirmed]
    items += [f"dates: {_one_line(spec.dates.source)}"] if not spec.dates.confirmed else []
    if tokens is not None:
        spelled = tokens.kind().spelling
        items += [
            f"token `{spelled % n}`: {_one_line(t.source)}"
            for n, t in tokens.tokens.items()
            if not t.confirmed
        ]
    out = ["## Not confirmed", ""]
    if spec.status != "confirmed":
        out.append(f"- the export's columns: {_STATUS[spec.status]}")
    out += [f"- {_cell(item)}" for item in items]
    out += ["", "Each is read as shown, marked (not confirmed) above, until you say otherwise: "
            "`--map \"Column=field\"` or `--map \"Column=-\"`, `batch.stage_map`, `batch.date_format`, "
            f"or a copy of this profile in your workspace as `profiles/{profile.name}.yaml` (and of its "
            f"token table as `tokens/{profile.name}.yaml`)."]  # fmt: skip
    return out


def _mark(confirmed: bool) -> str:
    return "" if confirmed else " (not confirmed)"


def _listed(items: list[str]) -> str:
    items = [i if i.startswith("`") else f"`{i}`" for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")
