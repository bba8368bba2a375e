"""Incidents counted: by year and type, and by a category (sector, attributed state)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.common import (
    _checked,
    _count_axis,
    _finish,
    _in_declared_order,
    _unchecked_figure,
    _year_axis,
    source_line_for,
)

# Hatching marks imported rows beside curated ones (same colour: same type), white over the colour.
_HATCH = dict(shape="/", fillmode="overlay", fgcolor="white", solidity=0.35)


def _year_bar(group: pd.DataFrame, kind: str, colour: str, provenance: str | None) -> go.Bar:
    imported = provenance == "imported"
    name = tidy.words(kind) + (" (imported)" if imported else "")
    return go.Bar(
        x=group["year"],
        y=group["incidents"],
        name=name,
        legendgroup=kind,
        showlegend=not imported,  # one "imported" key (hatched grey) stands for them all
        meta={"incident_type": kind, "provenance": provenance or "curated"},
        marker=dict(color=colour, pattern=_HATCH if imported else None),
        hovertemplate="%{x}: %{y} incident(s)<extra>%{fullData.name}</extra>",
        _validate=False,  # the figure is checked as a whole (charts.common._checked)
    )


def incidents_by_year(
    frame: pd.DataFrame,
    *,
    title: str = "Significant cyber incidents by year and type",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each incident is counted once, in the year it began, stacked by its type.

    ``frame`` is the ``incidents`` table (or a selection, or imported incidents). A type's colour
    is fixed by its place in the schema's list of types, so it never changes with a filter. Where
    ``frame`` has a ``provenance`` column (:func:`briefing.importers.combine_with_curated`), imported
    rows are drawn hatched, in their type's colour, so that they are never mistaken for curated ones.
    ``validate=False`` skips plotly's checks of the finished figure (an explorer refilling a live
    figure, which checks what it is given).
    """
    by = ["year", "incident_type"] + (["provenance"] if "provenance" in frame.columns else [])
    counts = (
        frame.assign(year=frame["start_date"].dt.year)
        .groupby(by, observed=True)
        .size()
        .rename("incidents")
        .reset_index()
    )
    colours = theme.category_colours(data.enum("incidents", "incident_type"), counts["incident_type"])
    provenances: list[str | None] = [
        p for p in ("curated", "imported") if "provenance" in counts and p in set(counts["provenance"])
    ]
    fig = _unchecked_figure()
    for kind in _in_declared_order(counts["incident_type"], colours):
        of_kind = counts[counts["incident_type"] == kind]
        for provenance in provenances or [None]:
            group = of_kind if provenance is None else of_kind[of_kind["provenance"] == provenance]
            if len(group):
                fig.add_trace(_year_bar(group, kind, colours[kind], provenance))
    if "imported" in provenances:
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name="imported rows (hatched)",
                meta={"legend": "imported"},
                marker=dict(color="#888888", pattern=_HATCH),
                hoverinfo="skip",
                _validate=False,
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="Type", legend_tracegroupgap=0)
    fig.update_xaxes(title_text="Year the incident began", **_year_axis(counts["year"]))
    most = counts.groupby("year")["incidents"].sum().max() if len(counts) else 0
    fig.update_yaxes(title_text="Incidents in the kit's list", **_count_axis(most))
    line = source_line or source_line_for(frame, as_of=as_of)
    notes = ("hatched: imported rows; plain: the kit's curated rows",) if "imported" in provenances else ()
    fig = _finish(fig, title=title, subtitle=subtitle, notes=notes, source_line=line, empty=counts.empty, height=460)
    return _checked(fig, validate)


def incidents_by_category(
    frame: pd.DataFrame,
    *,
    category: str,
    title: str,
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each bar counts the incidents in one category (a sector, or an attributed state).

    ``frame`` has one row per incident x category value, in columns ``incident_id`` and
    ``category`` (e.g. ``incident_sectors`` or :func:`briefing.tidy.attributed_states_frame`).
    An incident with several values is counted once in each. ``validate`` as in :func:`incidents_by_year`.
    """
    counts = frame.groupby(category, observed=True)["incident_id"].nunique().sort_values()
    labels = [render.escape(tidy.label_of(category, label)) for label in counts.index]
    fig = _unchecked_figure(
        go.Bar(
            x=counts.to_numpy(),
            y=labels,
            orientation="h",
            marker_color=theme.PALETTE[0],
            customdata=[[str(v)] for v in counts.index],
            hovertext=[f"{label}: {tidy.count_of(int(n), 'incident')}" for label, n in zip(labels, counts)],
            hovertemplate="%{hovertext}<extra></extra>",
            _validate=False,
        )
    )
    fig.update_xaxes(title_text="Incidents in the kit's list", **_count_axis(counts.max() if len(counts) else 0))
    fig.update_yaxes(showgrid=False)
    line = source_line or source_line_for(frame, as_of=as_of)
    fig = _finish(
        fig,
        title=title,
        subtitle=subtitle,
        source_line=line,
        height=max(360, 26 * len(counts) + 220),
        empty=counts.empty,
    )
    return _checked(fig, validate)
