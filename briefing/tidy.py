"""Chart-ready frames made from the package's tables, and the pure filters the explorers use.

Charts take one tidy frame each; this module joins the tables into those frames, so the charts
stay free of data plumbing and the filters can be tested without widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from briefing import data

#: What a timeline row looks like; `timeline_frame` returns exactly these columns.
TIMELINE_COLUMNS = [
    "record_id", "record_type", "date", "date_precision", "lane", "label", "summary",
    "source_id", "source_title", "source_url", "forum_id", "incident_id",
]

INCIDENT_LANE = "Incident"

CATEGORY_LABELS = {
    "resolution": "UN resolution",
    "report": "Report",
    "treaty_adoption": "Treaty",
    "treaty_opening": "Treaty",
    "entry_into_force": "Treaty",
    "launch": "Launch or initiative",
    "meeting": "Meeting or conference",
    "conference": "Meeting or conference",
    "agreement": "Agreement",
    "attribution": "Attribution",
    "joint_attribution": "Attribution",
    "sanctions": "Sanctions",
    "indictment": "Indictment",
    "statement": "Statement",
    "legislation": "Legislation",
}


def _with_sources(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    lookup = sources.set_index("source_id")[["title", "url"]].rename(
        columns={"title": "source_title", "url": "source_url"}
    )
    return frame.join(lookup, on="source_id")


def timeline_frame(tables: dict[str, pd.DataFrame] | None = None, *, lanes: str = "category") -> pd.DataFrame:
    """Events and incidents as one frame of dated rows, each in a swim lane.

    ``lanes="category"`` puts events in lanes by what they are (resolution, attribution ...);
    ``lanes="forum_kind"`` by the kind of forum they belong to. Incidents get a lane of their own.
    """
    if lanes not in ("category", "forum_kind"):
        raise ValueError(f"lanes must be 'category' or 'forum_kind', not {lanes!r}")
    tables = tables or {name: data.load(name) for name in ("events", "incidents", "forums", "sources")}
    events = tables["events"]
    incidents = tables["incidents"]
    if lanes == "category":
        event_lane = events["category"].map(CATEGORY_LABELS).fillna(events["category"])
    else:
        kinds = tables["forums"].set_index("forum_id")["kind"]
        event_lane = events["forum_id"].map(kinds).fillna("no forum").str.replace("_", " ").str.capitalize()
    event_rows = pd.DataFrame(
        {
            "record_id": events["event_id"],
            "record_type": "event",
            "date": events["date"],
            "date_precision": events["date_precision"],
            "lane": event_lane,
            "label": events["title"],
            "summary": events["summary"],
            "source_id": events["source_id"],
            "forum_id": events["forum_id"],
            "incident_id": events["incident_id"],
        }
    )
    incident_rows = pd.DataFrame(
        {
            "record_id": incidents["incident_id"],
            "record_type": "incident",
            "date": incidents["start_date"],
            "date_precision": incidents["date_precision"],
            "lane": INCIDENT_LANE,
            "label": incidents["name"],
            "summary": incidents["summary"],
            "source_id": incidents["source_id"],
            "forum_id": pd.NA,
            "incident_id": incidents["incident_id"],
        }
    )
    combined = pd.concat([event_rows, incident_rows], ignore_index=True)
    combined = _with_sources(combined, tables["sources"])
    for column in ("lane", "label", "summary", "record_type", "date_precision", "forum_id", "incident_id"):
        combined[column] = combined[column].astype("string")
    return combined[TIMELINE_COLUMNS].sort_values(["date", "record_id"], ignore_index=True)


@dataclass(frozen=True)
class TimelineFilter:
    """What a reader chose in the timeline explorer. Empty choices mean 'everything'."""

    year_from: int | None = None
    year_to: int | None = None
    lanes: tuple[str, ...] = ()
    text: str = ""
    record_types: tuple[str, ...] = field(default=("event", "incident"))


def select_timeline(frame: pd.DataFrame, choice: TimelineFilter) -> pd.DataFrame:
    """Rows of a timeline frame that match ``choice``; a pure function, no widgets involved."""
    keep = pd.Series(True, index=frame.index)
    years = frame["date"].dt.year
    if choice.year_from is not None:
        keep &= years >= choice.year_from
    if choice.year_to is not None:
        keep &= years <= choice.year_to
    if choice.lanes:
        keep &= frame["lane"].isin(choice.lanes)
    if choice.record_types:
        keep &= frame["record_type"].isin(choice.record_types)
    text = choice.text.strip().casefold()
    if text:
        haystack = (frame["label"].fillna("") + " " + frame["summary"].fillna("")).str.casefold()
        keep &= haystack.str.contains(text, regex=False)
    return frame[keep]


def record_details(record_id: str, record_type: str, tables: dict[str, pd.DataFrame] | None = None) -> dict:
    """The full record behind a timeline point, its source, and the rows related to it.

    For an incident, the related rows are the events that answer it (attributions, sanctions ...);
    for an event, the incident it answers, if any.
    """
    names = ("events", "incidents", "sources")
    tables = tables or {name: data.load(name) for name in names}
    sources = tables["sources"].set_index("source_id")
    if record_type == "incident":
        record = tables["incidents"].set_index("incident_id").loc[record_id]
        related = tables["events"][tables["events"]["incident_id"] == record_id]
        related_rows = related[["date", "title", "category"]].to_dict("records")
    elif record_type == "event":
        record = tables["events"].set_index("event_id").loc[record_id]
        incident_id = record["incident_id"]
        related_rows = []
        if pd.notna(incident_id):
            incident = tables["incidents"].set_index("incident_id").loc[incident_id]
            related_rows = [{"date": incident["start_date"], "title": incident["name"], "category": "incident"}]
    else:
        raise ValueError(f"record_type must be 'event' or 'incident', not {record_type!r}")
    cited = [record["source_id"]] + ([record["extra_source_id"]] if pd.notna(record.get("extra_source_id")) else [])
    source_rows = [
        {"source_id": sid, "title": sources.loc[sid, "title"], "url": sources.loc[sid, "url"],
         "publisher": sources.loc[sid, "publisher"]}
        for sid in cited if sid in sources.index
    ]
    return {"record": record.to_dict(), "sources": source_rows, "related": related_rows}
