"""Charts of national positions on international law: the holders x questions grid and the map of
one question. A tidy frame in (:func:`briefing.law.positions_frame`), a ``go.Figure`` out; a stance
keeps its colour whatever the filter, "not addressed" is neutral grey. The timeline of when the
positions were published is in :mod:`briefing.charts.position_dates`.
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.categories import _escaped, _every_category, _legend_square, separator_lines
from briefing.charts.common import (
    _checked,
    _finish,
    _unchecked_figure,
    empty_annotation,
    format_date,
    source_line_for,
)
from briefing.charts.map_layers import country_layer, world_layout, world_under
from briefing.law import (
    NO_POSITION_GREY,
    NOT_ADDRESSED,
    NOT_ADDRESSED_GREY,
    QUESTION_LABELS,
    REGIONS,
    STANCE_LABELS,
    holder_order,
    holder_regions,
    holder_stances,
)

_GRID_HOVER = (
    "<b>%{y}</b> on %{x}: %{customdata[2]}<br>%{customdata[3]}<br>%{customdata[4]}"
    "<br>%{customdata[5]}<br><i>Source: %{customdata[6]}</i><extra></extra>"
)


def stance_colours() -> dict[str, str]:
    """A colour per stance, fixed by the schema's list of stances; 'not addressed' is neutral grey."""
    colours = theme.category_colours([s for s in data.enum("position_stances", "stance") if s != NOT_ADDRESSED])
    return colours | {NOT_ADDRESSED: NOT_ADDRESSED_GREY}


def _stance_colourscale(order: list[str], colours: dict[str, str]) -> list:
    """A stepped colourscale in which the value ``i`` is exactly the colour of ``order[i]``."""
    n = len(order)
    scale = []
    for i, stance in enumerate(order):
        scale += [[i / n, colours[stance]], [(i + 1) / n, colours[stance]]]
    return scale


@lru_cache(maxsize=4096)
def _grid_cell(row: tuple) -> tuple[str, ...]:
    """What the hover of one grid cell says: position id, question, stance, document, quote, others, source.

    ``row`` is a stance row's :data:`_CELL_COLUMNS` as a plain tuple. Remembered: a cell says the
    same whichever filter shows it, and writing every cell's text again was a third of the grid's
    cost on each of an explorer's filter changes."""
    _holder, question, stance, position_id, quotation, pinpoint, positions, title, date, precision, source = row
    quote = f"“{_escaped(quotation)}” ({_escaped(pinpoint)})" if pd.notna(quotation) else ""
    others = int(positions) - 1
    return (
        str(position_id),
        question,
        render.escape(STANCE_LABELS.get(stance, stance)),
        f"{_escaped(title)}, {format_date(date, str(precision))}",
        quote,
        f"{others} other position(s) of this holder" if others else "",
        _escaped(source),
    )


def _grid_values(cells: dict, holders: list[str], questions: list[str], index: dict[str, int]) -> tuple[list, list]:
    """The grid's values (a stance's place in the schema's order; None for no row) and its customdata."""
    z, custom = [], []
    for holder in holders:
        z_row: list[int | None] = []
        custom_row: list[tuple[str, ...]] = []
        for question in questions:
            row = cells.get((holder, question))
            if row is None:
                z_row.append(None)
                custom_row.append(("", question, "", "", "", "", ""))
                continue
            z_row.append(index[row[2]])
            custom_row.append(_grid_cell(row))
        z.append(z_row)
        custom.append(custom_row)
    return z, custom


_CELL_COLUMNS = [
    "holder_name",
    "question",
    "stance",
    "position_id",
    "quotation",
    "pinpoint",
    "positions",
    "title",
    "date",
    "date_precision",
    "source_title",
]


def _grid_heatmap(best: pd.DataFrame, holders: list[str], questions: list[str]) -> go.Heatmap:
    """One square per holder x question, painted by the stance's step on a stepped colourscale."""
    order = data.enum("position_stances", "stance")
    # Only the columns a cell shows: itertuples reads every column of the wide frame, one value at a time.
    rows = zip(*(best[column].tolist() for column in _CELL_COLUMNS))  # plain tuples: a cell's cache key
    cells = {(row[0], row[1]): row for row in rows}
    z, custom = _grid_values(cells, holders, questions, {stance: i for i, stance in enumerate(order)})
    return go.Heatmap(
        z=z,
        x=[QUESTION_LABELS.get(q, q) for q in questions],
        y=[render.escape(h) for h in holders],
        # An array, not nested lists: plotly checks a list's every item, and an explorer redraws
        # the grid on every filter change.
        customdata=np.array(custom, dtype=object),
        zmin=-0.5,
        zmax=len(order) - 0.5,
        colorscale=_stance_colourscale(order, stance_colours()),
        showscale=False,
        xgap=2,
        ygap=2,
        hoverongaps=False,
        name="stances",
        hovertemplate=_GRID_HOVER,
        _validate=False,  # the figure is checked as a whole (charts.common._checked)
        meta={
            "stances": [
                [row[2] if (row := cells.get((h, q))) is not None else None for q in questions] for h in holders
            ]
        },
    )


def _grid_layout(holders: list[str], questions: list[str], regions: list[str]) -> dict:
    """The grid's axes (every row and column named), the lines between regions and the legend,
    as plain layout properties (see ``charts.common._unchecked_figure``)."""
    columns = [QUESTION_LABELS.get(q, q) for q in questions]
    rows = [render.escape(h) for h in holders]
    return {
        "xaxis": {"side": "bottom", "showgrid": False, "tickangle": -35, **_every_category(columns)},
        "yaxis": {"autorange": "reversed", "showgrid": False, **_every_category(rows)},
        "shapes": separator_lines([i - 0.5 for i in range(1, len(holders)) if regions[i] != regions[i - 1]]),
        "legend": {"title": {"text": "Stance"}, "itemsizing": "constant", "tracegroupgap": 0},
        "plot_bgcolor": "white",
    }


def _grid_notes(holders: list[str], regions: list[str]) -> tuple[str, ...]:
    """The subtitle notes of the grid: how many holders, the regions in order, what grey means."""
    if not holders:
        return ()
    return (
        f"{tidy.count_of(len(holders), 'state or organisation', 'states and organisations')}; "
        "by region (" + ", ".join(r for r in REGIONS if r in set(regions)) + "); "
        "grey: the stored copy did not reach the question",
    )


def positions_grid(
    frame: pd.DataFrame,
    *,
    title: str = "How states say international law applies in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    stances: pd.DataFrame | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each holder x question becomes one square, coloured by the holder's stance on that question.

    ``frame`` is :func:`positions_frame` (or :func:`select_positions` of it). A holder with several
    positions shows its latest coded stance (:func:`holder_stances`); the hover says how many
    positions it has. Grey means the stored copy of the document did not reach the question, not
    that the document is silent. Each cell's ``customdata`` starts with ``position_id`` and
    ``question``, so a click can open the quotation. ``validate=False`` skips plotly's checks of
    the finished figure (an explorer refilling a live figure, which checks what it is given).
    ``stances`` is :func:`holder_stances` of ``frame`` where the caller has it: an explorer takes
    it once for all its rows and selects from it as from the frame (the same rows, see
    :func:`briefing.law.select_positions`), instead of ranking the positions on every change.
    """
    best = holder_stances(frame) if stances is None else stances
    questions = [q for q in data.enum("position_stances", "question") if q in set(best["question"])]
    holders = holder_order(best)
    region_of = holder_regions(best)
    regions = [region_of[holder] for holder in holders]
    fig = _unchecked_figure(
        _grid_heatmap(best, holders, questions),
        *_stance_legend(set(best["stance"])),
        layout=_grid_layout(holders, questions, regions),
    )
    fig = _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=_grid_notes(holders, regions),
        source_line=source_line or source_line_for(frame, as_of=as_of),
        height=max(420, 20 * len(holders) + 220),
        empty=best.empty,
    )
    return _checked(fig, validate)


def _stance_legend(present: set[str]) -> list[dict]:
    """A legend square for every stance, shown for those ``present``: every selection draws the same
    traces, so an explorer refills them in place instead of drawing a new figure. Plain copies,
    put into a figure unchecked (checking them again cost an explorer 4 ms a chart)."""
    return [deepcopy(square) | {"showlegend": square["meta"]["stance"] in present} for square in _stance_squares()]


@lru_cache(maxsize=1)
def _stance_squares() -> tuple[dict, ...]:
    """The legend squares of every stance as plain properties, made once: an explorer draws them
    on every filter change, and each plotly trace object costs about half a millisecond to make."""
    colours = stance_colours()
    squares = [
        _legend_square(STANCE_LABELS.get(stance, stance), colours[stance], meta={"stance": stance})
        for stance in data.enum("position_stances", "stance")
    ]
    # Outlined once here as every chart's finish would (theme.mark_cues), which then finds them done.
    return tuple(trace.to_plotly_json() for trace in theme.mark_cues(go.Figure(squares)).data)


_SHORT_HOLDER = {"european_union": "EU", "african_union": "AU"}


def _short_stance(stance: str) -> str:
    return "not addressed" if stance == NOT_ADDRESSED else STANCE_LABELS.get(stance, stance).lower()


def _stance_layers(states: pd.DataFrame) -> list[go.Scatter]:
    """The map's country layers: grey for no position, then one per stance (empty where no state
    holds it, so that every selection draws the same traces).

    The grey layer draws the whole world under the others (its ``meta`` names the states without a
    position): its 10,000 points then stay the same whatever the filter, so an explorer's refill
    never sends them again (they were nine tenths of every map update)."""
    colours = stance_colours()
    world = world_under(list(states["iso3"].dropna()), name="no position in the kit", colour=NO_POSITION_GREY)
    layers = [world]
    order = data.enum("position_stances", "stance")
    held: dict[str, list[str]] = {}  # one pass, not one selection of the frame per stance
    for stance, code in zip(states["stance"], states["iso3"]):
        held.setdefault(stance, []).append(code)
    for stance in [NOT_ADDRESSED] + [s for s in order if s != NOT_ADDRESSED]:
        codes = sorted(held.get(stance, []))
        # Named apart from the legend square of the same stance: a refill matches traces by name.
        label = STANCE_LABELS.get(stance, stance)
        layer = country_layer(
            codes, colour=colours[stance], name=f"countries: {label}", showlegend=False, validate=False
        )
        layer.meta = {"layer": stance, "stance": stance, "countries": codes}
        layers.append(layer)
    return layers


def _position_points(states: pd.DataFrame, question: str) -> go.Scatter:
    """A small dot on each state with a position: its hover quotes the stance."""
    from briefing.charts.participation import label_points

    return label_points(
        states["iso3"],
        name="positions",
        customdata=[
            [
                str(r.position_id),
                question,
                _escaped(r.holder_name),
                render.escape(STANCE_LABELS.get(r.stance, r.stance)),
                f"“{_escaped(r.quotation)}”" if pd.notna(r.quotation) else "",
            ]
            for r in states[["position_id", "holder_name", "stance", "quotation"]].itertuples()
        ],
        hovertemplate="<b>%{customdata[2]}</b>: %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
        validate=False,
    )


def _map_notes(best: pd.DataFrame, states: pd.DataFrame) -> tuple[str, ...]:
    """How many states are coded, the organisations not on the map, the states with no shape."""
    from briefing import geo

    coded = int((states["stance"] != NOT_ADDRESSED).sum())
    notes = [f"{tidy.count_of(coded, 'state')} with a coded stance"]
    organisations = best[best["holder_kind"] != "state"]
    if len(organisations):
        notes.append(
            "not on the map: "
            + ", ".join(
                f"{_SHORT_HOLDER.get(holder_id, name)} ({_short_stance(stance)})"
                # Three columns, not itertuples of the wide frame (every column, one value at a time).
                for holder_id, name, stance in organisations[["holder_id", "holder_name", "stance"]].to_numpy()
            )
        )
    unplaced = sorted(code for code in set(states["iso3"].dropna()) if geo.label_point(code) is None)
    if unplaced:
        notes.append("no shape for: " + ", ".join(tidy.country_name(code) for code in unplaced))
    return tuple(notes)


def _say_nothing_is_shaded(fig: go.Figure) -> None:
    """The empty state of a map: the world stays (it is the context); the message says why."""
    fig.add_annotation(empty_annotation(bgcolor="rgba(255,255,255,0.85)"))


def positions_map(
    frame: pd.DataFrame,
    *,
    question: str,
    title: str | None = None,
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    stances: pd.DataFrame | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each state with a position becomes a country coloured by its stance on ``question``.

    ``frame`` is :func:`positions_frame` (or a selection). States whose positions do not address
    the question in the stored copy are grey; regional organisations (the EU, the AU) have no
    country shape, so they are named in the subtitle instead. Drawn offline, like
    :func:`briefing.charts.participation_map`. ``validate`` and ``stances`` as in
    :func:`positions_grid`.
    """
    from briefing import geo

    if question not in QUESTION_LABELS:
        raise ValueError(f"question must be one of {', '.join(QUESTION_LABELS)}, not {question!r}")
    chosen = frame["question"] == question
    best = holder_stances(frame[chosen]) if stances is None else stances[stances["question"] == question]
    states = best[best["holder_kind"] == "state"]
    legend = {"orientation": "h", "yanchor": "top", "y": -0.02, "xanchor": "left", "x": 0, "itemsizing": "constant"}
    fig = _unchecked_figure(
        *_stance_layers(states),
        _position_points(states, question),
        *_stance_legend(set(states["stance"])),
        layout=world_layout() | {"legend": legend},
    )
    line = source_line or source_line_for(frame[chosen], as_of=as_of)
    fig = _finish(
        fig,
        title=title or f"{QUESTION_LABELS[question]}: what states say",
        subtitle=subtitle,
        notes=_map_notes(best, states),
        source_line=f"{line} {geo.GEOMETRY_CREDIT}.",
        height=600,
    )
    if states.empty:
        _say_nothing_is_shaded(fig)
    return _checked(fig, validate)
