"""Who takes part: world maps drawn offline, one forum or the overlap of several."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import render, theme, tidy
from briefing.charts.common import _checked, _finish, _text_rows, _unchecked_figure, empty_annotation, source_line_for
from briefing.charts.map_layers import country_layer, world_layout, world_under


def _world_axes(fig: go.Figure) -> None:
    fig.update_layout(world_layout())


def label_points(codes, *, name: str, customdata: list, hovertemplate: str, validate: bool = True) -> go.Scatter:
    """A small dot on each country (ISO3 ``codes``), carrying ``customdata`` for its hover and clicks."""
    from briefing import geo

    points = [geo.label_point(code) for code in codes]
    return go.Scatter(
        x=[p[0] if p else None for p in points],
        y=[p[1] if p else None for p in points],
        mode="markers",
        marker=dict(size=5, color="#333333", opacity=0.6),
        showlegend=False,
        name=name,
        customdata=customdata,
        hovertemplate=hovertemplate,
        meta={"layer": "points"},
        _validate=validate,
    )


def _country_points(rows: pd.DataFrame, *, text_columns: list[str], validate: bool = True) -> go.Scatter:
    return label_points(
        rows["country_iso3"],
        name="countries",
        customdata=[
            [code] + [render.escape(text) for text in texts]
            for code, texts in zip(rows["country_iso3"], _text_rows(rows, text_columns))
        ],
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
        validate=validate,
    )


def participation_map(
    frame: pd.DataFrame,
    *,
    title: str = "Who takes part",
    subtitle: str | None = None,
    year: int | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
    validate: bool = True,
) -> go.Figure:
    """Each state that takes part becomes a coloured country on a world map drawn offline.

    ``frame`` is :func:`briefing.tidy.participation_frame` for one forum and role. With ``year``
    only the states that had joined by the end of that year are coloured; undated rows cannot be
    placed in time, so they are left out of that view and counted in the subtitle.
    ``validate=False`` skips plotly's checks of the finished figure (an explorer's refill).
    """
    from briefing import geo

    rows = participation_rows(frame, year=year)
    notes = []
    undated = int(frame["date"].isna().sum()) if year is not None else 0
    if undated:
        are = "is" if undated == 1 else "are"
        notes.append(f"{tidy.count_of(undated, 'state')} with no confirmed date {are} not shown by year")
    codes = list(dict.fromkeys(rows["country_iso3"]))
    unplaced = [code for code in codes if geo.label_point(code) is None]
    if unplaced:
        notes.append("not on the map: " + ", ".join(tidy.country_name(code) for code in unplaced))
    fig = _unchecked_figure(
        world_under(codes, name="not taking part", colour="#e6e6e6"),
        country_layer(codes, colour=theme.PALETTE[0], name="taking part", validate=False),
        _country_points(rows, text_columns=["country", "role"], validate=False),
        layout=world_layout() | {"showlegend": False},
    )
    when = f" by the end of {year}" if year is not None else ""
    notes.insert(0, f"{tidy.count_of(len(codes), 'participant')}{when}")
    line = source_line or source_line_for(frame, as_of=as_of)
    fig = _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=tuple(notes),
        source_line=f"{line} {geo.GEOMETRY_CREDIT}.",
        height=560,
    )
    if rows.empty:  # the map stays (it is the context), the message says why nothing is shaded
        fig.add_annotation(empty_annotation(bgcolor="rgba(255,255,255,0.85)"))
    return _checked(fig, validate)


def participation_rows(frame: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """The participation rows :func:`participation_map` colours: all of them, or with ``year``
    those dated by the end of that year (an undated row cannot be placed in time)."""
    if year is None:
        return frame
    return frame[frame["date"].notna() & (frame["date"].dt.year <= year)]


def participation_overlap(
    frame: pd.DataFrame,
    *,
    title: str = "States in several forums at once",
    subtitle: str | None = None,
    layers: int | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each state becomes a country shaded by how many of the chosen forums it takes part in.

    ``frame`` is :func:`briefing.tidy.overlap_frame` (one row per country, with ``count`` and
    ``forums``). ``layers`` fixes how many shade layers the figure has (one per count, empty where
    no state has that count), so an explorer can refill it whatever the reader picks.
    """
    from briefing import geo

    most = int(frame["count"].max()) if len(frame) else 0
    top = max(most, layers or 0)
    shades = theme.SEQUENTIAL[1:]
    shapes = [
        country_layer(
            sorted(geo.country_codes() - set(frame["country_iso3"])), colour="#eeeeee", name="none", showlegend=False
        )
    ]
    for count in range(1, top + 1):
        codes = list(frame.loc[frame["count"] == count, "country_iso3"])
        colour = shades[min(len(shades) - 1, round((count - 1) * (len(shades) - 1) / max(1, most - 1)))]
        shapes.append(country_layer(codes, colour=colour, name=f"{count} forum(s)", showlegend=bool(codes)))
    shapes.append(_country_points(frame, text_columns=["country", "forums"]))
    fig = go.Figure(shapes)
    _world_axes(fig)
    # The overlap frame has one row per country, not per source: cite the participation table.
    line = source_line or theme.source_text(
        ["Cyber Norms Briefing Kit participation table (see its sources)"], as_of=as_of
    )
    fig = _finish(fig, title=title, subtitle=subtitle, source_line=f"{line} {geo.GEOMETRY_CREDIT}.", height=560)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    return fig
