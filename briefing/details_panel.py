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

ASSETS = Path(__file__).parent / "assets"


class DetailsPanel(anywidget.AnyWidget):
    """HTML (escaped by whoever sets ``value``) that scrolls into view when it shows a record.

    Setting ``value`` to anything but the ``hint`` (what the panel says before a click, and after a
    reset) brings the panel into the reader's view; going back to the hint does not.
    """

    # One module: the page's helpers (the mark each kit widget sets once initialized), then the panel.
    _esm = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in ("page_helpers.js", "details_panel.js"))
    value = traitlets.Unicode("").tag(sync=True)
    # Counts the records shown; the page scrolls the panel into view when it changes.
    revealed = traitlets.Int(0).tag(sync=True)

    def __init__(self, *, hint: str, **options):
        self.hint = hint  # before the value is set: setting it asks whether it is the hint
        super().__init__(value=hint, **options)

    @traitlets.observe("value")
    def _reveal(self, change) -> None:
        if change["new"] != self.hint:
            self.revealed += 1
