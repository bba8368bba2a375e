"""The static site (`make site`) in chromium: page weight and time to interactive, beside the app's.

The site is built once into a temporary folder and served by a local static server (Python's
http.server, with a cache lifetime on every file, as a static host would send). Weights are what
the browser took over the wire (the Resource Timing API's ``transferSize``, the page itself
included), so a file the browser had cached weighs nothing:

- the first page a reader opens, in a fresh browser context (nothing cached): the start page, and
  the heaviest notebook page, where a link from a newsletter lands;
- each further page, opened in the same context after the start page: plotly.js and the shared
  stylesheets are cached by then, so what it weighs is its own HTML (text, figures, data tables).

Times are read on the page's own clock (``performance.now()``, from the navigation's start): the first
chart is the first ``.js-plotly-plot .main-svg`` in the page (the same mark as the app's "time to first
chart", benchmarks/voila_pages.py), seen by a MutationObserver, so no polling delay; interactive is
when site.js has drawn every chart and wired every quiz (``<html data-briefing-ready="yes">``).

The app's start page is weighed and timed the same way (Voila, `make app`'s settings without a
pre-started kernel, cold cache, until its first chart is drawn; its kernel's start included, its
websocket traffic not counted), as interleaved pairs: each round of the site beside one load of the
app, the order alternating, so a busy spell of a shared machine weighs on both sides of a pair.
Run it with ``python benchmarks/run.py --only site`` (it builds the whole site first).
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import statistics
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from benchmarks.report import report, report_ratio
from benchmarks.stats import paired_ratio
from benchmarks.voila_pages import FIRST_CHART, chromium, leave, page_url, voila_app

REPO = Path(__file__).resolve().parent.parent
ROUNDS = 3
MB = 1_000_000
#: Targets, set against the app (Voila, `make app`'s settings) on the same machine in the same run: its
#: cold start page weighed 10.3 MB over HTTP until its first chart on a first run, and its first chart
#: takes 6.6 s on a quiet machine (README "Speed", kernel start included). The site needs no kernel.
FIRST_PAGE_LIMIT = 0.75  # a cold first page weighs at most three quarters of the app's cold start page
FURTHER_PAGE_LIMIT_MB = 1.5  # a further page, plotly.js and the stylesheets cached
TIME_LIMIT = 0.5  # the slowest page's first chart, and its interactive, within half the app's first chart

#: Installed before any page script: when the first chart appears and when site.js marks the page
#: ready, on the page's clock.
WATCH = f"""
window.__firstChart = null;
window.__readyAt = null;
new MutationObserver(function () {{
  if (window.__firstChart === null && document.querySelector({FIRST_CHART!r})) {{
    window.__firstChart = performance.now();
  }}
  if (window.__readyAt === null && document.documentElement.dataset.briefingReady) {{
    window.__readyAt = performance.now();
  }}
}}).observe(document, {{subtree: true, childList: true, attributes: true}});
"""
#: What a page weighed over the wire: the page itself and every file it loaded.
WEIGHT = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""


class _CachingHandler(SimpleHTTPRequestHandler):
    """Serves the site's folder as a static host would, with a cache lifetime, and without a log line per file."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 until the block ends; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CachingHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_page(page, url: str) -> dict:
    """Open ``url`` in ``page`` and wait until site.js is done: weight (bytes) and times (s)."""
    page.goto(url, timeout=120_000)
    page.wait_for_function("document.documentElement.dataset.briefingReady !== undefined", timeout=120_000)
    state = page.evaluate(
        f"""() => ({{ready: document.documentElement.dataset.briefingReady, bytes: ({WEIGHT})(),
        firstChart: window.__firstChart, readyAt: window.__readyAt}})"""
    )
    if state["ready"] != "yes":
        raise RuntimeError(f"{url}: the page's charts failed to draw")
    first = state["firstChart"] / 1000 if state["firstChart"] is not None else None
    return {"bytes": state["bytes"], "first_chart": first, "ready": state["readyAt"] / 1000}


def _fresh(browser):
    """A browser context with nothing cached, watching its pages' charts."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.add_init_script(WATCH)
    return context


def site_round(browser, base: str, names: list[str]) -> dict:
    """One round of the site: each page cold (its own fresh context), then each notebook page after the
    start page in one context (plotly.js and the stylesheets cached)."""
    cold = {}
    for name in ["index", *names]:
        context = _fresh(browser)
        cold[name] = open_page(context.new_page(), f"{base}/{name}.html")
        context.close()
    context = _fresh(browser)
    page = context.new_page()
    open_page(page, f"{base}/index.html")
    warm = {name: open_page(page, f"{base}/{name}.html")["bytes"] for name in names}
    context.close()
    return {"cold": cold, "warm": warm}


def app_start_page(browser, url: str, pid: int) -> dict:
    """The app's start page, cold: what the browser took over HTTP until its first chart was drawn,
    and when that was on the page's clock."""
    page = _fresh(browser).new_page()
    page.goto(url, timeout=180_000)
    page.wait_for_selector(FIRST_CHART, timeout=180_000)
    state = page.evaluate(f"() => ({{bytes: ({WEIGHT})(), firstChart: window.__firstChart}})")
    leave(page, pid)
    return {"bytes": state["bytes"], "first_chart": state["firstChart"] / 1000}


def measure(browser, base: str, names: list[str], app_url: str, pid: int) -> list[tuple[dict, dict]]:
    """``ROUNDS`` pairs of (a site round, the app's start page), the order alternating as in
    :func:`benchmarks.stats.interleaved`."""
    app_start_page(browser, app_url, pid)  # the server's first page also compiles its templates
    pairs = []
    for index in range(ROUNDS):
        if index % 2 == 0:
            app = app_start_page(browser, app_url, pid)
            site = site_round(browser, base, names)
        else:
            site = site_round(browser, base, names)
            app = app_start_page(browser, app_url, pid)
        pairs.append((site, app))
    return pairs


def bench_site() -> None:
    """Page weight and time to interactive of the static site, against the app's start page."""
    from briefing.site import build

    with tempfile.TemporaryDirectory() as name, chromium() as browser:
        folder = Path(name)
        pages = build.build_site(folder / "site")
        shutil.copy(REPO / "notebooks" / "00_start_here.ipynb", folder / "00_start_here.ipynb")
        with static_server(folder / "site") as base, voila_app(folder, log_name="voila-site-floor") as server:
            pairs = measure(
                browser,
                base,
                [page.name for page in pages],
                page_url(server, "00_start_here.ipynb"),
                server.process.pid,
            )
    _report_weights(pairs)
    _report_times(pairs)


def _report_weights(pairs: list[tuple[dict, dict]]) -> None:
    app = [pair[1]["bytes"] / MB for pair in pairs]
    cold = [pair[0]["cold"] for pair in pairs]
    heaviest = max(cold[0], key=lambda name: cold[0][name]["bytes"])  # bytes are the same every round
    for label, name in (("start page", "index"), (f"heaviest page ({heaviest})", heaviest)):
        summary = paired_ratio(app, [round_[name]["bytes"] / MB for round_ in cold])
        report_ratio(f"site: first page, cold cache, {label}", summary, FIRST_PAGE_LIMIT, "MB")
    warm = [pair[0]["warm"] for pair in pairs]
    further = {name: statistics.median(round_[name] for round_ in warm) / MB for name in warm[0]}
    largest = max(further, key=further.__getitem__)
    report(
        "site: further page, plotly.js cached, median",
        statistics.median(further.values()),
        None,
        "reported",
        True,
        "MB",
    )
    report(
        f"site: further page, plotly.js cached, largest ({largest})",
        further[largest],
        None,
        f"<= {FURTHER_PAGE_LIMIT_MB:g} MB",
        further[largest] <= FURTHER_PAGE_LIMIT_MB,
        "MB",
    )


def _report_times(pairs: list[tuple[dict, dict]]) -> None:
    """Each round's slowest page against the app's first chart in the same pair."""
    app = [pair[1]["first_chart"] for pair in pairs]
    for label, key in (("time to first chart", "first_chart"), ("time to interactive", "ready")):
        slowest = [max(run[key] for run in pair[0]["cold"].values() if run[key] is not None) for pair in pairs]
        report_ratio(f"site: {label}, cold cache, slowest page", paired_ratio(app, slowest), TIME_LIMIT)
