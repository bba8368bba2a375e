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

from briefing import charts, data, theme, tidy


@dataclass(frozen=True)
class Visual:
    """A built chart and the tidy rows it draws (what a CSV export of the chart holds: no more)."""

    name: str
    figure: go.Figure
    rows: pd.DataFrame

    @property
    def citation(self) -> str:
        """The chart's source line: what an export of its rows must cite."""
        line = theme.source_line_of(self.figure)
        if line is None:  # every chart of the kit has one (tests check); never export without it
            raise ValueError(f"chart {self.name!r} has no source line")
        return line


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


def _years_phrase(year_from: int | None, year_to: int | None) -> str:
    if year_from is not None and year_to is not None:
        return f"Years {year_from}\u2013{year_to}" if year_from != year_to else f"Year {year_from}"
    if year_from is not None:
        return f"From {year_from}"
    if year_to is not None:
        return f"Up to {year_to}"
    return ""


def _filter_subtitle(*parts: str) -> str | None:
    """The subtitle that names the filters applied (None when there are none)."""
    said = [part for part in parts if part]
    return " \u00b7 ".join(said) if said else None


def _words(value: str) -> str:
    return value.replace("_", " ")


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
    searched = f"Only records mentioning \u201c{search.strip()}\u201d" if search.strip() else ""
    years = _years_phrase(year_from, year_to)

    def options(default_title: str, *parts: str) -> dict:
        return {"as_of": as_of, "title": title or default_title, "subtitle": _filter_subtitle(*parts)}

    if name == "timeline":
        rows = tidy.timeline_frame(tables)
        kinds = (category,) if category in ("event", "incident") else ("event", "incident")
        lanes = (category,) if category and category not in ("event", "incident") else ()
        rows = tidy.select_timeline(rows, tidy.TimelineFilter(year_from=year_from, year_to=year_to, lanes=lanes,
                                                              text=search, record_types=kinds))
        heading = {"incident": "Significant cyber incidents on a time axis",
                   "event": "Cyber diplomacy on a time axis"}.get(category or "", "")
        heading = heading or (f"{category} on a time axis" if category
                              else "Cyber diplomacy and cyber incidents on one time axis")
        return Visual(name, charts.timeline(rows, **options(heading, years, searched)), rows)
    if name.startswith("incidents"):
        rows = tidy.select_incidents(tables["incidents"], tidy.IncidentFilter(
            year_from=year_from, year_to=year_to, types=(category,) if category else ()))
        kind = f"{_words(category)} " if category else ""
        if name == "incidents-by-year":
            heading = (f"Significant {kind}incidents by year" if category
                       else "Significant cyber incidents by year and type")
            return Visual(name, charts.incidents_by_year(rows, **options(heading, years)), rows)
        sectors = tables["incident_sectors"][tables["incident_sectors"]["incident_id"].isin(rows["incident_id"])]
        heading = f"Significant {kind or 'cyber '}incidents by target sector"
        return Visual(name, charts.incidents_by_category(sectors, category="sector", **options(heading, years)), sectors)
    if name.startswith("forum"):
        rows = tidy.select_forums(tables["forums"], tidy.ForumFilter(kinds=(category,) if category else (), text=search))
        kind = f"Forum kind: {tidy.FORUM_KIND_LABELS.get(category, category)}" if category else ""
        searched = searched.replace("records", "forums")
        if name == "forum-landscape":
            figure = charts.forum_landscape(rows, **options(
                "Forums of the cyber-norms landscape and how long they ran", kind, searched))
            return Visual(name, figure, charts.landscape_rows(rows))
        figure = charts.forum_positions(rows, **options("Who may take part, and does it bind?", kind, searched))
        return Visual(name, figure, charts.positions_rows(rows))
    if name == "norms-matrix":
        rows = tidy.norms_crosswalk_frame(tables)
        if category:
            rows = rows[rows["framework"] == category]
        heading = f"Which themes {category} addresses" if category else "Which frameworks address which themes"
        return Visual(name, charts.norms_matrix(rows, **options(heading)), rows)
    if name == "participation-map":
        forum = forum or "budapest_convention"
        rows = tidy.members_as_of(tidy.participation_frame(tables), forum_id=forum)
        if rows.empty:
            raise ValueError(f"no participation recorded for forum {forum!r}; choose one of: {', '.join(choices(name, tables))}")
        heading = f"Who takes part: {rows['forum'].iloc[0]}" + (f", by the end of {year_to}" if year_to is not None else "")
        figure = charts.participation_map(rows, year=year_to, **options(heading))
        # The rows coloured on the map, not the forum's whole list (those who joined later are not drawn).
        return Visual(name, figure, charts.participation_rows(rows, year=year_to))
    rows = tidy.recommendations_frame(tables)
    if category:
        rows = rows[rows["group"] == category]
    heading = (f"What {tidy.STAKEHOLDER_GROUP_LABELS.get(category, category).lower()} is asked to do" if category
               else "Who is asked to do what")
    return Visual(name, charts.recommendations_flow(rows, **options(heading)), rows)
