"""The timeline explorer: diplomatic milestones and incidents on one axis, filters, a details panel."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from plotly.basedatatypes import Undefined

from briefing import charts, data, render, tidy
from briefing.controls.base import Explorer, live_figure


def details_html(details: dict, *, record_type: str) -> str:
    """The details panel for one record: escaped text, sources as links, related rows."""
    record = details["record"]
    name = record.get("name") if record_type == "incident" else record.get("title")
    date_value = record.get("start_date") if record_type == "incident" else record.get("date")
    precision = record.get("date_precision") or "day"
    parts = [
        f"<h4>{render.escape(name)}</h4>",
        f"<p><b>{render.escape(charts.format_date(pd.Timestamp(date_value), str(precision)))}</b>"
        f" &middot; {render.escape(record_type)}</p>",
        f"<p>{render.escape(record.get('summary', ''))}</p>",
    ]
    if record_type == "incident" and pd.notna(record.get("attributed_actor")):
        parts.append(
            f"<p>Attributed to: {render.escape(record['attributed_actor'])} "
            f"({render.escape(tidy.label('incidents', 'attribution_status', record['attribution_status']))})</p>"
        )
    if pd.notna(record.get("note")):
        parts.append(f"<p><i>Note: {render.escape(record['note'])}</i></p>")
    if details["sources"]:
        links = [
            f"{render.title_link(s['title'], s['url'])} ({render.escape(s['publisher'])})" for s in details["sources"]
        ]
        parts.append("<p><b>Sources</b></p>" + render.items_list(links, escaped=True))
    if details["related"]:
        heading = "Responses to this incident" if record_type == "incident" else "The incident it answers"
        items = [
            f"{pd.Timestamp(r['date']).strftime('%Y-%m-%d')}: {r['title']} ({tidy.label('events', 'category', r['category'])})"
            for r in details["related"]
        ]
        parts.append(f"<p><b>{heading}</b></p>" + render.items_list(items))
    return "".join(parts)


class TimelineExplorer(Explorer):
    """Diplomatic milestones and incidents on one axis, with filters and a details panel.

    Examples
    --------
    >>> explorer = TimelineExplorer.from_package()
    >>> explorer.year_range.value = (2015, 2018)   # the figure refills through one update path
    >>> explorer.widget  # doctest: +SKIP
    """

    EMPTY_MESSAGE = "Nothing matches these filters. Widen the years or clear the search."
    HINT = "<p><i>Click a dot or bar to read the full record and its sources.</i></p>"

    def __init__(self, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        super().__init__()
        self.frame = frame
        self.tables = tables
        self.as_of = as_of
        self.selection = frame
        self.figure = live_figure(charts.timeline(frame, as_of=as_of))
        self._lane_order = list(dict.fromkeys(frame["lane"].dropna()))
        self._trace_data = [self._full_trace_data(trace) for trace in self.figure.data]
        self._kept: list[np.ndarray | None] = [None] * len(self._trace_data)  # each trace's rows as last drawn
        self._build_controls(int(frame["date"].dt.year.min()), int(frame["date"].dt.year.max()))
        filters = widgets.HBox([widgets.VBox([self.year_range, self.search, self.reset_button]), self.lane_picker])
        self.widget = self._root([filters, self.status, self.figure, self.details], "briefing-timeline-explorer")
        self.widget.layout = widgets.Layout(width="100%")
        for trace in self.figure.data:
            trace.on_click(self._on_click)
        self._update()

    def _full_trace_data(self, trace) -> tuple[np.ndarray, dict]:
        """One trace's rows (positions in ``frame``) and data, kept once: a filter only picks rows.

        The data is read back from the trace the chart drew (the same rows in the same order), not
        computed again: the hover text of every row is the costly part of building the explorer.
        A lane counted by month keeps each row's month code instead; a filter recounts them.
        """
        meta = trace.meta
        in_lane = (self.frame["lane"] == meta["lane"]).to_numpy()
        if meta["precision"] == "month_counts":
            rows = np.flatnonzero(in_lane)
            codes, months = charts.month_index(self.frame["date"].iloc[rows])
            return rows, {"month_codes": codes, "months": months}
        by_day = (self.frame["date_precision"] == "day").to_numpy()
        rows = np.flatnonzero(in_lane & (by_day if meta["precision"] == "day" else ~by_day))
        keys = ("x", "y", "customdata") + (("base",) if meta["precision"] == "span" else ())
        arrays = {}
        for key in keys:
            drawn = trace[key] or ()
            array = np.empty(len(drawn), dtype=object)
            array[:] = list(drawn)
            arrays[key] = array
        return rows, arrays

    @classmethod
    def from_package(cls, *, lanes: str = "category") -> TimelineExplorer:
        """An explorer over the kit's curated events and incidents."""
        tables = {name: data.load(name) for name in ("events", "incidents", "forums", "sources")}
        return cls(tidy.timeline_frame(tables, lanes=lanes), tables, as_of=data.as_of())

    def _build_controls(self, first: int, last: int) -> None:
        self.year_range = widgets.IntRangeSlider(
            value=(first, last),
            min=first,
            max=last,
            step=1,
            description="Years",
            continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
        lanes = sorted(self.frame["lane"].dropna().unique())
        self.lane_picker = widgets.SelectMultiple(
            options=lanes,
            value=(),
            description="Lanes",
            rows=min(8, len(lanes)),
            layout=widgets.Layout(width="320px"),
        )
        self.search = widgets.Text(
            value="",
            placeholder="e.g. ransomware, GGE, NotPetya",
            description="Search",
            continuous_update=False,
        )
        self._watch(self.year_range, self.lane_picker, self.search)

    def current_filter(self) -> tidy.TimelineFilter:
        """The filter the controls describe now."""
        year_from, year_to = self.year_range.value
        return tidy.TimelineFilter(
            year_from=year_from,
            year_to=year_to,
            lanes=tuple(self.lane_picker.value),
            text=self.search.value,
        )

    def _update(self) -> None:
        selection = tidy.select_timeline(self.frame, self.current_filter())
        self.selection = selection
        chosen = np.zeros(len(self.frame), dtype=bool)
        chosen[self.frame.index.get_indexer(selection.index)] = True
        restyle, indexes = self._trace_changes(chosen)
        relayout = self._axis_changes(selection)
        # One plotly_update: the page redraws the chart once per filter change. (A restyle per
        # kind of trace and a relayout cost the browser a full redraw each, three in a row.)
        if restyle or relayout:
            self.figure.plotly_update(restyle_data=restyle, relayout_data=relayout, trace_indexes=indexes)
        self._show_empty_state(selection.empty)
        self._say_status(selection)

    def _axis_changes(self, selection: pd.DataFrame) -> dict:
        """Only the lanes that still hold rows keep a row on the axis (a relayout, if they changed)."""
        lanes_with_rows = set(selection["lane"])
        shown = [lane for lane in self._lane_order if lane in lanes_with_rows]
        lanes_on_axis = tuple(shown[::-1] or self._lane_order[::-1])
        if tuple(self.figure.layout.yaxis.categoryarray or ()) != lanes_on_axis:
            return {"yaxis.categoryarray": lanes_on_axis}
        return {}

    def _trace_changes(self, chosen: np.ndarray) -> tuple[dict[str, list], list[int]]:
        """The new data of each trace whose rows changed, as plotly_update's restyle data and indexes.

        Each trace gets the rows it already holds that the filter keeps. Restyle, not trace.update:
        these values were checked by plotly when the figure was built, and checking them again
        element by element was most of a filter's time. A trace whose rows did not change is left
        alone; a key a trace does not have (dots have no ``base``) is left Undefined for it.
        """
        changed: dict[int, dict] = {}
        for index, (trace, (rows, arrays)) in enumerate(zip(self.figure.data, self._trace_data)):
            keep = chosen[rows]
            previous = self._kept[index]
            if previous is not None and np.array_equal(keep, previous):
                continue
            self._kept[index] = keep
            if trace.meta["precision"] == "month_counts":
                changed[index] = charts.month_count_values(
                    trace.meta["lane"], arrays["month_codes"], arrays["months"], keep
                )
            else:
                changed[index] = {key: list(array[keep]) for key, array in arrays.items()}
        indexes = sorted(changed)
        keys = sorted({key for values in changed.values() for key in values})
        restyle = {key: [changed[index].get(key, Undefined) for index in indexes] for key in keys}
        return restyle, indexes

    def _say_status(self, selection: pd.DataFrame) -> None:
        if selection.empty:
            self.details.value = self.HINT
            self.status.value = f"<p class='briefing-empty'><b>{self.EMPTY_MESSAGE}</b></p>"
            return
        counts = selection["record_type"].value_counts()
        self.status.value = (
            f"<p class='briefing-count'>Showing {tidy.count_of(counts.get('event', 0), 'event')} and "
            f"{tidy.count_of(counts.get('incident', 0), 'incident')}.</p>"
        )

    def _show_empty_state(self, empty: bool) -> None:
        """No axes with made-up ranges when nothing matches: the chart says so instead.

        Set as properties (a second message, only when the chart empties or fills again): a
        relayout of ``annotations`` would leave ``layout.annotations`` reading the old list.
        """
        layout = self.figure.layout
        if bool(layout.xaxis.visible is False) == empty:
            return
        with self.figure.batch_update():
            layout.xaxis.visible = layout.yaxis.visible = not empty
            others = tuple(a for a in layout.annotations if a.name != charts.EMPTY_STATE_NAME)
            if empty:
                others += (charts.empty_annotation(),)
            layout.annotations = others

    def _on_click(self, trace, points, _state=None) -> None:
        if not points.point_inds:
            return
        record = trace.customdata[points.point_inds[0]]
        if record[1] == "month":
            self.show_month(trace.meta["lane"], record[2])
        else:
            self.show_details(record[0], record[1])

    def show_month(self, lane: str, month: str, *, limit: int = 30) -> None:
        """List the selected rows of a lane counted by month (what a click on a month bar does)."""
        start = pd.Timestamp(month)
        rows = self.selection[
            (self.selection["lane"] == lane)
            & (self.selection["date"] >= start)
            & (self.selection["date"] < start + pd.DateOffset(months=1))
        ]
        items = [f"{charts.format_date(r.date, r.date_precision)}: {r.label}" for r in rows.head(limit).itertuples()]
        more = f"<p>... and {len(rows) - limit} more.</p>" if len(rows) > limit else ""
        self.details.value = (
            f"<h4>{render.escape(lane)}, {render.escape(month)}: {len(rows)} rows</h4>"
            + render.items_list(items)
            + more
        )

    def show_details(self, record_id: str, record_type: str) -> None:
        """Fill the details panel with one record (what a click does)."""
        details = tidy.record_details(record_id, record_type, self.tables)
        self.details.value = details_html(details, record_type=record_type)
