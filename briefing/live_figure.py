"""A plotly FigureWidget that draws what the kernel holds, and ships plotly's 5 MB bundle once.

Two things plotly's own ``FigureWidget`` gets wrong in a page, both fixed here:

- **What the page draws can differ from the kernel.** The browser's figure model keeps the figure
  it was created with: plotly applies later commands (restyle, relayout) to a copy that it throws
  away, and only views that already exist follow them. So a filter set in code before the chart is
  shown (a notebook presetting an explorer), or a page reloaded in JupyterLab, drew the figure as it
  was first built. Here each view, before it draws, asks the kernel for the figure as it is now
  (``briefing:resync``) and draws that; later commands reach it as usual.
- **numpy arrays in commands drew as nothing.** plotly sends 1-D numeric arrays as binary buffers
  and reads them back ignoring the buffer's offset in the message, so a refill with numpy arrays
  left a chart blank. Every value this widget sends is plain JSON (arrays become lists).

And one cost: ``FigureWidget`` sends plotly's whole widget bundle as the module of every instance.
:class:`LiveFigure` has a small module (``assets/live_figure.js``) that imports the bundle from
one shared carrier widget.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from copy import deepcopy
from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io._renderers
import traitlets
from plotly.basedatatypes import Undefined
from plotly.serializers import custom_serializers

from briefing.accessible import chart_table, open_point, plain_text
from briefing.alt_text import alt_text

# Why plotly's renderers are imported first: measured in a Jupyter kernel, importing
# FigureWidget directly from inside another module's import took 3.4-4.4 s, and importing the
# renderers first (which FigureWidget needs anyway) then FigureWidget took 1.2 s. Plain Python
# shows no difference; benchmarks/run.py (notebook figures) keeps an eye on it.

LOADER = Path(__file__).parent / "assets" / "live_figure.js"
# The chart's text alternative and data table (briefing.accessible), drawn around the plot.
ALTERNATIVE = Path(__file__).parent / "assets" / "chart_alternative.js"
PAGE_HELPERS = Path(__file__).parent / "assets" / "page_helpers.js"
RESYNC = "briefing:resync"
OPEN = "briefing:open"
# Set (to anything but "" or "0") in the kernel's environment, each live figure also publishes the
# data of its traces as JSON, so that a browser test can compare what the page drew with the kernel.
EXPOSE_STATE_VARIABLE = "BRIEFING_EXPOSE_FIGURE_STATE"
COMPARED_KEYS = ("x", "y", "z", "base", "customdata")


@lru_cache(maxsize=1)
def _plotly_widget_bundle() -> str:
    return (Path(plotly.__file__).parent / "package_data" / "widgetbundle.js").read_text(encoding="utf-8")


class PlotlyBundle(widgets.Widget):
    """Carries plotly's widget bundle to the browser; never displayed."""

    source = traitlets.Unicode().tag(sync=True)


_carrier: PlotlyBundle | None = None


def plotly_bundle() -> PlotlyBundle:
    """The kernel's one carrier, opened again if something closed it (e.g. ``Widget.close_all``)."""
    global _carrier
    if _carrier is None or _carrier.comm is None:
        _carrier = PlotlyBundle(source=_plotly_widget_bundle())
    return _carrier


_PLAIN_TYPES = (str, int, float, bool, type(None))  # exactly these types: numpy's subclasses are converted


def plain(value, _widget_manager=None):
    """``value`` as plain JSON types: arrays as lists, numpy scalars as numbers, dates as ISO text."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        # Plain items are kept without a call each: a grid's hover text is thousands of strings.
        return [item if type(item) in _PLAIN_TYPES else plain(item) for item in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            # A map's rings are split by NaN, which JSON has no word for: null is plotly's gap.
            gaps = value.astype(object)
            gaps[np.isnan(value)] = None
            return gaps.tolist()
        if value.dtype.kind == "M":  # datetime64[ns].tolist() would give integers
            value = value.astype("datetime64[us]")
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if value is Undefined:
        return "_undefined_"
    return value


_PLAIN = {"to_json": plain, "from_json": custom_serializers["from_json"]}


def _plain_trait(trait_type, **options):
    return trait_type(**options).tag(sync=True, **_PLAIN)


def _page_to_kernel_trait():
    return traitlets.Dict(allow_none=True).tag(sync=True, echo_update=False, **custom_serializers)


class LiveFigure(go.FigureWidget):
    """``go.FigureWidget`` that draws the kernel's figure as it is now and shares plotly's bundle."""

    # One module: the page's helpers and the text alternative's functions, then the loader.
    _esm = "\n".join(path.read_text(encoding="utf-8") for path in (PAGE_HELPERS, ALTERNATIVE, LOADER))
    _plotly_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **widgets.widget_serialization)
    # How many times the kernel has sent the whole figure because a view asked for it.
    _briefing_sync = traitlets.Int(0).tag(sync=True)
    # The traces' data as JSON, only where EXPOSE_STATE_VARIABLE is set (browser tests).
    _briefing_kernel_state = traitlets.Unicode("").tag(sync=True)
    # The chart's accessible name (its drafted alt text), kept current after every change.
    _briefing_alt = traitlets.Unicode("").tag(sync=True)
    # Its "show the data" table as JSON, sent only while a reader has the table open.
    _briefing_table = traitlets.Unicode("").tag(sync=True)
    _briefing_table_wanted = traitlets.Bool(False).tag(sync=True)

    # plotly's own traits, sent as plain JSON (see the module's docstring).
    _widget_layout = _plain_trait(traitlets.Dict)
    _widget_data = _plain_trait(traitlets.List)
    _py2js_addTraces = _plain_trait(traitlets.Dict, allow_none=True)
    _py2js_restyle = _plain_trait(traitlets.Dict, allow_none=True)
    _py2js_relayout = _plain_trait(traitlets.Dict, allow_none=True)
    _py2js_update = _plain_trait(traitlets.Dict, allow_none=True)
    _py2js_animate = _plain_trait(traitlets.Dict, allow_none=True)

    # What the page tells the kernel (the defaults plotly.js filled in after each redraw, clicks,
    # hovers): ipywidgets would echo each message back to the page, 10-30 kB for every redraw of
    # a chart that the page only parses and drops.
    _js2py_traceDeltas = _page_to_kernel_trait()
    _js2py_layoutDelta = _page_to_kernel_trait()
    _js2py_restyle = _page_to_kernel_trait()
    _js2py_relayout = _page_to_kernel_trait()
    _js2py_update = _page_to_kernel_trait()
    _js2py_pointsCallback = _page_to_kernel_trait()

    def __init__(self, data=None, *args, **kwargs):
        # A figure a chart function built was checked by plotly property by property as it was
        # built; FigureWidget(figure) checks all of it again (30-50 ms a chart, and a notebook
        # opens 3 to 9). Copied unchecked, it sends the same JSON; every later change is checked.
        checked_already = isinstance(data, go.Figure) and data._validate and not args and "_validate" not in kwargs
        super().__init__(data, *args, **({"_validate": False} if checked_already else {}), **kwargs)
        if checked_already:
            _check_changes_from_now_on(self)
        self._expose_state = os.environ.get(EXPOSE_STATE_VARIABLE, "") not in ("", "0")
        self.on_msg(self._on_front_end_message)
        self._publish_state()

    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self) -> PlotlyBundle:
        return plotly_bundle()

    def _on_front_end_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == RESYNC:
            self.resync()
        elif isinstance(content, dict) and content.get("event") == OPEN:
            open_point(self, int(content.get("trace", -1)), content.get("point"))

    # What plotly.js filled in after each redraw (defaults, and each trace's data as the page holds
    # it). plotly's handlers store it and, for every property the kernel set too, drop the kernel's
    # own value; the next refill then found the map's world outline "changed" and sent its 10,000
    # points again (140 kB, every other filter change). The kit never reads plotly.js's defaults,
    # so they are ignored (plain methods replace plotly's observers); the page does not send them.
    def _handler_js2py_traceDeltas(self, change) -> None:
        pass

    def _handler_js2py_layoutDelta(self, change) -> None:
        pass

    def resync(self) -> None:
        """Send the whole figure as the kernel holds it now; a view waiting to draw draws this."""
        with self.hold_sync():
            self._widget_layout = deepcopy(self._layout_obj._props)
            self._widget_data = deepcopy(self._data)
            self._briefing_sync += 1
        self._publish_state()

    @traitlets.observe("_py2js_restyle", "_py2js_update", "_py2js_relayout", "_py2js_addTraces")
    def _after_command(self, change) -> None:
        # plotly sets each command, then None; the figure's data is current by then.
        if change["new"] is not None:
            self._publish_state()

    def _publish_state(self) -> None:
        if getattr(self, "_expose_state", False):
            self._briefing_kernel_state = json.dumps(kernel_state(self))
        self._describe()

    @traitlets.observe("_briefing_table_wanted")
    def _describe(self, _change=None) -> None:
        """The accessible name, and the table if a reader has it open, from the figure as it is now."""
        self._briefing_alt = alt_text(self)
        if self._briefing_table_wanted:
            openable = {index for index, trace in enumerate(self.data) if getattr(trace, "_click_callbacks", None)}
            table = chart_table(
                plain(self._data),
                x_title=self.layout.xaxis.title.text,
                y_title=self.layout.yaxis.title.text,
                openable=openable,
            )
            title = plain_text(str(self.layout.title.text or "Chart").split("<br>")[0])
            self._briefing_table = json.dumps({"title": title, **table})


def _check_changes_from_now_on(figure: go.FigureWidget) -> None:
    """Turn plotly's checks back on for the figure, its layout, its traces and what they hold."""
    figure._validate = True
    pending = [figure._layout_obj, *figure._data_objs]
    while pending:
        item = pending.pop()
        item._validate = True
        pending.extend(item._compound_props.values())
        pending.extend(child for children in item._compound_array_props.values() for child in children)


def kernel_state(figure: go.Figure) -> list[dict]:
    """What each trace holds, as set in the kernel (not the defaults plotly.js reports back)."""
    traces = []
    for trace in figure.data:
        props = trace.to_plotly_json()
        entry = {"name": props.get("name"), "type": props.get("type")}
        entry.update({key: plain(props[key]) for key in COMPARED_KEYS if props.get(key) is not None})
        traces.append(entry)
    return traces
