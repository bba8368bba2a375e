"""Charts of how international law applies: the incident-to-norm claims here, and (re-exported
from :mod:`~briefing.charts.positions` and :mod:`~briefing.charts.position_dates`) the national
positions as a grid, a map and a timeline. A tidy frame in (see :mod:`briefing.law`), a
``go.Figure`` out.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import data, render, theme, tidy
from briefing.charts.categories import _every_category
from briefing.charts.common import _finish, source_line_for
from briefing.charts.position_dates import positions_timeline
from briefing.charts.positions import positions_grid, positions_map, stance_colours

__all__ = ["incident_norm_links", "positions_grid", "positions_map", "positions_timeline", "stance_colours"]

_CLAIM_KEYS = ["incident", "incident_id", "invoked_short", "invoked_id", "claimant_kind"]


def _claim_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per incident x norm invoked x kind of claimant: how many claims, and who made them."""
    grouped = frame.groupby(_CLAIM_KEYS, observed=True)
    return grouped.agg(
        claims=("link_id", "count"), claimants=("claimant", lambda c: "<br>".join(render.escape(str(x)) for x in c))
    ).reset_index()


def _claim_dots(rows: pd.DataFrame, kind: str, colour: str, x_of: dict[str, float]) -> go.Scatter:
    """A dot per incident x norm for one kind of claimant, sized by (and, past one, labelled with) its claims."""
    return go.Scatter(
        x=[x_of[v] for v in rows["invoked_short"]],
        y=[render.escape(i) for i in rows["incident"]],
        mode="markers+text",
        name=tidy.words(kind),
        text=[str(n) if n > 1 else "" for n in rows["claims"]],
        textposition="middle center",
        textfont=dict(color="white", size=10),
        marker=dict(
            size=[10 + 4 * min(int(n), 4) for n in rows["claims"]],
            color=colour,
            line=dict(width=1, color="white"),
        ),
        customdata=[
            [str(a), str(b), int(n), c]
            for a, b, n, c in zip(rows["incident_id"], rows["invoked_id"], rows["claims"], rows["claimants"])
        ],
        hovertemplate="<b>%{y}</b>: %{customdata[2]} claim(s)<br>%{customdata[3]}<extra>%{fullData.name}</extra>",
        meta={"claimant_kind": kind},
    )


def _claim_axes(fig: go.Figure, invoked: list[str], incidents: list[str]) -> None:
    """Norms across (most invoked first), incidents down (oldest at the top), every label written."""
    fig.update_xaxes(
        tickvals=list(range(len(invoked))),
        ticktext=[render.escape(v) for v in invoked],
        range=[-0.6, len(invoked) - 0.4],
        tickangle=-35,
        showgrid=True,
        side="bottom",
    )
    rows = [render.escape(i) for i in incidents]
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], showgrid=True, **_every_category(rows))


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
    cells = _claim_cells(frame)
    incidents = list(frame.drop_duplicates("incident_id").sort_values("date", na_position="last")["incident"])
    invoked = list(frame.groupby("invoked_short")["link_id"].count().sort_values(ascending=False).index)
    present = [k for k in colours if k in set(cells["claimant_kind"])]
    fig = go.Figure()
    for i, kind in enumerate(present):
        offset = (i - (len(present) - 1) / 2) * 0.18  # kinds of claimant side by side on one norm
        x_of = {name: x + offset for x, name in enumerate(invoked)}
        fig.add_trace(_claim_dots(cells[cells["claimant_kind"] == kind], kind, colours[kind], x_of))
    _claim_axes(fig, invoked, incidents)
    fig.update_layout(legend=dict(title_text="Who made the claim", itemsizing="constant"))
    return _finish(
        fig,
        title=title,
        subtitle=subtitle,
        notes=("a number in a dot counts its claims",) if len(cells) else (),
        source_line=source_line or source_line_for(frame, as_of=as_of),
        height=max(420, 24 * len(incidents) + 220),
        empty=cells.empty,
    )
