"""Who is asked to do what: a flow from stakeholder groups to themes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.common import _finish, _in_declared_order, _rgba, _text_rows, source_line_for


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
    flows = frame.groupby(["group", "theme"], observed=True).size().rename("count").reset_index()
    group_colours = theme.category_colours(data.enum("stakeholders", "group"), flows["group"])
    groups = _in_declared_order(flows["group"], group_colours)
    themes = list(flows.groupby("theme")["count"].sum().sort_values(ascending=False).index)
    labels = [tidy.label("stakeholders", "group", g) for g in groups] + list(themes)
    index = {name: i for i, name in enumerate(groups)} | {name: len(groups) + i for i, name in enumerate(themes)}
    colours = [group_colours[g] for g in groups]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node=dict(
                label=[render.escape(label) for label in labels],
                pad=12,
                thickness=14,
                color=colours + ["#bbbbbb"] * len(themes),
            ),
            link=dict(
                source=[index[g] for g in flows["group"]],
                target=[index[t] for t in flows["theme"]],
                value=list(flows["count"]),
                # Each link takes its group's colour, half transparent.
                color=[_rgba(colours[groups.index(g)], 0.45) for g in flows["group"]],
                customdata=_text_rows(flows, ["group", "theme"]),
                hovertemplate="%{value} recommendation(s)<extra></extra>",
            ),
        )
    )
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        source_line=line,
        height=max(480, 22 * len(themes) + 200),
        empty=flows.empty,
    )
