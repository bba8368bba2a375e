"""Live figures share one copy of plotly's widget bundle instead of sending it with every figure.

That the shared bundle really draws and answers clicks in a browser is shown by the Voilà and
JupyterLab tests in test_browser.py; here, what the kernel sends.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
from plotly.basedatatypes import BasePlotlyType, Undefined

from briefing import controls
from briefing.controls.base import refill
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


def _sent_by(figure: LiveFigure) -> list[dict]:
    """Each update message the figure sends: {trace index: the properties sent for it}."""
    sent: list[dict] = []
    send = figure._send_update_msg

    def record(restyle_data, relayout_data, trace_indexes=None, **options):
        per_trace: dict = {}
        for key, values in restyle_data.items():
            for index, value in zip(trace_indexes or [], values):
                if value is not Undefined:
                    per_trace.setdefault(index, set()).add(key)
        sent.append(per_trace)
        return send(restyle_data=restyle_data, relayout_data=relayout_data, trace_indexes=trace_indexes, **options)

    figure._send_update_msg = record
    return sent


def test_a_refill_sends_no_outline_that_did_not_change():
    # A map's rings are split by NaN; plotly counts NaN unequal to itself and sent them every time.
    explorer = controls.PositionsExplorer.from_package()
    world = next(index for index, trace in enumerate(explorer.map.data) if trace.name == "no position in the kit")
    sent = _sent_by(explorer.map)
    for region in ("Europe", "", "Asia"):
        explorer.region.value = region
    assert len(sent) == 3 and all("meta" in message[world] for message in sent)  # who has no position: sent
    assert not any({"x", "y"} & message[world] for message in sent)  # the world's outline: never again
    europe = {"x", "y"} & set().union(*(message.get(1, set()) for message in sent))
    assert europe == {"x", "y"}  # the stances' layers are refilled


def test_a_forum_change_sends_the_participants_outlines_but_never_the_worlds():
    # The grey world is drawn whole under the participants, so its 10,000 points never change.
    explorer = controls.ParticipationExplorer.from_package()
    world = next(index for index, trace in enumerate(explorer.map.data) if trace.name == "not taking part")
    outline = explorer.map.data[world].x
    sent = _sent_by(explorer.map)
    for forum in ("paris_call", "osce", explorer.forum_picker.value):
        explorer.forum_picker.value = forum
        grey = set(explorer.map.data[world].meta["countries"])
        assert grey and not grey & set(explorer.map.data[1].meta["countries"])  # the meta still names who is not
    assert len(sent) == 3 and all("meta" in message[world] for message in sent)
    assert not any({"x", "y"} & message[world] for message in sent)
    assert all({"x", "y"} <= message[1] for message in sent)  # the participants' outlines are refilled
    assert explorer.map.data[world].x is outline or np.array_equal(explorer.map.data[world].x, outline, equal_nan=True)


def test_a_refill_assigns_only_what_it_sends(monkeypatch):
    # Every property assigned to a trace is checked by plotly first; a refill that assigned every
    # refilled key of every trace (ten keys of a map's 32 traces) spent most of its time there.
    explorer = controls.PositionsExplorer.from_package()
    traces = {id(trace): index for index, trace in enumerate(explorer.map.data)}
    assigned: set = set()
    setitem = BasePlotlyType.__setitem__

    def record(self, prop, value):
        if id(self) in traces:
            assigned.add((traces[id(self)], prop))
        return setitem(self, prop, value)

    monkeypatch.setattr(BasePlotlyType, "__setitem__", record)
    sent = _sent_by(explorer.map)
    for region in ("Europe", "Asia", ""):
        assigned.clear()
        explorer.region.value = region
        assert assigned and assigned == {(index, key) for index, keys in sent[-1].items() for key in keys}
    assert len(sent) == 3


def test_what_plotly_js_reports_back_leaves_the_kernels_figure_as_it_was():
    ring = np.array([1.0, np.nan, 2.0])  # as a map's outlines come: rings split by NaN
    figure = LiveFigure(go.Figure(go.Scatter(x=ring, y=ring)))
    trace = figure.data[0]
    # What plotly's view reports after a redraw: the defaults it filled in and the data it holds.
    figure._js2py_traceDeltas = {
        "trace_deltas": [{"uid": trace.uid, "x": [1, None, 2], "mode": "lines"}],
        "trace_edit_id": figure._last_trace_edit_id,
    }
    figure._js2py_layoutDelta = {"layout_delta": {"height": 450}, "layout_edit_id": figure._last_layout_edit_id}
    assert "x" in trace._props and trace.mode is None and figure.layout.height is None
    sent = _sent_by(figure)
    refill(figure, go.Figure(go.Scatter(x=ring.copy(), y=ring + 2)))
    assert sent == [{0: {"y"}}]  # the unchanged x stays in the kernel, so it is not sent again


def _as_sent(figure_json: dict) -> dict:
    """The figure as the page receives it (arrays as lists), without the random trace ids."""
    parsed = json.loads(plotly.io.to_json(figure_json, validate=False))
    return {**parsed, "data": [{k: v for k, v in trace.items() if k != "uid"} for trace in parsed["data"]]}


def test_a_live_figure_holds_and_sends_exactly_what_the_chart_built():
    # Built from a chart's figure without plotly checking every property a second time: it must
    # hold and send the chart's own figure, for charts with annotations, subplots, maps, templates.
    from briefing import charts, data

    built = [
        charts.incidents_by_year(data.load("incidents"), as_of=data.as_of()),
        charts.un_votes_over_time(data.load("un_votes"), as_of=data.as_of()),
        go.Figure(controls.PositionsExplorer.from_package().map),
        go.Figure(controls.TimelineExplorer.from_package().figure),
    ]
    for figure in built:
        live = LiveFigure(figure)
        assert _as_sent(live.to_plotly_json()) == _as_sent(figure.to_plotly_json())
        sent = {"data": live._widget_data, "layout": live._widget_layout}
        assert _as_sent(sent) == _as_sent({"data": figure._data, "layout": figure._layout})


def test_a_live_figure_checks_every_change_after_it_is_built():
    import pandas as pd
    import pytest

    live = LiveFigure(
        go.Figure(go.Scatter(x=[1, 2], y=[3, 4], marker={"color": "red"}), layout={"title": {"text": "t"}})
    )
    live.data[0].y = pd.Series([5, 6])  # coerced, as plotly does for any figure
    assert isinstance(live.data[0].y, np.ndarray) and list(live.data[0].y) == [5, 6]
    with pytest.raises(ValueError):
        live.data[0].marker.colour = "blue"  # a nested property's typo is refused
    with pytest.raises(ValueError):
        live.layout.title.txt = "a typo"
    with pytest.raises(ValueError):
        live.data[0].mode = "not a mode"
    with pytest.raises(ValueError):
        live.layout.xaxis.range = "not a range"
