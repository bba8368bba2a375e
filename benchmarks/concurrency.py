"""Readers arriving together: Voila serving the start page to 10 (or 30) chromium pages at once.

Each reader is a page in its own browser context (its own cache and cookies), all in one headless
chromium that shares the machine with the server: on 2 cores the browser's own drawing is part of
what every reader waits for. The server runs as `make app` does, without a pre-started kernel
(BRIEFING_APP_POOL=0), so one reader alone and each of many start a kernel of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.report import report
from benchmarks.stats import percentile
from benchmarks.voila_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIRST_CHART,
    REPO,
    page_url,
    voila_app,
    wait_for_kernels_gone,
)

START_PAGE = "00_start_here.ipynb"
SINGLE_READERS = 3  # one after the other: the single reader's time is their median
LIMIT = 3.0  # p95 of N readers against one reader
TIMEOUT_MS = 300_000


class MemoryWatch:
    """Samples the resident memory of the server and every process under it (its kernels)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.server = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        import psutil

        total = 0
        for process in [self.server, *self.server.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += process.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(0.5)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def _is_own_error(text: str) -> bool:
    """Errors the page logged, less those of JupyterLite's kernel front end (test extras only)."""
    return "pyodide-kernel-extension" not in text and "@jupyterlite/" not in text


async def _reader(browser, url: str, errors: list[str], pages: list) -> float | None:
    """One reader opening ``url``: seconds to its first chart, or None (and the error) if it failed."""
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    pages.append(page)
    page.on("console", lambda m: m.type == "error" and _is_own_error(m.text) and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status} {r.url}"))
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_selector(FIRST_CHART, timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    except Exception as problem:  # a reader who never sees a chart is an error, not a crash of the run
        errors.append(f"{type(problem).__name__}: {str(problem).splitlines()[0]}")
        return None


async def _readers(url: str, count: int, pid: int) -> tuple[list[float], list[str], int]:
    """``count`` readers opening ``url`` at once: their times, the errors, the server's peak memory."""
    from playwright.async_api import async_playwright

    errors: list[str] = []
    pages: list = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with MemoryWatch(pid) as memory:
            times = await asyncio.gather(*(_reader(browser, url, errors, pages) for _ in range(count)))
            await asyncio.sleep(1)  # the kernels' last outputs land in memory too
        for page in pages:  # as readers close their tabs: the server stops their kernels
            await page.close(run_before_unload=True)
        await asyncio.to_thread(wait_for_kernels_gone, pid)
        await browser.close()
    return [t for t in times if t is not None], errors, memory.peak


def _run(url: str, count: int, pid: int) -> tuple[list[float], list[str], int]:
    wait_for_kernels_gone(pid)
    return asyncio.run(_readers(url, count, pid))


def bench_concurrency(counts: tuple[int, ...] = (10,)) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copy(REPO / "notebooks" / START_PAGE, folder / START_PAGE)
        with voila_app(folder, log_name="voila-concurrency") as server:
            url, pid = page_url(server, START_PAGE), server.process.pid
            _run(url, 1, pid)  # the server's first page compiles its templates
            single = [_run(url, 1, pid)[0] for _ in range(SINGLE_READERS)]
            alone = statistics.median(t for times in single for t in times)
            report("concurrency: one reader alone, time to first chart", alone, None, "reported", True)
            for count in counts:
                times, errors, peak = _run(url, count, pid)
                _report(count, times, errors, peak, alone)


def bench_concurrency_30() -> None:
    bench_concurrency((30,))


def _report(count: int, times: list[float], errors: list[str], peak: int, alone: float) -> None:
    failed = count - len(times)
    p95 = percentile(times, 0.95) if times else float("nan")
    p50 = percentile(times, 0.5) if times else float("nan")
    target = f"ratio <= {LIMIT:g}, no errors" if count == 10 else "reported"
    passed = (not errors and not failed and p95 / alone <= LIMIT) if count == 10 else True
    note = f"p50 {p50:.1f} s, {failed} of {count} without a chart, {len(errors)} errors"
    report(f"concurrency: {count} readers at once, time to first chart p95", p95, alone, target, passed, note=note)
    report(f"concurrency: {count} readers, server and kernels' peak memory", peak / 2**20, None, "reported", True, "MB")
    for error in errors[:5]:
        print(f"    error: {error[:200]}")
