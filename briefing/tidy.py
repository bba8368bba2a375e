"""Chart-ready frames made from the package's tables, and the pure filters the explorers use.

Charts take one tidy frame each; this module joins the tables into those frames, so the charts
stay free of data plumbing and the filters can be tested without widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from briefing import data

# The labels live in briefing.labels; re-exported because callers have always found them here.
from briefing.labels import count_of as count_of
from briefing.labels import country_name as country_name
from briefing.labels import in_sentence as in_sentence
from briefing.labels import label as label
from briefing.labels import label_of as label_of
from briefing.labels import labelled as labelled
from briefing.labels import words as words

#: What a timeline row looks like; `timeline_frame` returns exactly these columns.
TIMELINE_COLUMNS = [
    "record_id",
    "record_type",
    "date",
    "date_precision",
    "lane",
    "label",
    "summary",
    "source_id",
    "source_title",
    "source_url",
    "forum_id",
    "incident_id",
]

INCIDENT_LANE = "Incident"
NO_FORUM_LANE = "No forum"


def lane_vocabulary(present=()) -> list[str]:
    """Every lane a timeline can have, in a fixed order: what keys the lanes' colours.

    The incident lane comes first, then the event lanes of the lane mode (``timeline_frame``'s
    ``lanes=``) that holds all of ``present``, in the order the schema declares the categories or
    forum kinds; lanes of neither mode (a frame built elsewhere) follow in sorted order.
    """
    by_category = [INCIDENT_LANE] + list(
        dict.fromkeys(label("events", "category", c) for c in data.enum("events", "category"))
    )
    by_forum_kind = (
        [INCIDENT_LANE] + [label("forums", "kind", k) for k in data.enum("forums", "kind")] + [NO_FORUM_LANE]
    )
    present = {str(lane) for lane in present if lane is not None and lane == lane}
    for vocabulary in (by_category, by_forum_kind):
        if present <= set(vocabulary):
            return vocabulary
    return by_category + sorted(present - set(by_category))


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
        event_lane = labelled(events["category"], "events", "category")
    else:
        kinds = tables["forums"].set_index("forum_id")["kind"]
        kind = events["forum_id"].map(kinds)
        event_lane = labelled(kind, "forums", "kind").fillna(NO_FORUM_LANE)
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


def _within_years(dates: pd.Series, year_from: int | None, year_to: int | None) -> pd.Series:
    """True where the date's year lies in the range; an open end (None) keeps everything on that side."""
    years = dates.dt.year
    keep = pd.Series(True, index=dates.index)
    if year_from is not None:
        keep &= years >= year_from
    if year_to is not None:
        keep &= years <= year_to
    return keep


def select_timeline(frame: pd.DataFrame, choice: TimelineFilter) -> pd.DataFrame:
    """Rows of a timeline frame that match ``choice``; a pure function, no widgets involved."""
    keep = _within_years(frame["date"], choice.year_from, choice.year_to)
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
        {
            "source_id": sid,
            "title": sources.loc[sid, "title"],
            "url": sources.loc[sid, "url"],
            "publisher": sources.loc[sid, "publisher"],
        }
        for sid in cited
        if sid in sources.index
    ]
    return {"record": record.to_dict(), "sources": source_rows, "related": related_rows}


def select_by_choices(frame: pd.DataFrame, choices: dict[str, tuple]) -> pd.DataFrame:
    """Rows whose value in each column is among the chosen values; an empty choice keeps all rows."""
    keep = pd.Series(True, index=frame.index)
    for column, chosen in choices.items():
        if chosen:
            keep &= frame[column].isin(chosen)
    return frame[keep]


# ---- Forums ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForumFilter:
    """Forum kinds and participation types to show; empty means all."""

    kinds: tuple[str, ...] = ()
    participation: tuple[str, ...] = ()
    text: str = ""


def select_forums(forums: pd.DataFrame, choice: ForumFilter) -> pd.DataFrame:
    """Forums that match ``choice`` (a pure function)."""
    keep = pd.Series(True, index=forums.index)
    if choice.kinds:
        keep &= forums["kind"].isin(choice.kinds)
    if choice.participation:
        keep &= forums["participation"].isin(choice.participation)
    text = choice.text.strip().casefold()
    if text:
        haystack = (
            forums["name"].fillna("") + " " + forums["short_name"].fillna("") + " " + forums["outcome"].fillna("")
        ).str.casefold()
        keep &= haystack.str.contains(text, regex=False)
    return forums[keep]


# ---- Norms crosswalk ------------------------------------------------------------------------


def norms_crosswalk_frame(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per norm x theme, with the framework's short name and the theme's name."""
    tables = tables or {name: data.load(name) for name in ("norms", "norm_themes", "themes", "forums")}
    forums = tables["forums"].set_index("forum_id")["short_name"]
    themes = tables["themes"].set_index("theme_id")["name"]
    frame = tables["norm_themes"].merge(tables["norms"], on="norm_id", how="inner")
    frame["framework"] = frame["forum_id"].map(forums).astype("string")
    frame["theme"] = frame["theme_id"].map(themes).astype("string")
    return frame[
        [
            "norm_id",
            "forum_id",
            "framework",
            "theme_id",
            "theme",
            "reference",
            "short_title",
            "summary",
            "addressed_to",
            "source_id",
        ]
    ]


def norms_in_cell(crosswalk: pd.DataFrame, *, framework: str, theme: str) -> pd.DataFrame:
    """The norms of one framework that address one theme: what a click on a heatmap cell opens."""
    return crosswalk[(crosswalk["framework"] == framework) & (crosswalk["theme"] == theme)]


# ---- Participation --------------------------------------------------------------------------


def participation_frame(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Participation rows with country names (from ISO 3166 via pycountry) and forum short names."""
    tables = tables or {name: data.load(name) for name in ("participation", "forums")}
    frame = tables["participation"].copy()

    names = {code: country_name(code) for code in frame["country_iso3"].unique()}
    frame["country"] = frame["country_iso3"].map(names).astype("string")
    frame["forum"] = frame["forum_id"].map(tables["forums"].set_index("forum_id")["short_name"]).astype("string")
    return frame


def members_as_of(participation: pd.DataFrame, *, forum_id: str, year: int | None = None) -> pd.DataFrame:
    """Who takes part in ``forum_id`` (by the end of ``year`` if given; undated rows only without a year)."""
    rows = participation[participation["forum_id"] == forum_id]
    if year is not None:
        rows = rows[rows["date"].notna() & (rows["date"].dt.year <= year)]
    return rows


def overlap_frame(participation: pd.DataFrame, forum_ids: list[str]) -> pd.DataFrame:
    """One row per country: in how many of ``forum_ids`` it takes part, and which."""
    rows = participation[participation["forum_id"].isin(forum_ids)]
    grouped = rows.groupby(["country_iso3", "country"], observed=True)["forum"]
    frame = grouped.agg(lambda names: ", ".join(sorted(set(names)))).rename("forums").reset_index()
    frame["count"] = rows.groupby("country_iso3")["forum_id"].nunique().reindex(frame["country_iso3"]).to_numpy()
    return frame.sort_values(["count", "country"], ascending=[False, True], ignore_index=True)


# ---- Incidents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFilter:
    """What a reader chose in the incidents explorer; empty means all."""

    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    country_iso3: str = ""


def select_incidents(
    incidents: pd.DataFrame,
    choice: IncidentFilter,
    *,
    sectors: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Incidents that match ``choice`` (sector and target-country filters use the link tables)."""
    keep = _within_years(incidents["start_date"], choice.year_from, choice.year_to)
    if choice.types:
        keep &= incidents["incident_type"].isin(choice.types)
    if choice.sectors and sectors is not None:
        hit = set(sectors.loc[sectors["sector"].isin(choice.sectors), "incident_id"])
        keep &= incidents["incident_id"].isin(hit)
    if choice.country_iso3 and targets is not None:
        hit = set(targets.loc[targets["country_iso3"] == choice.country_iso3, "incident_id"])
        keep &= incidents["incident_id"].isin(hit)
    return incidents[keep]


@dataclass(frozen=True)
class IncidentBar:
    """One bar a reader clicked on an incidents chart; None means the bar does not split by it."""

    year: int | None = None
    incident_type: str | None = None
    sector: str | None = None
    attributed_state: str | None = None


def incidents_behind(
    incidents: pd.DataFrame, bar: IncidentBar, *, sectors: pd.DataFrame, attributions: pd.DataFrame
) -> pd.DataFrame:
    """The rows of ``incidents`` counted in ``bar`` (a year and type, a sector, or an attributed state)."""
    rows = incidents
    if bar.year is not None:
        rows = rows[rows["start_date"].dt.year == bar.year]
    if bar.incident_type is not None:
        rows = rows[rows["incident_type"] == bar.incident_type]
    if bar.sector is not None:
        rows = rows[rows["incident_id"].isin(sectors.loc[sectors["sector"] == bar.sector, "incident_id"])]
    if bar.attributed_state is not None:
        states = attributed_states_frame(rows, attributions)
        held = states.loc[states["attributed_state_iso3"] == bar.attributed_state, "incident_id"]
        rows = rows[rows["incident_id"].isin(held)]
    return rows


def attributed_states_frame(incidents: pd.DataFrame, attributions: pd.DataFrame) -> pd.DataFrame:
    """One row per incident x state it was publicly attributed to, with the strongest kind of attribution."""
    rows = attributions[attributions["incident_id"].isin(incidents["incident_id"])].dropna(
        subset=["attributed_state_iso3"]
    )
    # The kinds' ranks as categorical codes (weakest first, -1 for none), not ``.map`` of a dict,
    # which calls Python once per row: 55 ms of an explorer's update at 100,000 incidents.
    strength = pd.Categorical(rows["kind"], categories=["industry", "official", "joint_official"], ordered=True)
    rows = rows.assign(strength=strength.codes)
    best = rows.sort_values("strength", ascending=False).drop_duplicates(["incident_id", "attributed_state_iso3"])
    return best[["incident_id", "attributed_state_iso3", "kind"]].reset_index(drop=True)


# ---- Recommendations ---------------------------------------------------------------------------


def recommendations_frame(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Recommendations with the stakeholder group asked to act and the theme's name."""
    tables = tables or {name: data.load(name) for name in ("recommendations", "stakeholders", "themes")}
    stakeholders = tables["stakeholders"].set_index("stakeholder_id")
    frame = tables["recommendations"].copy()
    frame["stakeholder"] = frame["stakeholder_id"].map(stakeholders["name"]).astype("string")
    frame["group"] = frame["stakeholder_id"].map(stakeholders["group"]).astype("string")
    frame["theme"] = frame["theme_id"].map(tables["themes"].set_index("theme_id")["name"]).astype("string")
    return frame


_DATE_FORMAT = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def format_date(value: pd.Timestamp, precision: str) -> str:
    """A date written no more precisely than it is known: '2015', 'Jul 2015' or '22 Jul 2015'."""
    if pd.isna(value):
        return "date unknown"
    return value.strftime(_DATE_FORMAT.get(precision, "%d %b %Y"))
