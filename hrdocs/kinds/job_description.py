"""The job description: a catalogue role's duties, qualifications and facts, for internal use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hrdocs.context import jd_context
from hrdocs.fields import Field
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.generic import validate_fields
from hrdocs.language import LANGUAGE, LANGUAGE_FIELD

if TYPE_CHECKING:
    from hrdocs.session import Session

NAME = "job-description"
ROLE = Field(
    "role",
    "role",
    "The catalogue role: an id, alias, unique prefix or title (`hrdocs roles` lists them).",
    "generalist",
    "role_id job job_name job_profile requisition job_requisition posting posting_title position",
    required=True,
    flag=False,
)
"""The one field of a job description, and of a posting (which adds its own)."""


def _prepare(session: Session, kind: Kind, data: dict[str, Any]) -> Prepared:
    role = data["role"]
    context = jd_context(role, session.config, session.terms, today=session.today)
    names = {"role": role.id, "title": role.title, "department": role.department}
    meta = {"role": role.id, **({LANGUAGE: data[LANGUAGE]} if data.get(LANGUAGE) else {})}
    return Prepared(context, names, meta, [], role.id)


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    return [{"role": role.id} for role in session.catalogue.all()]


JOB_DESCRIPTION = Kind(
    name=NAME,
    short="jd",
    title="job description",
    aliases=("job-descriptions", "jds", "description"),
    fields=(ROLE, LANGUAGE_FIELD),
    validate=validate_fields,
    prepare=_prepare,
    samples=_samples,
    folder="job-descriptions",
    file_name="{role}",
    lint="job-description",
    takes_role=True,
)
