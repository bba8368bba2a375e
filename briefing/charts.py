"""One function per chart: a tidy DataFrame in, a ``go.Figure`` out.

No function here shows a figure or touches a file; every figure uses the kit's template and
carries a source line.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import data, theme, tidy

EMPTY_MESSAGE = "Nothing matches these filters"
#: The name of the annotation an empty figure carries (tests and alt text look for it).
EMPTY_STATE_NAME = "empty_state"

_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
_DATE_FORMAT = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def source_line_for(frame: pd.DataFrame, *, as_of: str | None = None) -> str:
    """A source line that says how many cited sources stand behind the rows of ``frame``."""
    count = frame["source_id"].nunique() if "source_id" in frame else 0
    titles = frame["source_title"].dropna() if "source_title" in frame else []
    if count == 1 and len(titles):
        return theme.source_text([str(titles.iloc[0])], as_of=as_of)
    described = f"Cyber Norms Briefing Kit curated data, {tidy.count_of(count, 'cited source')} (see the sources table)"
    return theme.source_text([described], as_of=as_of)


def _finish(fig: go.Figure, *, title: str, source_line: str, height: int | None = None,
            bottom_labels_px: int = 0, subtitle: str | None = None, notes: tuple[str, ...] = (),
            empty: bool = False) -> go.Figure:
    """Apply the template, title, subtitle and source line.

    The subtitle line holds ``subtitle`` (e.g. the filters applied) and then the chart's own
    ``notes`` (what it could not place), all escaped. ``bottom_labels_px`` reserves room for long
    tick labels under the plot, so they never run into the source line. ``empty`` replaces the
    axes with the message that nothing matches.
    """
    heading = html.escape(title)
    below = "; ".join(part for part in (subtitle, *notes) if part)
    if below:
        heading += f"<br><sup>{html.escape(below)}</sup>"
    fig.update_layout(template=theme.register_template(), title=dict(text=heading))
    if height:
        fig.update_layout(height=height + bottom_labels_px)
    if empty:
        _show_empty(fig)
    return theme.add_source_line(fig, source_line, extra_margin=bottom_labels_px)


def _show_empty(fig: go.Figure) -> None:
    """Say that nothing matches instead of drawing axes with made-up ranges."""
    fig.add_annotation(name=EMPTY_STATE_NAME, text=EMPTY_MESSAGE, showarrow=False, xref="paper", yref="paper",
                       x=0.5, y=0.5, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(showlegend=False)


def _count_axis(most: float) -> dict:
    """Axis settings for a count: whole-number ticks only (never 0.5), about eight at most."""
    step = 1
    while most / step > 8:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50 ...
            step = int(step * factor)
            if most / step <= 8:
                break
    return dict(tick0=0, dtick=step, tickformat=",d", rangemode="tozero")


def _year_axis(years) -> dict:
    """Axis settings for years: every year when there are few, every 2nd or 5th when there are many."""
    years = [int(y) for y in years]
    span = (max(years) - min(years)) if years else 0
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    return dict(tick0=0, dtick=step, tickformat="d")


def _in_declared_order(values, colours: dict) -> list:
    """The distinct ``values`` in the order their colours were assigned (the schema's order)."""
    present = set(values)
    return [value for value in colours if value in present]


def format_date(value: pd.Timestamp, precision: str) -> str:
    """A date written no more precisely than it is known: '2015', 'Jul 2015' or '22 Jul 2015'."""
    if pd.isna(value):
        return "date unknown"
    return value.strftime(_DATE_FORMAT.get(precision, "%d %b %Y"))


def _text_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    """Cells of ``columns`` as lists of strings, a missing value as "" (strict JSON has no NaN)."""
    return [["" if pd.isna(value) else str(value) for value in row]
            for row in frame[columns].itertuples(index=False, name=None)]


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

    With ``precision="month_counts"`` the whole lane is counted by month instead (one bar per
    month, shaded by how many rows it holds): the view for lanes too full to draw row by row.
    Explorers use this to refill the traces of a live figure without rebuilding it.
    """
    in_lane = frame[frame["lane"] == lane]
    if precision == "month_counts":
        months = in_lane["date"].dt.to_period("M").value_counts().sort_index()
        starts = [period.to_timestamp() for period in months.index]
        return {
            "base": starts,
            "x": [((start + pd.DateOffset(months=1)) - start).total_seconds() * 1000 for start in starts],
            "y": [lane] * len(starts),
            "customdata": [["", "month", start.strftime("%b %Y"), str(count)] for start, count in zip(starts, months)],
            "marker": {"color": list(months.to_numpy())},
        }
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
        orientation="h", name=f"{lane} (counts per month)", showlegend=False, width=0.6,
        marker=dict(color=marker["color"], colorscale=theme.SEQUENTIAL[1:], cmin=0, line=dict(width=0)),
        hovertemplate="<b>%{customdata[2]}</b>: %{customdata[3]} rows in this lane<extra></extra>",
        meta={"lane": lane, "precision": "month_counts"}, **values,
    )


_TIMELINE_HOVER = (
    "<b>%{customdata[2]}</b><br>%{customdata[3]}<br>%{customdata[4]}"
    "<br><i>Source: %{customdata[5]}</i><extra></extra>"
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
        colour = colours[lane]
        if sizes.get(lane, 0) > aggregate_above:
            fig.add_trace(_month_counts_trace(frame, lane))
            continue
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
    # The lanes are named on the axis, so a legend would only repeat them.
    fig.update_layout(barmode="overlay", hovermode="closest", showlegend=False)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, height=max(360, 70 * len(lanes) + 180),
                   empty=frame.empty)


def landscape_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The forums :func:`forum_landscape` draws: those with a known start date."""
    return frame.dropna(subset=["start_date"])


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
    from briefing.tidy import PARTICIPATION_LABELS

    dated = landscape_rows(frame).sort_values("start_date", ascending=False)
    left, right = _lifespan_range(dated["start_date"], dated["end_date"].fillna(today))
    # A forum that began before the axis starts says so in its label: its bar runs off the left edge.
    labels = pd.Series([html.escape(str(name)) + (f" (since {start.year})" if left is not None and start < left else "")
                        for name, start in zip(dated["short_name"], dated["start_date"])], index=dated.index)
    colours = theme.category_colours(data.enum("forums", "participation"), dated["participation"])
    fig = go.Figure()
    for participation in _in_declared_order(dated["participation"], colours):
        group = dated[dated["participation"] == participation]
        ends = group["end_date"].fillna(today)
        fig.add_trace(
            go.Bar(
                base=group["start_date"],
                x=[(end - start).total_seconds() * 1000 for start, end in zip(group["start_date"], ends)],
                y=labels[group.index], orientation="h",
                name=PARTICIPATION_LABELS.get(participation, participation), marker_color=colours[participation],
                customdata=_text_rows(group, ["forum_id", "kind", "status"]),
                hovertemplate="<b>%{y}</b><br>%{customdata[1]}, %{customdata[2]}<extra></extra>",
            )
        )
    fig.update_xaxes(type="date", range=[left, right] if left is not None else None)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(labels))
    fig.update_layout(barmode="overlay", legend_title_text="Who may take part")
    line = source_line or source_line_for(frame, as_of=as_of)
    undated = len(frame) - len(dated)
    notes = (f"{undated} forum(s) with no known start date are not shown",) if undated else ()
    return _finish(fig, title=title, subtitle=subtitle, notes=notes, source_line=line,
                   height=max(400, 22 * len(dated) + 200), empty=dated.empty)


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
            go.Bar(x=group["year"], y=group["incidents"], name=tidy.words(kind), meta={"incident_type": kind},
                   marker_color=colours[kind],
                   hovertemplate="%{x}: %{y} incident(s)<extra>%{fullData.name}</extra>")
        )
    fig.update_layout(barmode="stack", legend_title_text="Type")
    fig.update_xaxes(title_text="Year the incident began", **_year_axis(counts["year"]))
    most = counts.groupby("year")["incidents"].sum().max() if len(counts) else 0
    fig.update_yaxes(title_text="Incidents in the kit's list", **_count_axis(most))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, empty=counts.empty, height=460)


def _two_lines(label: str) -> str:
    """A tick label broken after its middle word, so labels sit level instead of slanting."""
    words = label.split()
    if len(words) < 3:
        return label
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "<br>" + " ".join(words[half:])


def positions_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The forums :func:`forum_positions` places: those whose binding status is known."""
    return frame[frame["binding"].notna()]


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
    from briefing.tidy import FORUM_KIND_LABELS, PARTICIPATION_LABELS, PARTICIPATION_ORDER

    known = positions_rows(frame).sort_values("forum_id")
    placed = known.assign(
        x=known["participation"].map({p: i for i, p in enumerate(PARTICIPATION_ORDER)}).astype(float),
        y=known["binding"].map({True: 1.0, False: 0.0}).astype(float),
    )
    # Lay the dots of one box out on a small grid so none hides another (deterministic order).
    placed = placed.sort_values(["kind", "forum_id"])
    placed["rank"] = placed.groupby(["x", "y"]).cumcount()
    placed["size_of_box"] = placed.groupby(["x", "y"])["forum_id"].transform("count")
    columns = np.ceil(np.sqrt(placed["size_of_box"]))
    rows = np.ceil(placed["size_of_box"] / columns)
    placed["x"] += ((placed["rank"] % columns) - (columns - 1) / 2) * 0.16
    placed["y"] -= ((placed["rank"] // columns) - (rows - 1) / 2) * 0.14
    symbols = ["circle", "diamond", "square", "triangle-up"]
    colours = theme.category_colours(data.enum("forums", "kind"), placed["kind"])
    position = {kind: index for index, kind in enumerate(colours)}
    fig = go.Figure()
    for kind in _in_declared_order(placed["kind"], colours):
        group = placed[placed["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=group["x"], y=group["y"], mode="markers",
                name=FORUM_KIND_LABELS.get(kind, kind),
                marker=dict(size=13, color=colours[kind],
                            symbol=symbols[(position[kind] // len(theme.PALETTE)) % len(symbols)],
                            line=dict(width=1, color="white")),
                customdata=_text_rows(group, ["forum_id", "short_name", "status"]),
                hovertemplate="<b>%{customdata[1]}</b><br>status: %{customdata[2]}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_xaxes(tickvals=list(range(len(PARTICIPATION_ORDER))),
                     ticktext=[_two_lines(PARTICIPATION_LABELS[p]) for p in PARTICIPATION_ORDER], range=[-0.6, 3.6],
                     tickangle=0, showgrid=False, title_text=None)
    fig.update_yaxes(tickvals=[0, 1], ticktext=["Voluntary", "Legally binding"], range=[-0.5, 1.5],
                     showgrid=False, title_text=None)
    if not known.empty:
        for boundary in (0.5, 1.5, 2.5):
            fig.add_vline(x=boundary, line=dict(color="#dddddd", width=1))
        fig.add_hline(y=0.5, line=dict(color="#dddddd", width=1))
    unknown = len(frame) - len(known)
    notes = (f"{unknown} forum(s) whose binding status no source confirms are not placed.",) if unknown else ()
    fig.update_layout(legend=dict(title_text="Kind", tracegroupgap=0, itemsizing="constant"))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, notes=notes, source_line=line,
                   height=max(560, 24 * len(fig.data) + 260), empty=known.empty)


def norms_matrix(
    frame: pd.DataFrame,
    *,
    title: str = "Which frameworks address which themes",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each cell counts the items of one framework (row) that address one theme (column).

    ``frame`` is :func:`briefing.tidy.norms_crosswalk_frame` (one row per norm x theme). Empty
    cells are drawn blank, not as zero-coloured squares, so gaps read as gaps.
    """
    counts = frame.groupby(["theme", "framework"], observed=True)["norm_id"].nunique().unstack(fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=True).index,
                        counts.sum(axis=0).sort_values(ascending=False).index]
    shown = counts.where(counts > 0)
    fig = go.Figure(
        go.Heatmap(
            # None, not NaN, marks an empty cell: live widgets send strict JSON, which has no NaN.
            z=[[None if pd.isna(v) else float(v) for v in row] for row in shown.to_numpy(dtype=float)], x=[html.escape(c) for c in counts.columns],
            y=[html.escape(r) for r in counts.index], colorscale=theme.SEQUENTIAL, zmin=0,
            text=shown.fillna(0).astype(int).astype(str).where(counts > 0, "").to_numpy(),
            texttemplate="%{text}", hovertemplate="<b>%{x}</b> on %{y}: %{z} item(s)<extra></extra>",
            xgap=2, ygap=2, colorbar=dict(title="Items"),
        )
    )
    fig.update_xaxes(tickangle=-35, showgrid=False, side="bottom")
    fig.update_yaxes(showgrid=False)
    longest = max((len(str(c)) for c in counts.columns), default=0)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, height=max(420, 28 * len(counts) + 160),
                   bottom_labels_px=int(longest * 7 * 0.57), empty=counts.empty)


def _world_axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, range=[-170, 190], fixedrange=False)
    fig.update_yaxes(visible=False, range=[-58, 84], scaleanchor="x", scaleratio=1.2)
    fig.update_layout(plot_bgcolor="white", margin=dict(l=10, r=10), hovermode="closest")


def _country_layer(codes, *, colour: str, name: str, showlegend: bool = True) -> go.Scatter:
    from briefing import geo

    xs, ys = geo.outline_xy(codes)
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour, name=name,
                      line=dict(color="white", width=0.5), hoverinfo="skip", showlegend=showlegend,
                      meta={"layer": name, "countries": list(codes)})


def _country_points(rows: pd.DataFrame, *, text_columns: list[str]) -> go.Scatter:
    from briefing import geo

    points = [geo.label_point(code) for code in rows["country_iso3"]]
    return go.Scatter(
        x=[p[0] if p else None for p in points], y=[p[1] if p else None for p in points], mode="markers",
        marker=dict(size=5, color="#333333", opacity=0.6), showlegend=False, name="countries",
        customdata=[[code] + [html.escape(text) for text in texts]
                    for code, texts in zip(rows["country_iso3"], _text_rows(rows, text_columns))],
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
        meta={"layer": "points"},
    )


def participation_map(
    frame: pd.DataFrame,
    *,
    title: str = "Who takes part",
    subtitle: str | None = None,
    year: int | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each state that takes part becomes a coloured country on a world map drawn offline.

    ``frame`` is :func:`briefing.tidy.participation_frame` for one forum and role. With ``year``
    only the states that had joined by the end of that year are coloured; undated rows cannot be
    placed in time, so they are left out of that view and counted in the subtitle.
    """
    from briefing import geo

    rows = participation_rows(frame, year=year)
    notes = []
    if year is not None:
        undated = int(frame["date"].isna().sum())
        if undated:
            notes.append(f"{undated} state(s) with no confirmed date are not shown by year")
    codes = list(dict.fromkeys(rows["country_iso3"]))
    unplaced = [code for code in codes if geo.label_point(code) is None]
    if unplaced:
        notes.append("not on the map: " + ", ".join(unplaced))
    fig = go.Figure([
        _country_layer(sorted(geo.country_codes() - set(codes)), colour="#e6e6e6", name="not taking part",
                       showlegend=False),
        _country_layer(codes, colour=theme.PALETTE[0], name="taking part"),
        _country_points(rows, text_columns=["country", "role"]),
    ])
    _world_axes(fig)
    when = f" by the end of {year}" if year is not None else ""
    notes.insert(0, f"{tidy.count_of(len(codes), 'participant')}{when}")
    line = source_line or source_line_for(frame, as_of=as_of)
    fig.update_layout(showlegend=False)
    fig = _finish(fig, title=title, subtitle=subtitle, notes=tuple(notes),
                  source_line=f"{line} {geo.GEOMETRY_CREDIT}.", height=560)
    if rows.empty:  # the map stays (it is the context), the message says why nothing is shaded
        fig.add_annotation(name=EMPTY_STATE_NAME, text=EMPTY_MESSAGE, showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=18, color="#555555"), bgcolor="rgba(255,255,255,0.85)")
    return fig


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
    shapes = [_country_layer(sorted(geo.country_codes() - set(frame["country_iso3"])), colour="#eeeeee",
                             name="none", showlegend=False)]
    for count in range(1, top + 1):
        codes = list(frame.loc[frame["count"] == count, "country_iso3"])
        colour = shades[min(len(shades) - 1, round((count - 1) * (len(shades) - 1) / max(1, most - 1)))]
        shapes.append(_country_layer(codes, colour=colour, name=f"{count} forum(s)", showlegend=bool(codes)))
    shapes.append(_country_points(frame, text_columns=["country", "forums"]))
    fig = go.Figure(shapes)
    _world_axes(fig)
    # The overlap frame has one row per country, not per source: cite the participation table.
    line = source_line or theme.source_text(["Cyber Norms Briefing Kit participation table (see its sources)"],
                                            as_of=as_of)
    fig = _finish(fig, title=title, subtitle=subtitle, source_line=f"{line} {geo.GEOMETRY_CREDIT}.", height=560)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    return fig


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
    labels = [html.escape(tidy.label_of(category, label)) for label in counts.index]
    fig = go.Figure(go.Bar(
        x=counts.to_numpy(), y=labels, orientation="h", marker_color=theme.PALETTE[0],
        customdata=[[str(v)] for v in counts.index],
        hovertext=[f"{label}: {tidy.count_of(int(n), 'incident')}" for label, n in zip(labels, counts)],
        hovertemplate="%{hovertext}<extra></extra>",
    ))
    fig.update_xaxes(title_text="Incidents in the kit's list", **_count_axis(counts.max() if len(counts) else 0))
    fig.update_yaxes(showgrid=False)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, height=max(360, 26 * len(counts) + 220),
                   empty=counts.empty)


def recommendations_flow(
    frame: pd.DataFrame,
    *,
    title: str = "Who is asked to do what",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each recommendation is a unit of flow from the stakeholder group asked to act to its theme.

    ``frame`` is :func:`briefing.tidy.recommendations_frame` (or a selection).
    """
    from briefing.tidy import STAKEHOLDER_GROUP_LABELS

    flows = frame.groupby(["group", "theme"], observed=True).size().rename("count").reset_index()
    group_colours = theme.category_colours(data.enum("stakeholders", "group"), flows["group"])
    groups = _in_declared_order(flows["group"], group_colours)
    themes = list(flows.groupby("theme")["count"].sum().sort_values(ascending=False).index)
    labels = [STAKEHOLDER_GROUP_LABELS.get(g, g) for g in groups] + list(themes)
    index = {name: i for i, name in enumerate(groups)} | {name: len(groups) + i for i, name in enumerate(themes)}
    colours = [group_colours[g] for g in groups]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[html.escape(label) for label in labels], pad=12, thickness=14,
                  color=colours + ["#bbbbbb"] * len(themes)),
        link=dict(source=[index[g] for g in flows["group"]], target=[index[t] for t in flows["theme"]],
                  value=list(flows["count"]),
                  # Each link takes its group's colour, half transparent.
                  color=[_rgba(colours[groups.index(g)], 0.45) for g in flows["group"]],
                  customdata=_text_rows(flows, ["group", "theme"]),
                  hovertemplate="%{value} recommendation(s)<extra></extra>"),
    ))
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, source_line=line, height=max(480, 22 * len(themes) + 200),
                   empty=flows.empty)


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
