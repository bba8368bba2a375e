"""The positions explorer: which state holds which view of how international law applies.

A holder x question grid coloured by stance, a map of who holds which view on one question, and
a timeline of when the positions were published; filter by question, region and membership of a
forum; click a square for the quotation, the document and its source.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, law, render, tidy
from briefing.controls.base import Explorer, live_figure, multi, refill

ANY = ""


def stance_html(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """One holder's stance on one question: the coded view, the quotation and where it stands."""
    row = rows.iloc[0]
    stance = law.STANCE_LABELS.get(row["stance"], tidy.words(row["stance"]))
    date = tidy.format_date(row["date"], str(row["date_precision"])) if pd.notna(row["date"]) else "date unknown"
    quotation = (
        f"<blockquote>&ldquo;{render.escape(row['quotation'])}&rdquo; ({render.escape(row['pinpoint'])})</blockquote>"
        if pd.notna(row["quotation"])
        else "<p><i>No quotation: the stored copy of the document did not reach this question, or it is not addressed.</i></p>"
    )
    note = f"<p><i>Note: {render.escape(row['note'])}</i></p>" if pd.notna(row["note"]) else ""
    return (
        f"<h4>{render.escape(row['holder_name'])}: {render.escape(law.QUESTION_LABELS.get(row['question'], row['question']))}</h4>"
        f"<p><b>{render.escape(stance)}</b>, according to {render.escape(row['title'])} "
        f"({render.escape(row['venue'])}, {render.escape(date)})</p>"
        + quotation
        + note
        + render.sources_list([row["source_id"], row["position_source_id"]], sources)
    )


class PositionsExplorer(Explorer):
    """States' published positions on international law in cyberspace, question by question."""

    def __init__(self, frame: pd.DataFrame, sources: pd.DataFrame, *, as_of: str | None = None):
        super().__init__()
        self.frame = frame
        self.sources = sources
        self.as_of = as_of
        questions = list(law.QUESTION_LABELS)
        self.question_picker = multi([(law.QUESTION_LABELS[q], q) for q in questions], "Questions", rows=7)
        self.region = widgets.Dropdown(
            options=[("Any region", ANY)] + [(r, r) for r in law.REGIONS], description="Region"
        )
        forums = sorted({forum for memberships in frame["member_of"] for forum in memberships})
        names = data.load("forums").set_index("forum_id")["short_name"]
        self.member_of = widgets.Dropdown(
            options=[("Any forum", ANY)] + [(str(names.get(f, f)), f) for f in forums], description="Member of"
        )
        self.map_question = widgets.Dropdown(
            options=[(law.QUESTION_LABELS[q], q) for q in questions], value="sovereignty", description="Map of"
        )
        self._watch(self.question_picker, self.region, self.member_of, self.map_question)
        # Each holder's standing stance per question, ranked once: a filter change selects from it.
        self.stances = law.holder_stances(frame)
        self.selection, self.selected_stances = self._select()
        self._drawn_filters = self._filters_now()
        # Each chart draws the same traces for every selection (empty where nothing is held), so a
        # filter change refills the live figures in place: no new widget, one message per chart.
        self.grid = live_figure(self._grid_figure(validate=True))
        for trace in self.grid.data:
            trace.on_click(self._on_click)
        self.map = live_figure(self._map_figure(validate=True))
        self.timeline = live_figure(charts.positions_timeline(self.selection, as_of=self.as_of))
        filters = widgets.HBox(
            [self.question_picker, widgets.VBox([self.region, self.member_of, self.map_question, self.reset_button])]
        )
        self.widget = self._root(
            [filters, self.status, self.grid, self.details, self.map, self.timeline], "briefing-positions-explorer"
        )
        self._say_count(self.selection["holder_id"].nunique(), "state or organisation", "states and organisations")

    @classmethod
    def from_package(cls) -> PositionsExplorer:
        return cls(law.positions_frame(), data.load("sources"), as_of=data.as_of())

    def _filters_now(self) -> tuple:
        return (tuple(self.question_picker.value), self.region.value or None, self.member_of.value or None)

    def _select(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The rows the filters keep, and the holders' standing stances among them."""
        questions, region, member_of = self._filters_now()

        def chosen(rows: pd.DataFrame) -> pd.DataFrame:
            return law.select_positions(rows, questions=questions, region=region, member_of=member_of)

        return chosen(self.frame), chosen(self.stances)

    def _grid_figure(self, *, validate: bool = False) -> go.Figure:
        """The grid of the selection; unchecked for a refill, as :meth:`_map_figure`."""
        return charts.positions_grid(self.selection, as_of=self.as_of, stances=self.selected_stances, validate=validate)

    def _map_figure(self, *, validate: bool = False) -> go.Figure:
        """The map of the question chosen; unchecked (``validate=False``) for a refill, which the
        live figure checks itself."""
        return charts.positions_map(
            self.selection,
            question=self.map_question.value,
            as_of=self.as_of,
            stances=self.selected_stances,
            validate=validate,
        )

    def _update(self) -> None:
        refills = []
        if self._filters_now() != self._drawn_filters:  # the map's question alone redraws only the map
            self._drawn_filters = self._filters_now()
            self.selection, self.selected_stances = self._select()
            refills += [
                (self.grid, self._grid_figure()),
                (self.timeline, charts.positions_timeline(self.selection, as_of=self.as_of, validate=False)),
            ]
        refills.append((self.map, self._map_figure()))
        # Built first, sent together: the page repaints the charts back to back instead of each
        # one waiting while the kernel builds the next.
        for live, fresh in refills:
            refill(live, fresh)
        self._say_count(self.selection["holder_id"].nunique(), "state or organisation", "states and organisations")

    def _on_click(self, trace, points, _state=None) -> None:
        if not points.point_inds or trace.customdata is None:
            return
        index = points.point_inds[0]
        # A heatmap's point is (row, column); the squares' customdata is a grid of the same shape.
        cell = trace.customdata[index[0]][index[1]] if isinstance(index, (list, tuple)) else trace.customdata[index]
        if isinstance(cell, (list, tuple, np.ndarray)) and len(cell) > 1 and cell[0]:
            self.show_stance(str(cell[0]), str(cell[1]))

    def show_stance(self, position_id: str, question: str) -> None:
        """The quotation, document and source behind one square (what a click does)."""
        rows = self.frame[(self.frame["position_id"] == position_id) & (self.frame["question"] == question)]
        if rows.empty:
            self.details.value = "<p>No such position in the kit's data.</p>"
            return
        self.details.value = stance_html(rows, self.sources)
