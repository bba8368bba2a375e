"""`make lite` builds a static JupyterLite site with the notebooks, the data and the kit's wheel."""

import json
import subprocess

import pytest
from conftest import NOTEBOOKS, REPO

pytestmark = pytest.mark.lite


def test_make_lite_builds_the_site(tmp_path):
    result = subprocess.run(
        ["make", "lite", f"LITE_DIR={tmp_path / 'lite'}"], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    site = tmp_path / "lite"
    assert (site / "index.html").exists() and (site / "lab" / "index.html").exists()
    contents = json.loads((site / "api" / "contents" / "notebooks" / "all.json").read_text())
    assert {item["name"] for item in contents["content"]} >= {p.name for p in NOTEBOOKS}
    assert (site / "files" / "data" / "datapackage.json").exists()
    wheels = list((site / "pypi").glob("cyber_norms_briefing_kit-*.whl"))
    assert wheels, "the kit's wheel ships with the site for piplite"
