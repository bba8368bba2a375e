"""The details panel of an explorer: the record a reader clicked, brought into view.

A click on a mark used to change nothing the reader could see: at 1366x768 the details landed
some 700 px below, under the chart. :class:`DetailsPanel` shows the same escaped HTML as an
``ipywidgets.HTML`` and, each time it is given a record to show, scrolls itself into view (only
as far as needed) and flashes a highlight. It needs nothing from the web: its front end is the
small module ``assets/details_panel.js``.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets


class DetailsPanel(anywidget.AnyWidget):
    """HTML that scrolls into view when it shows a new record (``show``), not when a filter resets it."""

    _esm = Path(__file__).parent / "assets" / "details_panel.js"
    value = traitlets.Unicode("").tag(sync=True)
    # Counts the records shown; the page scrolls the panel into view when it changes.
    revealed = traitlets.Int(0).tag(sync=True)

    def show(self, html_text: str) -> None:
        """Show ``html_text`` (escaped by the caller) and bring the panel into the reader's view."""
        with self.hold_sync():
            self.value = html_text
            self.revealed += 1
