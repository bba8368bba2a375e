"""Reading a user's file as one of the kit's tables, checked against the schema (see :mod:`briefing.importers`)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from briefing import data
from briefing.importers import filetypes
from briefing.importers.derive import fill_derivable, resolve_columns
from briefing.importers.excel import read_workbook
from briefing.importers.records import DELIMITERS, RawFile, read_text
from briefing.importers.report import REPORT_COLUMNS, ImporterError, ImportReport, problem_frame
from briefing.importers.rows import ORIGIN, check_rows, check_table

#: Files larger than this are refused before they are read (the kit runs on laptops in class).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DELIMITERS",
    "ENCODINGS",
    "ORIGIN",
    "REPORT_COLUMNS",
    "ImportReport",
    "ImporterError",
    "check_rows",
    "read_file",
    "read_frame",
    "read_table",
]


# ---- Reading bytes into rows of cells ----------------------------------------------------------


def _read_bytes(source, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw, label = bytes(source), name or "uploaded file"
        if len(raw) > max_bytes:
            raise ImporterError(_too_large(label, len(raw), max_bytes))
        return raw, _label(label)
    path = Path(source)
    label = _label(name or path.name)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImporterError(f"{label}: this is a folder, not a file.")
    except OSError as exc:
        raise ImporterError(f"{label}: cannot read the file ({exc.strerror})") from exc
    if size > max_bytes:  # refused before a byte is read
        raise ImporterError(_too_large(label, size, max_bytes))
    try:
        return path.read_bytes(), label
    except OSError as exc:
        raise ImporterError(f"{label}: cannot read the file ({exc.strerror})") from exc


def _label(name: str) -> str:
    """A file name as reports show it: characters that could reorder or hide text escaped."""
    from briefing.importers.report import shown

    return shown(name) or "uploaded file"


def _too_large(label: str, size: int, limit: int) -> str:
    return (
        f"{label}: the file is {size / 1e6:.1f} MB, more than the import limit of {limit / 1e6:.0f} MB. "
        "Split it, or raise the limit with max_bytes= if the machine has the memory."
    )


def read_file(
    source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, sheet: str | int | None = None
) -> RawFile:
    """A CSV or Excel file as rows of cells (:class:`~briefing.importers.records.RawFile`), nothing lost.

    What the file is comes from its bytes, not its name: a workbook named .csv is read as a
    workbook, CSV text named .xlsx as CSV (each said in the notes); images, PDFs, archives, web
    pages and other kinds are refused saying what they are. Text may be UTF-8 (with or without
    BOM), UTF-16 (with or without BOM) or Windows-1252; the delimiter (, ; tab |) is sniffed on a
    capped prefix. Rows that cannot be split are rejected with their line; a truncated file loads
    its complete rows and says so.
    """
    raw, label = _read_bytes(source, name, max_bytes)
    if not raw.strip(b" \t\r\n\x00"):
        raise ImporterError(
            f"{label}: the file is empty."
            if not raw.strip()
            else f"{label}: the file holds only NUL bytes (zeros): it looks like a failed copy or download."
        )
    kind = filetypes.identify(raw, label, max_bytes)
    claimed = filetypes.claimed_kind(label)
    if kind == "xlsx":
        result = read_workbook(raw, label, sheet)
        if claimed == "csv":
            result.notes.insert(0, "The file is named as CSV text but is an Excel workbook; it was read as a workbook.")
        return result
    decoded = filetypes.decode(raw, label)
    filetypes.text_kind(decoded.text, label)
    result = read_text(decoded.text, label, encoding=decoded.encoding, mixed=decoded.mixed)
    result.notes[:0] = decoded.notes
    if claimed == "excel":
        result.notes.insert(0, "The file is named as an Excel workbook but holds CSV text; it was read as CSV.")
    return result


def read_frame(
    source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, sheet: str | int | None = None
) -> tuple[pd.DataFrame, str, str, str]:
    """A CSV or Excel file as a frame of its cells: (frame, label, encoding, delimiter).

    The whole file or an error: a file with a row that cannot be split (see :func:`read_file`,
    which reports such rows and keeps the others) raises :class:`ImporterError` naming it.
    """
    result = read_file(source, name=name, max_bytes=max_bytes, sheet=sheet)
    if result.rejected:
        first = result.rejected[0]
        raise ImporterError(
            f"{result.label}: row {first['row']} (line {first['line']}) cannot be read: expected {first['expected']}."
        )
    return result.frame, result.label, result.encoding, result.delimiter


# ---- A file as one of the kit's tables ---------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "file"


def _kit_frame(raw: RawFile, table: str, mapping: dict[str, str] | None) -> tuple[pd.DataFrame, list[str]]:
    """The file's columns renamed to the kit's (only those the table has), and notes on the rest."""
    try:
        renames, notes = resolve_columns(raw.headers, table, mapping, raw.repeated)
    except ValueError as exc:
        raise ImporterError(f"{raw.label}: {exc}.") from exc
    return raw.frame[list(renames)].rename(columns=renames), notes


def _looks_like_data(headers: list[str]) -> bool:
    from briefing.importers.dates import read_date

    return any(read_date(header).iso or re.fullmatch(r"[+-]?\d+(\.\d+)?", header) for header in headers)


def _missing_columns(raw: RawFile, table: str, frame: pd.DataFrame) -> ImporterError | None:
    required = [spec["name"] for spec in data.fields(table) if spec.get("constraints", {}).get("required")]
    missing = [column for column in required if column not in frame.columns]
    if not missing:
        return None
    hint = (
        " The first row looks like data, not headers: does the file have a header row?"
        if _looks_like_data(raw.headers)
        else ""
    )
    return ImporterError(
        f"{raw.label}: the {table} table needs the column(s) {', '.join(missing)}; the file has "
        f"{', '.join(map(repr, raw.headers))}. Rename those headers in your file, or map them: "
        f"'Your header' to '{missing[0]}' (the importer's column mapping).{hint}"
    )


def _curated_ids(table: str) -> set[str]:
    key = data.primary_key(table)
    return set(data.load(table)[key[0]].astype(str)) if len(key) == 1 else set()


def read_table(
    source,
    table: str,
    *,
    mapping: dict[str, str] | None = None,
    name: str | None = None,
    all_or_nothing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sheet: str | int | None = None,
) -> ImportReport:
    """Read a user's CSV or Excel file as the kit table ``table``.

    ``mapping`` renames the file's headers to the kit's columns (``{"Title": "name"}``). Rows
    without a ``source_id`` are credited to the file itself (``import_<file name>``). With
    ``all_or_nothing=True`` any rejected row rejects the whole file (the report is on the error).
    ``sheet`` chooses a workbook's sheet by name or number (by default the first with data; the
    report's notes say which was read and which were not). Every row of the file is loaded or
    rejected: ``report.loaded + report.rejected_rows == report.rows_read``.
    """
    if table not in data.list_tables():
        raise ImporterError(f"no kit table named {table!r}; choose one of: {', '.join(data.list_tables())}")
    raw = read_file(source, name=name, max_bytes=max_bytes, sheet=sheet)
    frame, notes = _kit_frame(raw, table, mapping)
    declared = [spec["name"] for spec in data.fields(table)]
    if "source_id" in declared and "source_id" not in frame.columns:
        frame["source_id"] = "import_" + _slug(Path(raw.label).stem)
    frame, derived = fill_derivable(frame, table, taken=_curated_ids(table))
    missing = _missing_columns(raw, table, frame)
    if missing:
        raise missing
    checked = check_table(
        frame, table, label=raw.label, row_numbers=raw.rows, lines=raw.lines, decimal_comma=raw.decimal_comma
    )
    report = ImportReport(
        raw.label,
        table,
        checked.typed,
        _joined(raw.rejected, checked.rejected),
        raw.encoding,
        raw.delimiter,
        rows_read=raw.rows_read,
        derived=derived,
        flagged=_joined(raw.flagged, checked.flagged),
        notes=raw.notes + notes,
        sheets=raw.sheets,
    )
    if all_or_nothing and len(report.rejected):
        raise ImporterError(f"{report.summary()}; nothing was loaded because all-or-nothing was asked.", report)
    return report


def _joined(first: list[dict], then: pd.DataFrame) -> pd.DataFrame:
    """Problems found while reading, then those found checking; by row."""
    if not first:
        return then.reset_index(drop=True)
    joined = pd.concat([problem_frame(first), then], ignore_index=True)
    return joined.sort_values(["row"], kind="stable").reset_index(drop=True)
