"""Validation from the declaration alone, for kinds whose fields need no cross-checks of their own.

Job descriptions, postings, comparisons and the kinds a workspace declares in YAML take their input
through here: each field parsed by its type (the flat model derived from the fields), required fields
present, choices among their ``choices``, roles resolved in the catalogue — every problem collected
and reported as ``source:line: field: message``, as for a letter.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from hrdocs.errors import COMMAND_LINE, HrdocsError, UnknownName, ValidationFailed
from hrdocs.fields import Field, Problems, field_key, flat_model, normalize_fields

if TYPE_CHECKING:
    from hrdocs.kinds.base import Kind, Lines
    from hrdocs.session import Session


@functools.lru_cache(maxsize=64)
def _model(name: str, fields: tuple[Field, ...]) -> type[BaseModel]:
    return flat_model(f"{name.title().replace('-', '')}Fields", fields)


def validate_fields(
    session: Session, kind: Kind, raw: Mapping[str, Any], source: str, lines: Lines
) -> dict[str, Any]:
    """The kind's fields parsed and checked: a ``role`` becomes the catalogue's role, ``roles`` a list
    of them; a free-form kind passes keys it does not declare on as they are."""
    extra: dict[str, Any] = {}
    if kind.open_fields:  # a free-form kind's other keys reach its template as they are written
        known = set(kind.field_names)
        extra = {str(k): v for k, v in raw.items() if field_key(k) not in known}
        raw = {k: v for k, v in raw.items() if field_key(k) in known}
    data = normalize_fields(raw)
    problems = Problems(source, lines, kind.field_names)
    shown = source == COMMAND_LINE and not kind.private  # `hrdocs jd generalst`: say it back
    parsed = problems.parse(_model(kind.name, kind.fields), data)
    out: dict[str, Any] = dict(extra)
    for f in kind.fields:
        value = getattr(parsed, f.name)
        if value is None or value == ():
            if f.required and f.name not in problems.fields:
                problems.add(f.name, f"required, but missing{_what(f)}")
            out[f.name] = None if value is None else value
            continue
        if f.type == "choice" and f.parser is None and f.choices and value not in f.choices:
            spelled = {c.casefold(): c for c in f.choices}.get(value.casefold())
            if spelled is None:
                problems.add(f.name, f"must be one of {', '.join(f.choices)}")
            value = spelled
        elif f.type == "role":
            value = _role(session, f.name, value, problems, shown)
        elif f.type == "roles":
            value = [_role(session, f"{f.name}[{i}]", v, problems, shown) for i, v in enumerate(value)]
        out[f.name] = value
    problems.raise_if_any()
    return out


def _what(f: Field) -> str:
    if f.type == "role":
        return " (a role id or alias; `hrdocs roles` lists them)"
    if f.choices:
        return f" (one of {', '.join(f.choices)})"
    return f" ({f.help.rstrip('.')})" if f.help else ""


ROLE_ACCEPTED = "give a role id, alias, unique prefix or title (`hrdocs roles` lists them)"


def role_problem(exc: UnknownName, shown: bool) -> str:
    """What is wrong with a role name, quoting it only when ``shown``: the user typed it on the command
    line for a document about a role. A letter's or a spreadsheet row's value is never printed (a
    shifted row puts an e-mail address in the role column); the catalogue's names are."""
    if shown:
        return exc.message + (f"; {exc.hint}" if exc.hint else "")
    return exc.unquoted(ROLE_ACCEPTED)


def _role(session: Session, name: str, value: str, problems: Problems, shown: bool) -> Any:
    try:
        return session.role(value)
    except ValidationFailed:
        raise
    except UnknownName as exc:
        problems.add(name, role_problem(exc, shown))
        return None
    except HrdocsError as exc:
        problems.add(name, exc.message + (f"; {exc.hint}" if exc.hint else ""))
        return None
