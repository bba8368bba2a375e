"""Checks `make` runs before it starts anything, each with a message a newcomer can act on.

Written for old Pythons too (no f-strings beyond 3.6, no walrus), because its first job is to tell
someone their Python is too old.
"""

import os
import shutil
import socket
import sys

MINIMUM_PYTHON = (3, 10)


def check_python():
    if sys.version_info[:2] < MINIMUM_PYTHON:
        sys.exit(
            f"The kit needs Python {MINIMUM_PYTHON[0]}.{MINIMUM_PYTHON[1]} or newer; this is Python {sys.version_info[0]}.{sys.version_info[1]} ({sys.executable}).\n"
            "Install a newer Python (e.g. `apt-get install python3.11` or from python.org) and run again,\n"
            "or name it: `make lab PYTHON=/path/to/python3.11`."
        )


def check_port(port):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", int(port)))
    except OSError:
        sys.exit(
            "Port {0} on 127.0.0.1 is already in use (another JupyterLab or Voila?).\n"
            "Stop that program, or pick another port: `make lab PORT={1}` / `make app APP_PORT={1}`.".format(
                port, int(port) + 1
            )
        )
    finally:
        probe.close()


CHROMIUM = "/usr/bin/chromium"


def ensure_chromium():
    """Install Debian's chromium when it is missing (never a browser download)."""
    if os.path.exists(CHROMIUM):
        return
    if not shutil.which("apt-get"):
        sys.exit(
            f"The browser tests need Debian's chromium at {CHROMIUM}, and this machine has no apt-get.\n"
            "Install Chromium with your system's package manager (e.g. `dnf install chromium`,\n"
            f"`pacman -S chromium`) and link it to {CHROMIUM}, or run the tests without it:\n"
            "`make test BROWSER_TESTS=no` (every test that needs no browser)."
        )
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing Debian's chromium for the browser tests (apt-get install -y chromium) ...", flush=True)
    for command in (prefix + ["apt-get", "update", "-qq"], prefix + ["apt-get", "install", "-y", "-qq", "chromium"]):
        status = os.spawnvp(os.P_WAIT, command[0], command)
        if status != 0:
            sys.exit(
                "`{}` failed (exit {}). Install chromium by hand (`sudo apt-get install -y chromium`) "
                "and run `make test` again.".format(" ".join(command), status)
            )
    if not os.path.exists(CHROMIUM):
        sys.exit(f"apt-get finished but {CHROMIUM} is still missing; install chromium by hand.")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "python"
    if what == "python":
        check_python()
    elif what == "port":
        check_port(sys.argv[2])
    elif what == "chromium":
        ensure_chromium()
    else:
        sys.exit("usage: preflight.py python | port N | chromium")
