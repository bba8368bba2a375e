"""Widget apps (explorers) built on :mod:`briefing.charts` and the pure filters in :mod:`briefing.tidy`.

Each explorer is a small class: build the widgets once, route every change through one
``_update`` path, refill the live figure inside ``batch_update()``, and show the app with
``explorer.widget`` as a cell's last expression.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, tidy


def _details_html(details: dict, *, record_type: str) -> str:
    """The details panel for one record: escaped text, sources as links, related rows."""
    record = details["record"]
    name = record.get("name") if record_type == "incident" else record.get("title")
    date_value = record.get("start_date") if record_type == "incident" else record.get("date")
    precision = record.get("date_precision") or "day"
    parts = [
        f"<h4>{html.escape(str(name))}</h4>",
        f"<p><b>{html.escape(charts.format_date(pd.Timestamp(date_value), str(precision)))}</b>"
        f" &middot; {html.escape(record_type)}</p>",
        f"<p>{html.escape(str(record.get('summary', '')))}</p>",
    ]
    if record_type == "incident" and pd.notna(record.get("attributed_actor")):
        parts.append(
            f"<p>Attributed to: {html.escape(str(record['attributed_actor']))} "
            f"({html.escape(str(record['attribution_status']).replace('_', ' '))})</p>"
        )
    if pd.notna(record.get("note")):
        parts.append(f"<p><i>Note: {html.escape(str(record['note']))}</i></p>")
    if details["sources"]:
        links = "".join(
            f"<li><a href=\"{html.escape(str(s['url']), quote=True)}\" target=\"_blank\" rel=\"noopener\">"
            f"{html.escape(str(s['title']))}</a> ({html.escape(str(s['publisher']))})</li>"
            if pd.notna(s["url"]) else f"<li>{html.escape(str(s['title']))} ({html.escape(str(s['publisher']))})</li>"
            for s in details["sources"]
        )
        parts.append(f"<p><b>Sources</b></p><ul>{links}</ul>")
    if details["related"]:
        heading = "Responses to this incident" if record_type == "incident" else "The incident it answers"
        items = "".join(
            f"<li>{html.escape(pd.Timestamp(r['date']).strftime('%Y-%m-%d'))}: {html.escape(str(r['title']))}"
            f" ({html.escape(str(r['category']).replace('_', ' '))})</li>"
            for r in details["related"]
        )
        parts.append(f"<p><b>{heading}</b></p><ul>{items}</ul>")
    return "".join(parts)


class TimelineExplorer:
    """Diplomatic milestones and incidents on one axis, with filters and a details panel.

    Examples
    --------
    >>> explorer = TimelineExplorer.from_package()
    >>> explorer.year_range.value = (2015, 2018)   # the figure refills through one update path
    >>> explorer.widget  # doctest: +SKIP
    """

    EMPTY_MESSAGE = "Nothing matches these filters. Widen the years or clear the search."

    def __init__(self, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        self.frame = frame
        self.tables = tables
        self.as_of = as_of
        self.figure = go.FigureWidget(charts.timeline(frame, as_of=as_of))
        first, last = int(frame["date"].dt.year.min()), int(frame["date"].dt.year.max())
        self._defaults = {"years": (first, last)}
        self._resetting = False
        self._lane_order = list(dict.fromkeys(frame["lane"].dropna()))
        self._build_controls(first, last)
        self._build_layout()
        for trace in self.figure.data:
            trace.on_click(self._on_click)
        self._update()

    @classmethod
    def from_package(cls, *, lanes: str = "category") -> "TimelineExplorer":
        """An explorer over the kit's curated events and incidents."""
        tables = {name: data.load(name) for name in ("events", "incidents", "forums", "sources")}
        return cls(tidy.timeline_frame(tables, lanes=lanes), tables, as_of=data.as_of())

    def _build_controls(self, first: int, last: int) -> None:
        self.year_range = widgets.IntRangeSlider(
            value=(first, last), min=first, max=last, step=1, description="Years",
            continuous_update=False, layout=widgets.Layout(width="420px"),
        )
        lanes = sorted(self.frame["lane"].dropna().unique())
        self.lane_picker = widgets.SelectMultiple(
            options=lanes, value=(), description="Lanes", rows=min(8, len(lanes)),
            layout=widgets.Layout(width="320px"),
        )
        self.search = widgets.Text(
            value="", placeholder="e.g. ransomware, GGE, NotPetya", description="Search",
            continuous_update=False,
        )
        self.reset_button = widgets.Button(description="Reset filters", icon="undo")
        self.status = widgets.HTML()
        self.details = widgets.HTML(value="<p><i>Click a dot or bar to read the full record and its sources.</i></p>")
        for control in (self.year_range, self.lane_picker, self.search):
            control.observe(self._on_change, names="value")
        self.reset_button.on_click(self._on_reset)

    def _build_layout(self) -> None:
        filters = widgets.HBox([widgets.VBox([self.year_range, self.search, self.reset_button]), self.lane_picker])
        self.widget = widgets.VBox(
            [filters, self.status, self.figure, self.details],
            layout=widgets.Layout(width="100%"),
        )
        self.widget.add_class("briefing-timeline-explorer")

    def current_filter(self) -> tidy.TimelineFilter:
        """The filter the controls describe now."""
        year_from, year_to = self.year_range.value
        return tidy.TimelineFilter(
            year_from=year_from, year_to=year_to, lanes=tuple(self.lane_picker.value), text=self.search.value,
        )

    def _on_change(self, _change=None) -> None:
        if not self._resetting:
            self._update()

    def _on_reset(self, _button=None) -> None:
        # One update for the whole reset, not one per control.
        self._resetting = True
        try:
            self.year_range.value = self._defaults["years"]
            self.lane_picker.value = ()
            self.search.value = ""
        finally:
            self._resetting = False
        self._update()

    def _update(self) -> None:
        selection = tidy.select_timeline(self.frame, self.current_filter())
        self.selection = selection
        with self.figure.batch_update():
            for trace in self.figure.data:
                values = charts.timeline_trace_values(selection, lane=trace.meta["lane"], precision=trace.meta["precision"])
                trace.update(values)
            # Only the lanes that still hold rows keep a row on the axis.
            shown = [lane for lane in self._lane_order if lane in set(selection["lane"])]
            self.figure.layout.yaxis.categoryarray = shown[::-1] or self._lane_order[::-1]
        if selection.empty:
            self.status.value = f"<p class='briefing-empty'><b>{self.EMPTY_MESSAGE}</b></p>"
        else:
            counts = selection["record_type"].value_counts()
            self.status.value = (
                f"<p class='briefing-count'>Showing {counts.get('event', 0)} events and "
                f"{counts.get('incident', 0)} incidents.</p>"
            )

    def _on_click(self, trace, points, _state=None) -> None:
        if not points.point_inds:
            return
        record = trace.customdata[points.point_inds[0]]
        self.show_details(record[0], record[1])

    def show_details(self, record_id: str, record_type: str) -> None:
        """Fill the details panel with one record (what a click does)."""
        details = tidy.record_details(record_id, record_type, self.tables)
        self.details.value = _details_html(details, record_type=record_type)
