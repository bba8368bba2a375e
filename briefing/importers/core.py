"""Reading a user's file as one of the kit's tables, checked against the schema (see :mod:`briefing.importers`)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from briefing import data
from briefing.importers.derive import fill_derivable, match_headers

#: Files larger than this are refused before they are read (the kit runs on laptops in class).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "cp1252")
DELIMITERS = ",;\t|"
ORIGIN = "origin"
REPORT_COLUMNS = ["file", "row", "column", "value", "expected"]
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


class ImporterError(Exception):
    """A file that cannot be imported at all, or (all-or-nothing) one with rejected rows.

    ``report`` holds the :class:`ImportReport` when there is one, so the rejected rows can still
    be shown and downloaded.
    """

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class ImportReport:
    """What an import loaded and what it rejected, and from where."""

    file: str
    table: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    encoding: str = ""
    delimiter: str = ""
    rows_read: int = 0
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Columns the kit filled in itself because the file left them out (what, and from what).
    derived: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return len(self.frame)

    @property
    def rejected_rows(self) -> int:
        return self.rejected["row"].nunique() if len(self.rejected) else 0

    def summary(self) -> str:
        how = f" ({self.encoding}, delimiter {self.delimiter!r})" if self.encoding else ""
        return (
            f"{self.file}{how}: {self.rows_read} rows read, {self.loaded} loaded as {self.table}, "
            f"{self.rejected_rows} rejected"
        )

    def rejected_csv(self) -> str:
        """The rejected-rows table as CSV text (for a download button); formulas neutralised."""
        from briefing.export import neutralise_formula

        return self.rejected.map(neutralise_formula).to_csv(index=False)


# ---- Reading bytes into a frame of strings -----------------------------------------------------


def _read_bytes(source, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        raw, label = bytes(source), name or "uploaded file"
        if len(raw) > max_bytes:
            raise ImporterError(_too_large(label, len(raw), max_bytes))
        return raw, label
    path = Path(source)
    label = name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImporterError(f"{label}: cannot read the file ({exc.strerror})") from exc
    if size > max_bytes:  # refused before a byte is read
        raise ImporterError(_too_large(label, size, max_bytes))
    return path.read_bytes(), label


def _too_large(label: str, size: int, limit: int) -> str:
    return (
        f"{label}: the file is {size / 1e6:.1f} MB, more than the import limit of {limit / 1e6:.0f} MB. "
        "Split it, or raise the limit with max_bytes= if the machine has the memory."
    )


def _excel_cell(value):
    """Excel cells keep what they mean: dates stay dates, numbers stay numbers, the rest is text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return pd.Timestamp(value)
    return value if isinstance(value, (int, float)) else str(value)


def _is_excel(raw: bytes) -> bool:
    return raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _decode(raw: bytes, label: str) -> tuple[str, str]:
    if b"\x00" in raw[:8192]:
        raise ImporterError(
            f"{label}: this looks like a binary file, not CSV text or an Excel workbook "
            "(it contains NUL bytes). Export it as CSV (UTF-8) and try again."
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), "UTF-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise ImporterError(f"{label}: the text is neither UTF-8 nor Windows-1252 (cp1252); save it as UTF-8 CSV.")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def read_frame(
    source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, sheet: str | int = 0
) -> tuple[pd.DataFrame, str, str, str]:
    """Read a CSV or Excel file into strings only: (frame, label, encoding, delimiter).

    Encodings (UTF-8 with or without BOM, cp1252) and delimiters (, ; tab |) are detected; Excel
    workbooks are read with openpyxl. Empty, header-only and binary files each get their own error.
    """
    raw, label = _read_bytes(source, name, max_bytes)
    if not raw.strip():
        raise ImporterError(f"{label}: the file is empty.")
    if _is_excel(raw):
        try:
            frame = pd.read_excel(io.BytesIO(raw), sheet_name=sheet, dtype=object)
        except Exception as exc:  # openpyxl raises many kinds; the reader needs one message
            raise ImporterError(f"{label}: could not read it as an Excel workbook ({exc}).") from exc
        frame = frame.map(_excel_cell)
        encoding, delimiter = "Excel", ""
    else:
        text, encoding = _decode(raw, label)
        delimiter = _sniff_delimiter(text)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                engine="python",
                on_bad_lines="error",
            )
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ImporterError(f"{label}: not readable as CSV with delimiter {delimiter!r} ({exc}).") from exc
        except pd.errors.EmptyDataError as exc:
            raise ImporterError(f"{label}: the file is empty.") from exc
    if frame.empty:
        raise ImporterError(f"{label}: the file has a header row but no data rows.")
    frame.columns = [str(column).strip() for column in frame.columns]
    return frame, label, encoding, delimiter


# ---- Checking rows against the kit's schema ----------------------------------------------------


def _check_cell(value, field_spec: dict):
    """(converted value, problem or None) for one cell against its declared field."""
    kind = field_spec.get("type", "string")
    constraints = field_spec.get("constraints", {})
    if value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and not value.strip()):
        return None, ("a value (this column is required)" if constraints.get("required") else None)
    if kind == "date":
        if isinstance(value, pd.Timestamp):
            return value.normalize(), None
        if isinstance(value, (int, float)) and 1 <= value < 100000:  # an Excel serial day number
            return _EXCEL_EPOCH + pd.Timedelta(days=int(value)), None
        text = str(value).strip()
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        if pd.isna(parsed):
            return None, "a date as YYYY-MM-DD"
        return parsed, None
    if kind in ("integer", "number"):
        number = pd.to_numeric(str(value).strip(), errors="coerce")
        if pd.isna(number) or (kind == "integer" and number % 1):
            return None, "a whole number" if kind == "integer" else "a number"
        if "minimum" in constraints and number < constraints["minimum"]:
            return None, f"a number of at least {constraints['minimum']}"
        return number, None
    if kind == "boolean":
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True, None
        if text in ("false", "no", "0"):
            return False, None
        return None, "true or false"
    text = str(value).strip()
    if "enum" in constraints and text not in constraints["enum"]:
        return None, "one of: " + ", ".join(constraints["enum"])
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return None, f"text matching {constraints['pattern']}"
    return text, None


def check_rows(
    frame: pd.DataFrame, table: str, *, label: str, row_numbers: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into rows that fit ``table``'s schema (typed) and a report of the problems.

    Row numbers count as a spreadsheet does (the header is row 1) unless ``row_numbers`` gives the
    file's own numbers for each row.
    """
    fields = data.fields(table)
    numbers = row_numbers or list(range(2, len(frame) + 2))
    good, problems = [], []
    for number, (_, row) in zip(numbers, frame.iterrows()):
        converted, row_problems = {}, []
        for spec in fields:
            value = row.get(spec["name"])
            result, problem = _check_cell(value, spec)
            if problem:
                shown = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
                row_problems.append(
                    {"file": label, "row": number, "column": spec["name"], "value": shown, "expected": problem}
                )
            converted[spec["name"]] = _as_text(result)
        if row_problems:
            problems.extend(row_problems)
        else:
            converted[ORIGIN] = f"{label}, row {number}"
            good.append(converted)
    columns = [spec["name"] for spec in fields] + [ORIGIN]
    typed = data.typed_frame(pd.DataFrame(good, columns=columns), table, source_name=label)
    typed[ORIGIN] = typed[ORIGIN].astype("string")
    return typed, pd.DataFrame(problems, columns=REPORT_COLUMNS)


def _as_text(value):
    """Back to the text form the schema-driven loader expects."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "file"


def read_table(
    source,
    table: str,
    *,
    mapping: dict[str, str] | None = None,
    name: str | None = None,
    all_or_nothing: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ImportReport:
    """Read a user's CSV or Excel file as the kit table ``table``.

    ``mapping`` renames the file's headers to the kit's columns (``{"Title": "name"}``). Rows
    without a ``source_id`` are credited to the file itself (``import_<file name>``). With
    ``all_or_nothing=True`` any rejected row rejects the whole file (the report is on the error).
    """
    if table not in data.list_tables():
        raise ImporterError(f"no kit table named {table!r}; choose one of: {', '.join(data.list_tables())}")
    frame, label, encoding, delimiter = read_frame(source, name=name, max_bytes=max_bytes)
    headers = list(frame.columns)
    frame = match_headers(frame.rename(columns=mapping or {}), table)
    declared = [spec["name"] for spec in data.fields(table)]
    required = [spec["name"] for spec in data.fields(table) if spec.get("constraints", {}).get("required")]
    if "source_id" in declared and "source_id" not in frame.columns:
        frame["source_id"] = "import_" + _slug(Path(label).stem)
    frame, derived = fill_derivable(frame, table)
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ImporterError(
            f"{label}: the {table} table needs the column(s) {', '.join(missing)}; the file has "
            f"{', '.join(map(repr, headers))}. Rename those headers in your file, or map them: "
            f"'Your header' to '{missing[0]}' (the importer's column mapping)."
        )
    typed, rejected = check_rows(frame, table, label=label)
    report = ImportReport(label, table, typed, rejected, encoding, delimiter, rows_read=len(frame))
    report.derived = derived
    if all_or_nothing and len(rejected):
        raise ImporterError(f"{report.summary()}; nothing was loaded because all-or-nothing was asked.", report)
    return report


# ---- Country names to ISO 3166 alpha-3 -----------------------------------------------------------
