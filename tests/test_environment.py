"""environment.yml (conda, Binder) and pyproject.toml must list the same dependencies."""

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import yaml
from conftest import REPO

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
    python_bound = conda.pop("python")
    assert python_bound == project["requires-python"]
    assert conda == from_pyproject
    assert "conda-forge" in environment["channels"]


def test_every_dependency_has_a_lower_bound():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    assert all(">=" in requirement for requirement in requirements), requirements
