"""What every model of hrdocs shares: the strict base, the checked text and code types, the validation
context's locale key and the one clock.

Kept apart from the models themselves so role files and ``hrdocs.yaml`` check codes and text the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from hrdocs import places


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Text = Annotated[str, Field(min_length=1)]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s/$.?#][^\s]*$")]
"""A public web address (search engines want ``https``)."""
RoleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=80)]


def _code(problem: Callable[..., str | None]) -> AfterValidator:
    """A code checked against a code list of :mod:`hrdocs.places` (Babel's CLDR data), a wrong one refused
    with what it likely meant; the company's locale (a role's validation context, or ``voice.locale``)
    helps the guess."""

    def check(value: str, info: ValidationInfo) -> str:
        locale = (info.context or {}).get(LOCALE) or info.data.get("locale")
        if (found := problem(value, locale)) is not None:
            raise ValueError(found)
        return value

    return AfterValidator(check)


CurrencyCode = Annotated[str, _code(places.currency_problem)]
"""ISO 4217, of a currency in use today."""
CountryCode = Annotated[str, _code(lambda code, _locale: places.country_problem(code))]  # ISO 3166-1 alpha-2
LocaleId = Annotated[str, _code(lambda locale, _locale: places.locale_problem(locale))]
"""A locale Babel has data for, written as Babel writes it (``en_US``, ``de_DE``, ``zh_CN``)."""

LOCALE = "locale"
"""Key of the validation context naming the company's locale (``voice.locale``): locations that name no
country lie in its country, and a code like DE after a city is read by it (see :mod:`hrdocs.places`)."""


def today() -> date:
    """The letter date when none is given; one place so tests and batches can pin it."""
    return date.today()
