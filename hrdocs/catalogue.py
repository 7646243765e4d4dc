"""The role duty catalogue: every role file found, validated, with ``extends`` resolved.

Role files are looked up by id in the workspace's ``roles/`` first and the built-in one second, so a
company overrides a built-in role by writing a file of the same name. ``_areas.yaml`` holds the shared,
ordered list of duty areas; a workspace's list adds areas or renames built-in ones by id.

A broken file only stops the commands that need it: ``get("generalist")`` works while an unrelated
role file has a typo, but ``all()`` reports every broken file at once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrdocs.errors import HrdocsError, Problem, UnknownName, ValidationFailed
from hrdocs.loader import LineMap, read_yaml, validate
from hrdocs.models import (
    LOCALE,
    AreaList,
    DutyArea,
    EmploymentType,
    FlsaStatus,
    Location,
    PayRange,
    Qualifications,
    RoleSpec,
    RoleText,
)
from hrdocs.workspace import OutsideWorkspace, Workspace

AREAS_FILE = "_areas.yaml"


@dataclass(frozen=True)
class DutyGroup:
    area: DutyArea
    duties: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    """A role ready for documents: inheritance resolved, duties in the shared area order."""

    id: str
    title: str
    aliases: tuple[str, ...]
    department: str
    reports_to: Role | None
    level: str | None
    employment_type: EmploymentType
    flsa_status: FlsaStatus | None
    """Required only of a role that is worked in the US (its locations; an offer checks its own)."""
    summary: str
    duty_groups: tuple[DutyGroup, ...]
    qualifications: Qualifications
    competencies: tuple[str, ...]
    working_conditions: tuple[str, ...]
    pay_range: PayRange | None
    locations: tuple[Location, ...]
    source: Path
    translations: Mapping[str, RoleText] = field(default_factory=dict, compare=False)
    """The file's own ``translations`` (:func:`translated` adds the parent's)."""
    parent: Role | None = field(default=None, compare=False, repr=False)
    own: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """The text fields the file sets itself (the others come from ``extends``)."""

    @property
    def duty_count(self) -> int:
        return sum(len(g.duties) for g in self.duty_groups)

    def duties_in(self, area_id: str) -> tuple[str, ...]:
        for group in self.duty_groups:
            if group.area.id == area_id:
                return group.duties
        return ()


_REQUIRED = ("title", "department", "employment_type", "summary")
US_ONLY = "flsa_status"
"""Required of a role with a US location: the FLSA means nothing elsewhere (docs/international.md)."""
_TEXTS = ("title", "department", "level", "summary", "duties", "qualifications", "competencies",
          "working_conditions")  # fmt: skip
"""A role's fields that have a translation (see :mod:`hrdocs.translations`)."""


class Catalogue:
    def __init__(self, workspace: Workspace, *, locale: str | None = None, builtin: bool = True) -> None:
        """``locale``: the company's (``voice.locale``), which decides the country of a role's locations
        that name none (``"Berlin, DE"`` is in Germany for ``de_DE``; see :mod:`hrdocs.places`).
        ``builtin``: whether the built-in roles are part of it (``catalogue.builtin`` in hrdocs.yaml)."""
        self.workspace = workspace
        self.locale = locale
        self._specs: dict[str, tuple[Path, RoleSpec | None, list[Problem]]] = {}
        self._resolved: dict[str, Role] = {}
        self._refs: dict[str, list[tuple[str, str, int | None]]] = {}
        """The roles a file's ``extends`` and ``reports_to`` name, with their lines."""
        self.areas = self._load_areas()
        folders = workspace.search_path("roles")
        if not builtin:
            own = (workspace.builtin / "roles").resolve()
            folders = [f for f in folders if f.resolve() != own]
        for folder in reversed(folders):  # built-in first, workspace wins
            for path in sorted(folder.glob("*.yaml")):
                if not path.name.startswith("_"):
                    self._load_spec(path)

    # ------------------------------------------------------------------------------------ loading
    def _load_areas(self) -> dict[str, DutyArea]:
        areas: dict[str, DutyArea] = {}
        for folder in reversed(self.workspace.search_path("roles")):
            path = folder / AREAS_FILE
            if path.is_file():
                self.workspace.inside(path)  # a link out of the workspace: refused, naming where it leads
                data, lines = read_yaml(path)
                for area in validate(AreaList, data, str(path), lines).areas:
                    areas[area.id] = area
        return areas

    def _load_spec(self, path: Path) -> None:
        problems: list[Problem] = []
        spec: RoleSpec | None = None
        try:
            self.workspace.inside(path)  # a link out of the workspace: this role is refused, naming it
        except OutsideWorkspace as exc:
            why = f"{exc.reason} ({exc.advice})"
            self._specs[path.stem] = (path, None, [Problem(str(path), None, None, why)])
            return
        try:
            data, lines = read_yaml(path)
        except ValidationFailed as exc:  # not YAML at all: nothing more can be said
            self._specs[path.stem] = (path, None, exc.problems)
            return
        try:
            spec = validate(RoleSpec, data, str(path), lines, context={LOCALE: self.locale})
        except ValidationFailed as exc:
            problems = list(exc.problems)
        if isinstance(data, dict):  # every problem of the file at once, whether the model took it or not
            problems.extend(self._file_problems(path, data, lines, problems))
            self._refs[path.stem] = [
                (key, data[key], lines.line((key,)))
                for key in ("extends", "reports_to")
                if isinstance(data.get(key), str)
            ]
        problems.sort(key=lambda p: p.line or 0)
        self._specs[path.stem] = (path, spec, problems)

    def _file_problems(
        self, path: Path, data: dict[str, Any], lines: LineMap, found: list[Problem]
    ) -> list[Problem]:
        """What the model cannot know: the id against the file name, duty areas against ``_areas.yaml``,
        the fields a role without ``extends`` must have. Read from the file itself, so that they are
        reported with the model's problems, not one run later; a field the model refused is not
        reported again."""
        source, out = str(path), []
        refused = {(p.field or "").split("[")[0] for p in found}
        if isinstance(data.get("id"), str) and data["id"] != path.stem and "id" not in refused:
            out.append(Problem(source, lines.line(("id",)), "id", f"must match the file name `{path.stem}`"))
        for group in ("duties", "replace_duties"):
            areas = data.get(group)
            for key in areas if isinstance(areas, dict) else ():
                name = f"{group}.{key}"
                if str(key) not in self.areas and not any(
                    r == name or r.startswith(f"{name}.") for r in refused
                ):
                    out.append(
                        Problem(
                            source,
                            lines.line((group, key)),
                            name,
                            f"unknown duty area (known: {', '.join(self.areas)})",
                        )
                    )
        if data.get("extends") is None:
            for name in _REQUIRED:
                if data.get(name) is None and name not in refused:
                    out.append(Problem(source, 1, name, "required, but missing"))
        return out

    def _unknown_references(self, role_id: str) -> list[Problem]:
        """``extends`` and ``reports_to`` that name no role: found once every file is loaded."""
        path = self._specs[role_id][0]
        out = []
        for key, target, line in self._refs.get(role_id, ()):
            if target not in self._specs:
                err = UnknownName("role", target, self._specs)
                out.append(Problem(str(path), line, key, err.message + (f"; {err.hint}" if err.hint else "")))
        return out

    # ------------------------------------------------------------------------------------- lookup
    @property
    def ids(self) -> list[str]:
        return sorted(self._specs)

    @functools.cached_property
    def _aliases(self) -> dict[str, str]:
        """Made once: a batch of letters looks up a role name in every row."""
        aliases: dict[str, str] = {}
        for role_id, (_, spec, _) in self._specs.items():
            for alias in spec.aliases if spec else ():
                aliases.setdefault(alias, role_id)
        return aliases

    @functools.cached_property
    def _titles(self) -> dict[str, str]:
        """A role's title (any letter case) -> its id, for titles no two roles share."""
        seen: dict[str, list[str]] = {}
        for role_id, (_, spec, _) in self._specs.items():
            if spec is not None and spec.title:
                seen.setdefault(" ".join(spec.title.casefold().split()), []).append(role_id)
        return {title: ids[0] for title, ids in seen.items() if len(ids) == 1}

    def resolve_id(self, name: str) -> str:
        """A role id from an id, an alias, or a unique prefix; otherwise the closest matches."""
        key = name.strip().lower()
        if key in self._specs:
            return key
        aliases = self._aliases
        if key in aliases:
            return aliases[key]
        titled = self._titles.get(" ".join(key.casefold().split()))  # "HR Generalist", as exports write it
        if titled is not None:
            return titled
        starts = sorted({i for i in [*self._specs, *aliases] if i.startswith(key)})
        targets = {(self._specs.get(i) and i) or aliases[i] for i in starts}
        if key and len(targets) == 1:
            return targets.pop()
        error = UnknownName("role", name, [*self._specs, *aliases])
        unread = [(path, problems) for path, spec, problems in self._specs.values() if spec is None]
        if unread:  # a typo in a role's file hides its aliases: say so, not just "unknown"
            path, problems = unread[0]
            more = f" (and {len(unread) - 1} more file(s))" if len(unread) > 1 else ""
            first = problems[0] if problems else None
            why = f" (line {first.line}: {first.message})" if first and first.line else ""
            unreadable = f"{path} cannot be read{why}{more}, and may define `{name}`"
            error.hint = f"{error.hint} {unreadable}" if error.hint else unreadable
        raise error

    def get(self, name: str) -> Role:
        return self._resolve(self.resolve_id(name), ())

    def all(self) -> list[Role]:
        problems: list[Problem] = []
        roles: list[Role] = []
        for role_id in self.ids:
            try:
                roles.append(self._resolve(role_id, ()))
            except ValidationFailed as exc:
                problems.extend(p for p in exc.problems if p not in problems)
        if problems:
            raise ValidationFailed(problems, what="the role catalogue")
        return roles

    # --------------------------------------------------------------------------------- resolving
    def _resolve(self, role_id: str, chain: tuple[str, ...]) -> Role:
        if role_id in self._resolved:
            return self._resolved[role_id]
        path, spec, problems = self._specs[role_id]
        problems = [*problems, *self._unknown_references(role_id)]
        if problems or spec is None:
            raise ValidationFailed(sorted(problems, key=lambda p: p.line or 0), what=str(path))
        if role_id in chain:
            cycle = " -> ".join((*chain, role_id))
            raise ValidationFailed([Problem(str(path), None, "extends", f"cycle: {cycle}")], what=str(path))

        parent = self._resolve(spec.extends, (*chain, role_id)) if spec.extends else None
        boss: Role | None = None
        boss_id = spec.reports_to or (parent.reports_to.id if parent and parent.reports_to else None)
        if boss_id and boss_id not in (*chain, role_id):  # known: an unknown one is a problem above
            boss = self._resolve(boss_id, (*chain, role_id))

        role = Role(
            id=spec.id,
            title=_inherit(spec, parent, "title"),
            aliases=tuple(spec.aliases),
            department=_inherit(spec, parent, "department"),
            reports_to=boss,
            level=spec.level or (parent.level if parent else None),
            employment_type=_inherit(spec, parent, "employment_type"),
            flsa_status=spec.flsa_status or (parent.flsa_status if parent else None),
            summary=_inherit(spec, parent, "summary"),
            duty_groups=self._merge_duties(spec, parent),
            qualifications=spec.qualifications or (parent.qualifications if parent else Qualifications()),
            competencies=tuple(
                spec.competencies
                if spec.competencies is not None
                else (parent.competencies if parent else ())
            ),
            working_conditions=tuple(
                spec.working_conditions
                if spec.working_conditions is not None
                else (parent.working_conditions if parent else ())
            ),
            pay_range=spec.pay_range or (parent.pay_range if parent else None),
            locations=tuple(
                spec.locations if spec.locations is not None else (parent.locations if parent else ())
            ),
            source=path,
            translations=spec.translations,
            parent=parent,
            own=frozenset(name for name in _TEXTS if getattr(spec, name) not in (None, [], {})),
        )
        if role.flsa_status is None and any(loc.country == "US" for loc in role.locations):
            why = "required for a role with a US location (Fair Labor Standards Act: exempt or non-exempt)"
            raise ValidationFailed([Problem(str(path), 1, US_ONLY, why)], what=str(path))
        self._resolved[role_id] = role
        return role

    def _merge_duties(self, spec: RoleSpec, parent: Role | None) -> tuple[DutyGroup, ...]:
        duties: dict[str, list[str]] = {}
        if parent:
            for group in parent.duty_groups:
                duties[group.area.id] = list(group.duties)
        for area_id, items in spec.duties.items():
            duties.setdefault(area_id, []).extend(i for i in items if i not in duties[area_id])
        for area_id, items in spec.replace_duties.items():
            duties[area_id] = list(items)
        return tuple(
            DutyGroup(area, tuple(duties[area_id]))
            for area_id, area in self.areas.items()
            if duties.get(area_id)
        )


def _inherit(spec: RoleSpec, parent: Role | None, name: str) -> Any:
    """A required field: the role's own value, else its parent's (presence is checked at load time)."""
    value = getattr(spec, name)
    if value is None and parent is not None:
        value = getattr(parent, name)
    if value is None:
        raise HrdocsError(f"{spec.id}: {name} missing after inheritance")
    return value
