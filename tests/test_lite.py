"""`make lite` builds a static JupyterLite site with the notebooks, the data and the kit's wheel."""

import json
import subprocess
import sys
import time

import pytest
from conftest import NOTEBOOKS, REPO, fresh_make_env

pytestmark = pytest.mark.lite

#: What other tests may add to the repository while this one runs (servers' logs, caches).
OTHER_TESTS_LEAVE = {"test-artifacts", ".pytest_cache", ".hypothesis"}


def _changed_since(start: float) -> list[str]:
    """Paths in the repository's build outputs and JupyterLite's caches written after ``start``."""
    places = [REPO / "build", REPO / ".cache", REPO / ".jupyterlite.doit.db", REPO / "_output"]
    found = [p for place in places if place.exists() for p in [place, *place.rglob("*")]]
    return [str(p) for p in found if p.stat().st_mtime > start]


def test_make_lite_builds_the_site_in_a_temporary_folder(tmp_path):
    before, start = {p.name for p in REPO.iterdir()}, time.time()
    result = subprocess.run(
        # The venv running the tests (already installed: -o keeps make from installing it again).
        ["make", "lite", f"VENV={sys.prefix}", f"--old-file={sys.prefix}/.test-installed"]
        + [f"LITE_DIR={tmp_path / 'lite'}", f"LITE_WORK={tmp_path / 'work'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env=fresh_make_env(),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    site = tmp_path / "lite"
    assert (site / "index.html").exists() and (site / "lab" / "index.html").exists()
    contents = json.loads((site / "api" / "contents" / "notebooks" / "all.json").read_text())
    assert {item["name"] for item in contents["content"]} >= {p.name for p in NOTEBOOKS}
    assert (site / "files" / "data" / "datapackage.json").exists()
    wheels = list((site / "pypi").glob("cyber_norms_briefing_kit-*.whl"))
    assert wheels, "the kit's wheel ships with the site for piplite"
    assert {p.name for p in REPO.iterdir()} - before - OTHER_TESTS_LEAVE == set(), "new files in the repository"
    assert _changed_since(start) == [], "the build wrote into the repository"
