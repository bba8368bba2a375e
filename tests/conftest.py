"""Shared test helpers: paths, free ports, and servers started for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.servers import wait_for_http

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Servers find the kit's Voila template (share/jupyter/voila/templates/briefing) here.
KIT_JUPYTER_PATH = str(REPO / "share" / "jupyter")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def running_server(
    command: list[str], ready_url: str, *, log_name: str, timeout: float = 120, env: dict[str, str] | None = None
):
    """Start a real server, wait until it answers, and stop it (and its kernels) afterwards.

    `env` adds variables to the server's environment."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"{log_name}.log", "w")  # noqa: SIM115 - closed when the server stops
    environment = {
        **os.environ,
        **(env or {}),
        "JUPYTER_PATH": os.pathsep.join(filter(None, [KIT_JUPYTER_PATH, os.environ.get("JUPYTER_PATH")])),
    }
    process = subprocess.Popen(
        command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=environment
    )
    try:
        wait_for_http(ready_url, timeout=timeout, process=process)
        yield process
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        log.close()


#: Tests that may start chromium: page tests and static image export (pyproject.toml declares both).
CHROMIUM_MARKS = {"browser", "chromium"}


@pytest.fixture(autouse=True)
def _chromium_only_where_marked(request, monkeypatch):
    """Run every test not marked ``browser`` or ``chromium`` as on a machine without chromium.

    ``BROWSER_PATH`` names chromium for the kit and for kaleido (and reaches the CLI and notebook
    kernels the tests start), so a test that needs chromium but is not marked fails on every machine,
    not only on the ones where ``make test BROWSER_TESTS=no`` skips the marked tests.
    """
    if not CHROMIUM_MARKS & {mark.name for mark in request.node.iter_markers()}:
        monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


PYTHON = sys.executable


def fresh_make_env() -> dict[str, str]:
    """This environment without what a `make` running these tests hands down (its variables)."""
    handed_down = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "BROWSER_TESTS", "LITE_TESTS", "PYTEST_ARGS"}
    return {name: value for name, value in os.environ.items() if name not in handed_down}


@pytest.fixture()
def package_copy(tmp_path, monkeypatch):
    """A copy of data/ in tmp_path that the kit loads instead (the shipped files are never touched)."""
    from briefing import data

    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy, ignore=shutil.ignore_patterns("_staging"))
    monkeypatch.setenv(data.DATA_DIR_ENV, str(copy))
    data._load_cached.cache_clear()
    yield copy
    data._load_cached.cache_clear()


def replace_cell(path, row_number, column, value):
    """Set one cell of a CSV (``row_number`` counts the header as row 1, as the kit's messages do)."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row_number - 2, column] = value
    frame.to_csv(path, index=False)


def _is_outside(url: str) -> bool:
    from urllib.parse import urlparse

    parts = urlparse(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost")


def own_errors(page) -> list[str]:
    """Errors the page logged, less those of the JupyterLite kernel's front end, which the test extras
    install for `make lite` and which cannot start inside JupyterLab (it needs JupyterLite; the app's
    Voila configuration keeps it out).
    """
    return [
        error
        for error in page.console_errors
        if "pyodide-kernel-extension" not in error and "@jupyterlite/" not in error
    ]


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.console_errors = []  # what the page logged as errors, for tests to look at
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(f"{error}\n{error.stack}"))
    page.outside_requests = []  # anything the page asked of a host other than this machine
    page.on("request", lambda request: _is_outside(request.url) and page.outside_requests.append(request.url))
    yield page
    context.close()
    # The kit works offline: no page a test opened may have asked the internet for anything.
    assert page.outside_requests == []


def voila_command(target: str, port: int) -> list[str]:
    """Voila serving ``target`` (a notebook or the notebooks folder) with the kit's template, on 127.0.0.1."""
    return [
        PYTHON,
        "-m",
        "voila",
        target,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--template=briefing",
        "--show_tracebacks=True",
    ]
