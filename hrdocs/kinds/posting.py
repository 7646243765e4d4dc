"""The job posting: the candidate-facing text of a role, checked against pay-transparency law.

A role without a pay range is refused where a rule in force requires one (see :mod:`hrdocs.postings`),
at validation, so that a batch of postings reports it as the row's problem and writes nothing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.fields import Field
from hrdocs.kinds.base import Kind, Lines, Prepared
from hrdocs.kinds.generic import validate_fields
from hrdocs.kinds.job_description import ROLE
from hrdocs.language import LANGUAGE, LANGUAGE_FIELD
from hrdocs.models import LOCALE, Location
from hrdocs.postings import Posting, Postings
from hrdocs.session import per_session

if TYPE_CHECKING:
    from hrdocs.session import Session

NAME = "posting"


_postings = per_session(Postings)


def _validate(session: Session, kind: Kind, raw: Mapping[str, Any], source: str, lines: Lines) -> Posting:
    data = validate_fields(session, kind, raw, source, lines)
    location = None
    if data["location"]:
        try:
            location = Location.model_validate(
                data["location"], context={LOCALE: session.config.settings.voice.locale}
            )
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            problem = Problem(source, lines.get("location"), "location", message)
            raise ValidationFailed([problem], what=source) from None
    until = data["valid_through"]
    if until is not None and until < session.today:
        problem = Problem(
            source, lines.get("valid_through"), "valid_through", f"is before the posting date {session.today}"
        )
        raise ValidationFailed([problem], what=source)
    posting = _postings(session).make(
        data["role"], location=location, valid_through=until, no_pay_range=bool(data["no_pay_range"])
    )
    posting.language = data[LANGUAGE]
    return posting


def _prepare(session: Session, kind: Kind, posting: Posting) -> Prepared:
    names = {"role": posting.role.id, "location": posting.location, "title": posting.role.title}
    meta = {**posting.meta, **({LANGUAGE: posting.language} if posting.language else {})}
    return Prepared(posting.context, names, meta, list(posting.warnings), posting.role.id)


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    roles = [r for r in session.catalogue.all()[:3] if r.locations]
    return [{"role": r.id, "no_pay_range": True} for r in roles]


POSTING = Kind(
    name=NAME,
    short="posting",
    title="job posting",
    aliases=("postings", "job-posting", "job-postings", "ad"),
    fields=(
        ROLE,
        Field(
            "location",
            "text",
            'One place: "Denver, CO", "Berlin, Germany" or "Remote (US)" (default: the role\'s locations).',
            '"Remote (US)"',
        ),
        Field("valid_through", "date", "The last day applications are taken.", "2027-01-31", "deadline"),
        Field(
            "no_pay_range",
            "yes/no",
            "Post a role without a pay range even where a pay-transparency rule requires one.",
            "no",
            flag=False,  # --no-pay-range
        ),
        LANGUAGE_FIELD,
    ),
    validate=_validate,
    prepare=_prepare,
    samples=_samples,
    folder="postings",
    file_name="{role}-{location}",
    lint="posting",
    formats=("html",),
    structured=True,
    takes_role=True,
)
