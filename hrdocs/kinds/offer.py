"""The offer letter: its fields, its checks, and what ``offer-letter`` templates see.

An offer states pay, start date, location and the conditions of employment, so every field is
checked against the others, the role in the catalogue and the company settings before the letter
exists (:func:`validate_offer`). What is allowed but worth a second look (pay outside the role's
range, an expiry after the start date) becomes a warning that names the field, never the figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hrdocs.context import View
from hrdocs.fields import Field as Input
from hrdocs.fields import Problems, flat_model, normalize_fields
from hrdocs.formatting import pay_range_text
from hrdocs.jurisdiction import pack_for
from hrdocs.kinds.base import Kind, Prepared
from hrdocs.kinds.letter import (
    CANDIDATE_FIELDS,
    LETTER_COMMON,
    STANDARD_CONTINGENCIES,
    TITLE,
    Arrangement,
    ArrangementChoice,
    EmploymentChoice,
    FlsaChoice,
    FrequencyChoice,
    PayBasis,
    PayFrequency,
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
from hrdocs.kinds.offer_pay import check_pay_basis, offer_pay
from hrdocs.kinds.offer_terms import (
    TERMS_FIELDS,
    Offer,
    check_terms,
    term_warnings,
    terms_view,
    with_defaults,
    work_place,
)
from hrdocs.models import EmploymentType, FlsaStatus, PayPeriod

if TYPE_CHECKING:
    from hrdocs.catalogue import Role
    from hrdocs.session import Session

NAME = "offer-letter"

OFFER_FIELDS: tuple[Input, ...] = (
    *CANDIDATE_FIELDS,
    Input("title", "text", "Job title (default: the role's).", '"Senior HR Generalist"', TITLE),
    Input("department", "text", "Department (default: the role's).", '"People Operations"',
          "dept department_name business_unit"),
    Input("reports_to", "text", "Manager's job title (default: the role's).", '"HR Executive"',
          "manager_title supervisor_title"),
    Input("flsa_status", "choice", "FLSA status (default: the role's).", "non-exempt",
          "flsa flsa_classification exempt_status exempt_non_exempt",
          choices=tuple(s.value for s in FlsaStatus), parser=FlsaChoice),
    Input("employment_type", "choice", "Employment type (default: the role's).", "part-time",
          "employment_status job_type worker_type worker_sub_type time_type commitment",
          choices=tuple(e.value for e in EmploymentType), parser=EmploymentChoice),
    Input("start", "date", "First day of work.", "2027-01-04",
          "start_date anticipated_start_date expected_start_date proposed_start_date projected_start_date "
          "hire_date first_day", required=True),
    Input("salary", "money", "Annual base salary, no currency sign (or give hourly_rate).", "72000",
          "base_salary annual_salary annual_base_salary salary_amount base_pay annual_base_pay "
          "offer_salary offer_amount compensation"),
    Input("hourly_rate", "money", "Hourly rate, instead of salary.", "24.50",
          "hourly pay_rate hourly_pay hourly_wage rate"),
    Input("pay_frequency", "choice", "How often pay is paid (default: offers.pay_frequency).", "biweekly",
          "frequency pay_schedule payroll_frequency",
          choices=tuple(p.value for p in PayFrequency), parser=FrequencyChoice),
    Input("hours_per_week", "hours", "Weekly hours, stated in the letter when given (part-time, hourly).",
          "20", "weekly_hours scheduled_weekly_hours hours fte_hours"),
    Input("bonus", "multiline", "A bonus line, printed as written.",
          '"a target annual bonus of 10% of base pay"', "target_bonus bonus_text"),
    Input("equity", "multiline", "An equity line, printed as written.",
          '"1,000 stock options, vesting over four years"', "stock stock_options equity_grant"),
    Input("sign_on", "money", "One-time sign-on bonus, an amount.", "5000",
          "sign_on_bonus signing_bonus signon_bonus"),
    Input("location", "text", "Work location (default: the role's, if it has only one).",
          '"Denver, CO" or "Remote (US)"', "work_location job_location office office_location site"),
    Input("arrangement", "choice", "Work arrangement (default: remote for a remote location, else on-site).",
          "hybrid", "work_arrangement workplace_type remote_status work_model",
          choices=tuple(a.value for a in Arrangement), parser=ArrangementChoice),
    *TERMS_FIELDS,
    Input("manager", "text", "Hiring manager's name (their title is reports_to).", '"Dana Whitfield"',
          "hiring_manager hiring_manager_name supervisor manager_name", required=True),
    Input("contingencies", "ids", "Comma-separated ids: background-check, work-authorization, references, "
          "drug-test, your own; or none (default: offers.contingencies).", '"background-check, references"',
          "contingency conditions"),
    Input("expiry", "date", "Offer open until (default: the letter date + offers.expiry_days).", "2026-12-15",
          "expiry_date expiration_date offer_expiration offer_expiration_date offer_expiry_date expires "
          "expires_on offer_expires respond_by"),
    *LETTER_COMMON,
)  # fmt: skip
"""An offer's input, declared once: flags, data-file keys, spreadsheet columns and docs come from it."""

OfferFields = flat_model("OfferFields", OFFER_FIELDS)
OFFER_NAMES = tuple(f.name for f in OFFER_FIELDS)


def validate_offer(
    raw: Mapping[str, Any],
    *,
    session: Session,
    source: str = "input",
    lines: Mapping[str, int | None] | None = None,
) -> Offer:
    """A raw mapping (flags, a data file, a CSV row) -> a complete offer, or every problem at once.

    ``source`` names where the data came from (``jane.yaml``, ``offers.csv:12``) and ``lines`` the line
    of each field in it, so that problems read ``source:line: field: message``. Defaults come from the
    role in the catalogue and from the company settings (``offers:``). Nothing is written here.
    """
    problems = Problems(source, lines, OFFER_NAMES)
    f: Any = problems.parse(OfferFields, normalize_fields(raw))
    offers = session.config.settings.offers

    candidate = candidate_of(f, problems)
    role = role_of(f, session, problems)
    signatory = signatory_of(f.signatory, session, problems)
    letter_date = f.date or session.today
    location = _location(f.location, role, problems)
    country, region = work_place(session, f.work_country, location, role)
    pack = pack_for(session, country, region)
    f = with_defaults(f, pack, OfferFields, problems)
    flsa = f.flsa_status or (role.flsa_status if role and pack.us_terms else None)
    employment = f.employment_type or (role.employment_type if role else None)
    check_terms(f, pack, role, employment, flsa, problems)
    pay = offer_pay(f, flsa, offers, problems)
    check_pay_basis(pay, role, session, problems)
    _check_start(f.start, letter_date, session.today, problems)
    expiry = f.expiry or letter_date + dt.timedelta(days=offers.expiry_days)
    if expiry < letter_date:
        problems.add("expiry", f"must not be before the letter date ({letter_date.isoformat()})")
    arrangement = f.arrangement or (
        Arrangement.REMOTE if location and re.match(r"(?i)\s*remote\b", location) else Arrangement.ON_SITE
    )
    if f.manager is None and "manager" not in problems.fields:
        problems.add("manager", "required, but missing (the hiring manager's name)")
    contingencies = _contingencies(f.contingencies, session, problems)

    problems.raise_if_any()
    assert candidate and role and pay and f.start and location and f.manager and signatory
    return Offer(
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
        jurisdiction=pack.code,
        work_country=country,
        work_region=region,
        notice_period=f.notice_period,
        probation_months=f.probation_months,
        holiday_days=f.holiday_days,
        working_days=f.working_days,
        sick_pay=f.sick_pay,
        pension=f.pension,
        end_date=f.end_date,
        collective_agreement=f.collective_agreement,
    )


def _check_start(start: dt.date | None, letter_date: dt.date, today: dt.date, problems: Problems) -> None:
    if start is None:
        if "start" not in problems.fields:
            problems.add("start", "required, but missing (the first day of work, YYYY-MM-DD)")
    elif start < letter_date:
        problems.add("start", f"must not be before the letter date ({letter_date.isoformat()})")
    elif start < today:
        problems.add("start", f"is in the past (today is {today.isoformat()})")


def _location(given: str | None, role: Role | None, problems: Problems) -> str | None:
    """The location given, else the role's only one; a role with several needs one named."""
    if given is not None or role is None or "location" in problems.fields:
        return given
    if len(role.locations) == 1:
        return role.locations[0].label
    places = ", ".join(loc.label for loc in role.locations)
    hint = f" (the role's locations: {places})" if places else ""
    problems.add("location", f"required, but missing{hint}")
    return None


def _contingencies(given: tuple[str, ...] | None, session: Session, problems: Problems) -> tuple[str, ...]:
    """The letter's own list, else the company's; every id must have wording somewhere."""
    offers = session.config.settings.offers
    known = set(STANDARD_CONTINGENCIES) | {c.id for c in offers.contingency_texts}
    chosen = given if given is not None else tuple(offers.contingencies)
    unknown = [c for c in chosen if c not in known]
    if unknown:
        # the letter's own list is its data (a shifted row may put anything here): named by place only
        named = (
            ", ".join(f"`{u}`" for u in unknown)
            if given is None
            else "number " + ", ".join(str(chosen.index(u) + 1) for u in unknown) + " of the list"
        )
        message = (
            f"unknown contingency {named} (known: {', '.join(sorted(known))}; "
            "add your own in offers.contingency_texts)"
        )
        if given is not None:
            problems.add("contingencies", message)
        else:
            problems.add("offers.contingencies", message, source=str(session.config.source))
    return chosen


def offer_warnings(session: Session, data: Offer) -> list[str]:
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
    return out + term_warnings(session, data)


# ---------------------------------------------------------------------------------- template data
def offer_context(session: Session, data: Offer) -> dict[str, Any]:
    """What ``offer-letter.md.j2`` sees (documented in docs/letters.md)."""
    common = shared(session)
    role = session.role(data.role)
    catalogue_boss = role.reports_to.title if role.reports_to else None
    pay = data.pay
    terms = terms_view(pack_for(session, data.work_country, data.work_region), data, data.start)
    return {
        **common.base,
        "today": data.date,
        "letter": View({"kind": NAME, "date": data.date}),
        "candidate": candidate_view(data.candidate),
        "signatory": View(data.signatory.model_dump()),
        "role": role_with(
            common,
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
            flsa_status=data.flsa_status.label if data.flsa_status else None,
            exempt=data.flsa_status is FlsaStatus.EXEMPT,
        ),
        "jurisdiction": View(terms["jurisdiction"]),
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
                "terms": View(terms["terms"]),
                "arrangement": data.arrangement.value,
                "manager": data.manager,
                "contingencies": tuple(
                    View({"id": c, "text": common.contingency_texts.get(c)}) for c in data.contingencies
                ),
            }
        ),
    }


# ----------------------------------------------------------------------------------------- the kind
def _prepare(session: Session, kind: Kind, data: Offer) -> Prepared:
    names = {
        **person_names(data.candidate),
        "role": data.role,
        "title": data.title,
        "department": data.department,
        "date": data.date.isoformat(),
        "start": data.start.isoformat(),
    }
    return Prepared(
        offer_context(session, data), names, letter_meta(data), offer_warnings(session, data), data.role
    )


def _samples(session: Session, kind: Kind) -> list[dict[str, Any]]:
    """A salaried and an hourly offer for the richest role, every contingency named, and an offer for
    work in the UK (the clauses of a jurisdiction pack, which US samples never reach)."""
    settings = session.config.settings
    roles = session.catalogue.all()
    if not roles:
        return []
    role = max(
        roles, key=lambda r: (r.pay_range is not None) + (r.reports_to is not None) + bool(r.locations)
    )
    start = (session.today + dt.timedelta(days=30)).isoformat()
    known = [*STANDARD_CONTINGENCIES, *(c.id for c in settings.offers.contingency_texts)]
    offer = {
        **sample_person(session),
        "role": role.id,
        "start": start,
        "manager": "Dana Whitfield",
        "location": role.locations[0].label if role.locations else "Denver, CO",
        "contingencies": known,
    }
    salaried = {**offer, "salary": "72000", "bonus": "a target bonus of 10% of base pay",
                "equity": "1,000 stock options", "sign_on": "5000"}  # fmt: skip
    hourly = {**offer, "hourly_rate": str(max(settings.offers.hourly_floor, Decimal(25))),
              "flsa_status": "non-exempt", "hours_per_week": "20"}  # fmt: skip
    abroad = {**offer, "salary": "52000", "location": "London, UK", "work_country": "GB",
              "notice_period": "1 month", "probation_months": "6", "hours_per_week": "37.5",
              "working_days": "Monday to Friday", "holiday_days": "28",
              "sick_pay": "full pay for 10 days a year, then Statutory Sick Pay"}  # fmt: skip
    return [salaried, hourly, abroad]


OFFER = Kind(
    name=NAME,
    short="offer",
    title="offer letter",
    aliases=("offers", "offer-letters"),
    fields=OFFER_FIELDS,
    validate=lambda session, kind, raw, source, lines: validate_offer(
        raw, session=session, source=source, lines=lines
    ),
    prepare=_prepare,
    samples=_samples,
    folder="offers",
    file_name="{kind}-{candidate}-{role}",
    lint="offer",
    private=True,
    takes_role=True,
)
