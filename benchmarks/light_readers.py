"""Readers arriving together, the server's own figure: N light readers that ask what a page asks, and draw nothing.

benchmarks/concurrency.py opens the start page in N chromium pages on the server's own 2 cores,
where the browsers' drawing (about 4 CPU s a page) swamps what the server does; in a class each
browser runs on its reader's laptop. A light reader makes the requests a page makes, in its order,
from this process (asyncio, tornado's clients, as jupyter_server uses them):

1. GET the start page (Voila takes a kernel from the pool, or starts one, and embeds its id), then
   the scripts and stylesheets the HTML names (a cold cache: every reader fetches them).
2. Open the kernel's websocket (`/api/kernels/<id>/channels`) with the page's cookies and origin
   in the v1 protocol the page picks, and ask for the kernel's info, as JupyterLab's kernel
   connection does when it opens.
3. Ask for every widget's state as Voila's widget manager does (ipywidgets 8, `_loadFromKernel`
   in voila's widgets-manager8 bundle): open a `jupyter.widget.control` comm, send
   `request_states`, and wait for the one `update_states` reply that holds every state (plotly's
   bundle among them, on its carrier widget).
4. Ask each chart for its figure as its view does before it draws (`briefing:resync`, see
   briefing/assets/live_figure.js).

The clock stops when the first chart's figure (a model's `_widget_data`) has arrived. Left out: the widget modules the front end loads by script after the
page (its webpack chunks), and drawing. Readers leave as a closing page does: a POST to
`voila/api/shutdown/<kernel>` with the `_xsrf` cookie's value; their kernels must then be gone.
The server, its pool and the memory watch are concurrency.py's.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from typing import NamedTuple
from urllib.parse import urlencode, urljoin, urlparse

from benchmarks.concurrency import LIMIT, MemoryWatch, cpu_seconds, start_page_app
from benchmarks.pool import wait_for_pool
from benchmarks.report import report
from benchmarks.stats import percentile
from benchmarks.voila_pages import kernels

TIMEOUT = 300.0  # seconds for one reader to get its first chart's figure
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
ASSET = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"')
CONTROL_TARGET = "jupyter.widget.control"
PROTOCOL = "v1.kernel.websocket.jupyter.org"  # @jupyterlab/services' supportedKernelWebSocketProtocols
RESYNC = "briefing:resync"  # briefing.live_figure.RESYNC, without importing the kit here


@dataclass
class Visit:
    """One light reader's page: its kernel, its cookies and socket while it stays open."""

    url: str
    kernel: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    socket: object = None
    seconds: float | None = None
    page_seconds: float | None = None  # the page and its assets, before the websocket

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def keep_cookies(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})


class Crowd(NamedTuple):
    times: list[float]
    page_times: list[float]
    errors: list[str]
    peak: int
    used: dict[str, float]


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> dict:
    """A shell message as JupyterLab's kernel connection builds it."""
    header = {
        "msg_id": uuid.uuid4().hex,
        "username": "reader",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": datetime.now(timezone.utc).isoformat(),
    }
    return {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}


async def _send(socket, message: dict) -> None:
    """``message`` on the shell channel, in the websocket protocol the page's kernel connection picks."""
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    frame = serialize_msg_to_ws_v1(message, "shell", lambda part: json.dumps(part).encode("utf-8"))
    await socket.write_message(frame, binary=True)


async def _receive(socket) -> dict:
    """The next message from the kernel: header, parent header, metadata and content (buffers left)."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    frame = await socket.read_message()
    if frame is None:
        raise ConnectionError("the kernel's websocket closed")
    _channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(part) for part in parts[:4])
    return {"header": header, "parent_header": parent, "metadata": metadata, "content": content}


def charts(states: dict) -> list[str]:
    """The plotly figures among ``update_states``' states (LiveFigure; plotly's FigureWidget too)."""
    return [model_id for model_id, model in states.items() if "_widget_data" in model.get("state", {})]


async def _open_page(client, visit: Visit) -> None:
    """The page and what its HTML names from this server, as a cold browser fetches them."""
    from tornado.httpclient import HTTPRequest

    response = await client.fetch(HTTPRequest(visit.url, request_timeout=TIMEOUT))
    visit.keep_cookies(response)
    html = response.body.decode("utf-8")
    found = KERNEL_ID.search(html)
    if not found:
        raise ValueError("the page embeds no kernel id")
    visit.kernel = found.group(1)
    origin = urlparse(visit.url)
    assets = {urljoin(visit.url, link) for link in ASSET.findall(html)}
    own = [asset for asset in assets if urlparse(asset).netloc == origin.netloc]
    headers = {"Cookie": visit.cookie_header()}
    await asyncio.gather(*(client.fetch(HTTPRequest(asset, headers=headers, request_timeout=TIMEOUT)) for asset in own))


async def _connect(visit: Visit) -> str:
    """Open the kernel's channels as the page does and ask for the kernel's info; the session."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    origin = urlparse(visit.url)
    session = uuid.uuid4().hex
    address = f"ws://{origin.netloc}/api/kernels/{visit.kernel}/channels?session_id={session}"
    headers = {"Cookie": visit.cookie_header(), "Origin": f"{origin.scheme}://{origin.netloc}"}
    # The page offers the v1 protocol and jupyter_server picks it: the server passes the kernel's
    # messages on as they come, without parsing them (the legacy JSON protocol parses each one).
    request = HTTPRequest(address, headers=headers)
    visit.socket = socket = await websocket_connect(request, max_message_size=2**30, subprotocols=[PROTOCOL])
    info = _message("kernel_info_request", {}, session)
    await _send(socket, info)
    while (await _receive(socket))["parent_header"].get("msg_id") != info["header"]["msg_id"]:
        pass
    return session


async def _comm_reply(socket, comm_ids: set[str], method: str) -> dict:
    """The next comm message from the kernel on one of ``comm_ids`` with ``method``: its data."""
    while True:
        message = await _receive(socket)
        content = message.get("content", {})
        is_comm = message["header"]["msg_type"] == "comm_msg" and content.get("comm_id") in comm_ids
        if is_comm and content["data"].get("method") == method:
            return content["data"]


async def _first_chart(visit: Visit) -> None:
    """Every widget's state, then each chart's figure as its view asks for it; back at the first."""
    session = await _connect(visit)
    socket = visit.socket
    comm = uuid.uuid4().hex
    opening = {"comm_id": comm, "target_name": CONTROL_TARGET, "data": {}}
    await _send(socket, _message("comm_open", opening, session, {"version": "1.0.0"}))
    request = {"comm_id": comm, "data": {"method": "request_states"}}
    await _send(socket, _message("comm_msg", request, session))
    states = (await _comm_reply(socket, {comm}, "update_states"))["states"]
    await _send(socket, _message("comm_close", {"comm_id": comm, "data": {}}, session))
    figures = charts(states)
    if not figures:
        raise ValueError("the widget state holds no chart")
    # Each chart's view, once plotly's bundle is in (it came with the states), asks for the figure
    # as the kernel holds it and draws the answer (briefing/assets/live_figure.js).
    for model_id in figures:
        resync = {"comm_id": model_id, "data": {"method": "custom", "content": {"event": RESYNC}}}
        await _send(socket, _message("comm_msg", resync, session))
    while not (await _comm_reply(socket, set(figures), "update"))["state"].get("_widget_data"):
        pass


async def _reader(url: str, errors: list[str]) -> Visit:
    """One light reader: the page, its kernel's widget state; the visit with its seconds (None if it failed)."""
    from tornado.httpclient import AsyncHTTPClient

    visit = Visit(url)
    client = AsyncHTTPClient(force_instance=True)
    start = time.perf_counter()
    try:
        await asyncio.wait_for(_open_page(client, visit), TIMEOUT)
        visit.page_seconds = time.perf_counter() - start
        await asyncio.wait_for(_first_chart(visit), TIMEOUT - (time.perf_counter() - start))
        visit.seconds = time.perf_counter() - start
    except Exception as problem:  # a reader who never gets a chart is an error, not a crash of the run
        errors.append(f"{type(problem).__name__}: {str(problem).splitlines()[0] if str(problem) else ''}")
    finally:
        client.close()
    return visit


async def _leave(visit: Visit, errors: list[str]) -> None:
    """Close the page as Voila's front end does on `beforeunload`: shut its kernel down, with `_xsrf`."""
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    if visit.kernel:
        origin = urlparse(visit.url)
        address = f"{origin.scheme}://{origin.netloc}/voila/api/shutdown/{visit.kernel}"
        body = urlencode({"_xsrf": visit.cookies.get("_xsrf", "")})
        headers = {"Cookie": visit.cookie_header(), "Content-Type": "application/x-www-form-urlencoded"}
        client = AsyncHTTPClient(force_instance=True)
        try:
            await client.fetch(address, method="POST", body=body, headers=headers, request_timeout=60)
        except HTTPClientError as problem:
            errors.append(f"shutdown {visit.kernel[:8]}: HTTP {problem.code}")
        finally:
            client.close()
    if visit.socket is not None:
        visit.socket.close()


def _running(pid: int, kernel_ids: set[str]) -> set[str]:
    """Which of ``kernel_ids`` still run under the server (a kernel's command names its connection file)."""
    running = set()
    for process in kernels(pid):
        command = " ".join(process.cmdline())
        running |= {kernel for kernel in kernel_ids if f"kernel-{kernel}.json" in command}
    return running


def _wait_gone(pid: int, kernel_ids: set[str], timeout: float = 60) -> set[str]:
    """Until the left readers' kernels have stopped; those still running after ``timeout``."""
    deadline = time.monotonic() + timeout
    while (left := _running(pid, kernel_ids)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


async def _readers(url: str, count: int, pid: int, pool: int) -> Crowd:
    """``count`` light readers at once; they stay until all have their chart, then leave together."""
    errors: list[str] = []
    with MemoryWatch(pid) as memory:
        before, started, own = cpu_seconds(pid), time.perf_counter(), time.process_time()
        visits = await asyncio.gather(*(_reader(url, errors) for _ in range(count)))
        after = cpu_seconds(pid)
        used = {name: after[name] - before[name] for name in ("server", "kernels", "machine")}
        used |= {"wall": time.perf_counter() - started, "readers": time.process_time() - own}
        await asyncio.sleep(1)  # the kernels' last outputs land in memory too
    await asyncio.gather(*(_leave(visit, errors) for visit in visits))
    left = await asyncio.to_thread(_wait_gone, pid, {visit.kernel for visit in visits if visit.kernel})
    errors += [f"kernel {kernel[:8]} still running after its reader left" for kernel in sorted(left)]
    await asyncio.to_thread(wait_for_pool, pid, pool)
    used["refilled"] = time.perf_counter() - started
    times = [visit.seconds for visit in visits if visit.seconds is not None]
    pages = [visit.page_seconds for visit in visits if visit.page_seconds is not None]
    return Crowd(times, pages, errors, memory.peak, used)


def _run(url: str, count: int, pid: int, pool: int) -> Crowd:
    return asyncio.run(_readers(url, count, pid, pool))


def bench_light_readers(count: int = 10) -> None:
    """``count`` light readers at once against one alone (median of three), pool sized for ``count``."""
    with start_page_app(count, f"voila-light-readers-{count}", _run) as app:
        single, crowd = app.alone_then_together(count)
    lone_errors = [error for run in single for error in run.errors]
    alone = statistics.median(t for run in single for t in run.times)
    page = statistics.median(t for run in single for t in run.page_times)
    note = f"the page and its assets {page:.2f} s, {len(lone_errors)} errors"
    report(
        f"light readers: one alone (pool {app.pool}), time to first chart's state",
        alone,
        None,
        "reported",
        True,
        note=note,
    )
    _report(count, crowd, alone)


def _report(count: int, crowd: Crowd, alone: float) -> None:
    times, errors, used = crowd.times, crowd.errors, crowd.used
    failed = count - len(times)
    p95 = percentile(times, 0.95) if times else float("nan")
    p50 = percentile(times, 0.5) if times else float("nan")
    target = f"ratio <= {LIMIT:g}, no errors" if count == 10 else "reported"
    passed = (not errors and not failed and p95 / alone <= LIMIT) if count == 10 else True
    page = percentile(crowd.page_times, 0.5) if crowd.page_times else float("nan")
    note = f"p50 {p50:.2f} s (the page and its assets {page:.2f} s), {failed} of {count} without a chart, {len(errors)} errors"
    report(f"light readers: {count} at once, time to first chart's state p95", p95, alone, target, passed, note=note)
    others = used["machine"] - used["server"] - used["kernels"] - used["readers"]
    note = (
        f"of {used['machine']:.0f} CPU s over {used['wall']:.0f} s: server {used['server']:.1f}, kernels "
        f"{used['kernels']:.1f}, the light readers {used['readers']:.1f}, other work on the machine {max(others, 0):.0f}"
    )
    report(f"light readers: {count}, server's CPU while they waited", used["server"], None, "reported", True, note=note)
    report(f"light readers: {count}, server and kernels' peak memory", crowd.peak / 2**20, None, "reported", True, "MB")
    note = "from the readers' arrival: their kernels shut down and gone, as many started and run in their place"
    report(
        f"light readers: {count}, pool {count} full again after", used["refilled"], None, "reported", True, note=note
    )
    for error in errors[:5]:
        print(f"    error: {error[:200]}")


def bench_light_readers_10_and_30() -> None:
    bench_light_readers(10)
    bench_light_readers(30)
