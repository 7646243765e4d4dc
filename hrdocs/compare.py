"""Role comparison: two or more catalogue roles side by side, duty area by duty area (``hrdocs compare``).

This is the view the catalogue grew from (the seed compared the HR Executive with the HR Generalist):
one column per role, one row per duty area, the duties as bullets in each cell. Before the table, a
short summary of how the roles differ is drawn from the catalogue data alone: level, department,
reports-to, employment type and FLSA status, pay, and focus (the first sentence of each summary, the
areas that hold most of each role's duties, and areas only one of the roles covers).

The ``comparison`` template words it (customizable like the other templates); this module computes
the facts, so a template never counts or compares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hrdocs.catalogue import Role
from hrdocs.context import View, base_context, role_view
from hrdocs.errors import UsageError
from hrdocs.formatting import pay_range_text
from hrdocs.session import Session

COMPARISON_KIND = "comparison"
NONE = "—"


def _first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip(), maxsplit=1)
    return parts[0]


def comparison_data(session: Session, roles: Sequence[Role]) -> dict[str, Any]:
    """The facts of a comparison (plain data; :func:`comparison_context` turns it into views)."""
    voice = session.config.settings.voice
    terms = session.terms
    facts_rows = [
        ("Department", [r.department for r in roles]),
        ("Level", [r.level or NONE for r in roles]),
        ("Reports to", [r.reports_to.title if r.reports_to else NONE for r in roles]),
        ("Employment type", [r.employment_type.label for r in roles]),
        ("FLSA status", [r.flsa_status.label if r.flsa_status else NONE for r in roles]),
        ("Pay range", [pay_range_text(r.pay_range, voice) if r.pay_range else NONE for r in roles]),
        ("Duties", [str(r.duty_count) for r in roles]),
    ]
    facts = [
        {"label": label, "by_role": values, "differ": len(set(values)) > 1} for label, values in facts_rows
    ]

    areas = []
    for area_id, area in session.catalogue.areas.items():
        cells = [[terms(d) for d in r.duties_in(area_id)] for r in roles]
        if any(cells):
            areas.append({"id": area_id, "name": area.name, "cells": cells})

    focus = []
    for k, role in enumerate(roles):
        counts = {a["name"]: len(a["cells"][k]) for a in areas if a["cells"][k]}
        top = max(counts.values(), default=0)
        leading = [name for name, n in counts.items() if n == top]
        only = [
            a["name"]
            for a in areas
            if a["cells"][k] and not any(a["cells"][j] for j in range(len(roles)) if j != k)
        ]
        focus.append(
            {
                "title": role.title,
                "summary": terms(_first_sentence(role.summary)),
                "leading": leading if len(leading) < len(counts) else [],
                "even": len(counts) > 1 and len(leading) == len(counts),
                "leading_count": top,
                "total": role.duty_count,
                "areas": len(counts),
                "only": only,
            }
        )

    ids = {r.id for r in roles}
    relations = [
        {"role": r.title, "manager": r.reports_to.title}
        for r in roles
        if r.reports_to is not None and r.reports_to.id in ids
    ]
    return {
        "titles": [r.title for r in roles],
        "facts": facts,
        "same": [f["label"] for f in facts if not f["differ"] and f["label"] != "Duties"],
        "areas": areas,
        "focus": focus,
        "relations": relations,
    }


def comparison_context(session: Session, roles: Sequence[Role]) -> dict[str, Any]:
    config, terms = session.config, session.terms
    return {
        **base_context(config, terms, today=session.today),
        "roles": [role_view(r, config, terms) for r in roles],
        "comparison": View(comparison_data(session, roles)),
    }


def resolve_roles(session: Session, names: Sequence[str | Role]) -> list[Role]:
    roles: list[Role] = []
    for name in names:
        role = name if isinstance(name, Role) else session.role(name)
        if role.id in {r.id for r in roles}:
            raise UsageError(f"role `{role.id}` is named twice", hint="name each role to compare once")
        roles.append(role)
    if len(roles) < 2:
        raise UsageError("name at least two roles to compare", hint="hrdocs compare executive generalist")
    return roles


def comparison_stem(roles: Sequence[Role]) -> str:
    return "-vs-".join(r.id for r in roles)
