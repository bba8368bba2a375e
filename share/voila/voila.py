"""Voila's settings for the no-code app (`make app`), in one place.

`make app` passes this folder to Voila (`--Voila.config_file_paths=share/voila`); Voila reads the
file at start-up. A class of students opening and closing pages must not pile up kernels (each one
holds ~150 MB): a kernel stops when its page closes, the culler stops the ones whose page vanished
without saying so, and only the start page keeps kernels warm.

Knobs for a class (see docs/instructor_guide.md, "Ways to run it for a class"):
- BRIEFING_APP_POOL (`make app APP_POOL=n`): kernels kept started and run, ready for the next
  reader of the start page (default 1). Other pages start their kernel when opened (a few seconds).
- CULL_IDLE_SECONDS, CULL_EVERY_SECONDS below: how long a kernel with no page left may sit idle.
"""

import os

from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from voila.handler import VoilaHandler

c = get_config()  # noqa: F821 (traitlets provides it when it runs this file)

START_PAGE = "00_start_here.ipynb"
START_PAGE_POOL = int(os.environ.get("BRIEFING_APP_POOL", "1"))
# A page that loses its network for a moment reconnects to its kernel; one gone for five minutes
# has been closed (or its laptop put to sleep), and reloading it starts a fresh kernel anyway.
CULL_IDLE_SECONDS = 300
CULL_EVERY_SECONDS = 60


class XsrfCookieIdentityProvider(PasswordIdentityProvider):
    """Hands every notebook page the XSRF cookie its shutdown request has to carry.

    When a page closes, Voila's front end posts `voila/api/shutdown/<kernel>` with the `_xsrf`
    cookie's value as the form field `_xsrf` (a beacon cannot set the `X-XSRFToken` header). But
    Voila 0.5 only issues that cookie on pages it renders from a server template (the tree page):
    a notebook page opened straight from a link, or pre-rendered in the kernel pool, never sets
    it, so the post goes out with an empty `_xsrf` and is refused ("403 ... '_xsrf' argument missing
    from POST", voila-dashboards/voila issue 1458), and the kernel runs on. Reading `xsrf_token`
    on the page's own request sets the cookie as JupyterLab's pages do. XSRF checking stays on:
    the shutdown request still has to prove it comes from a page of this server.
    """

    async def get_user(self, handler):
        user = await ensure_async(super().get_user(handler))
        if user is not None and isinstance(handler, VoilaHandler) and handler.request.method == "GET":
            handler.current_user = user  # what prepare() sets next; tornado's xsrf_token reads it
            handler.xsrf_token  # noqa: B018 (reading it sets the cookie when the browser has none)
        return user


class PoolKeepingKernelManager(AsyncMappingKernelManager):
    """Culls idle kernels, except those waiting in the pool for the next reader, and those just
    handed from the pool to a reader whose page has not connected yet.

    A pooled kernel has run its notebook and sits idle with no page connected, which is exactly
    what the culler looks for; culling it would leave the pool empty until Voila restarts.
    Voila builds its pooling kernel manager on top of this class (VoilaKernelManager, `_pools`).
    A kernel taken from the pool keeps the idle time it had there: one that waited longer than
    CULL_IDLE_SECONDS (an app started before the class) was culled between the reader's page
    arriving and its websocket connecting, and the page never drew its live charts (seen with ten
    readers arriving at once, benchmarks/concurrency.py). Its idle time starts when it leaves the pool.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._last_pooled: set[str] = set()  # the kernels waiting in the pool at the culler's last pass

    async def cull_kernels(self):
        pooled = self._pooled_kernel_ids()
        for kernel_id in self._last_pooled - pooled:  # handed to a reader since the last pass
            if kernel_id in self._kernels:
                self._kernels[kernel_id].last_activity = utcnow()
        self._last_pooled = pooled
        return await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self._pooled_kernel_ids():
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    def _pooled_kernel_ids(self) -> set:
        pools = getattr(self, "_pools", {})
        return {task.result()["kernel_id"] for pool in pools.values() for task in pool
                if task.done() and not task.cancelled() and task.exception() is None}


c.Voila.identity_provider_class = XsrfCookieIdentityProvider

c.VoilaConfiguration.template = "briefing"  # the kit's template: nothing asked of a web CDN
c.VoilaConfiguration.strip_sources = True  # readers see text, charts and widgets, not code
c.VoilaConfiguration.multi_kernel_manager_class = PoolKeepingKernelManager

# Pre-started kernels for the start page only: a class arrives there. Voila's own default would
# keep one running kernel per notebook (ten idle kernels, ~1.5 GB, before anyone opens a page).
c.VoilaConfiguration.preheat_kernel = START_PAGE_POOL > 0
c.VoilaKernelManager.kernel_pools_config = {
    "default": {"pool_size": 0},
    START_PAGE: {"pool_size": START_PAGE_POOL},
}

c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_SECONDS
c.MappingKernelManager.cull_interval = CULL_EVERY_SECONDS
c.MappingKernelManager.cull_connected = False  # a page still open keeps its kernel
c.MappingKernelManager.cull_busy = False  # a kernel still computing is not idle

# The chart studio's exports (notebooks/exports/) and the exercise packs (notebooks/exports/<name>_pack/)
# are downloadable from the app: its file route serves images anywhere (Voila's default) and the other
# export formats in those folders only.
c.VoilaConfiguration.file_allowlist = [r".*\.(png|jpg|gif|svg)", r"exports/([^/]+_pack/)?[^/]+\.(pdf|html|csv|txt)"]

# The index page: the kit's own list of the guided path (share/jupyter/voila/templates/briefing/tree.html),
# readable titles and nothing fetched from the web, rather than Voila's file-browser page.
c.VoilaConfiguration.classic_tree = True

# The test extras install JupyterLite's kernel extension into the same environment (for `make lite`);
# it cannot start outside JupyterLite and logged an error on every app page.
c.VoilaConfiguration.extension_denylist = ["@jupyterlite/pyodide-kernel-extension"]
