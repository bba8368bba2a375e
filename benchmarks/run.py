"""Speed and memory of the kit, each figure as a ratio against a floor measured in the same run.

Run with `make bench` (not part of the test suite). A ratio is taken as interleaved pairs (floor,
measured, measured, floor, ...) and reported as the median of the pairwise ratios with their
min-max; other figures as a median or a p95 of many runs, as their names say. Prints one line per
figure: measured value, floor, ratio, target, and PASS or MISS, then each section's wall time (where
the run's budget went); exits non-zero when any target is missed. Results, the section times
included, are also written to benchmarks/results/latest.json.

    python benchmarks/run.py            # everything but concurrency-30 (under 12 minutes on 2 cores)
    python benchmarks/run.py --only import data explorer
    python benchmarks/run.py --only concurrency-30
    python benchmarks/run.py --only concurrency-light   # 10 and 30 light readers: the server's own figure

With --readme a full run writes its table into README.md's Speed section, between the markers
<!-- bench:start --> and <!-- bench:end -->; a run of sections taken only on request
(``--readme --only site``) writes each one's table into its own block after it
(<!-- bench:site:start --> ...), so that neither kind of run erases the other's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import concurrency, kernel_side, light_readers, notebooks, roundtrip, site, voila_pages  # noqa: E402
from benchmarks.report import readme_table, rows  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"

FIGURES = {
    "import": kernel_side.bench_import,
    "data": kernel_side.bench_data,
    "explorer": kernel_side.bench_explorer,
    "positions": kernel_side.bench_positions_explorer,
    "scale": kernel_side.bench_scale,
    "export": kernel_side.bench_export,
    "notebooks": notebooks.bench_notebooks,
    "voila": voila_pages.bench_voila,
    "site": site.bench_site,
    "roundtrip": roundtrip.bench_roundtrip,
    "roundtrip-100k": roundtrip.bench_roundtrip_at_scale,
    "concurrency": concurrency.bench_concurrency,
    "concurrency-30": concurrency.bench_concurrency_30,
    "concurrency-light": light_readers.bench_light_readers_10_and_30,
}
# Run only when named (--only): thirty readers at once (the light readers' run has 30 among its
# figures), and the static site (built first: every notebook run once), take minutes more than
# the full run's budget of 12 minutes on 2 cores allows.
ON_REQUEST = ("concurrency-30", "concurrency-light", "site")

README = REPO / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
__all__ = ["FIGURES", "README", "main", "readme_table", "section_markers", "section_table", "write_readme"]


def section_markers(name: str) -> tuple[str, str]:
    """The README markers around the table of one section taken only on request."""
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def _replace_between(text: str, start_marker: str, end_marker: str, content: str) -> str:
    start, end = text.index(start_marker) + len(start_marker), text.index(end_marker)
    return text[:start] + "\n" + content + "\n" + text[end:]


def write_readme(result: dict) -> None:
    """Put a run's figures in README.md: a full run's between the main markers; each section run
    on request in its own block (added after the last block the first time), the rest untouched."""
    text = README.read_text(encoding="utf-8")
    on_request = [name for name in result.get("sections", {}) if name in ON_REQUEST]
    if not on_request:
        text = _replace_between(text, README_START, README_END, readme_table(result))
    for name in on_request:
        start_marker, end_marker = section_markers(name)
        if start_marker not in text:
            last_end = [*re.finditer(r"<!-- bench:(?:[\w-]+:)?end -->", text)][-1].end()
            text = text[:last_end] + f"\n{start_marker}\n{end_marker}" + text[last_end:]
        section = {**result, "seconds": result["sections"][name], "figures": result["section_figures"][name]}
        text = _replace_between(text, start_marker, end_marker, readme_table(section, lead=f"`--only {name}`, run"))
    README.write_text(text, encoding="utf-8")


def section_table(sections: dict[str, float]) -> str:
    """Where a run's time went: each section's wall time, in the order they ran, and their sum.

    >>> print(section_table({"import": 21.04, "notebooks": 301.6}))
    section       seconds
    import             21
    notebooks         302
    all sections      323
    """
    width = max(len("all sections"), *map(len, sections))
    lines = [f"{'section':{width}s} {'seconds':>8s}"]
    lines += [f"{name:{width}s} {spent:8.0f}" for name, spent in sections.items()]
    lines.append(f"{'all sections':{width}s} {sum(sections.values()):8.0f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(FIGURES), help="run only these figures")
    parser.add_argument(
        "--readme", action="store_true", help="after a full run, put its figures in README.md's Speed section"
    )
    args = parser.parse_args()
    if args.readme and args.only and not set(args.only) <= set(ON_REQUEST):
        parser.error(f"--readme needs a full run, or --only sections run on request: {', '.join(ON_REQUEST)}")
    # Kernels, Voila and the interpreters started here import this copy of the kit, whatever is installed.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    started = time.perf_counter()
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    sections: dict[str, float] = {}
    section_figures: dict[str, list[dict]] = {}
    for name in args.only or [name for name in FIGURES if name not in ON_REQUEST]:
        begun, first_row = time.perf_counter(), len(rows)
        try:
            FIGURES[name]()
        finally:  # said as each section ends: a run that fails or is interrupted still says where its time went
            sections[name] = time.perf_counter() - begun
            section_figures[name] = rows[first_row:]
            print(f"({name}: {sections[name]:.0f} s)", flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "platform": platform.platform(),
        "cores": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "seconds": time.perf_counter() - started,
        "sections": sections,
        "section_figures": section_figures,
        "figures": rows,
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2))
    if args.readme:
        write_readme(result)
    print(f"\n{section_table(sections)}")
    missed = [row["figure"] for row in rows if not row["passed"]]
    print(f"\n{len(rows) - len(missed)} met, {len(missed)} missed, in {time.perf_counter() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
