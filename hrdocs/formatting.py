"""Locale-aware formatting and the company's preferred terms.

Dates and money go through Babel, never through hand-written patterns, so ``en_US`` gives
``$72,000.00`` and ``January 4, 2027`` while ``de_DE`` gives ``72.000,00 €`` and ``4. Januar 2027``.
The functions here become Jinja filters (see :mod:`hrdocs.environment`), so templates and Python share
one implementation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from hrdocs.models import PayPeriod, PayRange, Voice


def money(amount: Decimal | int | float, currency: str, locale: str, *, cents: bool = True) -> str:
    """Money in the locale's own pattern; whole amounts may drop the cents (pay ranges read better)."""
    return _money(str(amount), currency, locale, cents)


@lru_cache(maxsize=1024)
def _money(amount: str, currency: str, locale: str, cents: bool) -> str:
    """Babel is slow and a batch of letters formats the same figures again and again: remember them."""
    value = Decimal(amount)
    if not cents and value == value.to_integral_value():
        return format_currency(
            value, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False
        )
    return format_currency(value, currency, locale=locale)


@lru_cache(maxsize=64)
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without its decimals: ``¤#,##0.00`` -> ``¤#,##0``."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    return re.sub(r"\.0+", "", pattern)


def number(value: Decimal | int | float, locale: str) -> str:
    return format_decimal(value, locale=locale)


@lru_cache(maxsize=1024)
def long_date(value: date, locale: str, style: str = "long") -> str:
    return format_date(value, format=style, locale=locale)


_PERIOD_WORDS = {
    PayPeriod.HOUR: "per hour",
    PayPeriod.DAY: "per day",
    PayPeriod.WEEK: "per week",
    PayPeriod.MONTH: "per month",
    PayPeriod.YEAR: "per year",
}


def pay_range_text(pay: PayRange, voice: Voice) -> str:
    """``$62,000 – $75,000 per year``; hourly ranges keep their cents."""
    currency = pay.currency or voice.currency
    cents = pay.period is PayPeriod.HOUR
    low = money(pay.min, currency, voice.locale, cents=cents)
    high = money(pay.max, currency, voice.locale, cents=cents)
    span = low if pay.min == pay.max else f"{low} – {high}"
    return f"{span} {_PERIOD_WORDS[pay.period]}"


_TERMS_MEMO = 1024


class Terms:
    """Applies ``preferred_terms`` (``employees → team members``) to generated text.

    Whole words only, case kept (``Employees`` → ``Team members``), longest phrase first so that
    ``employee handbook → team handbook`` wins over ``employee → team member``.
    """

    def __init__(self, preferred: Mapping[str, str]) -> None:
        self._map = {k.lower(): v for k, v in preferred.items()}
        words = sorted(self._map, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])",
                re.IGNORECASE,
            )
            if words
            else None
        )

        self._done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        found = self._done.get(text)
        if found is None:
            # A template's own wording between two values is the same in every letter of a batch.
            if len(self._done) >= _TERMS_MEMO:
                self._done.clear()
            found = self._done[text] = self._pattern.sub(self._replace, text)
        return found

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        new = self._map[found.lower()]
        if found.isupper() and len(found) > 1:
            return new.upper()
        if found[0].isupper():
            return new[0].upper() + new[1:]
        return new
