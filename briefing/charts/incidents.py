"""Incidents counted: by year and type, and by a category (sector, attributed state)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.common import _count_axis, _finish, _in_declared_order, _year_axis, source_line_for


def incidents_by_year(
    frame: pd.DataFrame,
    *,
    title: str = "Significant cyber incidents by year and type",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each incident is counted once, in the year it began, stacked by its type.

    ``frame`` is the ``incidents`` table (or a selection, or imported incidents). A type's colour
    is fixed by its place in the schema's list of types, so it never changes with a filter.
    """
    counts = (
        frame.assign(year=frame["start_date"].dt.year)
        .groupby(["year", "incident_type"], observed=True)
        .size()
        .rename("incidents")
        .reset_index()
    )
    colours = theme.category_colours(data.enum("incidents", "incident_type"), counts["incident_type"])
    fig = go.Figure()
    for kind in _in_declared_order(counts["incident_type"], colours):
        group = counts[counts["incident_type"] == kind]
        fig.add_trace(
            go.Bar(
                x=group["year"],
                y=group["incidents"],
                name=tidy.words(kind),
                meta={"incident_type": kind},
                marker_color=colours[kind],
                hovertemplate="%{x}: %{y} incident(s)<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="Type")
    fig.update_xaxes(title_text="Year the incident began", **_year_axis(counts["year"]))
    most = counts.groupby("year")["incidents"].sum().max() if len(counts) else 0
    fig.update_yaxes(title_text="Incidents in the kit's list", **_count_axis(most))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, empty=counts.empty, height=460)


def incidents_by_category(
    frame: pd.DataFrame,
    *,
    category: str,
    title: str,
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each bar counts the incidents in one category (a sector, or an attributed state).

    ``frame`` has one row per incident x category value, in columns ``incident_id`` and
    ``category`` (e.g. ``incident_sectors`` or :func:`briefing.tidy.attributed_states_frame`).
    An incident with several values is counted once in each.
    """
    counts = frame.groupby(category, observed=True)["incident_id"].nunique().sort_values()
    labels = [render.escape(tidy.label_of(category, label)) for label in counts.index]
    fig = go.Figure(
        go.Bar(
            x=counts.to_numpy(),
            y=labels,
            orientation="h",
            marker_color=theme.PALETTE[0],
            customdata=[[str(v)] for v in counts.index],
            hovertext=[f"{label}: {tidy.count_of(int(n), 'incident')}" for label, n in zip(labels, counts)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Incidents in the kit's list", **_count_axis(counts.max() if len(counts) else 0))
    fig.update_yaxes(showgrid=False)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        source_line=line,
        height=max(360, 26 * len(counts) + 220),
        empty=counts.empty,
    )
