"""Fitting a figure to a picture of fixed size (an export preset): the things plotly does not do
for a static image. It never wraps a title or a legend, never thins its own row labels enough,
and a picture cannot scroll. Used by :func:`briefing.export.publication_figure`.
"""

from __future__ import annotations

import plotly.graph_objects as go

from briefing import theme


def legend_above_when_wide(fig: go.Figure, *, width: int, body: int, may_grow: bool) -> int:
    """A legend whose entries would take more than a third of a narrow picture (half of a wide one)
    moves above the plot, in rows: beside it, its longest entries ran off the right edge (plotly
    never wraps them), unless its rows would take a quarter of a picture that ``may_grow`` not.
    A legend the chart already put above the plot gets the room its rows take at this type size
    (without it, it ran over the title). Returns the height the legend's rows take (0: the legend
    stays where it was)."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    legend = fig.layout.legend
    above = legend.orientation == "h" and (legend.y or 0) >= 1 and legend.yanchor == "bottom"
    if not names or fig.layout.showlegend is False or (legend.orientation == "h" and not above):
        return 0
    # A title written before the entries takes its width from every row.
    title_px = round(len(legend.title.text or "") * body * 0.55 + 10) if above else 0
    # A legend that wraps lays its entries out in columns as wide as its widest entry (symbol, gap, text).
    widest, rows = theme.legend_grid(names, width=theme.plot_width_px(fig, body) - title_px, body_size=body)
    legend_px = round(rows * body * 1.65)  # a legend row is about 1.6 times its type size
    # A narrow picture (a newsletter column) cannot spare a third of its width; a wide one, half.
    if not above and widest <= width / (3 if width < 800 else 2):
        return 0
    if not above and not may_grow and legend_px > fig.layout.height * 0.25:  # it would crowd out the plot
        return 0
    moved = {} if above else dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", title_text=None)
    # The title block keeps its place at the top; the legend's rows sit between it and the plot.
    fig.update_layout(
        title=dict(yref="container", y=1.0, yanchor="top", pad=dict(t=round(body * 2))),
        margin=dict(t=fig.layout.margin.t + legend_px),
        # Entries as wide as the widest: columns, rows and the room they need are then known.
        legend=dict(entrywidth=widest - 40, entrywidthmode="pixels", tracegroupgap=0, **moved),
    )
    return legend_px


def wrap_subtitle(heading: str, *, width_px: int, font_size: int) -> str:
    """The subtitle (``<sup>`` after the title) broken into lines that fit the picture's width:
    plotly never wraps a title, and a long subtitle ran off the right edge."""
    title, marker, rest = heading.partition("<br><sup>")
    if not marker:
        return heading
    subtitle = rest.removesuffix("</sup>")
    lines = theme.wrap_source_text(subtitle, width_px=width_px - 40, font_size=font_size).split("<br>")
    return title + "".join(f"<br><sup>{line}</sup>" for line in lines)


def fit_columns(fig: go.Figure, *, body: int) -> None:
    """Column labels of a narrow grid stand upright (slanted, they ran into each other), with room
    kept for them above the source line."""
    _level_where_they_fit(fig, body=body)
    labels = [str(label) for label in _category_labels(fig, "x")]
    _write_every(fig, "x", labels)
    if not labels or len(labels) * body * 4 <= fig.layout.width * 0.45:
        return
    # Upright, a label's lines would stand side by side and meet the next column's: one line each.
    fig.update_xaxes(tickangle=-90, ticktext=[label.replace("<br>", " ") for label in labels])
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    # In the template's type size: the source line scales it to the preset's (theme.add_source_line).
    longest = max(len(label.replace("<br>", " ")) for label in labels)
    upright = round(longest * theme.BODY_FONT_SIZE * 0.5)
    meta["bottom_labels_px"] = max(int(meta.get("bottom_labels_px", 0)), upright)
    fig.update_layout(meta=meta)


def _level_where_they_fit(fig: go.Figure, *, body: int) -> None:
    """A chart whose column labels stand upright only where a page is too narrow for them
    (``meta["upright_labels_px"]``, e.g. forum positions) keeps them level on a picture wide enough,
    and gives back the room it kept under them."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    upright = int(meta.get("upright_labels_px", 0))
    labels = [str(label) for label in fig.layout.xaxis.ticktext or ()]
    if not upright or not labels:
        return
    longest = max(len(line) for label in labels for line in label.split("<br>"))
    if len(labels) * longest * body * 0.55 > fig.layout.width * 0.6:  # else plotly.js may stand them upright
        return
    fig.update_xaxes(tickangle=0)
    meta["bottom_labels_px"] = max(0, int(meta.get("bottom_labels_px", 0)) - upright)
    meta["upright_labels_px"] = 0
    fig.update_layout(meta=meta)


# A row of a category axis needs about this many times the type size to be read apart from its
# neighbours, and type under MIN_ROW_TYPE px cannot be read at all.
ROW_SPACING = 1.35
MIN_ROW_TYPE = 8


def _category_labels(fig: go.Figure, letter: str) -> list:
    """The names along a chart's first x or y axis: a category axis's labels, or a heatmap's rows or
    columns ([] for a value axis)."""
    axis = fig.layout[f"{letter}axis"]
    if axis.tickvals and axis.type == "category":
        return list(axis.tickvals)
    if axis.categoryarray:
        return list(axis.categoryarray)
    names: dict = {}
    for trace in fig.data:
        if trace.type == "heatmap" and trace[letter] is not None and (trace[f"{letter}axis"] or letter) == letter:
            names.update(dict.fromkeys(trace[letter]))
    return list(names)


def _write_every(fig: go.Figure, letter: str, labels: list) -> None:
    """Every label written: plotly thins crowded ones, and a row without its name reads as its neighbour's."""
    if labels and not fig.layout[f"{letter}axis"].tickvals:
        fig.layout[f"{letter}axis"].update(tickmode="array", tickvals=labels, ticktext=labels)


def fit_rows(fig: go.Figure, *, preset: str, body: int) -> str | None:
    """Keep one label per row legible on a chart with many rows (a grid, a timeline of holders).

    A newsletter picture is as tall as its rows need (a column scrolls); the other presets keep
    their proportions, so their row labels get smaller type instead, down to 8 px; rows that would
    need smaller type are refused: the message that says what to do is returned.
    """
    labels = _category_labels(fig, "y")
    rows = len(labels)
    _write_every(fig, "y", labels)
    margin = fig.layout.margin
    plot_height = fig.layout.height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
    needed = rows * body * ROW_SPACING
    if not rows or needed <= plot_height:
        return None
    if preset == "newsletter":
        fig.update_layout(height=round(fig.layout.height + needed - plot_height))
        return None
    size = int(plot_height / (rows * ROW_SPACING))
    if size < MIN_ROW_TYPE:
        fitting = int(plot_height / (MIN_ROW_TYPE * ROW_SPACING))
        return (
            f"this chart's {rows} rows cannot be read on a {preset} picture (at most {fitting} fit); "
            "choose the newsletter preset, which grows to fit its rows, or show fewer rows "
            "(filter it: a region, a question, fewer years)"
        )
    fig.update_yaxes(tickfont_size=size)
    _fit_row_notes(fig, labels, size)
    _fit_row_marks(fig, labels, size)
    return None


def _fit_row_marks(fig: go.Figure, labels: list, size: int) -> None:
    """Marks and numbers drawn on rows (the UN votes' sponsors, the attribution grid's counts) no
    taller than a row: grown with the preset's type, they covered the rows above and below."""
    rows = set(labels)
    tallest = max(4, int(size * ROW_SPACING) - 3)  # a mark's outline takes the rest
    for trace in fig.data:
        if trace.type != "scatter" or trace.y is None or not any(y in rows for y in trace.y):
            continue
        marker_size = getattr(trace.marker, "size", None)
        if isinstance(marker_size, (int, float)) and marker_size > tallest:
            trace.marker.size = tallest
        if "text" in (trace.mode or "") and (trace.textfont.size is None or trace.textfont.size > size):
            trace.textfont.size = size


def _fit_row_notes(fig: go.Figure, labels: list, size: int) -> None:
    """Notes written on a row (the UN votes' "not recorded") no larger than the row's own label:
    grown with the preset's type, they ran into the rows above and below."""
    rows = set(labels)
    for annotation in fig.layout.annotations:
        on_a_row = (annotation.yref or "y").startswith("y") and annotation.y in rows
        if on_a_row and annotation.font.size and annotation.font.size > size:
            annotation.font.size = size


def keep_notes_in_panels(fig: go.Figure, *, body: int) -> None:
    """Notes written after a bar (the UN votes' "rest not recorded") end before the next panel, or
    the picture's edge: the count scale is widened where one would not, for every panel that shares
    it (panels side by side compare on one scale). Text is measured generously, as plotly cannot
    say how wide it draws it."""
    plot_px = theme.plot_width_px(fig, body)
    axes = {name: fig.layout[name] for name in fig.layout if name.startswith("xaxis") and fig.layout[name].range}
    starts = sorted(float(axis.domain[0]) for axis in axes.values() if axis.domain)
    needed: dict[tuple, float] = {}
    for note in fig.layout.annotations:
        axis = axes.get("xaxis" + (note.xref or "paper")[1:])
        if axis is None or note.xanchor != "left" or not isinstance(note.x, (int, float)):
            continue
        low, high = axis.domain or (0, 1)
        following = [start for start in starts if start > low]
        room_px = ((following[0] if following else 1) - low) * plot_px - (body * 0.5 if following else 0)
        text_px = (note.xshift or 0) + len(note.text or "") * (note.font.size or body) * 0.55
        bar_room = max(1.0, room_px - text_px) / ((high - low) * plot_px)  # share of the panel left for the bar
        key = tuple(axis.range)
        needed[key] = max(needed.get(key, key[1]), key[0] + (note.x - key[0]) / bar_room)
    for axis in axes.values():
        widest = needed.get(tuple(axis.range))
        if widest and widest > axis.range[1]:
            axis.range = (axis.range[0], widest)


def keep_marks_apart(fig: go.Figure, *, body: int) -> None:
    """Dots set a fixed step apart (``meta["mark_step"]``, across and up in the axes' units: the
    forum positions' boxes) no larger than the step: grown with the preset's type, they ran into
    each other where the plot is narrow (square, with its legend beside it)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    step = meta.get("mark_step")
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    if not step or not x_range or not y_range:
        return
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    legend = fig.layout.legend
    beside = 0.0
    if names and fig.layout.showlegend is not False and legend.orientation != "h":
        beside = max(len(name) for name in names) * (legend.font.size or body) * 0.55 + 40
    margin = fig.layout.margin
    # The value axis's own labels ("Legally binding") widen the left margin too.
    labels_px = max((len(str(t)) for t in fig.layout.yaxis.ticktext or ()), default=0) * body * 0.55 + 20
    plot_w = min(theme.plot_width_px(fig, body), fig.layout.width - labels_px - (margin.r or 0)) - beside
    plot_h = fig.layout.height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
    across = step[0] / (x_range[1] - x_range[0]) * plot_w
    up = step[1] / (y_range[1] - y_range[0]) * plot_h
    # A diamond reaches 1.3 times its size; a pixel more keeps neighbours' outlines apart.
    largest = max(4, int(min(across, up) / 1.3) - 1)
    for trace in fig.data:
        size = getattr(getattr(trace, "marker", None), "size", None)
        if trace.type == "scatter" and isinstance(size, (int, float)) and size > largest:
            trace.marker.size = largest


def fit_flow_labels(fig: go.Figure, *, preset: str, body: int) -> None:
    """A flow's node labels (the recommendations' themes) as far apart as their type is tall:
    nodes of one flow stand their ``pad`` apart, and the preset's type ran the labels of a
    column's small nodes into each other. The gap grows (a newsletter picture grows with it),
    and the type shrinks to the gap where the picture cannot grow, down to 8 px."""
    for trace in fig.data:
        if trace.type != "sankey" or trace.link.source is None:
            continue
        sources, targets = set(trace.link.source), set(trace.link.target)
        nodes = max(len(sources), len(targets - sources))
        if nodes < 2:
            continue
        margin = fig.layout.margin
        plot_px = fig.layout.height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
        wanted = body * 1.3
        # Most of the column's height may go to the gaps; the rest draws the flows' sizes.
        if preset == "newsletter" and plot_px * 0.7 / (nodes - 1) < wanted:
            grow = round(wanted * (nodes - 1) / 0.7 - plot_px)
            fig.update_layout(height=fig.layout.height + grow)
            plot_px += grow
        pad = max(trace.node.pad or 0, min(wanted, plot_px * 0.7 / (nodes - 1)))
        trace.node.pad = round(pad)
        trace.textfont.size = max(MIN_ROW_TYPE, min(body, int(pad / 1.3)))


def fit_legend(fig: go.Figure, *, height: int, body: int) -> None:
    """Keep every legend entry in the picture (a static image cannot scroll a legend): a legend too
    tall for the plot gets smaller type, down to 9 px, and then more height for the plot."""
    entries = [t for t in fig.data if t.name and t.showlegend is not False]
    if not entries or fig.layout.showlegend is False or fig.layout.legend.orientation == "h":
        return  # a legend in rows (above or under the plot) is as tall as its rows, kept apart
    margin = fig.layout.margin
    plot_height = height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
    line = 1.7  # one legend row, in multiples of its type size
    needed = (len(entries) + 1.5) * body * line
    if needed <= plot_height:
        return
    size = max(9, int(plot_height / ((len(entries) + 1.5) * line)))
    # A legend row is never under about 19 px (the symbol's height), whatever its type size; the
    # legend may run on into the bottom margin beside the axis labels rather than be cut off.
    rows_px = int((len(entries) + 1.5) * max(size * 1.3, 19.5))
    fig.update_layout(
        legend=dict(
            font=dict(size=size),
            title_font=dict(size=size),
            tracegroupgap=0,
            itemsizing="constant",
            maxheight=max(rows_px, plot_height),
        )
    )


def fit_legend_and_rows(fig: go.Figure, *, preset: str, width: int, body: int) -> str | None:
    """The legend placed (above a narrow plot, else beside it and whole) and the rows made legible;
    the message that says what to do where the rows cannot be read at this size."""
    legend_above = legend_above_when_wide(fig, width=width, body=body, may_grow=preset == "newsletter")
    if legend_above and preset == "newsletter":  # a column scrolls: the plot keeps its height
        fig.update_layout(height=fig.layout.height + legend_above)
    problem = fit_rows(fig, preset=preset, body=body)
    if problem is None and not legend_above:
        fit_legend(fig, height=fig.layout.height, body=body)
    keep_notes_in_panels(fig, body=body)
    fit_flow_labels(fig, preset=preset, body=body)
    keep_marks_apart(fig, body=body)
    return problem
