"""The benchmarks' wait for a full pool of Voila kernels: it ends with an error naming what failed
when a pool kernel dies or the server exits, instead of waiting out its ten minutes. No server
here: the kernels, the clock and the server's state are stood in for; the dead server is a real
process that has exited."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO))

from benchmarks import pool
from benchmarks.pool import PoolFailed, PoolWatch, kernel_failures, wait_for_pool


def test_a_filling_pool_never_stalls_while_kernels_start_run_or_stop():
    watch = PoolWatch(3, stall=60)
    steps = [
        (0, {1}, False),  # the first kernel started
        (50, {1, 2}, False),  # a second one, 50 s later
        (100, {1, 2}, True),  # running its notebook
        (159, {1, 2}, False),  # idle again, 59 s after it last ran
        (500, {1, 2, 3, 4, 5}, False),  # readers' kernels on top: the culler takes minutes
        (900, {1, 2, 3, 4, 5}, False),
    ]
    assert [watch.stalled(now, frozenset(pids), busy=busy) for now, pids, busy in steps] == [False] * 6


def test_a_pool_one_short_with_nothing_happening_stalls_after_the_stall_time():
    watch = PoolWatch(3, stall=60)
    assert not watch.stalled(0, frozenset({1, 2, 3}), busy=False)
    assert not watch.stalled(10, frozenset({1, 2}), busy=False)  # kernel 3 died
    assert not watch.stalled(69, frozenset({1, 2}), busy=False)
    assert watch.stalled(70, frozenset({1, 2}), busy=False)
    problem = watch.problem()
    assert "stuck at 2 of 3 kernels" in problem
    assert "Running: 1, 2" in problem
    assert "stopped since the wait began: 3" in problem


class FakeMachine:
    """A clock that moves only when the wait sleeps, and a server whose kernels follow a script."""

    def __init__(self, script, exited=False):
        self.now = 0.0
        self.script = script  # now -> (kernel pids, idle)
        self.exited = exited

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds

    def kernels(self, _pid):
        pids, _ = self.script(self.now)
        return [SimpleNamespace(pid=pid) for pid in sorted(pids)]

    def idle(self, found):
        self.now += 1.0  # the real check watches the kernels' CPU for a second
        return self.script(self.now)[1]


@pytest.fixture
def machine(monkeypatch):
    def install(script, exited=False):
        fake = FakeMachine(script, exited)
        monkeypatch.setattr(pool, "time", fake)
        monkeypatch.setattr(pool, "kernels", fake.kernels)
        monkeypatch.setattr(pool, "_idle", fake.idle)
        monkeypatch.setattr(pool, "_exited", lambda _pid: fake.exited)
        return fake

    return install


def test_the_wait_returns_once_the_pool_is_full_and_idle(machine):
    fake = machine(lambda now: ({1, 2} if now < 20 else {1, 2, 3}, now > 40))
    wait_for_pool(123, 3, timeout=600)
    assert 40 < fake.now < 60


def test_a_dead_pool_kernel_ends_the_wait_quickly_and_the_error_quotes_the_server_log(machine, tmp_path):
    log = tmp_path / "voila.log"
    log.write_text(
        "[I] Kernel started: abc\n"
        "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:40001')\n"
        "[I] Kernel pool of 00_start_here.ipynb is filled with 3 kernel(s)\n",
        encoding="utf-8",
    )
    fake = machine(lambda now: ({1, 2}, True))  # two kernels, idle: the third died as it started
    with pytest.raises(PoolFailed) as failed:
        wait_for_pool(123, 3, timeout=600, log=log)
    assert fake.now < 70  # the stall time (60 s) and one look more, not the ten minutes
    message = str(failed.value)
    assert "stuck at 2 of 3 kernels" in message
    assert "Address already in use (addr='tcp://127.0.0.1:40001')" in message
    assert "is filled with" not in message


def test_a_server_that_exited_ends_the_wait_at_once(machine):
    fake = machine(lambda now: (set(), True), exited=True)
    with pytest.raises(PoolFailed, match=r"server \(pid 123\) exited"):
        wait_for_pool(123, 3, timeout=600)
    assert fake.now == 0


def test_an_exited_process_is_seen_as_exited_and_a_running_one_is_not():
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert pool._exited(finished.pid)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not pool._exited(running.pid)
    finally:
        running.kill()
        running.wait()


def test_kernel_failures_are_the_log_lines_about_dead_kernels():
    text = "\n".join(
        [
            "[I 10:00] Kernel started: 1",
            "[W 10:01] KernelRestarter: restart failed",
            "[E 10:01] Kernel 1 died, removing from map.",
            "[I 10:02] Using pre-heated kernel: 2",
        ]
    )
    assert kernel_failures(text) == [
        "[W 10:01] KernelRestarter: restart failed",
        "[E 10:01] Kernel 1 died, removing from map.",
    ]
    assert kernel_failures("[I] all well\n") == []
