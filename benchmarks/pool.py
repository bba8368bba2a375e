"""Waiting for a Voila server's pool of kernels to be full, and ending the wait when it never will be.

A class's readers find the start page's pool full (concurrency.py, light_readers.py): the figures
wait for that state before readers arrive and after they leave. A pool kernel that dies (seen
once: its port taken by another process) is never started again; the wait then ends with an error
that names what is running and quotes the server log, not after ten minutes.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.voila_pages import kernels

POOL_TIMEOUT = 600  # seconds for the pool to be started, run and quiet again
POOL_STALL = 60  # seconds a pool short of kernels may sit with nothing starting, stopping or running


def wait_for_pool(pid: int, size: int, timeout: float = POOL_TIMEOUT, *, log: Path | None = None) -> None:
    """Until exactly ``size`` kernels run under the server (the pool, refilled; the readers' own
    kernels stopped) and all of them sit idle (their notebook run): the state a class finds.

    Ends early with an error if the server exits, or if the pool stops getting anywhere (a pool
    kernel that died, its port taken, is never started again): see :class:`PoolWatch`. ``log`` is
    the server's log, whose lines about dead kernels the error quotes."""
    watch = PoolWatch(size)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _exited(pid):
            raise PoolFailed(f"the server (pid {pid}) exited while its pool of {size} filled" + _quoted(log))
        found = kernels(pid)
        idle = _idle(found)
        if len(found) == size and idle:
            return
        if watch.stalled(time.monotonic(), frozenset(process.pid for process in found), busy=not idle):
            raise PoolFailed(watch.problem() + _quoted(log))
        time.sleep(0.5)
    raise TimeoutError(f"the pool did not settle at {size} idle kernels within {timeout:g} s" + _quoted(log))


class PoolFailed(RuntimeError):
    """The pool will not fill: a pool kernel died or never started, or the server itself exited."""


@dataclass
class PoolWatch:
    """Whether a pool that is not full still gets somewhere.

    While it fills, kernels start (a new process), run their notebook (busy) and readers' kernels
    stop: each is progress. Voila starts a pool kernel once, a second after one is taken; if that
    kernel dies (its port taken by another process) it is never started again, and the pool sits
    one short, idle, for good. So fewer kernels than ``size``, the same ones, none busy, for
    ``stall`` seconds is a pool that will not fill. More kernels than ``size`` is not a stall: the
    culler stops a vanished reader's kernel only after minutes.
    """

    size: int
    stall: float = POOL_STALL
    kernels: frozenset[int] | None = None  # the kernel processes at the last change
    since: float = 0.0  # when they last changed, started running, or the pool was full
    gone: set[int] = field(default_factory=set)  # kernels seen that have stopped or died

    def stalled(self, now: float, kernels: frozenset[int], *, busy: bool) -> bool:
        """Note what runs at ``now`` (monotonic seconds); True once the pool has stalled."""
        if self.kernels is not None:
            self.gone |= self.kernels - kernels
        if self.kernels != kernels or busy or len(kernels) >= self.size:
            self.kernels, self.since = kernels, now
            return False
        return now - self.since >= self.stall

    def problem(self) -> str:
        """What a stalled pool looks like, naming its kernels and those that stopped."""
        running = ", ".join(str(pid) for pid in sorted(self.kernels or ())) or "none"
        gone = ", ".join(str(pid) for pid in sorted(self.gone)) or "none"
        return (
            f"the pool is stuck at {len(self.kernels or ())} of {self.size} kernels: none started, stopped or ran "
            f"for {self.stall:g} s (a pool kernel died or failed to start). Running: {running}; stopped since "
            f"the wait began: {gone}"
        )


# What a server's log says when a kernel dies or cannot start (jupyter_client's restarter and
# kernel manager, ipykernel's bind, an asyncio task of Voila's pool that failed).
KERNEL_FAILURES = ("died", "restart failed", "Address already in use", "Task exception was never retrieved")


def kernel_failures(log_text: str, most: int = 5) -> list[str]:
    """The last ``most`` lines of a server's log that say a kernel died or failed to start.

    >>> kernel_failures("ok\\n[W] KernelRestarter: restart failed\\nzmq.error.ZMQError: Address already in use")
    ['[W] KernelRestarter: restart failed', 'zmq.error.ZMQError: Address already in use']
    """
    found = [line.strip() for line in log_text.splitlines() if any(word in line for word in KERNEL_FAILURES)]
    return found[-most:]


def _quoted(log: Path | None) -> str:
    if log is None or not log.exists():
        return ""
    lines = kernel_failures(log.read_text(encoding="utf-8", errors="replace"))
    said = "; ".join(lines) if lines else "nothing about a dead kernel"
    return f". Server log {log}: {said}"


def _exited(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _idle(found: list, seconds: float = 1.0) -> bool:
    """No kernel in ``found`` used more than 2% of a core over ``seconds``."""
    import psutil

    def cpu() -> list[float]:
        with contextlib.suppress(psutil.NoSuchProcess):
            return [sum(process.cpu_times()[:2]) for process in found]
        return []

    before = cpu()
    time.sleep(seconds)
    after = cpu()
    return len(before) == len(after) == len(found) and all(b - a < 0.02 * seconds for a, b in zip(before, after))
