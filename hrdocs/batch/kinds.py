"""The kinds of document a batch makes, each over the library's own functions.

A kind knows its fields, how to validate one row into typed input (the very validators ``hrdocs
offer`` and ``hrdocs denial`` use), the template context, the letter date and the values a file-name
pattern may use. Nothing here prints or writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hrdocs import letters
from hrdocs.api import JD_KIND, Session
from hrdocs.catalogue import Role
from hrdocs.context import jd_context
from hrdocs.errors import Problem, UnknownName, UsageError, ValidationFailed
from hrdocs.output import slug


@dataclass(frozen=True)
class Kind:
    name: str
    """As written in file names and the manifest: ``offer``, ``denial``, ``jd``."""
    template: str
    """The document kind, which is also the template's name: ``offer-letter``."""
    folder: str
    """Default output folder under the workspace's ``output/``."""
    fields: tuple[str, ...]
    private: bool
    """Letters carry personal data: written readable by their owner only."""
    validate: Callable[[Session, Mapping[str, Any], str], Any]
    context: Callable[[Session, Any], dict[str, Any]]
    warnings: Callable[[Session, Any], list[str]]
    letter_date: Callable[[Session, Any], dt.date]
    role: Callable[[Any], str]
    names: Callable[[Any], dict[str, str]]
    default_name: str


def _person(candidate: letters.Candidate) -> dict[str, str]:
    words = candidate.name.split()
    first = candidate.first_name or (words[0] if words else "")
    last = candidate.last_name or (words[-1] if words else "")
    return {
        "candidate": candidate.name,
        "candidate.name": candidate.name,
        "candidate.first_name": first,
        "candidate.last_name": last,
        "candidate.preferred_name": candidate.salutation_name,
    }


def _offer_names(data: letters.OfferInput) -> dict[str, str]:
    return {
        **_person(data.candidate),
        "role": data.role,
        "title": data.title,
        "department": data.department,
        "date": data.date.isoformat(),
        "start": data.start.isoformat(),
        "stage": "",
    }


def _denial_names(data: letters.DenialInput) -> dict[str, str]:
    return {
        **_person(data.candidate),
        "role": data.role,
        "title": data.title,
        "department": "",
        "date": data.date.isoformat(),
        "start": "",
        "stage": data.stage.value,
    }


def _validate_jd(session: Session, raw: Mapping[str, Any], source: str) -> Role:
    problems = [
        Problem(source, None, key, "unknown key (a job description takes only `role`)")
        for key in raw
        if key not in ("role",)
    ]
    role = None
    name = raw.get("role")
    if name is None or not str(name).strip():
        problems.append(Problem(source, None, "role", "required, but missing (a role id or alias)"))
    else:
        try:
            role = session.role(str(name))
        except UnknownName as exc:
            problems.append(
                Problem(source, None, "role", exc.message + (f"; {exc.hint}" if exc.hint else ""))
            )
    if problems:
        raise ValidationFailed(problems, what=source)
    assert role is not None
    return role


def _jd_names(role: Role) -> dict[str, str]:
    return {"role": role.id, "title": role.title, "department": role.department}


OFFER = Kind(
    name="offer",
    template=letters.OFFER_KIND,
    folder="offers",
    fields=letters.OFFER_FIELDS,
    private=True,
    validate=lambda session, raw, source: letters.validate_offer(raw, session=session, source=source),
    context=letters.offer_context,
    warnings=letters.offer_warnings,
    letter_date=lambda session, data: data.date,
    role=lambda data: data.role,
    names=_offer_names,
    default_name="{kind}-{candidate}-{role}",
)
DENIAL = Kind(
    name="denial",
    template=letters.DENIAL_KIND,
    folder="denials",
    fields=letters.DENIAL_FIELDS,
    private=True,
    validate=lambda session, raw, source: letters.validate_denial(raw, session=session, source=source),
    context=letters.denial_context,
    warnings=lambda session, data: [],
    letter_date=lambda session, data: data.date,
    role=lambda data: data.role,
    names=_denial_names,
    default_name="{kind}-{candidate}-{role}",
)
JD = Kind(
    name="jd",
    template=JD_KIND,
    folder="job-descriptions",
    fields=("role",),
    private=False,
    validate=_validate_jd,
    context=lambda session, role: jd_context(role, session.config, session.terms, today=session.today),
    warnings=lambda session, role: [],
    letter_date=lambda session, role: session.today,
    role=lambda role: role.id,
    names=_jd_names,
    default_name="{role}",
)

KINDS = {k.name: k for k in (OFFER, DENIAL, JD)}
_KIND_ALIASES = {
    "offer": "offer",
    "offers": "offer",
    "offer-letter": "offer",
    "denial": "denial",
    "denials": "denial",
    "denial-letter": "denial",
    "rejection": "denial",
    "rejection-letter": "denial",
    "reject": "denial",
    "jd": "jd",
    "job-description": "jd",
    "job-descriptions": "jd",
}


def kind_named(name: Any) -> Kind | None:
    """``Offer``, ``offer letter``, ``rejection`` … -> the kind, or None."""
    key = "-".join(str(name).strip().lower().replace("_", " ").split())
    found = _KIND_ALIASES.get(key)
    return KINDS[found] if found else None


def require_kind(name: str) -> Kind:
    kind = kind_named(name)
    if kind is None:
        raise UsageError(f"unknown kind `{name}`", hint=f"choose from {', '.join(KINDS)}")
    return kind


class RoleNames:
    """A role given by its title (``HR Generalist``, as exports have it) or its id's words, per session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[str, str] = {}
        self._titles: dict[str, str] | None = None

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = self._cache.get(value)
        if found is None:
            found = self._cache[value] = self._resolve(value)
        return found

    def _resolve(self, value: str) -> str:
        catalogue = self.session.catalogue
        try:
            catalogue.resolve_id(value)
            return value
        except UnknownName:
            pass
        if self._titles is None:
            self._titles = {}
            for role_id in catalogue.ids:
                try:
                    title = catalogue.get(role_id).title
                except Exception:  # a broken role file is reported when it is used by id
                    continue
                self._titles.setdefault(title.casefold(), role_id)
        key = value.strip().casefold()
        if key in self._titles:
            return self._titles[key]
        if slug(value) in catalogue.ids:
            return slug(value)
        return value
