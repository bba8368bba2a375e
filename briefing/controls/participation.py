"""The participation explorer: who takes part in a forum (by year where dates exist), and the overlap."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, render, tidy
from briefing.controls.base import Explorer, live_figure, refill

DEFAULT_OVERLAP = ("un_gge_2019", "paris_call", "budapest_convention")


class ParticipationExplorer(Explorer):
    """Who takes part in a forum (by year where dates exist), and who sits at several tables."""

    def __init__(
        self,
        participation: pd.DataFrame,
        sources: pd.DataFrame,
        *,
        as_of: str | None = None,
        forum_id: str = "budapest_convention",
        overlap: tuple[str, ...] = DEFAULT_OVERLAP,
    ):
        super().__init__()
        self.participation = participation
        self.sources = sources
        self.as_of = as_of
        forums = participation.drop_duplicates("forum_id")[["forum", "forum_id"]].sort_values("forum")
        options = [(str(f), str(i)) for f, i in forums.itertuples(index=False)]
        self.forum_picker = widgets.Dropdown(options=options, value=forum_id, description="Forum")
        self.year = widgets.IntSlider(description="By year", continuous_update=False)
        self.use_year = widgets.Checkbox(value=False, description="Step through the years")
        self.overlap_picker = widgets.SelectMultiple(
            options=options, value=overlap, description="Overlap of", rows=6, layout=widgets.Layout(width="360px")
        )
        self.map = live_figure(self._map_figure(validate=True))
        self.overlap_map = live_figure(self._overlap_figure())
        self._drawn_overlap = self.overlap_picker.value
        for figure in (self.map, self.overlap_map):
            figure.data[-1].on_click(self._on_click)
        self._watch(self.forum_picker, self.year, self.use_year, self.overlap_picker)
        controls = widgets.HBox(
            [widgets.VBox([self.forum_picker, self.use_year, self.year]), self.overlap_picker, self.reset_button]
        )
        self.widget = self._root(
            [controls, self.status, self.map, self.overlap_map, self.details], "briefing-participation-explorer"
        )
        self._update()

    @classmethod
    def from_package(cls, **options) -> ParticipationExplorer:
        tables = {name: data.load(name) for name in ("participation", "forums")}
        return cls(tidy.participation_frame(tables), data.load("sources"), as_of=data.as_of(), **options)

    def _rows(self) -> pd.DataFrame:
        return tidy.members_as_of(self.participation, forum_id=self.forum_picker.value)

    def _map_figure(self, *, validate: bool = False) -> go.Figure:
        """The map of the forum (and year) chosen; unchecked for a refill, checked when first drawn."""
        rows = self._rows()
        name = str(rows["forum"].iloc[0]) if len(rows) else self.forum_picker.value
        year = self.year.value if self.use_year.value else None
        title = f"Who takes part: {name}"
        return charts.participation_map(rows, title=title, year=year, as_of=self.as_of, validate=validate)

    def _overlap_figure(self) -> go.Figure:
        frame = tidy.overlap_frame(self.participation, list(self.overlap_picker.value))
        # One layer per possible count, so the live map has a trace for every choice a reader can make.
        return charts.participation_overlap(frame, as_of=self.as_of, layers=len(self.forum_picker.options))

    def _restore_defaults(self) -> None:
        # The year slider keeps its place: its range follows the forum (see _sync_year_slider).
        for control in (self.forum_picker, self.overlap_picker, self.use_year):
            control.value = self._defaults[control]

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
        with self._quietly():  # the slider's range follows the forum without a second update
            self._sync_year_slider()
        fresh = self._map_figure()
        refill(self.map, fresh)
        # The overlap map depends on its own picker only: a forum or year change leaves it alone
        # (rebuilding it was half of a change's time, and its outlines were sent to the page again).
        if self.overlap_picker.value != self._drawn_overlap:
            self._drawn_overlap = self.overlap_picker.value
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
        items = [
            f"{r.forum}: {tidy.in_sentence(tidy.label('participation', 'role', r.role))}"
            + (f", since {charts.format_date(r.date, r.date_precision)}" if pd.notna(r.date) else "")
            for r in rows.itertuples()
        ]
        self.details.value = (
            f"<h4>{render.escape(rows['country'].iloc[0])}</h4>"
            + render.items_list(items)
            + render.sources_list(rows["source_id"], self.sources)
        )
