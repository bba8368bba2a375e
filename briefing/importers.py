"""Bring your own data: read a user's CSV or Excel file as one of the kit's tables.

Files are checked against the same schema as the curated data (``data/datapackage.json``). Good rows
load; every rejected row is reported with file, row, column, value and what was expected, in a table
a person can read and download. Adapters read the CFR Cyber Operations Tracker and EuRepoC exports
with their real quirks. Only :class:`ImporterError` is ever raised, and nothing is written anywhere:
the shipped data is never touched.

Examples
--------
>>> from briefing import importers
>>> report = importers.read_table("my_incidents.csv", "incidents",
...                               mapping={"Title": "name", "Date": "start_date"})  # doctest: +SKIP
>>> report.summary()  # doctest: +SKIP
"""

from __future__ import annotations

import ast
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from briefing import data

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

    def __init__(self, message: str, report: "ImportReport | None" = None):
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
        return (f"{self.file}{how}: {self.rows_read} rows read, {self.loaded} loaded as {self.table}, "
                f"{self.rejected_rows} rejected")

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
    return (f"{label}: the file is {size / 1e6:.1f} MB, more than the import limit of {limit / 1e6:.0f} MB. "
            "Split it, or raise the limit with max_bytes= if the machine has the memory.")


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
        raise ImporterError(f"{label}: this looks like a binary file, not CSV text or an Excel workbook "
                            "(it contains NUL bytes). Export it as CSV (UTF-8) and try again.")
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


def read_frame(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
               sheet: str | int = 0) -> tuple[pd.DataFrame, str, str, str]:
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
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                                na_values=[""], engine="python", on_bad_lines="error")
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


def check_rows(frame: pd.DataFrame, table: str, *, label: str,
               row_numbers: list[int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
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
                row_problems.append({"file": label, "row": number, "column": spec["name"], "value": shown,
                                     "expected": problem})
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


# ---- What a non-programmer's file may leave out -------------------------------------------------

# Headers people write, for the kit's column names (compared in lower case, spaces as "_").
HEADER_SYNONYMS = {
    "title": "name", "incident": "name", "date": "start_date", "start": "start_date", "type": "incident_type",
    "description": "summary", "attribution": "attributed_actor", "end": "end_date",
}
# Columns the kit can fill when a file leaves them out, table by table: what it fills in and why.
DEFAULTS = {
    "incidents": {"attribution_status": ("unattributed", "the file does not say who was held responsible")},
}
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def column_guide(table: str) -> pd.DataFrame:
    """The columns of ``table`` a file must have, may have, and which the kit fills in itself.

    >>> guide = column_guide("incidents")
    >>> guide.loc[guide["column"] == "incident_id", "in your file"].item()
    'optional: made from the name and the date'
    """
    key = data.primary_key(table)
    rows = []
    for spec in data.fields(table):
        column = spec["name"]
        required = spec.get("constraints", {}).get("required", False)
        if column in key and len(key) == 1 and "name" in {f["name"] for f in data.fields(table)}:
            need = "optional: made from the name and the date"
        elif column.endswith("precision") or column == "date_precision":
            need = "optional: read from the date's form (2021, 2021-05 or 2021-05-07)"
        elif column in DEFAULTS.get(table, {}):
            need = f"optional: {DEFAULTS[table][column][0]!r} when missing"
        elif column == "source_id":
            need = "optional: your file is credited as the source"
        else:
            need = "required" if required else "optional"
        allowed = spec.get("constraints", {}).get("enum")
        rows.append({"column": column, "in your file": need, "description": spec.get("description", ""),
                     "allowed values": ", ".join(allowed) if allowed else ""})
    return pd.DataFrame(rows)


def _match_headers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Headers renamed to the kit's columns where they match ignoring case and spaces, or a synonym."""
    declared = {spec["name"] for spec in data.fields(table)}
    renames = {}
    for column in frame.columns:
        key = re.sub(r"\s+", "_", str(column).strip().lower())
        target = key if key in declared else HEADER_SYNONYMS.get(key)
        if target in declared and target not in frame.columns and target not in renames.values():
            renames[column] = target
    return frame.rename(columns=renames)


def _fill_derivable(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[str]]:
    """The columns the kit can derive, filled where the file lacks them; and what was derived."""
    frame = frame.copy()
    declared = [spec["name"] for spec in data.fields(table)]
    said = []
    for date_column, precision_column in (("start_date", "date_precision"), ("date", "date_precision")):
        if date_column in frame.columns and precision_column in declared and precision_column not in frame.columns:
            dates = frame[date_column].astype("string").str.strip()
            frame[precision_column] = dates.map(
                lambda text: "year" if isinstance(text, str) and _YEAR.match(text)
                else "month" if isinstance(text, str) and _YEAR_MONTH.match(text) else "day")
            frame[date_column] = dates.map(_full_date)
            said.append(f"{precision_column} read from the form of each {date_column}")
    key = data.primary_key(table)
    if len(key) == 1 and key[0] not in frame.columns and "name" in frame.columns:
        dates = frame.get("start_date", frame.get("date", pd.Series([""] * len(frame))))
        years = [re.search(r"\d{4}", str(date)) for date in dates]
        stems = [_slug(str(name))[:40] + (f"_{year.group(0)}" if year else "") for name, year in zip(frame["name"], years)]
        seen: dict[str, int] = {}
        ids = []
        for stem in stems:
            seen[stem] = seen.get(stem, 0) + 1
            ids.append(stem if seen[stem] == 1 else f"{stem}_{seen[stem]}")
        frame[key[0]] = ids
        said.append(f"{key[0]} made from each row's name and year")
    for column, (value, why) in DEFAULTS.get(table, {}).items():
        if column not in frame.columns:
            frame[column] = value
            said.append(f"{column} set to {value!r} ({why})")
    return frame, said


def _full_date(text):
    """"2021" -> "2021-01-01", "2021-5" -> "2021-05-01"; other text unchanged (checked later)."""
    if not isinstance(text, str):
        return text
    if _YEAR.match(text):
        return f"{text}-01-01"
    month = _YEAR_MONTH.match(text)
    return f"{month.group(1)}-{int(month.group(2)):02d}-01" if month else text


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
    frame = _match_headers(frame.rename(columns=mapping or {}), table)
    declared = [spec["name"] for spec in data.fields(table)]
    required = [spec["name"] for spec in data.fields(table) if spec.get("constraints", {}).get("required")]
    if "source_id" in declared and "source_id" not in frame.columns:
        frame["source_id"] = "import_" + _slug(Path(label).stem)
    frame, derived = _fill_derivable(frame, table)
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

# Names pycountry does not know (former or informal names seen in real exports).
_COUNTRY_ALIASES = {
    "turkey": "TUR", "ivory coast": "CIV", "swaziland": "SWZ", "macedonia": "MKD", "burma": "MMR",
    "cape verde": "CPV", "east timor": "TLS", "kosovo": "XKX", "united states of america": "USA",
    "uk": "GBR", "usa": "USA", "us": "USA",
}
_NOT_A_COUNTRY = {"", "unknown", "not available", "none", "n/a", "nan", "[]"}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO3 code for a country name in any common spelling (pycountry), or None if unsure."""
    import pycountry

    cleaned = name.strip().strip("'\"")
    if cleaned.lower() in _NOT_A_COUNTRY:
        return None
    if cleaned.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[cleaned.lower()]
    # "Iran (Islamic Republic of)" is pycountry's "Iran, Islamic Republic of".
    candidates = [cleaned, re.sub(r"^(.*?) \((.*)\)$", r"\1, \2", cleaned)]
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    try:
        found = pycountry.countries.search_fuzzy(cleaned)
    except LookupError:
        return None
    if len(found) != 1:
        return None  # "Korea" alone is two countries: never guess
    # Fuzzy search also matches subdivisions ("NATO" finds a county): keep it only if the
    # country's own name contains what was asked, e.g. "Russia" in "Russian Federation".
    country = found[0]
    squeeze = lambda text: re.sub(r"[^a-z]", "", text.lower())  # noqa: E731
    names = [getattr(country, attribute, "") or "" for attribute in ("name", "common_name", "official_name")]
    return country.alpha_3 if any(squeeze(cleaned) in squeeze(n) for n in names) else None


def split_countries(cell: str) -> list[str]:
    """ISO3 codes in a multi-valued cell: a Python list literal, '; '-joined, or comma-joined names.

    Comma-joined names are split carefully: 'Palestine, State of' and 'Korea, Republic of' are one
    country each.
    """
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    text = str(cell).strip()
    if text.startswith("["):
        try:
            values = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values = [text.strip("[]")]
        flat = []
        for value in values if isinstance(values, (list, tuple)) else [values]:
            flat.extend(value if isinstance(value, (list, tuple)) else [value])
        parts = [str(v) for v in flat]
    elif ";" in text:
        parts = text.split(";")
    else:
        parts = _rejoin_commas(text.split(","))
    codes = [country_code(part) for part in parts]
    return list(dict.fromkeys(code for code in codes if code))


def _rejoin_commas(pieces: list[str]) -> list[str]:
    names, index = [], 0
    while index < len(pieces):
        piece = pieces[index].strip()
        if index + 1 < len(pieces):
            following = pieces[index + 1].strip()
            joined = f"{piece}, {following}"
            # "Korea, Republic of": the tail is no country alone, but the two together are one.
            if country_code(following) is None and country_code(joined):
                names.append(joined)
                index += 2
                continue
        names.append(piece)
        index += 1
    return names


# ---- Adapters for known exports --------------------------------------------------------------------

CFR_TYPES = {
    "espionage": "espionage", "sabotage": "sabotage", "data destruction": "wiper", "denial of service": "ddos",
    "defacement": "defacement", "doxing": "doxing", "financial theft": "financial_theft",
}
CFR_CATEGORIES = {"government": "government", "military": "military", "private sector": "other_private",
                  "civil society": "civil_society"}
# Responses in which a government acts against the sponsor. ("Confirmation" is left out: it may
# confirm only that the operation happened.)
CFR_OFFICIAL_RESPONSES = ("denouncement", "criminal charges", "sanctions")
CFR_SOURCE_ID = "cfr_cyber_operations_tracker"
EUREPOC_SOURCE_ID = "eurepoc_global_database"
EUREPOC_TYPES = {
    "ransomware": "ransomware", "data theft & doxing": "doxing", "data theft": "data_theft",
    "disruption": "sabotage", "hijacking with misuse": "sabotage", "hijacking without misuse": "espionage",
}


def _export_records(source, *, name, max_bytes, expected: set[str], what: str):
    """Read a known export, check it is one, and yield (row number, record, reject) for each row.

    ``reject(column, value, why)`` records a problem for that row in ``problems``.
    """
    frame, label, encoding, delimiter = read_frame(source, name=name, max_bytes=max_bytes)
    if not expected <= set(frame.columns):
        raise ImporterError(f"{label}: not a {what} export; it lacks {', '.join(sorted(expected - set(frame.columns)))}")
    problems: list[dict] = []

    def records():
        for number, record in enumerate(frame.to_dict("records"), start=2):
            def reject(column, value, why, number=number):
                problems.append({"file": label, "row": number, "column": column, "value": str(value or ""),
                                 "expected": why})
            yield number, record, reject

    return records(), problems, (label, encoding, delimiter, len(frame))


def _slug_id(prefix: str, title: str, number: int) -> str:
    return f"{prefix}_{number}_{_slug(title)[:40]}".strip("_")


def _adapter_report(label: str, encoding: str, delimiter: str, rows: list[dict], problems: list[dict],
                    extra: dict[str, pd.DataFrame], rows_read: int) -> ImportReport:
    frame = pd.DataFrame(rows, columns=["_row"] + [spec["name"] for spec in data.fields("incidents")])
    typed, schema_problems = check_rows(frame.drop(columns=["_row"]), "incidents", label=label,
                                        row_numbers=list(frame["_row"]))
    rejected = pd.concat([pd.DataFrame(problems, columns=REPORT_COLUMNS), schema_problems], ignore_index=True)
    ids = set(typed["incident_id"]) if len(typed) else set()
    extra = {name: table[table["incident_id"].isin(ids)].reset_index(drop=True) for name, table in extra.items()}
    return ImportReport(label, "incidents", typed, rejected, encoding, delimiter, rows_read=rows_read, extra=extra)


def read_cfr_tracker(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the CFR Cyber Operations Tracker export as kit incidents (plus target sectors).

    Handles its quirks: M/D/YYYY dates, multi-line descriptions, comma-joined sponsors in several
    spellings, comma-joined categories, 'type   url' responses and rows shifted by one column
    (reported, not guessed). A sponsor becomes ``official_attribution`` only when the response
    column records a government denouncement, criminal charges or sanctions.
    """
    records, problems, (label, encoding, delimiter, read) = _export_records(
        source, name=name, max_bytes=max_bytes, what="CFR tracker",
        expected={"Title", "Date", "Description", "Response", "Sponsor", "Type", "Category"})
    rows, sectors = [], []
    for number, record, reject in records:
        type_text = str(record.get("Type") or "").strip()
        if type_text.startswith("http") or str(record.get("Sponsor") or "").strip() in ("Espionage", "Government", "Defacement"):
            reject("Type", type_text, "an operation type; this row's columns are shifted by one in the export")
            continue
        date = pd.to_datetime(str(record.get("Date") or ""), format="%m/%d/%Y", errors="coerce")
        if pd.isna(date):
            reject("Date", record.get("Date"), "a date as M/D/YYYY")
            continue
        kind = CFR_TYPES.get(type_text.lower())
        if kind is None:
            reject("Type", type_text, "one of: " + ", ".join(t.capitalize() for t in CFR_TYPES))
            continue
        sponsors = split_countries(record.get("Sponsor"))
        response = str(record.get("Response") or "").split("   ")[0].strip().lower()
        status = ("official_attribution" if sponsors and response in CFR_OFFICIAL_RESPONSES
                  else "industry_reporting" if sponsors else "unattributed")
        incident_id = _slug_id("cfr", str(record["Title"]), number)
        rows.append({
            "_row": number, "incident_id": incident_id, "name": record["Title"], "start_date": date.strftime("%Y-%m-%d"),
            "date_precision": "day", "incident_type": kind,
            "summary": (record.get("Description") or "").strip() or record["Title"],
            "attributed_actor": ", ".join(sponsors) or None, "attribution_status": status,
            "source_id": CFR_SOURCE_ID, "note": record.get("Sources_1") or None,
        })
        for category in str(record.get("Category") or "").split(","):
            sector = CFR_CATEGORIES.get(category.strip().lower())
            if sector:
                sectors.append({"incident_id": incident_id, "sector": sector, "source_id": CFR_SOURCE_ID})
    extra = {"incident_sectors": pd.DataFrame(sectors, columns=["incident_id", "sector", "source_id"]).drop_duplicates()}
    return _adapter_report(label, encoding, delimiter, rows, problems, extra, read)


def read_eurepoc(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the EuRepoC Global Database export as kit incidents (plus target countries).

    Handles its quirks: Python-list cells (also nested, and with quotes), '; '-joined values with
    'NaT' items, sentinels ('Unknown', 'Not available', 'none', '[]'), multi-line descriptions and
    UTF-8 text. The first listed incident type is the primary one.
    """
    records, problems, (label, encoding, delimiter, read) = _export_records(
        source, name=name, max_bytes=max_bytes, what="EuRepoC",
        expected={"ID", "name", "description", "start_date", "incident_type", "receiver_country", "initiator_country"})
    rows, targets = [], []
    for number, record, reject in records:
        date = pd.to_datetime(str(record.get("start_date") or ""), format="%Y-%m-%d", errors="coerce")
        if pd.isna(date):
            reject("start_date", record.get("start_date"), "a date as YYYY-MM-DD")
            continue
        first_type = str(record.get("incident_type") or "").split(";")[0].strip().lower()
        kind = EUREPOC_TYPES.get(first_type)
        if kind is None:
            reject("incident_type", record.get("incident_type"), "one of: " + ", ".join(EUREPOC_TYPES))
            continue
        initiators = split_countries(record.get("initiator_country"))
        attribution = str(record.get("attribution_type") or "").lower()
        official = "government" in attribution or "state entity" in attribution or "political" in attribution
        status = ("official_attribution" if initiators and official
                  else "industry_reporting" if initiators else "unattributed")
        incident_id = _slug_id("eurepoc", str(record.get("ID") or number), number)
        rows.append({
            "_row": number, "incident_id": incident_id, "name": record.get("name") or f"EuRepoC incident {record.get('ID')}",
            "start_date": date.strftime("%Y-%m-%d"), "date_precision": "day", "incident_type": kind,
            "summary": (record.get("description") or "").strip() or record.get("name"),
            "attributed_actor": ", ".join(initiators) or None, "attribution_status": status,
            "source_id": EUREPOC_SOURCE_ID, "note": None,
        })
        for code in split_countries(record.get("receiver_country")):
            targets.append({"incident_id": incident_id, "country_iso3": code, "source_id": EUREPOC_SOURCE_ID})
    extra = {"incident_targets": pd.DataFrame(targets, columns=["incident_id", "country_iso3", "source_id"]).drop_duplicates()}
    return _adapter_report(label, encoding, delimiter, rows, problems, extra, read)


def combine_with_curated(report: ImportReport) -> pd.DataFrame:
    """The imported rows beside the kit's curated rows of the same table, with a ``provenance`` column."""
    curated = data.load(report.table).assign(provenance="curated", **{ORIGIN: "Cyber Norms Briefing Kit"})
    imported = report.frame.assign(provenance="imported")
    return pd.concat([curated, imported], ignore_index=True)
