"""Charts fitted to the export presets' pictures (briefing.picture_fit): the UN votes chart's legend
under the plot, its notes inside their panels and its marks inside their rows; a legend above the
plot under the title; a flow's labels apart; a grid's counts inside their cells. Measured on the
dressed figure's layout (what plotly is told to draw), with text widths estimated generously."""

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
    # The legend's rows come on top of the plot's: each resolution keeps 24 px of it.
    margin = votes_chart.layout.margin
    plot_px = votes_chart.layout.height - (margin.t or 80) - margin.b
    assert plot_px / len(votes_chart.layout.yaxis.tickvals) >= 24 - 1


# The same fitting, on the other charts whose pictures ran text into text.


@pytest.mark.parametrize("preset", PRESETS)
def test_a_legend_the_chart_put_above_the_plot_gets_room_under_the_title(preset):
    # Forum landscape, newsletter and square: its legend (above the plot) ran over the title.
    try:
        fig = export.publication_figure(charts.forum_landscape(data.load("forums")), preset=preset)
    except export.ExportError as refused:  # 48 rows cannot be read on a social card: said, not drawn
        assert preset == "social" and "rows cannot be read" in str(refused)
        return
    body = export.PRESET_TYPE[preset]["body"]
    legend = fig.layout.legend
    assert legend.orientation == "h" and legend.y == 1 and legend.yanchor == "bottom"
    title_px = fig.layout.title.font.size * (1.4 + 1.25 * (fig.layout.title.text.count("<br>") + 1))
    names = _legend_names(fig)
    title_text_px = len(legend.title.text) * body * CHAR_WIDTH + 10
    _, rows = theme.legend_grid(names, width=theme.plot_width_px(fig, body) - title_text_px, body_size=body)
    assert rows >= 1
    assert fig.layout.margin.t >= title_px + rows * body * 1.6, (preset, fig.layout.margin.t, title_px, rows)
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"


@pytest.mark.parametrize("preset", PRESETS)
def test_flow_labels_stand_as_far_apart_as_they_are_tall(preset):
    # Recommendations flow, square: 24 px labels on nodes 12 px apart ran into each other.
    from briefing import tidy

    fig = export.publication_figure(charts.recommendations_flow(tidy.recommendations_frame()), preset=preset)
    flow = next(t for t in fig.data if t.type == "sankey")
    assert flow.textfont.size >= 8 and flow.node.pad >= flow.textfont.size * 1.2, (preset, flow.node.pad)
    if preset == "newsletter":  # a column scrolls: the picture grows and the type stays the preset's
        assert flow.textfont.size == export.PRESET_TYPE[preset]["body"]


@pytest.mark.parametrize("preset", ["newsletter", "square", "slide"])
def test_grid_counts_and_upright_column_labels_fit_their_cells(preset):
    # Attributions grid, square and slide: 24-26 px counts on 14-18 px rows ran into the next
    # row's; upright two-line labels ("North<br>Korea") stood side by side into the next column's.
    attributions, incidents = data.load("attributions"), data.load("incidents")
    fig = export.publication_figure(charts.attributions_directions(attributions, incidents), preset=preset)
    row_px = fig.layout.yaxis.tickfont.size or export.PRESET_TYPE[preset]["body"]
    counts = [t for t in fig.data if (t.meta or {}).get("counts")]
    assert counts and all((t.textfont.size or fig.layout.font.size) <= row_px for t in counts), preset
    if fig.layout.xaxis.tickangle == -90:
        assert not any("<br>" in label for label in fig.layout.xaxis.ticktext), preset


@pytest.mark.parametrize("preset", PRESETS)
def test_forum_dots_stay_a_step_apart(preset):
    # Forum positions, square: 22 px dots (diamonds reach 1.3 times that) on a 20 px step ran
    # into each other in the narrow plot beside the legend.
    fig = export.publication_figure(charts.forum_positions(data.load("forums")), preset=preset)
    body = export.PRESET_TYPE[preset]["body"]
    layout = fig.layout
    step_x, step_y = layout.meta.get("mark_step", (0.16, 0.14))  # the step the chart sets its dots apart
    left = max(layout.margin.l or 80, max(len(t) for t in layout.yaxis.ticktext) * body * CHAR_WIDTH + 20)
    legend_px = 0
    if layout.legend.orientation != "h":
        legend_px = max(len(n) for n in _legend_names(fig)) * (layout.legend.font.size or body) * CHAR_WIDTH + 40
    plot_w = layout.width - left - (layout.margin.r or 0) - legend_px
    plot_h = layout.height - layout.margin.t - layout.margin.b
    step_px = min(
        step_x / (layout.xaxis.range[1] - layout.xaxis.range[0]) * plot_w,
        step_y / (layout.yaxis.range[1] - layout.yaxis.range[0]) * plot_h,
    )
    for trace in fig.data:
        assert trace.marker.size * 1.3 <= step_px, (preset, trace.name, trace.marker.size, step_px)
