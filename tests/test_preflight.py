"""The messages `make` gives in bad situations: old Python, busy port, no apt-get."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys

import pytest
from conftest import REPO

SCRIPT = REPO / "scripts" / "preflight.py"


@pytest.fixture()
def preflight():
    spec = importlib.util.spec_from_file_location("preflight", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_busy_port_is_named_with_a_way_out():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(SCRIPT), "port", str(port)], capture_output=True, text=True)
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"PORT={port + 1}" in result.stderr


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run([sys.executable, str(SCRIPT), "port", str(port)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_old_python_is_refused_with_what_to_do(preflight, monkeypatch):
    monkeypatch.setattr(preflight, "MINIMUM_PYTHON", (sys.version_info[0], sys.version_info[1] + 1))
    with pytest.raises(SystemExit) as stopped:
        preflight.check_python()
    assert "needs Python" in str(stopped.value) and "PYTHON=" in str(stopped.value)


def test_no_apt_get_says_how_to_install_chromium_by_hand(preflight, monkeypatch, tmp_path):
    monkeypatch.setattr(preflight, "CHROMIUM", str(tmp_path / "no-chromium-here"))
    monkeypatch.setattr(preflight.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        preflight.ensure_chromium()
    message = str(stopped.value)
    assert "no apt-get" in message and "Install Chromium with your system's package manager" in message
    assert "make test BROWSER_TESTS=no" in message


def test_present_chromium_needs_nothing(preflight, monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setattr(preflight, "CHROMIUM", str(fake))
    monkeypatch.setattr(preflight.os, "spawnvp", lambda *a: pytest.fail("must not install"))
    preflight.ensure_chromium()
