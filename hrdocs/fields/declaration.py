"""A field, declared once per kind of document: its type, help, example and column names.

Everything else is derived from the declaration: the flat pydantic model that parses each value
(:func:`flat_model`), the command-line options (:attr:`Field.option`, :attr:`Field.metavar`), the
batch's column aliases, the tables in ``hrdocs kinds show`` and the docs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, create_model

from hrdocs.fields.values import (
    Day,
    Email,
    Hours,
    IdList,
    Lines,
    ManyLines,
    Model,
    Money,
    Number,
    OneLine,
    TextList,
    YesNo,
)

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
