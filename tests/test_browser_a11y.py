"""Accessibility in a real browser (WCAG 2.2 AA, issue 18): axe-core on every page a reader meets,
each live chart's text alternative and data table, and one explorer driven by the keyboard alone.

- axe-core (``tests/axe_check.py``) runs on the app's index and every notebook page as ``make app``
  serves them (the kit's Voila template, code hidden), on the start notebook in JupyterLab (its
  output area: see the test) and on an exported standalone HTML chart. No serious or critical
  violation passes; the rest are printed and written to ``test-artifacts/axe-*.json``.
- Each Voila page is also shot at a phone's width (390 px) and at 200% zoom (a 1366 px window
  zoomed twice: 683 CSS px at two device pixels each) into ``test-artifacts/a11y-*.png``, and must
  not scroll sideways at either.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from axe_check import axe_report
from conftest import ARTIFACTS, PYTHON, REPO, own_errors, running_server

from benchmarks.servers import free_port
from briefing.accessible import cell_text, plain_text

pytestmark = pytest.mark.browser

NOTEBOOKS = [p.name for p in sorted((REPO / "notebooks").glob("*.ipynb"))]
EXPOSE = {"BRIEFING_EXPOSE_FIGURE_STATE": "1"}
EXPLORER = "[class*='briefing-'][class*='-explorer']"

# The page is drawn when Voila has run every cell, every widget view is on the page and every live
# chart has its plot; read twice, one second apart, to see that nothing is still arriving.
DRAWN = """() => {
  const cells = document.querySelector('#rendered_cells');
  const loading = document.querySelector('#loading');
  if (!cells || getComputedStyle(cells).display === 'none') return null;
  if (loading && getComputedStyle(loading).display !== 'none') return null;
  const charts = document.querySelectorAll('.briefing-chart');
  const drawn = document.querySelectorAll('.briefing-chart .main-svg');
  if (Array.from(charts).some((c) => !c.querySelector('.main-svg'))) return null;
  return [document.querySelectorAll('.jupyter-widgets').length, charts.length, drawn.length].join('/');
}"""


def wait_until_drawn(page, timeout: float = 120) -> None:
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        now = page.evaluate(DRAWN)
        if now is not None and now == last:
            return
        last = now
        page.wait_for_timeout(1000)
    raise AssertionError(f"the page was not drawn within {timeout} s (last state {last})")


@pytest.fixture(scope="module")
def app():
    """The notebooks served as ``make app`` serves them (no kernel kept waiting), kernels publishing
    their figures' state so that tests can compare a chart's table with what the kernel drew."""
    from test_app_kernels import make_app_command

    port = free_port()
    command, environment = make_app_command(port)
    environment.update(EXPOSE, BRIEFING_APP_POOL="0")
    with running_server(command, f"http://127.0.0.1:{port}/", log_name="voila-a11y", env=environment):
        yield f"http://127.0.0.1:{port}"


def test_axe_on_the_app_index(page, app):
    page.goto(f"{app}/")
    page.wait_for_selector("main ol li a")
    report = axe_report(page, name="voila-index")
    assert report.blocking == [], report.summary()


def _sideways(page) -> int:
    """How far the page reaches past the viewport's right edge, in CSS pixels."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.querySelector('#rendered_cells').scrollWidth)"
        " - document.documentElement.clientWidth"
    )


# Voila's page scrolls inside an element of its own, and chromium shoots only what the viewport shows:
# a whole page is shot in a viewport as tall as what scrolls (at most 6000 CSS px).
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll(
  '#rendered_cells, #rendered_cells *, body, main')).filter((e) => /(auto|scroll)/.test(getComputedStyle(e).overflowY))
  .map((e) => e.scrollHeight))"""


def _shoot_whole(page, path, *, width: int) -> int:
    """Lay the page out ``width`` CSS px wide, shoot all of it, and say how far it reaches past the
    right edge."""
    page.set_viewport_size({"width": width, "height": 800})
    wait_until_drawn(page)
    page.set_viewport_size({"width": width, "height": min(6000, int(page.evaluate(CONTENT_HEIGHT)))})
    wait_until_drawn(page)
    sideways = _sideways(page)
    page.screenshot(path=path)
    return sideways


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_axe_zoom_and_phone_on_every_voila_page(page, browser, app, name):
    stem = name.removesuffix(".ipynb")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{app}/voila/render/{name}")
    wait_until_drawn(page)
    report = axe_report(page, name=f"voila-{stem}")
    phone = _shoot_whole(page, ARTIFACTS / f"a11y-{stem}-390px.png", width=390)
    on_phone = axe_report(page, name=f"voila-{stem}-390px")  # what a narrow screen adds (scrolling boxes)
    # 200% zoom of a 1366 px window is a page laid out 683 CSS px wide, each two device pixels: a
    # page of its own (the device scale is fixed when a browser context opens).
    zoomed_context = browser.new_context(viewport={"width": 683, "height": 800}, device_scale_factor=2)
    try:
        zoomed_page = zoomed_context.new_page()
        zoomed_page.set_default_timeout(120_000)
        zoomed_page.goto(f"{app}/voila/render/{name}")
        wait_until_drawn(zoomed_page)
        zoomed = _shoot_whole(zoomed_page, ARTIFACTS / f"a11y-{stem}-200pct.png", width=683)
    finally:
        zoomed_context.close()
    assert report.blocking == [], report.summary()
    assert on_phone.blocking == [], on_phone.summary()
    assert phone <= 2, f"{name}: at 390 px the page scrolls {phone} px sideways"
    assert zoomed <= 2, f"{name}: at 200% zoom the page scrolls {zoomed} px sideways"
    assert own_errors(page) == []


def test_axe_on_the_start_notebook_in_jupyterlab(page, tmp_path):
    """The kit's part of a JupyterLab page is the notebook's output area (what the kit's widgets and
    charts draw); JupyterLab's own chrome (menus, side bars, the cell toolbar) is JupyterLab's to
    fix, so the check is scoped to ``.jp-OutputArea`` and the whole page's findings are only listed."""
    import shutil

    from test_browser import _expect, _jupyterlab, _run_all_cells

    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    with _jupyterlab(page, tmp_path, "notebooks/00_start_here.ipynb"):
        _run_all_cells(page)
        _expect(page, f"{EXPLORER} .briefing-chart .main-svg", "the timeline explorer's chart")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).every("
            "(p) => !p.textContent.includes('*'))",
            timeout=180_000,
        )
        axe_report(page, name="jupyterlab-00-whole-page")  # listed, not held against the kit
        report = axe_report(page, include=".jp-OutputArea", name="jupyterlab-00-outputs")
        assert report.blocking == [], report.summary()
        assert own_errors(page) == []


def test_axe_on_an_exported_standalone_html_chart(page, tmp_path):
    out = tmp_path / "incidents"
    subprocess.run(
        [str(Path(PYTHON).parent / "briefing"), "export", "incidents-by-year", "--format", "html", "--out", str(out)],
        check=True,
        cwd=REPO,
    )
    page.goto(out.with_suffix(".html").as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    report = axe_report(page, name="export-html")
    assert report.blocking == [], report.summary()


# The rows of a chart's data table on the page, and the marks plotly drew on the same chart.
TABLE_AND_DRAWN = """(chart) => {
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.map(plain) : v);
  const gd = chart.querySelector('.js-plotly-plot');
  const rows = Array.from(chart.querySelectorAll('.briefing-chart-rows tbody tr')).map((tr) => ({
    trace: Number(tr.dataset.trace),
    cells: Array.from(tr.cells).map((td) => td.textContent),
  }));
  const caption = chart.querySelector('.briefing-chart-rows caption');
  // Between a filter and its repaint the chart's plot element can be briefly absent: not drawn yet.
  if (!gd) return { rows, caption: caption ? caption.textContent : null, drawn: null };
  return {
    rows, caption: caption ? caption.textContent : null,
    drawn: (gd.data || []).map((t) => ({
      type: t.type, name: t.name ?? '', x: plain(t.x) || [], y: plain(t.y) || [], hovertext: plain(t.hovertext) || null,
    })),
  };
}"""


def _drawn_rows(drawn: list[dict]) -> list[list[str]]:
    """What the table must hold: one row per drawn mark (series, x, y, and its hover label where the
    chart has one), in the chart's order."""
    rows = []
    for trace in drawn:
        labels = trace["hovertext"] or [None] * len(trace["x"])
        for x, y, label in zip(trace["x"], trace["y"], labels):
            if x is not None or y is not None:
                row = [trace["name"], cell_text(x), cell_text(y)]
                rows.append([*row, plain_text(label)] if label is not None else row)
    return rows


def _table_equals_drawn(chart, what: str, timeout: float = 45) -> int:
    deadline, state = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        state = chart.evaluate(TABLE_AND_DRAWN)
        if state["drawn"] is None:
            time.sleep(0.5)
            continue
        expected = _drawn_rows(state["drawn"])
        table = [row["cells"][: len(want)] for row, want in zip(state["rows"], expected)]
        if state["rows"] and len(state["rows"]) == len(expected) and table == expected:
            return len(table)
        time.sleep(0.5)
    raise AssertionError(f"{what}: the table does not hold what the chart drew: {json.dumps(state)[:1500]}")


def test_a_charts_data_table_holds_what_it_draws_after_a_filter(page, app):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{app}/voila/render/01_why_cyber_norms.ipynb")
    wait_until_drawn(page)
    explorer = page.locator(".briefing-incidents-explorer").first
    chart = explorer.locator(".briefing-chart").nth(1)  # by target sector
    name = chart.get_attribute("aria-label")
    assert name and name.startswith("Bar chart: By target sector."), name
    assert chart.get_attribute("role") == "figure"
    chart.locator("summary").click()
    assert chart.locator(".briefing-chart-description").inner_text() == name
    first = _table_equals_drawn(chart, "first view")
    status = explorer.locator(".briefing-status").first
    said = status.inner_text()
    explorer.locator("select[multiple]").first.select_option(index=0)  # one incident type only
    page.wait_for_function("([el, said]) => el.innerText !== said", arg=[status.element_handle(), said])
    after = _table_equals_drawn(chart, "after a filter")
    page.wait_for_function(
        "([el, before]) => el.getAttribute('aria-label') !== before", arg=[chart.element_handle(), name]
    )
    assert after < first, f"the filter left {after} of {first} rows"
    chart.screenshot(path=ARTIFACTS / "a11y-01-sector-table.png")
    assert own_errors(page) == []


def _tab_to(page, test: str, *, backwards: bool = False, limit: int = 200) -> int:
    """Press Tab (or Shift+Tab) until the focused element passes ``test`` (a JS function of it)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"({test})(document.activeElement)"):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {test}; focus is on {_focused(page)}")


def _focused(page) -> str:
    return page.evaluate("(e => e ? e.outerHTML.slice(0, 200) : 'nothing')(document.activeElement)")


def _focus_ring(page) -> float:
    """How wide the focused element's outline is drawn, in CSS pixels (0: no visible focus)."""
    return page.evaluate(
        "(s => s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth))(getComputedStyle(document.activeElement))"
    )


IN_INCIDENTS = "e.closest('.briefing-incidents-explorer')"
SECTOR_CHART = (
    "(e.closest('.briefing-chart')?.getAttribute('aria-label') || '').startsWith('Bar chart: By target sector')"
)


def test_an_explorer_filters_opens_a_record_and_resets_by_keyboard_alone(page, app):
    """The incidents explorer on 01 with Tab, arrow keys and Enter only: no click anywhere."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{app}/voila/render/01_why_cyber_norms.ipynb")
    wait_until_drawn(page)
    explorer = page.locator(".briefing-incidents-explorer").first
    status = explorer.locator(".briefing-status").first
    first_view = status.inner_text()
    # Filter: Tab to the incident-type list, arrow down onto its first type.
    _tab_to(page, f"(e) => e.matches('select[multiple]') && {IN_INCIDENTS}")
    assert _focus_ring(page) >= 2, f"no visible focus on {_focused(page)}"
    page.keyboard.press("ArrowDown")
    page.wait_for_function("([el, said]) => el.innerText !== said", arg=[status.element_handle(), first_view])
    filtered = status.inner_text()
    assert filtered.startswith("Showing") and filtered != first_view
    # Open a record: Tab to the sector chart's "show the data", Enter, Tab to a row's Open, Enter.
    _tab_to(page, f"(e) => e.matches('summary') && {IN_INCIDENTS} && {SECTOR_CHART}")
    assert _focus_ring(page) >= 2, f"no visible focus on {_focused(page)}"
    page.keyboard.press("Enter")
    chart = explorer.locator(".briefing-chart[aria-label^='Bar chart: By target sector']")
    chart.locator(".briefing-chart-rows button").first.wait_for()
    _tab_to(page, f"(e) => e.matches('button') && e.closest('.briefing-chart-rows') && {SECTOR_CHART}")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    sector = page.evaluate("document.activeElement.closest('tr').cells[2].textContent")
    page.keyboard.press("Enter")
    details = explorer.locator(".briefing-details").first
    details.locator("h4").first.wait_for()
    assert details.get_attribute("aria-live") == "polite"
    # The record opened is the bar's: each incident listed was in that sector (the details say so
    # through the sector chart's own count).
    count = int(page.evaluate("document.activeElement.closest('tr').cells[1].textContent"))
    assert details.locator("h4").count() == count, (
        f"{label}: {count} incidents in {sector}, details list another number"
    )
    # Reset: Shift+Tab back to "Reset filters", Enter: the first view again.
    _tab_to(page, "(e) => e.matches('button') && e.textContent.trim() === 'Reset filters'", backwards=True)
    assert _focus_ring(page) >= 2, f"no visible focus on {_focused(page)}"
    page.keyboard.press("Enter")
    page.wait_for_function("([el, said]) => el.innerText === said", arg=[status.element_handle(), first_view])
    explorer.screenshot(path=ARTIFACTS / "a11y-01-keyboard.png")
    assert own_errors(page) == []
