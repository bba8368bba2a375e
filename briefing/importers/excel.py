"""Excel workbooks (.xlsx) read row by row: which sheet was read is always said, and what was not."""

from __future__ import annotations

import datetime
import io
import itertools
import zipfile
from collections.abc import Iterator

from briefing.importers.records import RawFile, assemble
from briefing.importers.report import ACCEPTS, INVISIBLE, ImporterError

#: Workbooks whose sheets unpack to more than this are refused before openpyxl opens them: it reads
#: some 4-7 MB of sheet XML a second (and scans every sheet to open a workbook), so this keeps a
#: workbook import under about ten seconds. The same table as CSV reads ten times faster.
SHEET_XML_LIMIT = 32 * 1024 * 1024


def sheets_size(raw: bytes) -> int:
    """How large the workbook's sheets are once unpacked (openpyxl reads every sheet's XML to open it)."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0
    return sum(info.file_size for info in infos if info.filename.startswith("xl/worksheets/"))


def _bounded(raw: bytes, label: str) -> None:
    size = sheets_size(raw)
    if size > SHEET_XML_LIMIT:
        raise ImporterError(
            f"{label}: the workbook's sheets unpack to {size / 1e6:,.0f} MB of spreadsheet XML; reading a workbook "
            "that large cell by cell would take minutes. Save the sheet you need as CSV (UTF-8): the kit reads a "
            "CSV of that size in seconds."
        )


def _cell(value):
    """Cells keep what they mean: dates stay dates, numbers and true/false stay so, the rest is text."""
    if value is None or isinstance(value, (bool, int, float, datetime.date, datetime.time)):
        return value
    return str(value)


def _rows(sheet) -> Iterator[tuple[int, list]]:
    for line, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield line, [_cell(value) for value in values]


def _has_cells(sheet) -> bool:
    for values in itertools.islice(sheet.iter_rows(min_row=1, values_only=True), 50):
        if any(value is not None and str(value).strip() for value in values):
            return True
    return False


def _choose(book, label: str, sheet: str | int | None) -> tuple[str, str]:
    """(the sheet's name, a note saying which sheet was read and which were not)."""
    names = list(book.sheetnames)
    listed = ", ".join(repr(name) for name in names)
    if isinstance(sheet, str):
        if sheet not in names:
            raise ImporterError(f"{label}: the workbook has no sheet named {sheet!r}; its sheets: {listed}.")
        chosen = sheet
    elif isinstance(sheet, int):
        if not -len(names) <= sheet < len(names):
            raise ImporterError(
                f"{label}: the workbook has {len(names)} sheet(s), so no sheet number {sheet}: {listed}."
            )
        chosen = names[sheet]
    else:
        chosen = next((name for name in names if _has_cells(book[name])), names[0])
    others = [name for name in names if name != chosen]
    if not others:
        return chosen, ""
    skipped = " (the sheets before it are empty)" if sheet is None and chosen != names[0] else ""
    return chosen, (
        f"Read the sheet {chosen!r}{skipped}; the workbook has {len(names)} sheets, and "
        f"{', '.join(repr(name) for name in others)} were not read. Choose another sheet (the importer's Sheet box, or sheet=) to read it instead."
    )


def read_workbook(raw: bytes, label: str, sheet: str | int | None = None) -> RawFile:
    """One sheet of an .xlsx workbook as rows; ``sheet`` by name or number (None: the first with data)."""
    from openpyxl import load_workbook

    _bounded(raw, label)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook; the reader needs one
        raise ImporterError(
            f"{label}: could not read it as an Excel workbook; it looks damaged or incomplete "
            f"({type(exc).__name__}: {exc}). Open it in a spreadsheet and save it again as .xlsx or CSV. {ACCEPTS}"
        ) from exc
    try:
        chosen, note = _choose(book, label, sheet)
        rows = list(_rows(book[chosen]))
        names = list(book.sheetnames)
    except ImporterError:
        raise
    except Exception as exc:
        raise ImporterError(
            f"{label}: the workbook's sheet could not be read; it looks damaged ({type(exc).__name__}: {exc})."
        ) from exc
    finally:
        book.close()
    clean = any(isinstance(cell, str) and INVISIBLE.search(cell) for _, cells in rows for cell in cells)
    result = assemble(label, rows, encoding=f"Excel, sheet {chosen!r}", clean=clean)
    if note:
        result.notes.insert(0, note)
    result.sheets = names
    return result


def first_row(raw: bytes) -> list[str]:
    """The first non-empty row of a workbook's first sheet with data, as text ([] if unreadable)."""
    from openpyxl import load_workbook

    if sheets_size(raw) > SHEET_XML_LIMIT:
        return []  # too large to open quickly; reading it says so
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            chosen, _ = _choose(book, "file", None)
            for values in itertools.islice(book[chosen].iter_rows(min_row=1, values_only=True), 50):
                if any(value is not None and str(value).strip() for value in values):
                    return ["" if value is None else str(value).strip() for value in values]
        finally:
            book.close()
    except Exception:  # a workbook that cannot be opened has no header to recognise
        return []
    return []
