"""Real-browser tests: Voila and JupyterLab served on 127.0.0.1, driven by Debian's chromium.

Screenshots land in test-artifacts/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ARTIFACTS, PYTHON, REPO, own_errors, running_server, voila_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.servers import free_port

pytestmark = pytest.mark.browser

TIMELINE = ".briefing-timeline-explorer"
POINTS = f"{TIMELINE} .js-plotly-plot .scatterlayer .point"


def test_voila_timeline_explorer_filters_and_shows_details(page):
    port = free_port()
    with running_server(
        voila_command("notebooks/00_start_here.ipynb", port), f"http://127.0.0.1:{port}/", log_name="voila-00"
    ):
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector(POINTS)
        page.wait_for_selector(f"{TIMELINE} .widget-slider")
        before = page.locator(POINTS).count()
        assert before > 20
        page.screenshot(path=ARTIFACTS / "voila-00-start.png", full_page=True)

        search = page.locator(f"{TIMELINE} input[type=text]").first
        search.fill("NotPetya")
        search.press("Enter")
        after = _settled_count(page, POINTS, lambda n: 0 < n < before)
        assert 0 < after < before, f"after the search the chart drew {after} marks (before: {before})"
        page.wait_for_selector(f"{TIMELINE} .briefing-count")

        # A reader's click where the mark is drawn (plotly listens on the layer above its marks).
        mark = page.locator(POINTS).first
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        details = page.locator(f"{TIMELINE} h4")
        details.wait_for()
        assert "notpetya" in page.locator(TIMELINE).inner_text().casefold()
        assert page.locator(f"{TIMELINE} a[href^='http']").count() >= 1
        page.screenshot(path=ARTIFACTS / "voila-00-filtered.png", full_page=True)
        assert own_errors(page) == []


def _settled_count(page, selector: str, accept, timeout: float = 30) -> int:
    """How many elements match once the count is accepted and the same twice in a row, 0.5 s apart.

    Plotly redraws a chart in steps, and a count read mid-redraw (no marks yet) says nothing.
    """
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        count = page.locator(selector).count()
        if accept(count) and count == last:
            return count
        last = count
        time.sleep(0.5)
    return page.locator(selector).count()


@contextmanager
def _jupyterlab(page, root: Path, notebook: str, *, env: dict[str, str] | None = None):
    """JupyterLab serving `root`, open on `notebook` with its kernel started and idle.

    A workspace and settings of its own: tabs left open by another JupyterLab must not come back.
    """
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    command = [
        PYTHON,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",
        f"--LabApp.user_settings_dir={root / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with running_server(command, f"{base}/api/status?token={token}", log_name="jupyterlab", env=env):
        page.goto(f"{base}/lab/tree/{notebook}?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        _wait_for_idle_kernel(base, token, notebook)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached")
        yield


def _wait_for_idle_kernel(base: str, token: str, notebook: str, timeout: float = 120) -> None:
    """Asks the server itself: the page's own indicator can say idle before a kernel is attached."""
    deadline = time.monotonic() + timeout
    sessions = []
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as answer:
            sessions = json.load(answer)
        if any(
            s["path"].endswith(notebook) and (s.get("kernel") or {}).get("execution_state") == "idle" for s in sessions
        ):
            return
        time.sleep(0.5)
    raise AssertionError(f"no idle kernel for {notebook} within {timeout} s; the server's sessions: {sessions}")


def _lab_state(page) -> str:
    """What JupyterLab shows, for a failure message: prompts, dialogs, errors."""
    return json.dumps(
        {
            "prompts": page.locator(".jp-InputPrompt").all_inner_texts(),
            "dialogs": page.locator(".jp-Dialog").all_inner_texts(),
            "error outputs": page.locator(
                "[data-mime-type='application/vnd.jupyter.stderr'], [data-mime-type='application/vnd.jupyter.error']"
            ).all_inner_texts(),
            "console errors": own_errors(page),
        },
        indent=1,
    )[:4000]


def _expect(page, selector: str, what: str, timeout: float = 120_000) -> None:
    try:
        page.wait_for_selector(selector, timeout=timeout)
    except PlaywrightTimeout:
        page.screenshot(path=ARTIFACTS / "jupyterlab-failure.png", full_page=True)
        raise AssertionError(
            f"{what} did not appear within {timeout / 1000:.0f} s; JupyterLab showed:\n{_lab_state(page)}"
        ) from None


def _run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    # Every code cell is queued ([*]) or done ([n]) once the command has reached the kernel.
    _expect(
        page,
        ".jp-CodeCell .jp-InputPrompt:text-matches('\\[(\\*|\\d+)\\]')",
        "a running or finished cell",
        timeout=60_000,
    )


def test_jupyterlab_runs_the_start_notebook_and_shows_the_chart(page, tmp_path):
    # A copy: JupyterLab saves what it runs, and the repository's notebooks stay without outputs.
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    with _jupyterlab(page, tmp_path, "notebooks/00_start_here.ipynb"):
        _run_all_cells(page)
        _expect(page, f"{TIMELINE} .js-plotly-plot", "the timeline explorer's chart")
        _expect(page, ".jp-OutputArea .js-plotly-plot", "a chart in an output")
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']").count() == 0
        page.screenshot(path=ARTIFACTS / "jupyterlab-00.png", full_page=True)
        assert own_errors(page) == []


SLOW_FIGURE_CELLS = [
    """\
import plotly.graph_objects as go
from briefing.live_figure import LiveFigure

figure = LiveFigure(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])))
figure.add_bar(x=["a"], y=[1])  # a command, then the whole figure again when it is displayed
display(figure)
# Sent at once, while the browser is still loading plotly's bundle.
figure.data[0].x, figure.data[0].y = ["a", "b", "c"], [3, 4, 5]
""",
    """\
figure.data[0].x, figure.data[0].y = ["a", "b", "c", "d"], [1, 2, 3, 4]
""",
]

BARS = ".jp-OutputArea .js-plotly-plot .bars .point"
BAR_TRACES = ".jp-OutputArea .js-plotly-plot .trace.bars"


def _wait_for_bars(page, count: int, traces: int = 2) -> None:
    try:
        page.wait_for_function(
            "([bars, count, traces, expected]) => document.querySelectorAll(bars).length === count"
            " && document.querySelectorAll(traces).length === expected",
            arg=[BARS, count, BAR_TRACES, traces],
            timeout=60_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(
            f"the figure shows {page.locator(BARS).count()} bars in {page.locator(BAR_TRACES).count()} traces, "
            f"not the {count} in {traces} the kernel sent; JupyterLab showed:\n{_lab_state(page)}"
        ) from None


def test_a_live_figure_on_a_slow_machine_follows_the_kernel(page, tmp_path):
    """A figure whose browser is slow to load plotly's 5 MB bundle still shows, in order, what the
    kernel sent meanwhile (a command, then the whole figure again, then another command) and what it
    sends afterwards. The loader starts the figure at once and replays those commands itself rather
    than hold anywidget's start-up, which anywidget gives 2 s (briefing/assets/live_figure.js)."""
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in SLOW_FIGURE_CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "slow.ipynb")
    with _jupyterlab(page, tmp_path, "slow.ipynb"):
        # A CPU ten times slower: parsing plotly's bundle alone then takes well over 2 s.
        devtools = page.context.new_cdp_session(page)
        devtools.send("Emulation.setCPUThrottlingRate", {"rate": 10})
        page.locator(".jp-CodeCell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")  # runs the first cell and selects the second
        _expect(page, BARS, "the live figure")
        _wait_for_bars(page, 3 + 1)
        page.keyboard.press("Shift+Enter")
        _wait_for_bars(page, 4 + 1)
        assert own_errors(page) == []


@pytest.fixture(scope="module")
def voila_tree():
    """One Voila server for the whole notebooks folder, as `make app` runs it."""
    port = free_port()
    with running_server(voila_command("notebooks/", port), f"http://127.0.0.1:{port}/", log_name="voila-tree"):
        yield f"http://127.0.0.1:{port}"


WALKTHROUGH = [p.name for p in sorted((REPO / "notebooks").glob("0[1-7]_*.ipynb"))]


@pytest.mark.parametrize("name", WALKTHROUGH)
def test_every_walkthrough_notebook_renders_in_voila_with_its_explorers(page, voila_tree, name):
    page.goto(f"{voila_tree}/voila/render/{name}")
    page.wait_for_selector(".js-plotly-plot")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2")
    explorers = page.locator("[class*='briefing-'][class*='-explorer']")
    explorers.first.wait_for()
    assert explorers.count() >= 2
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    # Every live figure on the page was drawn from one import of plotly's bundle (briefing.live_figure).
    assert page.evaluate("globalThis.__briefingPlotlyBundles && globalThis.__briefingPlotlyBundles.size") == 1
    assert own_errors(page) == []
    page.screenshot(path=ARTIFACTS / f"voila-{name.removesuffix('.ipynb')}.png", full_page=True)
    # The page scrolls inside Voila and chromium leaves blank what lies outside the viewport, so a
    # tall explorer would be shot without its axis: shoot each one in a viewport taller than it.
    for index in range(min(2, explorers.count())):
        height = explorers.nth(index).bounding_box()["height"]
        page.set_viewport_size({"width": 1400, "height": max(1000, int(height) + 100)})
        explorers.nth(index).screenshot(path=ARTIFACTS / f"voila-{name.removesuffix('.ipynb')}-explorer{index + 1}.png")
    # A phone's width: controls wrap rather than run off the page (screenshot for people to look at).
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    width = page.evaluate("document.querySelector('#rendered_cells').scrollWidth")
    page.screenshot(path=ARTIFACTS / f"voila-{name.removesuffix('.ipynb')}-phone.png", full_page=True)
    assert width <= 420, f"at 390 px the page is {width} px wide"


def test_exported_html_renders_offline_in_chromium(page, tmp_path):
    from briefing import charts, data, export

    fig = charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())
    export.export_figure(fig, tmp_path / "chart", formats=("html",), title="<script>alert(1)</script> Incidents")
    requests = []

    def offline(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.route("**/*", offline)
    page.goto((tmp_path / "chart.html").as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot .bars .point").count() > 0
    assert not [url for url in requests if not url.startswith("file:")], "the page reached for the web"
    assert not dialogs, "user text ran as script"
    assert "<script>alert(1)</script> Incidents" in page.locator(".gtitle").text_content()
    page.screenshot(path=ARTIFACTS / "export-offline-html.png")


def test_an_xss_payload_in_an_uploaded_file_renders_as_text(page, voila_tree, tmp_path):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    upload = tmp_path / "incidents.csv"
    upload.write_text(
        "incident_id,name,start_date,date_precision,incident_type,summary,attribution_status\n"
        f'x1,"{payload.replace(chr(34), chr(34) * 2)}",2021-05-07,day,ransomware,"{payload.replace(chr(34), chr(34) * 2)}",unattributed\n'
        "x2,Bad row,07/05/2021,day,ransomware,s,unattributed\n"
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{voila_tree}/voila/render/10_bring_your_own_data.ipynb")
    explorer = page.locator(".briefing-import-explorer")
    explorer.wait_for()
    with page.expect_file_chooser() as chooser:  # the widget's file input lives outside the page
        explorer.get_by_role("button", name="Upload file").click()
    chooser.value.set_files(str(upload))
    page.wait_for_selector(".briefing-import-summary")
    assert "1 loaded as incidents, 1 rejected" in explorer.inner_text()
    assert payload in explorer.locator(".briefing-loaded-rows .briefing-table").first.inner_text()
    assert explorer.locator("img[src='x']").count() == 0 and not dialogs
    page.wait_for_selector(".briefing-import-explorer .js-plotly-plot")
    explorer.screenshot(path=ARTIFACTS / "voila-09-import-xss.png")


def test_tabletop_exercise_in_voila_gives_feedback_on_a_choice(page, voila_tree):
    page.goto(f"{voila_tree}/voila/render/08_tabletop_exercise.ipynb")
    exercise = page.locator(".briefing-tabletop").first
    exercise.wait_for()
    assert "Stage 1 of 5" in exercise.inner_text()
    exercise.locator("input[type=radio]").first.check()
    exercise.get_by_role("button", name="Decide").click()
    feedback = exercise.locator(".briefing-feedback")
    feedback.wait_for()
    assert "Norms and precedents" in exercise.inner_text()
    exercise.get_by_role("button", name="Next inject").click()
    page.wait_for_function("document.querySelector('.briefing-tabletop').innerText.includes('Stage 2 of 5')")
    exercise.screenshot(path=ARTIFACTS / "voila-07-tabletop.png")


LEGENDS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter((gd) => gd._fullLayout
  && gd._fullLayout.showlegend && gd.querySelector('.legend')).map((gd) => {
  const legend = gd.querySelector('.legend').getBoundingClientRect();
  const title = gd.querySelector('.gtitle');
  const plot = gd.querySelector('.cartesianlayer .bg, .nsewdrag');
  return {
    orientation: gd._fullLayout.legend.orientation,
    legendTop: legend.top, legendBottom: legend.bottom,
    titleBottom: title ? title.getBoundingClientRect().bottom : null,
    plotTop: plot ? plot.getBoundingClientRect().top : null,
    plotBottom: plot ? plot.getBoundingClientRect().bottom : null,
  };
})"""


# 390 px: a phone; 683 px: a 1366 px screen zoomed to 200% (the positions grid's columns ran together).
@pytest.mark.parametrize("width", [390, 683])
@pytest.mark.parametrize("name", ["00_start_here.ipynb", "04_international_law.ipynb"])
def test_on_a_phone_legends_run_in_rows_clear_of_title_and_plot(page, voila_tree, name, width):
    page.set_viewport_size({"width": width, "height": 2400})
    page.goto(f"{voila_tree}/voila/render/{name}")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .legend').length >= 1")
    page.wait_for_timeout(1000)
    legends = page.evaluate(LEGENDS)
    assert legends, f"{name}: no chart with a legend was drawn"
    page.screenshot(path=ARTIFACTS / f"voila-{name.removesuffix('.ipynb')}-{width}px-legends.png")
    for index, legend in enumerate(legends):
        assert legend["orientation"] == "h", f"{name}, chart {index + 1}: the legend stays beside the plot on a phone"
        if legend["titleBottom"] is not None:
            assert legend["legendTop"] >= legend["titleBottom"] - 2, f"{name}, chart {index + 1}: legend over the title"
        if legend["plotTop"] is not None:  # above the plot (moved there), or below it where the chart put it
            clear = legend["legendBottom"] <= legend["plotTop"] + 2 or legend["legendTop"] >= legend["plotBottom"] - 2
            assert clear, f"{name}, chart {index + 1}: legend over the plot"
    assert own_errors(page) == []
