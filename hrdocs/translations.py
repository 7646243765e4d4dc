"""A catalogue role in another language, from the ``translations`` its file carries, or a refusal.

A role file may carry its text in other languages (``translations: {de: {title: …, summary: …,
duties: {area-id: [...]}, …}}``) and ``_areas.yaml`` the duty areas' names
(``translations: {de: {name: …}}``). A document in German is made from the German text only: a role
that lacks any text the document prints (its title, summary, each area's duties, the area names, the
title of the role it reports to …) is refused with every missing field and the file to add it to,
never printed half in English. A role that ``extends`` another inherits the translation of each field
it inherits in English.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hrdocs.catalogue import AREAS_FILE, DutyGroup, Role
from hrdocs.errors import HrdocsError
from hrdocs.language import get
from hrdocs.models import DutyArea


class MissingTranslation(HrdocsError):
    """A document in a language its role's text is not translated into."""

    def __init__(self, tag: str, missing: dict[str, list[str]]) -> None:
        name = get(tag).name
        lines = [f"no {name} ({tag}) text for the role; a {name} document would print English in its place:"]
        lines += [f"  {path}: translations.{tag}: {', '.join(fields)}" for path, fields in missing.items()]
        self.files = list(missing)
        super().__init__(
            "\n".join(lines),
            hint=f"add the fields under `translations: {{{tag}: {{…}}}}` in each file named "
            "(docs/languages.md), or write the document in English (--language en)",
        )


def _text(role: Role, tag: str, name: str) -> Any:
    """The role's translation of field ``name``, or its parent's where the role inherits the field."""
    own = role.translations.get(tag)
    value = getattr(own, name) if own is not None else None
    if value is None and role.parent is not None and name not in role.own:
        return _text(role.parent, tag, name)
    return value


def _duties(role: Role, tag: str, area: str) -> list[str] | None:
    own = role.translations.get(tag)
    if own is not None and area in own.duties:
        return own.duties[area]
    parent = role.parent
    if parent is not None and parent.duties_in(area) == role.duties_in(area):
        return _duties(parent, tag, area)
    return None


def translated(role: Role, tag: str, areas: dict[str, DutyArea]) -> Role:
    """``role`` with its text in language ``tag``; :class:`MissingTranslation` naming every field that
    has none."""
    missing: dict[str, list[str]] = {}
    same = get(tag).language == "en"  # en-GB: the English text, with the fields the file rewords

    def lack(path: object, name: str) -> None:
        if not same:
            missing.setdefault(str(path), []).append(name)

    source = role.source
    texts: dict[str, Any] = {}
    for name in ("title", "department", "summary", *(("level",) if role.level else ())):
        texts[name] = _text(role, tag, name)
        if texts[name] is None:
            lack(source, name)
            texts[name] = getattr(role, name)
    for name in ("competencies", "working_conditions"):
        english = getattr(role, name)
        found = _text(role, tag, name)
        if english and (found is None or len(found) != len(english)):
            lack(
                source,
                name if found is None else f"{name} ({len(found)} items, the English has {len(english)})",
            )
        texts[name] = tuple(found) if found is not None and len(found) == len(english) else english
    quals = _text(role, tag, "qualifications")
    english_q = role.qualifications
    for part in ("required", "preferred"):
        items = getattr(quals, part) if quals is not None else []
        if getattr(english_q, part) and len(items) != len(getattr(english_q, part)):
            lack(source, f"qualifications.{part}")
    texts["qualifications"] = quals if quals is not None else english_q
    groups = []
    for group in role.duty_groups:
        duties = _duties(role, tag, group.area.id)
        if duties is None or len(duties) != len(group.duties):
            counted = (
                "" if duties is None else f" ({len(duties)} duties, the English has {len(group.duties)})"
            )
            lack(source, f"duties.{group.area.id}{counted}")
            duties = list(group.duties)
        area = areas.get(group.area.id, group.area)
        text = area.translations.get(tag)
        if text is None:
            lack(source.parent / AREAS_FILE, f"{area.id}.name")
        name = text.name if text is not None else area.name
        groups.append(DutyGroup(area.model_copy(update={"name": name}), tuple(duties)))
    boss = role.reports_to
    if boss is not None:
        title = _text(boss, tag, "title")
        if title is None:
            lack(boss.source, "title")
        boss = replace(boss, title=title or boss.title)
    if missing:
        raise MissingTranslation(tag, missing)
    return replace(role, **texts, duty_groups=tuple(groups), reports_to=boss)
