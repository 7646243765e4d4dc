"""Reading a batch's input: a CSV or Excel export (one document per row) or a YAML plan.

Rows are streamed, never held all at once, so a file of 100,000 candidates costs the memory of one
chunk. Each row keeps its number as a person finds it again: the spreadsheet row for a CSV or
``.xlsx`` file (the header is row 1) and the line of the entry for a YAML plan.

CSV files are read as UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); the delimiter
(``,``, ``;`` or tab) is taken from the header line, and quoted fields may hold line breaks. What a
CSV reader forgives silently is named instead, with its row and column: a quote never closed (which
swallows the rows after it into one cell), a cell too long to read (:mod:`hrdocs.batch.csvtext`).
Excel workbooks are read by :mod:`hrdocs.batch.excel`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from hrdocs.batch.csvtext import LINE_LIMIT, READ_LIMIT, Lines, LongLine, long_line, record_problem, too_long
from hrdocs.batch.inputs import Input, Row, check_columns
from hrdocs.errors import HrdocsError, Problem, UsageError, ValidationFailed
from hrdocs.loader import read_yaml

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PLAN_SUFFIXES = (".yaml", ".yml")
OTHER_SHEETS = {
    ".xls": "an Excel 97-2003 workbook",
    ".xlsb": "an Excel binary workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "an Apple Numbers spreadsheet",
}
"""Spreadsheets hrdocs does not read, named for what they are."""
_DELIMITERS = (",", ";", "\t", "|")


def open_input(path: Path) -> Input:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if suffix in PLAN_SUFFIXES:
        return PlanInput.load(path)
    if suffix in EXCEL_SUFFIXES:
        from hrdocs.batch.excel import ExcelInput  # openpyxl, only when a workbook is read

        return ExcelInput.load(path)
    if suffix in CSV_SUFFIXES or suffix == "":
        return CsvInput.load(path)
    if suffix in OTHER_SHEETS:
        raise UsageError(
            f"{path}: cannot read {suffix} files ({OTHER_SHEETS[suffix]})",
            hint="open it and save it as an Excel Workbook (.xlsx), or as CSV UTF-8",
        )
    raise UsageError(
        f"{path}: cannot read {suffix} files",
        hint="give a .csv file (UTF-8), an .xlsx workbook or a .yaml plan",
    )


# ------------------------------------------------------------------------------------------------ CSV
class CsvInput(Input):
    delimiter: str = ","

    @classmethod
    def load(cls, path: Path) -> CsvInput:
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                head = handle.readline(LINE_LIMIT + 1)
        except OSError as exc:
            raise HrdocsError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc) from None
        if len(head) > LINE_LIMIT:
            raise HrdocsError(
                f"{path}: the first line is longer than {LINE_LIMIT:,} characters: not a CSV file?"
            )
        if not head.strip():
            raise HrdocsError(f"{path}: empty file, or the first line is empty (it must name the columns)")
        delimiter = max(_DELIMITERS, key=lambda d: (head.count(d), -_DELIMITERS.index(d)))
        columns = next(csv.reader([head.rstrip("\r\n")], delimiter=delimiter))
        table = cls(path, [c.strip() for c in columns], "table", [])
        table.delimiter = delimiter
        check_columns(path, table.columns)
        return table

    def rows(self) -> Iterator[Row]:
        width = len(self.columns)
        self.problems = []
        csv.field_size_limit(READ_LIMIT)  # the module's own setting, for this process: only we read CSV
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                lines = Lines(handle)
                reader = csv.reader(lines, delimiter=self.delimiter)
                next(reader, None)
                if lines.read > 1:  # the header's own quote ran on: no row could be told apart
                    raise HrdocsError(
                        f"{self.path}: a quote in the header (line 1) is never closed on that line",
                        hint="check the quotes in the first line",
                    )
                number = 1
                while True:
                    lines.next_record()
                    try:
                        cells = next(reader)
                    except StopIteration:
                        break
                    except LongLine:
                        raise long_line(self.name, str(self.path), number + 1, lines) from None
                    except csv.Error as exc:
                        if "field larger than field limit" not in str(exc):
                            raise HrdocsError(
                                f"{self.path}: row {number + 1}: not readable as CSV ({exc})"
                            ) from None
                        raise too_long(
                            self.name, str(self.path), number + 1, lines, self.delimiter, self._column
                        ) from None
                    number += 1
                    problem = record_problem(self.name, number, lines, self.delimiter, self._column)
                    if problem is not None:
                        self.problems.append(problem)
                        continue
                    if not any(c.strip() for c in cells):
                        continue  # blank lines and the empty rows spreadsheets leave at the end
                    if len(cells) > width and any(c.strip() for c in cells[width:]):
                        self.problems.append(
                            Problem(
                                self.name,
                                number,
                                None,
                                f"has {len(cells)} cells but the header names {width} columns",
                            )
                        )
                        continue
                    yield Row(number, dict(zip(self.columns, cells, strict=False)))
        except UnicodeDecodeError as exc:
            raise _not_utf8(self.path, exc) from None

    def _column(self, index: int) -> str:
        columns = self.columns
        return columns[index] if index < len(columns) and columns[index] else f"column {index + 1}"


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> HrdocsError:
    return HrdocsError(
        f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
        hint='in Excel, save as "CSV UTF-8 (Comma delimited)"',
    )


# ----------------------------------------------------------------------------------------------- plan
class PlanInput(Input):
    """A YAML plan: a list of entries (or ``documents:`` with optional ``defaults:``), one per document."""

    entries: list[tuple[int, Mapping[str, Any]]]
    defaults: dict[str, Any]
    """Given to every entry whose kind has the field (``start`` goes to the offers of a mixed plan)."""

    @classmethod
    def load(cls, path: Path) -> PlanInput:
        data, lines = read_yaml(path)
        source = str(path)
        defaults: Mapping[str, Any] = {}
        base: tuple[Any, ...] = ()
        if isinstance(data, Mapping):
            unknown = [k for k in data if k not in ("documents", "defaults")]
            if unknown:
                raise ValidationFailed(
                    [
                        Problem(
                            source,
                            lines.line((k,)),
                            str(k),
                            "unknown key (a plan has documents and defaults)",
                        )
                        for k in unknown
                    ],
                    what=source,
                )
            defaults = data.get("defaults") or {}
            if not isinstance(defaults, Mapping):
                raise ValidationFailed(
                    [
                        Problem(
                            source, lines.line(("defaults",)), "defaults", "must be a mapping of field: value"
                        )
                    ],
                    what=source,
                )
            data, base = data.get("documents"), ("documents",)
        if not isinstance(data, list):
            raise ValidationFailed(
                [
                    Problem(
                        source,
                        lines.line(base) or 1,
                        None,
                        "a plan is a list of documents (see docs/batch.md)",
                    )
                ],
                what=source,
            )
        plan = cls(path, [], "plan", [])
        plan.entries = []
        plan.defaults = {}
        for index, entry in enumerate(data):
            line = lines.line((*base, index)) or 1
            if not isinstance(entry, Mapping):
                plan.problems.append(
                    Problem(path.name, line, None, "each document is a mapping of field: value")
                )
                continue
            plan.entries.append((line, dict(entry)))
        plan.defaults = {str(k): v for k, v in defaults.items()}
        columns: dict[str, None] = {}
        for _, entry in plan.entries:
            columns.update(dict.fromkeys(str(k) for k in entry))
        plan.columns = list(columns)
        return plan

    def rows(self) -> Iterator[Row]:
        for line, entry in self.entries:
            yield Row(line, {str(k): v for k, v in entry.items()})
