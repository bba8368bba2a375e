"""What every app shares: the base :class:`Explorer`, its root widget, and refilling live figures.

Every app (the explorers, the chart studio, the importer) is an :class:`Explorer`: it builds its
widgets in ``__init__``, registers the controls that change what it shows with :meth:`Explorer._watch`,
and routes every change through one ``_on_change -> _update`` path. Changes made by the app itself
(a reset, a slider following its forum) happen inside :meth:`Explorer._quietly`, so they cost one
update, not one per control.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import BasePlotlyType

from briefing import tidy
from briefing.accessible import StatusLine
from briefing.details_panel import DetailsPanel


def live_figure(figure: go.Figure) -> go.FigureWidget:
    """A live (clickable, refillable) copy of ``figure`` that shares plotly's bundle with the others."""
    # Imported here: plotly's widget machinery costs about a second and only explorers need it.
    from briefing.live_figure import LiveFigure

    return LiveFigure(figure)


class ExplorerBox(widgets.VBox):
    """An explorer's root widget; tells the explorer when a reader first sees it.

    Notebooks may set an explorer's filters in code before showing it (a notebook presetting a
    search); "Reset filters" then brings back that first view, not an unfiltered one.
    """

    def __init__(self, children, *, on_first_display, **options):
        super().__init__(children, **options)
        self._on_first_display = on_first_display

    def _repr_mimebundle_(self, **options):
        if self._on_first_display is not None:
            self._on_first_display()
            self._on_first_display = None
        return super()._repr_mimebundle_(**options)


class FirstView:
    """The values of an explorer's filter controls when it was first shown; reset restores them."""

    def __init__(self):
        self.values: list[tuple[widgets.ValueWidget, object]] | None = None

    def remember(self, controls) -> None:
        self.values = [(control, control.value) for control in controls]

    def restore(self) -> bool:
        """Put every control back; False if the explorer was never shown (nothing to restore)."""
        if self.values is None:
            return False
        for control, value in self.values:
            control.value = value
        return True


def replace_children(box: widgets.Box, *children: widgets.Widget) -> None:
    """Show ``children`` in ``box`` and close what it showed before (and what that held), so old
    figures free their comms."""
    previous = box.children
    box.children = children
    for widget in previous:
        for child in getattr(widget, "children", ()):
            child.close()
        widget.close()


# meta too: it says what a trace holds (a map layer's countries), and alt text and tests read it.
# hovertext too: a bar chart's hover labels (and its data table's details) name its bars.
_REFILLED = ("x", "y", "z", "base", "text", "hovertext", "customdata", "fillcolor", "showlegend", "meta")
_STYLE_KEYS = ("fillcolor", "showlegend", "meta")  # copied when present, never emptied
_EMPTIED: dict[str, list] = {"z": [[]]}
# The layout keys a selection can change: the message and source line, the separators, and the
# height and margins of a chart with one row per item; the legend; the axes' categories, range,
# ticks, and whether there are axes at all (an empty selection has only the message).
_LAYOUT_KEYS = ("annotations", "shapes", "height", "margin", "showlegend")
_AXIS_KEYS = ("categoryarray", "ticktext", "tickvals", "range", "visible", "dtick", "tick0")
_KEPT_AXIS_KEYS = ("categoryarray", "ticktext", "tickvals")  # copied when set, never emptied


def refill(figure: go.FigureWidget, fresh: go.Figure) -> None:
    """Copy the data of ``fresh`` into the live ``figure``, trace by trace (matched by name).

    The live widget is never rebuilt: its traces keep their identity and click handlers, and one
    ``batch_update`` sends one message to the browser, holding only what changed. Traces that
    ``fresh`` lacks are emptied.
    """
    # What changed is found on both figures' plain property dicts (``_data``, ``_layout``): asking
    # plotly's trace objects for each of ten keys of every trace cost a map of 32 traces 10 ms.
    # The names are the kernel's own too: once a page has drawn the figure, ``trace.name`` of a
    # live figure falls back to the defaults plotly.js reports ("trace 0"), which match nothing.
    by_name = {props.get("name"): props for props in fresh._data}
    changes = [
        (index, key, value)
        for index, props in enumerate(figure._data)
        for key, value in _trace_changes(props, by_name.get(props.get("name"))).items()
    ]
    layout = _layout_changes(figure._layout, fresh._layout)
    if not changes and not layout:
        return
    with figure.batch_update():
        # Only what changed is assigned (and so checked by plotly and sent to the page).
        for index, key, value in changes:
            figure.data[index][key] = value
        for path, value in layout.items():
            figure.layout[path] = value


def _trace_changes(current: dict, source: dict | None) -> dict:
    """The refilled keys whose value in ``source`` differs from ``current`` (emptied without a source)."""
    changes: dict[str, object] = {}
    for key in _REFILLED:
        if source is None:
            if key in _STYLE_KEYS or not _has_items(current.get(key)):
                continue
            changes[key] = _EMPTIED.get(key, [])
        elif not _same(current.get(key), source.get(key)):
            changes[key] = source.get(key)
    return changes


def _layout_changes(current: dict, fresh: dict) -> dict:
    changes = {key: fresh.get(key) for key in _LAYOUT_KEYS if not _same(current.get(key), fresh.get(key))}
    title = fresh.get("title", {}).get("text")
    if not _same(current.get("title", {}).get("text"), title):
        changes["title.text"] = title
    for axis in ("xaxis", "yaxis"):
        now, wanted = current.get(axis, {}), fresh.get(axis, {})
        for key in _AXIS_KEYS:
            value = wanted.get(key)
            if (value is not None or key not in _KEPT_AXIS_KEYS) and not _same(now.get(key), value):
                changes[f"{axis}.{key}"] = value
    return changes


def _has_items(value) -> bool:
    return value is not None and len(value) > 0 and not _same(value, [[]])


def _same(current, fresh) -> bool:
    """Equal values, arrays and nested lists included, and float arrays with gaps (NaN) too.

    plotly's own check before sending a change counts NaN as unequal to itself, so a map (its
    rings split by NaN) sent its unchanged outlines again on every filter change: 200 kB for the world."""
    numbers = isinstance(current, np.ndarray) and isinstance(fresh, np.ndarray)
    if numbers and current.dtype.kind == fresh.dtype.kind == "f":
        return np.array_equal(current, fresh, equal_nan=True)
    try:
        return bool(BasePlotlyType._vals_equal(current, fresh))
    except ValueError:  # numpy refuses to compare ragged rows: count them as changed
        return False


class Explorer:
    """The one shape of every app: widgets built in ``__init__``, one ``_on_change -> _update`` path.

    A subclass builds its controls, passes the ones that change what it shows to :meth:`_watch`,
    puts its widgets in :meth:`_root` as ``self.widget`` and calls ``self._update()`` once.
    :meth:`reset` brings back the filters as they were when the app was first shown (or, if it
    never was, :meth:`_restore_defaults`), in one update.
    """

    EMPTY_MESSAGE = "Nothing matches these filters. Widen them, or press Reset."
    HINT = "<p><i>Click a mark on the chart to read the full record and its sources.</i></p>"
    #: The app's root widget (set by each app with :meth:`_root`); show it as a cell's last expression.
    widget: ExplorerBox

    def __init__(self) -> None:
        # A live region: a screen reader says what a filter change left (or that nothing matches).
        self.status = StatusLine()
        self.details = DetailsPanel(hint=self.HINT)
        self.reset_button = widgets.Button(description="Reset filters")
        self.reset_button.on_click(self._on_reset)
        self._updating = False
        self._filters: tuple[widgets.ValueWidget, ...] = ()
        self._defaults: dict[widgets.ValueWidget, object] = {}
        self._first_view = FirstView()

    def _watch(self, *controls: widgets.ValueWidget) -> None:
        """Controls whose changes update the app; their values now are the defaults a reset restores."""
        self._filters += controls
        for control in controls:
            self._defaults[control] = control.value
            control.observe(self._on_change, names="value")

    def _root(self, children, css_class: str) -> ExplorerBox:
        """The app's root widget, which remembers the filters it was first shown with."""
        box = ExplorerBox(children, on_first_display=lambda: self._first_view.remember(self._filters))
        box.add_class(css_class)
        return box

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Change controls without an update per change (the caller updates once afterwards)."""
        before, self._updating = self._updating, True
        try:
            yield
        finally:
            self._updating = before

    def _on_change(self, _change=None) -> None:
        if not self._updating:
            self._update()

    def _on_reset(self, _button=None) -> None:
        self.reset()

    def reset(self) -> None:
        """Put the filters back as they were first shown (or to their defaults), in one update."""
        with self._quietly():
            if not self._first_view.restore():
                self._restore_defaults()
        self.details.value = self.HINT
        self._update()

    def _restore_defaults(self) -> None:
        """The watched controls' values when they were registered (override to keep some as they are)."""
        for control, value in self._defaults.items():
            control.value = value

    def _say_count(self, count: int, noun: str, plural: str | None = None) -> None:
        if count == 0:
            self.status.value = f"<p class='briefing-empty'><b>{self.EMPTY_MESSAGE}</b></p>"
        else:
            self.status.value = f"<p class='briefing-count'>Showing {tidy.count_of(count, noun, plural)}.</p>"

    def _update(self) -> None:  # pragma: no cover - each app says what it shows
        raise NotImplementedError


def labelled(column: str, values) -> list[tuple[str, str]]:
    """Picker options for the distinct ``values`` of ``column``: (what a reader reads, the code)."""
    return sorted((tidy.label_of(column, value), str(value)) for value in pd.unique(values))


def multi(options, description: str, rows: int = 6) -> widgets.SelectMultiple:
    """A multiple-choice picker with nothing chosen (nothing chosen means all)."""
    return widgets.SelectMultiple(
        options=options,
        value=(),
        description=description,
        rows=min(rows, len(options)),
        layout=widgets.Layout(width="330px"),
    )
