"""The benchmark's README table: every figure with its floor, ratio, target and verdict, between markers."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RESULT = {
    "machine": "Linux x86_64, Python 3.11.7",
    "cores": 2,
    "seconds": 412.3,
    "figures": [
        {
            "figure": "import briefing",
            "value": 0.0207,
            "floor": 0.47,
            "ratio": 0.044,
            "unit": "s",
            "target": "ratio <= 1.15",
            "passed": True,
        },
        {
            "figure": "notebook 02_forums",
            "value": 5.1,
            "floor": 3.0,
            "ratio": 1.7,
            "unit": "s",
            "target": "ratio <= 1.5",
            "passed": False,
        },
        {
            "figure": "timeline explorer: filter change, p95",
            "value": 9.95,
            "floor": None,
            "ratio": None,
            "unit": "ms",
            "target": "<= 15 ms",
            "passed": True,
        },
    ],
}


def test_readme_table_shows_each_figure_and_marks_misses():
    table = _bench_module().readme_table(RESULT).splitlines()
    assert "2-core Linux x86_64, Python 3.11.7 machine (412 s in all)" in table[0]
    rows = [line for line in table if line.startswith("| ") and not line.startswith("| figure")]
    assert rows == [
        "| import briefing | 0.0207 s | 0.47 s | 0.04x | ratio <= 1.15 | met |",
        "| notebook 02_forums | 5.1 s | 3 s | 1.70x | ratio <= 1.5 | **missed** |",
        "| timeline explorer: filter change, p95 | 9.95 ms |  |  | <= 15 ms | met |",
    ]


def test_write_readme_replaces_only_what_sits_between_the_markers(tmp_path):
    bench = _bench_module()
    readme = tmp_path / "README.md"
    readme.write_text(f"# Kit\n\nBefore.\n{bench.README_START}\nold table\n{bench.README_END}\nAfter.\n")
    bench.README = readme
    bench.write_readme(RESULT)
    text = readme.read_text()
    assert text.startswith("# Kit\n\nBefore.\n") and text.endswith(f"{bench.README_END}\nAfter.\n")
    assert "old table" not in text and "| notebook 02_forums | 5.1 s |" in text
    bench.write_readme(RESULT)
    assert readme.read_text() == text  # running it again changes nothing


def test_the_readme_says_how_the_figures_are_taken_and_names_each_one_that_runs_alone():
    speed = (REPO / "README.md").read_text().split("## Speed")[1].split("\n## ")[0]
    assert "interleaved pairs" in speed and "median of the pairwise ratios" in speed
    for name in _bench_module().FIGURES:
        assert f"`{name}`" in speed, f"README's Speed section does not name --only {name}"


def test_a_run_says_each_sections_time_as_it_ends_and_in_a_table(tmp_path, monkeypatch, capsys):
    bench = _bench_module()
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))  # main() adds the repository to it

    def failing():
        raise RuntimeError("the server never answered")

    monkeypatch.setattr(bench, "FIGURES", {"quick": lambda: None, "failing": failing})
    monkeypatch.setattr(sys, "argv", ["run.py", "--only", "quick"])
    assert bench.main() == 0
    out = capsys.readouterr().out
    assert "(quick: 0 s)" in out and "section" in out and "all sections" in out
    assert "quick" in json.loads((tmp_path / "latest.json").read_text())["sections"]
    # A section that fails still says its time before the error reaches the caller.
    monkeypatch.setattr(sys, "argv", ["run.py", "--only", "quick", "failing"])
    with pytest.raises(RuntimeError, match="never answered"):
        bench.main()
    assert "(quick: 0 s)\n(failing: 0 s)" in capsys.readouterr().out


def _fake_run(bench, monkeypatch, tmp_path, argv: list[str], value: float) -> None:
    """One run of main() over fake sections: each reports one figure named after it."""

    report = sys.modules["benchmarks.report"].report  # the module run.py records its rows with

    def section(name):
        return lambda: report(f"{name}: a figure", value, None, "reported", True)

    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
    monkeypatch.setattr(bench, "FIGURES", {name: section(name) for name in ("import", "site", "concurrency-30")})
    monkeypatch.setattr(bench, "ON_REQUEST", ("site", "concurrency-30"))
    monkeypatch.setattr(sys, "argv", ["run.py", *argv])
    bench.rows.clear()
    bench.main()


def test_a_section_run_on_request_writes_its_own_block_and_a_full_run_leaves_it(tmp_path, monkeypatch):
    bench = _bench_module()
    readme = tmp_path / "README.md"
    readme.write_text(f"Before.\n{bench.README_START}\nold table\n{bench.README_END}\nAfter.\n")
    monkeypatch.setattr(bench, "README", readme)
    site_start, site_end = bench.section_markers("site")

    _fake_run(bench, monkeypatch, tmp_path, ["--readme", "--only", "site"], 1.5)
    text = readme.read_text()
    # The full run's table is untouched; the site's block follows it, with its own lead-in and row.
    assert f"{bench.README_START}\nold table\n{bench.README_END}\n{site_start}\n`--only site`, run," in text
    site_block = text.split(site_start)[1].split(site_end)[0]
    assert "| site: a figure | 1.5 s |" in site_block and "import: a figure" not in site_block
    assert text.endswith(f"{site_end}\nAfter.\n")

    _fake_run(bench, monkeypatch, tmp_path, ["--readme"], 2.5)  # a full run: import only, here
    text = readme.read_text()
    main_block = text.split(bench.README_START)[1].split(bench.README_END)[0]
    assert "old table" not in main_block and "| import: a figure | 2.5 s |" in main_block
    assert "| site: a figure | 1.5 s |" in text.split(site_start)[1]  # kept from its own run

    _fake_run(bench, monkeypatch, tmp_path, ["--readme", "--only", "site", "concurrency-30"], 3.5)
    text = readme.read_text()
    assert text.count(site_start) == 1 and "| site: a figure | 3.5 s |" in text and "1.5 s" not in text
    thirty_start, thirty_end = bench.section_markers("concurrency-30")
    assert text.index(site_end) < text.index(thirty_start) < text.index(thirty_end) < text.index("After.")
    assert "| import: a figure | 2.5 s |" in text


def test_readme_refuses_a_partial_run_of_the_sections_a_full_run_takes(tmp_path, monkeypatch):
    bench = _bench_module()
    monkeypatch.setattr(bench, "README", tmp_path / "README.md")
    with pytest.raises(SystemExit):
        _fake_run(bench, monkeypatch, tmp_path, ["--readme", "--only", "import", "site"], 1.0)
