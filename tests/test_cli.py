"""The command line, run as a reader runs it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from test_export import _png_size

from briefing import data, gallery


def briefing(*args, cwd):
    return subprocess.run([sys.executable, "-m", "briefing.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_validate_reports_a_valid_package(tmp_path):
    result = briefing("validate", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith(f"valid: {len(data.list_tables())} tables")


@pytest.mark.chromium
def test_export_makes_the_repeatable_visual_of_the_issue(tmp_path):
    result = briefing(
        "export",
        "timeline",
        "--from",
        "2015",
        "--to",
        "2025",
        "--category",
        "incident",
        "--preset",
        "social",
        "--out",
        "timeline.png",
        "--data",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert _png_size(tmp_path / "timeline.png") == (2400, 1350)
    assert "alt text: Timeline:" in result.stdout and "from 2015 to 2025" in result.stdout
    rows = (tmp_path / "timeline.data.csv").read_text().splitlines()
    assert rows[0].startswith("record_id,record_type") and all(",incident," in row for row in rows[1:])
    assert "Data as of" in (tmp_path / "timeline.data.citation.txt").read_text()


def test_export_refuses_to_overwrite_and_names_bad_choices(tmp_path):
    (tmp_path / "map.html").write_text("mine")
    taken = briefing("export", "participation-map", "--forum", "osce", "--out", "map.html", cwd=tmp_path)
    assert taken.returncode == 2 and "exists already" in taken.stderr
    assert (tmp_path / "map.html").read_text() == "mine"
    wrong = briefing("export", "incidents-by-year", "--category", "hacking", "--out", "x.html", cwd=tmp_path)
    assert wrong.returncode == 2 and "choose one of" in wrong.stderr and "ransomware" in wrong.stderr


@pytest.mark.parametrize("chart", list(gallery.RECIPES))
def test_every_recipe_exports_as_html(tmp_path, chart):
    result = briefing("export", chart, "--format", "html", "--out", chart, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Cyber Norms Briefing Kit" in (tmp_path / f"{chart}.html").read_text()


def test_a_map_by_year_exports_exactly_the_rows_it_draws(tmp_path):
    import pandas as pd

    result = briefing(
        "export", "participation-map", "--to", "2015", "--format", "html", "--out", "map", "--data", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(tmp_path / "map.data.csv", parse_dates=["date"])
    drawn = gallery.build("participation-map", year_to=2015).figure.data[1].meta["countries"]
    assert sorted(written["country_iso3"]) == sorted(drawn)
    assert (written["date"].dt.year <= 2015).all() and written["date"].notna().all()


def test_a_filtered_export_names_its_filter_in_the_title_and_the_alt_text(tmp_path):
    result = briefing(
        "export",
        "incidents-by-year",
        "--category",
        "ransomware",
        "--from",
        "2015",
        "--to",
        "2025",
        "--format",
        "html",
        "--out",
        "ransomware",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    alt = (tmp_path / "ransomware.alt.txt").read_text()
    assert "ransomware incidents by year" in alt and "by year and type" not in alt
    assert "2015" in (tmp_path / "ransomware.html").read_text()
