"""The norms explorer: the frameworks-by-themes crosswalk; a click on a cell lists the norms behind it."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from briefing import charts, data, law, render, tidy
from briefing.controls.base import Explorer, live_figure, multi, refill


class NormsExplorer(Explorer):
    """The frameworks-by-themes crosswalk; a click on a cell lists the norms behind it."""

    def __init__(self, crosswalk: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None):
        super().__init__()
        self.crosswalk = crosswalk
        self.sources = sources
        self.as_of = as_of
        self.selection = crosswalk
        self._claims_frame: pd.DataFrame | None = None
        self.figure = live_figure(charts.norms_matrix(crosswalk, as_of=as_of))
        self.framework_picker = multi(sorted(crosswalk["framework"].unique()), "Frameworks", rows=8)
        self.theme_picker = multi(sorted(crosswalk["theme"].unique()), "Themes", rows=8)
        self._watch(self.framework_picker, self.theme_picker)
        self.figure.data[0].on_click(self._on_click)
        filters = widgets.HBox([self.framework_picker, self.theme_picker, self.reset_button])
        self.widget = self._root([filters, self.status, self.figure, self.details], "briefing-norms-explorer")
        self._update()

    @classmethod
    def from_package(cls) -> NormsExplorer:
        tables = {name: data.load(name) for name in ("norms", "norm_themes", "themes", "forums")}
        return cls(tidy.norms_crosswalk_frame(tables), data.load("sources"), as_of=data.as_of())

    def _update(self) -> None:
        rows = tidy.select_by_choices(
            self.crosswalk, {"framework": self.framework_picker.value, "theme": self.theme_picker.value}
        )
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
            self.details.value = f"<p>{render.escape(framework)} has no item on {render.escape(theme)}.</p>"
            return
        items = [
            f"<b>{render.escape(r.short_title)}</b> ({render.escape(r.reference)}): {render.escape(r.summary)}"
            for r in norms.itertuples()
        ]
        claims = self._claims()
        linked = claims[claims["invoked_id"].isin(set(norms["norm_id"]))]
        incidents = [f"{r.incident}: {r.sentence}" for r in linked.itertuples()]
        self.details.value = (
            f"<h4>{render.escape(framework)}: {render.escape(theme)}</h4>"
            + render.items_list(items, escaped=True)
            + (
                "<p><b>Incidents said to breach these norms, and who said so</b></p>" + render.items_list(incidents)
                if incidents
                else ""
            )
            + render.sources_list(norms["source_id"], self.sources)
        )

    def _claims(self) -> pd.DataFrame:
        """Who said which incident breached which norm (read once, on the first click)."""
        if self._claims_frame is None:
            self._claims_frame = law.incident_norms_frame()
        return self._claims_frame
