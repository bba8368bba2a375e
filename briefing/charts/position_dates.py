"""When states published how they read international law in cyberspace: the positions on a time
axis, one row per holder. A tidy frame in (:func:`briefing.law.positions_frame`), a ``go.Figure`` out.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from briefing import render, theme, tidy
from briefing.charts.categories import _escaped, _every_category
from briefing.charts.common import _checked, _finish, _unchecked_figure, _with_outline, format_date, source_line_for
from briefing.law import REGIONS

_COLUMNS = [
    "position_id",
    "holder_name",
    "region",
    "date",
    "date_precision",
    "title",
    "venue",
    "document_symbol",
    "position_source_id",
    "source_title",
]
_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}

_HOVER = "<b>%{y}</b>: %{customdata[1]}<br>%{customdata[2]}; %{customdata[3]} %{customdata[4]}<extra></extra>"


def _position_rows(rows: pd.DataFrame) -> list[list[str]]:
    """Each position's customdata: id, title, date as precise as known, venue, document symbol."""
    columns = ["position_id", "title", "date", "date_precision", "venue", "document_symbol"]
    return [list(_position_row(row)) for row in zip(*(rows[column].tolist() for column in columns))]


@lru_cache(maxsize=2048)
def _position_row(row: tuple) -> tuple[str, ...]:
    """One position's customdata, remembered: it reads the same whichever filter shows it, and an
    explorer draws this chart again on every filter change."""
    position_id, title, date, precision, venue, symbol = row
    return (str(position_id), _escaped(title), format_date(date, str(precision)), _escaped(venue), _escaped(symbol))


def _by_region(dated: pd.DataFrame) -> dict[str, list[tuple]]:
    """Each region's dated positions as (date, holder, precision, customdata), in the frame's order:
    taken in one pass, not one selection of the frame per region and per mark (an explorer redraws
    this chart on every filter change)."""
    by_region: dict[str, list[tuple]] = {}
    rows = dated[["region", "date", "holder_name", "date_precision"]].itertuples(index=False, name=None)
    for (region, date, holder, precision), custom in zip(rows, _position_rows(dated)):
        by_region.setdefault(region, []).append((date, render.escape(holder), str(precision), custom))
    return by_region


def _day_marks(rows: list[tuple], *, region: str, colour: str) -> dict:
    """A dot for each position of ``region`` whose day is known (plain properties, outlined)."""
    days = [row for row in rows if row[2] == "day"]
    return _with_outline(
        {
            "type": "scatter",
            "x": [date for date, _, _, _ in days],
            "y": [holder for _, holder, _, _ in days],
            "mode": "markers",
            "name": region,
            "legendgroup": region,
            "marker": {"size": 10, "color": colour, "line": {"width": 1, "color": "white"}},
            "customdata": [custom for _, _, _, custom in days],
            "hovertemplate": _HOVER,
            "meta": {"region": region, "precision": "day"},
        }
    )


def _span_bars(rows: list[tuple], *, region: str, colour: str) -> dict:
    """A bar across the month or year of each position of ``region`` known only to that precision.

    Plain properties, outlined as ``theme.mark_cues`` would (see ``charts.common._with_outline``):
    the figure is checked as a whole (``charts.common._checked``) or by the live figure it refills."""
    spans = [row for row in rows if row[2] != "day"]
    ends = [date + _PRECISION_SPAN.get(precision, pd.DateOffset(days=1)) for date, _, precision, _ in spans]
    return _with_outline(
        {
            "type": "bar",
            "base": [date for date, _, _, _ in spans],
            "x": [(end - date).total_seconds() * 1000 for (date, _, _, _), end in zip(spans, ends)],
            "y": [holder for _, holder, _, _ in spans],
            "orientation": "h",
            "width": 0.55,
            "name": f"{region} (month or year known)",
            "legendgroup": region,
            "showlegend": False,
            "marker": {"color": colour, "opacity": 0.45},
            "customdata": [custom for _, _, _, custom in spans],
            "hovertemplate": _HOVER,
            "meta": {"region": region, "precision": "span"},
        }
    )


def _timeline_notes(positions: pd.DataFrame, dated: pd.DataFrame) -> tuple[str, ...]:
    """What the bars mean (when there are any) and how many positions have no known date."""
    notes = (
        ["a bar spans the month or year where only that is known"] if (dated["date_precision"] != "day").any() else []
    )
    undated = positions["position_id"].nunique() - dated["position_id"].nunique()
    if undated:
        notes.append(f"{tidy.count_of(undated, 'position')} with no known date not shown")
    return tuple(notes)


def positions_timeline(
    frame: pd.DataFrame,
    *,
    title: str = "When states published how they read international law in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each position becomes a mark on its holder's row: a dot for a day, a bar across a month or year.

    ``frame`` is :func:`positions_frame` (or a selection; a position counts once however many of its
    questions are kept). Holders are ordered by their first position; colour is the holder's
    region. Positions with no known date are counted in the subtitle, not placed. ``validate=False``
    skips plotly's checks of the finished figure (an explorer refilling a live figure).
    """
    # Only the columns drawn: each region's rows are taken from the frame, every column of it.
    positions = frame.drop_duplicates("position_id")[[c for c in _COLUMNS if c in frame.columns]]
    dated = positions[positions["date"].notna()]
    first = dated.groupby("holder_name")["date"].min().sort_values()
    holders = [render.escape(h) for h in first.index]
    colours = theme.category_colours(REGIONS, dated["region"].dropna())
    by_region = _by_region(dated)
    # Every region's traces, empty where it has no position: every selection draws the same
    # traces, so an explorer refills them in place. REGIONS first, then any region the data adds.
    traces: list[dict] = []
    for region, colour in colours.items():
        rows = by_region.get(region, [])
        traces += [_day_marks(rows, region=region, colour=colour), _span_bars(rows, region=region, colour=colour)]
        traces[-2]["showlegend"] = region in by_region
    # Plain layout (see charts.common._unchecked_figure): three update calls cost 2-3 ms a change.
    fig = _unchecked_figure(
        *traces,
        layout={
            "xaxis": {"type": "date"},
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": holders[::-1],
                "showgrid": True,
                **_every_category(holders),
            },
            "barmode": "overlay",
            "hovermode": "closest",
            "legend": {"title": {"text": "Region"}},
        },
    )
    line = source_line or source_line_for(positions.assign(source_id=positions["position_source_id"]), as_of=as_of)
    fig = _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=_timeline_notes(positions, dated),
        source_line=line,
        height=max(400, 18 * len(holders) + 220),
        empty=dated.empty,
    )
    return _checked(fig, validate)
