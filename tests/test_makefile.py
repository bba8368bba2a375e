"""What `make lab`, `make app` and `make test` run: loopback only, token on, the start page first; the
browser tests and the chromium check left out when asked."""

import shlex
import subprocess
from pathlib import Path

from conftest import REPO, fresh_make_env


def dry_run(target, *args):
    result = subprocess.run(["make", "-n", target, *args], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_lab_opens_the_start_page_on_loopback_with_a_token():
    commands = dry_run("lab", "PORT=9123")
    lab = next(line for line in commands.splitlines() if "jupyter lab" in line)
    follow = commands[commands.index(lab) :]
    assert "--ServerApp.ip=127.0.0.1" in follow and "--ServerApp.port=9123" in follow
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in follow
    assert "token=''" not in follow and 'token=""' not in follow and "--IdentityProvider.token=\n" not in follow
    assert "preflight.py port 9123" in commands  # a busy port gets a clear message first


def _app_config():
    """The Voila settings `make app` passes (share/voila/voila.py), read as Voila reads them."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("voila.py", path=str(REPO / "share" / "voila")).load_config()


def test_make_app_serves_voila_on_loopback_with_code_hidden():
    commands = dry_run("app", "APP_PORT=9124")
    assert "voila notebooks/" in commands and "--Voila.ip=127.0.0.1" in commands and "--port=9124" in commands
    assert "--Voila.config_file_paths=share/voila" in commands  # every other Voila setting is there
    config = _app_config()
    assert config.VoilaConfiguration.strip_sources is True
    assert config.VoilaConfiguration.template == "briefing"  # the kit's template: no stylesheets from a web CDN


def test_make_app_sizes_the_start_pages_kernel_pool_with_one_setting_and_culls_idle_kernels(monkeypatch):
    assert "BRIEFING_APP_POOL=1 " in dry_run("app")  # small by default
    assert "BRIEFING_APP_POOL=4 " in dry_run("app", "APP_POOL=4")
    monkeypatch.setenv("BRIEFING_APP_POOL", "4")
    config = _app_config()
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.VoilaKernelManager.kernel_pools_config == {
        "default": {"pool_size": 0},
        "00_start_here.ipynb": {"pool_size": 4},
    }
    assert config.MappingKernelManager.cull_idle_timeout > 0 and config.MappingKernelManager.cull_connected is False


def test_make_tells_jupyter_where_the_kits_voila_template_is():
    result = subprocess.run(
        ["make", "-s", "--eval=show-jupyter-path: ; @echo $$JUPYTER_PATH", "show-jupyter-path"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    first = result.stdout.strip().split(":")[0]
    assert (Path(first) / "voila" / "templates" / "briefing" / "index.html.j2").is_file()


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    assert "make test" in readme.split("## A tour")[0]
    assert "make test" in (REPO / ".ci" / "run").read_text()


def _stub_venv(tmp_path):
    """A venv whose programs only write down how they were called, one line each (arguments
    tab-separated): what `make test` runs, run for real by make, in a second."""
    venv, log = tmp_path / "venv", tmp_path / "calls.log"
    (venv / "bin").mkdir(parents=True)
    for name in ("python", "ruff", "mypy"):
        program = venv / "bin" / name
        program.write_text(
            f"#!/bin/sh\nprintf '%s' {name} >> '{log}'\nprintf '\\t%s' \"$@\" >> '{log}'\necho >> '{log}'\n"
        )
        program.chmod(0o755)
    for stamp in (".test-installed", ".kit-installed"):
        (venv / stamp).touch()  # newer than pyproject.toml: nothing to install
    return venv, log


def make_test(tmp_path, *args):
    """Run `make test ARGS` with the stub venv; the calls it made, each as a list of arguments."""
    venv, log = _stub_venv(tmp_path)
    result = subprocess.run(
        ["make", "test", f"VENV={venv}", *args], cwd=REPO, capture_output=True, text=True, env=fresh_make_env()
    )
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in log.read_text().splitlines()]


def test_make_test_checks_for_chromium_then_runs_every_test(tmp_path):
    calls = make_test(tmp_path)
    assert ["python", "scripts/preflight.py", "chromium"] in calls
    assert calls[-1] == ["python", "-m", "pytest"]
    assert [call[0] for call in calls[:3]] == ["ruff", "ruff", "mypy"]  # lint first


def test_the_readmes_way_to_test_without_a_browser_skips_the_chromium_check_and_tests(tmp_path):
    readme = (REPO / "README.md").read_text()
    command = next(code for code in readme.split("`") if code.startswith("make test BROWSER_TESTS=no"))
    calls = make_test(tmp_path, *shlex.split(command)[2:])
    assert not any("scripts/preflight.py" in call for call in calls), "no chromium check (it needs apt-get)"
    assert calls[-1] == ["python", "-m", "pytest", "-m", "not browser and not chromium"]


def test_make_test_can_leave_out_the_jupyterlite_build_and_passes_pytest_args_on(tmp_path):
    calls = make_test(tmp_path, "BROWSER_TESTS=no", "LITE_TESTS=no", "PYTEST_ARGS=-k cli -x")
    assert calls[-1] == ["python", "-m", "pytest", "-m", "not browser and not chromium and not lite", "-k", "cli", "-x"]


def test_every_marker_make_test_skips_is_declared():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert {"browser", "chromium", "lite"} <= {marker.split(":")[0] for marker in settings["markers"]}
