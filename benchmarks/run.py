"""Speed and memory of the kit, each figure as a ratio against a floor measured in the same run.

Run with `make bench` (not part of the test suite). Every figure is taken several times and the
median reported (95th percentile where it says p95). Prints one line per figure: measured value,
floor, ratio, target, and PASS or MISS; exits non-zero when any target is missed. Results are also
written to benchmarks/results/latest.json.

    python benchmarks/run.py            # everything (a few minutes on 2 cores)
    python benchmarks/run.py --only import data explorer
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"
SHARED = REPO.parent / "shared" / "external-data"
rows: list[dict] = []


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(name: str, value: float, floor: float | None, target: str, passed: bool, unit: str = "s") -> None:
    ratio = value / floor if floor else None
    rows.append(
        {
            "figure": name,
            "value": value,
            "floor": floor,
            "ratio": ratio,
            "unit": unit,
            "target": target,
            "passed": passed,
        }
    )
    floor_text = f"{floor:10.4f}" if floor is not None else " " * 10
    ratio_text = f"{ratio:7.2f}x" if ratio is not None else " " * 8
    print(
        f"{name:52s} {value:10.4f} {unit:3s} floor {floor_text} {ratio_text}  target {target:22s} "
        f"{'PASS' if passed else 'MISS'}",
        flush=True,
    )


def python_time(code: str, repeat: int = 7) -> float:
    def run():
        subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)

    run()  # warm the file cache
    return median_time(run, repeat)


# ---- Figures ------------------------------------------------------------------------------------------


def bench_import() -> None:
    floor = python_time("import pandas, plotly.graph_objects, ipywidgets")
    bare = python_time("import briefing")
    full = python_time("from briefing import charts, controls, data, reading, teaching, tidy")
    report("import briefing", bare, floor, "ratio <= 1.15", bare / floor <= 1.15)
    report("import what a notebook uses (charts, controls ...)", full, floor, "ratio <= 1.15", full / floor <= 1.15)


def bench_data() -> None:
    import pandas as pd

    from briefing import data

    files = sorted((REPO / "data").glob("*.csv"))
    floor = median_time(lambda: [pd.read_csv(path) for path in files], 7)

    def load_and_validate():
        data._load_cached.cache_clear()
        data.load_all()
        assert data.validate().valid

    data.validate()  # the first, full validation is remembered for these exact files
    warm = median_time(load_and_validate, 7)
    report("load + validate every table (validation remembered)", warm, floor, "ratio <= 3", warm / floor <= 3)
    cold = median_time(lambda: data.validate(use_cache=False), 3)
    report("full frictionless validation, first run (info)", cold, floor, "reported, no target", True)


def bench_notebooks() -> None:
    import nbformat
    from nbclient import NotebookClient

    def execute(notebook) -> float:
        start = time.perf_counter()
        NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
        ).execute()
        return time.perf_counter() - start

    floor_notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import pandas as pd, plotly.graph_objects as go, ipywidgets\n"
                "go.Figure(go.Bar(x=pd.Series(range(10)), y=list(range(10))))"
            )
        ]
    )
    # The floor is run between the notebooks, not only before them, so that a slow spell of this
    # noisy machine weighs on both sides; its median over all runs is the floor for every notebook.
    floor_runs: list[float] = []
    values: dict[str, float] = {}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        floor_runs.append(execute(nbformat.from_dict(floor_notebook)))
        values[path.stem] = statistics.median(execute(nbformat.read(path, as_version=4)) for _ in range(3))
    floor = statistics.median(floor_runs)
    for name, value in values.items():
        report(f"notebook {name}", value, floor, "ratio <= 1.5", value / floor <= 1.5)


def bench_explorer() -> None:
    from plotly.callbacks import InputDeviceState, Points

    from briefing import charts, controls, tidy

    explorer = controls.TimelineExplorer.from_package()
    ranges = [(2010, 2020), (1998, 2026), (2015, 2018), (2000, 2025)]
    filter_times, click_times, rebuild_times = [], [], []
    for index in range(100):
        start = time.perf_counter()
        explorer.year_range.value = ranges[index % len(ranges)]
        filter_times.append(time.perf_counter() - start)
        trace = next(t for t in explorer.figure.data if len(t.y))
        points = Points(point_inds=[0], xs=[trace.x[0]], ys=[trace.y[0]], trace_name=trace.name, trace_index=0)
        start = time.perf_counter()
        trace._dispatch_on_click(points, InputDeviceState())
        click_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rebuilt = controls.live_figure(charts.timeline(tidy.select_timeline(explorer.frame, explorer.current_filter())))
        rebuild_times.append(time.perf_counter() - start)
        rebuilt.close()  # a hundred open figures would slow the filter timings down
    filter_p95, click_p95 = percentile(filter_times, 0.95), percentile(click_times, 0.95)
    rebuild = statistics.median(rebuild_times)
    report("timeline explorer: filter change, p95", filter_p95 * 1000, None, "<= 15 ms", filter_p95 <= 0.015, "ms")
    report(
        "timeline explorer: filter change, median", statistics.median(filter_times) * 1000, None, "reported", True, "ms"
    )
    report("timeline explorer: click to details, p95", click_p95 * 1000, None, "<= 15 ms", click_p95 <= 0.015, "ms")
    speedup = rebuild / statistics.median(filter_times)
    report("rebuilding the figure vs the update path (x faster)", speedup, None, ">= 5x faster", speedup >= 5, "x")


def bench_positions_explorer() -> None:
    """The positions explorer's filter change, against the timeline explorer's target."""
    from briefing import controls

    explorer = controls.PositionsExplorer.from_package()
    regions = ["Europe", "Asia", "", "Americas"]
    times = []
    for index in range(40):
        start = time.perf_counter()
        explorer.region.value = regions[index % len(regions)]
        times.append(time.perf_counter() - start)
    p95 = percentile(times, 0.95)
    report("positions explorer: filter change, p95", p95 * 1000, None, "<= 15 ms", p95 <= 0.015, "ms")


@lru_cache(maxsize=1)
def _incident_shapes():
    from briefing import data, importers

    if (SHARED / "cyber-operations-incidents.csv").exists():
        return importers.read_cfr_tracker(SHARED / "cyber-operations-incidents.csv").frame
    return data.load("incidents")


def synthetic_incidents(count: int):
    """``count`` incidents resampled from the real export shapes (CFR tracker), else from the curated list."""
    import numpy as np
    import pandas as pd

    shape = _incident_shapes()
    rng = np.random.default_rng(7)
    picked = shape.iloc[rng.integers(0, len(shape), count)].reset_index(drop=True)
    shift = pd.to_timedelta(rng.integers(-400, 400, count), unit="D")
    picked["start_date"] = (picked["start_date"] + shift).clip(upper=pd.Timestamp("2026-11-01"))
    picked["incident_id"] = [f"synthetic_{i}" for i in range(count)]
    return picked


def bench_scale() -> None:
    import pandas as pd

    from briefing import charts, controls, data, tidy

    builds, updates = {}, {}
    for count in (1_000, 10_000, 100_000):
        incidents = synthetic_incidents(count)
        tables = {
            "events": data.load("events").iloc[0:0],
            "incidents": incidents,
            "forums": data.load("forums"),
            "sources": data.load("sources"),
        }

        def build(tables=tables, incidents=incidents):
            frame = tidy.timeline_frame(tables)
            return frame, controls.TimelineExplorer(frame, tables), charts.incidents_by_year(incidents)

        start = time.perf_counter()
        frame, explorer, overview = build()
        builds[count] = time.perf_counter() - start
        tracemalloc.start()  # a second build, traced: tracing slows it, so it is not timed
        build()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        times = []
        for year in (2010, 2014, 2018, 2022, 2012, 2016, 2020, 2024, 2011, 2015):
            start = time.perf_counter()
            explorer.year_range.value = (year, 2026)
            times.append(time.perf_counter() - start)
        updates[count] = percentile(times, 0.95)
        report(f"scale {count:>7,} incidents: build timeline + overview", builds[count], None, "reported", True)
        report(f"scale {count:>7,} incidents: peak memory of the build", peak / 1e6, None, "reported", True, "MB")
        report(
            f"scale {count:>7,} incidents: filter update, p95",
            updates[count] * 1000,
            None,
            "<= 250 ms at 100k" if count == 100_000 else "reported",
            updates[count] <= 0.25 if count == 100_000 else True,
            "ms",
        )
        del explorer, overview, frame, incidents
        pd.DataFrame()  # keep pandas imported for the next round
    growth = updates[100_000] / updates[10_000]
    report("scale: update growth 10k -> 100k (10x rows)", growth, None, "<= 10 (linear)", growth <= 10, "x")
    build_growth = builds[100_000] / builds[10_000]
    report("scale: build growth 10k -> 100k (10x rows)", build_growth, None, "<= 10 (linear)", build_growth <= 10, "x")


def bench_export() -> None:
    from briefing import charts, data, export

    fig = charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())
    with tempfile.TemporaryDirectory() as folder:

        def single():
            export.export_figure(fig, Path(folder) / f"one{time.perf_counter_ns()}", formats=("png",))

        def batch():
            with export.export_session():
                for index in range(10):
                    export.export_figure(fig, Path(folder) / f"batch{time.perf_counter_ns()}_{index}", formats=("png",))

        one = median_time(single, 3)
        ten = median_time(batch, 3)
    report("export: 10 PNGs in one batch vs 1 PNG", ten, one, "ratio <= 3", ten / one <= 3)


def bench_voila() -> None:
    import socket
    import urllib.request

    import nbformat
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]

    def first_chart_seconds(notebook: Path) -> float:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "voila",
                str(notebook),
                "--no-browser",
                f"--port={port}",
                "--Voila.ip=127.0.0.1",
                "--template=briefing",
            ],
            cwd=notebook.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "JUPYTER_PATH": str(REPO / "share" / "jupyter")},
        )
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                    break
                except OSError:
                    time.sleep(0.25)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", timeout=120_000)
                page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                elapsed = time.perf_counter() - start
                browser.close()
            return elapsed
        finally:
            server.terminate()
            server.wait(timeout=30)

    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.ipynb"
        nbformat.write(
            nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell("import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[1, 3, 2]))")]
            ),
            minimal,
        )
        floor = statistics.median(first_chart_seconds(minimal) for _ in range(3))
    value = statistics.median(first_chart_seconds(REPO / "notebooks" / "00_start_here.ipynb") for _ in range(3))
    report("Voila: time to first chart, 00_start_here", value, floor, "ratio <= 1.5", value / floor <= 1.5)


FIGURES = {
    "import": bench_import,
    "data": bench_data,
    "explorer": bench_explorer,
    "positions": bench_positions_explorer,
    "scale": bench_scale,
    "export": bench_export,
    "notebooks": bench_notebooks,
    "voila": bench_voila,
}


README = REPO / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def readme_table(result: dict) -> str:
    """The Speed section's table (and its lead-in) for one full run."""

    def number(value: float) -> str:
        return f"{value:.3g}"

    lines = [
        f"The latest run, on a {result['cores']}-core {result['machine']} machine ({result['seconds']:.0f} s in all):",
        "",
        "| figure | measured | floor | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["figures"]:
        floor = f"{number(row['floor'])} {row['unit']}" if row["floor"] is not None else ""
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else ""
        verdict = "met" if row["passed"] else "**missed**"
        lines.append(
            f"| {row['figure']} | {number(row['value'])} {row['unit']} | {floor} | {ratio} | "
            f"{row['target']} | {verdict} |"
        )
    return "\n".join(lines)


def write_readme(result: dict) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    README.write_text(text[:start] + "\n" + readme_table(result) + "\n" + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(FIGURES), help="run only these figures")
    parser.add_argument(
        "--readme", action="store_true", help="after a full run, put its figures in README.md's Speed section"
    )
    args = parser.parse_args()
    if args.readme and args.only:
        parser.error("--readme needs a full run (no --only)")
    started = time.perf_counter()
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    for name in args.only or FIGURES:
        FIGURES[name]()
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "seconds": time.perf_counter() - started,
        "figures": rows,
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2))
    if args.readme:
        write_readme(result)
    missed = [row["figure"] for row in rows if not row["passed"]]
    print(f"\n{len(rows) - len(missed)} met, {len(missed)} missed, in {time.perf_counter() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
