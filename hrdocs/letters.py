"""Offer and denial letters: typed input, validation, template context, documents.

A letter is a record sent to a person, so it must be right or not exist. Input arrives as a flat
mapping — from command-line flags, a YAML/JSON data file, or (in batches) a CSV row — and is checked
in two steps, every problem collected before anything is written:

1. :class:`OfferFields` / :class:`DenialFields` parse each field on its own (types, dates, amounts,
   names with any characters but no control characters Word cannot store; unknown keys are errors);
2. :func:`validate_offer` / :func:`validate_denial` check the fields against each other, the role
   catalogue and the company settings, fill the defaults, and return a complete :class:`OfferInput` /
   :class:`DenialInput`, or raise :class:`~hrdocs.errors.ValidationFailed` naming every bad field.

No clause text lives here: the wording is in ``templates/offer-letter.md.j2`` and
``templates/denial-letter.md.j2`` and in the company settings (``offers.contingency_texts``). Errors
and warnings name fields, never the salary, address or other personal values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from hrdocs.context import View, base_context, layered, role_view
from hrdocs.docmodel import Document
from hrdocs.errors import Problem, UnknownName, ValidationFailed
from hrdocs.formatting import pay_range_text
from hrdocs.loader import problems_from, read_yaml
from hrdocs.models import EmploymentType, FlsaStatus, OfferSettings, PayPeriod, Signatory
from hrdocs.output import slug
from hrdocs.writers import DATE

if TYPE_CHECKING:
    from pathlib import Path

    from hrdocs.api import Session, Written
    from hrdocs.catalogue import Role

OFFER_KIND = "offer-letter"
DENIAL_KIND = "denial-letter"

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


# ------------------------------------------------------------------------------------ field types
# Word stores XML 1.0 text: C0 controls (other than tab and line breaks) and U+FFFE/U+FFFF cannot be
# stored at all; C1 controls and lone surrogates are refused as well, since they are never part of a
# name. U+E000/U+E001 are the value fences of hrdocs.environment.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000\ue001]")
_BREAK = re.compile("[\t\n\r\x85\u2028\u2029]")


def _check_chars(text: str, *, one_line: bool) -> str:
    bad = _BAD_CHAR.search(text)
    if bad:
        char = bad.group(0)
        code = f"U+{ord(char):04X}"
        if char in "\ue000\ue001":
            raise ValueError(f"contains the character {code}, which hrdocs reserves for its own use")
        if "\ud800" <= char <= "\udfff":
            raise ValueError(f"contains {code}, which is not a valid character (check the file's encoding)")
        raise ValueError(f"contains the control character {code}, which Word cannot store; remove it")
    if one_line and _BREAK.search(text):
        raise ValueError("must be a single line (it contains a line break or tab)")
    return text


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("must be text (in YAML, put yes, no, on or off in quotes)")
    if not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be text")
    return str(value)


def _one_line(value: Any) -> str:
    return _check_chars(_as_text(value), one_line=True).strip()


def _many_lines(value: Any) -> str:
    text = _check_chars(_as_text(value), one_line=False)
    return "\n".join(
        line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ).strip()


def _lines(value: Any) -> tuple[str, ...]:
    """A list of lines, or one text whose lines are split: an address."""
    items = value if isinstance(value, list | tuple) else _many_lines(value).split("\n")
    out = []
    for item in items:
        line = _one_line(item)
        if line:
            out.append(line)
    return tuple(out)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: Any) -> str:
    text = _one_line(value)
    if not _EMAIL.match(text):
        raise ValueError("is not an e-mail address (write it like name@example.com)")
    return text


_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        if text.startswith("-"):
            raise ValueError("must be a positive amount")
        if _GROUPED_NUMBER.match(text):
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.match(text):
            raise ValueError("must be a number, written like 72000 or 72000.50 (no currency sign)")
        number = Decimal(text)
    else:
        raise ValueError("must be a number")
    if not number.is_finite():
        raise ValueError("must be a number")
    if number <= 0:
        raise ValueError("must be a positive amount")
    return number


def _money(value: Any) -> Decimal:
    number = _number(value)
    if number >= Decimal("1e12"):
        raise ValueError("is too large to be right; check the figure")
    if number != number.quantize(_CENT, rounding=ROUND_HALF_UP):
        raise ValueError("must have at most two decimal places")
    return number


def _hours(value: Any) -> Decimal:
    number = _number(value)
    if number > 80:
        raise ValueError("must be at most 80 hours a week")
    return number


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("must be a date written as YYYY-MM-DD, e.g. 2027-01-04")


def _choice(aliases: Mapping[str, str]) -> Callable[[Any], Any]:
    """Lenient spelling of a choice: case, spaces and underscores ignored; a few aliases."""

    def normalize(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = re.sub(r"[\s_]+", "-", value.strip().lower())
        return aliases.get(key, key)

    return normalize


def _id_list(value: Any) -> tuple[str, ...]:
    """``[background-check, references]``, ``"background-check, references"`` or ``none``."""
    items = value if isinstance(value, list | tuple) else re.split(r"[,;\n]", _as_text(value))
    ids = [_one_line(i).lower().replace("_", "-").replace(" ", "-") for i in items]
    ids = [i for i in ids if i]
    if ids in (["none"], ["no"], ["-"]):
        return ()
    for item in ids:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", item):
            raise ValueError("must be a list of ids such as background-check, references (or none)")
    return tuple(dict.fromkeys(ids))


_TRUE = {"yes", "y", "true", "1", "on"}
_FALSE = {"no", "n", "false", "0", "off"}


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("must be yes or no")


OneLine = Annotated[str, BeforeValidator(_one_line), Field(min_length=1)]
ManyLines = Annotated[str, BeforeValidator(_many_lines), Field(min_length=1)]
Lines = Annotated[tuple[str, ...], BeforeValidator(_lines)]
Email = Annotated[str, BeforeValidator(_email)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Hours = Annotated[Decimal, BeforeValidator(_hours)]
Day = Annotated[dt.date, BeforeValidator(_day)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
FlsaChoice = Annotated[FlsaStatus, BeforeValidator(_choice({"nonexempt": "non-exempt"}))]
EmploymentChoice = Annotated[
    EmploymentType,
    BeforeValidator(_choice({"fulltime": "full-time", "parttime": "part-time", "temp": "temporary"})),
]
ArrangementChoice = Annotated[
    Arrangement,
    BeforeValidator(_choice({"onsite": "on-site", "in-office": "on-site", "office": "on-site"})),
]
FrequencyChoice = Annotated[
    PayFrequency,
    BeforeValidator(
        _choice({"bi-weekly": "biweekly", "semi-monthly": "semimonthly", "fortnightly": "biweekly"})
    ),
]
StageChoice = Annotated[
    Stage,
    BeforeValidator(
        _choice(
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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ----------------------------------------------------------------------------------------- models
class Candidate(_Model):
    """The person a letter is addressed to. Names appear exactly as given."""

    name: OneLine
    """Full name as it should be printed."""
    preferred_name: OneLine | None = None
    first_name: OneLine | None = None
    last_name: OneLine | None = None
    address: Lines = ()
    email: Email | None = None

    @property
    def salutation_name(self) -> str:
        """The name after "Dear" in a warm or plain letter; the full name when no other is given."""
        return self.preferred_name or self.first_name or self.name


class PayBasis(StrEnum):
    SALARY = "salary"
    HOURLY = "hourly"


class Pay(_Model):
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


class OfferInput(_Model):
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


class DenialInput(_Model):
    """Everything a denial letter says, complete and checked: made by :func:`validate_denial`."""

    candidate: Candidate
    role: str
    title: OneLine
    stage: Stage
    date: dt.date
    reapply: bool
    """Whether the letter invites the candidate to apply again."""
    signatory: Signatory


# ------------------------------------------------------------------------ what a user writes (flat)
class _CandidateFields(_Model):
    candidate: OneLine | None = None
    preferred_name: OneLine | None = None
    first_name: OneLine | None = None
    last_name: OneLine | None = None
    address: Lines | None = None
    email: Email | None = None
    role: OneLine | None = None
    title: OneLine | None = None


class OfferFields(_CandidateFields):
    """An offer's fields as flags, a data file or a CSV row give them: each parsed, none required yet."""

    department: OneLine | None = None
    reports_to: OneLine | None = None
    flsa_status: FlsaChoice | None = None
    employment_type: EmploymentChoice | None = None
    start: Day | None = None
    salary: Money | None = None
    hourly_rate: Money | None = None
    pay_frequency: FrequencyChoice | None = None
    hours_per_week: Hours | None = None
    bonus: ManyLines | None = None
    equity: ManyLines | None = None
    sign_on: Money | None = None
    location: OneLine | None = None
    arrangement: ArrangementChoice | None = None
    manager: OneLine | None = None
    contingencies: IdList | None = None
    expiry: Day | None = None
    date: Day | None = None
    signatory: OneLine | None = None


class DenialFields(_CandidateFields):
    """A denial's fields as flags, a data file or a CSV row give them."""

    stage: StageChoice | None = None
    reapply: YesNo | None = None
    date: Day | None = None
    signatory: OneLine | None = None


OFFER_FIELDS: tuple[str, ...] = tuple(OfferFields.model_fields)
DENIAL_FIELDS: tuple[str, ...] = tuple(DenialFields.model_fields)
_NAME_KEYS = {"name": "candidate", "full_name": "candidate"}


@functools.lru_cache(maxsize=1024)
def field_key(key: Any) -> str:
    """``Preferred name`` / ``preferred-name`` -> ``preferred_name``. Remembered: a batch spells the
    same keys on every row."""
    return _KEY_GAPS.sub("_", str(key).strip().lower())


_KEY_GAPS = re.compile(r"[\s-]+")


def normalize_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Keys spelled as fields, empty values dropped, a nested ``candidate: {name: …}`` flattened."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = field_key(key)
        if name == "candidate" and isinstance(value, Mapping):
            for sub_key, sub_value in value.items():
                sub = field_key(sub_key)
                if not _blank(sub_value):
                    out[_NAME_KEYS.get(sub, sub)] = sub_value
        elif not _blank(value):
            out[name] = value
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------------- validation
class _Problems:
    """Collects problems for one input, each located by field (and line, for a data file)."""

    def __init__(self, source: str, lines: Mapping[str, int | None] | None, order: Sequence[str]) -> None:
        self.source = source
        self.lines = lines or {}
        self.order = {name: i for i, name in enumerate(order)}
        self.items: list[Problem] = []

    def add(self, field: str, message: str, *, source: str | None = None) -> None:
        top = field.split(".")[0].split("[")[0]
        line = None if source else self.lines.get(top)
        self.items.append(Problem(source or self.source, line, field, message))

    @property
    def fields(self) -> set[str]:
        """The top-level fields that already have a problem (so a missing one is not reported twice)."""
        return {(p.field or "").split(".")[0].split("[")[0] for p in self.items}

    def parse(self, model: type[BaseModel], data: dict[str, Any]) -> Any:
        """Validate ``data`` into ``model``; a bad field is reported and left out, the rest kept."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            bad: set[str] = set()
            for err, problem in zip(exc.errors(), problems_from(exc, self.source, None), strict=True):
                top = str(err["loc"][0]) if err["loc"] else ""
                bad.add(top)
                message = problem.message
                if message == "unknown key":
                    close = difflib.get_close_matches(top, self.order, n=1, cutoff=0.6)
                    message += (
                        f" (did you mean `{close[0]}`?)" if close else " (see docs/letters.md for the fields)"
                    )
                self.add(problem.field or top, message)
            return model.model_validate({k: v for k, v in data.items() if k not in bad})

    def raise_if_any(self) -> None:
        if self.items:
            last = len(self.order)
            ordered = sorted(self.items, key=lambda p: self.order.get((p.field or "").split("[")[0], last))
            raise ValidationFailed(ordered, what=self.source)


def validate_offer(
    raw: Mapping[str, Any],
    *,
    session: Session,
    source: str = "input",
    lines: Mapping[str, int | None] | None = None,
) -> OfferInput:
    """A raw mapping (flags, a data file, a CSV row) -> a complete offer, or every problem at once.

    ``source`` names where the data came from (``jane.yaml``, ``offers.csv:12``) and ``lines`` the line
    of each field in it, so that problems read ``source:line: field: message``. Defaults come from the
    role in the catalogue and from the company settings (``offers:``). Nothing is written here.
    """
    problems = _Problems(source, lines, OFFER_FIELDS)
    f: OfferFields = problems.parse(OfferFields, normalize_fields(raw))
    offers = session.config.settings.offers

    candidate = _candidate(f, problems)
    role = _role(f, session, problems)
    signatory = _signatory(f.signatory, session, problems)
    letter_date = f.date or session.today
    flsa = f.flsa_status or (role.flsa_status if role else None)
    pay = _pay(f, flsa, offers, problems)
    _check_start(f.start, letter_date, session.today, problems)
    expiry = f.expiry or letter_date + dt.timedelta(days=offers.expiry_days)
    if expiry < letter_date:
        problems.add("expiry", f"must not be before the letter date ({letter_date.isoformat()})")
    location = _location(f.location, role, problems)
    arrangement = f.arrangement or (
        Arrangement.REMOTE if location and re.match(r"(?i)\s*remote\b", location) else Arrangement.ON_SITE
    )
    if f.manager is None and "manager" not in problems.fields:
        problems.add("manager", "required, but missing (the hiring manager's name)")
    contingencies = _contingencies(f.contingencies, session, problems)

    problems.raise_if_any()
    assert candidate and role and pay and f.start and location and f.manager and signatory and flsa
    return OfferInput(
        candidate=candidate,
        role=role.id,
        title=f.title or role.title,
        department=f.department or role.department,
        reports_to=f.reports_to or (role.reports_to.title if role.reports_to else None),
        flsa_status=flsa,
        employment_type=f.employment_type or role.employment_type,
        start=f.start,
        pay=pay,
        bonus=f.bonus,
        equity=f.equity,
        sign_on=f.sign_on,
        location=location,
        arrangement=arrangement,
        manager=f.manager,
        contingencies=contingencies,
        date=letter_date,
        expiry=expiry,
        signatory=signatory,
    )


def _pay(f: OfferFields, flsa: FlsaStatus | None, offers: OfferSettings, problems: _Problems) -> Pay | None:
    if f.salary is not None and f.hourly_rate is not None:
        problems.add("salary", "give either salary or hourly_rate, not both")
        return None
    if f.salary is None and f.hourly_rate is None:
        if "salary" not in problems.fields and "hourly_rate" not in problems.fields:
            problems.add("salary", "required, but missing (an annual salary, or give hourly_rate)")
        return None
    basis = PayBasis.SALARY if f.salary is not None else PayBasis.HOURLY
    amount = f.salary if f.salary is not None else f.hourly_rate
    assert amount is not None
    if basis is PayBasis.HOURLY and flsa is FlsaStatus.EXEMPT and amount < offers.hourly_floor:
        problems.add(
            "hourly_rate",
            f"below the company's floor for an exempt role (offers.hourly_floor: {offers.hourly_floor}); "
            "check the figure, or give an annual salary",
        )
    return Pay(
        basis=basis,
        amount=amount,
        frequency=f.pay_frequency or PayFrequency(offers.pay_frequency),
        hours_per_week=f.hours_per_week,
    )


def _check_start(start: dt.date | None, letter_date: dt.date, today: dt.date, problems: _Problems) -> None:
    if start is None:
        if "start" not in problems.fields:
            problems.add("start", "required, but missing (the first day of work, YYYY-MM-DD)")
    elif start < letter_date:
        problems.add("start", f"must not be before the letter date ({letter_date.isoformat()})")
    elif start < today:
        problems.add("start", f"is in the past (today is {today.isoformat()})")


def _location(given: str | None, role: Role | None, problems: _Problems) -> str | None:
    """The location given, else the role's only one; a role with several needs one named."""
    if given is not None or role is None or "location" in problems.fields:
        return given
    if len(role.locations) == 1:
        return role.locations[0].label
    places = ", ".join(loc.label for loc in role.locations)
    hint = f" (the role's locations: {places})" if places else ""
    problems.add("location", f"required, but missing{hint}")
    return None


def _contingencies(given: tuple[str, ...] | None, session: Session, problems: _Problems) -> tuple[str, ...]:
    """The letter's own list, else the company's; every id must have wording somewhere."""
    offers = session.config.settings.offers
    known = set(STANDARD_CONTINGENCIES) | {c.id for c in offers.contingency_texts}
    chosen = given if given is not None else tuple(offers.contingencies)
    unknown = [c for c in chosen if c not in known]
    if unknown:
        message = (
            f"unknown contingency {', '.join(f'`{u}`' for u in unknown)} (known: {', '.join(sorted(known))}; "
            "add your own in offers.contingency_texts)"
        )
        if given is not None:
            problems.add("contingencies", message)
        else:
            problems.add("offers.contingencies", message, source=str(session.config.source))
    return chosen


def validate_denial(
    raw: Mapping[str, Any],
    *,
    session: Session,
    source: str = "input",
    lines: Mapping[str, int | None] | None = None,
) -> DenialInput:
    """A raw mapping (flags, a data file, a CSV row) -> a complete denial, or every problem at once."""
    problems = _Problems(source, lines, DENIAL_FIELDS)
    f: DenialFields = problems.parse(DenialFields, normalize_fields(raw))
    candidate = _candidate(f, problems)
    role = _role(f, session, problems)
    signatory = _signatory(f.signatory, session, problems)
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


def _candidate(f: _CandidateFields, problems: _Problems) -> Candidate | None:
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
    )


def _role(f: _CandidateFields, session: Session, problems: _Problems) -> Role | None:
    if f.role is None:
        if "role" not in problems.fields:
            problems.add("role", "required, but missing (a role id or alias; `hrdocs roles` lists them)")
        return None
    try:
        return session.role(f.role)
    except UnknownName as exc:
        problems.add("role", exc.message + (f"; {exc.hint}" if exc.hint else ""))
        return None


def _signatory(text: str | None, session: Session, problems: _Problems) -> Signatory | None:
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
def offer_warnings(session: Session, data: OfferInput) -> list[str]:
    """What is allowed but worth a second look: pay outside the role's catalogue range, a late expiry."""
    out: list[str] = []
    voice = session.config.settings.voice
    role = session.role(data.role)
    pay_range = role.pay_range
    if pay_range is not None and (pay_range.currency or voice.currency) == voice.currency:
        offered = data.pay.per(pay_range.period)
        field = "salary" if data.pay.basis is PayBasis.SALARY else "hourly_rate"
        converted = (data.pay.basis is PayBasis.SALARY) != (pay_range.period is PayPeriod.YEAR)
        how = f", compared per {pay_range.period.value} at 40 hours a week" if converted else ""
        if offered < pay_range.min or offered > pay_range.max:
            side = "below" if offered < pay_range.min else "above"
            out.append(
                f"{field}: {side} the pay range of `{role.id}` in the catalogue "
                f"({pay_range_text(pay_range, voice)}{how})"
            )
    if data.expiry >= data.start:
        out.append("expiry: the offer expires on or after the start date")
    return out


# ---------------------------------------------------------------------------------------- context
class _Shared:
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


_SHARED: weakref.WeakKeyDictionary[Session, _Shared] = weakref.WeakKeyDictionary()


def _shared(session: Session) -> _Shared:
    shared = _SHARED.get(session)
    if shared is None:
        shared = _SHARED[session] = _Shared(session)
    return shared


def candidate_view(candidate: Candidate) -> View:
    return View({**candidate.model_dump(), "salutation_name": candidate.salutation_name})


def _role_with(shared: _Shared, role: Role, **overrides: Any) -> View:
    return layered(shared.role(role), **overrides)


def offer_context(session: Session, data: OfferInput) -> dict[str, Any]:
    """What ``offer-letter.md.j2`` sees (documented in docs/letters.md)."""
    shared = _shared(session)
    role = session.role(data.role)
    catalogue_boss = role.reports_to.title if role.reports_to else None
    pay = data.pay
    return {
        **shared.base,
        "today": data.date,
        "letter": View({"kind": OFFER_KIND, "date": data.date}),
        "candidate": candidate_view(data.candidate),
        "signatory": View(data.signatory.model_dump()),
        "role": _role_with(
            shared,
            role,
            title=data.title,
            department=data.department,
            reports_to=View(
                {
                    "id": role.reports_to.id
                    if role.reports_to and data.reports_to == catalogue_boss
                    else None,
                    "title": data.reports_to,
                }
            )
            if data.reports_to
            else None,
            employment_type=data.employment_type.label,
            employment_type_id=data.employment_type.value,
            flsa_status=data.flsa_status.label,
            exempt=data.flsa_status is FlsaStatus.EXEMPT,
        ),
        "offer": View(
            {
                "start": data.start,
                "expiry": data.expiry,
                "pay": View(
                    {
                        "basis": pay.basis.value,
                        "salary": pay.basis is PayBasis.SALARY,
                        "hourly": pay.basis is PayBasis.HOURLY,
                        "amount": pay.amount,
                        "frequency": pay.frequency.value,
                        "periods_per_year": pay.periods_per_year,
                        "per_period": pay.per_period,
                        "hours_per_week": pay.hours_per_week,
                    }
                ),
                "bonus": data.bonus,
                "equity": data.equity,
                "sign_on": data.sign_on,
                "location": data.location,
                "arrangement": data.arrangement.value,
                "manager": data.manager,
                "contingencies": tuple(
                    View({"id": c, "text": shared.contingency_texts.get(c)}) for c in data.contingencies
                ),
            }
        ),
    }


def denial_context(session: Session, data: DenialInput) -> dict[str, Any]:
    """What ``denial-letter.md.j2`` sees (documented in docs/letters.md)."""
    shared = _shared(session)
    role = session.role(data.role)
    return {
        **shared.base,
        "today": data.date,
        "letter": View({"kind": DENIAL_KIND, "date": data.date}),
        "candidate": candidate_view(data.candidate),
        "signatory": View(data.signatory.model_dump()),
        "role": _role_with(shared, role, title=data.title),
        "denial": View({"stage": data.stage.value, "reapply": data.reapply}),
    }


# ------------------------------------------------------------------------------ documents, files
def letter_meta(data: OfferInput | DenialInput) -> dict[str, str]:
    """The notes a letter's document carries for the writers (``Document.meta``): its role, its stage
    (denials) and its own date, which the DOCX core properties carry instead of the day it is written,
    so that the same letter data gives the same bytes on any day (see :data:`hrdocs.writers.DATE`)."""
    meta = {"role": data.role, DATE: data.date.isoformat()}
    if isinstance(data, DenialInput):
        meta["stage"] = data.stage.value
    return meta


def offer_document(session: Session, data: OfferInput) -> Document:
    doc = session.render(OFFER_KIND, offer_context(session, data))
    doc.meta.update(letter_meta(data))
    return doc


def denial_document(session: Session, data: DenialInput) -> Document:
    doc = session.render(DENIAL_KIND, denial_context(session, data))
    doc.meta.update(letter_meta(data))
    return doc


def offer_stem(data: OfferInput) -> str:
    """``offer-jane-q-doe-hr-generalist``: the file name without its suffix (made safe on writing)."""
    return f"offer-{slug(data.candidate.name)}-{data.role}"


def denial_stem(data: DenialInput) -> str:
    return f"denial-{slug(data.candidate.name)}-{data.role}"


def write_offer(
    session: Session,
    data: OfferInput,
    *,
    out: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> Written:
    """Write one offer letter (default folder: ``output/offers``), readable by its owner only."""
    folder = out if out is not None else session.workspace.output_dir / "offers"
    written = session.produce(
        OFFER_KIND,
        offer_context(session, data),
        folder,
        offer_stem(data),
        formats=formats,
        force=force,
        private=True,
        meta=letter_meta(data),
    )
    written.warnings[:0] = offer_warnings(session, data)
    return written


def write_denial(
    session: Session,
    data: DenialInput,
    *,
    out: Path | None = None,
    formats: Sequence[str] = ("docx",),
    force: bool = False,
) -> Written:
    """Write one denial letter (default folder: ``output/denials``), readable by its owner only."""
    folder = out if out is not None else session.workspace.output_dir / "denials"
    return session.produce(
        DENIAL_KIND,
        denial_context(session, data),
        folder,
        denial_stem(data),
        formats=formats,
        force=force,
        private=True,
        meta=letter_meta(data),
    )


# ------------------------------------------------------------------------------------- data files
def read_data_file(path: Path) -> tuple[dict[str, Any], dict[str, int | None]]:
    """A letter's fields from a YAML or JSON file: the fields (keys normalized) and each one's line."""
    source = str(path)
    if path.suffix.lower() == ".json":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValidationFailed(
                [Problem(source, None, None, f"cannot read: {exc.strerror or exc}")]
            ) from None
        except UnicodeDecodeError as exc:
            raise ValidationFailed([Problem(source, None, None, f"not UTF-8 text ({exc.reason})")]) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                [Problem(source, exc.lineno, None, f"JSON: {exc.msg}")], what=source
            ) from None
        line_of: Callable[[tuple[str, ...]], int | None] = lambda loc: None  # noqa: E731
    else:
        data, linemap = read_yaml(path)
        line_of = linemap.line
    if not isinstance(data, Mapping):
        raise ValidationFailed(
            [Problem(source, 1, None, "must be a mapping of field: value (see docs/letters.md)")], what=source
        )
    lines: dict[str, int | None] = {}
    for key, value in data.items():
        if field_key(key) == "candidate" and isinstance(value, Mapping):
            for sub in value:
                name = field_key(sub)
                lines[_NAME_KEYS.get(name, name)] = line_of((key, sub))
        else:
            lines[field_key(key)] = line_of((key,))
    return normalize_fields(data), lines
