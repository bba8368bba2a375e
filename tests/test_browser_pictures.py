"""The export presets' pictures as chromium draws them: text measured where plotly.js put it, not
estimated. Each dressed figure is drawn by plotly.js in one page (offline: plotly.js inline), and
the boxes of its notes, legend, tick labels, title and source line are read from the SVG."""

from __future__ import annotations

import json

import plotly.offline
import pytest

from briefing import charts, data, export, theme, tidy

pytestmark = pytest.mark.browser

PRESETS = list(export.PRESETS)

_MEASURE = """
async (spec) => {
  const fig = JSON.parse(spec);
  const gd = document.getElementById("chart");
  await Plotly.newPlot(gd, fig.data, fig.layout, {staticPlot: true});
  const origin = gd.getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left - origin.left, right: r.right - origin.left, top: r.top - origin.top,
            bottom: r.bottom - origin.top};
  };
  const full = gd._fullLayout;
  const axes = {};
  for (const key of Object.keys(full)) {
    if (/^[xy]axis\\d*$/.test(key)) axes[key] = {offset: full[key]._offset, length: full[key]._length};
  }
  const legend = gd.querySelector("g.legend");
  return {
    size: full._size,
    axes,
    notes: [...gd.querySelectorAll("g.annotation")].map(
      (g) => ({index: Number(g.getAttribute("data-index")), ...box(g.querySelector("text"))})),
    legend: legend ? box(legend) : null,
    xticks: [...gd.querySelectorAll("g.xtick text, g.x2tick text, g.x3tick text")].map(box),
    title: box(gd.querySelector(".gtitle")),
    flow_labels: [...gd.querySelectorAll(".sankey-node text.node-label")].map(box),
    counts: [...gd.querySelectorAll("g.textpoint text")].map(box),
  };
}
"""


@pytest.fixture(scope="module")
def draw(browser):
    context = browser.new_context(viewport={"width": 2000, "height": 1200})
    page = context.new_page()
    page.set_content(
        f'<html><body style="margin:0"><script>{plotly.offline.get_plotlyjs()}</script><div id="chart"></div></body></html>'
    )

    def drawn(fig, preset):
        dressed = export.publication_figure(fig, preset=preset)
        return dressed, page.evaluate(_MEASURE, dressed.to_json())

    yield drawn
    context.close()


def _named(dressed, drawn, prefix):
    """The drawn boxes of the annotations whose name starts with ``prefix``, with the annotation."""
    annotations = dressed.layout.annotations
    return [
        (annotations[n["index"]], n) for n in drawn["notes"] if (annotations[n["index"]].name or "").startswith(prefix)
    ]


@pytest.mark.parametrize("preset", PRESETS)
def test_un_votes_notes_end_before_the_next_panel_and_the_legend_sits_between_scale_and_source(draw, preset):
    dressed, drawn = draw(charts.un_votes_over_time(data.load("un_votes")), preset)
    committee_left = drawn["axes"]["xaxis3"]["offset"]
    width = dressed.layout.width
    notes = _named(dressed, drawn, "not recorded:")
    assert notes
    for note, box in notes:
        limit = committee_left - 2 if note.xref == "x2" else width
        assert box["right"] <= limit, (preset, note.name, note.text, box["right"], limit)
    legend = drawn["legend"]
    (_, source), *_ = _named(dressed, drawn, theme.SOURCE_LINE_NAME)
    assert legend["top"] >= max(tick["bottom"] for tick in drawn["xticks"]), preset
    assert legend["bottom"] <= source["top"], (preset, legend, source)
    assert legend["left"] >= 0 and legend["right"] <= width, preset


@pytest.mark.parametrize("preset", ["newsletter", "square", "slide"])
def test_a_legend_above_the_plot_stays_under_the_title(draw, preset):
    _, drawn = draw(charts.forum_landscape(data.load("forums")), preset)
    assert drawn["legend"]["top"] >= drawn["title"]["bottom"], (preset, drawn["legend"], drawn["title"])
    assert drawn["legend"]["bottom"] <= drawn["size"]["t"] + 1, preset


def _overlapping(boxes):
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    ]


@pytest.mark.parametrize("preset", PRESETS)
def test_flow_labels_do_not_run_into_each_other(draw, preset):
    _, drawn = draw(charts.recommendations_flow(tidy.recommendations_frame()), preset)
    assert len(drawn["flow_labels"]) > 20
    assert _overlapping(drawn["flow_labels"]) == [], preset


@pytest.mark.parametrize("preset", ["newsletter", "square", "slide"])
def test_grid_counts_do_not_run_into_each_other(draw, preset):
    fig = charts.attributions_directions(data.load("attributions"), data.load("incidents"))
    _, drawn = draw(fig, preset)
    assert len(drawn["counts"]) > 30
    assert _overlapping(drawn["counts"]) == [], preset


def test_the_measuring_page_sees_what_a_figure_draws(draw):
    # The measure itself: a note placed at a known spot is found there.
    dressed, drawn = draw(charts.un_votes_over_time(data.load("un_votes")), "slide")
    assert json.loads(dressed.to_json())["layout"]["width"] == 1920
    assert drawn["axes"]["xaxis3"]["offset"] > drawn["axes"]["xaxis2"]["offset"] > 0
    assert drawn["size"]["b"] == pytest.approx(dressed.layout.margin.b, abs=2)
