"""The positions explorer: which state holds which view of how international law applies.

A holder x question grid coloured by stance, a map of who holds which view on one question, and
a timeline of when the positions were published; filter by question, region and membership of a
forum; click a square for the quotation, the document and its source.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, law, render, tidy
from briefing.controls.base import Explorer, live_figure, multi, replace_children

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
        self.selection = frame
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
        # The grid's rows, height, separators and legend all follow the filter, so each update draws
        # the figures anew (as the chart studio does) rather than refilling them in place.
        self.grid_box, self.map_box, self.timeline_box = (
            widgets.VBox(layout=widgets.Layout(width="100%")) for _ in range(3)
        )
        filters = widgets.HBox(
            [self.question_picker, widgets.VBox([self.region, self.member_of, self.map_question, self.reset_button])]
        )
        self.widget = self._root(
            [filters, self.status, self.grid_box, self.details, self.map_box, self.timeline_box],
            "briefing-positions-explorer",
        )
        self._update()

    @classmethod
    def from_package(cls) -> PositionsExplorer:
        return cls(law.positions_frame(), data.load("sources"), as_of=data.as_of())

    def _update(self) -> None:
        self.selection = law.select_positions(
            self.frame,
            questions=tuple(self.question_picker.value),
            region=self.region.value or None,
            member_of=self.member_of.value or None,
        )
        self.grid = self._show(self.grid_box, charts.positions_grid(self.selection, as_of=self.as_of))
        for trace in self.grid.data:
            trace.on_click(self._on_click)
        self.map = self._show(
            self.map_box, charts.positions_map(self.selection, question=self.map_question.value, as_of=self.as_of)
        )
        self.timeline = self._show(self.timeline_box, charts.positions_timeline(self.selection, as_of=self.as_of))
        self._say_count(self.selection["holder_id"].nunique(), "state or organisation", "states and organisations")

    @staticmethod
    def _show(box: widgets.Box, figure: go.Figure) -> go.FigureWidget:
        live = live_figure(figure)
        replace_children(box, widgets.VBox([live], layout=widgets.Layout(width="100%")))  # as wide as the page
        return live

    def _on_click(self, trace, points, _state=None) -> None:
        if not points.point_inds or trace.customdata is None:
            return
        index = points.point_inds[0]
        # A heatmap's point is (row, column); the squares' customdata is a grid of the same shape.
        cell = trace.customdata[index[0]][index[1]] if isinstance(index, (list, tuple)) else trace.customdata[index]
        if isinstance(cell, (list, tuple)) and len(cell) > 1 and cell[0]:
            self.show_stance(str(cell[0]), str(cell[1]))

    def show_stance(self, position_id: str, question: str) -> None:
        """The quotation, document and source behind one square (what a click does)."""
        rows = self.frame[(self.frame["position_id"] == position_id) & (self.frame["question"] == question)]
        if rows.empty:
            self.details.value = "<p>No such position in the kit's data.</p>"
            return
        self.details.value = stance_html(rows, self.sources)
