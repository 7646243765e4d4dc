"""The comparison: two or more roles side by side, one column per role, one row per duty area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hrdocs.compare import comparison_context, comparison_stem
from hrdocs.errors import Problem, ValidationFailed
from hrdocs.fields import Field
from hrdocs.kinds.base import Kind, Lines, Prepared
from hrdocs.kinds.generic import validate_fields

if TYPE_CHECKING:
    from hrdocs.session import Session

NAME = "comparison"


def _validate(
    session: Session, kind: Kind, raw: Mapping[str, Any], source: str, lines: Lines
) -> dict[str, Any]:
    data = validate_fields(session, kind, raw, source, lines)
    roles = data["roles"]
    ids = [r.id for r in roles]
    problem = None
    if len(set(ids)) != len(ids):
        problem = "names a role twice; name each role to compare once"
    elif len(roles) < 2:
        problem = "name at least two roles to compare (e.g. executive, generalist)"
    if problem:
        raise ValidationFailed([Problem(source, lines.get("roles"), "roles", problem)], what=source)
    return data


def _prepare(session: Session, kind: Kind, data: dict[str, Any]) -> Prepared:
    roles = data["roles"]
    joined = ",".join(r.id for r in roles)
    return Prepared(
        comparison_context(session, roles), {"roles": comparison_stem(roles)}, {"roles": joined}, [], None
    )


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    ids = [r.id for r in session.catalogue.all()]
    return [{"roles": ids[:2]}, {"roles": ids[:3]}] if len(ids) >= 2 else []


COMPARISON = Kind(
    name=NAME,
    short="comparison",
    title="role comparison",
    aliases=("comparisons", "compare"),
    fields=(
        Field(
            "roles",
            "roles",
            "Two or more catalogue roles, comma-separated.",
            '"executive, generalist"',
            required=True,
            flag=False,
        ),
    ),
    validate=_validate,
    prepare=_prepare,
    samples=_samples,
    folder="comparisons",
    file_name="{roles}",
    lint="text",
)
