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


def _problems_html(title: str, count: int, table, csv_text: str, file_name: str) -> str:
    encoded = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (
        f"<p><b>{title}</b> ({count}; the first 50 below). "
        f'<a download="{file_name}" href="data:text/csv;base64,{encoded}">Download all as CSV</a></p>'
        + render.escaped_table(table.head(50))
    )


def rejected_html(report: importers.ImportReport | None) -> str:
    """What the file as a whole was found to be (notes), the rejected rows and the flagged ones.

    Each table shows its first 50 problems with a link to download all of them as CSV.
    """
    if report is None:
        return ""
    parts = []
    if report.notes:
        items = "".join(f"<li>{render.escape(note)}</li>" for note in report.notes)
        parts.append(f"<div class='briefing-import-notes'><p><b>About this file</b></p><ul>{items}</ul></div>")
    if len(report.rejected):
        parts.append(
            _problems_html(
                "Rejected rows", report.rejected_rows, report.rejected, report.rejected_csv(), "rejected-rows.csv"
            )
        )
    else:
        parts.append("<p>No rows were rejected.</p>")
    if len(report.flagged):
        title = "Loaded, but check these"
        parts.append(
            _problems_html(title, report.flagged_rows, report.flagged, report.flagged_csv(), "flagged-rows.csv")
        )
    return "".join(parts)


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
        self._last_upload: tuple[str, bytes] | None = None
        self.upload = widgets.FileUpload(accept=".csv,.txt,.tsv,.xlsx,.xls", multiple=False, description="Upload file")
        self.table = widgets.Dropdown(options=data.list_tables(), value="incidents", description="As table")
        self.adapter = widgets.Dropdown(options=self.ADAPTERS, value="automatic", description="Format")
        # Shown once a workbook with several sheets is uploaded: which sheet to read.
        self.sheet = widgets.Dropdown(options=[], description="Sheet", layout=widgets.Layout(display="none"))
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
        self._watch(
            self.upload, self.table, self.adapter, self.sheet, self.mapping, self.all_or_nothing, self.beside_curated
        )
        options = widgets.VBox(
            [
                widgets.HBox([self.upload, self.table, self.adapter, self.sheet]),
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
            if uploaded != self._last_upload:  # a new file: its own sheets, not the last one's choice
                self._last_upload = uploaded
                self._offer_sheets(None)
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
            content,
            self.table.value,
            name=name,
            mapping=self._mapping(),
            all_or_nothing=self.all_or_nothing.value,
            sheet=self.sheet.value or None,
        )

    def _offer_sheets(self, report: importers.ImportReport | None) -> None:
        """The Sheet box lists a workbook's sheets (shown only when there is a choice)."""
        sheets = list(report.sheets) if report is not None else []
        with self._quietly():
            if list(self.sheet.options) != sheets:
                self.sheet.options = sheets
                self.sheet.value = (
                    next((s for s in sheets if f"sheet {s!r}" in report.encoding), None) if report else None
                )
        self.sheet.layout.display = "" if len(sheets) > 1 else "none"

    def _refused(self, message: str, report: importers.ImportReport | None = None) -> None:
        self.report = report
        self.summary.value = f"<p class='briefing-error'><b>Not imported:</b> {render.escape(message)}</p>"
        self.loaded.value = ""
        self.rejected.value = rejected_html(report)

    def load(self, name: str, content: bytes) -> None:
        """Import ``content`` (the bytes of file ``name``) and show the result: what the upload does."""
        self.chart_box.children = ()
        try:
            report = self._read(name, content)
        except importers.ImporterError as problem:
            self._refused(str(problem), problem.report)
            return
        except Exception as bug:  # a bug must not leave the panel saying "Upload a file to begin"
            self._refused(f"{name}: the importer failed unexpectedly ({type(bug).__name__}: {bug}). Please report it.")
            return
        self.report = report
        self._offer_sheets(report)
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
