"""The app in a real browser: Voila serving the kit's notebooks as `make app` does, chromium through
Playwright; and the first figure taken there, the time to a notebook's first chart.

Every server here runs with the app's settings (share/voila/voila.py, the kit's template) but no
pre-started kernel (BRIEFING_APP_POOL=0): each page starts its own kernel, so a page's time includes
running its notebook, and the minimal page's time is a fair floor.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import report_ratio
from benchmarks.servers import free_port, wait_for_http
from benchmarks.stats import interleaved

REPO = Path(__file__).resolve().parent.parent
LOGS = REPO / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIRST_CHART = ".js-plotly-plot .main-svg"
MINIMAL_CODE = "import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[1, 3, 2]))"
VOILA_LIMIT = 1.3


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def voila_app(folder: Path, *, log_name: str, pool: int = 0) -> Iterator[Server]:
    """Voila serving ``folder`` with the app's settings (`make app`); stopped, kernels and all, after."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
        f"--Voila.config_file_paths={REPO / 'share' / 'voila'}",
    ]
    environment = {
        **os.environ,
        "BRIEFING_APP_POOL": str(pool),
        "JUPYTER_PATH": os.pathsep.join(
            filter(None, [str(REPO / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")])
        ),
    }
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{log_name}.log", "w") as log:
        process = subprocess.Popen(
            command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=environment
        )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=120, process=process)
            yield Server(f"http://127.0.0.1:{port}", process)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def page_url(server: Server, notebook: str) -> str:
    return f"{server.url}/voila/render/{notebook}"


def write_notebook(path: Path, *cells: str) -> Path:
    import nbformat

    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells]), path)
    return path


def kernels(pid: int) -> list:
    """The kernels running under the server ``pid``."""
    import psutil

    found = []
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
    return found


def wait_for_kernels_gone(pid: int, timeout: float = 60) -> None:
    """Until the closed pages' kernels have stopped (so that none weighs on the next figure)."""
    deadline = time.monotonic() + timeout
    while kernels(pid) and time.monotonic() < deadline:
        time.sleep(0.5)


def leave(page, pid: int) -> None:
    """Close ``page`` as a reader closes a tab, and wait for the server to stop its kernel. The
    page's context stays open meanwhile: the shutdown request leaves after the tab has gone."""
    context = page.context
    page.close(run_before_unload=True)
    wait_for_kernels_gone(pid)
    context.close()


def first_chart_seconds(browser, url: str, pid: int) -> float:
    """Open ``url`` in a fresh context (cold cache) and wait for the first chart drawn; seconds."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    start = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.wait_for_selector(FIRST_CHART, timeout=180_000)
    elapsed = time.perf_counter() - start
    leave(page, pid)
    return elapsed


def bench_voila() -> None:
    """Voila: the start page's first chart against a page with one plotly chart, as interleaved pairs."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_notebook(folder / "minimal.ipynb", MINIMAL_CODE)
        shutil.copy(REPO / "notebooks" / "00_start_here.ipynb", folder / "00_start_here.ipynb")
        with voila_app(folder, log_name="voila-first-chart") as server, chromium() as browser:
            minimal, start = page_url(server, "minimal.ipynb"), page_url(server, "00_start_here.ipynb")
            pid = server.process.pid
            first_chart_seconds(browser, minimal, pid)  # the server's first page compiles its templates
            summary = interleaved(
                lambda: first_chart_seconds(browser, minimal, pid),
                {"start": lambda: first_chart_seconds(browser, start, pid)},
                rounds=3,
            )["start"]
    report_ratio("Voila: time to first chart, 00_start_here", summary, VOILA_LIMIT)
