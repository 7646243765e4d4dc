"""What a kind of document is: one object that says everything about it.

A :class:`Kind` names the document (and the other names people use for it), declares its input as
:class:`~hrdocs.fields.Field` objects, validates a flat mapping of them into typed input, turns that
input into template data (:class:`Prepared`), and says where its files go, how they are named, which
lint rules read it and whether it carries personal data. The CLI's options, the batch's columns,
``templates vars``, ``templates check``, lint and the docs tables are all derived from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrdocs.errors import HrdocsError
from hrdocs.fields import Field

if TYPE_CHECKING:
    from hrdocs.session import Session

Lines = Mapping[str, int | None]
"""The line of each field in a data file (``{}`` for flags and spreadsheet rows)."""


@dataclass
class Prepared:
    """One document's template data, made from its validated input, and what the writers need."""

    context: dict[str, Any]
    names: dict[str, str]
    """Values a file-name pattern may use (``candidate``, ``role``, ``start``, …)."""
    meta: dict[str, str] = field(default_factory=dict)
    """Notes for the writers (``Document.meta``): the role, the document's own date, JSON-LD facts."""
    warnings: list[str] = field(default_factory=list)
    """What is allowed but worth a second look (pay outside the role's range), naming fields only."""
    role: str | None = None


Validate = Callable[["Session", "Kind", Mapping[str, Any], str, Lines], Any]
Prepare = Callable[["Session", "Kind", Any], Prepared]
Samples = Callable[["Session", "Kind"], list[dict[str, Any]]]


@dataclass(frozen=True)
class Kind:
    name: str
    """The registry's key and the template's name: ``offer-letter``."""
    short: str
    """As file names, the manifest and a batch's ``kind`` column write it: ``offer``."""
    title: str
    """For people: ``offer letter``."""
    fields: tuple[Field, ...]
    validate: Validate
    """(session, kind, raw mapping, source, lines) -> typed input, or ValidationFailed naming every
    problem (``source:line: field: message``)."""
    prepare: Prepare
    """(session, kind, typed input) -> template data and file-name values."""
    samples: Samples
    """(session, kind) -> raw inputs that show every name a template may use, made from real data."""
    folder: str
    """The output folder under the workspace's ``output/``."""
    file_name: str
    """The file-name pattern (see :mod:`hrdocs.naming`): ``{kind}-{candidate}-{role}``."""
    lint: str
    """The lint kind whose rules read it (:data:`hrdocs.lint.KINDS`)."""
    aliases: tuple[str, ...] = ()
    template: str = ""
    """The template's name, when it is not the kind's own (a workspace kind ``like`` another)."""
    private: bool = False
    """It carries personal data: written readable by its owner only; its checks read the template's
    wording with the values masked, so that no warning quotes a candidate's data."""
    takes_role: bool = False
    """Its command takes a ROLE argument (the ``role`` field)."""
    formats: tuple[str, ...] = ("docx",)
    """The formats its command writes when none are asked for."""
    structured: bool = False
    """It has schema.org structured data, so it can be written as JSON-LD (``json``)."""
    based_on: str | None = None
    """The built-in kind whose input and data it takes (``like: offer-letter``)."""
    source: Path | None = None
    """The file that declares it (a workspace kind), for messages."""
    open_fields: bool = False
    """A free-form kind: any key of its data file is passed on to the template."""
    problem: HrdocsError | None = None
    """Why the kind cannot be used (its declaration is broken): every use says so, once."""

    @property
    def template_name(self) -> str:
        return self.template or self.name

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it answers to, its own first, each once (a workspace kind's short is its name)."""
        return tuple(dict.fromkeys((self.name, self.short, *self.aliases)))

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def required(self) -> Sequence[Field]:
        return [f for f in self.fields if f.required]
