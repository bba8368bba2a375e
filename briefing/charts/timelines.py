"""The timeline: events and incidents in swim lanes on one time axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import render, theme
from briefing.charts.common import _PRECISION_SPAN, _finish, format_date, source_line_for


def _hover_rows(frame: pd.DataFrame) -> list[list[str]]:
    # Escaped here because plotly renders tags in hover text: imported text must stay text.
    return [
        [
            str(row.record_id),
            str(row.record_type),
            render.escape(str(row.label)),
            format_date(row.date, str(row.date_precision)),
            render.escape(str(row.summary)),
            render.escape(str(row.source_title) if pd.notna(row.source_title) else ""),
        ]
        for row in frame.itertuples()
    ]


def month_index(dates: pd.Series) -> tuple[np.ndarray, list[pd.Timestamp]]:
    """Each date's month as a code into the sorted list of the months present (a missing date is -1).

    The timeline counts a crowded lane by month; the timeline explorer keeps these codes so a
    filter only recounts them (:func:`month_count_values`), the one place months are counted.

    >>> codes, months = month_index(pd.Series(pd.to_datetime(["2020-03-05", "2020-01-09", "2020-03-30"])))
    >>> codes.tolist(), [m.strftime("%Y-%m") for m in months]
    ([1, 0, 1], ['2020-01', '2020-03'])
    """
    codes, uniques = pd.factorize(dates.dt.to_period("M"), sort=True)
    return codes, [period.to_timestamp() for period in uniques]


def month_count_values(
    lane: str, codes: np.ndarray, months: list[pd.Timestamp], keep: np.ndarray | None = None
) -> dict:
    """The data of a lane's counts-per-month trace: one bar per month holding rows, shaded by its count.

    ``codes`` and ``months`` come from :func:`month_index`; ``keep`` (a boolean mask over the codes)
    counts only the rows a filter kept. The colour is keyed ``"marker.color"``, ready for a restyle.
    """
    codes = codes if keep is None else codes[keep]
    counts = np.bincount(codes[codes >= 0], minlength=len(months))
    shown = np.flatnonzero(counts)
    starts = [months[i] for i in shown]
    return {
        "base": starts,
        "x": [((start + pd.DateOffset(months=1)) - start).total_seconds() * 1000 for start in starts],
        "y": [lane] * len(starts),
        "customdata": [["", "month", start.strftime("%b %Y"), str(counts[i])] for start, i in zip(starts, shown)],
        "marker.color": counts[shown].tolist(),
    }


def timeline_trace_values(frame: pd.DataFrame, *, lane: str, precision: str) -> dict:
    """The data of one timeline trace: the rows of ``lane`` known to the day (``precision="day"``,
    drawn as dots) or only to the month or year (``precision="span"``, drawn as bars).

    With ``precision="month_counts"`` the whole lane is counted by month instead (one bar per
    month, shaded by how many rows it holds): the view for lanes too full to draw row by row.
    Explorers use this to refill the traces of a live figure without rebuilding it.
    """
    in_lane = frame[frame["lane"] == lane]
    if precision == "month_counts":
        codes, months = month_index(in_lane["date"])
        values = month_count_values(lane, codes, months)
        return values | {"marker": {"color": values.pop("marker.color")}}
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


def _month_counts_trace(frame: pd.DataFrame, lane: str) -> go.Bar:
    values = timeline_trace_values(frame, lane=lane, precision="month_counts")
    marker = values.pop("marker")
    return go.Bar(
        orientation="h",
        name=f"{lane} (counts per month)",
        showlegend=False,
        width=0.6,
        marker=dict(color=marker["color"], colorscale=theme.SEQUENTIAL[1:], cmin=0, line=dict(width=0)),
        hovertemplate="<b>%{customdata[2]}</b>: %{customdata[3]} rows in this lane<extra></extra>",
        meta={"lane": lane, "precision": "month_counts"},
        **values,
    )


def _lane_traces(frame: pd.DataFrame, lane: str, colour: str) -> list:
    """A lane drawn row by row: dots for rows known to the day, faint bars for a month or a year."""
    return [
        go.Scatter(
            mode="markers",
            name=lane,
            legendgroup=lane,
            marker=dict(size=10, color=colour, line=dict(width=1, color="white")),
            hovertemplate=_TIMELINE_HOVER,
            meta={"lane": lane, "precision": "day"},
            **timeline_trace_values(frame, lane=lane, precision="day"),
        ),
        go.Bar(
            orientation="h",
            name=f"{lane} (month or year known)",
            legendgroup=lane,
            showlegend=False,
            marker=dict(color=colour, opacity=0.35),
            width=0.5,
            hovertemplate=_TIMELINE_HOVER,
            meta={"lane": lane, "precision": "span"},
            **timeline_trace_values(frame, lane=lane, precision="span"),
        ),
    ]


_TIMELINE_HOVER = (
    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{customdata[4]}<br><i>Source: %{customdata[5]}</i><extra></extra>"
)


def timeline(
    frame: pd.DataFrame,
    *,
    title: str = "Cyber diplomacy and cyber incidents on one time axis",
    subtitle: str | None = None,
    aggregate_above: int = 3000,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each row becomes a mark in its swim lane: a dot for a day, a bar spanning a month or year.

    ``frame`` is :func:`briefing.tidy.timeline_frame` (or a selection of it). A year-precision row
    is drawn across its whole year, so the chart never claims a precision the data lacks. A lane
    with more than ``aggregate_above`` rows (e.g. a large imported incident list) is drawn as
    counts per month, which stays readable and fast at 100,000 rows. A lane's colour is fixed by
    :func:`briefing.tidy.lane_vocabulary`, so it stays the same whatever is filtered out.

    Examples
    --------
    >>> from briefing import tidy, charts
    >>> fig = charts.timeline(tidy.timeline_frame())
    >>> fig.layout.yaxis.type
    'category'
    """
    from briefing.tidy import lane_vocabulary

    fig = go.Figure()
    lanes = list(dict.fromkeys(frame["lane"].dropna()))
    colours = theme.category_colours(lane_vocabulary(lanes), lanes)
    sizes = frame["lane"].value_counts()
    for lane in lanes:
        if sizes.get(lane, 0) > aggregate_above:
            fig.add_trace(_month_counts_trace(frame, lane))
        else:
            fig.add_traces(_lane_traces(frame, lane, colours[lane]))
    fig.update_xaxes(type="date", title_text=None)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=lanes[::-1], title_text=None)
    # The lanes are named on the axis, so a legend would only repeat them.
    fig.update_layout(barmode="overlay", hovermode="closest", showlegend=False)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(
        fig, title=title, subtitle=subtitle, source_line=line, height=max(360, 70 * len(lanes) + 180), empty=frame.empty
    )
