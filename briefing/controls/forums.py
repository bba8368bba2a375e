"""The forum explorer: lifespans and positions of the forums, with a details panel per forum."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from briefing import charts, data, render, tidy
from briefing.controls.base import Explorer, live_figure, multi, refill


def _binding_phrase(binding: object) -> str:
    return "legally binding" if binding is True else "voluntary" if binding is False else "binding status unknown"


def forum_html(forum: pd.Series, events: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The details panel of one forum: what it is, when it ran, its outcome, sources and milestones."""

    def cell(name: str) -> str:
        """A column's value as it reads; a code of a declared list by its label."""
        value = forum[name]
        if pd.isna(value):
            return "unknown"
        coded = name in ("kind", "participation", "status")
        return render.escape(tidy.label("forums", name, value) if coded else value)

    start = (
        "unknown" if pd.isna(forum["start_date"]) else charts.format_date(forum["start_date"], forum["start_precision"])
    )
    end = "" if pd.isna(forum["end_date"]) else " to " + charts.format_date(forum["end_date"], forum["end_precision"])
    parts = [
        f"<h4>{render.escape(forum['name'])}</h4>",
        f"<p>{cell('kind')} &middot; {cell('participation')} &middot; {_binding_phrase(forum['binding'])}"
        f" &middot; status: {cell('status')}</p>",
        f"<p>{render.escape(start)}{render.escape(end)}. Lead or host: {cell('lead_or_host')}.</p>",
        f"<p>{cell('outcome')}</p>",
    ]
    if pd.notna(forum["note"]):
        parts.append(f"<p><i>Note: {render.escape(forum['note'])}</i></p>")
    parts.append(render.sources_list([forum["source_id"], forum["extra_source_id"]], sources))
    if len(events):
        items = [f"{charts.format_date(r.date, r.date_precision)}: {r.title}" for r in events.itertuples()]
        parts.append("<p><b>Milestones</b></p>" + render.items_list(items))
    return "".join(parts)


class ForumExplorer(Explorer):
    """The forums' lifespans and their place by who may take part and whether they bind."""

    def __init__(self, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        super().__init__()
        self.tables = tables
        self.forums = tables["forums"]
        self.as_of = as_of
        self.selection = self.forums
        self.lifespans = live_figure(charts.forum_landscape(self.forums, as_of=as_of))
        self.positions = live_figure(charts.forum_positions(self.forums, as_of=as_of))
        self.kind_picker = multi(
            [(tidy.label("forums", "kind", kind), kind) for kind in sorted(self.forums["kind"].unique())], "Kind"
        )
        self.participation_picker = multi(
            [(tidy.label("forums", "participation", p), p) for p in data.enum("forums", "participation")],
            "Who joins",
            rows=4,
        )
        self.search = widgets.Text(
            placeholder="e.g. GGE, Paris, ransomware", description="Search", continuous_update=False
        )
        self._watch(self.kind_picker, self.participation_picker, self.search)
        for figure in (self.lifespans, self.positions):
            for trace in figure.data:
                trace.on_click(self._on_click)
        filters = widgets.HBox(
            [self.kind_picker, self.participation_picker, widgets.VBox([self.search, self.reset_button])]
        )
        self.widget = self._root(
            [filters, self.status, self.lifespans, self.positions, self.details], "briefing-forum-explorer"
        )
        # The charts were just drawn from every forum, which is what no filter selects: only the
        # status line is left to say (an _update here built both charts a second time, 76 ms).
        self._say_count(len(self.selection), "forum")

    @classmethod
    def from_package(cls) -> ForumExplorer:
        tables = {name: data.load(name) for name in ("forums", "events", "sources")}
        return cls(tables, as_of=data.as_of())

    def current_filter(self) -> tidy.ForumFilter:
        return tidy.ForumFilter(
            kinds=tuple(self.kind_picker.value),
            participation=tuple(self.participation_picker.value),
            text=self.search.value,
        )

    def _update(self) -> None:
        self.selection = tidy.select_forums(self.forums, self.current_filter())
        refill(self.lifespans, charts.forum_landscape(self.selection, as_of=self.as_of))
        refill(self.positions, charts.forum_positions(self.selection, as_of=self.as_of))
        self._say_count(len(self.selection), "forum")

    def _on_click(self, trace, points, _state=None) -> None:
        if points.point_inds:
            self.show_details(trace.customdata[points.point_inds[0]][0])

    def show_details(self, forum_id: str) -> None:
        """Fill the details panel with one forum (what a click does)."""
        forum = self.forums.set_index("forum_id").loc[forum_id]
        events = self.tables["events"]
        related = events[events["forum_id"] == forum_id].sort_values("date")
        self.details.value = forum_html(forum, related, self.tables["sources"])
