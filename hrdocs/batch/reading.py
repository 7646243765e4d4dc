"""Reading a batch's input: a CSV or Excel export (one document per row) or a YAML plan.

Rows are streamed, never held all at once, so a file of 100,000 candidates costs the memory of one
chunk. Each row keeps its number as a person finds it again: the spreadsheet row for a CSV or
``.xlsx`` file (the header is row 1) and the line of the entry for a YAML plan.

CSV files are read as UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); the delimiter
(``,``, ``;`` or tab) is taken from the header line, and quoted fields may hold line breaks.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hrdocs.errors import HrdocsError, Problem, UsageError, ValidationFailed
from hrdocs.loader import read_yaml

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PLAN_SUFFIXES = (".yaml", ".yml")
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Row:
    """One input record: where it is and its values by column (CSV) or key (plan)."""

    number: int
    values: Mapping[str, Any]


@dataclass
class Input:
    """An opened input file: its columns, and a way to read its rows (again, for the second pass)."""

    path: Path
    columns: list[str]
    kind: str
    """``table`` (CSV, Excel: every value is text) or ``plan`` (YAML: values keep their types)."""
    problems: list[Problem]
    """Rows that cannot be read at all (too many cells); found while reading, reported with the rest."""

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return self.path.name


def open_input(path: Path) -> Input:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if suffix in PLAN_SUFFIXES:
        return PlanInput.load(path)
    if suffix in EXCEL_SUFFIXES:
        return ExcelInput.load(path)
    if suffix in CSV_SUFFIXES or suffix == "":
        return CsvInput.load(path)
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
                head = handle.readline()
        except OSError as exc:
            raise HrdocsError(f"{path}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc) from None
        if not head.strip():
            raise HrdocsError(f"{path}: empty file, or the first line is empty (it must name the columns)")
        delimiter = max(_DELIMITERS, key=lambda d: (head.count(d), -_DELIMITERS.index(d)))
        columns = next(csv.reader([head.rstrip("\r\n")], delimiter=delimiter))
        table = cls(path, [c.strip() for c in columns], "table", [])
        table.delimiter = delimiter
        _check_columns(path, table.columns)
        return table

    def rows(self) -> Iterator[Row]:
        width = len(self.columns)
        self.problems = []
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                next(reader, None)
                for number, cells in enumerate(reader, start=2):
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
        except csv.Error as exc:
            raise HrdocsError(f"{self.path}: not a readable CSV file ({exc})") from None


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> HrdocsError:
    return HrdocsError(
        f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})",
        hint='in Excel, save as "CSV UTF-8 (Comma delimited)"',
    )


def _check_columns(path: Path, columns: list[str]) -> None:
    seen: dict[str, str] = {}
    for column in columns:
        key = column.casefold()
        if column and key in seen:
            raise UsageError(f"{path}: the column `{column}` appears twice in the header")
        seen[key] = column


# ---------------------------------------------------------------------------------------------- Excel
class ExcelInput(Input):
    """The first sheet of a workbook, read with openpyxl (``pip install 'hrdocs[xlsx]'``)."""

    @classmethod
    def load(cls, path: Path) -> ExcelInput:
        header = next(_excel_rows(path), None)
        if header is None:
            raise HrdocsError(f"{path}: the first sheet is empty (its first row must name the columns)")
        columns = [_cell_text(c).strip() for c in header[1]]
        while columns and not columns[-1]:
            columns.pop()
        _check_columns(path, columns)
        return cls(path, columns, "table", [])

    def rows(self) -> Iterator[Row]:
        rows = _excel_rows(self.path)
        next(rows, None)
        width = len(self.columns)
        self.problems = []
        for number, cells in rows:
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            if len(texts) > width and any(t.strip() for t in texts[width:]):
                self.problems.append(
                    Problem(self.name, number, None, f"has values beyond the {width} named columns")
                )
                continue
            yield Row(number, dict(zip(self.columns, texts, strict=False)))


def _excel_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        import openpyxl
    except ImportError:
        raise UsageError(
            f"{path}: reading .xlsx needs openpyxl",
            hint="pip install 'hrdocs[xlsx]', or save the sheet as CSV UTF-8",
        ) from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or foreign file
        raise HrdocsError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a person sees: dates as YYYY-MM-DD, 72000.0 as 72000."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
