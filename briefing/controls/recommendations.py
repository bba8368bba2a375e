"""The recommendations explorer: who is asked to do what, as a flow and as the list behind it."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from briefing import charts, data, render, tidy
from briefing.controls.base import Explorer, live_figure, multi


def recommendations_html(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The recommendations as a list (who, on which theme, what, from which text) and their sources."""
    items = [
        f"<b>{render.escape(r.stakeholder)}</b> ({render.escape(r.theme)}): {render.escape(r.summary)} "
        f"<i>{render.escape(r.recommended_by)}{', ' + render.escape(r.reference) if pd.notna(r.reference) else ''}</i>"
        for r in rows.sort_values(["group", "stakeholder"]).itertuples()
    ]
    return render.items_list(items, escaped=True, css_class="briefing-recommendations") + render.sources_list(
        rows["source_id"], sources
    )


class RecommendationsExplorer(Explorer):
    """Who is asked to do what: a flow from stakeholder groups to themes, and the list behind it."""

    def __init__(self, frame: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None):
        super().__init__()
        self.frame = frame
        self.sources = sources
        self.as_of = as_of
        self.selection = frame
        self.figure = live_figure(charts.recommendations_flow(frame, as_of=as_of))
        self.by_picker = multi(sorted(frame["recommended_by"].unique()), "From", rows=6)
        self.group_picker = multi(
            [(tidy.label("stakeholders", "group", group), group) for group in sorted(frame["group"].dropna().unique())],
            "Asked of",
            rows=6,
        )
        self.theme_picker = multi(sorted(frame["theme"].dropna().unique()), "Theme", rows=6)
        self._watch(self.by_picker, self.group_picker, self.theme_picker)
        filters = widgets.HBox([self.by_picker, self.group_picker, self.theme_picker, self.reset_button])
        self.widget = self._root([filters, self.status, self.figure, self.details], "briefing-recommendations-explorer")
        self._update()

    @classmethod
    def from_package(cls, *, seed_texts_only: bool = False) -> RecommendationsExplorer:
        """All recommendations, or only those of the five seed texts the kit grew from."""
        frame, sources = tidy.recommendations_frame(), data.load("sources")
        if seed_texts_only:
            seeds = set(sources.loc[sources["kind"] == "seed_text", "source_id"])
            frame = frame[frame["source_id"].isin(seeds)]
        return cls(frame, sources, as_of=data.as_of())

    def _update(self) -> None:
        rows = tidy.select_by_choices(
            self.frame,
            {
                "recommended_by": self.by_picker.value,
                "group": self.group_picker.value,
                "theme": self.theme_picker.value,
            },
        )
        self.selection = rows
        fresh = charts.recommendations_flow(rows, as_of=self.as_of)
        # A Sankey's nodes change with the selection: swap its node and link data in one batch.
        with self.figure.batch_update():
            self.figure.data[0].node = fresh.data[0].node
            self.figure.data[0].link = fresh.data[0].link
        self._say_count(len(rows), "recommendation")
        self.details.value = recommendations_html(rows, self.sources)
