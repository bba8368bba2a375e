"""The forums: their lifespans, and their place by who may take part and whether they bind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.common import _finish, _in_declared_order, _text_rows, _two_lines, source_line_for


def landscape_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The forums :func:`forum_landscape` draws: those with a known start date."""
    return frame.dropna(subset=["start_date"])


def _landscape_labels(dated: pd.DataFrame, left: pd.Timestamp | None) -> pd.Series:
    """Each forum's bar label; a forum that began before the axis starts says so (its bar runs off
    the left edge)."""
    return pd.Series(
        [
            render.escape(str(name)) + (f" (since {start.year})" if left is not None and start < left else "")
            for name, start in zip(dated["short_name"], dated["start_date"])
        ],
        index=dated.index,
    )


def _left_out(count: int, what: str) -> tuple[str, ...]:
    """The subtitle's note on forums a chart leaves out ("2 forums ... are not shown"), or none."""
    return (f"{tidy.count_of(count, 'forum')} {what.format(are='is' if count == 1 else 'are')}",) if count else ()


# The legend above the plot, in one or two rows: beside it, it took the width a phone needs for
# the bars (the forums' names already take the left).
_LANDSCAPE_LEGEND = dict(title_text="Who may take part:", orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom")


def forum_landscape(
    frame: pd.DataFrame,
    *,
    title: str = "Forums of the cyber-norms landscape and how long they ran",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    today: pd.Timestamp | None = None,
) -> go.Figure:
    """Each forum becomes a bar from its start to its end (or to today if it is still running).

    ``frame`` is the ``forums`` table (or a selection); bars are coloured by who may take part.
    The time axis fits the bulk of the forums: when a few started decades before the rest (NATO
    in 1949), the axis starts later and their bars are labelled with the year they began.
    """
    if today is None:
        today = pd.Timestamp(as_of) if as_of else pd.Timestamp.today().normalize()
    dated = landscape_rows(frame).sort_values("start_date", ascending=False)
    left, right = _lifespan_range(dated["start_date"], dated["end_date"].fillna(today))
    labels = _landscape_labels(dated, left)
    colours = theme.category_colours(data.enum("forums", "participation"), dated["participation"])
    fig = go.Figure()
    for participation in _in_declared_order(dated["participation"], colours):
        group = dated[dated["participation"] == participation]
        ends = group["end_date"].fillna(today)
        fig.add_trace(
            go.Bar(
                base=group["start_date"],
                x=[(end - start).total_seconds() * 1000 for start, end in zip(group["start_date"], ends)],
                y=labels[group.index],
                orientation="h",
                name=tidy.label("forums", "participation", participation),
                marker_color=colours[participation],
                customdata=_text_rows(group, ["forum_id", "kind", "status"]),
                hovertemplate="<b>%{y}</b><br>%{customdata[1]}, %{customdata[2]}<extra></extra>",
            )
        )
    fig.update_xaxes(type="date", range=[left, right] if left is not None else None)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(labels))
    fig.update_layout(barmode="overlay", legend=_LANDSCAPE_LEGEND)
    line = source_line or source_line_for(frame, as_of=as_of)
    undated = len(frame) - len(dated)
    notes = _left_out(undated, "with no known start date {are} not shown")
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=notes,
        source_line=line,
        height=max(400, 22 * len(dated) + 200),
        empty=dated.empty,
    )


def _lifespan_range(starts: pd.Series, ends: pd.Series) -> tuple:
    """The time axis of the lifespans: from a year before the first start (or, when a few forums
    began decades before the rest, from a little before the bulk) to a year after the last end."""
    if starts.empty:
        return None, None
    first = starts.min()
    bulk = starts.quantile(0.1) if len(starts) >= 5 else first
    decade = pd.Timedelta(days=3652)
    if bulk - first > decade:
        first = starts[starts >= bulk - decade].min()
    left = pd.Timestamp(year=first.year - 1, month=1, day=1)
    right = pd.Timestamp(year=ends.max().year + 1, month=1, day=1)
    return left, right


def positions_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The forums :func:`forum_positions` places: those whose binding status is known."""
    return frame[frame["binding"].notna()]


#: How far apart the dots of one box stand, across and up (in the axes' units).
_DOT_STEP = (0.16, 0.14)


def _placed_on_grid(known: pd.DataFrame) -> pd.DataFrame:
    """Forums with x (who may take part) and y (binding or not), spread on a small grid per box so
    no dot hides another (in a fixed order: kind, then id)."""
    placed = known.assign(
        x=known["participation"].map({p: i for i, p in enumerate(data.enum("forums", "participation"))}).astype(float),
        y=known["binding"].map({True: 1.0, False: 0.0}).astype(float),
    )
    placed = placed.sort_values(["kind", "forum_id"])
    placed["rank"] = placed.groupby(["x", "y"]).cumcount()
    placed["size_of_box"] = placed.groupby(["x", "y"])["forum_id"].transform("count")
    columns = np.ceil(np.sqrt(placed["size_of_box"]))
    rows = np.ceil(placed["size_of_box"] / columns)
    placed["x"] += ((placed["rank"] % columns) - (columns - 1) / 2) * _DOT_STEP[0]
    placed["y"] -= ((placed["rank"] // columns) - (rows - 1) / 2) * _DOT_STEP[1]
    return placed


def _positions_axes(fig: go.Figure, *, boxes: bool) -> None:
    """Who may take part across, binding or voluntary up; with ``boxes``, lines between the boxes."""
    order = data.enum("forums", "participation")
    fig.update_xaxes(
        tickvals=list(range(len(order))),
        ticktext=[_two_lines(tidy.label("forums", "participation", p)) for p in order],
        range=[-0.6, 3.6],
        # Level where the four columns have room; upright where they would overlap (a phone: at
        # 390 px "A limited group of states" ran into "Open to all states"). plotly.js chooses.
        tickangle=None,
        autotickangles=[0, -90],
        showgrid=False,
        title_text=None,
    )
    fig.update_yaxes(
        tickvals=[0, 1], ticktext=["Voluntary", "Legally binding"], range=[-0.5, 1.5], showgrid=False, title_text=None
    )
    # The room upright labels need, remembered apart: a picture wide enough for level labels gives
    # it back (picture_fit.fit_columns).
    # The dots' step too: a picture keeps its dots no larger than the step (picture_fit.keep_marks_apart).
    fig.update_layout(meta={"upright_labels_px": _upright_room(fig.layout.xaxis.ticktext), "mark_step": _DOT_STEP})
    if boxes:
        # One layout update, not add_vline / add_hline per line (about 10 ms each).
        line = dict(type="line", line=dict(color="#dddddd", width=1))
        across = [
            {**line, "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"} for x in (0.5, 1.5, 2.5)
        ]
        up = {**line, "x0": 0, "x1": 1, "xref": "x domain", "y0": 0.5, "y1": 0.5, "yref": "y"}
        fig.update_layout(shapes=[*fig.layout.shapes, *across, up])


def forum_positions(
    frame: pd.DataFrame,
    *,
    title: str = "Who may take part, and does it bind?",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each forum becomes a labelled dot: who may take part (x) against binding or voluntary (y).

    ``frame`` is the ``forums`` table (or a selection). Forums whose binding status is unknown
    are left out and counted in the subtitle, rather than guessed. A kind's colour (and, past the
    first eight kinds, its symbol) is fixed by the schema's list of kinds.
    """
    known = positions_rows(frame).sort_values("forum_id")
    placed = _placed_on_grid(known)
    symbols = ["circle", "diamond", "square", "triangle-up"]
    colours = theme.category_colours(data.enum("forums", "kind"), placed["kind"])
    position = {kind: index for index, kind in enumerate(colours)}
    fig = go.Figure()
    for kind in _in_declared_order(placed["kind"], colours):
        group = placed[placed["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=group["x"],
                y=group["y"],
                mode="markers",
                name=tidy.label("forums", "kind", kind),
                marker=dict(
                    size=13,
                    color=colours[kind],
                    symbol=symbols[(position[kind] // len(theme.PALETTE)) % len(symbols)],
                    line=dict(width=1, color="white"),
                ),
                customdata=_text_rows(group, ["forum_id", "short_name", "status"]),
                hovertemplate="<b>%{customdata[1]}</b><br>status: %{customdata[2]}<extra>%{fullData.name}</extra>",
            )
        )
    _positions_axes(fig, boxes=not known.empty)
    unknown = len(frame) - len(known)
    notes = _left_out(unknown, "whose binding status no source confirms {are} not placed.")
    fig.update_layout(legend=dict(title_text="Kind", tracegroupgap=0, itemsizing="constant"))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=notes,
        source_line=line,
        height=max(560, 24 * len(fig.data) + 260),
        bottom_labels_px=fig.layout.meta["upright_labels_px"],
        empty=known.empty,
    )


def _upright_room(labels) -> int:
    """The room column labels need under the plot, beyond two level lines, once they stand upright
    (where the page is too narrow for them side by side), so they never run into the source line."""
    longest = max((len(line) for label in labels or () for line in str(label).split("<br>")), default=0)
    upright = longest * 0.55 * theme.BODY_FONT_SIZE
    level = 2 * 1.3 * theme.BODY_FONT_SIZE
    return max(0, round(upright - level))
