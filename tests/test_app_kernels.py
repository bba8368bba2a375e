"""`make app` in a class: readers open and close pages, and the server gives their kernels back.

One Voila server for the module, started with the command `make app` runs (read from `make -n app`,
so the test follows the Makefile and share/voila/voila.py), driven by Debian's chromium.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import psutil
import pytest
from conftest import ARTIFACTS, PYTHON, REPO, running_server

from benchmarks.servers import free_port

pytestmark = pytest.mark.browser

# Twenty in the suite; a longer lesson: BRIEFING_APP_PAGES=50 pytest tests/test_app_kernels.py
PAGES = int(os.environ.get("BRIEFING_APP_PAGES", "20"))
# The start page takes a kernel from the pool, the others start one on demand: both paths are used.
NOTEBOOKS = ["00_start_here.ipynb", "10_bring_your_own_data.ipynb"]
# Memory: a kernel that has run a notebook holds ~150-160 MB, so twenty pages that each left theirs
# behind would add ~3 GB. The server process itself grows as it serves its first pages (allocator
# arenas, caches), then stays there: measured on a 2-core machine at +90, +155, +105, +155 MB after
# 10, 20, 30 and 40 pages. The bound sits above that plateau and below two leaked kernels; the
# kernel count, checked exactly, catches a single one.
MEMORY_TOLERANCE_BYTES = 300 * 2**20
SETTLE_SECONDS = 60


def make_app_command(port: int) -> tuple[list[str], dict[str, str]]:
    """The Voila command line `make app` runs and the variables it sets for it, with this interpreter."""
    dry_run = subprocess.run(
        ["make", "-n", "app", f"APP_PORT={port}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in dry_run.replace("\\\n", " ").splitlines() if "voila notebooks/" in line)
    words = shlex.split(line)
    environment = {}
    while "=" in words[0] and not words[0].startswith("-"):
        name, value = words.pop(0).split("=", 1)
        environment[name] = value
    assert words[0].endswith("/voila"), line
    return [PYTHON, "-m", "voila", *words[1:]], environment


def kernels(server: psutil.Process) -> list[psutil.Process]:
    return [child for child in server.children(recursive=True) if "ipykernel_launcher" in " ".join(child.cmdline())]


def tree_memory(server: psutil.Process) -> int:
    """Resident memory of the server and every process under it (its kernels), in bytes."""
    total = 0
    for process in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += process.memory_info().rss
    return total


def memory_report(server: psutil.Process) -> str:
    return ", ".join(
        f"{'kernel' if process in kernels(server) else process.name()} {process.memory_info().rss / 2**20:.0f} MB"
        for process in [server, *server.children(recursive=True)]
    )


def wait_for_quiet(server: psutil.Process, *, kernel_count: int | None = None, timeout: float = SETTLE_SECONDS) -> int:
    """Until the kernels are all idle (no CPU for a second) and, if given, `kernel_count` of them are
    left: closed pages' kernels stopped, the pool refilled and run. Returns how many there are."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = kernels(server)
        if (
            kernel_count in (None, len(running))
            and all(kernel.cpu_percent(interval=1.0) < 2 for kernel in running)
            and len(kernels(server)) == len(running)
        ):
            return len(running)
        time.sleep(1)
    raise AssertionError(
        f"{len(kernels(server))} kernels still run after {timeout} s, not {kernel_count}; "
        f"the server's log: {ARTIFACTS / 'voila-app-kernels.log'}"
    )


@pytest.fixture(scope="module")
def app():
    port = free_port()
    command, environment = make_app_command(port)
    with running_server(command, f"http://127.0.0.1:{port}/", log_name="voila-app-kernels", env=environment) as server:
        yield f"http://127.0.0.1:{port}", psutil.Process(server.pid), int(environment.get("BRIEFING_APP_POOL", -1))


def test_make_app_reads_its_settings(app):
    """Voila said it read share/voila/voila.py: the culler is on, the start page's pool is filled."""
    _base, server, pool = app
    wait_for_quiet(server, kernel_count=pool)
    log = (ARTIFACTS / "voila-app-kernels.log").read_text()
    assert "Culling kernels with idle durations > 300 seconds at 60 second intervals" in log
    assert f"Kernel pool of 00_start_here.ipynb is filled with {pool} kernel(s)" in log
    assert "Kernel pool of 01_" not in log  # no pool for the other pages


def test_closing_pages_gives_their_kernels_and_memory_back(app, browser):
    base, server, _ = app
    start_kernels = wait_for_quiet(server)
    start_memory, start_report = tree_memory(server), memory_report(server)
    readers, most_kernels = [], 0
    try:
        for number in range(PAGES):
            # Every reader has a browser of their own and arrives from a link, with no cookie of this
            # server yet, as a student does. Their browsers stay open: a closed tab's shutdown request
            # leaves after the tab has gone.
            readers.append(browser.new_context(viewport={"width": 1200, "height": 800}))
            page = readers[-1].new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{base}/voila/render/{NOTEBOOKS[number % len(NOTEBOOKS)]}")
            page.wait_for_selector(".jupyter-widgets")  # the page is connected to its kernel
            assert "Traceback" not in page.locator("body").inner_text()
            most_kernels = max(most_kernels, len(kernels(server)))
            page.close(run_before_unload=True)  # what closing the tab does
        assert most_kernels > start_kernels  # the pages did run kernels of their own
        wait_for_quiet(server, kernel_count=start_kernels)
    finally:
        for reader in readers:
            reader.close()
    end_memory = tree_memory(server)
    log = (ARTIFACTS / "voila-app-kernels.log").read_text()
    assert "_xsrf' argument missing" not in log
    assert end_memory - start_memory < MEMORY_TOLERANCE_BYTES, (
        f"the server's processes grew by {(end_memory - start_memory) / 2**20:.0f} MB over {PAGES} pages "
        f"({start_report} -> {memory_report(server)})"
    )


def test_the_app_index_lists_the_guided_path_by_title(app, page):
    base, _, _ = app
    page.goto(f"{base}/")
    links = page.locator("main ol a")
    texts = [" ".join(text.split()) for text in links.all_inner_texts()]
    expected = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb"))
    assert len(texts) == len(expected), texts
    assert texts[0] == "00 Start here" and all(".ipynb" not in text and "exports" not in text for text in texts)
    assert [text.split(" ", 1)[0] for text in texts] == [stem[:2] for stem in expected]
    links.nth(1).click()
    page.wait_for_selector(".jupyter-widgets")
    assert page.url.endswith(f"/voila/render/{expected[1]}.ipynb")
    # The app's pages load none of JupyterLite's extensions (installed beside it for `make lite`).
    assert not [error for error in page.console_errors if "jupyterlite" in error.lower()], page.console_errors


def test_the_app_serves_the_exports_and_the_packs_but_nothing_else(app):
    """The studio's exports and an exercise pack's pages download from the app; other files in their
    folders, and folders below a pack, do not (the allowlist in share/voila/voila.py)."""
    base, _server, _pool = app
    exports = REPO / "notebooks" / "exports"
    made_exports = not exports.exists()
    probe = f"probe_{secrets.token_hex(4)}"
    pack = exports / f"{probe}_pack"
    files = {
        exports / f"{probe}.html": 200,
        pack / "index.html": 200,
        pack / "handout_stage_1.pdf": 200,
        pack / "notes.py": 403,
        pack / "deeper" / "page.html": 403,
    }
    try:
        for path in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("probe", encoding="utf-8")
        for path, expected in files.items():
            url = f"{base}/voila/files/{path.relative_to(REPO / 'notebooks').as_posix()}"
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as refused:
                status, body = refused.code, b""
            assert (status == 200) == (expected == 200), (url, status)
            if expected == 200:
                assert body == b"probe", url
    finally:
        (exports / f"{probe}.html").unlink(missing_ok=True)
        shutil.rmtree(pack, ignore_errors=True)
        if made_exports:
            shutil.rmtree(exports, ignore_errors=True)
