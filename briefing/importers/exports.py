"""Adapters for known exports (CFR Cyber Operations Tracker, EuRepoC), recognised by their headers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from briefing import data
from briefing.importers import filetypes
from briefing.importers.core import DEFAULT_MAX_BYTES, ORIGIN, ImporterError, ImportReport, _slug, read_file
from briefing.importers.countries import match_country, read_countries
from briefing.importers.dates import build_date, read_date
from briefing.importers.records import RawFile, sniff_delimiter
from briefing.importers.report import problem, problem_frame
from briefing.importers.rows import check_table

CFR_TYPES = {
    "espionage": "espionage",
    "sabotage": "sabotage",
    "data destruction": "wiper",
    "denial of service": "ddos",
    "defacement": "defacement",
    "doxing": "doxing",
    "financial theft": "financial_theft",
}
CFR_CATEGORIES = {
    "government": "government",
    "military": "military",
    "private sector": "other_private",
    "civil society": "civil_society",
}
# Responses in which a government acts against the sponsor. ("Confirmation" is left out: it may
# confirm only that the operation happened.)
CFR_OFFICIAL_RESPONSES = ("denouncement", "criminal charges", "sanctions")
CFR_SOURCE_ID = "cfr_cyber_operations_tracker"
EUREPOC_SOURCE_ID = "eurepoc_global_database"
EUREPOC_TYPES = {
    "ransomware": "ransomware",
    "data theft & doxing": "doxing",
    "data theft": "data_theft",
    "disruption": "sabotage",
    "hijacking with misuse": "sabotage",
    "hijacking without misuse": "espionage",
}


@dataclass
class _Export:
    """A known export being read: its rows, and the problems and flags found on the way."""

    raw: RawFile
    problems: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)

    def records(self):
        """(row number, line, record) for each row that split into cells."""
        return zip(self.raw.rows, self.raw.lines, self.raw.frame.to_dict("records"))

    def reject(self, number: int, line: int, column: str, value: object, why: str) -> None:
        self.problems.append(problem(self.raw.label, number, line, column, value, why))

    def flag(self, number: int, line: int, column: str, value: object, why: str) -> None:
        self.flags.append(problem(self.raw.label, number, line, column, value, why))


def _open_export(source, *, name, max_bytes, expected: set[str], what: str) -> _Export:
    """Read a known export and check it is one."""
    raw = read_file(source, name=name, max_bytes=max_bytes)
    if not expected <= set(raw.headers):
        raise ImporterError(
            f"{raw.label}: not a {what} export; it lacks {', '.join(sorted(expected - set(raw.headers)))}"
        )
    return _Export(raw, list(raw.rejected), list(raw.flagged))


def _slug_id(prefix: str, title: str, number: int) -> str:
    return f"{prefix}_{number}_{_slug(title)[:40]}".strip("_")


def _adapter_report(export: _Export, rows: list[dict], extra: dict[str, pd.DataFrame]) -> ImportReport:
    raw = export.raw
    frame = pd.DataFrame(rows, columns=["_row", "_line"] + [spec["name"] for spec in data.fields("incidents")])
    checked = check_table(
        frame.drop(columns=["_row", "_line"]),
        "incidents",
        label=raw.label,
        row_numbers=list(frame["_row"]),
        lines=list(frame["_line"]),
    )
    rejected = pd.concat([problem_frame(export.problems), checked.rejected], ignore_index=True)
    flagged = pd.concat([problem_frame(export.flags), checked.flagged], ignore_index=True)
    ids = set(checked.typed["incident_id"]) if len(checked.typed) else set()
    extra = {name: table[table["incident_id"].isin(ids)].reset_index(drop=True) for name, table in extra.items()}
    return ImportReport(
        raw.label,
        "incidents",
        checked.typed,
        rejected.sort_values("row", kind="stable").reset_index(drop=True),
        raw.encoding,
        raw.delimiter,
        rows_read=raw.rows_read,
        extra=extra,
        flagged=flagged.sort_values("row", kind="stable").reset_index(drop=True),
        notes=list(raw.notes),
        sheets=raw.sheets,
    )


def _not_countries(others: list[str], kept: bool) -> str:
    """What a flag says of names that are no country (``kept``: as written in attributed_actor)."""
    kinds = [match_country(name)[1] for name in others]
    what = "a region" if set(kinds) == {"region"} else "no country the kit knows by that name"
    listed = ", ".join(repr(name) for name in others)
    then = "kept as written in attributed_actor" if kept else "left out of incident_targets"
    return f"country names; {listed}: {what}, so {then}"


#: How a known export's header row begins, by format (what :func:`detect_format` looks for).
EXPORT_HEADERS = {"cfr": "Title,Date,Affiliations", "eurepoc": "ID,name,description,start_date"}


#: The columns that make a file a known export (what the readers need, and :func:`detect_format` looks for).
EXPORT_COLUMNS = {
    "cfr": frozenset({"Title", "Date", "Description", "Response", "Sponsor", "Type", "Category"}),
    "eurepoc": frozenset(
        {"ID", "name", "description", "start_date", "incident_type", "receiver_country", "initiator_country"}
    ),
}


def _header_of(content: bytes) -> list[str]:
    """A file's header row, read from its first bytes (a workbook's first sheet); [] if unreadable."""
    try:
        if filetypes.identify(content, "file", max(len(content), 1)) == "xlsx":
            from briefing.importers.excel import first_row

            return first_row(content)
        text = filetypes.decode(content[: filetypes.PROBE_BYTES], "file").text
    except (ImporterError, ValueError, OSError):
        return []
    delimiter = sniff_delimiter(text)
    for fields in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if any(cell.strip() for cell in fields):
            return [cell.strip() for cell in fields]
    return []


def detect_format(content: bytes) -> str:
    r"""Which reader suits a file: "cfr", "eurepoc" (known exports, by their header row) or "generic".

    The header is read as the readers read it (a byte-order mark, UTF-16, ; or tab as delimiter,
    quoted names, a workbook).

    >>> detect_format(b"Title,Date,Affiliations,Description,Response,Victims,Sponsor,Type,Category\n")
    'cfr'
    >>> detect_format(b'\xef\xbb\xbf"ID";"name";"description";"start_date";"incident_type";"receiver_country";"initiator_country"\n')
    'eurepoc'
    >>> detect_format(b"name,start_date\n")
    'generic'
    """
    headers = set(_header_of(content)) if content else set()
    for name, columns in EXPORT_COLUMNS.items():
        if columns <= headers:
            return name
    return "generic"


#: What the Sponsor column holds in CFR rows shifted by one column (a Type or Category value).
_CFR_SHIFTED_SPONSORS = ("Espionage", "Government", "Defacement")


def _text(record: dict, column: str) -> str:
    value = record.get(column)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _incident_row(
    where: tuple[int, int],
    incident_id: str,
    *,
    name: str,
    date: str,
    kind: str,
    summary: str,
    actors: list[str],
    official: bool,
    source_id: str,
    note: str | None = None,
) -> dict:
    """One kit incident read from an export row (``where``: row number and line), known to the day.

    Naming actors makes the incident attributed: officially when a government said so, else by
    industry reporting.
    """
    status = "unattributed" if not actors else "official_attribution" if official else "industry_reporting"
    return {
        "_row": where[0],
        "_line": where[1],
        "incident_id": incident_id,
        "name": name or None,
        "start_date": date,
        "date_precision": "day",
        "incident_type": kind,
        "summary": summary or None,
        "attributed_actor": ", ".join(actors) or None,
        "attribution_status": status,
        "source_id": source_id,
        "note": note,
    }


def _cfr_date(text: str) -> tuple[str | None, str]:
    """(ISO date, why not) for the export's M/D/YYYY dates."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if not match:
        return None, "a date as M/D/YYYY"
    month, day, year = (int(part) for part in match.groups())
    reading = build_date(year, month, day, "day")
    return reading.iso, reading.problem or ""


def _cfr_row(export: _Export, number: int, line: int, record: dict, sectors: list[dict]) -> dict | None:
    type_text, sponsor = _text(record, "Type"), _text(record, "Sponsor")
    if type_text.startswith("http") or sponsor in _CFR_SHIFTED_SPONSORS:
        export.reject(
            number, line, "Type", type_text, "an operation type; this row's columns are shifted by one in the export"
        )
        return None
    date, why = _cfr_date(_text(record, "Date"))
    if date is None:
        export.reject(number, line, "Date", _text(record, "Date"), why)
        return None
    kind = CFR_TYPES.get(type_text.lower())
    if kind is None:
        export.reject(number, line, "Type", type_text, "one of: " + ", ".join(t.capitalize() for t in CFR_TYPES))
        return None
    codes, others = read_countries(sponsor)
    if others:
        export.flag(number, line, "Sponsor", sponsor, _not_countries(others, kept=True))
    response = _text(record, "Response").split("   ")[0].strip().lower()
    title = _text(record, "Title")
    incident_id = _slug_id("cfr", title, number)
    for category in _text(record, "Category").split(","):
        sector = CFR_CATEGORIES.get(category.strip().lower())
        if sector:
            sectors.append({"incident_id": incident_id, "sector": sector, "source_id": CFR_SOURCE_ID})
    return _incident_row(
        (number, line),
        incident_id,
        name=title,
        date=date,
        kind=kind,
        summary=_text(record, "Description") or title,
        actors=codes + others,
        official=response in CFR_OFFICIAL_RESPONSES,
        source_id=CFR_SOURCE_ID,
        note=_text(record, "Sources_1") or None,
    )


def read_cfr_tracker(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the CFR Cyber Operations Tracker export as kit incidents (plus target sectors).

    Handles its quirks: M/D/YYYY dates, multi-line descriptions, comma-joined sponsors in several
    spellings and languages, comma-joined categories, 'type   url' responses and rows shifted by one
    column (reported, not guessed). A sponsor becomes ``official_attribution`` only when the
    response column records a government denouncement, criminal charges or sanctions. A sponsor
    that names no country the kit knows is kept as written, and the row flagged.
    """
    export = _open_export(
        source, name=name, max_bytes=max_bytes, what="CFR tracker", expected=set(EXPORT_COLUMNS["cfr"])
    )
    rows: list[dict] = []
    sectors: list[dict] = []
    for number, line, record in export.records():
        row = _cfr_row(export, number, line, record, sectors)
        if row is not None:
            rows.append(row)
    extra = {
        "incident_sectors": pd.DataFrame(sectors, columns=["incident_id", "sector", "source_id"]).drop_duplicates()
    }
    return _adapter_report(export, rows, extra)


def _eurepoc_row(export: _Export, number: int, line: int, record: dict, targets: list[dict]) -> dict | None:
    reading = read_date(_text(record, "start_date"))
    if reading.iso is None or reading.precision != "day":
        export.reject(
            number, line, "start_date", _text(record, "start_date"), reading.problem or "a date as YYYY-MM-DD"
        )
        return None
    first_type = _text(record, "incident_type").split(";")[0].strip().lower()
    kind = EUREPOC_TYPES.get(first_type)
    if kind is None:
        export.reject(
            number, line, "incident_type", _text(record, "incident_type"), "one of: " + ", ".join(EUREPOC_TYPES)
        )
        return None
    initiators, others = read_countries(record.get("initiator_country"))
    if others:
        export.flag(
            number, line, "initiator_country", record.get("initiator_country"), _not_countries(others, kept=True)
        )
    attribution = _text(record, "attribution_type").lower()
    official = "government" in attribution or "state entity" in attribution or "political" in attribution
    incident_id = _slug_id("eurepoc", _text(record, "ID") or str(number), number)
    receivers, not_targets = read_countries(record.get("receiver_country"))
    if not_targets:
        export.flag(
            number, line, "receiver_country", record.get("receiver_country"), _not_countries(not_targets, kept=False)
        )
    targets.extend(
        {"incident_id": incident_id, "country_iso3": code, "source_id": EUREPOC_SOURCE_ID} for code in receivers
    )
    title = _text(record, "name")
    return _incident_row(
        (number, line),
        incident_id,
        name=title or f"EuRepoC incident {_text(record, 'ID')}",
        date=reading.iso,
        kind=kind,
        summary=_text(record, "description") or title,
        actors=initiators + others,
        official=official,
        source_id=EUREPOC_SOURCE_ID,
    )


def read_eurepoc(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the EuRepoC Global Database export as kit incidents (plus target countries).

    Handles its quirks: Python-list cells (also nested, and with quotes; read without evaluating
    them), '; '-joined values with 'NaT' items, sentinels ('Unknown', 'Not available', 'none', '[]'),
    multi-line descriptions and UTF-8 text. The first listed incident type is the primary one.
    Initiators that are no country (a region, a group) are kept as written and the row flagged;
    receivers that are no country are left out of the targets and the row flagged.
    """
    export = _open_export(
        source, name=name, max_bytes=max_bytes, what="EuRepoC", expected=set(EXPORT_COLUMNS["eurepoc"])
    )
    rows: list[dict] = []
    targets: list[dict] = []
    for number, line, record in export.records():
        row = _eurepoc_row(export, number, line, record, targets)
        if row is not None:
            rows.append(row)
    extra = {
        "incident_targets": pd.DataFrame(
            targets, columns=["incident_id", "country_iso3", "source_id"]
        ).drop_duplicates()
    }
    return _adapter_report(export, rows, extra)


def combine_with_curated(report: ImportReport) -> pd.DataFrame:
    """The imported rows beside the kit's curated rows of the same table, with a ``provenance`` column."""
    curated = data.load(report.table).assign(provenance="curated", **{ORIGIN: "Cyber Norms Briefing Kit"})
    imported = report.frame.assign(provenance="imported")
    return pd.concat([curated, imported], ignore_index=True)
