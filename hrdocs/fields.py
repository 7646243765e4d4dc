"""Fields: what a document's input is made of, written once per field and used everywhere.

A kind of document (see :mod:`hrdocs.kinds`) declares its input as a tuple of :class:`Field`: name,
type, whether it is required, help text, an example and the column names applicant tracking systems
export for it. Everything else is derived from that one declaration: the flat pydantic model that
parses each value (:func:`flat_model`), the command-line options, the batch's column aliases, the
tables in ``hrdocs kinds show`` and the docs.

Values arrive as text (flags, CSV cells) or as YAML/JSON scalars, so every type has a lenient parser
that accepts what a person writes (``72,000``, ``Full Time``, ``yes``) and refuses, with a message that
names no value, what it cannot read. :class:`Problems` collects every problem of one input before
anything is refused, each located by field (and line, for a data file).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, create_model
from pydantic import Field as Constraint

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.limits import MANY_LINES_MAX_CHARS, ONE_LINE_MAX_CHARS, too_long
from hrdocs.loader import date_reason, problems_from

_CENT = Decimal("0.01")

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


# ------------------------------------------------------------------------------------ declaration
TYPES: dict[str, Any] = {
    "text": OneLine,
    "multiline": ManyLines,
    "lines": Lines,
    "email": Email,
    "date": Day,
    "money": Money,
    "number": Number,
    "hours": Hours,
    "yes/no": YesNo,
    "ids": IdList,
    "list": TextList,
    "role": OneLine,
    "roles": TextList,
    "choice": OneLine,
}
"""Field type -> the annotated type that parses it. ``role`` is a catalogue role's id, alias or title,
resolved by the kind; ``choice`` is one of the field's ``choices``."""

_METAVARS = {
    "date": "YYYY-MM-DD",
    "money": "AMOUNT",
    "number": "NUMBER",
    "hours": "HOURS",
    "email": "EMAIL",
    "yes/no": "yes|no",
    "ids": "IDS",
    "list": "ITEMS",
    "role": "ROLE",
    "roles": "ROLES",
    "lines": "LINE",
}


@dataclass(frozen=True)
class Field:
    """One input field of a kind of document, declared once."""

    name: str
    type: str = "text"
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] | str = ()
    """Other names for it in a data file or a spreadsheet's header (``Base Salary`` for ``salary``),
    spelled as :func:`field_key` spells them; a text is split at its spaces."""
    required: bool = False
    choices: tuple[str, ...] = ()
    parser: Any = None
    """The annotated type that parses it, when the type's own will not do (a choice with aliases)."""
    flag: bool = True
    """Whether it is a command-line option of the kind's command."""

    def __post_init__(self) -> None:
        if isinstance(self.aliases, str):
            object.__setattr__(self, "aliases", tuple(self.aliases.split()))
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r} (known: {', '.join(TYPES)})")

    @property
    def option(self) -> str:
        """Its command-line option: ``--preferred-name``."""
        return "--" + self.name.replace("_", "-")

    @property
    def metavar(self) -> str:
        if self.choices:
            return "[" + "|".join(self.choices) + "]"
        return _METAVARS.get(self.type, "NAME" if self.name.endswith("name") else "TEXT")

    @property
    def multiple(self) -> bool:
        """Given as a repeated option (``--address LINE --address LINE``)."""
        return self.type == "lines"

    @property
    def annotation(self) -> Any:
        return self.parser if self.parser is not None else TYPES[self.type]

    @property
    def description(self) -> str:
        """The help text with its example, as ``--help`` and the docs print it."""
        text = " ".join(t for t in (self.help, "(required)" if self.required else "") if t)
        return f"{text} E.g. {self.example}." if self.example else text


def flat_model(name: str, fields: Sequence[Field], base: type[BaseModel] = Model) -> type[BaseModel]:
    """The pydantic model that parses each field on its own, none required yet (cross-field checks
    and defaults are the kind's business): derived from the declaration, never written twice."""
    spec: dict[str, Any] = {f.name: (f.annotation | None, None) for f in fields}
    return create_model(name, __base__=base, **spec)


def choice(aliases: Mapping[str, str]) -> Callable[[Any], Any]:
    """The lenient parser of a choice: case, spaces and underscores ignored, with a few aliases."""
    return _choice(aliases)


# --------------------------------------------------------------------------------- input mappings
NAME_KEYS = {"name": "candidate", "full_name": "candidate"}
"""A nested ``candidate: {name: …}`` in a data file: its keys as fields."""


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
                    out[NAME_KEYS.get(sub, sub)] = sub_value
        elif not _blank(value):
            out[name] = value
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------------------------- validation
class Problems:
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
                        f" (did you mean `{close[0]}`?)"
                        if close
                        else " (`hrdocs kinds show KIND` lists the fields)"
                    )
                self.add(problem.field or top, message)
            return model.model_validate({k: v for k, v in data.items() if k not in bad})

    def raise_if_any(self) -> None:
        if self.items:
            last = len(self.order)
            ordered = sorted(self.items, key=lambda p: self.order.get((p.field or "").split("[")[0], last))
            raise ValidationFailed(ordered, what=self.source)
