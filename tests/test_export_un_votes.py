"""The UN votes chart at every export preset: its legend under the plot, its notes inside their
panels, its sponsor marks inside their rows. Measured on the dressed figure's layout (what plotly
is told to draw), with text widths estimated generously."""

from __future__ import annotations

import pytest

from briefing import charts, data, export, theme

PRESETS = list(export.PRESETS)
# A character of the kit's sans-serif type is at most about this many times its size wide.
CHAR_WIDTH = 0.55


@pytest.fixture(scope="module")
def votes_chart():
    return charts.un_votes_over_time(data.load("un_votes"))


@pytest.fixture(scope="module", params=PRESETS)
def dressed(request, votes_chart):
    return request.param, export.publication_figure(votes_chart, preset=request.param)


def _legend_names(fig):
    return [str(t.name) for t in fig.data if t.name and t.showlegend is not False]


def _plot_px(fig, body):
    """The plot's width: the picture less its margins (the row labels widen the left one), less a
    legend beside it (plotly widens the right margin to fit one)."""
    layout = fig.layout
    left = max(layout.margin.l or 80, theme._row_label_px(fig, body))
    beside = 0
    if layout.legend.orientation != "h":
        beside = max(len(name) for name in _legend_names(fig)) * body * CHAR_WIDTH + 40
    return layout.width - left - (layout.margin.r or 0) - beside


def test_the_legend_lies_in_rows_under_the_plot_above_the_source_line(dressed):
    preset, fig = dressed
    body = export.PRESET_TYPE[preset]["body"]
    legend, margin = fig.layout.legend, fig.layout.margin
    assert legend.orientation == "h" and legend.yanchor == "top" and legend.x == 0, preset
    plot_height = fig.layout.height - margin.t - margin.b
    tick_px = -legend.y * plot_height  # the legend starts this far under the plot
    assert tick_px >= body * 1.4, f"{preset}: the legend would cover the count scale's labels"
    _, rows = theme.legend_grid(_legend_names(fig), width=_plot_px(fig, body), body_size=body)
    source = next(a for a in fig.layout.annotations if a.name == theme.SOURCE_LINE_NAME)
    assert -source.yshift >= tick_px + rows * body * 1.6, f"{preset}: the legend's rows would meet the source line"
    assert margin.b >= -source.yshift, preset


def test_every_note_ends_before_the_next_panel_or_the_picture_edge(dressed):
    # Square: with the legend beside the plot, "rest not recorded" after the 74/29 plenary bar
    # ran into the First Committee panel.
    preset, fig = dressed
    body = export.PRESET_TYPE[preset]["body"]
    layout = fig.layout
    plot_px = _plot_px(fig, body)
    starts = {"x2": layout.xaxis3.domain[0], "x3": 1.0}
    notes = [a for a in layout.annotations if (a.name or "").startswith("not recorded:")]
    assert {n.xref for n in notes} == {"x2", "x3"}
    for note in notes:
        axis = layout.xaxis2 if note.xref == "x2" else layout.xaxis3
        low, high = axis.domain
        at = low + (note.x - axis.range[0]) / (axis.range[1] - axis.range[0]) * (high - low)
        end_px = at * plot_px + note.xshift + len(note.text) * note.font.size * CHAR_WIDTH
        assert end_px <= starts[note.xref] * plot_px, (preset, note.name, note.text, end_px)


def test_sponsor_marks_stay_inside_their_rows(dressed):
    # Social: 17 px marks on 16 px rows covered their neighbours.
    preset, fig = dressed
    rows = list(fig.layout.yaxis.tickvals)
    margin = fig.layout.margin
    pitch = (fig.layout.height - margin.t - margin.b) / len(rows)
    marks = [t for t in fig.data if t.type == "scatter" and (t.meta or {}).get("sponsor") and t.y[0] is not None]
    assert marks and all(y in rows for t in marks for y in t.y)
    for trace in marks:
        assert trace.marker.size + 2 * trace.marker.line.width <= pitch, (preset, trace.name, trace.marker.size, pitch)


def test_the_live_chart_keeps_its_legend_under_the_plot_too(votes_chart):
    # The live chart in a page (02) has the same panels side by side: no legend beside them.
    legend = votes_chart.layout.legend
    assert votes_chart.layout.meta["legend_below"] and legend.orientation == "h" and legend.y < 0
    source = next(a for a in votes_chart.layout.annotations if a.name == theme.SOURCE_LINE_NAME)
    _, rows = theme.legend_grid(_legend_names(votes_chart), width=theme.plot_width_px(votes_chart, 14), body_size=14)
    assert -source.yshift >= rows * 14 * 1.6
