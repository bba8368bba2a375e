"""The package stays easy to extend: small modules, small functions, every module on the map."""

from __future__ import annotations

import ast
import pkgutil

import pytest
from conftest import REPO

import briefing

# The benchmarks keep the same shape (benchmarks/run.py and a module per kind of figure).
SOURCES = sorted((REPO / "briefing").rglob("*.py")) + sorted((REPO / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_over_400_lines_and_no_function_over_50(path):
    text = path.read_text()
    assert text.count("\n") <= 400, f"{path.name}: split it by subject (see CONTRIBUTING.md)"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                first = node.body[0]
                length -= first.end_lineno - first.lineno + 1  # the docstring is prose, not code
            assert length <= 50, f"{path.name}:{node.lineno} {node.name} has {length} lines of code"


def test_the_package_lists_every_module_it_has():
    modules = {module.name for module in pkgutil.iter_modules(briefing.__path__)}
    assert set(briefing.__all__) == modules - {"assets", "quizzes", "scenarios"}


def test_the_readme_and_contributing_map_every_module():
    readme = (REPO / "README.md").read_text()
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    for name in briefing.__all__:
        assert f"{name}" in readme.split("## How the code is laid out")[1], name
        assert name in contributing, name
