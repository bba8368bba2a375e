"""`make site`: the static site, built once into a temporary folder and read in chromium from disk with
every other host blocked; what each chart drew is compared with what the kernel held."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import REPO

from briefing.site import build, static

pytestmark = [pytest.mark.browser, pytest.mark.chromium]

#: What each drawn trace is compared on (the kernel side: briefing.live_figure.kernel_state).
DRAWN = """
(root) => Array.from(root.querySelectorAll('.briefing-plot')).map((plot) => plot.data.map((trace) => {
  const entry = {name: trace.name === undefined ? null : trace.name, type: trace.type};
  for (const key of ['x', 'y', 'z', 'base', 'customdata']) {
    if (trace[key] !== undefined && trace[key] !== null) entry[key] = JSON.parse(JSON.stringify(trace[key]));
  }
  if (trace.type === 'sankey') {
    entry.node = {label: Array.from(trace.node.label)};
    entry.link = {source: Array.from(trace.link.source), target: Array.from(trace.link.target),
                  value: Array.from(trace.link.value)};
  }
  return entry;
}))
"""


#: What the tests themselves, or other tests running beside these, write in the repository.
NOT_THE_BUILDS = {
    ".git",
    ".venv",
    "test-artifacts",
    ".pytest_cache",
    ".hypothesis",
    ".mypy_cache",
    ".ruff_cache",
    "__pycache__",
}


def _repository_files() -> dict[str, float]:
    """The repository's own files, tracked or new and not ignored, with the time each was last written.

    Ignored places (exports/, build/, test-artifacts/, caches) are where the kit and the other tests
    write while this module runs in parallel with them; the build must leave everything else alone.
    """
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    files = {}
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if path.is_file() and not set(Path(name).parts) & NOT_THE_BUILDS:
            files[name] = path.stat().st_mtime
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once for the module, and the repository's state before and after the build."""
    before = _repository_files()
    out = tmp_path_factory.mktemp("site") / "site"
    pages = build.build_site(out)
    return {"out": out, "pages": pages, "before": before, "after": _repository_files()}


def _axes_refusal(request) -> bool:
    """axe reads each stylesheet again with an XMLHttpRequest, which a file:// page refuses (the
    page's own loads of its stylesheets are of type "stylesheet" and must succeed). The refusal
    arrives when it arrives, possibly after axe has returned, so it is told apart here."""
    return request.resource_type == "xhr" and request.url.endswith(".css")


def _axes_refusal_said(message) -> bool:
    """The console's two lines for such a refusal: the blocked XMLHttpRequest, and the failed load."""
    text, url = message.text, message.location.get("url", "")
    return ("XMLHttpRequest" in text and ".css" in text) or (
        text.startswith("Failed to load resource") and "ERR_FAILED" in text and url.endswith(".css")
    )


@pytest.fixture()
def offline(browser):
    """A browser page that may read files only: any request to a host is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.asked_elsewhere, page.failed, page.errors = [], [], []

    def route(request_route):
        if urlparse(request_route.request.url).scheme in ("file", "data"):
            request_route.continue_()
        else:
            page.asked_elsewhere.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: _axes_refusal(request) or page.failed.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and not _axes_refusal_said(message) and page.errors.append(message.text)
        ),
    )
    yield page
    context.close()
    assert page.asked_elsewhere == [] and page.failed == [] and page.errors == []


def _open(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.briefingReady !== undefined")
    assert page.evaluate("document.documentElement.dataset.briefingReady") == "yes"


def test_the_build_leaves_the_repository_as_it_was(site):
    written = {name for name, when in site["after"].items() if site["before"].get(name) != when}
    assert written == set() and set(site["before"]) == set(site["after"])


def test_make_site_runs_the_builder_into_build_site():
    commands = subprocess.run(["make", "-n", "site"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "-m briefing.site.build --out build/site" in commands


def test_plotly_js_ships_once_and_every_page_loads_it_from_the_site(site):
    out = site["out"]
    assert [p.name for p in out.rglob("plotly*.js")] == ["plotly.min.js"]
    for html in out.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert '<script defer="" src="assets/plotly.min.js">' in text, html.name
        assert "require.js" not in text and "widget-state" not in text, html.name


def test_jupyterlabs_stylesheets_ship_once_and_every_page_links_them(site, offline):
    """nbconvert would inline JupyterLab's CSS (~250 kB) in every page; the site links one copy."""
    out = site["out"]
    shipped = {
        name: (out / build._shared_stylesheet(name)).read_text(encoding="utf-8") for name in build.LAB_STYLESHEETS
    }
    for html in out.glob("*.html"):
        text = html.read_text(encoding="utf-8")
        for name, css in shipped.items():
            assert f'href="{build._shared_stylesheet(name)}"' in text, html.name
            assert css[-2000:] not in text, html.name  # no inlined copy left
    _open(offline, out / "02_forums.html")
    # The lab theme's variables and the notebook's layout rules apply as they did inlined.
    assert offline.evaluate("getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim()")
    assert offline.evaluate("getComputedStyle(document.querySelector('.jp-Cell')).paddingLeft") != "0px"


def test_every_chart_draws_what_the_kernel_held(site, offline):
    for page in site["pages"]:
        _open(offline, site["out"] / page.href)
        drawn = offline.evaluate(DRAWN, offline.locator("body").element_handle())
        assert drawn == page.figures, page.name
        assert offline.locator(".briefing-plot .main-svg").count() >= len(page.figures)
    # Every walk-through page (01-07) has charts, and they hold data (not a site of empty placeholders).
    walk_through = [page for page in site["pages"] if "01" <= page.name[:2] <= "07"]
    assert len(walk_through) == 7 and all(page.figures for page in walk_through)
    assert all(any(trace.get(k) for trace in page.figures[0] for k in ("x", "y", "z", "link")) for page in walk_through)


def test_a_chart_is_interactive_legend_entries_hide_a_series(site, offline):
    _open(offline, site["out"] / "01_why_cyber_norms.html")
    plot = offline.locator(".briefing-plot").first  # incidents by year, one series per type
    entry = plot.locator(".legend .traces").first
    name = entry.locator(".legendtext").text_content()
    entry.locator(".legendtoggle").click()  # what a reader clicks: the entry's hit area
    offline.wait_for_function(
        "([name]) => document.querySelector('.briefing-plot').data.some((t) => t.name === name && t.visible === 'legendonly')",
        arg=[name],
    )


def test_the_quiz_gives_the_kernels_feedback_without_a_kernel(site, offline):
    _open(offline, site["out"] / "01_why_cyber_norms.html")
    question = offline.locator(".briefing-question").first
    verdict = question.locator(".briefing-verdict")
    question.locator("input[data-correct='no']").first.check()
    offline.wait_for_function("(el) => el.textContent.includes('Not quite')", arg=verdict.element_handle())
    question.locator("input[data-correct='yes']").check()
    offline.wait_for_function("(el) => el.textContent.startsWith('Correct')", arg=verdict.element_handle())
    answer = question.locator(".briefing-answer")
    assert not answer.locator("p").first.is_visible()
    answer.locator("summary").click()
    assert answer.locator("p").first.is_visible() and "Correct" in answer.locator("p").first.text_content()


def test_the_data_behind_a_chart_downloads_as_csv_with_a_citation(site, offline, tmp_path):
    _open(offline, site["out"] / "01_why_cyber_norms.html")
    section = offline.locator(".briefing-static-explorer").first
    assert "data as of" in section.locator(".briefing-citation").text_content()
    section.locator(".briefing-data summary").click()
    with offline.expect_download() as download:
        section.locator("a.briefing-download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    headers = section.locator("table th").all_text_contents()
    assert lines[0].split(",") == headers
    assert f"{len(lines) - 1} rows" in section.locator(".briefing-data summary").text_content()


def test_navigation_links_resolve_and_next_walks_the_learning_path(site, offline):
    out = site["out"]
    for html in sorted(out.glob("*.html")):
        _open(offline, html)
        for href in offline.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.getAttribute('href'))"):
            if urlparse(href).scheme or href.startswith("#"):
                continue
            target = href.split("#")[0]
            assert (out / target).is_file(), f"{html.name} links to {href}"
    _open(offline, out / "index.html")
    for page in site["pages"]:
        offline.locator("a[rel='next']").first.click()
        offline.wait_for_url(f"**/{page.href}")
        assert offline.title() == page.title


def test_every_page_names_the_datas_as_of_date(site):
    from briefing import data

    for html in site["out"].glob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert f'Data as of <time datetime="{data.as_of()}">' in text, html.name
        assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text


def test_imported_rows_never_reach_a_page():
    import pandas as pd

    frame = pd.DataFrame({"incident_id": ["a", "b", "c"], "provenance": ["curated", "imported", "curated"]})
    kept, withheld = static.redistributable(frame)
    assert list(kept["incident_id"]) == ["a", "c"] and withheld == 1
    html = static.data_html(frame, name="x")
    assert ">b<" not in html and "1 rows imported" in html and json.dumps("b") not in html


def test_printing_swaps_each_chart_for_an_image_of_it(site, offline):
    page = next(p for p in site["pages"] if p.name.startswith("04"))
    offline.goto((site["out"] / page.href).as_uri() + "?print")
    offline.wait_for_function("document.documentElement.dataset.briefingReady !== undefined")
    assert offline.evaluate("document.documentElement.dataset.briefingReady") == "yes"
    images = offline.locator("img.briefing-plot-image")
    assert images.count() == len(page.figures) and offline.locator(".briefing-plot").count() == 0
    assert all(src.startswith("data:image/svg+xml") for src in images.evaluate_all("(els) => els.map((e) => e.src)"))
    assert all(images.evaluate_all("(els) => els.map((e) => e.alt.length > 20)"))


def test_handouts_one_pdf_per_walk_through_page(site, tmp_path):
    from briefing.site import handouts

    # In a process of its own, as `make handouts` runs it (Playwright's sync API runs one loop per process).
    out = tmp_path / "handouts"
    command = [sys.executable, "-m", "briefing.site.handouts", "--site", str(site["out"]), "--out", str(out)]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, timeout=600)
    written = sorted(out.iterdir())
    assert [p.stem for p in written] == list(handouts.HANDOUT_PAGES)
    for pdf in written:
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF"), pdf.name
        # A page of text alone prints to ~20 kB; every handout holds several pages and its charts.
        assert len(content) > 80_000, (pdf.name, len(content))
        assert content.count(b"/Type /Page") - content.count(b"/Type /Pages") >= 2, pdf.name


def test_an_explorer_with_a_years_filter_gets_plotlys_range_slider(site, offline):
    _open(offline, site["out"] / "05_timeline.html")
    first = offline.locator(".briefing-static-explorer .briefing-plot").first
    assert first.locator(".rangeslider-container").count() == 1
    assert offline.locator(".briefing-plot .rangeslider-container").count() == 2  # the two timeline explorers


def test_every_site_page_passes_axe_with_no_serious_or_critical_finding(site, offline):
    """WCAG 2.2 AA (axe-core, bundled): the start page, the glossary and every notebook's page."""
    from axe_check import axe_report

    pages = ["index.html", "glossary.html"] + [page.href for page in site["pages"]]
    blocking = {}
    for href in pages:
        _open(offline, site["out"] / href)
        # axe fetches each stylesheet again to read it, which a file:// page refuses: the fixture
        # tells those refusals apart from the page's own requests and messages.
        report = axe_report(offline, name=f"site-{href.removesuffix('.html')}")
        print(report.summary())
        if report.blocking:
            blocking[href] = report.summary()
    assert blocking == {}, "\n".join(blocking.values())
