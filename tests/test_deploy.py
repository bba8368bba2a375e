"""docs/deploy/config.yaml (Zero to JupyterHub) is valid YAML and sets what docs/deploy.md says it sets."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import yaml
from conftest import REPO

CONFIG = REPO / "docs" / "deploy" / "config.yaml"
GUIDE = REPO / "docs" / "deploy.md"
#: Where the guide's repo2docker command puts the repository in the image, and the student's copy.
REPO_DIR_IN_IMAGE = "/srv/briefing-kit"
STUDENT_COPY = "/home/jovyan/briefing-kit"


def _config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def _setting(config: dict, dotted: str):
    value = config
    for key in dotted.split("."):
        value = value[key]
    return value


def _guide_table() -> dict[str, str]:
    """The guide's "What the configuration sets" rows whose value is written as code: setting -> value."""
    return dict(re.findall(r"^\| `([\w.]+)` \| `([^`]+)` \|", GUIDE.read_text(encoding="utf-8"), re.MULTILINE))


def test_the_config_is_yaml_for_the_charts_sections():
    config = _config()
    assert set(config) == {"singleuser", "cull"}
    assert config["cull"]["enabled"] is True


def test_every_value_the_guide_states_is_the_configs():
    stated = _guide_table()
    for needed in ("memory.guarantee", "memory.limit", "cpu.guarantee", "cpu.limit", "defaultUrl", "image.name"):
        assert f"singleuser.{needed}" in stated, needed
    assert {"cull.timeout", "cull.every"} <= set(stated)
    config = _config()
    for dotted, value in stated.items():
        assert str(_setting(config, dotted)) == value, dotted


def test_the_guides_memory_reasoning_names_the_configs_figures():
    memory = _config()["singleuser"]["memory"]
    text = GUIDE.read_text(encoding="utf-8")
    assert f"`memory.guarantee: {memory['guarantee']}`" in text and f"`limit: {memory['limit']}`" in text
    assert f"{_config()['cull']['timeout'] // 60} minutes" in text


def test_the_image_the_guide_builds_is_the_one_the_config_uses():
    text = GUIDE.read_text(encoding="utf-8")
    image = _config()["singleuser"]["image"]
    build = re.search(r"^jupyter-repo2docker .*$", text, re.MULTILINE).group(0)
    assert f"--target-repo-dir {REPO_DIR_IN_IMAGE}" in build
    assert f"--image-name {image['name']}:{image['tag']}" in build


def test_each_student_gets_the_notebooks_and_lands_on_the_start_page():
    singleuser = _config()["singleuser"]
    command = singleuser["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:2] == ["sh", "-c"]
    assert command[2] == f"test -e {STUDENT_COPY} || cp -r {REPO_DIR_IN_IMAGE}/notebooks {STUDENT_COPY}"
    landing = singleuser["defaultUrl"]
    prefix = "/lab/tree/" + STUDENT_COPY.removeprefix("/home/jovyan/") + "/"
    assert landing.startswith(prefix)
    assert (REPO / "notebooks" / landing.removeprefix(prefix)).is_file()


def test_the_nbgitpuller_links_open_the_start_page_in_jupyterlab_and_in_voila():
    text = GUIDE.read_text(encoding="utf-8")
    link = re.search(r"^https://HUB/hub/user-redirect/git-pull\?\S+$", text, re.MULTILINE).group(0)
    query = parse_qs(urlparse(link).query)
    assert set(query) == {"repo", "branch", "urlpath"}
    (urlpath,) = query["urlpath"]
    assert urlpath == "lab/tree/REPO_NAME/notebooks/00_start_here.ipynb"
    assert "`urlpath=voila/render/REPO_NAME/notebooks/00_start_here.ipynb`" in text
    assert (REPO / urlpath.removeprefix("lab/tree/REPO_NAME/")).is_file()
