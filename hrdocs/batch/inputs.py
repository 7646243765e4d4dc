"""What every batch input is, whatever file it came from: its columns and its rows.

Kept apart from the readers (:mod:`hrdocs.batch.reading` for CSV and plans, :mod:`hrdocs.batch.excel`
for workbooks) so that each reader stands on it and none on another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hrdocs.errors import Problem, UsageError


@dataclass(frozen=True)
class Row:
    """One input record: where it is and its values by column (CSV) or key (plan)."""

    number: int
    values: Mapping[str, Any]
    unread: tuple[tuple[str, str], ...] = ()
    """(column, why) for cells whose value could not be read (an Excel formula never calculated):
    refused when the column feeds a field, never taken as blank."""


@dataclass
class Input:
    """An opened input file: its columns, and a way to read its rows (again, for the second pass)."""

    path: Path
    columns: list[str]
    kind: str
    """``table`` (CSV, Excel: every value is text) or ``plan`` (YAML: values keep their types)."""
    problems: list[Problem]
    """Rows that cannot be read at all (too many cells, a quote that swallowed lines); found while
    reading, reported with the rest, and counted as invalid rows."""

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return self.path.name


def check_columns(path: Path, columns: list[str]) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        key = column.casefold()
        if column and key in seen:
            raise UsageError(f"{path}: the column `{column}` appears twice in the header")
        seen[key] = column
