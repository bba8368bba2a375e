"""Adapters for known exports (CFR Cyber Operations Tracker, EuRepoC), recognised by their headers."""

from __future__ import annotations

import pandas as pd

from briefing import data
from briefing.importers.core import (
    DEFAULT_MAX_BYTES,
    ORIGIN,
    REPORT_COLUMNS,
    ImporterError,
    ImportReport,
    _slug,
    check_rows,
    read_frame,
)
from briefing.importers.countries import split_countries

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


def _export_records(source, *, name, max_bytes, expected: set[str], what: str):
    """Read a known export, check it is one, and yield (row number, record, reject) for each row.

    ``reject(column, value, why)`` records a problem for that row in ``problems``.
    """
    frame, label, encoding, delimiter = read_frame(source, name=name, max_bytes=max_bytes)
    if not expected <= set(frame.columns):
        raise ImporterError(
            f"{label}: not a {what} export; it lacks {', '.join(sorted(expected - set(frame.columns)))}"
        )
    problems: list[dict] = []

    def records():
        for number, record in enumerate(frame.to_dict("records"), start=2):

            def reject(column, value, why, number=number):
                problems.append(
                    {"file": label, "row": number, "column": column, "value": str(value or ""), "expected": why}
                )

            yield number, record, reject

    return records(), problems, (label, encoding, delimiter, len(frame))


def _slug_id(prefix: str, title: str, number: int) -> str:
    return f"{prefix}_{number}_{_slug(title)[:40]}".strip("_")


def _adapter_report(
    label: str,
    encoding: str,
    delimiter: str,
    rows: list[dict],
    problems: list[dict],
    extra: dict[str, pd.DataFrame],
    rows_read: int,
) -> ImportReport:
    frame = pd.DataFrame(rows, columns=["_row"] + [spec["name"] for spec in data.fields("incidents")])
    typed, schema_problems = check_rows(
        frame.drop(columns=["_row"]), "incidents", label=label, row_numbers=list(frame["_row"])
    )
    rejected = pd.concat([pd.DataFrame(problems, columns=REPORT_COLUMNS), schema_problems], ignore_index=True)
    ids = set(typed["incident_id"]) if len(typed) else set()
    extra = {name: table[table["incident_id"].isin(ids)].reset_index(drop=True) for name, table in extra.items()}
    return ImportReport(label, "incidents", typed, rejected, encoding, delimiter, rows_read=rows_read, extra=extra)


#: How a known export's header row begins, by format (what :func:`detect_format` looks for).
EXPORT_HEADERS = {"cfr": "Title,Date,Affiliations", "eurepoc": "ID,name,description,start_date"}


def detect_format(content: bytes) -> str:
    r"""Which reader suits a file: "cfr", "eurepoc" (known exports, by their header row) or "generic".

    >>> detect_format(b"Title,Date,Affiliations,Description\n"), detect_format(b"name,start_date\n")
    ('cfr', 'generic')
    """
    lines = content[:4096].decode("utf-8", errors="replace").splitlines() if content else []
    head = lines[0] if lines else ""
    for name, header in EXPORT_HEADERS.items():
        if head.startswith(header):
            return name
    return "generic"


#: What the Sponsor column holds in CFR rows shifted by one column (a Type or Category value).
_CFR_SHIFTED_SPONSORS = ("Espionage", "Government", "Defacement")


def _incident_row(
    number: int,
    incident_id: str,
    *,
    name: str,
    date: pd.Timestamp,
    kind: str,
    summary: str,
    actors: list[str],
    official: bool,
    source_id: str,
    note: str | None = None,
) -> dict:
    """One kit incident read from an export row (``number``), known to the day.

    Naming actors makes the incident attributed: officially when a government said so, else by
    industry reporting.
    """
    status = "unattributed" if not actors else "official_attribution" if official else "industry_reporting"
    return {
        "_row": number,
        "incident_id": incident_id,
        "name": name,
        "start_date": date.strftime("%Y-%m-%d"),
        "date_precision": "day",
        "incident_type": kind,
        "summary": summary,
        "attributed_actor": ", ".join(actors) or None,
        "attribution_status": status,
        "source_id": source_id,
        "note": note,
    }


def read_cfr_tracker(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the CFR Cyber Operations Tracker export as kit incidents (plus target sectors).

    Handles its quirks: M/D/YYYY dates, multi-line descriptions, comma-joined sponsors in several
    spellings, comma-joined categories, 'type   url' responses and rows shifted by one column
    (reported, not guessed). A sponsor becomes ``official_attribution`` only when the response
    column records a government denouncement, criminal charges or sanctions.
    """
    records, problems, (label, encoding, delimiter, read) = _export_records(
        source,
        name=name,
        max_bytes=max_bytes,
        what="CFR tracker",
        expected={"Title", "Date", "Description", "Response", "Sponsor", "Type", "Category"},
    )
    rows, sectors = [], []
    for number, record, reject in records:
        type_text = str(record.get("Type") or "").strip()
        if type_text.startswith("http") or str(record.get("Sponsor") or "").strip() in _CFR_SHIFTED_SPONSORS:
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
        incident_id = _slug_id("cfr", str(record["Title"]), number)
        rows.append(
            _incident_row(
                number,
                incident_id,
                name=record["Title"],
                date=date,
                kind=kind,
                summary=(record.get("Description") or "").strip() or record["Title"],
                actors=sponsors,
                official=response in CFR_OFFICIAL_RESPONSES,
                source_id=CFR_SOURCE_ID,
                note=record.get("Sources_1") or None,
            )
        )
        for category in str(record.get("Category") or "").split(","):
            sector = CFR_CATEGORIES.get(category.strip().lower())
            if sector:
                sectors.append({"incident_id": incident_id, "sector": sector, "source_id": CFR_SOURCE_ID})
    extra = {
        "incident_sectors": pd.DataFrame(sectors, columns=["incident_id", "sector", "source_id"]).drop_duplicates()
    }
    return _adapter_report(label, encoding, delimiter, rows, problems, extra, read)


def read_eurepoc(source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportReport:
    """Read the EuRepoC Global Database export as kit incidents (plus target countries).

    Handles its quirks: Python-list cells (also nested, and with quotes), '; '-joined values with
    'NaT' items, sentinels ('Unknown', 'Not available', 'none', '[]'), multi-line descriptions and
    UTF-8 text. The first listed incident type is the primary one.
    """
    records, problems, (label, encoding, delimiter, read) = _export_records(
        source,
        name=name,
        max_bytes=max_bytes,
        what="EuRepoC",
        expected={"ID", "name", "description", "start_date", "incident_type", "receiver_country", "initiator_country"},
    )
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
        incident_id = _slug_id("eurepoc", str(record.get("ID") or number), number)
        rows.append(
            _incident_row(
                number,
                incident_id,
                name=record.get("name") or f"EuRepoC incident {record.get('ID')}",
                date=date,
                kind=kind,
                summary=(record.get("description") or "").strip() or record.get("name"),
                actors=initiators,
                official=official,
                source_id=EUREPOC_SOURCE_ID,
            )
        )
        for code in split_countries(record.get("receiver_country")):
            targets.append({"incident_id": incident_id, "country_iso3": code, "source_id": EUREPOC_SOURCE_ID})
    extra = {
        "incident_targets": pd.DataFrame(
            targets, columns=["incident_id", "country_iso3", "source_id"]
        ).drop_duplicates()
    }
    return _adapter_report(label, encoding, delimiter, rows, problems, extra, read)


def combine_with_curated(report: ImportReport) -> pd.DataFrame:
    """The imported rows beside the kit's curated rows of the same table, with a ``provenance`` column."""
    curated = data.load(report.table).assign(provenance="curated", **{ORIGIN: "Cyber Norms Briefing Kit"})
    imported = report.frame.assign(provenance="imported")
    return pd.concat([curated, imported], ignore_index=True)
