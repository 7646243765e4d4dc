"""What every letter kind shares: who it is for, the role, the signatory, and their template data.

The choices and typed models of offer and denial letters live here, with the candidate's fields (the
first fields of every letter kind) and the checks the letter kinds make alike. The template data that
is the same for every letter of a session (the company, the role views) is built once per session, so
that a batch of ten thousand letters pays for it once.
"""

from __future__ import annotations

import datetime as dt
import weakref
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field

from hrdocs.context import View, base_context, layered, role_view
from hrdocs.errors import UnknownName
from hrdocs.fields import Email, Lines, ManyLines, Model, Money, OneLine, Problems, choice
from hrdocs.fields import Field as Input
from hrdocs.kinds.generic import role_problem
from hrdocs.language import HONORIFICS, LANGUAGE, LANGUAGE_FIELD, HonorificChoice, family_name
from hrdocs.models import EmploymentType, FlsaStatus, PayPeriod, Signatory
from hrdocs.session import per_session
from hrdocs.writers import DATE

if TYPE_CHECKING:
    from hrdocs.catalogue import Role
    from hrdocs.session import Session

STANDARD_CONTINGENCIES = ("background-check", "work-authorization", "references", "drug-test")
"""Contingency ids whose wording the built-in offer template holds; a company adds others (and
rewords these) in ``offers.contingency_texts``."""

PERIODS_PER_YEAR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}
FULL_TIME_HOURS = Decimal(40)
"""Hours per week used to compare an hourly rate with an annual pay range (and the reverse)."""
_ANNUAL_FACTOR = {
    PayPeriod.HOUR: FULL_TIME_HOURS * 52,
    PayPeriod.DAY: Decimal(5 * 52),
    PayPeriod.WEEK: Decimal(52),
    PayPeriod.MONTH: Decimal(12),
    PayPeriod.YEAR: Decimal(1),
}
_CENT = Decimal("0.01")


class Arrangement(StrEnum):
    ON_SITE = "on-site"
    HYBRID = "hybrid"
    REMOTE = "remote"


class PayFrequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"


class Stage(StrEnum):
    """Where a candidate's application ended; each stage has its own wording in the template."""

    APPLICATION = "application"
    INTERVIEW = "interview"
    FINAL_ROUND = "final-round"
    FILLED = "filled"
    CANCELLED = "cancelled"


# ------------------------------------------------------------------------------------ choices
FlsaChoice = Annotated[FlsaStatus, BeforeValidator(choice({"nonexempt": "non-exempt"}))]
EmploymentChoice = Annotated[
    EmploymentType,
    BeforeValidator(choice({"fulltime": "full-time", "parttime": "part-time", "temp": "temporary"})),
]
ArrangementChoice = Annotated[
    Arrangement,
    BeforeValidator(choice({"onsite": "on-site", "in-office": "on-site", "office": "on-site"})),
]
FrequencyChoice = Annotated[
    PayFrequency,
    BeforeValidator(
        choice({"bi-weekly": "biweekly", "semi-monthly": "semimonthly", "fortnightly": "biweekly"})
    ),
]
StageChoice = Annotated[
    Stage,
    BeforeValidator(
        choice(
            {
                "applied": "application",
                "interviewed": "interview",
                "final": "final-round",
                "final-interview": "final-round",
                "canceled": "cancelled",
                "position-filled": "filled",
                "position-cancelled": "cancelled",
            }
        )
    ),
]


# ----------------------------------------------------------------------------------------- models
class Candidate(Model):
    """The person a letter is addressed to. Names appear exactly as given."""

    name: OneLine
    """Full name as it should be printed."""
    preferred_name: OneLine | None = None
    first_name: OneLine | None = None
    last_name: OneLine | None = None
    address: Lines = ()
    email: Email | None = None
    honorific: str | None = None
    """A key of :data:`hrdocs.language.HONORIFICS`, as given: never guessed from the name."""
    language: str | None = None
    """The letter's language tag, when the data asks for one (else ``voice.language``)."""

    @property
    def salutation_name(self) -> str:
        """The name after "Dear" in a warm or plain letter; the full name when no other is given."""
        return self.preferred_name or self.first_name or self.name

    @property
    def family_name(self) -> str:
        """The name after the title in a formal salutation (the rule: :func:`hrdocs.language.family_name`)."""
        return family_name(self.name, self.last_name)


class PayBasis(StrEnum):
    SALARY = "salary"
    HOURLY = "hourly"


class Pay(Model):
    basis: PayBasis
    amount: Decimal = Field(gt=0)
    """The annual salary, or the hourly rate."""
    frequency: PayFrequency
    hours_per_week: Decimal | None = None
    """Only when the letter states it (part-time work, or a schedule for an hourly role)."""

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR[self.frequency.value]

    @property
    def per_period(self) -> Decimal | None:
        """A salary per pay period, rounded to the cent; ``None`` for hourly pay."""
        if self.basis is not PayBasis.SALARY:
            return None
        return (self.amount / self.periods_per_year).quantize(_CENT, rounding=ROUND_HALF_UP)

    def per(self, period: PayPeriod) -> Decimal:
        """The pay as a full-time amount per ``period``, to compare like with like with a pay range."""
        annual = (
            self.amount if self.basis is PayBasis.SALARY else self.amount * _ANNUAL_FACTOR[PayPeriod.HOUR]
        )
        return annual / _ANNUAL_FACTOR[period]


class OfferInput(Model):
    """Everything an offer letter says, complete and checked: made by :func:`validate_offer`."""

    candidate: Candidate
    role: str
    """The catalogue id of the role."""
    title: OneLine
    department: OneLine
    reports_to: OneLine | None = None
    flsa_status: FlsaStatus
    employment_type: EmploymentType
    start: dt.date
    pay: Pay
    bonus: ManyLines | None = None
    equity: ManyLines | None = None
    sign_on: Money | None = None
    location: OneLine
    arrangement: Arrangement
    manager: OneLine
    contingencies: tuple[str, ...] = ()
    date: dt.date
    """The letter date."""
    expiry: dt.date
    signatory: Signatory


class DenialInput(Model):
    """Everything a denial letter says, complete and checked: made by :func:`validate_denial`."""

    candidate: Candidate
    role: str
    title: OneLine
    stage: Stage
    date: dt.date
    reapply: bool
    """Whether the letter invites the candidate to apply again."""
    signatory: Signatory


# -------------------------------------------------------------------------------- the input, declared
CANDIDATE_FIELDS: tuple[Input, ...] = (
    Input("candidate", "text", "Full name, printed exactly as given.", '"Jane Q. Doe"',
          "name full_name candidate_name candidate_full_name applicant applicant_name legal_name person",
          required=True),
    Input("preferred_name", "text",
          'Name after "Dear" in warm and plain letters (default: first_name, else the full name).', "Jane",
          "preferred_first_name nickname known_as goes_by"),
    Input("first_name", "text", "Given name, if you keep it apart (with last_name, instead of candidate).",
          "Jane", "firstname given_name forename candidate_first_name legal_first_name"),
    Input("last_name", "text", "Family name, if you keep it apart (formal salutations use it).", "Doe",
          "lastname surname family_name candidate_last_name legal_last_name"),
    Input("honorific", "choice",
          "Title for a formal salutation (Ms, Mr, Mx, Dr, none, or Frau, Herr, Madame, Monsieur, Sra., Sr., "
          "mevrouw, meneer); none given: a gender-neutral one with the full name.", "Ms",
          "title_of_address salutation_title prefix name_prefix courtesy_title",
          choices=tuple(HONORIFICS), parser=HonorificChoice),
    Input("address", "lines",
          "Postal address, printed under the name: one line each (--address once per line).",
          '--address "12 Elm St" --address "Denver, CO 80202"',
          "mailing_address home_address postal_address candidate_address"),
    Input("email", "email", "E-mail address, printed under the postal address.", "jane.doe@example.org",
          "e_mail email_address candidate_email candidate_email_address personal_email primary_email "
          "primary_email_address emails"),
    Input("role", "role", "The catalogue role: an id, alias, unique prefix or title (`hrdocs roles`).",
          "generalist", "role_id job job_name job_profile requisition job_requisition posting posting_title "
          "position", required=True, flag=False),
)  # fmt: skip
"""Who the letter is for and which role it is about: every letter kind's first fields."""

TITLE = "job_title position_title offer_title business_title"
"""The column names of a letter's job title."""
LETTER_COMMON: tuple[Input, ...] = (
    # flag=False: the global --date, which may stand before or after the command
    Input("date", "date", "Letter date (default: the global --date, else today).", "2026-12-01",
          "letter_date offer_date sent_date send_date", flag=False),
    Input("signatory", "text", 'Who signs, as "Name, Title" (default: voice.signatory).',
          '"Morgan Lee, Director of People"', "signer signed_by"),
    LANGUAGE_FIELD,
)  # fmt: skip


# ------------------------------------------------------------------------------ checks alike
def candidate_of(f: Any, problems: Problems) -> Candidate | None:
    name = f.candidate or " ".join(n for n in (f.first_name, f.last_name) if n)
    if not name:
        if "candidate" not in problems.fields:
            problems.add("candidate", "required, but missing (the candidate's full name)")
        return None
    return Candidate(
        name=name,
        preferred_name=f.preferred_name,
        first_name=f.first_name,
        last_name=f.last_name,
        address=f.address or (),
        email=f.email,
        honorific=f.honorific,
        language=f.language,
    )


def role_of(f: Any, session: Session, problems: Problems) -> Role | None:
    if f.role is None:
        if "role" not in problems.fields:
            problems.add("role", "required, but missing (a role id or alias; `hrdocs roles` lists them)")
        return None
    try:
        return session.role(f.role)
    except UnknownName as exc:  # never quoted: a letter's role column may hold anything
        problems.add("role", role_problem(exc, shown=False))
        return None


def signatory_of(text: str | None, session: Session, problems: Problems) -> Signatory | None:
    if text:
        name, comma, title = text.partition(",")
        if not comma or not name.strip() or not title.strip():
            problems.add("signatory", 'write it as "Name, Title", e.g. "Morgan Lee, Director of People"')
            return None
        return Signatory(name=name.strip(), title=title.strip())
    signatory = session.config.settings.voice.signatory
    if signatory is None and "signatory" not in problems.fields:
        problems.add(
            "signatory",
            "required: the company voice names no signatory "
            "(set voice.signatory in hrdocs.yaml, or give one for this letter)",
        )
    return signatory


# --------------------------------------------------------------------------------------- warnings


# ---------------------------------------------------------------------------------- template data
class Shared:
    """Template data that is the same for every letter of a session, built once (batches)."""

    def __init__(self, session: Session) -> None:
        config = session.config
        settings = config.settings
        base = base_context(config, session.terms, today=session.today)
        offers, denials, postings = settings.offers, settings.denials, settings.postings
        base["offers"] = View(
            {
                "at_will": offers.at_will,
                "expiry_days": offers.expiry_days,
                "pay_frequency": offers.pay_frequency,
            }
        )
        base["denials"] = View({"invite_reapply": denials.invite_reapply})
        base["postings"] = View({"apply_url": postings.apply_url, "apply_email": postings.apply_email})
        self.base = base
        self.contingency_texts = {c.id: session.terms(c.text) for c in offers.contingency_texts}
        self.roles: dict[str, View] = {}
        self._session = weakref.ref(session)

    def role(self, role: Role) -> View:
        view = self.roles.get(role.id)
        if view is None:
            session = self._session()
            assert session is not None
            view = self.roles[role.id] = role_view(role, session.config, session.terms)
        return view


shared = per_session(Shared)
"""The letters' common template data of a session, built once."""


def candidate_view(candidate: Candidate) -> View:
    return View({**candidate.model_dump(), "salutation_name": candidate.salutation_name})


def role_with(shared: Shared, role: Role, **overrides: Any) -> View:
    return layered(shared.role(role), **overrides)


def letter_meta(data: OfferInput | DenialInput) -> dict[str, str]:
    """The notes a letter's document carries for the writers (``Document.meta``): its role, its stage
    (denials) and its own date, which the DOCX core properties carry instead of the day it is written,
    so that the same letter data gives the same bytes on any day (see :data:`hrdocs.writers.DATE`)."""
    meta = {"role": data.role, DATE: data.date.isoformat()}
    if data.candidate.language:
        meta[LANGUAGE] = data.candidate.language
    if isinstance(data, DenialInput):
        meta["stage"] = data.stage.value
    return meta


def person_names(candidate: Candidate) -> dict[str, str]:
    """The candidate's names a file-name pattern may use (``{candidate.last_name}``)."""
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


def sample_person(session: Session) -> dict[str, Any]:
    """A made-up candidate for the samples every letter kind shows (``hrdocs templates vars``)."""
    person: dict[str, Any] = {
        "candidate": "Jane Q. Doe",
        "preferred_name": "Jane",
        "address": ["12 Elm Street", "Denver, CO 80202"],
        "email": "jane.doe@example.org",
    }
    if session.config.settings.voice.signatory is None:
        person["signatory"] = "Morgan Lee, Director of People"
    return person
