"""An offer's terms of employment where the work is done: the fields, the pack, and its checks.

The offer's work country (``work_country``, else the location's country as hrdocs reads it, else
``company.country``, else the US) chooses the jurisdiction pack (:mod:`hrdocs.jurisdiction`). The pack
says which of the fields here the law requires (a GB offer without a notice period is refused, naming
the field and the Employment Rights Act), which limits their values are held to (a German probation
over 6 months), and whether the US terms apply at all: ``flsa_status`` is required only there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationError

from hrdocs import places
from hrdocs.context import View
from hrdocs.errors import Problem
from hrdocs.fields import Day, ManyLines, Model, OneLine, Problems
from hrdocs.fields import Field as Input
from hrdocs.jurisdiction import CLAUSES, Limit, Pack, pack_for
from hrdocs.kinds.letter import OfferInput
from hrdocs.models import LOCALE, EmploymentType, FlsaStatus, Location

if TYPE_CHECKING:
    from hrdocs.catalogue import Role
    from hrdocs.session import Session

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_NOTICE = re.compile(r"(?i)^\s*(?P<n>\d{1,3}|[a-z]+)\s*(?P<unit>days?|weeks?|months?)\s*$")
_DAYS = {"day": 1, "week": 7, "month": 28}
"""Days a unit is worth when held to a minimum: a month is at least 28 days."""


class Notice(Model):
    """A notice period as the letter states it: an amount of days, weeks or months."""

    amount: int
    unit: Literal["day", "week", "month"]

    @property
    def least_days(self) -> int:
        return self.amount * _DAYS[self.unit]


def _notice(value: Any) -> Notice:
    if isinstance(value, Notice):
        return value
    match = _NOTICE.match(str(value)) if not isinstance(value, bool) else None
    amount = None
    if match:
        n = match["n"].lower()
        amount = int(n) if n.isdigit() else _WORDS.get(n)
    if not match or not amount:
        raise ValueError('must be an amount of days, weeks or months, written like "1 month" or "4 weeks"')
    return Notice(amount=amount, unit=match["unit"].lower().rstrip("s"))


def _months(value: Any) -> Decimal:
    """Months of probation; ``0`` or ``none`` for none (said in the letter, where the law asks)."""
    text = str(value).strip().lower() if not isinstance(value, bool) else "?"
    if text in ("none", "no", "0"):
        return Decimal(0)
    if not re.fullmatch(r"\d{1,2}(\.5)?", text):
        raise ValueError("must be a number of months, like 3 or 6 (0 or none for no probation)")
    return Decimal(text).normalize() if "." in text else Decimal(int(text))


def _days(value: Any) -> Decimal:
    text = str(value).strip() if not isinstance(value, bool) else "?"
    if not re.fullmatch(r"\d{1,3}(\.5)?", text) or Decimal(text) <= 0:
        raise ValueError("must be a number of days, like 25 or 27.5")
    return Decimal(text).normalize() if "." in text else Decimal(int(text))


def _country(value: Any) -> str:
    text = str(value).strip() if not isinstance(value, bool) else ""
    country, _, region = text.partition("-")
    code = places.country_code(country) if country else None
    if code is None or places.country_problem(code) is not None or (region and not region.isalnum()):
        raise ValueError("must be a two-letter country code, optionally with a region: GB, DE, CA-QC")
    return f"{code}-{region.upper()}" if region else code


NoticeText = Annotated[Notice, BeforeValidator(_notice)]
Months = Annotated[Decimal, BeforeValidator(_months)]
Days = Annotated[Decimal, BeforeValidator(_days)]
CountryText = Annotated[str, BeforeValidator(_country)]

TERMS_FIELDS: tuple[Input, ...] = (
    Input("work_country", "text", "Country of the place of work, ISO code, with a region where it matters "
          "(default: the location's country, else company.country).", "GB or CA-QC",
          "country work_country_code location_country", parser=CountryText),
    Input("notice_period", "text", "Notice either side must give, in days, weeks or months.", '"1 month"',
          "notice notice_length termination_notice", parser=NoticeText),
    Input("probation_months", "number", "Probation period in months (0 or none: no probation).", "6",
          "probation probation_period probationary_period probation_length", parser=Months),
    Input("holiday_days", "number", "Paid holiday a year, in days (working days; calendar days in ES).", "25",
          "holiday holidays annual_leave vacation_days leave_days pto_days", parser=Days),
    Input("working_days", "text", "The days of the week worked.", '"Monday to Friday"',
          "work_days days_of_work working_pattern"),
    Input("sick_pay", "multiline", "Sick leave and sick pay, printed as written.",
          '"full pay for up to 10 days a year, then Statutory Sick Pay"', "sick_leave sickness_pay"),
    Input("pension", "multiline", "Pension terms, printed as written (default: the country's scheme).",
          '"a workplace pension with a 5% employer contribution"',
          "pension_scheme retirement_plan superannuation provident_fund"),
    Input("end_date", "date", "Last day of a fixed-term (temporary or contract) position.", "2027-12-31",
          "contract_end_date fixed_term_end_date term_end_date"),
    Input("collective_agreement", "text", "The collective agreement that applies, if any.",
          '"the collective agreement for the metal industry"',
          "cba collective_bargaining_agreement cao convenio"),
)  # fmt: skip
"""The terms the law of the work country asks an offer to state, declared once."""

FIXED_TERM = (EmploymentType.TEMPORARY, EmploymentType.CONTRACT)
PACK_DEFAULTS = frozenset({"hours_per_week", "pay_frequency", "contingencies"})
"""Fields besides the terms that a pack's ``defaults`` may give (the company's usual week, pay
schedule and conditions there); who the letter is for and where the work is done are the letter's."""


class Offer(OfferInput):
    """An offer with its terms of employment; ``flsa_status`` only where the US terms apply."""

    flsa_status: FlsaStatus | None = None  # type: ignore[assignment]
    jurisdiction: str
    work_country: str
    work_region: str | None = None
    notice_period: Notice | None = None
    probation_months: Decimal | None = None
    holiday_days: Decimal | None = None
    working_days: OneLine | None = None
    sick_pay: ManyLines | None = None
    pension: ManyLines | None = None
    end_date: Day | None = None
    collective_agreement: OneLine | None = None


# ------------------------------------------------------------------------------------ where the work is
def hint_locale(session: Session) -> str:
    """The locale places are read by: the company's country when ``company.country`` sets one (a
    location naming no country lies there), else ``voice.locale``."""
    settings = session.config.settings
    country = settings.company.country
    if country:
        language = settings.voice.locale.split("_")[0]
        for candidate in (f"{language}_{country}", f"en_{country}"):
            if places.home_country(candidate) == country:
                return candidate
    return settings.voice.locale


def work_place(
    session: Session, given: str | None, location: str | None, role: Role | None
) -> tuple[str, str | None]:
    """(country, region) of the work: ``work_country``, else the location's, else ``company.country``."""
    if given:
        country, _, region = given.partition("-")
        return country, region or None
    fallback = session.config.settings.company.country or places.DEFAULT_COUNTRY
    if not location:
        return fallback, None
    for known in role.locations if role else ():
        if known.label == location:
            return known.country, known.region
    try:
        place = Location.model_validate(location, context={LOCALE: hint_locale(session)})
    except ValidationError:
        return fallback, None
    return place.country, place.region


# ------------------------------------------------------------------------------------------- checks
def with_defaults(f: Any, pack: Pack, model: type[Any], problems: Problems) -> Any:
    """The parsed fields with the pack's ``defaults`` (the company's own terms) where none is given."""
    if not pack.defaults:
        return f
    values, wrong = _pack_defaults(pack, model, problems.order)
    problems.items.extend(wrong)
    taken = problems.fields
    update = {k: v for k, v in values.items() if getattr(f, k, None) is None and k not in taken}
    return f.model_copy(update=update) if update else f


def _pack_defaults(
    pack: Pack, model: type[Any], order: Mapping[str, int]
) -> tuple[dict[str, Any], list[Problem]]:
    """A pack's defaults parsed as a letter's fields, once per pack (every row of a batch uses them)."""
    found = pack.memo.get("defaults")
    if found is None:
        settable = {i.name for i in TERMS_FIELDS if i.name != "work_country"} | PACK_DEFAULTS
        source = str(pack.source)
        wrong = [
            Problem(source, None, f"defaults.{name}",
                    f"not a term a pack can set (it may set: {', '.join(sorted(settable))})")
            for name in sorted(set(pack.defaults) - settable)
        ]  # fmt: skip
        own = Problems(source, None, list(order))
        parsed = own.parse(model, {k: v for k, v in pack.defaults.items() if k in settable})
        wrong += [Problem(p.source, p.line, f"defaults.{p.field}", p.message) for p in own.items]
        values = {k: getattr(parsed, k) for k in pack.defaults if getattr(parsed, k, None) is not None}
        found = pack.memo["defaults"] = (values, wrong)
    return found


def check_terms(
    f: Any,
    pack: Pack,
    role: Role | None,
    employment: EmploymentType | None,
    flsa: FlsaStatus | None,
    problems: Problems,
) -> None:
    """Every required item of the pack present, every value within the pack's error limits."""
    fixed = employment in FIXED_TERM
    for item in pack.required:
        if item.level != "error" or (item.when == "fixed-term" and not fixed):
            continue
        if item.field == "flsa_status":
            if flsa is None and role is not None and "flsa_status" not in problems.fields:
                problems.add("flsa_status", _flsa_missing(pack, role))
        elif getattr(f, item.field, None) is None and item.field not in problems.fields:
            problems.add(item.field, required_message(pack, item.field, item.law or ""))
    for limit in pack.limits:
        if limit.level == "error" and (found := breach(limit, f, employment)) is not None:
            problems.add(limit.field or limit.id, found)


def required_message(pack: Pack, name: str, law: str) -> str:
    option = "--" + name.replace("_", "-")
    return f"required for an offer in {pack.code} ({law}); give {option} (the {name} column or key)"


def _flsa_missing(pack: Pack, role: Role | None) -> str:
    law = pack.law_by_field.get("flsa_status", "")
    where = f"{role.source.parent.name}/{role.source.name}" if role else "the role file"
    return (
        f"required for an offer in {pack.code} ({law}): {where} sets no flsa_status; "
        "add it there, or give --flsa-status (the flsa_status column or key)"
    )


def breach(limit: Limit, f: Any, employment: EmploymentType | None) -> str | None:
    """Why the letter's value is outside ``limit``, with the law and its source; ``None`` if within."""
    name = limit.field or ""
    value = _value(f, name)
    if value is None or (limit.pro_rata and employment is EmploymentType.PART_TIME):
        return None
    if isinstance(value, Notice):
        if limit.min_days is None or value.least_days >= limit.min_days:
            return None
        bound = f"at least {limit.min_days} days"
    elif limit.max is not None and value > limit.max:
        bound = f"at most {limit.max}"
    elif limit.min is not None and value < limit.min:
        bound = f"at least {limit.min}"
    else:
        return None
    source = f"; {limit.source}" if limit.source else ""
    return f"must be {bound} ({limit.law}{source})"


def _value(data: Any, name: str) -> Any:
    """A field's value in the parsed fields or in a complete offer (whose hours are its pay's)."""
    if name == "hours_per_week" and isinstance(data, Offer):
        return data.pay.hours_per_week
    return getattr(data, name, None)


def term_warnings(session: Session, data: Offer) -> list[str]:
    """The pack's warning-level requirements and limits, its cautions, and a missing pack."""
    pack = pack_for(session, data.work_country, data.work_region)
    out: list[str] = []
    if pack.fallback:
        what = (
            "the EU baseline applies" if pack.files and pack.files[-1].stem == "EU" else "no clauses required"
        )
        out.append(
            f"work_country: no jurisdiction pack for {data.work_country} ({what}); "
            f"add jurisdictions/{data.work_country}.yaml to your workspace (docs/international.md)"
        )
    fixed = data.employment_type in FIXED_TERM
    for item in pack.required:
        if item.level == "warning" and _value(data, item.field) is None and (item.when == "always" or fixed):
            out.append(f"{item.field}: advised for an offer in {pack.code} ({item.law})")
    for limit in pack.limits:
        if limit.level == "warning" and (found := breach(limit, data, data.employment_type)) is not None:
            out.append(f"{limit.field}: {found}")
    for caution in pack.warnings:
        if caution.when == "always" or fixed:
            out.append(f"{pack.code}: {caution.text}")
    return out


def terms_view(pack: Pack, data: Offer, start: dt.date) -> dict[str, Any]:
    """What the template sees of the pack (``jurisdiction``) and of the terms (``offer.*``)."""
    law = {cid: (pack.clauses[cid].law if cid in pack.clauses else None) for cid in CLAUSES}
    pension = pack.clauses.get("pension")
    jurisdiction = {
        "code": pack.code,
        "country": pack.country,
        "region": data.work_region,
        "name": pack.name,
        "country_name": pack.country_name,
        "us": pack.us_terms,
        "clauses": tuple(pack.clauses),
        "law": View(law),
        "pension_scheme": pension.scheme if pension else None,
        "holiday_unit": pack.holiday_unit,
        "probation_notice": pack.probation_notice,
        "language_first": pack.language_first,
        "language_law": pack.language_law,
    }
    notice = data.notice_period
    terms = {
        "notice": {"amount": notice.amount, "unit": notice.unit} if notice else None,
        "probation_months": data.probation_months,
        "holiday_days": data.holiday_days,
        "working_days": data.working_days,
        "sick_pay": data.sick_pay,
        "pension": data.pension,
        "end_date": data.end_date,
        "fixed_term": data.employment_type in FIXED_TERM,
        "collective_agreement": data.collective_agreement,
    }
    return {"jurisdiction": jurisdiction, "terms": terms}
