"""First drafts of alt text, read from the data behind a figure (a person edits them before publishing).

Each kind of chart the gallery makes has its own sentence; a test builds every recipe and checks
that none falls through to the generic "Chart: <title>." draft.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

__all__ = ["alt_text"]


def alt_text(fig: go.Figure) -> str:
    """A first draft of alt text, made from the data behind the figure (edit it before publishing).

    It names the chart type, what is counted, the range, and the peak or the notable values.
    """
    title = html.unescape((fig.layout.title.text or "Chart").split("<br>")[0])
    if any(annotation.name == "empty_state" for annotation in fig.layout.annotations):
        return f"Chart: {title}. Nothing matches these filters, so it shows no data."
    traces = [trace for trace in fig.data if trace.type != "scatter" or trace.fill != "toself"]
    kinds = {trace.type for trace in fig.data}
    if "sankey" in kinds:
        return _flow_alt(fig, title)
    if any(_meta(trace, "stances") for trace in fig.data):
        return _stances_alt(fig, title)
    if any(trace.type == "heatmap" and _meta(trace, "pairs") for trace in fig.data):
        return _attributions_alt(fig, title)
    if "heatmap" in kinds:
        return _grid_alt(fig, title)
    if any(trace.type == "bar" and _meta(trace, "stage") for trace in fig.data):
        return _votes_alt(fig, title)
    if any(trace.fill == "toself" and _meta(trace, "stance") for trace in fig.data if trace.type == "scatter"):
        return _stance_map_alt(fig, title)
    if any(trace.type == "scatter" and trace.fill == "toself" for trace in fig.data):
        shaded = [
            t
            for t in fig.data
            if t.type == "scatter" and t.fill == "toself" and t.name not in ("none", "not taking part")
        ]
        countries = sum(len(t.meta["countries"]) for t in shaded if t.meta)
        return f"World map: {title}. {countries} countries are shaded; the others are grey."
    if "bar" in kinds and all(t.type == "bar" for t in traces) and not any(t.base is not None for t in traces):
        return _bar_alt(traces, title)
    if "scatter" in kinds and any(_seq(trace.customdata) for trace in traces):
        return _marks_alt(traces, title)
    if traces and all(t.type == "bar" and t.base is not None for t in traces):
        return _spans_alt(traces, title)
    return f"Chart: {title}."


def _spans_alt(traces: list, title: str) -> str:
    """Bars that each span a stretch of time (the forums' lifespans), grouped by series."""
    starts = pd.to_datetime([start for trace in traces for start in _seq(trace.base)], errors="coerce").dropna()
    groups = sorted(((len(_seq(t.base)), t.name) for t in traces if len(_seq(t.base))), reverse=True)
    named = ", ".join(f"{html.unescape(str(name))} ({count})" for count, name in groups[:4])
    if not len(starts):
        return f"Bar chart: {title}. It shows no data for the current filters."
    return (
        f"Time span chart: {title}. {len(starts)} bars, each from a start to an end, the earliest starting in "
        f"{starts.min().year} and the latest in {starts.max().year}; by group: {named}."
    )


def _flow_alt(fig: go.Figure, title: str) -> str:
    link = fig.data[0].link
    labels = list(fig.data[0].node.label)
    flows = sorted(zip(link.value, link.source, link.target), reverse=True)[:3]
    top = "; ".join(f"{html.unescape(labels[s])} to {html.unescape(labels[t])} ({v})" for v, s, t in flows)
    return (
        f"Flow diagram: {title}. {sum(link.value)} items flow from {len(set(link.source))} groups "
        f"to {len(set(link.target))} themes. Largest flows: {top}."
    )


def _grid_alt(fig: go.Figure, title: str) -> str:
    heatmap = fig.data[0]
    cells = [
        (value, row, column)
        for row, values in zip(heatmap.y, heatmap.z)
        for column, value in zip(heatmap.x, values)
        if value is not None and value == value
    ]
    top = sorted(cells, reverse=True)[:3]
    notable = "; ".join(f"{html.unescape(c)} on {html.unescape(r)} ({int(v)})" for v, r, c in top)
    return (
        f"Grid chart: {title}. Rows are {len(heatmap.y)} themes and columns {len(heatmap.x)} frameworks; "
        f"each cell counts the items of a framework on a theme. Highest: {notable}."
    )


def _bar_alt(traces: list, title: str) -> str:
    totals: dict = {}
    for trace in traces:
        horizontal = trace.orientation == "h"
        keys, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        for key, value in zip(_seq(keys), _seq(values)):
            if value is not None:  # a gap (a live chart refilled with nothing at that category)
                totals[key] = totals.get(key, 0) + value
    if not totals:
        return f"Bar chart: {title}. It shows no data for the current filters."
    peak = max(totals, key=lambda key: totals[key])
    ordered = sorted(totals)
    series = f" in {len(traces)} series" if len(traces) > 1 else ""
    return (
        f"Bar chart: {title}. {sum(totals.values()):g} items{series} across {len(totals)} categories, "
        f"from {html.unescape(str(ordered[0]))} to {html.unescape(str(ordered[-1]))}; "
        f"the highest is {html.unescape(str(peak))} with {totals[peak]:g}."
    )


def _marks_alt(traces: list, title: str) -> str:
    """Dots (one per record) or, when the traces are a timeline's lanes, dated items by lane."""
    points = [point for trace in traces for point in _seq(trace.customdata)]
    if not any(trace.meta and "lane" in trace.meta for trace in traces):
        groups = sorted(((len(_seq(t.customdata)), t.name) for t in traces if len(_seq(t.customdata))), reverse=True)
        named = ", ".join(f"{html.unescape(str(name))} ({count})" for count, name in groups[:4])
        return f"Dot chart: {title}. {len(points)} marks in {len(groups)} groups; the largest: {named}."
    starts = [x for trace in traces for x in _seq(trace.base if getattr(trace, "base", None) is not None else trace.x)]
    dated = pd.to_datetime(starts, errors="coerce").dropna()
    lanes = {trace.meta["lane"] for trace in traces if trace.meta and "lane" in trace.meta and len(_seq(trace.y))}
    if len(dated):
        busiest = dated.year.value_counts().idxmax()
        lane_count = len(lanes) or len(traces)
        return (
            f"Timeline: {title}. {len(points)} dated items from {dated.min().year} to {dated.max().year}"
            f" in {lane_count} {'lane' if lane_count == 1 else 'lanes'}; the busiest year is {busiest}."
        )
    return f"Scatter chart: {title}. {len(points)} items."


def _meta(trace, key: str):
    """``trace.meta[key]`` where the trace's meta is a dict that has it, else None."""
    return trace.meta.get(key) if isinstance(trace.meta, dict) else None


def _counted(counts: dict, limit: int = 3) -> str:
    """The largest counts as "name (n)", largest first."""
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:limit])


def _stances_alt(fig: go.Figure, title: str) -> str:
    """The positions grid: holders x legal questions, each cell a stance."""
    grid = next(trace for trace in fig.data if _meta(trace, "stances"))
    labels = {t.meta["stance"]: html.unescape(t.name) for t in fig.data if _meta(t, "stance")}
    counts: dict = {}
    for stance in (s for row in grid.meta["stances"] for s in row if s):
        counts[labels.get(stance, stance)] = counts.get(labels.get(stance, stance), 0) + 1
    grey = counts.pop(labels.get("not_addressed", "not_addressed"), 0)
    return (
        f"Grid chart: {title}. Rows are {len(grid.y)} states and organisations, columns {len(grid.x)} legal "
        f"questions; each cell is coloured by the stance the holder takes. Most common: {_counted(counts)}; "
        f"{grey} cells are grey, where the stored document does not address the question."
    )


def _attributions_alt(fig: go.Figure, title: str) -> str:
    """The attributions grid: who attributed (rows, by side) x the state held responsible (columns)."""
    cells = []
    for grid in (trace for trace in fig.data if trace.type == "heatmap"):
        for row, values in zip(grid.y, grid.z):
            cells += [(int(v), row, col) for col, v in zip(grid.x, values) if v is not None and v == v]
    named = "; ".join(
        f"{html.unescape(r)} to {html.unescape(c).replace('<br>', ' ')} ({v})" for v, r, c in sorted(cells)[::-1][:3]
    )
    sides = [t for t in fig.data if t.type == "heatmap"]
    columns = {c for t in sides for c in t.x}
    return (
        f"Grid chart: {title}. Rows are {sum(len(t.y) for t in sides)} parties that attributed, in {len(sides)} "
        f"{'group' if len(sides) == 1 else 'groups'}; columns are {len(columns)} states held responsible; each cell counts incidents. "
        f"Most: {named}."
    )


def _votes_alt(fig: go.Figure, title: str) -> str:
    """The UN votes chart: a row per resolution, its sponsor, then its vote totals where recorded."""
    marks = [t for t in fig.data if t.type == "scatter" and t.showlegend is False and _meta(t, "sponsor")]
    sponsors = {t.name: len(_seq(t.y)) for t in marks}
    yes = [(x, y) for t in fig.data if _meta(t, "vote") == "votes_yes" for x, y in zip(_seq(t.x), _seq(t.y))]
    most = f" The largest plenary yes vote is {max(yes)[0]}, on {html.unescape(max(yes)[1])}." if yes else ""
    return (
        f"Chart of resolutions: {title}. {sum(sponsors.values())} resolutions by sponsor: {_counted(sponsors, 4)}; "
        f"{len(yes)} have a recorded plenary vote, the others say why not.{most}"
    )


def _stance_map_alt(fig: go.Figure, title: str) -> str:
    """The positions map: countries coloured by their stance on one legal question."""
    layers = [t for t in fig.data if _meta(t, "countries") and _meta(t, "stance")]
    grey = sum(len(t.meta["countries"]) for t in layers if t.meta["stance"] == "not_addressed")
    coded = {html.unescape(t.name): len(t.meta["countries"]) for t in layers if t.meta["stance"] != "not_addressed"}
    return (
        f"World map: {title}. {sum(coded.values())} states are coloured by their stance: {_counted(coded, 4)}; "
        f"{grey} whose documents do not address it are grey; the others have no position in the kit."
    )


def _seq(values) -> list:
    """A trace's data array as a list (plotly gives tuples, numpy arrays or None)."""
    return [] if values is None else list(values)
