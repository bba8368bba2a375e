"""The app's culler (share/voila/voila.py) and the start page's pool, without a server.

The culler must leave a kernel waiting in the pool alone, and give a kernel just taken from the
pool its full idle time again: the reader's page has yet to connect to it. The rest of the app's
kernel handling is tested against a real server in test_app_kernels.py.
"""

from __future__ import annotations

import asyncio
import runpy
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

from conftest import REPO
from jupyter_server._tz import utcnow
from traitlets.config import Config

SETTINGS = REPO / "share" / "voila" / "voila.py"


def kernel_manager():
    """The app's kernel manager, holding fake kernels; records the kernels it shuts down."""
    settings = runpy.run_path(str(SETTINGS), init_globals={"get_config": Config})
    manager = settings["PoolKeepingKernelManager"](config=settings["c"])
    manager.shut_down = []

    async def shutdown_kernel(kernel_id, *args, **kwargs):
        manager.shut_down.append(kernel_id)
        del manager._kernels[kernel_id]

    manager.shutdown_kernel = shutdown_kernel
    return manager, settings["CULL_IDLE_SECONDS"]


def idle_kernel(idle_seconds: float) -> SimpleNamespace:
    return SimpleNamespace(
        execution_state="idle",
        kernel_name="python3",
        kernel_spec=SimpleNamespace(metadata={}),
        last_activity=utcnow() - timedelta(seconds=idle_seconds),
    )


def pool_of(*kernel_ids: str) -> list:
    """Voila's pool: finished tasks whose results name their kernels."""
    loop = asyncio.new_event_loop()
    try:
        tasks = []
        for kernel_id in kernel_ids:
            future = loop.create_future()
            future.set_result({"kernel_id": kernel_id})
            tasks.append(future)
        return tasks
    finally:
        loop.close()


def cull(manager) -> None:
    """One pass of the culler, on an event loop of its own in another thread: a browser test that ran
    earlier in this worker leaves Playwright's loop marked as running in this one."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, manager.cull_kernels()).result()


def test_a_kernel_taken_from_the_pool_is_not_culled_before_its_page_connects():
    manager, idle_limit = kernel_manager()
    long_ago = idle_limit + 60
    manager._kernels = {"pooled": idle_kernel(long_ago), "taken": idle_kernel(long_ago), "left": idle_kernel(long_ago)}
    manager._pools = {"00_start_here.ipynb": pool_of("pooled", "taken")}

    cull(manager)  # both wait in the pool; the third, a closed page's, goes
    assert manager.shut_down == ["left"]

    manager._pools["00_start_here.ipynb"].pop(1)  # a reader takes a kernel; their page is loading
    cull(manager)
    assert manager.shut_down == ["left"]
    assert utcnow() - manager._kernels["taken"].last_activity < timedelta(seconds=idle_limit)

    # Once its own idle time has run out too (a page that never connected), it goes.
    manager._kernels["taken"].last_activity = utcnow() - timedelta(seconds=long_ago)
    cull(manager)
    assert manager.shut_down == ["left", "taken"]
    assert set(manager._kernels) == {"pooled"}
