"""A page's first chart imports plotly's bundle only once every kit widget on it has initialized.

anywidget (0.11) gives each widget model 2 s from its creation to load its module and initialize;
past that it drops the kernel's later messages to that model, so a chart, status line or details
panel would stop following the filters. Importing plotly's bundle holds the page's main thread for
1.4 s on an idle machine and longer on a busy one. Before this was ordered, the first live figure
began the import while the others on its page were still loading (1 of 4 initialized on 01, 1 of
9 on 04). The page keeps, on ``globalThis.__briefingBundleImport``, what it saw when the import
began: how many kit widgets its widget manager held and how many had not initialized.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO, own_errors, running_server
from test_browser_a11y import wait_until_drawn

from benchmarks.servers import free_port

pytestmark = pytest.mark.browser

# The start page and the pages with the most kit widgets (01: an explorer; 04: three).
PAGES = ["00_start_here", "01_why_cyber_norms", "04_international_law"]
ON_THE_PAGE = """() => ({
  charts: document.querySelectorAll('.briefing-chart').length,
  statusLines: document.querySelectorAll('.briefing-status').length,
  detailsPanels: document.querySelectorAll('.briefing-details').length,
})"""


@pytest.fixture(scope="module")
def app():
    from test_app_kernels import make_app_command

    port = free_port()
    command, environment = make_app_command(port)
    environment.update(BRIEFING_APP_POOL="0")
    with running_server(command, f"http://127.0.0.1:{port}/", log_name="voila-bundle-import", env=environment):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("notebook", PAGES)
def test_the_bundle_is_imported_after_every_kit_widget_initialized(page, app, notebook):
    page.goto(f"{app}/voila/render/{notebook}.ipynb")
    wait_until_drawn(page)
    seen = page.evaluate("() => globalThis.__briefingBundleImport ?? null")
    shown = page.evaluate(ON_THE_PAGE)
    assert seen is not None, "the page drew its charts without recording the bundle's import"
    assert shown["charts"] > 0, shown
    # Every widget the reader sees was among those the page waited for, and none was still loading.
    assert seen["kit"] >= shown["charts"] + shown["statusLines"] + shown["detailsPanels"], (seen, shown)
    assert seen["notInitialized"] == 0, seen
    assert own_errors(page) == []


def test_in_jupyterlab_the_bundle_waits_for_the_widgets_the_notebook_has_made(page, tmp_path):
    """JupyterLab makes widgets cell by cell: the first chart's import waits for those made by then
    (its own explorer's), and the page's widget manager is read there too (none seen would mean it
    could not be)."""
    from test_browser import _jupyterlab, _run_all_cells

    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    with _jupyterlab(page, tmp_path, "notebooks/01_why_cyber_norms.ipynb"):
        _run_all_cells(page)
        page.locator(".briefing-chart .main-svg").first.wait_for(timeout=180_000)
        seen = page.evaluate("() => globalThis.__briefingBundleImport")
        assert seen["kit"] >= 3, seen  # the first explorer's status line, details panel and a chart
        assert seen["notInitialized"] == 0, seen
        assert own_errors(page) == []
