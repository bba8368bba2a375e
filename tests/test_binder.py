"""Binder and the JupyterHub image: repo2docker accepts the repository and its Dockerfile installs the kit.

repo2docker runs with ``--no-build``: it reads the repository and prints the Dockerfile it would
build, without docker and without downloading anything. It reads a copy of the repository as git
would hold it (tracked files and new unignored ones), so .venv/, build/ and other ignored folders
cannot make it pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import nbformat
import pytest
import yaml
from conftest import REPO

from benchmarks.servers import free_port, wait_for_http

REPO2DOCKER = Path(sys.executable).with_name("jupyter-repo2docker")
#: The Python environment.yml pins; repo2docker builds its base environment for it.
PINNED_PYTHON = "3.11"


def _repository_copy(target: Path) -> Path:
    """The repository's files as git would hold them (tracked and new unignored), copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a file deleted but not yet committed is not in the copy
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)  # keeps postBuild executable
    return target


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> tuple[str, str]:
    """The Dockerfile repo2docker would build from the repository, and what it logged."""
    repository = _repository_copy(tmp_path_factory.mktemp("repository"))
    assert not (repository / ".venv").exists() and not (repository / "build").exists()
    done = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--no-run", "--debug", str(repository)],
        cwd=repository.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def _unescaped(text: str) -> str:
    """repo2docker names the build files it copies with escapism (``-2e`` for '.')."""
    return re.sub(r"-([0-9a-f]{2})", lambda hex_pair: chr(int(hex_pair.group(1), 16)), text)


def test_repo2docker_picks_the_conda_build_for_the_pinned_python(dockerfile):
    text, log = dockerfile
    assert f"Building conda environment for python={PINNED_PYTHON}" in log
    assert "Python version unspecified" not in log
    base = re.search(r"^COPY .*? /tmp/env/environment\.lock$", text, re.MULTILINE)
    assert base and f"environment.py-{PINNED_PYTHON}-linux-64.lock" in _unescaped(base.group(0))


def test_environment_yml_pins_that_python():
    """tests/test_environment.py checks that requires-python admits the pin."""
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    assert f"python={PINNED_PYTHON}" in environment["dependencies"]


def test_the_dockerfile_installs_the_kit_from_the_copied_repository(dockerfile):
    """environment.yml holds ``pip: -e .``: repo2docker must copy the repository first and update the
    environment inside it (a local pip requirement), so '.' is the kit."""
    text, _ = dockerfile
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip == ["-e ."]
    workdir = text.index("WORKDIR ${REPO_DIR}")
    copied = text.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    update = text.index('env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"')
    post_build = text.index("RUN ./postBuild")
    assert workdir < copied < update < post_build
    assert text.count("env update") == 1  # not also run before the copy, where '.' would be empty


def test_post_build_links_the_kits_voila_template_and_makes_it_voilas_default(tmp_path):
    """Run postBuild as the image would, with the environment's prefix in a temporary folder: Voila's
    own template lookup then finds the kit's template, and the server's config names it."""
    prefix = tmp_path / "prefix"
    env = {**os.environ, "NB_PYTHON_PREFIX": str(prefix), "REPO_DIR": str(REPO)}
    subprocess.run([str(REPO / "postBuild")], cwd=REPO, env=env, check=True)
    config = prefix / "etc" / "jupyter" / "voila.json"
    assert json.loads(config.read_text()) == {"VoilaConfiguration": {"template": "briefing"}}
    lookup = (
        "from voila.paths import collect_template_paths; "
        "print('\\n'.join(collect_template_paths(['voila'], 'briefing')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", lookup],
        env={**os.environ, "JUPYTER_PATH": str(prefix / "share" / "jupyter")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    linked = prefix / "share" / "jupyter" / "voila" / "templates" / "briefing"
    assert str(linked) in found
    assert (linked / "index.html.j2").read_text() == (
        REPO / "share/jupyter/voila/templates/briefing/index.html.j2"
    ).read_text()


def test_voila_in_the_image_serves_pages_with_the_kits_template(tmp_path):
    """What postBuild leaves in the image's prefix, read by a real Jupyter server's Voila extension:
    a notebook page comes with the kit's template (its stylesheets, no web CDN's)."""
    prefix = tmp_path / "prefix"
    env = {**os.environ, "NB_PYTHON_PREFIX": str(prefix), "REPO_DIR": str(REPO)}
    subprocess.run([str(REPO / "postBuild")], cwd=REPO, env=env, check=True)
    content = tmp_path / "content"
    content.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page")])
    nbformat.write(notebook, content / "page.ipynb")
    port = free_port()
    server_env = {
        **os.environ,
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),  # the image's prefix only, not the repository's share/
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
    }
    command = [sys.executable, "-m", "jupyter", "server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"]
    command += ["--ServerApp.token=binder-test", f"--ServerApp.root_dir={content}", "--no-browser", "--allow-root"]
    process = subprocess.Popen(
        command,
        cwd=content,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/api/status?token=binder-test", timeout=120, process=process)
        with urllib.request.urlopen(f"{base}/voila/render/page.ipynb?token=binder-test", timeout=120) as response:
            page = response.read().decode("utf-8")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert "/voila/templates/briefing/static/index.css" in page
    assert "fontawesome" not in page.lower() and "cdn." not in page


def _badges() -> dict[str, str]:
    readme = (REPO / "README.md").read_text()
    return dict(re.findall(r"\[!\[(Binder[^\]]*)\]\([^)]*\)\]\((https://mybinder\.org/v2/gh/[^)]+)\)", readme))


def test_the_readmes_binder_badges_open_the_start_notebook_in_jupyterlab_and_in_voila():
    badges = _badges()
    assert len(badges) == 2, badges
    opened = {}
    for url in badges.values():
        parsed = urlparse(url)
        assert parsed.path == "/v2/gh/OWNER/REPO/HEAD", url  # the reader's own repository goes there
        (urlpath,) = parse_qs(parsed.query)["urlpath"]
        kind, _, path = unquote(urlpath).partition("/")
        opened[kind] = path
    assert opened["lab"] == "tree/notebooks/00_start_here.ipynb"
    assert opened["voila"] == "render/notebooks/00_start_here.ipynb"
    for path in opened.values():
        assert (REPO / path.split("/", 1)[1]).is_file(), path
