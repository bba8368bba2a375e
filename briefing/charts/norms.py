"""The norms crosswalk: frameworks against themes."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import render, theme
from briefing.charts.common import _finish, source_line_for


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
    counts = counts.loc[
        counts.sum(axis=1).sort_values(ascending=True).index, counts.sum(axis=0).sort_values(ascending=False).index
    ]
    shown = counts.where(counts > 0)
    fig = go.Figure(
        go.Heatmap(
            # None, not NaN, marks an empty cell: live widgets send strict JSON, which has no NaN.
            z=[[None if pd.isna(v) else float(v) for v in row] for row in shown.to_numpy(dtype=float)],
            x=[render.escape(c) for c in counts.columns],
            y=[render.escape(r) for r in counts.index],
            colorscale=theme.SEQUENTIAL,
            zmin=0,
            text=shown.fillna(0).astype(int).astype(str).where(counts > 0, "").to_numpy(),
            texttemplate="%{text}",
            hovertemplate="<b>%{x}</b> on %{y}: %{z} item(s)<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar=dict(title="Items"),
        )
    )
    fig.update_xaxes(tickangle=-35, showgrid=False, side="bottom")
    fig.update_yaxes(showgrid=False)
    longest = max((len(str(c)) for c in counts.columns), default=0)
    line = source_line or source_line_for(frame, as_of=as_of)
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        source_line=line,
        height=max(420, 28 * len(counts) + 160),
        bottom_labels_px=int(longest * 7 * 0.57),
        empty=counts.empty,
    )
