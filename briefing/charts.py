"""One function per chart: a tidy DataFrame in, a ``go.Figure`` out.

No function here shows a figure or touches a file; every figure uses the kit's template and
carries a source line.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from briefing import theme

_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
_DATE_FORMAT = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def source_line_for(frame: pd.DataFrame, *, as_of: str | None = None) -> str:
    """A source line that says how many cited sources stand behind the rows of ``frame``."""
    count = frame["source_id"].nunique() if "source_id" in frame else 0
    if count == 1 and "source_title" in frame:
        return theme.source_text([str(frame["source_title"].dropna().iloc[0])], as_of=as_of)
    described = f"Cyber Norms Briefing Kit curated data, {count} cited sources (see the sources table)"
    return theme.source_text([described], as_of=as_of)


def _finish(fig: go.Figure, *, title: str, source_line: str, height: int | None = None) -> go.Figure:
    fig.update_layout(template=theme.register_template(), title=dict(text=html.escape(title)))
    if height:
        fig.update_layout(height=height)
    return theme.add_source_line(fig, source_line)


def format_date(value: pd.Timestamp, precision: str) -> str:
    """A date written no more precisely than it is known: '2015', 'Jul 2015' or '22 Jul 2015'."""
    if pd.isna(value):
        return "date unknown"
    return value.strftime(_DATE_FORMAT.get(precision, "%d %b %Y"))


def _hover_rows(frame: pd.DataFrame) -> list[list[str]]:
    # Escaped here because plotly renders tags in hover text: imported text must stay text.
    return [
        [
            str(row.record_id),
            str(row.record_type),
            html.escape(str(row.label)),
            format_date(row.date, str(row.date_precision)),
            html.escape(str(row.summary)),
            html.escape(str(row.source_title) if pd.notna(row.source_title) else ""),
        ]
        for row in frame.itertuples()
    ]


def timeline_trace_values(frame: pd.DataFrame, *, lane: str, precision: str) -> dict:
    """The data of one timeline trace: the rows of ``lane`` known to the day (``precision="day"``,
    drawn as dots) or only to the month or year (``precision="span"``, drawn as bars).

    Explorers use this to refill the traces of a live figure without rebuilding it.
    """
    in_lane = frame[frame["lane"] == lane]
    if precision == "day":
        rows = in_lane[in_lane["date_precision"] == "day"]
        return {"x": list(rows["date"]), "y": [lane] * len(rows), "customdata": _hover_rows(rows)}
    rows = in_lane[in_lane["date_precision"] != "day"]
    starts = list(rows["date"])
    ends = [start + _PRECISION_SPAN[p] for start, p in zip(starts, rows["date_precision"])]
    return {
        "base": starts,
        "x": [(end - start).total_seconds() * 1000 for start, end in zip(starts, ends)],
        "y": [lane] * len(rows),
        "customdata": _hover_rows(rows),
    }


_TIMELINE_HOVER = (
    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{customdata[4]}"
    "<br><i>Source: %{customdata[5]}</i><extra></extra>"
)


def timeline(
    frame: pd.DataFrame,
    *,
    title: str = "Cyber diplomacy and cyber incidents on one time axis",
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each row becomes a mark in its swim lane: a dot for a day, a bar spanning a month or year.

    ``frame`` is :func:`briefing.tidy.timeline_frame` (or a selection of it). A year-precision row
    is drawn across its whole year, so the chart never claims a precision the data lacks.

    Examples
    --------
    >>> from briefing import tidy, charts
    >>> fig = charts.timeline(tidy.timeline_frame())
    >>> fig.layout.yaxis.type
    'category'
    """
    fig = go.Figure()
    lanes = list(dict.fromkeys(frame["lane"].dropna()))
    for index, lane in enumerate(lanes):
        colour = theme.PALETTE[index % len(theme.PALETTE)]
        fig.add_trace(
            go.Scatter(
                mode="markers", name=lane, legendgroup=lane,
                marker=dict(size=10, color=colour, line=dict(width=1, color="white")),
                hovertemplate=_TIMELINE_HOVER, meta={"lane": lane, "precision": "day"},
                **timeline_trace_values(frame, lane=lane, precision="day"),
            )
        )
        fig.add_trace(
            go.Bar(
                orientation="h", name=f"{lane} (month or year known)", legendgroup=lane, showlegend=False,
                marker=dict(color=colour, opacity=0.35), width=0.5,
                hovertemplate=_TIMELINE_HOVER, meta={"lane": lane, "precision": "span"},
                **timeline_trace_values(frame, lane=lane, precision="span"),
            )
        )
    fig.update_xaxes(type="date", title_text=None)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=lanes[::-1], title_text=None)
    fig.update_layout(barmode="overlay", hovermode="closest",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    if frame.empty:
        fig.add_annotation(text="Nothing matches these filters.", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=16))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, source_line=line, height=max(360, 70 * len(lanes) + 180))


def forum_landscape(
    frame: pd.DataFrame,
    *,
    title: str = "Forums of the cyber-norms landscape and how long they ran",
    source_line: str | None = None,
    as_of: str | None = None,
    today: pd.Timestamp | None = None,
) -> go.Figure:
    """Each forum becomes a bar from its start to its end (or to today if it is still running).

    ``frame`` is the ``forums`` table (or a selection); bars are coloured by who may take part.
    """
    if today is None:
        today = pd.Timestamp(as_of) if as_of else pd.Timestamp.today().normalize()
    dated = frame.dropna(subset=["start_date"]).sort_values("start_date", ascending=False)
    fig = go.Figure()
    for index, (participation, group) in enumerate(dated.groupby("participation", sort=True)):
        ends = group["end_date"].fillna(today)
        fig.add_trace(
            go.Bar(
                base=group["start_date"],
                x=[(end - start).total_seconds() * 1000 for start, end in zip(group["start_date"], ends)],
                y=group["short_name"].map(html.escape), orientation="h",
                name=participation.replace("_", " "), marker_color=theme.PALETTE[index % len(theme.PALETTE)],
                customdata=group[["forum_id", "kind", "status"]].astype(str).to_numpy(),
                hovertemplate="<b>%{y}</b><br>%{customdata[1]}, %{customdata[2]}<extra></extra>",
            )
        )
    fig.update_xaxes(type="date")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(dated["short_name"].map(html.escape)))
    fig.update_layout(barmode="overlay", legend_title_text="Who may take part")
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, source_line=line, height=max(400, 22 * len(dated) + 200))


def incidents_by_year(
    frame: pd.DataFrame,
    *,
    title: str = "Significant cyber incidents by year and type",
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each incident is counted once, in the year it began, stacked by its type.

    ``frame`` is the ``incidents`` table (or a selection, or imported incidents).
    """
    counts = (
        frame.assign(year=frame["start_date"].dt.year)
        .groupby(["year", "incident_type"], observed=True)
        .size()
        .rename("incidents")
        .reset_index()
    )
    fig = go.Figure()
    for index, (kind, group) in enumerate(counts.groupby("incident_type", sort=True)):
        fig.add_trace(
            go.Bar(x=group["year"], y=group["incidents"], name=kind.replace("_", " "),
                   marker_color=theme.PALETTE[index % len(theme.PALETTE)],
                   hovertemplate="%{x}: %{y} incident(s)<extra>%{fullData.name}</extra>")
        )
    fig.update_layout(barmode="stack", legend_title_text="Type")
    fig.update_xaxes(title_text="Year the incident began", dtick=1)
    fig.update_yaxes(title_text="Incidents in the kit's list", rangemode="tozero")
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, source_line=line)
