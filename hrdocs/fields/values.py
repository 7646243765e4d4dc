"""How one value of a field is read: a lenient parser per field type, and the annotated types.

Values arrive as text (flags, CSV cells) or as YAML/JSON scalars, so every type has a parser that
accepts what a person writes (``72,000``, ``Full Time``, ``yes``) and refuses, with a message that
names no value, what it cannot read. The annotated types (``Money``, ``Day``, …) carry the parser into
any pydantic model, so a kind's own models read values exactly as its flat model does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic import Field as Constraint

from hrdocs.limits import MANY_LINES_MAX_CHARS, ONE_LINE_MAX_CHARS, too_long
from hrdocs.loader import date_reason

_CENT = Decimal("0.01")

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


def _as_text(value: Any, limit: int = MANY_LINES_MAX_CHARS) -> str:
    if isinstance(value, bool):
        raise ValueError("must be text (in YAML, put yes, no, on or off in quotes)")
    if not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be text")
    if len(text := str(value)) > limit:  # before any other work is spent on it
        raise ValueError(too_long(len(text), limit))
    return text


def _one_line(value: Any) -> str:
    return _check_chars(_as_text(value, ONE_LINE_MAX_CHARS), one_line=True).strip()


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
            reason = date_reason(value)  # written as a date, but not a real one: say why
            if reason:
                raise ValueError(f"is not a real date ({reason})") from None
        try:  # a date-time, as spreadsheets and exports write one: at midnight, it is its date
            stamp: dt.datetime | None = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            stamp = None
        if stamp is not None and stamp.time() == dt.time():
            return stamp.date()
        if stamp is not None:
            raise ValueError("has a time of day as well; give the date alone, YYYY-MM-DD")
    if not isinstance(value, bool) and re.fullmatch(r"\d{5}(\.\d+)?", str(value).strip()):
        raise ValueError(  # days since 1900 as Excel stores dates: 10000 is 1927-05-18, 99999 2173-10-14
            "is a number, not a date: an Excel date serial? Format the column as a date (YYYY-MM-DD)"
        )
    raise ValueError("must be a date written as YYYY-MM-DD, e.g. 2027-01-04")


def choice(aliases: Mapping[str, str]) -> Callable[[Any], Any]:
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


OneLine = Annotated[str, BeforeValidator(_one_line), Constraint(min_length=1)]
ManyLines = Annotated[str, BeforeValidator(_many_lines), Constraint(min_length=1)]
Lines = Annotated[tuple[str, ...], BeforeValidator(_lines)]
Email = Annotated[str, BeforeValidator(_email)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Hours = Annotated[Decimal, BeforeValidator(_hours)]
Day = Annotated[dt.date, BeforeValidator(_day)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]


def _text_list(value: Any) -> tuple[str, ...]:
    """A list of one-line texts, or one text split at commas, semicolons or line breaks."""
    items = value if isinstance(value, list | tuple) else re.split(r"[,;\n]", _as_text(value))
    return tuple(line for line in (_one_line(i) for i in items) if line)


def _plain_number(value: Any) -> Decimal:
    """Any positive number (a count, a percentage): as :func:`_number`, without the money checks."""
    return _number(value)


TextList = Annotated[tuple[str, ...], BeforeValidator(_text_list)]
Number = Annotated[Decimal, BeforeValidator(_plain_number)]


class Model(BaseModel):
    """Input models refuse unknown keys (a typo fails loudly) and never change once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)
