"""The import explorer: upload a file, read it as a kit table, see what loaded and what was rejected."""

from __future__ import annotations

import base64

import ipywidgets as widgets

from briefing import charts, data, importers, render, theme
from briefing.controls.base import Explorer, live_figure, replace_children


def import_source_line(report: importers.ImportReport, beside: bool) -> str:
    """The source line of a chart of imported rows (and of the curated ones beside them)."""
    parts = [f"imported from {report.file}"] + (["Cyber Norms Briefing Kit curated data"] if beside else [])
    return theme.source_text(parts)


def rejected_html(report: importers.ImportReport | None) -> str:
    """The rejected rows (the first 50 problems) and a link to download all of them as CSV."""
    if report is None:
        return ""
    if not len(report.rejected):
        return "<p>No rows were rejected.</p>"
    encoded = base64.b64encode(report.rejected_csv().encode("utf-8")).decode("ascii")
    return (
        f"<p><b>Rejected rows</b> ({report.rejected_rows}; the first 50 problems below). "
        f'<a download="rejected-rows.csv" href="data:text/csv;base64,{encoded}">Download all as CSV</a></p>'
        + render.escaped_table(report.rejected.head(50))
    )


class ImportExplorer(Explorer):
    """Upload a CSV or Excel file, read it as a kit table, and see what loaded and what was rejected.

    Known exports (CFR Cyber Operations Tracker, EuRepoC) are recognised by their headers
    (:func:`briefing.importers.detect_format`). Imported incidents can be charted alone or beside the
    curated ones. Nothing is written to disk.
    """

    ADAPTERS = ("automatic", "generic", "cfr", "eurepoc")

    def __init__(self) -> None:
        super().__init__()
        self.report: importers.ImportReport | None = None
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv,.xlsx,.xls", multiple=False, description="Upload file")
        self.table = widgets.Dropdown(options=data.list_tables(), value="incidents", description="As table")
        self.adapter = widgets.Dropdown(options=self.ADAPTERS, value="automatic", description="Format")
        # Not on every keystroke: each change re-imports the uploaded file (up to 50 MB).
        self.mapping = widgets.Textarea(
            placeholder="Your header = kit column, one per line (e.g. Title = name)",
            description="Mapping",
            continuous_update=False,
            layout=widgets.Layout(width="420px", height="70px"),
        )
        self.all_or_nothing = widgets.Checkbox(value=False, description="All or nothing", indent=False)
        self.beside_curated = widgets.Checkbox(value=True, description="Chart beside the curated data", indent=False)
        self.summary = widgets.HTML(
            "<p><i>Upload a file to begin. Nothing leaves this machine and nothing is "
            "written to the kit's data.</i></p>"
        )
        self.guide = widgets.HTML()
        self.rejected = widgets.HTML()
        self.loaded = widgets.HTML()
        self.chart_box = widgets.Box()
        self._watch(self.upload, self.table, self.adapter, self.mapping, self.all_or_nothing, self.beside_curated)
        options = widgets.VBox(
            [
                widgets.HBox([self.upload, self.table, self.adapter]),
                widgets.HBox([self.mapping, widgets.VBox([self.all_or_nothing, self.beside_curated])]),
            ]
        )
        self.widget = self._root(
            [options, self.guide, self.summary, self.loaded, self.rejected, self.chart_box], "briefing-import-explorer"
        )
        self._show_guide()

    def _mapping(self) -> dict[str, str]:
        pairs = [line.split("=", 1) for line in self.mapping.value.splitlines() if "=" in line]
        return {left.strip(): right.strip() for left, right in pairs if left.strip() and right.strip()}

    def _uploaded(self) -> tuple[str, bytes] | None:
        files = self.upload.value
        if not files:
            return None
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        return item["name"], bytes(item["content"])

    def _show_guide(self) -> None:
        """Before an upload: which columns the chosen table needs, which it may have, which the kit fills in."""
        guide = importers.column_guide(self.table.value)[["column", "in your file", "allowed values"]]
        self.guide.value = (
            f"<details class='briefing-column-guide'><summary><b>What columns your file needs</b> "
            f"({render.escape(self.table.value)})</summary>{render.escaped_table(guide)}</details>"
        )

    def _update(self) -> None:
        self._show_guide()
        uploaded = self._uploaded()
        if uploaded is not None:
            self.load(*uploaded)

    def _read(self, name: str, content: bytes) -> importers.ImportReport:
        adapter = self.adapter.value
        if adapter == "automatic":
            adapter = importers.detect_format(content)
        if adapter == "cfr":
            return importers.read_cfr_tracker(content, name=name)
        if adapter == "eurepoc":
            return importers.read_eurepoc(content, name=name)
        return importers.read_table(
            content, self.table.value, name=name, mapping=self._mapping(), all_or_nothing=self.all_or_nothing.value
        )

    def load(self, name: str, content: bytes) -> None:
        """Import ``content`` (the bytes of file ``name``) and show the result: what the upload does."""
        self.chart_box.children = ()
        try:
            report = self._read(name, content)
        except importers.ImporterError as problem:
            self.report = problem.report
            self.summary.value = f"<p class='briefing-error'><b>Not imported:</b> {render.escape(problem)}</p>"
            self.loaded.value = ""
            self.rejected.value = rejected_html(problem.report)
            return
        self.report = report
        self.summary.value = f"<p class='briefing-import-summary'>{render.escape(report.summary())}</p>"
        preview = report.frame.head(10)
        columns = [
            c for c in ("name", "start_date", "incident_type", "attributed_actor", "origin") if c in preview.columns
        ] or list(preview.columns[:5])
        self.loaded.value = (
            "<div class='briefing-loaded-rows'><p><b>First rows loaded</b></p>"
            + render.escaped_table(preview[columns])
            + "</div>"
        )
        self.rejected.value = rejected_html(report)
        if report.table == "incidents" and report.loaded:
            beside = self.beside_curated.value
            rows = importers.combine_with_curated(report) if beside else report.frame
            title = "Incidents by year: imported and curated" if beside else "Imported incidents by year"
            figure = charts.incidents_by_year(rows, title=title, source_line=import_source_line(report, beside))
            replace_children(self.chart_box, live_figure(figure))
