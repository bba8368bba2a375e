"""The chart studio: pick a chart, filter it, write its title, notes and alt text, preview, export."""

from __future__ import annotations

import contextlib
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from briefing import data, render
from briefing.controls.base import Explorer, live_figure, replace_children


def _wide() -> widgets.Layout:
    """A fresh layout per control: a Layout is a widget, closed with the control that holds it."""
    return widgets.Layout(width="520px")


class ChartStudio(Explorer):
    """Pick a chart, filter it, write its title, notes and alt text, preview it at a preset size, export.

    Examples
    --------
    >>> studio = ChartStudio.from_package(folder="exports")
    >>> studio.chart.value = "incidents-by-year"
    >>> studio.widget  # doctest: +SKIP
    """

    ALL = "(all)"

    def __init__(self, tables: dict[str, pd.DataFrame], *, folder: str = "exports"):
        # Imported here: export and gallery pull in the image exporter, which only the studio needs.
        from briefing import export, gallery

        super().__init__()
        self._export, self._gallery = export, gallery
        self.tables = tables
        self.folder = folder
        self.result = None
        self._alt_edited = False  # the reader wrote the alt text: keep it
        self._drafting = False  # the kit is writing the alt text: not the reader's edit
        years = pd.concat([tables["events"]["date"], tables["incidents"]["start_date"]]).dt.year
        self._years = (int(years.min()), int(years.max()))
        self._build_chart_controls()
        self._build_export_controls()
        self._sync_categories()
        self._watch(
            self.chart,
            self.years,
            self.category,
            self.forum,
            self.search,
            self.title,
            self.subtitle,
            self.notes,
            self.preset,
        )
        self.alt.observe(self._on_alt_typed, names="value")
        self.redraft.on_click(self._on_redraft)
        self.export_button.on_click(self._on_export)
        options = widgets.VBox(
            [
                self.chart,
                self.years,
                self.category,
                self.forum,
                self.search,
                self.title,
                self.subtitle,
                self.notes,
                widgets.HBox([self.alt, self.redraft]),
                self.preset,
                widgets.HBox(list(self.formats.values()) + [self.with_data]),
                widgets.HBox([self.filename, self.overwrite, self.export_button]),
                self.message,
                self.files,
            ]
        )
        self.widget = self._root([options, self.preview_box], "briefing-chart-studio")
        self._update()

    def _build_chart_controls(self) -> None:
        recipes = self._gallery.RECIPES
        self.chart = widgets.Dropdown(
            options=[(f"{name}: {r.description}", name) for name, r in recipes.items()],
            value="timeline",
            description="Chart",
            layout=_wide(),
        )
        self.years = widgets.IntRangeSlider(
            value=self._years, min=self._years[0], max=self._years[1], description="Years", continuous_update=False
        )
        self.category = widgets.Dropdown(description="Category")
        self.forum = widgets.Dropdown(
            options=self._gallery.forum_choices(self.tables), value="budapest_convention", description="Forum"
        )
        self.search = widgets.Text(description="Search", continuous_update=False)
        self.title = widgets.Text(
            description="Title", placeholder="(the chart's own title)", continuous_update=False, layout=_wide()
        )
        self.subtitle = widgets.Text(description="Subtitle", continuous_update=False, layout=_wide())
        self.notes = widgets.Text(description="Notes", continuous_update=False, layout=_wide())
        self.alt = widgets.Textarea(description="Alt text", layout=widgets.Layout(width="520px", height="90px"))
        self.redraft = widgets.Button(description="Redraft alt text")

    def _build_export_controls(self) -> None:
        export = self._export
        self.preset = widgets.ToggleButtons(options=list(export.PRESETS), value="newsletter", description="Size")
        self.formats = {
            f: widgets.Checkbox(
                value=f in ("png", "svg", "html"),
                description=f.upper(),
                indent=False,
                layout=widgets.Layout(width="80px"),
            )
            for f in export.FORMATS
        }
        self.with_data = widgets.Checkbox(value=True, description="Data as CSV", indent=False)
        self.filename = widgets.Text(value="chart", description="File name")
        self.overwrite = widgets.Checkbox(value=False, description="Overwrite", indent=False)
        self.export_button = widgets.Button(description="Export", button_style="primary")
        self.message = widgets.HTML()
        self.files = widgets.HTML()
        self.preview_box = widgets.Box(
            layout=widgets.Layout(overflow="auto", border="1px solid #ddd", max_width="100%", max_height="80vh")
        )

    @classmethod
    def from_package(cls, *, folder: str = "exports") -> ChartStudio:
        return cls(data.load_all(), folder=folder)

    def _sync_categories(self) -> None:
        name = self.chart.value
        self.category.options = [self.ALL] + self._gallery.choices(name, self.tables)
        self.category.value = self.ALL
        filters = self._gallery.recipe(name).filters
        self.years.disabled = not {"years", "year_to"} & set(filters)
        self.category.disabled = "category" not in filters
        self.forum.disabled = "forum" not in filters
        self.search.disabled = "search" not in filters

    def _on_change(self, change=None) -> None:
        if change is not None and change["owner"] is self.chart:
            with self._quietly():
                self._sync_categories()
                # Title, subtitle, notes and alt text were written for the last chart, not this one.
                self.title.value = self.subtitle.value = self.notes.value = ""
                self._alt_edited = False
        super()._on_change(change)

    def _on_alt_typed(self, _change) -> None:
        if not self._drafting:
            self._alt_edited = True

    def _on_redraft(self, _button=None) -> None:
        self._alt_edited = False
        self._update()

    def build(self):
        """The chart as the controls describe it (a :class:`briefing.gallery.Visual`)."""
        filters = self._gallery.recipe(self.chart.value).filters
        first, last = self.years.value
        years: dict[str, int] = {}
        if "years" in filters:
            years = {"year_from": first, "year_to": last}
        elif "year_to" in filters and (first, last) != self._years:
            years = {"year_to": last}  # by the end of that year; the whole range means "now"
        category = None if self.category.value == self.ALL else self.category.value
        return self._gallery.build(
            self.chart.value,
            category=category,
            forum=self.forum.value,
            search=self.search.value,
            title=self.title.value or None,
            tables=self.tables,
            **years,
        )

    def _update(self) -> None:
        self.visual = self.build()
        try:
            self.publication = self._export.publication_figure(
                self.visual.figure,
                subtitle=self.subtitle.value or None,
                notes=self.notes.value or None,
                preset=self.preset.value,
            )
        except self._export.ExportError as problem:  # e.g. too many rows for the preset
            self.message.value = f"<p class='briefing-error'><b>Cannot preview:</b> {render.escape(problem)}</p>"
            replace_children(self.preview_box)
            return
        self.message.value = ""
        if not self._alt_edited:
            self._drafting = True
            try:
                self.alt.value = self._export.alt_text(self.publication)
            finally:
                self._drafting = False
        # The preview is a new figure each time: chart type and size may both have changed. It is
        # drawn at the preset's true size (a slide is 1920 px wide) and scrolls inside its box.
        width, height = self.publication.layout.width, self.publication.layout.height  # a newsletter may grow
        frame = widgets.Box(
            [live_figure(self.publication)],
            layout=widgets.Layout(width=f"{width}px", min_width=f"{width}px", height=f"{height}px", flex="none"),
        )
        replace_children(self.preview_box, frame)

    def _on_export(self, _button=None) -> None:
        formats = tuple(f for f, box in self.formats.items() if box.value)
        export = self._export
        try:
            # A plain name inside the exports folder; the files are written all or none.
            stem = Path(self.folder) / export.safe_file_name(self.filename.value)
            needs_browser = any(f in export.STATIC_FORMATS for f in formats)
            with export.export_session() if needs_browser else contextlib.nullcontext():
                result = export.export_figure(
                    self.visual.figure,
                    stem,
                    formats=formats,
                    preset=self.preset.value,
                    title=self.title.value or None,
                    subtitle=self.subtitle.value or None,
                    notes=self.notes.value or None,
                    alt=self.alt.value,
                    overwrite=self.overwrite.value,
                    rows=self.visual.rows if self.with_data.value else None,
                    citation=self.visual.citation,
                )
        except export.ExportError as problem:
            self.message.value = f"<p class='briefing-error'><b>Not exported:</b> {render.escape(problem)}</p>"
            return
        self.result = result
        self.message.value = f"<p class='briefing-exported'>Exported {len(result.files)} files.</p>"
        self.files.value = render.download_table(result.files, folder=Path(self.folder))
