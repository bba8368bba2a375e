"""Each notebook run from a clean kernel against the floor notebook: time, and the kernel's peak memory.

The floor notebook does what every notebook's first chart needs (pandas, plotly, ipywidgets, one
figure). Every run appends one cell that reads the kernel's peak resident memory (``VmHWM`` in
/proc/self/status), to the floor notebook too, so both sides pay for it. Not ``ru_maxrss``: Linux
carries it over from the process that started the kernel (here this benchmark, which grows).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import report, report_ratio
from benchmarks.stats import interleaved_shared_floors

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
FLOOR_CODE = (
    "import pandas as pd, plotly.graph_objects as go, ipywidgets\n"
    "go.Figure(go.Bar(x=pd.Series(range(10)), y=list(range(10))))"
)
PEAK_MEMORY_CODE = "print(next(line for line in open('/proc/self/status') if line.startswith('VmHWM:')).split()[1])"
ROUNDS = 3
TIME_LIMIT, MEMORY_LIMIT = 1.2, 1.5


class NotebookRuns:
    """Runs notebooks from a clean kernel; remembers each run's peak memory (MB) by name."""

    def __init__(self) -> None:
        self.memory: dict[str, list[float]] = {}

    def runner(self, name: str, notebook):
        """A measurement: run ``notebook`` (a NotebookNode) once, in seconds."""
        import copy
        import subprocess
        import time

        import nbformat
        from nbclient import NotebookClient

        def run() -> float:
            copied = copy.deepcopy(notebook)
            copied.cells.append(nbformat.v4.new_code_cell(PEAK_MEMORY_CODE))
            client = NotebookClient(
                copied, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
            )
            start = time.perf_counter()
            client.execute(stderr=subprocess.DEVNULL)  # not the kernel's warnings between the figures
            elapsed = time.perf_counter() - start
            kilobytes = int(copied.cells[-1].outputs[0]["text"].strip())
            self.memory.setdefault(name, []).append(kilobytes / 1024)
            return elapsed

        return run


def bench_notebooks() -> None:
    import statistics

    import nbformat

    runs = NotebookRuns()
    floor = runs.runner("floor", nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)]))
    measured = {
        path.stem: runs.runner(path.stem, nbformat.read(path, as_version=4))
        for path in sorted(NOTEBOOKS.glob("*.ipynb"))
    }
    for name, summary in interleaved_shared_floors(floor, measured, rounds=ROUNDS).items():
        report_ratio(f"notebook {name}", summary, TIME_LIMIT)
    floor_memory = statistics.median(runs.memory["floor"])
    peaks = {name: statistics.median(runs.memory[name]) for name in measured}
    for name, peak in peaks.items():
        report(f"kernel peak memory after {name}", peak, floor_memory, "reported", True, "MB")
    largest = max(peaks, key=peaks.__getitem__)
    report(
        f"largest kernel peak memory ({largest})",
        peaks[largest],
        floor_memory,
        f"ratio <= {MEMORY_LIMIT:g}",
        peaks[largest] / floor_memory <= MEMORY_LIMIT,
        "MB",
    )
