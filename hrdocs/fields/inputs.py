"""An input as it arrives (a data file, a row, flags) spelled as fields, and its problems collected.

Keys are spelled leniently (``Preferred name`` is ``preferred_name``), empty values dropped and a
nested ``candidate: {name: …}`` flattened (:func:`normalize_fields`); :class:`Problems` collects every
problem of one input before anything is refused, each located by field (and line, for a data file).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.loader import problems_from

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
