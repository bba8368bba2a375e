"""A plotly FigureWidget whose 5 MB JavaScript bundle reaches the browser once per kernel.

plotly's ``FigureWidget`` is an anywidget that sends plotly's whole widget bundle (plotly.js plus
the figure view) as the module of every instance: four charts in a notebook meant 20 MB over the
kernel channel, parsed four times by the browser, and stored four times in an executed notebook.
:class:`LiveFigure` is the same widget (same Python API, same front-end code) with a small module
(``assets/live_figure.js``) that imports the bundle from one shared carrier widget.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
import plotly
import plotly.io._renderers  # noqa: F401  (before FigureWidget: see below)
import plotly.graph_objects as go
import traitlets

# Why plotly's renderers are imported first: measured in a Jupyter kernel, importing
# FigureWidget directly from inside another module's import took 3.4-4.4 s, and importing the
# renderers first (which FigureWidget needs anyway) then FigureWidget took 1.2 s. Plain Python
# shows no difference; benchmarks/run.py (notebook figures) keeps an eye on it.

LOADER = Path(__file__).parent / "assets" / "live_figure.js"


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


class LiveFigure(go.FigureWidget):
    """``go.FigureWidget`` that shares one copy of plotly's bundle with every other live figure."""

    _esm = LOADER
    _plotly_bundle = traitlets.Instance(PlotlyBundle).tag(sync=True, **widgets.widget_serialization)

    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self) -> PlotlyBundle:
        return plotly_bundle()
