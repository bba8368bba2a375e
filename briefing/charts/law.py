"""Charts of national positions on international law (grid, map, timeline) and of the
incident-to-norm claims. A tidy frame in (see :mod:`briefing.law`), a ``go.Figure`` out; a stance
keeps its colour whatever the filter, "not addressed" is neutral grey.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from briefing import data, theme, tidy
from briefing.charts.common import (
    EMPTY_MESSAGE,
    EMPTY_STATE_NAME,
    _finish,
    format_date,
    source_line_for,
)
from briefing.law import (
    NO_POSITION_GREY,
    NOT_ADDRESSED,
    NOT_ADDRESSED_GREY,
    QUESTION_LABELS,
    REGIONS,
    STANCE_LABELS,
    holder_order,
    holder_stances,
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


def _legend_square(name: str, colour: str, *, meta: dict, group: str | None = None) -> go.Scatter:
    """A legend entry with no data: heatmaps and filled shapes cannot name categories themselves."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        legendgroup=group or name,
        marker=dict(symbol="square", size=12, color=colour, line=dict(width=0.5, color="#888888")),
        hoverinfo="skip",
        meta=meta,
    )


def _escaped(value) -> str:
    return "" if pd.isna(value) else html.escape(str(value))


def _wrapped(label: str, width: int = 14) -> str:
    """A label broken into lines of about ``width`` characters, so tick labels sit level and apart."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + ([line] if line else []))


def _every_category(labels: list[str]) -> dict:
    """Axis settings that write every category's label: plotly thins crowded labels otherwise, and
    a row whose name is left out reads as belonging to its neighbour."""
    return dict(type="category", tickmode="array", tickvals=list(labels), ticktext=list(labels))


def _separators(fig: go.Figure, boundaries: list[float]) -> None:
    """Thin lines between blocks of rows (regions, sides) on a category y axis."""
    for y in boundaries:
        fig.add_hline(y=y, line=dict(color="#888888", width=1))


def positions_grid(
    frame: pd.DataFrame,
    *,
    title: str = "How states say international law applies in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each holder x question becomes one square, coloured by the holder's stance on that question.

    ``frame`` is :func:`positions_frame` (or :func:`select_positions` of it). A holder with several
    positions shows its latest coded stance (:func:`holder_stances`); the hover says how many
    positions it has. Grey means the stored copy of the document did not reach the question, not
    that the document is silent. Each cell's ``customdata`` starts with ``position_id`` and
    ``question``, so a click can open the quotation.
    """
    best = holder_stances(frame)
    order = data.enum("position_stances", "stance")
    colours = stance_colours()
    questions = [q for q in data.enum("position_stances", "question") if q in set(best["question"])]
    holders = holder_order(best)
    index = {stance: i for i, stance in enumerate(order)}
    cells = {(row.holder_name, row.question): row for row in best.itertuples()}
    z, custom = [], []
    for holder in holders:
        z_row: list[int | None] = []
        custom_row: list[list[str]] = []
        for question in questions:
            row = cells.get((holder, question))
            if row is None:
                z_row.append(None)
                custom_row.append(["", question, "", "", "", "", ""])
                continue
            z_row.append(index[row.stance])
            quote = f"“{_escaped(row.quotation)}” ({_escaped(row.pinpoint)})" if pd.notna(row.quotation) else ""
            others = int(row.positions) - 1
            custom_row.append(
                [
                    str(row.position_id),
                    question,
                    html.escape(STANCE_LABELS.get(row.stance, row.stance)),
                    f"{_escaped(row.title)}, {format_date(row.date, str(row.date_precision))}",
                    quote,
                    f"{others} other position(s) of this holder" if others else "",
                    _escaped(row.source_title),
                ]
            )
        z.append(z_row)
        custom.append(custom_row)
    columns = [QUESTION_LABELS.get(q, q) for q in questions]
    rows = [html.escape(h) for h in holders]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            customdata=custom,
            zmin=-0.5,
            zmax=len(order) - 0.5,
            colorscale=_stance_colourscale(order, colours),
            showscale=False,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            name="stances",
            hovertemplate=(
                "<b>%{y}</b> on %{x}: %{customdata[2]}<br>%{customdata[3]}<br>%{customdata[4]}"
                "<br>%{customdata[5]}<br><i>Source: %{customdata[6]}</i><extra></extra>"
            ),
            meta={
                "stances": [
                    [row.stance if (row := cells.get((h, q))) is not None else None for q in questions] for h in holders
                ]
            },
        )
    )
    present = set(best["stance"])
    for stance in order:
        if stance in present:
            fig.add_trace(_legend_square(STANCE_LABELS.get(stance, stance), colours[stance], meta={"stance": stance}))
    fig.update_xaxes(side="bottom", showgrid=False, tickangle=-35, **_every_category(columns))
    fig.update_yaxes(autorange="reversed", showgrid=False, **_every_category(rows))
    regions = best.drop_duplicates("holder_name").set_index("holder_name")["region"].reindex(holders)
    _separators(fig, [i - 0.5 for i in range(1, len(holders)) if regions.iloc[i] != regions.iloc[i - 1]])
    fig.update_layout(legend=dict(title_text="Stance", itemsizing="constant", tracegroupgap=0), plot_bgcolor="white")
    line = source_line or source_line_for(frame, as_of=as_of)
    notes = (
        (
            f"{tidy.count_of(len(holders), 'state or organisation', 'states and organisations')}; "
            "by region (" + ", ".join(r for r in REGIONS if r in set(regions)) + "); "
            "grey: the stored copy did not reach the question",
        )
        if holders
        else ()
    )
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=notes,
        source_line=line,
        height=max(420, 20 * len(holders) + 220),
        empty=best.empty,
    )


def positions_map(
    frame: pd.DataFrame,
    *,
    question: str,
    title: str | None = None,
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each state with a position becomes a country coloured by its stance on ``question``.

    ``frame`` is :func:`positions_frame` (or a selection). States whose positions do not address
    the question in the stored copy are grey; regional organisations (the EU, the AU) have no
    country shape, so they are named in the subtitle instead. Drawn offline, like
    :func:`briefing.charts.participation_map`.
    """
    from briefing import geo
    from briefing.charts.participation import _country_layer, _world_axes

    if question not in QUESTION_LABELS:
        raise ValueError(f"question must be one of {', '.join(QUESTION_LABELS)}, not {question!r}")
    best = holder_stances(frame[frame["question"] == question])
    states = best[best["holder_kind"] == "state"]
    colours = stance_colours()
    shown = set(states["iso3"].dropna())
    layers = [
        _country_layer(
            sorted(geo.country_codes() - shown),
            colour=NO_POSITION_GREY,
            name="no position in the kit",
            showlegend=False,
        )
    ]
    order = data.enum("position_stances", "stance")
    legend: list[go.Scatter] = []
    for stance in [NOT_ADDRESSED] + [s for s in order if s != NOT_ADDRESSED]:
        codes = sorted(states.loc[states["stance"] == stance, "iso3"])
        if not codes:
            continue
        layer = _country_layer(codes, colour=colours[stance], name=STANCE_LABELS.get(stance, stance), showlegend=False)
        layer.meta = {"layer": stance, "stance": stance, "countries": codes}
        layers.append(layer)
        legend.append(_legend_square(STANCE_LABELS.get(stance, stance), colours[stance], meta={"stance": stance}))
    points = [geo.label_point(code) for code in states["iso3"]]
    layers.append(
        go.Scatter(
            x=[p[0] if p else None for p in points],
            y=[p[1] if p else None for p in points],
            mode="markers",
            marker=dict(size=5, color="#333333", opacity=0.6),
            showlegend=False,
            name="positions",
            customdata=[
                [
                    str(r.position_id),
                    question,
                    _escaped(r.holder_name),
                    html.escape(STANCE_LABELS.get(r.stance, r.stance)),
                    f"“{_escaped(r.quotation)}”" if pd.notna(r.quotation) else "",
                ]
                for r in states.itertuples()
            ],
            hovertemplate="<b>%{customdata[2]}</b>: %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
            meta={"layer": "points"},
        )
    )
    fig = go.Figure(layers + legend)
    _world_axes(fig)
    notes = []
    organisations = best[best["holder_kind"] != "state"]
    if len(organisations):
        notes.append(
            "not on the map: "
            + ", ".join(
                f"{_SHORT_HOLDER.get(r.holder_id, r.holder_name)} ({_short_stance(r.stance)})"
                for r in organisations.itertuples()
            )
        )
    unplaced = sorted(code for code in shown if geo.label_point(code) is None)
    if unplaced:
        notes.append("no shape for: " + ", ".join(unplaced))
    coded = int((states["stance"] != NOT_ADDRESSED).sum())
    notes.insert(0, f"{tidy.count_of(coded, 'state')} with a coded stance")
    line = source_line or source_line_for(frame[frame["question"] == question], as_of=as_of)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0, itemsizing="constant"))
    heading = title or f"{QUESTION_LABELS[question]}: what states say"
    fig = _finish(
        fig,
        title=heading,
        subtitle=subtitle,
        notes=tuple(notes),
        source_line=f"{line} {geo.GEOMETRY_CREDIT}.",
        height=600,
    )
    if states.empty:  # the map stays (it is the context); the message says why nothing is shaded
        fig.add_annotation(
            name=EMPTY_STATE_NAME,
            text=EMPTY_MESSAGE,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font=dict(size=18, color="#555555"),
            bgcolor="rgba(255,255,255,0.85)",
        )
    return fig


_SHORT_HOLDER = {"european_union": "EU", "african_union": "AU"}


def _short_stance(stance: str) -> str:
    return "not addressed" if stance == NOT_ADDRESSED else STANCE_LABELS.get(stance, stance).lower()


_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}


def positions_timeline(
    frame: pd.DataFrame,
    *,
    title: str = "When states published how they read international law in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each position becomes a mark on its holder's row: a dot for a day, a bar across a month or year.

    ``frame`` is :func:`positions_frame` (or a selection; a position counts once however many of its
    questions are kept). Holders are ordered by their first position; colour is the holder's
    region. Positions with no known date are counted in the subtitle, not placed.
    """
    positions = frame.drop_duplicates("position_id")
    dated = positions[positions["date"].notna()]
    first = dated.groupby("holder_name")["date"].min().sort_values()
    holders = [html.escape(h) for h in first.index]
    colours = theme.category_colours(REGIONS, dated["region"].dropna())
    fig = go.Figure()
    for region in [r for r in colours if r in set(dated["region"].dropna())]:
        rows = dated[dated["region"] == region]
        custom = [
            [
                str(r.position_id),
                _escaped(r.title),
                format_date(r.date, str(r.date_precision)),
                _escaped(r.venue),
                _escaped(r.document_symbol),
            ]
            for r in rows.itertuples()
        ]
        day = (rows["date_precision"] == "day").to_numpy()
        hover = "<b>%{y}</b>: %{customdata[1]}<br>%{customdata[2]}; %{customdata[3]} %{customdata[4]}<extra></extra>"
        fig.add_trace(
            go.Scatter(
                x=list(rows["date"][day]),
                y=[html.escape(h) for h in rows["holder_name"][day]],
                mode="markers",
                name=region,
                legendgroup=region,
                marker=dict(size=10, color=colours[region], line=dict(width=1, color="white")),
                customdata=[c for c, d in zip(custom, day) if d],
                hovertemplate=hover,
                meta={"region": region, "precision": "day"},
            )
        )
        spans = rows[~day]
        starts = list(spans["date"])
        ends = [s + _PRECISION_SPAN.get(str(p), pd.DateOffset(days=1)) for s, p in zip(starts, spans["date_precision"])]
        fig.add_trace(
            go.Bar(
                base=starts,
                x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)],
                y=[html.escape(h) for h in spans["holder_name"]],
                orientation="h",
                width=0.55,
                name=f"{region} (month or year known)",
                legendgroup=region,
                showlegend=False,
                marker=dict(color=colours[region], opacity=0.45),
                customdata=[c for c, d in zip(custom, day) if not d],
                hovertemplate=hover,
                meta={"region": region, "precision": "span"},
            )
        )
    fig.update_xaxes(type="date", title_text=None)
    fig.update_yaxes(
        categoryorder="array", categoryarray=holders[::-1], title_text=None, showgrid=True, **_every_category(holders)
    )
    fig.update_layout(barmode="overlay", hovermode="closest", legend_title_text="Region")
    undated = positions["position_id"].nunique() - dated["position_id"].nunique()
    notes = (
        ["a bar spans the month or year where only that is known"] if (dated["date_precision"] != "day").any() else []
    )
    if undated:
        notes.append(f"{tidy.count_of(undated, 'position')} with no known date not shown")
    line = source_line or source_line_for(positions.assign(source_id=positions["position_source_id"]), as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=tuple(notes),
        source_line=line,
        height=max(400, 18 * len(holders) + 220),
        empty=dated.empty,
    )


def incident_norm_links(
    frame: pd.DataFrame,
    *,
    title: str = "Which norms and rules incidents were said to breach, and by whom",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each incident x norm or rule invoked becomes a dot per kind of claimant, sized by its claims.

    ``frame`` is :func:`incident_norms_frame` (or a selection). A claimant kind's colour is fixed by
    the schema's list of kinds, so a state's claim and a scholar's never look alike. Every dot's
    ``customdata`` starts with ``incident_id`` and ``invoked_id``: a click can list the claims with
    :func:`norm_links_for`.
    """
    kinds = data.enum("incident_norms", "claimant_kind")
    colours = theme.category_colours(kinds, frame["claimant_kind"])
    grouped = frame.groupby(["incident", "incident_id", "invoked_short", "invoked_id", "claimant_kind"], observed=True)
    cells = grouped.agg(
        claims=("link_id", "count"), claimants=("claimant", lambda c: "<br>".join(html.escape(str(x)) for x in c))
    ).reset_index()
    incidents = list(frame.drop_duplicates("incident_id").sort_values("date", na_position="last")["incident"])
    invoked = list(frame.groupby("invoked_short")["link_id"].count().sort_values(ascending=False).index)
    x_of = {name: i for i, name in enumerate(invoked)}
    present = [k for k in colours if k in set(cells["claimant_kind"])]
    offset = {k: (i - (len(present) - 1) / 2) * 0.18 for i, k in enumerate(present)}
    fig = go.Figure()
    for kind in present:
        rows = cells[cells["claimant_kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=[x_of[v] + offset[kind] for v in rows["invoked_short"]],
                y=[html.escape(i) for i in rows["incident"]],
                mode="markers+text",
                name=tidy.words(kind),
                text=[str(n) if n > 1 else "" for n in rows["claims"]],
                textposition="middle center",
                textfont=dict(color="white", size=10),
                marker=dict(
                    size=[10 + 4 * min(int(n), 4) for n in rows["claims"]],
                    color=colours[kind],
                    line=dict(width=1, color="white"),
                ),
                customdata=[
                    [str(a), str(b), int(n), c]
                    for a, b, n, c in zip(rows["incident_id"], rows["invoked_id"], rows["claims"], rows["claimants"])
                ],
                hovertemplate="<b>%{y}</b>: %{customdata[2]} claim(s)<br>%{customdata[3]}<extra>%{fullData.name}</extra>",
                meta={"claimant_kind": kind},
            )
        )
    fig.update_xaxes(
        tickvals=list(range(len(invoked))),
        ticktext=[html.escape(v) for v in invoked],
        range=[-0.6, len(invoked) - 0.4],
        tickangle=-35,
        showgrid=True,
        side="bottom",
    )
    rows = [html.escape(i) for i in incidents]
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], showgrid=True, **_every_category(rows))
    fig.update_layout(legend=dict(title_text="Who made the claim", itemsizing="constant"))
    line = source_line or source_line_for(frame, as_of=as_of)
    notes = ("a number in a dot counts its claims",) if len(cells) else ()
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=notes,
        source_line=line,
        height=max(420, 24 * len(incidents) + 220),
        empty=cells.empty,
    )
