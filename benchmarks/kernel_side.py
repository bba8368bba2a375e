"""Figures taken inside one Python process: imports, data, the explorers' update paths, scale, export."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.report import report, report_ratio
from benchmarks.stats import interleaved, percentile, seconds
from benchmarks.synthetic import synthetic_incidents

REPO = Path(__file__).resolve().parent.parent


def python_seconds(code: str):
    """A measurement: one fresh interpreter running ``code``, in seconds."""

    def run() -> float:
        return seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO))

    return run


def bench_import() -> None:
    floor = python_seconds("import pandas, plotly.graph_objects, ipywidgets")
    floor()  # warm the file cache
    ratios = interleaved(
        floor,
        {
            "import briefing": python_seconds("import briefing"),
            "import what a notebook uses (charts, controls ...)": python_seconds(
                "from briefing import charts, controls, data, reading, teaching, tidy"
            ),
        },
        rounds=7,
    )
    for name, summary in ratios.items():
        report_ratio(name, summary, 1.15)


def bench_data() -> None:
    import pandas as pd

    from briefing import data

    files = sorted((REPO / "data").glob("*.csv"))

    def floor() -> float:
        return seconds(lambda: [pd.read_csv(path) for path in files])

    def load_and_validate() -> float:
        def action():
            data._load_cached.cache_clear()
            data.load_all()
            assert data.validate().valid

        return seconds(action)

    data.validate()  # the first, full validation is remembered for these exact files
    warm = interleaved(floor, {"warm": load_and_validate}, rounds=9)["warm"]
    report_ratio("load + validate every table (validation remembered)", warm, 3)
    cold = interleaved(floor, {"cold": lambda: seconds(lambda: data.validate(use_cache=False))}, rounds=3)["cold"]
    report_ratio("full frictionless validation, first run (info)", cold, None)


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


def _scale_round(count: int) -> tuple[float, float]:
    """Build the timeline explorer and the overview for ``count`` incidents, then filter it: the
    build's seconds and the filter's p95; reports the three figures of this size."""
    from briefing import charts, controls, data, tidy

    incidents = synthetic_incidents(count)
    tables = {
        "events": data.load("events").iloc[0:0],
        "incidents": incidents,
        "forums": data.load("forums"),
        "sources": data.load("sources"),
    }

    def build():
        frame = tidy.timeline_frame(tables)
        return controls.TimelineExplorer(frame, tables), charts.incidents_by_year(incidents)

    start = time.perf_counter()
    explorer, _overview = build()
    built = time.perf_counter() - start
    tracemalloc.start()  # a second build, traced: tracing slows it, so it is not timed
    build()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = []
    for year in (2010, 2014, 2018, 2022, 2012, 2016, 2020, 2024, 2011, 2015):
        start = time.perf_counter()
        explorer.year_range.value = (year, 2026)
        times.append(time.perf_counter() - start)
    update = percentile(times, 0.95)
    report(f"scale {count:>7,} incidents: build timeline + overview", built, None, "reported", True)
    report(f"scale {count:>7,} incidents: peak memory of the build", peak / 1e6, None, "reported", True, "MB")
    at_scale = count == 100_000
    report(
        f"scale {count:>7,} incidents: filter update, p95",
        update * 1000,
        None,
        "<= 250 ms at 100k" if at_scale else "reported",
        update <= 0.25 if at_scale else True,
        "ms",
    )
    return built, update


def bench_scale() -> None:
    builds, updates = {}, {}
    for count in (1_000, 10_000, 100_000):
        builds[count], updates[count] = _scale_round(count)
    growth = updates[100_000] / updates[10_000]
    report("scale: update growth 10k -> 100k (10x rows)", growth, None, "<= 10 (linear)", growth <= 10, "x")
    build_growth = builds[100_000] / builds[10_000]
    report("scale: build growth 10k -> 100k (10x rows)", build_growth, None, "<= 10 (linear)", build_growth <= 10, "x")


def bench_export() -> None:
    from briefing import charts, data, export

    fig = charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())
    with tempfile.TemporaryDirectory() as folder:

        def single() -> float:
            return seconds(
                lambda: export.export_figure(fig, Path(folder) / f"one{time.perf_counter_ns()}", formats=("png",))
            )

        def batch() -> float:
            def ten():
                with export.export_session():
                    for index in range(10):
                        path = Path(folder) / f"batch{time.perf_counter_ns()}_{index}"
                        export.export_figure(fig, path, formats=("png",))

            return seconds(ten)

        summary = interleaved(single, {"batch": batch}, rounds=3)["batch"]
    report_ratio("export: 10 PNGs in one batch vs 1 PNG", summary, 3)
