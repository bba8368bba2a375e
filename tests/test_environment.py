"""environment.yml (conda, Binder) and pyproject.toml must list the same dependencies."""

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import yaml
from conftest import REPO
from packaging.specifiers import SpecifierSet

# conda-forge names the kaleido package differently from PyPI.
CONDA_NAMES = {"kaleido": "python-kaleido"}


def _split(requirement: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", requirement.strip()).groups()
    return name.lower(), bound.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    from_pyproject = {CONDA_NAMES.get(n, n): b for n, b in map(_split, project["dependencies"])}
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = dict(_split(d) for d in environment["dependencies"] if isinstance(d, str) and d not in ("pip",))
    # One Python, pinned (repo2docker reads only `python=X.Y`), that requires-python admits.
    python_pin = re.fullmatch(r"=(\d+\.\d+)", conda.pop("python"))
    assert python_pin, "environment.yml pins python=X.Y"
    assert f"{python_pin.group(1)}.0" in SpecifierSet(project["requires-python"])
    assert conda == from_pyproject
    assert "conda-forge" in environment["channels"]


def test_every_dependency_has_a_lower_bound():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    assert all(">=" in requirement for requirement in requirements), requirements
