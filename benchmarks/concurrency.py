"""Readers arriving together: Voila serving the start page to 10 (or 30) chromium pages at once.

Each reader is a page in its own browser context (its own cache and cookies), all in one headless
chromium that shares the machine with the server: on 2 cores the browser's own drawing is part of
what every reader waits for. The server runs as a class would run `make app`: with the start page's
pool of kernels started and run before anyone arrives (BRIEFING_APP_POOL, sized by ``class_pool``
as docs/instructor_guide.md says), and every figure starts once the pool is full again. A reader
beyond the pool waits for a kernel the pool starts as the first readers take theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from benchmarks.pool import wait_for_pool
from benchmarks.report import report
from benchmarks.stats import percentile
from benchmarks.voila_pages import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIRST_CHART,
    LOGS,
    REPO,
    page_url,
    voila_app,
)

START_PAGE = "00_start_here.ipynb"
SINGLE_READERS = 3  # one after the other: the single reader's time is their median
LIMIT = 3.0  # p95 of N readers against one reader
TIMEOUT_MS = 300_000
# BENCH_PROFILE=1: each reader prints where its time went (page's clock, ms from the request).
PROFILE = bool(os.environ.get("BENCH_PROFILE"))
PROFILE_SCRIPT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const big = performance.getEntriesByType('resource').filter((r) => r.transferSize > 500000 || r.decodedBodySize > 500000);
  return `html ${nav.responseStart.toFixed(0)}-${nav.responseEnd.toFixed(0)} dcl ${nav.domContentLoadedEventEnd.toFixed(0)} `
    + big.map((r) => `${r.name.split('/').pop().slice(0, 30)} ${r.startTime.toFixed(0)}-${r.responseEnd.toFixed(0)}`).join(' ');
}"""
Readers = tuple[list[float], list[str], int, dict[str, float]]  # times, errors, peak memory, CPU used
Run = TypeVar("Run")  # what one kind of reader's run gives back (chromium readers', light readers')


def class_pool(readers: int) -> int:
    """The start page's pool for ``readers`` arriving together, as docs/instructor_guide.md sizes it
    ("Ways to run it for a class"): one kernel started and run per reader expected at once."""
    return readers


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time used so far by the server, its kernels, the browser (every other process under this
    one), and the whole machine (other people's work included)."""
    import psutil

    def used(processes) -> float:
        total = 0.0
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += sum(process.cpu_times()[:4])  # user, system, and their children's
        return total

    server = psutil.Process(server_pid)
    served = {process.pid for process in [server, *server.children(recursive=True)]}
    others = [p for p in psutil.Process().children(recursive=True) if p.pid not in served]
    machine = psutil.cpu_times()
    return {
        "server": used([server]),
        "kernels": used(server.children(recursive=True)),
        "browser": used(others),
        "machine": machine.user + machine.system + machine.nice,
    }


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


def _watch_socket(socket, start: float, sockets: list[str]) -> None:
    def at(what: str) -> None:
        sockets.append(f"{what} {(time.perf_counter() - start) * 1000:.0f}")

    at("ws open")
    socket.on("framereceived", lambda _frame: at(f"ws msg {len(sockets)}"))


async def _reader(browser, url: str, errors: list[str], pages: list) -> float | None:
    """One reader opening ``url``: seconds to its first chart, or None (and the error) if it failed."""
    context = await browser.new_context(viewport={"width": 1366, "height": 768})
    page = await context.new_page()
    pages.append(page)
    page.on("console", lambda m: m.type == "error" and _is_own_error(m.text) and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"HTTP {r.status} {r.url}"))
    start = time.perf_counter()
    sockets: list[str] = []
    if PROFILE:  # when the kernel's websocket opened, and its first and last message before the chart
        page.on("websocket", lambda ws: _watch_socket(ws, start, sockets))
    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_selector(FIRST_CHART, timeout=TIMEOUT_MS)
        elapsed = time.perf_counter() - start
        if PROFILE:
            timing = await page.evaluate(PROFILE_SCRIPT)
            print("   ", timing, *sockets[:1], *sockets[-1:], f"chart {elapsed * 1000:.0f}", flush=True)
        return elapsed
    except Exception as problem:  # a reader who never sees a chart is an error, not a crash of the run
        errors.append(f"{type(problem).__name__}: {str(problem).splitlines()[0]}")
        return None


async def _readers(browser, url: str, count: int, pid: int, pool: int) -> Readers:
    """``count`` readers opening ``url`` at once, each in a fresh context of ``browser``: their times,
    the errors, the server's peak memory (its kernels', the pool's refills included) while they open it."""
    errors: list[str] = []
    pages: list = []
    with MemoryWatch(pid) as memory:
        before, started = cpu_seconds(pid), time.perf_counter()
        times = await asyncio.gather(*(_reader(browser, url, errors, pages) for _ in range(count)))
        after = cpu_seconds(pid)
        used = {name: after[name] - before[name] for name in after} | {"wall": time.perf_counter() - started}
        await asyncio.sleep(1)  # the kernels' last outputs land in memory too
    for page in pages:  # as readers close their tabs: the server stops their kernels
        await page.close(run_before_unload=True)
    # The shutdown requests leave after the tabs have gone; their contexts stay until they have.
    await asyncio.to_thread(wait_for_pool, pid, pool)
    used["refilled"] = time.perf_counter() - started
    for page in pages:
        await page.context.close()
    return [t for t in times if t is not None], errors, memory.peak, used


class ChromiumReaders:
    """One headless chromium for every run of readers against one server, launched once: a launch
    (Playwright's driver, then the browser) takes seconds on 2 cores, and each reader opens the
    page in a fresh context of its own anyway (its own cache and cookies: cold)."""

    def __enter__(self) -> ChromiumReaders:
        from playwright.async_api import async_playwright

        # One event loop for every run: Playwright's connection lives on the loop that opened it.
        self._loop = asyncio.new_event_loop()
        self._playwright = self._loop.run_until_complete(async_playwright().start())
        launch = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self._browser = self._loop.run_until_complete(launch)
        return self

    def run(self, url: str, count: int, pid: int, pool: int) -> Readers:
        """``count`` readers at once; they leave once the pool is full again (their kernels stopped,
        as many started in their place)."""
        return self._loop.run_until_complete(_readers(self._browser, url, count, pid, pool))

    def __exit__(self, *_exc) -> None:
        try:
            self._loop.run_until_complete(self._browser.close())
            self._loop.run_until_complete(self._playwright.stop())
        finally:
            self._loop.close()


@dataclass(frozen=True)
class StartPageApp(Generic[Run]):
    """The start page served with its pool full: where readers go, and how one kind of reader comes."""

    url: str
    pid: int
    pool: int
    run: Callable[[str, int, int, int], Run]  # (url, readers, server pid, pool): they come, leave, the pool refills
    log: Path | None = None  # the server's log, quoted when its pool will not fill

    def readers(self, count: int) -> Run:
        """``count`` readers at once; back once they left and the pool is full again."""
        return self.run(self.url, count, self.pid, self.pool)

    def alone_then_together(self, count: int) -> tuple[list[Run], Run]:
        """``SINGLE_READERS`` lone readers one after the other, then ``count`` at once, each time
        arriving at a full pool: the lone readers' runs and the crowd's."""
        single = [self.readers(1) for _ in range(SINGLE_READERS)]
        wait_for_pool(self.pid, self.pool, log=self.log)
        return single, self.readers(count)


@contextlib.contextmanager
def start_page_app(count: int, log_name: str, run: Callable[[str, int, int, int], Run]) -> Iterator[StartPageApp[Run]]:
    """Voila serving the start page from a temporary folder as a class runs `make app`, its pool
    sized for ``count`` readers; yielded once the pool is full and one reader (``run``) has come
    and gone, so that the server's templates are compiled before anything is timed."""
    pool = class_pool(count)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        shutil.copy(REPO / "notebooks" / START_PAGE, folder / START_PAGE)
        with voila_app(folder, log_name=log_name, pool=pool) as server:
            app = StartPageApp(page_url(server, START_PAGE), server.process.pid, pool, run, LOGS / f"{log_name}.log")
            wait_for_pool(app.pid, pool, log=app.log)
            app.readers(1)  # the server's first page compiles its templates
            yield app


def bench_concurrency(count: int = 10) -> None:
    """``count`` readers against one reader alone, on a server whose pool is sized for ``count``.

    The lone readers (fewer than the pool) each take a kernel from it, one after the other; the
    ``count`` readers arrive at a full pool, and the pool must fill again after them."""
    with ChromiumReaders() as chromium, start_page_app(count, f"voila-concurrency-{count}", chromium.run) as app:
        single, (times, errors, peak, used) = app.alone_then_together(count)
    alone = statistics.median(t for run in single for t in run[0])
    browser = statistics.median(run[3]["browser"] for run in single)
    note = f"the browser used {browser:.1f} CPU s for the page"
    report(
        f"concurrency: one reader alone (pool {app.pool}), time to first chart",
        alone,
        None,
        "reported",
        True,
        note=note,
    )
    _report(count, times, errors, peak, alone)
    _report_cpu(count, used)
    note = "from the readers' arrival: as many kernels started and run in their place, theirs stopped"
    report(
        f"concurrency: {count} readers, pool {app.pool} full again after",
        used["refilled"],
        None,
        "reported",
        True,
        note=note,
    )


def _report_cpu(count: int, used: dict[str, float]) -> None:
    """Where the machine's CPU went while the readers waited: what limits the figure on 2 cores."""
    others = used["machine"] - used["server"] - used["kernels"] - used["browser"]
    note = (
        f"of {used['machine']:.0f} CPU s over {used['wall']:.0f} s: browser {used['browser']:.0f}, "
        f"kernels {used['kernels']:.0f}, server {used['server']:.0f}, other work on the machine {max(others, 0):.0f}"
    )
    report(
        f"concurrency: {count} readers, browser's CPU per reader",
        used["browser"] / count,
        None,
        "reported",
        True,
        note=note,
    )


def bench_concurrency_30() -> None:
    bench_concurrency(30)


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
