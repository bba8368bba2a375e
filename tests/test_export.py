"""Publication export: every preset in every format, alt text, one browser per batch, safe text."""

from __future__ import annotations

import re
import struct

import pytest
from conftest import CHROMIUM_ARGS  # noqa: F401  (the same machine rules apply)

from briefing import charts, data, export, law, theme, tidy


@pytest.fixture(scope="module")
def figure():
    return charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())


def _png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.chromium
@pytest.mark.parametrize("preset", sorted(export.PRESETS))
def test_each_preset_in_each_format(figure, tmp_path, preset):
    with export.export_session():
        result = export.export_figure(
            figure,
            tmp_path / "chart",
            formats=export.FORMATS,
            preset=preset,
            scale=2,
            subtitle="Counted by the year each began",
            notes="A curated list.",
        )
    names = sorted(p.name for p in result.files)
    assert names == ["chart.alt.txt", "chart.html", "chart.pdf", "chart.png", "chart.svg"]
    width, height = export.PRESETS[preset]
    assert _png_size(tmp_path / "chart.png") == (width * 2, height * 2)
    assert (tmp_path / "chart.pdf").read_bytes().startswith(b"%PDF")
    svg = (tmp_path / "chart.svg").read_text()
    page = (tmp_path / "chart.html").read_text()
    for text in (svg, page):
        assert "Cyber Norms Briefing Kit curated data" in text and data.as_of() in text
        assert "Counted by the year each began" in text and "A curated list." in text
    assert (tmp_path / "chart.alt.txt").read_text().strip() == result.alt_text
    assert result.sizes()["kilobytes"].gt(0).all()


def test_alt_text_is_drafted_from_the_data(figure):
    text = export.alt_text(figure)
    years = data.load("incidents")["start_date"].dt.year
    peak = years.value_counts().idxmax()
    assert text.startswith("Bar chart: Significant cyber incidents")
    assert f"{len(years)} items" in text and str(years.min()) in text and str(years.max()) in text
    assert f"the highest is {peak}" in text


@pytest.mark.parametrize(
    "make, opening",
    [
        (lambda t: charts.timeline(tidy.timeline_frame(t)), "Timeline:"),
        (lambda t: charts.norms_matrix(tidy.norms_crosswalk_frame(t)), "Grid chart:"),
        (lambda t: charts.recommendations_flow(tidy.recommendations_frame(t)), "Flow diagram:"),
        (
            lambda t: charts.participation_map(tidy.members_as_of(tidy.participation_frame(t), forum_id="osce")),
            "World map:",
        ),
        (lambda t: charts.forum_positions(t["forums"]), "Dot chart:"),
    ],
)
def test_alt_text_names_the_chart_type(make, opening):
    text = export.alt_text(make(data.load_all()))
    assert text.startswith(opening) and len(text) > 40


class _BrowserStarts:
    """Counts the browsers kaleido starts, by wrapping its two ways of starting one: a session's
    server (``_global_server.open``) and a browser for a single image (``oneshot_async_run``).

    What the export module promises is said in kaleido's terms, so the test counts those calls
    rather than scanning the machine's processes (another test's browser is no concern of this one).
    """

    def __init__(self, monkeypatch):
        import kaleido

        self.sessions = self.single_images = 0
        server_open, oneshot = kaleido._global_server.open, kaleido._sync_server.oneshot_async_run

        def counted_open(*args, **kwargs):
            self.sessions += 1
            return server_open(*args, **kwargs)

        def counted_oneshot(*args, **kwargs):
            self.single_images += 1
            return oneshot(*args, **kwargs)

        monkeypatch.setattr(kaleido._global_server, "open", counted_open)
        monkeypatch.setattr(kaleido._sync_server, "oneshot_async_run", counted_oneshot)


@pytest.mark.chromium
def test_a_batch_of_ten_pngs_reuses_one_browser(figure, tmp_path, monkeypatch):
    import kaleido

    starts = _BrowserStarts(monkeypatch)
    export.export_figure(figure, tmp_path / "alone", formats=("png",))
    assert (starts.sessions, starts.single_images) == (0, 1), "outside a session, an image starts its own browser"
    with export.export_session():
        for index in range(10):
            export.export_figure(figure, tmp_path / f"chart{index}", formats=("png",))
    assert (starts.sessions, starts.single_images) == (1, 1), "a session's ten images share its one browser"
    assert not kaleido._global_server.is_running(), "the session closed its browser"
    assert all((tmp_path / f"chart{index}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for index in range(10))


def test_without_a_browser_static_formats_say_so_and_html_still_works(figure, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "find_browser", lambda: None)
    with pytest.raises(export.ExportError, match="apt-get install -y chromium") as refused:
        export.export_figure(figure, tmp_path / "chart", formats=("png", "html"))
    assert "HTML export works" in str(refused.value)
    assert not list(tmp_path.iterdir()), "nothing is half-written"
    result = export.export_figure(figure, tmp_path / "chart", formats=("html",))
    assert (tmp_path / "chart.html").exists() and result.alt_text


def test_never_overwrites_unless_asked(figure, tmp_path):
    export.export_figure(figure, tmp_path / "chart", formats=("html",))
    with pytest.raises(export.ExportError, match="exists already"):
        export.export_figure(figure, tmp_path / "chart", formats=("html",))
    export.export_figure(figure, tmp_path / "chart", formats=("html",), overwrite=True)


def test_user_text_is_escaped_in_html(figure, tmp_path):
    payload = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    export.export_figure(figure, tmp_path / "chart", formats=("html",), title=payload, notes=payload, alt=payload)
    page = (tmp_path / "chart.html").read_text()
    assert "<script>alert(2)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(2)" in page


def test_a_figure_without_a_source_line_is_refused(tmp_path):
    import plotly.graph_objects as go

    with pytest.raises(export.ExportError, match="no source line"):
        export.export_figure(go.Figure(go.Bar(y=[1])), tmp_path / "bare", formats=("html",))


def test_the_data_behind_a_chart_exports_with_its_citation_and_no_formulas(tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "plain"], "count": [1, 2, 3, 4, 5]})
    csv_path, citation_path = export.export_data(
        frame, tmp_path / "chart.csv", citation=theme.source_text(["A source"], as_of="2026-11-23")
    )
    written = pd.read_csv(csv_path, dtype=str)
    assert list(written["name"]) == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert "A source" in citation_path.read_text() and "2026-11-23" in citation_path.read_text()


def test_type_grows_with_the_preset_and_reads_when_projected(figure):
    sizes = {}
    for preset in ("newsletter", "social", "square", "slide"):
        dressed = export.publication_figure(figure, preset=preset)
        source = next(a for a in dressed.layout.annotations if a.name == theme.SOURCE_LINE_NAME)
        sizes[preset] = (
            dressed.layout.font.size,
            dressed.layout.title.font.size,
            source.font.size,
            dressed.layout.legend.font.size,
        )
        _width, height = export.PRESETS[preset]
        body, title, source_size, legend = sizes[preset]
        assert body >= 11 and source_size >= 9 and title > body and legend == body
        assert body / height >= 0.022 or preset == "newsletter", f"{preset}: body text too small for its use"
    assert sizes["slide"][0] >= 24 and sizes["slide"][2] >= 16, "slide text must read from the back of a room"
    order = ["newsletter", "social", "square", "slide"]
    assert [sizes[p][0] for p in order] == sorted(sizes[p][0] for p in order)


def test_a_legend_with_many_entries_is_kept_whole_at_every_preset():
    fig = charts.forum_positions(data.load("forums"))
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    names = [t.name for t in fig.data if t.showlegend is not False]
    for preset, (width, height) in export.PRESETS.items():
        dressed = export.publication_figure(fig, preset=preset)
        legend = dressed.layout.legend
        size = legend.font.size or dressed.layout.font.size
        if legend.orientation == "h":  # moved above the plot, in rows across the picture
            assert legend.y == 1 and legend.yanchor == "bottom", preset
            widest = max(len(name) for name in names) * size * 0.55 + 40  # plotly's columns are this wide
            rows = -(-len(names) // max(1, (width - 20) // widest))
            assert dressed.layout.margin.t >= rows * size * 1.6, f"{preset}: no room above the plot for the legend"
            continue
        plot_height = height - dressed.layout.margin.t - dressed.layout.margin.b
        room = legend.maxheight if legend.maxheight and legend.maxheight > 1 else plot_height
        assert (entries + 1.5) * max(size * 1.3, 19.5) <= room + 1, preset


def test_an_empty_chart_gets_an_alt_text_that_says_nothing_matches():
    fig = charts.timeline(tidy.timeline_frame().iloc[0:0])
    assert "Nothing matches these filters" in export.alt_text(fig)


def test_a_grid_with_many_rows_keeps_every_row_label_legible_and_its_subtitle_inside_the_picture():
    fig = charts.positions_grid(law.positions_frame())
    rows = len(fig.layout.yaxis.tickvals)
    refused = []
    for preset, (width, height) in export.PRESETS.items():
        try:
            dressed = export.publication_figure(fig, preset=preset)
        except export.ExportError as problem:  # too many rows to read at that size: said, not drawn
            assert f"{rows} rows cannot be read" in str(problem) and "newsletter" in str(problem)
            refused.append(preset)
            continue
        margin = dressed.layout.margin
        plot_height = dressed.layout.height - margin.t - margin.b
        row_type = dressed.layout.yaxis.tickfont.size or dressed.layout.font.size
        assert plot_height / rows >= row_type * 1.3 - 0.5, f"{preset}: row labels overlap"
        assert row_type >= 8
        if preset == "newsletter":  # a column scrolls: the picture grows to its rows at full type size
            assert dressed.layout.height > height and row_type == export.PRESET_TYPE["newsletter"]["body"]
        else:  # cards and slides keep their proportions
            assert dressed.layout.height == height
        subtitle_size = round(export.PRESET_TYPE[preset]["title"] * 0.7)
        for line in re.findall(r"<sup>(.*?)</sup>", dressed.layout.title.text):
            assert len(line) * subtitle_size * 0.55 <= width, f"{preset}: subtitle line runs off: {line}"
    assert "newsletter" not in refused and "slide" not in refused
    europe = charts.positions_grid(law.select_positions(law.positions_frame(), region="Europe"))
    for preset in export.PRESETS:  # one region's rows fit every preset
        export.publication_figure(europe, preset=preset)


@pytest.mark.chromium
def test_the_largest_scale_a_preset_allows_draws_a_whole_png(figure, tmp_path):
    scale = export.largest_scale("slide")
    export.export_figure(figure, tmp_path / "big", formats=("png",), preset="slide", scale=scale)
    width, height = _png_size(tmp_path / "big.png")
    assert (width, height) == (round(1920 * scale), round(1080 * scale))


def test_a_scale_chromium_cannot_draw_is_refused_before_anything_is_drawn(figure, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export.pio, "to_image", lambda *a, **k: pytest.fail("nothing is drawn"))
    for scale in (0, -1, float("nan"), float("inf"), 16):
        with pytest.raises(export.ExportError, match=r"choose a number from 0\.1 to 11\.3"):
            export.export_figure(figure, tmp_path / "chart", formats=("png", "html"), preset="slide", scale=scale)
    assert not list(tmp_path.iterdir())


def test_an_image_chromium_did_not_draw_is_never_written(figure, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "find_browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(export.pio, "to_image", lambda *a, **k: b"\x00\x00\x00")
    with pytest.raises(export.ExportError, match=r"Chromium returned no PNG \(3 bytes\); nothing was written"):
        export.export_figure(figure, tmp_path / "chart", formats=("html", "png"), rows=data.load("incidents"))
    assert not list(tmp_path.iterdir())


def test_a_file_in_the_way_stops_the_whole_set_before_anything_is_written(figure, tmp_path):
    (tmp_path / "chart.data.csv").write_text("mine")
    with pytest.raises(export.ExportError, match=r"chart\.data\.csv exists already"):
        export.export_figure(figure, tmp_path / "chart", formats=("html",), rows=data.load("incidents"), citation="x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.data.csv"]
    assert (tmp_path / "chart.data.csv").read_text() == "mine"


def test_browser_path_names_chromium_for_the_kit_as_for_kaleido(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nowhere"))
    assert export.find_browser() is None
    fake = tmp_path / "chromium"
    fake.write_text("")
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert export.find_browser() == str(fake)


def test_every_row_and_column_of_a_grid_is_named_in_the_picture():
    """plotly thins crowded category labels, and a row without its name reads as its neighbour's."""
    fig = charts.norms_matrix(tidy.norms_crosswalk_frame())
    heatmap = next(t for t in fig.data if t.type == "heatmap")
    dressed = export.publication_figure(fig, preset="newsletter")
    assert list(dressed.layout.yaxis.tickvals) == list(dict.fromkeys(heatmap.y))
    assert list(dressed.layout.xaxis.tickvals) == list(dict.fromkeys(heatmap.x))
    assert dressed.layout.xaxis.tickangle == -90  # twelve frameworks side by side stand upright


def test_a_map_names_the_states_it_cannot_place_in_words():
    rows = tidy.participation_frame()
    fig = charts.participation_map(rows[rows["forum_id"] == "budapest_convention"])
    assert "not on the map: Monaco" in fig.layout.title.text and "MCO" not in fig.layout.title.text


@pytest.mark.parametrize("preset", ["social", "square", "newsletter", "slide"])
def test_the_un_votes_notes_fit_their_rows_at_every_preset(preset):
    # "not recorded" is written on its resolution's row; grown with the preset's type it ran into
    # the rows above and below (social: 16 px notes on 14 px rows).
    dressed = export.publication_figure(charts.un_votes_over_time(data.load("un_votes")), preset=preset)
    rows = list(dressed.layout.yaxis.tickvals)
    notes = [a for a in dressed.layout.annotations if (a.name or "").startswith("not recorded:")]
    assert len(notes) > len(rows)  # most rows carry a note in each of the two vote panels
    margin = dressed.layout.margin
    plot_px = dressed.layout.height - margin.t - margin.b
    pitch_px = plot_px / len(rows)
    label_px = dressed.layout.yaxis.tickfont.size or dressed.layout.font.size
    for note in notes:
        assert note.y in rows
        assert note.font.size <= label_px, (note.name, note.font.size, label_px)
        assert note.font.size * 1.15 <= pitch_px, (note.name, note.font.size, pitch_px)  # a line's height fits


@pytest.mark.parametrize("preset", ["social", "square", "newsletter", "slide"])
def test_the_un_votes_panels_scales_stand_apart(preset):
    # The plenary scale's last label ("250") met the committee scale's "0" and read as "2500"
    # (newsletter): three ticks a panel, and a gap of at least two characters between the panels.
    dressed = export.publication_figure(charts.un_votes_over_time(data.load("un_votes")), preset=preset)
    layout, margin = dressed.layout, dressed.layout.margin
    for name, axis in {"x2": layout.xaxis2, "x3": layout.xaxis3}.items():
        assert axis.range[1] / axis.dtick <= 4, (name, axis.dtick, axis.range)
    plot_px = layout.width - (margin.l or 80) - (margin.r or 80)
    gap_px = (layout.xaxis3.domain[0] - layout.xaxis2.domain[1]) * plot_px
    assert gap_px >= 2 * 0.6 * (layout.xaxis2.tickfont.size or layout.font.size), gap_px
    partial = [a.text for a in layout.annotations if (a.name or "").startswith("not recorded:") and "rest" in a.text]
    assert partial and set(partial) == {"rest not recorded"}  # the short form after a partial total


@pytest.mark.parametrize("preset", ["newsletter", "social", "square", "slide"])
def test_forum_positions_pictures_keep_room_for_upright_column_labels_only_where_they_may_stand(preset):
    # The live chart keeps room for upright labels (a phone); a picture wide enough for them side
    # by side pins them level and gives the room back; a narrower one lets plotly.js choose.
    fig = charts.forum_positions(data.load("forums"))
    assert fig.layout.meta["upright_labels_px"] > 0 and list(fig.layout.xaxis.autotickangles) == [0, -90]
    dressed = export.publication_figure(fig, preset=preset)
    body = export.PRESET_TYPE[preset]["body"]
    labels = list(dressed.layout.xaxis.ticktext)
    longest = max(len(line) for label in labels for line in label.split("<br>"))
    level_px = len(labels) * longest * body * 0.55  # every label side by side, generously measured
    if level_px <= dressed.layout.width * 0.6:
        assert dressed.layout.xaxis.tickangle == 0 and dressed.layout.meta["bottom_labels_px"] == 0
    else:
        assert dressed.layout.xaxis.tickangle is None and dressed.layout.meta["bottom_labels_px"] > 0
