"""What `make lab` and `make app` would run: loopback only, token on, the start page first."""

import subprocess
from pathlib import Path

from conftest import REPO


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
