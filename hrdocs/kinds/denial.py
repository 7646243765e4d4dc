"""The denial letter: its fields, its checks, and what ``denial-letter`` templates see.

Neutral and short: it thanks the candidate, gives no reason and compares them with no one. Its one
choice of wording is the stage the application ended at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hrdocs.context import View
from hrdocs.fields import Field as Input
from hrdocs.fields import Problems, flat_model, normalize_fields
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.letter import (
    CANDIDATE_FIELDS,
    LETTER_COMMON,
    TITLE,
    DenialInput,
    Stage,
    StageChoice,
    candidate_of,
    candidate_view,
    letter_meta,
    person_names,
    role_of,
    role_with,
    sample_person,
    shared,
    signatory_of,
)
from hrdocs.kinds.localized import letter_view

if TYPE_CHECKING:
    from hrdocs.session import Session

NAME = "denial-letter"

DENIAL_FIELDS: tuple[Input, ...] = (
    *CANDIDATE_FIELDS,
    Input("stage", "choice", "Where the application ended; each stage has its own wording.", "interview",
          "rejection_stage rejected_at rejected_stage last_stage current_stage",
          required=True, choices=tuple(s.value for s in Stage), parser=StageChoice),
    Input("title", "text", "Job title (default: the role's).", '"Talent Partner"', TITLE),
    # flag=False: --reapply/--no-reapply
    Input("reapply", "yes/no", "Invite the candidate to apply again (default: denials.invite_reapply).",
          "no", "invite_reapply invite_to_reapply may_reapply", flag=False),
    *LETTER_COMMON,
)  # fmt: skip
"""A denial's input, declared once."""

DenialFields = flat_model("DenialFields", DENIAL_FIELDS)
DENIAL_NAMES = tuple(f.name for f in DENIAL_FIELDS)


def validate_denial(
    raw: Mapping[str, Any],
    *,
    session: Session,
    source: str = "input",
    lines: Mapping[str, int | None] | None = None,
) -> DenialInput:
    """A raw mapping (flags, a data file, a CSV row) -> a complete denial, or every problem at once."""
    problems = Problems(source, lines, DENIAL_NAMES)
    f: Any = problems.parse(DenialFields, normalize_fields(raw))
    candidate = candidate_of(f, problems)
    role = role_of(f, session, problems)
    signatory = signatory_of(f.signatory, session, problems)
    if f.stage is None and "stage" not in problems.fields:
        problems.add("stage", f"required, but missing (one of {', '.join(s.value for s in Stage)})")
    problems.raise_if_any()
    assert candidate and role and f.stage and signatory
    return DenialInput(
        candidate=candidate,
        role=role.id,
        title=f.title or role.title,
        stage=f.stage,
        date=f.date or session.today,
        reapply=f.reapply if f.reapply is not None else session.config.settings.denials.invite_reapply,
        signatory=signatory,
    )


def denial_context(session: Session, data: DenialInput) -> dict[str, Any]:
    """What ``denial-letter.md.j2`` sees (documented in docs/letters.md)."""
    common = shared(session)
    role = session.role(data.role)
    return {
        **common.base,
        "today": data.date,
        "letter": letter_view(session, NAME, data),
        "candidate": candidate_view(data.candidate),
        "signatory": View(data.signatory.model_dump()),
        "role": role_with(common, role, title=data.title),
        "denial": View({"stage": data.stage.value, "reapply": data.reapply}),
    }


def _prepare(session: Session, kind: Kind, data: DenialInput) -> Prepared:
    names = {
        **person_names(data.candidate),
        "role": data.role,
        "title": data.title,
        "date": data.date.isoformat(),
        "stage": data.stage.value,
    }
    return Prepared(denial_context(session, data), names, letter_meta(data), [], data.role)


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    roles = session.catalogue.all()
    return [{**sample_person(session), "role": roles[0].id, "stage": "interview"}] if roles else []


DENIAL = Kind(
    name=NAME,
    short="denial",
    title="denial letter",
    aliases=("denials", "denial-letters", "rejection", "rejection-letter", "reject", "rejections"),
    fields=DENIAL_FIELDS,
    validate=lambda session, kind, raw, source, lines: validate_denial(
        raw, session=session, source=source, lines=lines
    ),
    prepare=_prepare,
    samples=_samples,
    folder="denials",
    file_name="{kind}-{candidate}-{role}",
    lint="denial",
    private=True,
    takes_role=True,
)
