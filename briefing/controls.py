"""Widget apps (explorers) built on :mod:`briefing.charts` and the pure filters in :mod:`briefing.tidy`.

Each explorer is a small class: build the widgets once, route every change through one
``_update`` path, refill the live figure inside ``batch_update()``, and show the app with
``explorer.widget`` as a cell's last expression.
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, tidy


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


def _replace_children(box: widgets.Box, *children: widgets.Widget) -> None:
    """Show ``children`` in ``box`` and close what it showed before (and what that held), so old
    figures free their comms."""
    previous = box.children
    box.children = children
    for widget in previous:
        for child in getattr(widget, "children", ()):
            child.close()
        widget.close()


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
    HINT = "<p><i>Click a dot or bar to read the full record and its sources.</i></p>"

    def __init__(self, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        self.frame = frame
        self.tables = tables
        self.as_of = as_of
        self.figure = live_figure(charts.timeline(frame, as_of=as_of))
        first, last = int(frame["date"].dt.year.min()), int(frame["date"].dt.year.max())
        self._defaults = {"years": (first, last)}
        self._resetting = False
        self._lane_order = list(dict.fromkeys(frame["lane"].dropna()))
        self._trace_data = [self._full_trace_data(trace.meta) for trace in self.figure.data]
        self._kept = [None] * len(self._trace_data)  # each trace's rows as last drawn
        self._build_controls(first, last)
        self._build_layout()
        for trace in self.figure.data:
            trace.on_click(self._on_click)
        self._update()

    def _full_trace_data(self, meta: dict) -> tuple[np.ndarray, dict]:
        """One trace's rows (positions in ``frame``) and data, computed once: a filter only picks rows.

        A lane counted by month keeps each row's month instead; a filter recounts them.
        """
        in_lane = (self.frame["lane"] == meta["lane"]).to_numpy()
        if meta["precision"] == "month_counts":
            rows = np.flatnonzero(in_lane)
            months = self.frame["date"].iloc[rows].dt.to_period("M")
            codes, uniques = pd.factorize(months, sort=True)
            return rows, {"month_codes": codes, "months": [period.to_timestamp() for period in uniques]}
        by_day = (self.frame["date_precision"] == "day").to_numpy()
        rows = np.flatnonzero(in_lane & (by_day if meta["precision"] == "day" else ~by_day))
        values = charts.timeline_trace_values(self.frame, lane=meta["lane"], precision=meta["precision"])
        arrays = {}
        for key, value in values.items():
            array = np.empty(len(value), dtype=object)
            array[:] = list(value)
            arrays[key] = array
        return rows, arrays

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
        self.reset_button = widgets.Button(description="Reset filters")
        self.status = widgets.HTML()
        self.details = widgets.HTML(value=self.HINT)
        self._filters = (self.year_range, self.lane_picker, self.search)
        for control in self._filters:
            control.observe(self._on_change, names="value")
        self.reset_button.on_click(self._on_reset)
        self._first_view = FirstView()

    def _build_layout(self) -> None:
        filters = widgets.HBox([widgets.VBox([self.year_range, self.search, self.reset_button]), self.lane_picker])
        self.widget = ExplorerBox(
            [filters, self.status, self.figure, self.details],
            layout=widgets.Layout(width="100%"),
            on_first_display=lambda: self._first_view.remember(self._filters),
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
            if not self._first_view.restore():
                self.year_range.value = self._defaults["years"]
                self.lane_picker.value = ()
                self.search.value = ""
        finally:
            self._resetting = False
        self._update()

    def _update(self) -> None:
        selection = tidy.select_timeline(self.frame, self.current_filter())
        self.selection = selection
        chosen = np.zeros(len(self.frame), dtype=bool)
        chosen[self.frame.index.get_indexer(selection.index)] = True
        # Each trace gets the rows it already holds that the filter keeps, in one restyle per kind of
        # trace. Restyle, not trace.update: these values were checked by plotly when the figure was
        # built, and checking them again element by element was most of a filter's time. A trace
        # whose rows did not change is left alone.
        changes: dict[tuple[str, ...], list[tuple[int, dict]]] = {}
        for index, (trace, (rows, arrays)) in enumerate(zip(self.figure.data, self._trace_data)):
            keep = chosen[rows]
            if np.array_equal(keep, self._kept[index]):
                continue
            self._kept[index] = keep
            if trace.meta["precision"] == "month_counts":
                values = self._month_counts(arrays, keep, trace.meta["lane"])
            else:
                values = {key: list(array[keep]) for key, array in arrays.items()}
            changes.setdefault(tuple(values), []).append((index, values))
        with self.figure.batch_update():
            for keys, traces in changes.items():
                self.figure.plotly_restyle({key: [values[key] for _, values in traces] for key in keys},
                                           trace_indexes=[index for index, _ in traces])
            # Only the lanes that still hold rows keep a row on the axis.
            lanes_with_rows = set(selection["lane"])
            shown = [lane for lane in self._lane_order if lane in lanes_with_rows]
            lanes_on_axis = tuple(shown[::-1] or self._lane_order[::-1])
            if tuple(self.figure.layout.yaxis.categoryarray or ()) != lanes_on_axis:
                self.figure.layout.yaxis.categoryarray = lanes_on_axis
            self._show_empty_state(selection.empty)
        if selection.empty:
            self.details.value = self.HINT
            self.status.value = f"<p class='briefing-empty'><b>{self.EMPTY_MESSAGE}</b></p>"
        else:
            counts = selection["record_type"].value_counts()
            self.status.value = (
                f"<p class='briefing-count'>Showing {tidy.count_of(counts.get('event', 0), 'event')} and "
                f"{tidy.count_of(counts.get('incident', 0), 'incident')}.</p>"
            )

    def _show_empty_state(self, empty: bool) -> None:
        """No axes with made-up ranges when nothing matches: the chart says so instead."""
        layout = self.figure.layout
        if bool(layout.xaxis.visible is False) == empty:
            return
        layout.xaxis.visible = layout.yaxis.visible = not empty
        others = tuple(a for a in layout.annotations if a.name != charts.EMPTY_STATE_NAME)
        if empty:
            others += (go.layout.Annotation(name=charts.EMPTY_STATE_NAME, text=charts.EMPTY_MESSAGE,
                                            showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                                            font=dict(size=18, color="#555555")),)
        layout.annotations = others

    @staticmethod
    def _month_counts(arrays: dict, keep: np.ndarray, lane: str) -> dict:
        counts = np.bincount(arrays["month_codes"][keep], minlength=len(arrays["months"]))
        shown = np.flatnonzero(counts)
        starts = [arrays["months"][i] for i in shown]
        return {
            "base": starts,
            "x": [((start + pd.DateOffset(months=1)) - start).total_seconds() * 1000 for start in starts],
            "y": [lane] * len(starts),
            "customdata": [["", "month", start.strftime("%b %Y"), str(counts[i])] for start, i in zip(starts, shown)],
            "marker.color": counts[shown].tolist(),
        }

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
        rows = self.selection[(self.selection["lane"] == lane) & (self.selection["date"] >= start)
                              & (self.selection["date"] < start + pd.DateOffset(months=1))]
        items = "".join(f"<li>{html.escape(charts.format_date(r.date, r.date_precision))}: {html.escape(str(r.label))}</li>"
                        for r in rows.head(limit).itertuples())
        more = f"<p>... and {len(rows) - limit} more.</p>" if len(rows) > limit else ""
        self.details.value = f"<h4>{html.escape(lane)}, {html.escape(month)}: {len(rows)} rows</h4><ul>{items}</ul>{more}"

    def show_details(self, record_id: str, record_type: str) -> None:
        """Fill the details panel with one record (what a click does)."""
        details = tidy.record_details(record_id, record_type, self.tables)
        self.details.value = _details_html(details, record_type=record_type)


# ---- Shared pieces of the explorers below ------------------------------------------------------

_REFILLED = ("x", "y", "z", "base", "text", "customdata", "fillcolor", "showlegend")
_STYLE_KEYS = ("fillcolor", "showlegend")  # copied when present, never emptied


def refill(figure: go.FigureWidget, fresh: go.Figure) -> None:
    """Copy the data of ``fresh`` into the live ``figure``, trace by trace (matched by name).

    The live widget is never rebuilt: its traces keep their identity and click handlers, and one
    ``batch_update`` sends one message to the browser. Traces that ``fresh`` lacks are emptied.
    """
    by_name = {trace.name: trace for trace in fresh.data}
    # The names the kernel gave its traces: once a page has drawn the figure, ``trace.name`` of a
    # live figure falls back to the defaults plotly.js reports ("trace 0"), which match nothing.
    own_names = [props.get("name") for props in figure._data]
    with figure.batch_update():
        for trace, name in zip(figure.data, own_names):
            source = by_name.get(name)
            for key in _REFILLED:
                if key not in trace:
                    continue
                if source is None:
                    if key not in _STYLE_KEYS:
                        trace[key] = [[]] if key == "z" else []
                elif key in source:
                    trace[key] = source[key]
        for axis in ("xaxis", "yaxis"):
            for key in ("categoryarray", "ticktext", "tickvals"):
                if fresh.layout[axis][key] is not None:
                    figure.layout[axis][key] = fresh.layout[axis][key]
            # What the chart decided for this selection: its range, ticks, and whether there are
            # axes at all (an empty selection has none, only the message that nothing matches).
            for key in ("range", "visible", "dtick", "tick0"):
                if figure.layout[axis][key] != fresh.layout[axis][key]:
                    figure.layout[axis][key] = fresh.layout[axis][key]
        if figure.layout.annotations != fresh.layout.annotations:
            figure.layout.annotations = fresh.layout.annotations
        figure.layout.showlegend = fresh.layout.showlegend
        figure.layout.title.text = fresh.layout.title.text


def _sources_html(source_ids, sources: pd.DataFrame) -> str:
    """Sources as a list of links (escaped)."""
    indexed = sources.set_index("source_id")
    items = []
    for source_id in dict.fromkeys(sid for sid in source_ids if pd.notna(sid)):
        if source_id not in indexed.index:
            continue
        row = indexed.loc[source_id]
        title = html.escape(str(row["title"]))
        if pd.notna(row["url"]):
            title = (f"<a href=\"{html.escape(str(row['url']), quote=True)}\" target=\"_blank\" "
                     f"rel=\"noopener\">{title}</a>")
        items.append(f"<li>{title} ({html.escape(str(row['publisher']))})</li>")
    return f"<p><b>Sources</b></p><ul>{''.join(items)}</ul>" if items else ""


class _Explorer:
    """What every explorer shares: a status line, a details panel, a reset button, one update path."""

    EMPTY_MESSAGE = "Nothing matches these filters. Widen them, or press Reset."
    HINT = "<p><i>Click a mark on the chart to read the full record and its sources.</i></p>"

    def _build_common(self) -> None:
        self.status = widgets.HTML()
        self.details = widgets.HTML(value=self.HINT)
        self.reset_button = widgets.Button(description="Reset filters")
        self.reset_button.on_click(self._on_reset)
        self._resetting = False
        self._filters: tuple[widgets.ValueWidget, ...] = ()
        self._first_view = FirstView()

    def _watch(self, *controls) -> None:
        self._filters += controls
        for control in controls:
            control.observe(self._on_change, names="value")

    def _root(self, children, css_class: str) -> ExplorerBox:
        """The explorer's root widget, which remembers the filters it was first shown with."""
        box = ExplorerBox(children, on_first_display=lambda: self._first_view.remember(self._filters))
        box.add_class(css_class)
        return box

    def _on_change(self, _change=None) -> None:
        if not self._resetting:
            self._update()

    def _on_reset(self, _button=None) -> None:
        self._resetting = True
        try:
            if not self._first_view.restore():
                self._restore_defaults()
        finally:
            self._resetting = False
        self.details.value = self.HINT
        self._update()

    def _say_count(self, count: int, noun: str, plural: str | None = None) -> None:
        if count == 0:
            self.status.value = f"<p class='briefing-empty'><b>{self.EMPTY_MESSAGE}</b></p>"
        else:
            self.status.value = f"<p class='briefing-count'>Showing {tidy.count_of(count, noun, plural)}.</p>"

    def _restore_defaults(self) -> None:  # pragma: no cover - each explorer says what its defaults are
        raise NotImplementedError

    def _update(self) -> None:  # pragma: no cover
        raise NotImplementedError


def _labelled(column: str, values) -> list[tuple[str, str]]:
    """Picker options for the distinct ``values`` of ``column``: (what a reader reads, the code)."""
    return sorted((tidy.label_of(column, value), str(value)) for value in pd.unique(values))


def _multi(options, description: str, rows: int = 6) -> widgets.SelectMultiple:
    return widgets.SelectMultiple(options=options, value=(), description=description, rows=min(rows, len(options)),
                                  layout=widgets.Layout(width="330px"))


class ForumExplorer(_Explorer):
    """The forums' lifespans and their place by who may take part and whether they bind."""

    def __init__(self, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        self.tables = tables
        self.forums = tables["forums"]
        self.as_of = as_of
        self._build_common()
        self.lifespans = live_figure(charts.forum_landscape(self.forums, as_of=as_of))
        self.positions = live_figure(charts.forum_positions(self.forums, as_of=as_of))
        self.kind_picker = _multi([(tidy.FORUM_KIND_LABELS.get(kind, kind), kind)
                                   for kind in sorted(self.forums["kind"].unique())], "Kind")
        self.participation_picker = _multi(
            [(tidy.PARTICIPATION_LABELS[p], p) for p in tidy.PARTICIPATION_ORDER], "Who joins", rows=4)
        self.search = widgets.Text(placeholder="e.g. GGE, Paris, ransomware", description="Search",
                                   continuous_update=False)
        self._watch(self.kind_picker, self.participation_picker, self.search)
        for figure in (self.lifespans, self.positions):
            for trace in figure.data:
                trace.on_click(self._on_click)
        filters = widgets.HBox([self.kind_picker, self.participation_picker,
                                widgets.VBox([self.search, self.reset_button])])
        self.widget = self._root([filters, self.status, self.lifespans, self.positions, self.details], "briefing-forum-explorer")
        self._update()

    @classmethod
    def from_package(cls) -> "ForumExplorer":
        tables = {name: data.load(name) for name in ("forums", "events", "sources")}
        return cls(tables, as_of=data.as_of())

    def current_filter(self) -> tidy.ForumFilter:
        return tidy.ForumFilter(kinds=tuple(self.kind_picker.value),
                                participation=tuple(self.participation_picker.value), text=self.search.value)

    def _restore_defaults(self) -> None:
        self.kind_picker.value = ()
        self.participation_picker.value = ()
        self.search.value = ""

    def _update(self) -> None:
        self.selection = tidy.select_forums(self.forums, self.current_filter())
        refill(self.lifespans, charts.forum_landscape(self.selection, as_of=self.as_of))
        refill(self.positions, charts.forum_positions(self.selection, as_of=self.as_of))
        self._say_count(len(self.selection), "forum")

    def _on_click(self, trace, points, _state=None) -> None:
        if points.point_inds:
            self.show_details(trace.customdata[points.point_inds[0]][0])

    def show_details(self, forum_id: str) -> None:
        forum = self.forums.set_index("forum_id").loc[forum_id]
        events = self.tables["events"]
        related = events[events["forum_id"] == forum_id].sort_values("date")
        def cell(name):
            value = forum[name]
            return "unknown" if pd.isna(value) else html.escape(str(value).replace("_", " "))
        start = "unknown" if pd.isna(forum["start_date"]) else charts.format_date(forum["start_date"], forum["start_precision"])
        end = "" if pd.isna(forum["end_date"]) else " to " + charts.format_date(forum["end_date"], forum["end_precision"])
        parts = [
            f"<h4>{html.escape(str(forum['name']))}</h4>",
            f"<p>{cell('kind')} &middot; {cell('participation')} &middot; "
            f"{'legally binding' if forum['binding'] is True else 'voluntary' if forum['binding'] is False else 'binding status unknown'}"
            f" &middot; status: {cell('status')}</p>",
            f"<p>{html.escape(start)}{html.escape(end)}. Lead or host: {cell('lead_or_host')}.</p>",
            f"<p>{cell('outcome')}</p>",
        ]
        if pd.notna(forum["note"]):
            parts.append(f"<p><i>Note: {html.escape(str(forum['note']))}</i></p>")
        parts.append(_sources_html([forum["source_id"], forum["extra_source_id"]], self.tables["sources"]))
        if len(related):
            items = "".join(f"<li>{html.escape(charts.format_date(r.date, r.date_precision))}: {html.escape(r.title)}</li>"
                            for r in related.itertuples())
            parts.append(f"<p><b>Milestones</b></p><ul>{items}</ul>")
        self.details.value = "".join(parts)


class NormsExplorer(_Explorer):
    """The frameworks-by-themes crosswalk; a click on a cell lists the norms behind it."""

    def __init__(self, crosswalk: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None):
        self.crosswalk = crosswalk
        self.sources = sources
        self.as_of = as_of
        self._build_common()
        self.figure = live_figure(charts.norms_matrix(crosswalk, as_of=as_of))
        self.framework_picker = _multi(sorted(crosswalk["framework"].unique()), "Frameworks", rows=8)
        self.theme_picker = _multi(sorted(crosswalk["theme"].unique()), "Themes", rows=8)
        self._watch(self.framework_picker, self.theme_picker)
        self.figure.data[0].on_click(self._on_click)
        filters = widgets.HBox([self.framework_picker, self.theme_picker, self.reset_button])
        self.widget = self._root([filters, self.status, self.figure, self.details], "briefing-norms-explorer")
        self._update()

    @classmethod
    def from_package(cls) -> "NormsExplorer":
        tables = {name: data.load(name) for name in ("norms", "norm_themes", "themes", "forums")}
        return cls(tidy.norms_crosswalk_frame(tables), data.load("sources"), as_of=data.as_of())

    def _restore_defaults(self) -> None:
        self.framework_picker.value = ()
        self.theme_picker.value = ()

    def _update(self) -> None:
        rows = tidy.select_by_choices(self.crosswalk, {"framework": self.framework_picker.value,
                                                       "theme": self.theme_picker.value})
        self.selection = rows
        refill(self.figure, charts.norms_matrix(rows, as_of=self.as_of))
        self._say_count(rows["norm_id"].nunique(), "norm")

    def _on_click(self, trace, points, _state=None) -> None:
        if points.xs and points.ys:
            self.show_cell(html.unescape(str(points.xs[0])), html.unescape(str(points.ys[0])))

    def show_cell(self, framework: str, theme: str) -> None:
        """List the norms of ``framework`` on ``theme`` (what a click on a cell does)."""
        norms = tidy.norms_in_cell(self.crosswalk, framework=framework, theme=theme)
        if norms.empty:
            self.details.value = f"<p>{html.escape(framework)} has no item on {html.escape(theme)}.</p>"
            return
        items = "".join(
            f"<li><b>{html.escape(r.short_title)}</b> ({html.escape(r.reference)}): {html.escape(r.summary)}</li>"
            for r in norms.itertuples()
        )
        self.details.value = (f"<h4>{html.escape(framework)}: {html.escape(theme)}</h4><ul>{items}</ul>"
                              + _sources_html(norms["source_id"], self.sources))


class ParticipationExplorer(_Explorer):
    """Who takes part in a forum (by year where dates exist), and who sits at several tables."""

    def __init__(self, participation: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None,
                 forum_id: str = "budapest_convention", overlap: tuple[str, ...] = ("un_gge_2019", "paris_call", "budapest_convention")):
        self.participation = participation
        self.sources = sources
        self.as_of = as_of
        self._build_common()
        forums = participation.drop_duplicates("forum_id")[["forum", "forum_id"]].sort_values("forum")
        options = [(str(f), str(i)) for f, i in forums.itertuples(index=False)]
        self._defaults = {"forum": forum_id, "overlap": overlap}
        self.forum_picker = widgets.Dropdown(options=options, value=forum_id, description="Forum")
        self.year = widgets.IntSlider(description="By year", continuous_update=False)
        self.use_year = widgets.Checkbox(value=False, description="Step through the years")
        self.overlap_picker = widgets.SelectMultiple(options=options, value=overlap, description="Overlap of",
                                                     rows=6, layout=widgets.Layout(width="360px"))
        self.map = live_figure(self._map_figure())
        self.overlap_map = live_figure(self._overlap_figure())
        for figure in (self.map, self.overlap_map):
            figure.data[-1].on_click(self._on_click)
        self._watch(self.forum_picker, self.year, self.use_year, self.overlap_picker)
        controls = widgets.HBox([widgets.VBox([self.forum_picker, self.use_year, self.year]),
                                 self.overlap_picker, self.reset_button])
        self.widget = self._root([controls, self.status, self.map, self.overlap_map, self.details], "briefing-participation-explorer")
        self._update()

    @classmethod
    def from_package(cls, **options) -> "ParticipationExplorer":
        tables = {name: data.load(name) for name in ("participation", "forums")}
        return cls(tidy.participation_frame(tables), data.load("sources"), as_of=data.as_of(), **options)

    def _rows(self) -> pd.DataFrame:
        return tidy.members_as_of(self.participation, forum_id=self.forum_picker.value)

    def _map_figure(self) -> go.Figure:
        rows = self._rows()
        name = str(rows["forum"].iloc[0]) if len(rows) else self.forum_picker.value
        year = self.year.value if self.use_year.value else None
        return charts.participation_map(rows, title=f"Who takes part: {name}", year=year, as_of=self.as_of)

    def _overlap_figure(self) -> go.Figure:
        frame = tidy.overlap_frame(self.participation, list(self.overlap_picker.value))
        # One layer per possible count, so the live map has a trace for every choice a reader can make.
        return charts.participation_overlap(frame, as_of=self.as_of, layers=len(self.forum_picker.options))

    def _restore_defaults(self) -> None:
        self.forum_picker.value = self._defaults["forum"]
        self.overlap_picker.value = self._defaults["overlap"]
        self.use_year.value = False

    def _sync_year_slider(self) -> None:
        dated = self._rows()["date"].dropna()
        self.use_year.disabled = dated.empty
        if dated.empty:
            self.use_year.value = False
            self.year.disabled = True
            return
        first, last = int(dated.dt.year.min()), int(dated.dt.year.max())
        with self.year.hold_trait_notifications():
            self.year.min, self.year.max = first, max(last, first)
            if not first <= self.year.value <= last:
                self.year.value = last
        self.year.disabled = not self.use_year.value

    def _update(self) -> None:
        self._resetting = True  # the slider's range follows the forum without a second update
        try:
            self._sync_year_slider()
        finally:
            self._resetting = False
        fresh = self._map_figure()
        refill(self.map, fresh)
        refill(self.overlap_map, self._overlap_figure())
        self._say_count(len(fresh.data[1].meta["countries"]), "participant on the map", "participants on the map")

    def _on_click(self, trace, points, _state=None) -> None:
        if points.point_inds:
            self.show_country(trace.customdata[points.point_inds[0]][0])

    def show_country(self, country_iso3: str) -> None:
        """Every forum a country takes part in, with role, date and source (what a click does)."""
        rows = self.participation[self.participation["country_iso3"] == country_iso3].sort_values("forum")
        if rows.empty:
            self.details.value = "<p>No participation recorded for this country in the kit's data.</p>"
            return
        items = "".join(
            f"<li>{html.escape(str(r.forum))}: {html.escape(str(r.role).replace('_', ' '))}"
            + (f", since {html.escape(charts.format_date(r.date, r.date_precision))}" if pd.notna(r.date) else "")
            + "</li>"
            for r in rows.itertuples()
        )
        self.details.value = (f"<h4>{html.escape(str(rows['country'].iloc[0]))}</h4><ul>{items}</ul>"
                              + _sources_html(rows["source_id"], self.sources))


class IncidentsExplorer(_Explorer):
    """Incidents by year and type, by target sector and by attributed state, with their responses."""

    def __init__(self, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        self.tables = tables
        self.incidents = tables["incidents"]
        self.as_of = as_of
        self._build_common()
        years = self.incidents["start_date"].dt.year
        self._defaults = {"years": (int(years.min()), int(years.max()))}
        self.year_range = widgets.IntRangeSlider(value=self._defaults["years"], min=self._defaults["years"][0],
                                                 max=self._defaults["years"][1], description="Years",
                                                 continuous_update=False, layout=widgets.Layout(width="420px"))
        self.type_picker = _multi(_labelled("incident_type", self.incidents["incident_type"]), "Type")
        self.sector_picker = _multi(_labelled("sector", tables["incident_sectors"]["sector"]), "Sector")
        countries = _labelled("country_iso3", tables["incident_targets"]["country_iso3"])
        self.country_picker = widgets.Dropdown(options=[("Any country", "")] + countries,
                                               value="", description="Target")
        self._watch(self.year_range, self.type_picker, self.sector_picker, self.country_picker)
        self.by_year, self.by_sector, self.by_state = (live_figure(f) for f in self._figures(self.incidents))
        for figure in (self.by_year, self.by_sector, self.by_state):
            for trace in figure.data:
                trace.on_click(self._on_click_factory(figure))
        filters = widgets.HBox([widgets.VBox([self.year_range, self.country_picker, self.reset_button]),
                                self.type_picker, self.sector_picker])
        # Side by side where there is room, one under the other on a narrow screen.
        charts_row = widgets.HBox([widgets.Box([self.by_sector], layout=widgets.Layout(flex="1 1 440px", min_width="0")),
                                   widgets.Box([self.by_state], layout=widgets.Layout(flex="1 1 440px", min_width="0"))])
        self.widget = self._root([filters, self.status, self.by_year, charts_row, self.details], "briefing-incidents-explorer")
        self._update()

    @classmethod
    def from_package(cls) -> "IncidentsExplorer":
        names = ("incidents", "incident_sectors", "incident_targets", "attributions", "events", "sources")
        return cls({name: data.load(name) for name in names}, as_of=data.as_of())

    def _figures(self, incidents: pd.DataFrame) -> tuple[go.Figure, go.Figure, go.Figure]:
        ids = set(incidents["incident_id"])
        sectors = self.tables["incident_sectors"][self.tables["incident_sectors"]["incident_id"].isin(ids)]
        states = tidy.attributed_states_frame(incidents, self.tables["attributions"])
        return (
            charts.incidents_by_year(incidents, as_of=self.as_of),
            charts.incidents_by_category(sectors, category="sector", title="By target sector", as_of=self.as_of),
            charts.incidents_by_category(states.assign(source_id=None), category="attributed_state_iso3",
                                         title="By state publicly held responsible",
                                         source_line=charts.source_line_for(self.tables["attributions"], as_of=self.as_of)),
        )

    def current_filter(self) -> tidy.IncidentFilter:
        first, last = self.year_range.value
        return tidy.IncidentFilter(year_from=first, year_to=last, types=tuple(self.type_picker.value),
                                   sectors=tuple(self.sector_picker.value), country_iso3=self.country_picker.value)

    def _restore_defaults(self) -> None:
        self.year_range.value = self._defaults["years"]
        self.type_picker.value = ()
        self.sector_picker.value = ()
        self.country_picker.value = ""

    def _update(self) -> None:
        self.selection = tidy.select_incidents(self.incidents, self.current_filter(),
                                               sectors=self.tables["incident_sectors"],
                                               targets=self.tables["incident_targets"])
        for figure, fresh in zip((self.by_year, self.by_sector, self.by_state), self._figures(self.selection)):
            refill(figure, fresh)
        self._say_count(len(self.selection), "incident")

    def _on_click_factory(self, figure):
        def on_click(trace, points, _state=None):
            if not points.point_inds:
                return
            index = points.point_inds[0]
            if figure is self.by_year:
                self.show_incidents(year=int(trace.x[index]), incident_type=(trace.meta or {}).get("incident_type"))
            elif figure is self.by_sector:
                self.show_incidents(sector=trace.customdata[index][0])
            else:
                self.show_incidents(attributed_state=trace.customdata[index][0])
        return on_click

    def show_incidents(self, *, year: int | None = None, incident_type: str | None = None,
                       sector: str | None = None, attributed_state: str | None = None) -> None:
        """List the selected incidents behind a bar, each with its sources and the responses to it."""
        rows = self.selection
        if year is not None:
            rows = rows[rows["start_date"].dt.year == year]
        if incident_type is not None:
            rows = rows[rows["incident_type"] == incident_type]
        if sector is not None:
            sectors = self.tables["incident_sectors"]
            rows = rows[rows["incident_id"].isin(sectors.loc[sectors["sector"] == sector, "incident_id"])]
        if attributed_state is not None:
            states = tidy.attributed_states_frame(rows, self.tables["attributions"])
            rows = rows[rows["incident_id"].isin(states.loc[states["attributed_state_iso3"] == attributed_state, "incident_id"])]
        events = self.tables["events"]
        parts = []
        for incident in rows.sort_values("start_date").itertuples():
            responses = events[events["incident_id"] == incident.incident_id].sort_values("date")
            answer = "".join(f"<li>{html.escape(charts.format_date(r.date, r.date_precision))}: {html.escape(r.title)}</li>"
                             for r in responses.itertuples())
            parts.append(
                f"<h4>{html.escape(incident.name)}</h4>"
                f"<p><b>{html.escape(charts.format_date(incident.start_date, incident.date_precision))}</b> &middot; "
                f"{html.escape(tidy.words(incident.incident_type))} &middot; "
                f"{html.escape(tidy.words(incident.attribution_status))}</p>"
                f"<p>{html.escape(incident.summary)}</p>"
                + (f"<p><b>Responses</b></p><ul>{answer}</ul>" if answer else "<p><i>No state response in the kit's data.</i></p>")
                + _sources_html([incident.source_id, incident.extra_source_id], self.tables["sources"])
            )
        self.details.value = "".join(parts) or "<p>No incident here under the current filters.</p>"


class RecommendationsExplorer(_Explorer):
    """Who is asked to do what: a flow from stakeholder groups to themes, and the list behind it."""

    def __init__(self, frame: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None):
        self.frame = frame
        self.sources = sources
        self.as_of = as_of
        self._build_common()
        self.figure = live_figure(charts.recommendations_flow(frame, as_of=as_of))
        self.by_picker = _multi(sorted(frame["recommended_by"].unique()), "From", rows=6)
        self.group_picker = _multi([(tidy.STAKEHOLDER_GROUP_LABELS.get(group, group), group)
                                    for group in sorted(frame["group"].dropna().unique())], "Asked of", rows=6)
        self.theme_picker = _multi(sorted(frame["theme"].dropna().unique()), "Theme", rows=6)
        self._watch(self.by_picker, self.group_picker, self.theme_picker)
        filters = widgets.HBox([self.by_picker, self.group_picker, self.theme_picker, self.reset_button])
        self.widget = self._root([filters, self.status, self.figure, self.details], "briefing-recommendations-explorer")
        self._update()

    @classmethod
    def from_package(cls, *, seed_texts_only: bool = False) -> "RecommendationsExplorer":
        """All recommendations, or only those of the five seed texts the kit grew from."""
        frame, sources = tidy.recommendations_frame(), data.load("sources")
        if seed_texts_only:
            seeds = set(sources.loc[sources["kind"] == "seed_text", "source_id"])
            frame = frame[frame["source_id"].isin(seeds)]
        return cls(frame, sources, as_of=data.as_of())

    def _restore_defaults(self) -> None:
        for picker in (self.by_picker, self.group_picker, self.theme_picker):
            picker.value = ()

    def _update(self) -> None:
        rows = tidy.select_by_choices(self.frame, {"recommended_by": self.by_picker.value,
                                                   "group": self.group_picker.value, "theme": self.theme_picker.value})
        self.selection = rows
        fresh = charts.recommendations_flow(rows, as_of=self.as_of)
        # A Sankey's nodes change with the selection: swap its node and link data in one batch.
        with self.figure.batch_update():
            self.figure.data[0].node = fresh.data[0].node
            self.figure.data[0].link = fresh.data[0].link
        self._say_count(len(rows), "recommendation")
        self.details.value = self._list_html(rows)

    def _list_html(self, rows: pd.DataFrame) -> str:
        items = "".join(
            f"<li><b>{html.escape(str(r.stakeholder))}</b> ({html.escape(str(r.theme))}): {html.escape(r.summary)} "
            f"<i>{html.escape(r.recommended_by)}{', ' + html.escape(r.reference) if pd.notna(r.reference) else ''}</i></li>"
            for r in rows.sort_values(["group", "stakeholder"]).itertuples()
        )
        return f"<ul class='briefing-recommendations'>{items}</ul>" + _sources_html(rows["source_id"], self.sources)


def _download_table(files, *, folder: Path) -> str:
    """The exported files by name and size, each a download link.

    The link is relative to the notebook's page: in the app (Voila) ``../files/<folder>/<name>``
    is Voila's file route, which serves the exports folder (share/voila/voila.py); in JupyterLab
    the files are also in the file browser, in the notebook's folder.
    """
    rows = []
    for path in files:
        href = html.escape(f"../files/{folder.name}/{path.name}", quote=True)
        rows.append(f"<tr><td><a href=\"{href}\" download=\"{html.escape(path.name, quote=True)}\">"
                    f"{html.escape(path.name)}</a></td><td>{path.stat().st_size / 1024:.1f} KB</td></tr>")
    return (f"<table class='briefing-table'><tr><th>File (in the folder {html.escape(folder.name)})</th><th>Size</th></tr>"
            f"{''.join(rows)}</table>")


class ChartStudio:
    """Pick a chart, filter it, write its title, notes and alt text, preview it at a preset size, export.

    Examples
    --------
    >>> studio = ChartStudio.from_package(folder="exports")
    >>> studio.chart.value = "incidents-by-year"
    >>> studio.widget  # doctest: +SKIP
    """

    ALL = "(all)"

    def __init__(self, tables: dict[str, pd.DataFrame], *, folder: str = "exports"):
        from briefing import export, gallery

        self._export, self._gallery = export, gallery
        self.tables = tables
        years = pd.concat([tables["events"]["date"], tables["incidents"]["start_date"]]).dt.year
        self._years = (int(years.min()), int(years.max()))
        self.chart = widgets.Dropdown(options=[(f"{name}: {r.description}", name) for name, r in gallery.RECIPES.items()],
                                      value="timeline", description="Chart", layout=widgets.Layout(width="520px"))
        self.years = widgets.IntRangeSlider(value=self._years, min=self._years[0], max=self._years[1],
                                            description="Years", continuous_update=False)
        self.category = widgets.Dropdown(description="Category")
        self.forum = widgets.Dropdown(options=gallery.choices("participation-map", tables), value="budapest_convention",
                                      description="Forum")
        self.search = widgets.Text(description="Search", continuous_update=False)
        self.title = widgets.Text(description="Title", placeholder="(the chart's own title)", continuous_update=False,
                                  layout=widgets.Layout(width="520px"))
        self.subtitle = widgets.Text(description="Subtitle", continuous_update=False, layout=widgets.Layout(width="520px"))
        self.notes = widgets.Text(description="Notes", continuous_update=False, layout=widgets.Layout(width="520px"))
        self.alt = widgets.Textarea(description="Alt text", layout=widgets.Layout(width="520px", height="90px"))
        self.redraft = widgets.Button(description="Redraft alt text")
        self.preset = widgets.ToggleButtons(options=list(export.PRESETS), value="newsletter", description="Size")
        self.formats = {f: widgets.Checkbox(value=f in ("png", "svg", "html"), description=f.upper(), indent=False,
                                            layout=widgets.Layout(width="80px")) for f in export.FORMATS}
        self.with_data = widgets.Checkbox(value=True, description="Data as CSV", indent=False)
        self.filename = widgets.Text(value="chart", description="File name")
        self.folder = folder
        self.overwrite = widgets.Checkbox(value=False, description="Overwrite", indent=False)
        self.export_button = widgets.Button(description="Export", button_style="primary")
        self.message = widgets.HTML()
        self.files = widgets.HTML()
        self.preview_box = widgets.Box(layout=widgets.Layout(overflow="auto", border="1px solid #ddd",
                                                             max_width="100%", max_height="80vh"))
        self._alt_edited = False
        self._sync_categories()
        for control in (self.chart, self.years, self.category, self.forum, self.search, self.title, self.subtitle,
                        self.notes, self.preset):
            control.observe(self._on_change, names="value")
        self.alt.observe(self._on_alt_typed, names="value")
        self.redraft.on_click(self._on_redraft)
        self.export_button.on_click(self._on_export)
        options = widgets.VBox([self.chart, self.years, self.category, self.forum, self.search, self.title,
                                self.subtitle, self.notes, widgets.HBox([self.alt, self.redraft]), self.preset,
                                widgets.HBox(list(self.formats.values()) + [self.with_data]),
                                widgets.HBox([self.filename, self.overwrite, self.export_button]),
                                self.message, self.files])
        self.widget = widgets.VBox([options, self.preview_box])
        self.widget.add_class("briefing-chart-studio")
        self._update()

    @classmethod
    def from_package(cls, *, folder: str = "exports") -> "ChartStudio":
        return cls(data.load_all(), folder=folder)

    def _sync_categories(self) -> None:
        name = self.chart.value
        self.category.options = [self.ALL] + self._gallery.choices(name, self.tables)
        self.category.value = self.ALL
        filters = self._gallery.RECIPES[name].filters
        self.years.disabled = "years" not in filters
        self.category.disabled = "category" not in filters
        self.forum.disabled = "forum" not in filters
        self.search.disabled = "search" not in filters

    def _on_change(self, change=None) -> None:
        if change is not None and change["owner"] is self.chart:
            self._updating = True
            try:
                self._sync_categories()
                # Title, subtitle, notes and alt text were written for the last chart, not this one.
                self.title.value = self.subtitle.value = self.notes.value = ""
                self._alt_edited = False
            finally:
                self._updating = False
        if not getattr(self, "_updating", False):
            self._update()

    def _on_alt_typed(self, _change) -> None:
        if not getattr(self, "_drafting", False):
            self._alt_edited = True

    def _on_redraft(self, _button=None) -> None:
        self._alt_edited = False
        self._update()

    def build(self):
        """The chart as the controls describe it (a :class:`briefing.gallery.Visual`)."""
        filters = self._gallery.RECIPES[self.chart.value].filters
        first, last = self.years.value
        years = {"year_from": first, "year_to": last} if "years" in filters else {}
        if self.chart.value == "participation-map":
            years = {"year_to": last} if (first, last) != self._years else {}
        category = None if self.category.value == self.ALL else self.category.value
        return self._gallery.build(self.chart.value, category=category, forum=self.forum.value,
                                   search=self.search.value, title=self.title.value or None, tables=self.tables, **years)

    def _update(self) -> None:
        self.visual = self.build()
        self.publication = self._export.publication_figure(self.visual.figure, subtitle=self.subtitle.value or None,
                                                           notes=self.notes.value or None, preset=self.preset.value)
        if not self._alt_edited:
            self._drafting = True
            try:
                self.alt.value = self._export.alt_text(self.publication)
            finally:
                self._drafting = False
        # The preview is a new figure each time: chart type and size may both have changed. It is
        # drawn at the preset's true size (a slide is 1920 px wide) and scrolls inside its box.
        width, height = self._export.PRESETS[self.preset.value]
        frame = widgets.Box([live_figure(self.publication)],
                            layout=widgets.Layout(width=f"{width}px", min_width=f"{width}px", height=f"{height}px",
                                                  flex="none"))
        _replace_children(self.preview_box, frame)

    def _on_export(self, _button=None) -> None:
        formats = tuple(f for f, box in self.formats.items() if box.value)
        try:
            stem = Path(self.folder) / self._export.safe_file_name(self.filename.value)
            needs_browser = any(f in self._export.STATIC_FORMATS for f in formats)
            with self._export.export_session() if needs_browser else contextlib.nullcontext():
                result = self._export.export_figure(
                    self.visual.figure, stem, formats=formats, preset=self.preset.value,
                    title=self.title.value or None, subtitle=self.subtitle.value or None,
                    notes=self.notes.value or None, alt=self.alt.value, overwrite=self.overwrite.value)
            if self.with_data.value:
                from briefing import theme

                result.files += self._export.export_data(
                    self.visual.rows, stem.with_name(stem.name + ".data.csv"),
                    citation=theme.source_line_of(self.visual.figure), overwrite=self.overwrite.value)
        except self._export.ExportError as problem:
            self.message.value = f"<p class='briefing-error'><b>Not exported:</b> {html.escape(str(problem))}</p>"
            return
        self.result = result
        self.message.value = f"<p class='briefing-exported'>Exported {len(result.files)} files.</p>"
        self.files.value = _download_table(result.files, folder=Path(self.folder))


class ImportExplorer:
    """Upload a CSV or Excel file, read it as a kit table, and see what loaded and what was rejected.

    Known exports (CFR Cyber Operations Tracker, EuRepoC) are recognised by their headers. Imported
    incidents can be charted alone or beside the curated ones. Nothing is written to disk.
    """

    ADAPTERS = ("automatic", "generic", "cfr", "eurepoc")

    def __init__(self):
        from briefing import importers

        self._importers = importers
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv,.xlsx,.xls", multiple=False, description="Upload file")
        self.table = widgets.Dropdown(options=data.list_tables(), value="incidents", description="As table")
        self.adapter = widgets.Dropdown(options=self.ADAPTERS, value="automatic", description="Format")
        self.mapping = widgets.Textarea(placeholder="Your header = kit column, one per line (e.g. Title = name)",
                                        description="Mapping", layout=widgets.Layout(width="420px", height="70px"))
        self.all_or_nothing = widgets.Checkbox(value=False, description="All or nothing", indent=False)
        self.beside_curated = widgets.Checkbox(value=True, description="Chart beside the curated data", indent=False)
        self.summary = widgets.HTML("<p><i>Upload a file to begin. Nothing leaves this machine and nothing is "
                                    "written to the kit's data.</i></p>")
        self.rejected = widgets.HTML()
        self.loaded = widgets.HTML()
        self.chart_box = widgets.Box()
        for control in (self.upload, self.table, self.adapter, self.all_or_nothing, self.beside_curated):
            control.observe(self._on_change, names="value")
        self.mapping.observe(self._on_change, names="value")
        options = widgets.VBox([widgets.HBox([self.upload, self.table, self.adapter]),
                                widgets.HBox([self.mapping, widgets.VBox([self.all_or_nothing, self.beside_curated])])])
        self.widget = widgets.VBox([options, self.summary, self.loaded, self.rejected, self.chart_box])
        self.widget.add_class("briefing-import-explorer")
        self.report = None

    def _mapping(self) -> dict[str, str]:
        pairs = [line.split("=", 1) for line in self.mapping.value.splitlines() if "=" in line]
        return {left.strip(): right.strip() for left, right in pairs if left.strip() and right.strip()}

    def _uploaded(self):
        files = self.upload.value
        if not files:
            return None
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        return item["name"], bytes(item["content"])

    def _on_change(self, _change=None) -> None:
        uploaded = self._uploaded()
        if uploaded is not None:
            self.load(*uploaded)

    def _read(self, name: str, content: bytes):
        importers = self._importers
        adapter = self.adapter.value
        head = content[:4096].decode("utf-8", errors="replace").splitlines()[0] if content else ""
        if adapter == "automatic":
            if head.startswith("Title,Date,Affiliations"):
                adapter = "cfr"
            elif head.startswith("ID,name,description,start_date"):
                adapter = "eurepoc"
            else:
                adapter = "generic"
        if adapter == "cfr":
            return importers.read_cfr_tracker(content, name=name)
        if adapter == "eurepoc":
            return importers.read_eurepoc(content, name=name)
        return importers.read_table(content, self.table.value, name=name, mapping=self._mapping(),
                                    all_or_nothing=self.all_or_nothing.value)

    def load(self, name: str, content: bytes) -> None:
        """Import ``content`` (the bytes of file ``name``) and show the result: what the upload does."""
        importers = self._importers
        self.chart_box.children = ()
        try:
            report = self._read(name, content)
        except importers.ImporterError as problem:
            self.report = problem.report
            self.summary.value = f"<p class='briefing-error'><b>Not imported:</b> {html.escape(str(problem))}</p>"
            self.loaded.value = ""
            self._show_rejected(problem.report)
            return
        self.report = report
        self.summary.value = f"<p class='briefing-import-summary'>{html.escape(report.summary())}</p>"
        preview = report.frame.head(10)
        columns = [c for c in ("name", "start_date", "incident_type", "attributed_actor", "origin")
                   if c in preview.columns] or list(preview.columns[:5])
        self.loaded.value = "<p><b>First rows loaded</b></p>" + _escaped_table(preview[columns])
        self._show_rejected(report)
        if report.table == "incidents" and report.loaded:
            rows = importers.combine_with_curated(report) if self.beside_curated.value else report.frame
            title = "Incidents by year: imported and curated" if self.beside_curated.value else "Imported incidents by year"
            figure = charts.incidents_by_year(rows, title=title,
                                              source_line=_import_source_line(report, self.beside_curated.value))
            _replace_children(self.chart_box, live_figure(figure))

    def _show_rejected(self, report) -> None:
        import base64

        if report is None or not len(report.rejected):
            self.rejected.value = "<p>No rows were rejected.</p>" if report is not None else ""
            return
        encoded = base64.b64encode(report.rejected_csv().encode("utf-8")).decode("ascii")
        self.rejected.value = (
            f"<p><b>Rejected rows</b> ({report.rejected_rows}; the first 50 problems below). "
            f"<a download=\"rejected-rows.csv\" href=\"data:text/csv;base64,{encoded}\">Download all as CSV</a></p>"
            + _escaped_table(report.rejected.head(50))
        )


def _escaped_table(frame: pd.DataFrame) -> str:
    """A frame as an HTML table with every cell escaped (user files may hold markup)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell_text(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"<table class='briefing-table'><tr>{head}</tr>{body}</table>"


def _cell_text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _import_source_line(report, beside: bool) -> str:
    from briefing import theme

    parts = [f"imported from {report.file}"] + (["Cyber Norms Briefing Kit curated data"] if beside else [])
    return theme.source_text(parts)
