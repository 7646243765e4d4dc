"""The shape of a kind's template data: every name a template may use, its type and an example.

Samples are made from real data (the catalogue's roles, a sample offer run through the same
validation as a real one; see each kind's ``samples``), never from a hand-written list of names, so
``hrdocs templates vars`` and the unknown-name check of ``hrdocs templates check`` stay right when the
data grows. A :class:`Shape` is found by walking the :class:`~hrdocs.context.View` objects themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


# ---------------------------------------------------------------------------------- shapes
@dataclass
class Shape:
    """What one name holds across every sample: its types, fields, items and an example."""

    path: str
    types: set[str] = field(default_factory=set)
    fields: dict[str, Shape] = field(default_factory=dict)
    item: Shape | None = None
    example: Any = None

    @property
    def label(self) -> str:
        kinds = [t for t in ("text", "number", "date", "yes/no", "object", "list") if t in self.types]
        words = []
        for t in kinds:
            if t == "list":
                inner = self.item.label if self.item else ""
                words.append(f"list of {_plural(inner)}" if inner and inner != "empty" else "list")
            else:
                words.append(t)
        text = " or ".join(words) or "empty"
        if "empty" in self.types and words:
            text += " (may be empty)"
        return text

    def merge(self, value: Any) -> None:
        if value is None:
            self.types.add("empty")
            return
        if isinstance(value, bool):
            kind = "yes/no"
        elif isinstance(value, int | float | Decimal):
            kind = "number"
        elif isinstance(value, dt.date):
            kind = "date"
        elif isinstance(value, str):
            kind = "text"
        elif isinstance(value, Mapping):
            kind = "object"
            for key, sub in value.items():
                name = f"{self.path}.{key}" if self.path else str(key)
                child = self.fields.setdefault(str(key), Shape(name))
                child.merge(sub)
        elif isinstance(value, tuple | list):
            kind = "list"
            if self.item is None:
                self.item = Shape(f"{self.path}[]")
            for sub in value:
                self.item.merge(sub)
        else:
            kind = "object"
        self.types.add(kind)
        if self.example is None and kind not in ("object", "list") and str(value).strip():
            self.example = value


def _plural(label: str) -> str:
    return {"object": "objects", "number": "numbers", "date": "dates", "list": "lists"}.get(label, label)


def shape_of(contexts: Sequence[Mapping[str, Any]]) -> Shape:
    """One shape for all samples: a name present in any of them is known."""
    top = Shape("")
    for context in contexts:
        top.merge(dict(context))
    return top


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    example: str


def walk(shape: Shape) -> Iterator[Variable]:
    """Every dotted name under ``shape`` (``role.duty_areas[].name``), depth first, in data order."""
    for child in shape.fields.values():
        yield Variable(child.path, child.label, _example(child))
        yield from walk(child)
        if child.item is not None:
            yield from walk(child.item)


def _example(shape: Shape) -> str:
    value = shape.example
    if value is None and shape.item is not None and shape.item.example is not None:
        value = shape.item.example
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"
