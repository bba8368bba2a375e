"""Charts of the camps: who attributes whom, in both directions, and the UN ICT resolutions
by sponsor and vote. A tidy frame in (see :mod:`briefing.camps`), a ``go.Figure`` out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from briefing import render, theme, tidy
from briefing.camps import (
    ADOPTION_LABELS,
    ATTRIBUTION_SIDES,
    NOT_RECORDED,
    VOTE_COLUMNS,
    VOTE_LABELS,
    attribution_pairs,
    un_votes_frame,
)
from briefing.charts.categories import _escaped, _every_category, _legend_square, _separators, _wrapped
from briefing.charts.common import _count_axis, _finish, _rgba, source_line_for


def _single_hue_scale(colour: str) -> list:
    return [[0, _rgba(colour, 0.18)], [1, colour]]


def _side_heatmap(
    block: pd.DataFrame,
    parties: list[str],
    columns: list[str],
    *,
    x_labels: dict,
    most: int,
    side: tuple[str, str, str],
) -> go.Heatmap:
    """One side's cells: a row per party that attributed, a column per state held responsible.

    ``side`` is the side's key, its label and its colour.
    """
    key, label, colour = side
    grid = block.pivot_table(index="party", columns="attributed", values="incidents", aggfunc="sum")
    grid = grid.reindex(index=parties, columns=columns)
    named = block.set_index(["party", "attributed"])["incident_names"]
    return go.Heatmap(
        z=[[None if pd.isna(v) else int(v) for v in row] for row in grid.to_numpy(dtype=float)],
        x=[x_labels[c] for c in columns],
        y=[render.escape(p) for p in parties],
        zmin=0,
        zmax=most,
        colorscale=_single_hue_scale(colour),
        showscale=False,
        xgap=2,
        ygap=2,
        hoverongaps=False,
        name=label,
        customdata=[[[p, c, render.escape(named.get((p, c), ""))] for c in columns] for p in parties],
        hovertemplate=(
            "<b>%{customdata[0]}</b> attributed %{z} incident(s) to <b>%{customdata[1]}</b>"
            "<br>%{customdata[2]}<extra></extra>"
        ),
        meta={
            "side": key,
            "pairs": [[p, c] for p, c in zip(block["attributing_party"], block["attributed_state_iso3"])],
        },
    )


def _side_counts(block: pd.DataFrame, *, x_labels: dict, most: int, side: str, label: str) -> go.Scatter:
    """One side's counts as a text layer of their own: a heatmap's own text goes astray when several
    heatmaps share one category axis."""
    return go.Scatter(
        x=[x_labels[c] for c in block["attributed"]],
        y=[render.escape(p) for p in block["party"]],
        mode="text",
        text=[str(int(n)) for n in block["incidents"]],
        hoverinfo="skip",
        showlegend=False,
        textfont=dict(color=["white" if n > most / 2 else "#222222" for n in block["incidents"]]),
        name=f"{label} (counts)",
        meta={"side": side, "counts": True},
    )


def _attribution_axes(fig: go.Figure, x_labels: list[str], rows: list[str]) -> None:
    """Every attributed state and every party named, in the order given (not plotly's)."""
    fig.update_xaxes(
        side="bottom",
        showgrid=False,
        categoryorder="array",
        categoryarray=x_labels,
        tickangle=0,
        **_every_category(x_labels),
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=rows, showgrid=False, autorange="reversed", **_every_category(rows)
    )


def _attribution_notes(shown: pd.DataFrame) -> tuple[str, ...]:
    """How to read the grid, and how many attributions name no state (so are not drawn)."""
    unnamed = int(shown["attributed_state_iso3"].isna().sum())
    notes = ["rows: who attributed; columns: the state held responsible; a cell counts incidents"]
    if unnamed:
        notes.append(f"{tidy.count_of(unnamed, 'attribution')} naming no state not shown")
    return tuple(notes)


def attributions_directions(
    attributions: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    title: str = "Who publicly attributes cyber operations to whom",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each cell counts the incidents one party (row) publicly attributed to one state (column).

    ``attributions`` is the ``attributions`` table (or a selection), ``incidents`` the incidents to
    count. Rows are grouped by side (:data:`ATTRIBUTION_SIDES`), each in its own colour, so both
    directions show: the US, Europe and partners attributing to China, Russia, Iran and North
    Korea, and China, Russia and Iran attributing to the US, Israel or Taiwan. A claim is reported,
    never judged. Attributions that name no state are counted in the subtitle.
    """
    pairs = attribution_pairs(attributions, incidents)
    side_colours = dict(zip(ATTRIBUTION_SIDES, (theme.PALETTE[5], theme.PALETTE[0], theme.PALETTE[2])))
    columns = list(pairs.groupby("attributed")["incidents"].sum().sort_values(ascending=False).index)
    x_labels = {c: _wrapped(render.escape(c), 10) for c in columns}
    most = int(pairs["incidents"].max()) if len(pairs) else 1
    fig = go.Figure()
    row_order: list[str] = []
    boundaries: list[float] = []
    for side, label in ATTRIBUTION_SIDES.items():
        block = pairs[pairs["side"] == side]
        if block.empty:
            continue
        parties = list(block.groupby("party")["incidents"].sum().sort_values(ascending=False).index)
        if row_order:
            boundaries.append(len(row_order) - 0.5)
        row_order += parties
        colour = side_colours[side]
        fig.add_trace(_side_heatmap(block, parties, columns, x_labels=x_labels, most=most, side=(side, label, colour)))
        fig.add_trace(_side_counts(block, x_labels=x_labels, most=most, side=side, label=label))
        fig.add_trace(_legend_square(label, colour, meta={"side": side, "legend": True}))
    _attribution_axes(fig, [x_labels[c] for c in columns], [render.escape(p) for p in row_order])
    _separators(fig, boundaries)
    fig.update_layout(legend=dict(title_text="Who attributes"), plot_bgcolor="white")
    shown = attributions[attributions["incident_id"].isin(incidents["incident_id"])]
    line = source_line or source_line_for(shown.dropna(subset=["attributed_state_iso3"]), as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=_attribution_notes(shown),
        source_line=line,
        height=max(420, 22 * len(row_order) + 240),
        empty=pairs.empty,
    )


_SPONSORS = ["Russia-led", "US-led", "Joint Russia-US"]
_VOTE_COLOURS = dict(zip(VOTE_LABELS, ("#117733", "#882255", "#AAAA44")))


def _votes_grid() -> go.Figure:
    """Three panels sharing one row per resolution: the sponsor, the plenary votes, the committee votes."""
    return make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.06,  # the plenary scale's last label and the committee's "0" stay apart
        column_widths=[0.1, 0.45, 0.45],
        subplot_titles=("Sponsor", "Plenary votes", "First Committee votes"),
    )


def _sponsor_marks(rows: pd.DataFrame, labels: list[str], *, sponsor: str, colour: str, symbols: dict) -> go.Scatter:
    """A mark per resolution of one sponsor group; the symbol says how it was adopted (open where no
    record says: nothing is claimed for it)."""
    return go.Scatter(
        x=[0] * len(rows),
        y=[labels[i] for i in rows.index],
        mode="markers",
        name=sponsor,
        legendgroup=sponsor,
        showlegend=False,
        marker=dict(
            size=12, color=colour, line=dict(width=2, color=colour), symbol=[symbols[a] for a in rows["adoption"]]
        ),
        customdata=[[str(r.resolution_id), _escaped(r.title), _escaped(r.sponsor_note)] for r in rows.itertuples()],
        hovertemplate="<b>%{y}</b> %{customdata[1]}<br>%{customdata[2]}<extra>%{fullData.name}</extra>",
        meta={"sponsor": sponsor},
    )


def _adoption_key(mode: str, symbol: str) -> go.Scatter:
    """A legend entry with no data for one way of adoption."""
    name = "Adoption not recorded" if mode == ADOPTION_LABELS[None] else f"Adopted: {mode.lower()}"
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        hoverinfo="skip",
        marker=dict(symbol=symbol, size=11, color="#555555", line=dict(width=2, color="#555555")),
        meta={"adoption": mode},
    )


def _add_sponsors(fig: go.Figure, frame: pd.DataFrame, labels: list[str]) -> None:
    """The first panel: each resolution's sponsor group by colour, how it was adopted by symbol."""
    sponsors = list(dict.fromkeys(frame["sponsor"]))
    sponsor_colours = theme.category_colours(_SPONSORS, sponsors)
    symbols = dict(zip(ADOPTION_LABELS.values(), ("circle", "diamond", "circle-open")))
    for sponsor in [s for s in sponsor_colours if s in sponsors]:
        colour = sponsor_colours[sponsor]
        rows = frame[frame["sponsor"] == sponsor]
        fig.add_trace(_sponsor_marks(rows, labels, sponsor=sponsor, colour=colour, symbols=symbols), row=1, col=1)
        fig.add_trace(_legend_square(sponsor, colour, meta={"sponsor": sponsor}, group=sponsor))
    for mode in [m for m in ADOPTION_LABELS.values() if m in set(frame["adoption"])]:
        fig.add_trace(_adoption_key(mode, symbols[mode]))


def _vote_bars(fig: go.Figure, frame: pd.DataFrame, labels: list[str], *, stage: str, col: int) -> None:
    """One stage's panel: yes, no and abstain stacked, a bar only where a record gives the total."""
    for vote, column in zip(VOTE_LABELS, VOTE_COLUMNS[stage]):
        known = frame[frame[column].notna()]
        bar = go.Bar(
            x=[int(v) for v in known[column]],
            y=[labels[i] for i in known.index],
            orientation="h",
            name=vote,
            marker_color=_VOTE_COLOURS[vote],
            legendgroup=vote,
            showlegend=col == 2,
            hovertemplate=f"<b>%{{y}}</b>: %{{x}} {vote.lower()}<extra>{stage.replace('_', ' ')}</extra>",
            meta={"stage": stage, "vote": column},
        )
        fig.add_trace(bar, row=1, col=col)


def _missing_note(row: pd.Series, stage: str, columns: tuple) -> str | None:
    """What to write after a row's known totals of ``stage``: None when every total is known."""
    missing = [v.lower() for v, c in zip(VOTE_LABELS, columns) if pd.isna(row[c])]
    if stage == "plenary" and row["adoption"] == ADOPTION_LABELS[True]:
        return "without a vote"
    if len(missing) == len(columns):
        return NOT_RECORDED
    if missing:
        return f"rest {NOT_RECORDED}"  # short: it follows the longest bars in a narrow panel
    return None


def _note_missing_totals(fig: go.Figure, frame: pd.DataFrame, labels: list[str], *, stage: str, col: int) -> None:
    """A missing total is written after what is known, never drawn as a bar of zero."""
    columns = VOTE_COLUMNS[stage]
    notes = []
    for i, row in frame.iterrows():
        text = _missing_note(row, stage, columns)
        if text is None:
            continue
        notes.append(
            go.layout.Annotation(
                x=sum(int(row[c]) for c in columns if pd.notna(row[c])),
                y=labels[i],
                text=text,
                showarrow=False,
                xanchor="left",
                xshift=3,
                font=dict(size=11, color="#777777"),
                name=f"{NOT_RECORDED}:{stage}:{row['resolution_id']}",
                xref="x" if col == 1 else f"x{col}",
                yref="y",
            )
        )
    # Added at once: add_annotation one by one checks the whole list again each time (0.7 s for 39).
    fig.layout.annotations += tuple(notes)


def _votes_axes(fig: go.Figure, frame: pd.DataFrame, labels: list[str]) -> None:
    """One count scale for both vote panels (room for the notes), every resolution named, oldest on top.

    A panel is narrow: three ticks at most, and room after the longest bar for "rest not recorded".
    """
    known_totals = pd.concat([frame[list(c)].sum(axis=1, min_count=1) for c in VOTE_COLUMNS.values()])
    most = int(known_totals.max()) if known_totals.notna().any() else 1
    fig.update_xaxes(row=1, col=1, visible=False, range=[-1, 1])
    for col in (2, 3):
        axis = {k: v for k, v in _count_axis(most, most_ticks=3).items() if k != "rangemode"}
        fig.update_xaxes(range=[0, most * 1.6], row=1, col=col, **axis)
        fig.update_yaxes(ticks="", row=1, col=col)  # the rows are named once, on the left
    fig.update_yaxes(
        categoryorder="array", categoryarray=labels[::-1], showgrid=True, row=1, col=1, **_every_category(labels)
    )


def un_votes_over_time(
    un_votes: pd.DataFrame,
    *,
    title: str = "UN resolutions on ICTs: who tabled them, how they passed",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each resolution becomes a row, oldest at the top: its main sponsor and how it was adopted,
    then its plenary and First Committee votes where a stored record gives them.

    ``un_votes`` is the ``un_votes`` table (or a selection). A total no record gives is written
    "not recorded" on its row; it is never drawn as a bar of zero. A resolution adopted without a
    vote has no plenary totals, and says so.
    """
    frame = un_votes_frame(un_votes)
    labels = [render.escape(label) for label in frame["label"]]
    fig = _votes_grid()
    _add_sponsors(fig, frame, labels)
    for col, stage in enumerate(VOTE_COLUMNS, start=2):
        _vote_bars(fig, frame, labels, stage=stage, col=col)
        _note_missing_totals(fig, frame, labels, stage=stage, col=col)
    # The legend goes under the plot (theme.place_legend_below): beside it, it squeezed the vote
    # panels until a note after the longest bar ran into the next panel (square).
    fig.update_layout(barmode="stack", legend=dict(itemsizing="constant", tracegroupgap=0), meta={"legend_below": True})
    _votes_axes(fig, frame, labels)
    inferred = int((frame["date_precision"] == "year").sum())
    notes = (f"{tidy.count_of(inferred, 'year')} inferred from the session number",) if inferred else ()
    # The legend's rows under the plot come on top of the rows' own height (else they squeeze them).
    legend_px = theme.legend_below_px(fig, theme.BODY_FONT_SIZE)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=notes,
        source_line=source_line or source_line_for(frame, as_of=as_of),
        height=max(420, 24 * len(frame) + 220) + legend_px,
        empty=frame.empty,
    )
