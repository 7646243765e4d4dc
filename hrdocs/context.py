"""Build the data a template sees: plain, read-only views, never live Python objects.

Templates are edited by people other than the ones who run hrdocs, so a template must not reach a
``Path`` (and its ``read_text``), a pydantic model's internals or anything else with behaviour. Every
value here is a :class:`View` (attribute and key access to plain data), a tuple, a string, a number or a
date. The company's preferred terms are applied to catalogue and company text here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from hrdocs.catalogue import Role
from hrdocs.config import Config
from hrdocs.formatting import Terms, pay_range_text
from hrdocs.models import PayRange, Voice

Plain = str | int | float | Decimal | date | bool | None


class View(Mapping[str, Any]):
    """Read-only data for templates: ``role.title`` and ``role["title"]`` both work.

    Not a dict subclass on purpose: ``role.items`` must be the data's ``items`` key if there is one,
    never ``dict.items``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", {k: plain(v) for k, v in data.items()})

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("template data is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"View({', '.join(self._data)})"


def layered(view: View, **overrides: Any) -> View:
    """``view`` with some keys replaced. Its own values are plain already, so only the new ones are
    converted: a letter layers its own title and pay terms over the role's cached view. (A function,
    not a method: templates see a view's keys, and should see nothing else.)"""
    new = View.__new__(View)
    object.__setattr__(new, "_data", {**view._data, **{k: plain(v) for k, v in overrides.items()}})
    return new


_SCALARS = frozenset({str, int, float, bool, Decimal, date, type(None)})


def plain(value: Any) -> Any:
    """Turn models, enums and containers into views, tuples and scalars."""
    if type(value) in _SCALARS:  # most values, by the cheapest test (an enum is a subclass: not here)
        return value
    if isinstance(value, View | str | int | float | Decimal | date) or value is None:
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return View(value.model_dump(mode="python", by_alias=False))
    if isinstance(value, Mapping):
        return View(value)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(plain(v) for v in value)
    raise TypeError(f"not template data: {type(value).__name__}")


def pay_view(pay: PayRange | None, voice: Voice) -> View | None:
    if pay is None:
        return None
    return View(
        {
            "min": pay.min,
            "max": pay.max,
            "currency": pay.currency or voice.currency,
            "period": pay.period.value,
            "text": pay_range_text(pay, voice),
        }
    )


def role_view(role: Role, config: Config, terms: Callable[[str], str]) -> View:
    voice = config.settings.voice
    t = terms
    return View(
        {
            "id": role.id,
            "title": role.title,
            "department": role.department,
            "reports_to": View({"id": role.reports_to.id, "title": role.reports_to.title})
            if role.reports_to
            else None,
            "level": role.level,
            "employment_type": role.employment_type.label,
            "employment_type_id": role.employment_type.value,
            "flsa_status": role.flsa_status.label if role.flsa_status else None,  # US roles only
            "exempt": role.flsa_status is not None and role.flsa_status.value == "exempt",
            "summary": t(role.summary),
            "duty_areas": [
                {"id": g.area.id, "name": g.area.name, "duties": [t(d) for d in g.duties]}
                for g in role.duty_groups
            ],
            "qualifications": {
                "required": [t(q) for q in role.qualifications.required],
                "preferred": [t(q) for q in role.qualifications.preferred],
            },
            "competencies": [t(c) for c in role.competencies],
            "working_conditions": [t(w) for w in role.working_conditions],
            "pay_range": pay_view(role.pay_range, voice),
            "locations": [loc.label for loc in role.locations],
            "remote": any(loc.remote for loc in role.locations),
        }
    )


def company_view(config: Config, terms: Callable[[str], str]) -> View:
    company = config.settings.company
    # files and addresses are not text; translations reach documents in their language (kinds.localized)
    data = company.model_dump(mode="python", exclude={"logo", "logo_url", "translations"})
    for key in ("about", "eeo_statement"):
        if data.get(key):
            data[key] = terms(data[key])
    data["benefits"] = [terms(b) for b in company.benefits]
    data["legal_name"] = company.legal_name or company.name
    return View(data)


def base_context(config: Config, terms: Terms, *, today: date) -> dict[str, Any]:
    """What every template sees: the company, its voice, and the document date."""
    voice = config.settings.voice
    return {
        "company": company_view(config, terms),
        "voice": View(
            {
                "tone": voice.tone.value,
                "locale": voice.locale,
                "currency": voice.currency,
                "sign_off": voice.sign_off,
                "signatory": voice.signatory,
            }
        ),
        "today": today,
        "example": config.is_example,
    }


def jd_context(role: Role, config: Config, terms: Terms, *, today: date) -> dict[str, Any]:
    return {**base_context(config, terms, today=today), "role": role_view(role, config, terms)}
