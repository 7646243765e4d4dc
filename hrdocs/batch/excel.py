"""Reading the first sheet of an Excel workbook (``.xlsx``), as the text a person sees in each cell.

openpyxl gives the values Excel saved: a date-formatted cell is a date, a number is a number. What it
gives no sign of is named instead, by row and column: a formula cell Excel never calculated (a file
written by a program, not saved by Excel, has formulas without values: openpyxl reads them as empty,
and the row would be refused as "required, but missing"), and a cell that shows an Excel error
(``#N/A``). A file that is not a workbook at all — an old ``.xls``, a password-protected workbook, a
CSV file named ``.xlsx`` — is named for what it is, with what to do, not "File is not a zip file".
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hrdocs.batch.inputs import Input, Row, check_columns
from hrdocs.errors import HrdocsError, Problem, UsageError
from hrdocs.limits import MB, size_text

EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)
"""What a cell whose formula fails shows (openpyxl.cell.cell.ERROR_CODES, and Excel's own list of error
values: support.microsoft.com, "How to correct a #N/A error" and its siblings)."""
UNSAVED = (
    "holds a formula with no saved value (the file was written by a program that does not calculate "
    "formulas); open it in Excel and save it, or paste the values (Paste Special > Values)"
)
NOT_A_WORKBOOK_HINT = "if it is an old .xls, open it in Excel and save it as .xlsx, or as CSV UTF-8"
PRECISION = 15
"""Significant digits Excel keeps and shows of a number ("Excel specifications and limits", Microsoft:
number precision 15 digits), so that 62100.00000000001 (a formula's float) reads as 62100."""

WORKBOOK_MAX_RATIO = 100
"""The most a part of a workbook over :data:`WORKBOOK_RATIO_FROM` may be packed, unpacked size to packed
size. A sheet's XML packs 12 to 16 times (measured: 20,000 rows of an export, and 100,000 identical
rows); deflate packs at most about 1,000:1, which is what a zip bomb does."""
WORKBOOK_RATIO_FROM = 10 * MB
SHARED_STRINGS_MAX_BYTES = 256 * MB
"""The most the workbook's table of texts may unpack to: openpyxl holds it all in memory, where the
sheet itself is streamed. An export of 100,000 rows of ten texts has about 30 MB of it."""

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
"""The compound-file signature of Excel 97-2003 ``.xls`` files, and of encrypted ``.xlsx`` files."""
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


class ExcelInput(Input):
    """The first sheet of a workbook, read with openpyxl (``pip install 'hrdocs[xlsx]'``)."""

    @classmethod
    def load(cls, path: Path) -> ExcelInput:
        header = next(_excel_rows(path), None)
        if header is None:
            raise HrdocsError(f"{path}: the first sheet is empty (its first row must name the columns)")
        columns = [cell_text(c).strip() for c in header[1]]
        while columns and not columns[-1]:
            columns.pop()
        check_columns(path, columns)
        return cls(path, columns, "table", [])

    def rows(self) -> Iterator[Row]:
        rows = _excel_rows(self.path, formulas=True)
        next(rows, None)
        width = len(self.columns)
        self.problems = []
        for number, cells, formulas in rows:
            texts = [cell_text(c) for c in cells]
            if not any(t.strip() for t in texts) and not any(formulas[:width]):
                continue
            if len(texts) > width and any(t.strip() for t in texts[width:]):
                self.problems.append(
                    Problem(self.name, number, None, f"has values beyond the {width} named columns")
                )
                continue
            unread = tuple(
                (self.columns[i], why)
                for i, why in enumerate(_unread(cells[:width], formulas[:width]))
                if why and self.columns[i]
            )
            yield Row(number, dict(zip(self.columns, texts, strict=False)), unread)


def _unread(cells: tuple[Any, ...], formulas: tuple[bool, ...]) -> Iterator[str | None]:
    """Why each cell's value cannot be taken as it reads, or None."""
    for i, value in enumerate(cells):
        if value is None and i < len(formulas) and formulas[i]:
            yield UNSAVED
        elif isinstance(value, str) and value in EXCEL_ERRORS:
            yield f"shows the Excel error {value} (its formula fails); fix the formula, or type the value"
        else:
            yield None


def _excel_rows(
    path: Path, *, formulas: bool = False
) -> Iterator[tuple[int, tuple[Any, ...], tuple[bool, ...]]]:
    """(row number, the values Excel saved, which cells hold a formula): the formulas are read (a
    second reading of the sheet) only when ``formulas`` is asked for and the sheet has any."""
    try:
        import openpyxl
    except ImportError:
        raise UsageError(
            f"{path}: reading .xlsx needs openpyxl",
            hint="pip install 'hrdocs[xlsx]', or save the sheet as CSV UTF-8",
        ) from None
    _sniff(path)
    books = [_open(openpyxl, path, data_only=True)]
    try:
        sheet = _first_sheet(path, books[0])
        values = sheet.iter_rows(values_only=True)
        kinds: Iterator[tuple[Any, ...]] | None = None
        if formulas and _has_formulas(sheet):
            books.append(_open(openpyxl, path, data_only=False))
            kinds = _first_sheet(path, books[1]).iter_rows(values_only=True)
        number = 0
        try:
            for number, cells in enumerate(values, start=1):
                found = next(kinds, ()) if kinds is not None else ()
                yield number, cells, tuple(_is_formula(v) for v in found)
        except HrdocsError:
            raise
        except Exception:  # the XML of a damaged sheet, a date past year 9999: openpyxl's own errors
            raise HrdocsError(
                f"{path}: row {number + 1}: cannot be read (the workbook is damaged there)",
                hint="open it in Excel and save it again, or save it as CSV UTF-8",
            ) from None
    finally:
        for book in books:
            book.close()


def _sniff(path: Path) -> None:
    """Refuse, for what it is, a file that is not an ``.xlsx`` workbook (a zip file)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise HrdocsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if head.startswith(_ZIP):
        _check_parts(path)
        return
    if head.startswith(_OLE2):
        raise HrdocsError(
            f"{path}: an old Excel 97-2003 workbook (.xls) or one protected by a password, not an .xlsx "
            "workbook",
            hint="open it in Excel and save it as an Excel Workbook (.xlsx), without a password, or as "
            "CSV UTF-8",
        )
    if head and b"\0" not in head and _text(head):
        raise HrdocsError(
            f"{path}: a text file (a CSV or web-page export?), not an Excel workbook (.xlsx)",
            hint="if it is a CSV export, name it .csv; else open it in Excel and save it as .xlsx",
        )
    raise HrdocsError(f"{path}: not an Excel workbook (.xlsx)", hint=NOT_A_WORKBOOK_HINT)


def _check_parts(path: Path) -> None:
    """Refuse a zip bomb from the package's directory, before openpyxl unpacks a part."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: openpyxl's refusal is worded in _open
    hint = "if it is a workbook of your own, open it in Excel and save it again, or save it as CSV UTF-8"
    for info in infos:
        unpacked, packed = info.file_size, max(info.compress_size, 1)
        if unpacked > WORKBOOK_RATIO_FROM and unpacked > WORKBOOK_MAX_RATIO * packed:
            raise HrdocsError(
                f"{path}: part {info.filename} unpacks from {size_text(packed)} to {size_text(unpacked)}, "
                f"packed more than {WORKBOOK_MAX_RATIO}:1, which no workbook is (a zip bomb?): not read",
                hint=hint,
            )
        if info.filename.lower().endswith("sharedstrings.xml") and unpacked > SHARED_STRINGS_MAX_BYTES:
            raise HrdocsError(
                f"{path}: its table of texts unpacks to {size_text(unpacked)}, more than the "
                f"{size_text(SHARED_STRINGS_MAX_BYTES)} hrdocs reads",
                hint="split the sheet into several workbooks, or save it as CSV UTF-8 (read as a stream)",
            )


def _text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _open(openpyxl: Any, path: Path, *, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip file
        raise HrdocsError(
            f"{path}: not a readable Excel workbook (.xlsx): a zip file without a workbook, or damaged",
            hint="open it in Excel and save it again as .xlsx, or as CSV UTF-8",
        ) from None


def _first_sheet(path: Path, book: Any) -> Any:
    if not book.worksheets:
        raise HrdocsError(f"{path}: the workbook has no worksheet (its first sheet must hold the rows)")
    return book.worksheets[0]


def _has_formulas(sheet: Any) -> bool:
    """Whether the sheet's XML has a formula at all: a search of its bytes, far quicker than reading it
    twice (an export has none). True when it cannot tell, so that a formula is never missed."""
    opener = getattr(sheet, "_get_source", None)  # openpyxl's read-only sheet; private, hence the care
    if opener is None:
        return True
    try:
        with opener() as source:
            tail = b""
            while block := source.read(1 << 20):
                if _FORMULA_TAG.search(tail + block):
                    return True
                tail = block[-64:]
    except Exception:
        return True
    return False


def _is_formula(value: Any) -> bool:
    """In a sheet read with its formulas (``data_only=False``): a formula, or an array formula."""
    return (isinstance(value, str) and value.startswith("=")) or (
        value is not None
        and not isinstance(value, str | int | float | bool | dt.date | dt.time | dt.timedelta)
    )


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: dates as YYYY-MM-DD, 72000.0 as 72000 (see :data:`PRECISION`).
    A date-time keeps its time (a date field then says why it is refused); midnight is the date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, f".{PRECISION}g")
    return str(value)
