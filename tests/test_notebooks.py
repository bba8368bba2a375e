"""Every notebook runs top to bottom from a clean kernel, and is committed without outputs."""

import json
import re

import nbformat
import pytest
from conftest import NOTEBOOKS, REPO
from nbclient import NotebookClient


def test_there_is_a_start_page():
    assert (REPO / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    cells = json.loads(path.read_text())["cells"]
    dirty = [
        i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not dirty, f"{path.name}: cells {dirty} hold outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_stay_thin(path):
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if line.strip()]
            assert len(lines) <= 6, f"{path.name} cell {index}: {len(lines)} lines; move logic into briefing"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_from_a_clean_kernel(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError on any error
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    # A warning printed under a chart is a defect a reader sees (e.g. a widget message that failed).
    stderr = [
        o["text"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"
    ]
    assert not stderr, stderr
    shown = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert shown, "the notebook ran but showed nothing"


def test_every_notebook_ends_with_links_to_its_neighbours_on_the_guided_path():
    names = [path.name for path in NOTEBOOKS]
    for index, path in enumerate(NOTEBOOKS):
        last = nbformat.read(path, as_version=4).cells[-1]
        links = re.findall(r"\]\(([^)]+\.ipynb)\)", last.source)
        neighbours = names[max(0, index - 1) : index] + names[index + 1 : index + 2]
        assert last.cell_type == "markdown" and links == neighbours, f"{path.name}: {links} != {neighbours}"
