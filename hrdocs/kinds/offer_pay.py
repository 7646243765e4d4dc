"""An offer's pay: which basis it is on, and the checks of the figure that need the role and settings.

A figure given on the wrong basis is the costly mistake here: ``--salary 24.50`` would put a year's
pay of 24.50 in a letter with only a pay-range warning. Such a figure is refused, with the option that
was meant (:func:`check_pay_basis`); what is only unusual stays a warning (:func:`offer_warnings`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hrdocs.fields import Problems
from hrdocs.kinds.letter import Pay, PayBasis, PayFrequency
from hrdocs.models import FlsaStatus, OfferSettings

if TYPE_CHECKING:
    from hrdocs.catalogue import Role
    from hrdocs.session import Session


def offer_pay(f: Any, flsa: FlsaStatus | None, offers: OfferSettings, problems: Problems) -> Pay | None:
    """The offer's pay from its parsed fields ``f``: one basis, salary or hourly rate, never both."""
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


MIX_UP = Decimal(100)
"""How far off a figure must be before it is taken for the other basis: a salary under a hundredth of
the least of the role's pay range, or an hourly rate over a hundred times its top, compared in full-time
terms (40 hours a week, 52 weeks). A year is 2,080 such hours, so an hourly rate given as a salary is
about 1/2,000 of the range and a salary given as an hourly rate 2,000 times it: far past the threshold,
while no real offer is within a factor of 100 of it. For a role without a pay range in the letter's
currency, ``offers.hourly_floor`` (the company's least hourly rate, in its own currency) sets the
bounds: a salary under 100 hours of it, an hourly rate over 1,000 times it."""


def check_pay_basis(pay: Pay | None, role: Role | None, session: Session, problems: Problems) -> None:
    """A salary that is an hourly rate (``--salary 24.50``), or the reverse, is refused: the letter
    would state a year's pay of 24.50 with only a pay-range warning. See :data:`MIX_UP`."""
    if pay is None:
        return
    voice = session.config.settings.voice
    pay_range = role.pay_range if role is not None else None
    if pay_range is not None and (pay_range.currency or voice.currency) == voice.currency:
        offered = pay.per(pay_range.period)
        low, high = offered < pay_range.min / MIX_UP, offered > pay_range.max * MIX_UP
        basis = f"the pay range of `{role.id}`" if role is not None else "the role's pay range"
        under, over = f"under a hundredth of {basis}", f"over a hundred times {basis}"
    else:
        floor = session.config.settings.offers.hourly_floor
        low, high = pay.amount < floor * MIX_UP, pay.amount > floor * 10 * MIX_UP
        under, over = "under 100 hours at offers.hourly_floor", "over 1,000 times offers.hourly_floor"
    if pay.basis is PayBasis.SALARY and low:
        problems.add(
            "salary",
            f"looks like an hourly rate, not an annual salary ({under}): use --hourly-rate (the "
            "hourly_rate field) for an hourly rate, or check the figure",
        )
    elif pay.basis is PayBasis.HOURLY and high:
        problems.add(
            "hourly_rate",
            f"looks like an annual salary, not an hourly rate ({over}, per hour): use --salary (the "
            "salary field) for an annual salary, or check the figure",
        )
