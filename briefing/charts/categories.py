"""Pieces the category charts of law and camps share: legend keys for shapes that cannot name
themselves, category axes that name every row, separators between blocks of rows, escaped text.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import render


def _legend_square(
    name: str, colour: str, *, meta: dict, group: str | None = None, validate: bool = True
) -> go.Scatter:
    """A legend entry with no data: heatmaps and filled shapes cannot name categories themselves.
    ``validate=False`` skips plotly's checks, for a figure checked as a whole (see ``_checked``)."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        legendgroup=group or name,
        marker=dict(symbol="square", size=12, color=colour, line=dict(width=0.5, color="#888888")),
        hoverinfo="skip",
        meta=meta,
        _validate=validate,
    )


def _escaped(value) -> str:
    """``value`` as HTML-escaped text; a gap becomes ""."""
    return "" if pd.isna(value) else render.escape(str(value))


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
    # One layout update, not add_hline per line: add_hline costs about a millisecond each, and an
    # explorer redraws its separators on every filter change.
    fig.update_layout(shapes=[*fig.layout.shapes, *separator_lines(boundaries)])


def separator_lines(boundaries: list[float]) -> list[dict]:
    """The lines of :func:`_separators` as plain layout shapes, for a layout built as a dict."""
    return [
        {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "line": {"color": "#888888", "width": 1}}
        | {"y0": y, "y1": y}
        for y in boundaries
    ]
