"""Named chart recipes: the kit's charts by name, with the filters a visual usually needs.

The chart studio and ``briefing export`` both build figures here, so a chart made on the command
line is the same chart as the one previewed in the studio.

Examples
--------
>>> from briefing import gallery
>>> visual = gallery.build("incidents-by-year", year_from=2015, year_to=2025)
>>> visual.figure.layout.title.text  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, tidy


@dataclass(frozen=True)
class Visual:
    """A built chart and the tidy rows behind it (what a CSV export of the chart holds)."""

    name: str
    figure: go.Figure
    rows: pd.DataFrame


@dataclass(frozen=True)
class Recipe:
    """How to build one named chart; ``filters`` names the options that apply to it."""

    description: str
    filters: tuple[str, ...]


RECIPES = {
    "timeline": Recipe("Diplomatic milestones and incidents on one time axis", ("years", "category", "search")),
    "incidents-by-year": Recipe("Significant incidents by year and type", ("years", "category")),
    "incidents-by-sector": Recipe("Significant incidents by target sector", ("years", "category")),
    "forum-landscape": Recipe("The forums' lifespans", ("category", "search")),
    "forum-positions": Recipe("Forums by who may take part and whether they bind", ("category", "search")),
    "norms-matrix": Recipe("Frameworks x themes crosswalk", ("category",)),
    "participation-map": Recipe("Which states take part in a forum", ("forum", "years")),
    "recommendations-flow": Recipe("Who is asked to do what", ("category",)),
}


def choices(name: str, tables: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """The values ``category`` (or ``forum``) can take for chart ``name``."""
    tables = tables or data.load_all()
    if name == "timeline":
        return ["event", "incident"] + sorted(tidy.timeline_frame(tables)["lane"].unique())
    if name.startswith("incidents"):
        return sorted(tables["incidents"]["incident_type"].unique())
    if name.startswith("forum"):
        return sorted(tables["forums"]["kind"].unique())
    if name == "norms-matrix":
        return sorted(tidy.norms_crosswalk_frame(tables)["framework"].unique())
    if name == "participation-map":
        return sorted(tables["participation"]["forum_id"].unique())
    if name == "recommendations-flow":
        return sorted(tidy.recommendations_frame(tables)["group"].dropna().unique())
    raise KeyError(_unknown(name))


def _unknown(name: str) -> str:
    return f"no chart named {name!r}; choose one of: {', '.join(RECIPES)}"


def build(
    name: str,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    category: str | None = None,
    forum: str | None = None,
    search: str = "",
    title: str | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
) -> Visual:
    """Build chart ``name`` from the curated data with the given filters.

    ``category`` means, by chart: the record type or lane (timeline), the incident type, the forum
    kind, the framework (norms matrix) or the stakeholder group (recommendations). ``year_to`` on a
    participation map shows who had joined by the end of that year.
    """
    if name not in RECIPES:
        raise KeyError(_unknown(name))
    tables = tables or data.load_all()
    if category and category not in choices(name, tables):
        raise ValueError(f"{category!r} is not a category of {name}; choose one of: {', '.join(choices(name, tables))}")
    as_of = data.as_of()
    options = {"as_of": as_of} | ({"title": title} if title else {})
    if name == "timeline":
        rows = tidy.timeline_frame(tables)
        kinds = (category,) if category in ("event", "incident") else ("event", "incident")
        lanes = (category,) if category and category not in ("event", "incident") else ()
        rows = tidy.select_timeline(rows, tidy.TimelineFilter(year_from=year_from, year_to=year_to, lanes=lanes,
                                                              text=search, record_types=kinds))
        return Visual(name, charts.timeline(rows, **options), rows)
    if name.startswith("incidents"):
        rows = tidy.select_incidents(tables["incidents"], tidy.IncidentFilter(
            year_from=year_from, year_to=year_to, types=(category,) if category else ()))
        if name == "incidents-by-year":
            return Visual(name, charts.incidents_by_year(rows, **options), rows)
        sectors = tables["incident_sectors"][tables["incident_sectors"]["incident_id"].isin(rows["incident_id"])]
        options.setdefault("title", "Significant cyber incidents by target sector")
        return Visual(name, charts.incidents_by_category(sectors, category="sector", **options), sectors)
    if name.startswith("forum"):
        rows = tidy.select_forums(tables["forums"], tidy.ForumFilter(kinds=(category,) if category else (), text=search))
        chart = charts.forum_landscape if name == "forum-landscape" else charts.forum_positions
        return Visual(name, chart(rows, **options), rows)
    if name == "norms-matrix":
        rows = tidy.norms_crosswalk_frame(tables)
        if category:
            rows = rows[rows["framework"] == category]
        return Visual(name, charts.norms_matrix(rows, **options), rows)
    if name == "participation-map":
        forum = forum or "budapest_convention"
        rows = tidy.members_as_of(tidy.participation_frame(tables), forum_id=forum)
        if rows.empty:
            raise ValueError(f"no participation recorded for forum {forum!r}; choose one of: {', '.join(choices(name, tables))}")
        options.setdefault("title", f"Who takes part: {rows['forum'].iloc[0]}")
        return Visual(name, charts.participation_map(rows, year=year_to, **options), rows)
    rows = tidy.recommendations_frame(tables)
    if category:
        rows = rows[rows["group"] == category]
    return Visual(name, charts.recommendations_flow(rows, **options), rows)
