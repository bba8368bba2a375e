"""Live figures share one copy of plotly's widget bundle instead of sending it with every figure.

That the shared bundle really draws and answers clicks in a browser is shown by the Voilà and
JupyterLab tests in test_browser.py; here, what the kernel sends.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import plotly.graph_objects as go

from briefing import controls
from briefing.live_figure import LiveFigure, PlotlyBundle

PLOTLY_BUNDLE = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"


def _bar() -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))


def test_every_live_figure_refers_to_one_carrier_of_plotlys_bundle():
    first, second = LiveFigure(_bar()), LiveFigure(_bar())
    carrier = first._plotly_bundle
    assert isinstance(carrier, PlotlyBundle) and second._plotly_bundle is carrier
    assert carrier.source == PLOTLY_BUNDLE.read_text(encoding="utf-8")
    for figure in (first, second):
        state = figure.get_state()
        assert state["_plotly_bundle"] == f"IPY_MODEL_{carrier.model_id}"
        # The figure's own module is the small loader (and the chart's text alternative,
        # briefing/assets/chart_alternative.js), not the 5 MB bundle.
        assert len(state["_esm"]) < 20_000 < len(carrier.source)
        assert "_plotly_bundle" in state["_esm"]


def test_a_closed_carrier_is_replaced_by_an_open_one():
    old = LiveFigure(_bar())._plotly_bundle
    old.close()  # as Widget.close_all() would, without closing other tests' widgets
    fresh = LiveFigure(_bar())._plotly_bundle
    assert old.comm is None and fresh is not old and fresh.comm is not None


def test_a_live_figure_keeps_plotlys_python_api():
    figure = LiveFigure(_bar())
    with figure.batch_update():
        figure.data[0].y = [3, 4]
    assert list(figure.data[0].y) == [3, 4]
    assert isinstance(figure, go.FigureWidget)


def test_explorers_draw_live_figures():
    explorer = controls.ForumExplorer.from_package()
    assert isinstance(explorer.lifespans, LiveFigure) and isinstance(explorer.positions, LiveFigure)
    assert explorer.lifespans._plotly_bundle is explorer.positions._plotly_bundle


def test_chart_studio_closes_the_preview_it_replaces():
    studio = controls.ChartStudio.from_package()
    ((old_preview,),) = (frame.children for frame in studio.preview_box.children)
    studio.title.value = "A new title"
    ((new_preview,),) = (frame.children for frame in studio.preview_box.children)
    assert new_preview is not old_preview and old_preview.comm is None and new_preview.comm is not None
