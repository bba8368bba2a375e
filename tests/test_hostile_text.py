"""Text a reader types or uploads, written by the kit on every path with a hostile payload in it: markup
stays text, a spreadsheet formula is neutralised, a path stays text, a right-to-left override never
reorders what a reader sees (it shows as U+FFFD). One test per path: details panels, rejection
reports, exported HTML and SVG, the embed snippet, alt text, CSV downloads."""

from __future__ import annotations

import base64
import html
import io
import re

import pandas as pd
import pytest
from test_render import _tags

from briefing import charts, controls, data, export, tidy
from briefing.controls.forums import ForumExplorer

SCRIPT = "<script>alert(1)</script><img src=x onerror=alert(2)>"
FORMULA = "=cmd|' /C calc'!A0"
PATH = "../../etc/passwd"
RLO = "report\u202egnp.exe"
#: Everything at once, as one cell of text (the formula second: a cell starting with it is tested apart).
HOSTILE = f"{SCRIPT} {FORMULA} {PATH} {RLO}"


def _assert_harmless_html(markup: str, *, allowed: set[str]) -> None:
    for tag, attrs in _tags(markup):
        assert tag in allowed, (tag, markup[:300])
        assert not any(name.startswith("on") for name in attrs), attrs
        assert PATH not in attrs.get("href", ""), attrs
    assert "<script>alert" not in markup and "<img" not in markup
    # Shown harmlessly either way: as U+FFFD (render.escape) or spelled out as \u202e (the importer's
    # reports, which say what the file held).
    text = html.unescape(markup)
    assert "\u202e" not in markup and ("report\ufffdgnp.exe" in text or "report\\u202egnp.exe" in text)


def test_a_details_panel_shows_hostile_data_as_text():
    tables = {name: data.load(name) for name in ("forums", "events", "sources")}
    forums = tables["forums"].copy()
    forum_id = forums.loc[0, "forum_id"]
    for column in ("name", "outcome", "note", "lead_or_host"):
        forums[column] = forums[column].astype("object")
        forums.loc[0, column] = HOSTILE
    sources = tables["sources"].copy()
    sources.loc[sources["source_id"] == forums.loc[0, "source_id"], ["title", "url"]] = [HOSTILE, PATH]
    explorer = ForumExplorer({**tables, "forums": forums, "sources": sources}, as_of=data.as_of())
    explorer.show_details(forum_id)
    _assert_harmless_html(explorer.details.value, allowed={"h4", "p", "i", "b", "ul", "li", "a", "small", "br"})


def test_a_rejection_report_shows_hostile_cells_as_text_and_its_csv_neutralises_formulas():
    rows = pd.DataFrame(
        {
            "name": [HOSTILE, FORMULA, "Plain"],
            "start_date": [f"{SCRIPT} not a date", FORMULA, "2017-06-27"],
            "incident_type": ["ransomware", "ransomware", "ransomware"],
            "summary": [HOSTILE, FORMULA, "A plain summary."],
        }
    )
    explorer = controls.ImportExplorer()
    explorer.load(f"{PATH}{RLO}.csv", rows.to_csv(index=False).encode("utf-8"))
    shown = explorer.summary.value + explorer.rejected.value + explorer.loaded.value
    allowed = {"p", "b", "i", "a", "table", "tr", "th", "td", "div", "details", "summary", "thead", "tbody"}
    _assert_harmless_html(shown.replace("data:text/csv", "x"), allowed=allowed)
    downloads = re.findall(r"data:text/csv;base64,([A-Za-z0-9+/=]+)", explorer.rejected.value)
    assert downloads  # the rejected rows (and the rows loaded with something to check)
    cells = []
    for encoded in downloads:
        table = pd.read_csv(io.StringIO(base64.b64decode(encoded).decode("utf-8")), dtype=str)
        cells += [cell for cell in table.to_numpy().ravel() if isinstance(cell, str)]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert "'" + FORMULA in cells


@pytest.fixture(scope="module")
def hostile_figure():
    """The timeline with a hostile event label and summary (what the hover text and the alt text read)."""
    tables = data.load_all()
    events = tables["events"].copy()
    events[["title", "summary"]] = events[["title", "summary"]].astype("object")
    events.loc[0, ["title", "summary"]] = [HOSTILE, HOSTILE]
    return charts.timeline(tidy.timeline_frame({**tables, "events": events}), as_of=data.as_of())


def test_exported_html_keeps_hostile_text_as_text(hostile_figure, tmp_path):
    clean = export.export_figure(hostile_figure, tmp_path / "clean", formats=("html",), html_plotlyjs="cdn")
    export.export_figure(
        hostile_figure,
        tmp_path / "chart",
        formats=("html",),
        html_plotlyjs="cdn",
        title=HOSTILE,
        subtitle=HOSTILE,
        notes=HOSTILE,
        alt=HOSTILE,
    )
    page = (tmp_path / "chart.html").read_text()
    plotly_own = clean.files[0].read_text().count("<script")
    assert page.count("<script") == plotly_own, "no script but plotly's own"
    assert "<script>alert" not in page and "<img" not in page and "\u202e" not in page and "\\u202e" not in page
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", page, re.S).group(1)
    assert html.unescape(caption) == HOSTILE.replace("\u202e", "\ufffd")


@pytest.mark.chromium
def test_exported_svg_keeps_hostile_text_as_text(hostile_figure, tmp_path):
    with export.export_session():
        export.export_figure(
            hostile_figure, tmp_path / "chart", formats=("svg",), title=HOSTILE, subtitle=HOSTILE, notes=HOSTILE
        )
    svg = (tmp_path / "chart.svg").read_text()
    assert "<script" not in svg and "<img" not in svg and "\u202e" not in svg
    assert "<script>alert(1)" in html.unescape(svg) and "report\ufffdgnp.exe" in svg  # text, drawn as typed


def test_the_embed_snippet_keeps_hostile_text_as_text(hostile_figure):
    snippet = export.embed_snippet(export.publication_figure(hostile_figure, title=HOSTILE, notes=HOSTILE))
    assert snippet.count("<script") == export.embed_snippet(hostile_figure).count("<script")
    assert "<script>alert" not in snippet and "\u202e" not in snippet and "\\u202e" not in snippet


def test_drafted_alt_text_reads_hostile_text_harmlessly(hostile_figure, tmp_path):
    result = export.export_figure(hostile_figure, tmp_path / "chart", formats=("html",), title=HOSTILE)
    written = (tmp_path / "chart.alt.txt").read_text()
    assert written.strip() == result.alt_text and "\u202e" not in written
    assert "report\ufffdgnp.exe" in written  # a plain-text file: the words as typed, never reordered
    page = (tmp_path / "chart.html").read_text()
    assert "<script>alert" not in page and html.escape(result.alt_text) in page


def test_a_csv_download_neutralises_formulas_and_keeps_the_rest_as_data(tmp_path):
    frame = pd.DataFrame({"name": [FORMULA, "+SUM(A1)", "-2", "@cmd", SCRIPT, PATH, RLO], "n": range(7)})
    csv_path, citation = export.export_data(frame, tmp_path / "chart.data.csv", citation=f"Source: {HOSTILE}")
    written = pd.read_csv(csv_path, dtype=str)["name"].tolist()
    assert written[:4] == ["'" + FORMULA, "'+SUM(A1)", "'-2", "'@cmd"]
    assert written[4:] == [SCRIPT, PATH, RLO]  # data, exactly: a CSV is not a page, and runs nothing else
    assert "\u202e" not in citation.read_text() and FORMULA in citation.read_text()
