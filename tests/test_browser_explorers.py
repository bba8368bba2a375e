"""What the reader sees is what the filters say: every explorer's drawn traces equal the kernel's.

The kernel's live figures publish their traces (``BRIEFING_EXPOSE_FIGURE_STATE``, see
``briefing.live_figure``) on the graph's element; these tests read both what plotly drew there
(the graph div's ``data``) and what the kernel holds, and compare them on first render (including
filters a notebook set in code before showing its explorer), after each kind of filter change,
after a filter that empties the chart, and after reset: in Voila and in JupyterLab.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
import time

import pandas as pd
import pytest
from conftest import ARTIFACTS, REPO, own_errors, running_server, voila_command

from benchmarks.servers import free_port

pytestmark = pytest.mark.browser

EXPOSE = {"BRIEFING_EXPOSE_FIGURE_STATE": "1"}
EXPLORER = "[class*='briefing-'][class*='-explorer']"
# The explorers of the walk-through path and the chart studio (07 has none; 09 needs an upload).
NOTEBOOKS = [p.name for p in sorted((REPO / "notebooks").glob("0[0-7]_*.ipynb"))]
NO_MATCH = "zzqx-nothing-matches"

# Plotly's traces as drawn: typed arrays become lists so that they survive the trip to Python.
DRAWN = """(root) => Array.from(root.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.map(plain) : v);
  return {
    kernel: gd.dataset.briefingKernelState || null,
    drawn: (gd.data || []).map((t) => ({
      name: t.name ?? null, type: t.type,
      x: plain(t.x), y: plain(t.y), z: plain(t.z), base: plain(t.base), customdata: plain(t.customdata),
    })),
  };
})"""
KEYS = ("x", "y", "z", "base", "customdata")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")


def _normal(value):
    """One spelling per value: numbers rounded, dates in ISO form, missing as None."""
    if isinstance(value, list):
        return [_normal(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else round(float(value), 6)
    if isinstance(value, str) and DATE.match(value):
        return pd.Timestamp(value).isoformat()
    return value


def _traces(traces: list[dict]) -> list[dict]:
    return [
        {
            "name": t.get("name"),
            "type": t.get("type"),
            **{key: _normal(t.get(key)) for key in KEYS if t.get(key) not in (None, [])},
        }
        for t in traces
    ]


def _figures(page, root) -> list[dict]:
    """Each live figure under ``root``: what the kernel holds and what the page drew, normalised."""
    figures = []
    for figure in root.evaluate(DRAWN):
        if figure["kernel"] is None:
            continue  # a static chart (plotly's renderer), not an explorer's
        figures.append({"kernel": _traces(json.loads(figure["kernel"])), "drawn": _traces(figure["drawn"])})
    return figures


def _mismatch(figures: list[dict]) -> str | None:
    for index, figure in enumerate(figures):
        if len(figure["kernel"]) != len(figure["drawn"]):
            return f"figure {index}: {len(figure['drawn'])} traces drawn, the kernel holds {len(figure['kernel'])}"
        for kernel, drawn in zip(figure["kernel"], figure["drawn"]):
            if kernel != drawn:
                keys = [k for k in ("name", "type", *KEYS) if kernel.get(k) != drawn.get(k)]
                return (
                    f"figure {index}, trace {kernel['name']!r}: {keys} differ; drawn "
                    f"{json.dumps({k: drawn.get(k) for k in keys})[:600]}; kernel "
                    f"{json.dumps({k: kernel.get(k) for k in keys})[:600]}"
                )
    return None


def _kernel_states(root) -> list[str | None]:
    return [figure["kernel"] for figure in root.evaluate(DRAWN)]


def assert_page_equals_kernel(page, root, *, what: str, before: list | None = None, timeout: float = 45) -> list[dict]:
    """Wait until the kernel has answered (its state changed, when ``before`` is given) and the
    page shows exactly what the kernel holds; fail with the first difference."""
    deadline = time.monotonic() + timeout
    if before is not None:  # give the kernel time to answer a change before comparing
        change_deadline = time.monotonic() + 10
        while _kernel_states(root) == before and time.monotonic() < change_deadline:
            time.sleep(0.2)
    problem = "no live figure with the kernel's state on the page"
    settled = None  # an app refills its figures one after another: equal twice in a row, 0.5 s apart
    while time.monotonic() < deadline:
        figures = _figures(page, root)
        problem = _mismatch(figures) if figures else problem
        if figures and problem is None:
            if figures == settled:
                return figures
            settled = figures
        else:
            settled = None
        time.sleep(0.5)
    page.screenshot(path=ARTIFACTS / f"mismatch-{re.sub(r'[^a-z0-9]+', '-', what.lower())[:60]}.png", full_page=True)
    raise AssertionError(f"{what}: the page does not show what the kernel holds: {problem}")


def _wait_for_explorers(page) -> None:
    page.locator(EXPLORER).first.wait_for()
    page.wait_for_function(
        "(sel) => Array.from(document.querySelectorAll(sel)).every("
        "(e) => e.querySelector('.js-plotly-plot[data-briefing-kernel-state]'))",
        arg=EXPLORER,
        timeout=120_000,
    )


def _exercise(page, explorer, label: str) -> list[str]:
    """Each kind of filter the explorer has, an empty result, and reset; compares after each."""
    done = []

    def check(what: str, action) -> None:
        before = _kernel_states(explorer)
        action()
        assert_page_equals_kernel(page, explorer, what=f"{label}: {what}", before=before)
        done.append(what)

    for index, picker in enumerate(explorer.locator("select[multiple]").all()):
        options = picker.locator("option").all()
        if len(options) > 1:
            value = options[-1].get_attribute("value")
            check(f"picker {index} set", lambda picker=picker, value=value: picker.select_option([value]))
            check(f"picker {index} cleared", lambda picker=picker: picker.select_option([]))
    for index, dropdown in enumerate(explorer.locator("select:not([multiple])").all()):
        options = dropdown.locator("option").all()
        if len(options) > 1:
            value = options[1].get_attribute("value")
            check(f"dropdown {index} changed", lambda dropdown=dropdown, value=value: dropdown.select_option(value))
    for index, handle in enumerate(explorer.locator(".noUi-handle").all()):
        check(
            f"slider handle {index} moved",
            lambda handle=handle, index=index: (
                handle.focus(),
                handle.press("ArrowLeft") if index % 2 else handle.press("ArrowRight"),
            ),
        )
    search = explorer.locator("input[type=text]")
    if search.count():

        def empty():
            search.first.fill(NO_MATCH)
            search.first.press("Enter")

        check("a search that matches nothing", empty)
        explorer.locator(".briefing-empty").wait_for()
    reset = explorer.get_by_role("button", name="Reset filters")
    if reset.count():
        check("reset", reset.first.click)
    return done


@pytest.fixture(scope="module")
def voila_app():
    """One Voila server for the notebooks folder, its kernels publishing their figures' state."""
    port = free_port()
    with running_server(
        voila_command("notebooks/", port), f"http://127.0.0.1:{port}/", log_name="voila-explorers", env=EXPOSE
    ):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_explorer_in_voila_draws_what_the_kernel_holds(page, voila_app, name):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{voila_app}/voila/render/{name}")
    _wait_for_explorers(page)
    explorers = page.locator(EXPLORER)
    first_views = []
    for index in range(explorers.count()):
        first_views.append(
            assert_page_equals_kernel(page, explorers.nth(index), what=f"{name} explorer {index + 1}, first render")
        )
    # Every chart on the page, the explorers' and those a notebook shows on their own, is a live
    # figure whose drawn data equals the kernel's (plotly's static renderer logged an error in Voila).
    assert_page_equals_kernel(page, page.locator("body"), what=f"{name}: every chart on the page")
    drawn, live = page.locator(".js-plotly-plot").count(), page.locator(".js-plotly-plot[data-briefing-kernel-state]")
    assert live.count() == drawn, f"{name}: {drawn - live.count()} chart(s) not drawn as live figures"
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        done = _exercise(page, explorer, f"{name} explorer {index + 1}")
        assert done, f"{name} explorer {index + 1}: no filter to try"
        if "reset" in done:  # reset brings back the view the reader first saw
            deadline = time.monotonic() + 30
            while (after_reset := _figures(page, explorer)) != first_views[index] and time.monotonic() < deadline:
                time.sleep(0.5)
            assert after_reset == first_views[index], (
                f"{name} explorer {index + 1}: reset does not restore the first view: "
                f"{_mismatch([{'kernel': a['drawn'], 'drawn': b['drawn']} for a, b in zip(first_views[index], after_reset)])}"
            )
    assert own_errors(page) == []


@pytest.fixture()
def jupyterlab_copy(tmp_path):
    """A copy of the notebooks in a folder of the test's own: JupyterLab saves what it runs, and a
    workspace shared between tests would reopen the last test's notebooks beside this one."""
    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    return tmp_path


# Notebooks that set an explorer's filters in code before showing it.
PRESET = ["01_why_cyber_norms.ipynb", "03_norms_compared.ipynb", "04_international_law.ipynb", "07_whats_next.ipynb"]


@pytest.mark.parametrize("name", PRESET)
def test_every_explorer_in_jupyterlab_draws_what_the_kernel_holds(page, jupyterlab_copy, name):
    from test_browser import _jupyterlab, _run_all_cells

    with _jupyterlab(page, jupyterlab_copy, f"notebooks/{name}", env=EXPOSE):
        _run_all_cells(page)
        _wait_for_explorers(page)
        explorers = page.locator(EXPLORER)
        page.wait_for_function(
            "(n) => document.querySelectorAll('.jp-CodeCell .jp-InputPrompt').length > 0 && "
            "Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).every("
            "(p) => !p.textContent.includes('*'))",
            arg=0,
            timeout=180_000,
        )
        for index in range(explorers.count()):
            explorer = explorers.nth(index)
            explorer.scroll_into_view_if_needed()
            assert_page_equals_kernel(page, explorer, what=f"JupyterLab {name} explorer {index + 1}, first render")
        explorer = explorers.last
        search = explorer.locator("input[type=text]")
        control = explorer.locator("select[multiple]").first
        before = _kernel_states(explorer)
        if search.count():
            search.first.fill(NO_MATCH)
            search.first.press("Enter")
        else:
            control.select_option([control.locator("option").first.get_attribute("value")])
        assert_page_equals_kernel(page, explorer, what=f"JupyterLab {name}: a filter change", before=before)
        before = _kernel_states(explorer)
        explorer.get_by_role("button", name="Reset filters").first.click()
        assert_page_equals_kernel(page, explorer, what=f"JupyterLab {name}: reset", before=before)
        assert own_errors(page) == []


# Where the grid's square for (a row label containing ``holder``, column ``column``) is on the page,
# from plotly's own axis maths.
SQUARE = """([selector, holder, column]) => {
  const gd = document.querySelector(selector);
  const heatmap = gd.data.find((t) => t.type === "heatmap");
  const row = Array.from(heatmap.y).find((label) => String(label).includes(holder));
  const box = gd.getBoundingClientRect(), xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return {x: box.left + xa._offset + xa.d2p(heatmap.x[column]), y: box.top + ya._offset + ya.d2p(row)};
}"""


def test_a_click_on_a_positions_square_shows_the_quotation_and_its_source(page, voila_app):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{voila_app}/voila/render/04_international_law.ipynb")
    explorer = page.locator(".briefing-positions-explorer").first
    grid = explorer.locator(".js-plotly-plot").first
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    where = page.evaluate(SQUARE, [".briefing-positions-explorer .js-plotly-plot", "France", 0])
    page.mouse.click(where["x"], where["y"])
    details = explorer.locator(".briefing-details").first
    page.wait_for_function("(el) => el.innerText.includes('France')", arg=details.element_handle(), timeout=30_000)
    text = details.inner_text()
    assert "Sovereignty" in text and "Cyberattacks may constitute a violation of sovereignty." in text
    assert details.locator("a[href^='http']").count() >= 1
    explorer.screenshot(path=ARTIFACTS / "voila-04-positions-click.png")


COLUMN_LABELS = """(title) => {
  const gd = Array.from(document.querySelectorAll('.js-plotly-plot'))
    .find((el) => el.layout && String(el.layout.title && el.layout.title.text).startsWith(title));
  if (!gd || gd.querySelectorAll('.xtick text').length === 0) return null;
  gd.scrollIntoView();
  const box = (el) => { const b = el.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom }; };
  const source = Array.from(gd.querySelectorAll('.annotation')).map(box).filter((b) => b.bottom - b.top > 0);
  return { labels: Array.from(gd.querySelectorAll('.xtick text')).map(box), source, chart: box(gd) };
}"""


def test_the_forum_positions_column_labels_stand_apart_on_a_phone(page, voila_app):
    # At 390 px the four "who may take part" labels ran into each other; upright, they must also
    # stay clear of the source line under them and inside the chart.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{voila_app}/voila/render/02_forums.ipynb")
    title = "Who may take part"
    page.wait_for_function(COLUMN_LABELS, arg=title, timeout=240_000)
    drawn = page.evaluate(COLUMN_LABELS, title)
    labels = sorted(drawn["labels"], key=lambda b: b["left"])
    assert len(labels) == 4
    for left, right in itertools.pairwise(labels):
        assert left["right"] <= right["left"] + 1, (left, right)  # side by side, not on top of each other
    lowest = max(label["bottom"] for label in labels)
    assert lowest <= drawn["chart"]["bottom"]
    below = [b for b in drawn["source"] if b["top"] >= min(label["top"] for label in labels)]
    assert all(b["top"] >= lowest for b in below), (below, lowest)  # the source line starts under them
    page.screenshot(path=ARTIFACTS / "voila-02-forum-positions-390.png", full_page=False)
