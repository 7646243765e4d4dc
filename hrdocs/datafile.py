"""Data files: a document's fields from a YAML or JSON file, with the line of each.

``hrdocs offer --data jane.yaml``, ``hrdocs render KIND --data x.json`` and a plan's entries read their
fields here, spelled leniently (``Preferred name`` is ``preferred_name``), so that every problem names
the file, the line and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hrdocs.errors import Problem, ValidationFailed
from hrdocs.fields import NAME_KEYS, field_key, normalize_fields
from hrdocs.loader import read_yaml


def read_data_file(path: Path) -> tuple[dict[str, Any], dict[str, int | None]]:
    """A document's fields from a YAML or JSON file: the fields (keys spelled as fields) and the line of
    each (``{}`` for JSON, whose parser keeps no lines)."""
    source = str(path)
    if path.suffix.lower() == ".json":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValidationFailed(
                [Problem(source, None, None, f"cannot read: {exc.strerror or exc}")]
            ) from None
        except UnicodeDecodeError as exc:
            raise ValidationFailed([Problem(source, None, None, f"not UTF-8 text ({exc.reason})")]) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                [Problem(source, exc.lineno, None, f"JSON: {exc.msg}")], what=source
            ) from None
        line_of: Callable[[tuple[str, ...]], int | None] = lambda loc: None  # noqa: E731
    else:
        data, linemap = read_yaml(path)
        line_of = linemap.line
    if not isinstance(data, Mapping):
        raise ValidationFailed(
            [
                Problem(
                    source,
                    1,
                    None,
                    "must be a mapping of field: value (`hrdocs kinds show KIND` lists them)",
                )
            ],
            what=source,
        )
    lines: dict[str, int | None] = {}
    for key, value in data.items():
        if field_key(key) == "candidate" and isinstance(value, Mapping):
            for sub in value:
                name = field_key(sub)
                lines[NAME_KEYS.get(name, name)] = line_of((key, sub))
        else:
            lines[field_key(key)] = line_of((key,))
    return normalize_fields(data), lines
