"""Publication-ready files from any kit figure: PNG, SVG, PDF, standalone HTML, an embed snippet,
alt text and the data behind the chart.

Every export carries a title, an optional subtitle and notes line, the source line with the data's
"as of" date, and the kit's credit. Static images are drawn by kaleido in Debian's chromium; a batch
shares one browser (:func:`export_session`). Nothing is ever overwritten unless asked.

Examples
--------
>>> from briefing import charts, data, export
>>> fig = charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())
>>> result = export.export_figure(fig, "exports/incidents", preset="newsletter",
...                               formats=("png", "html"))  # doctest: +SKIP
>>> result.files  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from briefing import picture_fit, render, theme, writing
from briefing.alt_text import alt_text

#: Width x height in CSS pixels; ``scale`` multiplies them for retina screens.
PRESETS = {
    "newsletter": (640, 480),
    "social": (1200, 675),
    "square": (1080, 1080),
    "slide": (1920, 1080),
}
#: Type sizes in CSS pixels per preset (body: ticks, legend, axis titles; title; source line),
#: chosen for where each preset is read. A newsletter column is read close up at 640 px; a social
#: card is shrunk to a phone's width in a feed; a square post likewise; a slide is projected, where
#: text under about 2.4% of the picture's height (26 of 1080 px) cannot be read from the back rows.
PRESET_TYPE = {
    "newsletter": {"body": 12, "title": 18, "source": 10},
    "social": {"body": 20, "title": 30, "source": 15},
    "square": {"body": 24, "title": 36, "source": 17},
    "slide": {"body": 26, "title": 42, "source": 18},
}
STATIC_FORMATS = ("png", "svg", "pdf")
FORMATS = STATIC_FORMATS + ("html",)
#: The most pixels Chromium draws in one PNG (2**28): past it, kaleido returns 3 bytes, not an image.
MAX_PIXELS = 2**28
#: The smallest PNG scale (a newsletter preset at 0.1 is 64 x 48 pixels).
MIN_SCALE = 0.1
#: What each format's file opens with: without it, it is not the image that was asked for.
_SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF", "svg": b"<svg"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


class ExportError(Exception):
    """An export that cannot be done as asked; the message says why and what to do instead."""


@dataclass
class ExportResult:
    """What an export wrote: the files (with sizes) and the alt text."""

    files: list[Path] = field(default_factory=list)
    alt_text: str = ""

    def sizes(self) -> pd.DataFrame:
        """The exported files and their sizes, for people to check."""
        return pd.DataFrame(
            [{"file": str(path), "kilobytes": round(path.stat().st_size / 1024, 1)} for path in self.files]
        )


def find_browser() -> str | None:
    """The chromium kaleido will use, or None when there is none on this machine.

    ``BROWSER_PATH`` (which kaleido honours too) names the browser: when it is set, that file or
    nothing, so ``BROWSER_PATH=/nonexistent`` is a machine without chromium.
    """
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if Path(override).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _no_browser_message() -> str:
    override = os.environ.get("BROWSER_PATH")
    found = f"BROWSER_PATH={override!r} names no file" if override else "none was found on this machine"
    return (
        f"PNG, SVG and PDF export need Chromium, and {found}. "
        "Install Debian's package (`sudo apt-get install -y chromium`) and try again; "
        "HTML export works without it."
    )


@contextlib.contextmanager
def export_session():
    """Keep one browser open for a batch of static exports, and close it afterwards.

    Without this, every image starts and stops its own browser (about two seconds each).
    """
    import kaleido

    if find_browser() is None:
        raise ExportError(_no_browser_message())
    if kaleido._global_server.is_running():  # nested in another session: that one owns the browser
        yield
        return
    kaleido.start_sync_server(silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def safe_file_name(name: str) -> str:
    """``name`` if it is a plain file name; an :class:`ExportError` for a path, an empty name or a
    name with invisible characters (the rule: :func:`briefing.writing.safe_file_name`).

    >>> safe_file_name(" timeline-2025 ")
    'timeline-2025'
    """
    with writing.reraised_as(ExportError):
        return writing.safe_file_name(name)


def largest_scale(preset: str) -> float:
    """The largest PNG ``scale`` Chromium can draw at ``preset`` (one decimal, rounded down).

    >>> largest_scale("slide")
    11.3
    """
    width, height = PRESETS[preset]
    return math.floor(math.sqrt(MAX_PIXELS / (width * height)) * 10) / 10


def check_scale(scale: float, preset: str) -> None:
    """An :class:`ExportError` unless ``scale`` draws a PNG at ``preset`` (a number from 0.1 up to
    :func:`largest_scale`)."""
    if preset not in PRESETS:
        raise ExportError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    largest = largest_scale(preset)
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and MIN_SCALE <= scale <= largest):
        raise ExportError(
            f"scale {scale:g} cannot be drawn at preset {preset}: choose a number from {MIN_SCALE} to {largest} "
            f"(Chromium draws at most {MAX_PIXELS / 1e6:.0f} million pixels per PNG)"
        )


def publication_figure(
    fig: go.Figure,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    notes: str | None = None,
    preset: str = "newsletter",
) -> go.Figure:
    """A copy of ``fig`` dressed for publication at a preset size: title, subtitle, notes, source line.

    User text (title, subtitle, notes) is escaped: plotly renders a subset of HTML in these places.
    The source line the chart already carries is kept; a figure without one is refused, so no
    chart leaves the kit uncited.
    """
    if preset not in PRESETS:
        raise ExportError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    source = theme.source_line_of(fig)
    if not source:
        raise ExportError(
            "this figure has no source line; make it with briefing.charts, or add one with "
            "briefing.theme.add_source_line"
        )
    width, height = PRESETS[preset]
    dressed = go.Figure(fig)  # a copy: the caller's figure (or live widget) is left as it was
    heading = render.escape(title) if title is not None else (fig.layout.title.text or "")
    if subtitle:
        heading += f"<br><sup>{render.escape(subtitle)}</sup>"
    footer = source if not notes else f"Note: {render.escape(notes)}<br>{source}"
    sizes = PRESET_TYPE[preset]
    heading = picture_fit.wrap_subtitle(heading, width_px=width, font_size=round(sizes["title"] * 0.7))
    title_lines = heading.count("<br>") + 1
    dressed.update_layout(
        width=width,
        height=height,
        font=dict(size=sizes["body"]),
        legend=dict(font=dict(size=sizes["body"])),
        title=dict(text=heading, font=dict(size=sizes["title"])),
        # Room for the title and its subtitle line(s), at the preset's type size.
        margin=dict(t=round(sizes["title"] * (1.4 + 1.25 * title_lines)), l=round(sizes["body"] * 4)),
    )
    # Everything else written on the figure grows with the type: messages and marker sizes.
    growth = sizes["body"] / theme.BODY_FONT_SIZE
    for annotation in dressed.layout.annotations:
        if annotation.name != theme.SOURCE_LINE_NAME and annotation.font.size:
            annotation.font.size = round(annotation.font.size * growth)
    for trace in dressed.data:
        if trace.type == "scatter" and isinstance(getattr(trace.marker, "size", None), (int, float)):
            trace.marker.size = round(trace.marker.size * max(1.0, growth))
    picture_fit.fit_columns(dressed, body=sizes["body"])
    theme.add_source_line(dressed, footer, font_size=sizes["source"], body_size=sizes["body"])
    problem = picture_fit.fit_legend_and_rows(dressed, preset=preset, width=width, body=sizes["body"])
    if problem:
        raise ExportError(problem)
    theme.place_legend_below(dressed, sizes["body"])  # the plot's height may have changed to fit its rows
    return dressed


def _html_page(fig: go.Figure, *, alt: str, include_plotlyjs) -> str:
    title = html.unescape((fig.layout.title.text or "Chart").split("<br>")[0])
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=include_plotlyjs,
        div_id="briefing-chart",
        config={"displaylogo": False, "responsive": True},
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{render.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n<body>\n'
        f'<figure role="group" aria-label="{render.escape(alt)}">\n{body}\n'
        f'<figcaption style="font:13px sans-serif;color:#555">{render.escape(alt)}</figcaption>\n'
        "</figure>\n</body>\n</html>\n"
    )


def embed_snippet(fig: go.Figure) -> str:
    """A snippet to paste into a web page or newsletter platform (loads plotly.js from its CDN)."""
    return fig.to_html(full_html=False, include_plotlyjs="cdn", config={"displaylogo": False, "responsive": True})


def export_figure(
    fig: go.Figure,
    stem: str | Path,
    *,
    formats: tuple[str, ...] = ("png", "svg", "html"),
    preset: str = "newsletter",
    scale: float = 2,
    title: str | None = None,
    subtitle: str | None = None,
    notes: str | None = None,
    alt: str | None = None,
    html_plotlyjs: str = "inline",
    overwrite: bool = False,
    rows: pd.DataFrame | None = None,
    citation: str = "",
) -> ExportResult:
    """Write ``fig`` as ``stem.png``, ``stem.svg``, ``stem.pdf`` and/or ``stem.html``, plus
    ``stem.alt.txt``; with ``rows``, the data behind the chart as ``stem.data.csv`` and its
    ``citation`` beside it (as :func:`export_data` writes them).

    ``alt`` replaces the drafted alt text. ``html_plotlyjs="inline"`` makes the HTML work offline
    (about 4.5 MB); ``"cdn"`` makes it small but needs the web. Every file is drawn before any is
    written, and they are written all or none: without a browser (HTML works without one), with a
    file in the way or a scale Chromium cannot draw, :class:`ExportError` says so and nothing is written.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format(s) {unknown}; choose from {', '.join(FORMATS)}")
    if any(f in STATIC_FORMATS for f in formats) and find_browser() is None:
        raise ExportError(_no_browser_message())
    if "png" in formats:
        check_scale(scale, preset)
    stem = Path(stem)
    names = [f"{stem.name}.{f}" for f in formats] + [f"{stem.name}.alt.txt"]
    data_name = f"{stem.name}.data.csv"
    if rows is not None:
        names += [data_name, _citation_name(data_name)]
    with writing.reraised_as(ExportError):
        writing.check_targets([stem.parent / name for name in names], overwrite=overwrite)
    dressed = publication_figure(fig, title=title, subtitle=subtitle, notes=notes, preset=preset)
    result = ExportResult(alt_text=alt if alt is not None else alt_text(dressed))
    contents = _figure_files(dressed, stem.name, formats, result.alt_text, scale=scale, html_plotlyjs=html_plotlyjs)
    if rows is not None:
        contents |= _data_files(rows, data_name, citation)
    result.files = _write_all(stem.parent, contents)
    return result


def _write_all(folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write files by name into ``folder``, all or none."""
    with writing.reraised_as(ExportError), writing.all_or_nothing(folder) as staging:
        for name, content in contents.items():
            (staging / name).write_bytes(content)
    return [folder / name for name in contents]


def _figure_files(
    dressed: go.Figure, stem: str, formats: tuple[str, ...], alt: str, *, scale: float, html_plotlyjs: str
) -> dict[str, bytes]:
    """Each file of a dressed figure by name, drawn in memory (nothing written yet)."""
    width, height = dressed.layout.width, dressed.layout.height
    files = {}
    for fmt in formats:
        name = f"{stem}.{fmt}"
        if fmt == "html":
            include = True if html_plotlyjs == "inline" else "cdn"
            files[name] = _html_page(dressed, alt=alt, include_plotlyjs=include).encode("utf-8")
            continue
        with warnings.catch_warnings():
            # Inside export_session plotly passes browser options the running server already
            # has; nothing is lost, so the warning would only alarm.
            warnings.filterwarnings("ignore", message="The kopts argument is ignored if using a server")
            image = pio.to_image(dressed, format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
        if _SIGNATURES[fmt] not in image[:1000]:  # an SVG may open with an XML declaration
            raise ExportError(f"Chromium returned no {fmt.upper()} ({len(image)} bytes); nothing was written")
        files[name] = image
    files[f"{stem}.alt.txt"] = (alt + "\n").encode("utf-8")
    return files


neutralise_formula = writing.neutralise_formula  # where the CSV exports of the kit have always found it


def _citation_name(data_name: str) -> str:
    return Path(data_name).stem + ".citation.txt"


def _data_files(frame: pd.DataFrame, name: str, citation: str) -> dict[str, bytes]:
    """The CSV (formulas neutralised) and its citation by name, in memory."""
    table = writing.safe_csv(frame).encode("utf-8")
    return {name: table, _citation_name(name): (render.plain(html.unescape(citation)) + "\n").encode("utf-8")}


def export_data(frame: pd.DataFrame, path: str | Path, *, citation: str, overwrite: bool = False) -> list[Path]:
    """Write the data behind a chart as CSV (formulas neutralised) and its citation beside it."""
    path = Path(path)
    contents = _data_files(frame, path.name, citation)
    with writing.reraised_as(ExportError):
        writing.check_targets([path.parent / name for name in contents], overwrite=overwrite)
    return _write_all(path.parent, contents)
