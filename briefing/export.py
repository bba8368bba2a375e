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
import csv
import html
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from briefing import theme
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
    """The chromium kaleido will use, or None when there is none on this machine."""
    override = os.environ.get("BROWSER_PATH")
    if override and Path(override).exists():
        return override
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _no_browser_message() -> str:
    return (
        "PNG, SVG and PDF export need Chromium, and none was found on this machine. "
        "Install Debian's package (`sudo apt-get install -y chromium`) and try again; "
        "HTML export works without it (formats=('html',))."
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
    """``name`` if it is a plain file name; an :class:`ExportError` for a path or an empty name.

    The chart studio joins it to its exports folder: "../../data/x" or "/etc/x" would write, and
    with "overwrite" replace, files anywhere.

    >>> safe_file_name(" timeline-2025 ")
    'timeline-2025'
    """
    cleaned = name.strip()
    if not cleaned or cleaned in (".", "..") or "/" in cleaned or "\\" in cleaned or "\x00" in cleaned:
        raise ExportError(
            f"the file name {name!r} is not a plain name: use letters, digits, '-' and '_', "
            "without '/' (files go into the exports folder)"
        )
    return cleaned


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
    heading = html.escape(title) if title is not None else (fig.layout.title.text or "")
    if subtitle:
        heading += f"<br><sup>{html.escape(subtitle)}</sup>"
    footer = source if not notes else f"Note: {html.escape(notes)}<br>{source}"
    sizes = PRESET_TYPE[preset]
    heading = _wrap_subtitle(heading, width_px=width, font_size=round(sizes["title"] * 0.7))
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
    _fit_columns(dressed, body=sizes["body"])
    theme.add_source_line(dressed, footer, font_size=sizes["source"], body_size=sizes["body"])
    legend_above = _legend_above_when_wide(dressed, width=width, body=sizes["body"])
    _fit_rows(dressed, preset=preset, body=sizes["body"])
    if not legend_above:
        _fit_legend(dressed, height=dressed.layout.height, body=sizes["body"])
    return dressed


def _legend_above_when_wide(fig: go.Figure, *, width: int, body: int) -> bool:
    """A legend whose entries would take more than a third of a narrow picture (half of a wide one)
    moves above the plot, in rows: beside it, its longest entries ran off the right edge (plotly
    never wraps them)."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if not names or fig.layout.showlegend is False or fig.layout.legend.orientation == "h":
        return False
    # A narrow picture (a newsletter column) cannot spare a third of its width; a wide one, half.
    if max(len(name) for name in names) * body * 0.55 + 40 <= width / (3 if width < 800 else 2):
        return False
    per_row = max(1, width - 20)
    widths = [len(name) * body * 0.55 + 40 for name in names]  # symbol, gap and text of each entry
    rows, used = 1, 0.0
    for entry in widths:
        if used and used + entry > per_row:
            rows, used = rows + 1, 0.0
        used += entry
    legend_px = round(rows * body * 1.9)
    # The title block keeps its place at the top; the legend's rows sit between it and the plot.
    fig.update_layout(
        title=dict(yref="container", y=1.0, yanchor="top", pad=dict(t=round(body * 2))),
        margin=dict(t=fig.layout.margin.t + legend_px),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", title_text=None),
    )
    return True


def _wrap_subtitle(heading: str, *, width_px: int, font_size: int) -> str:
    """The subtitle (``<sup>`` after the title) broken into lines that fit the picture's width:
    plotly never wraps a title, and a long subtitle ran off the right edge."""
    title, marker, rest = heading.partition("<br><sup>")
    if not marker:
        return heading
    subtitle = rest.removesuffix("</sup>")
    lines = theme.wrap_source_text(subtitle, width_px=width_px - 40, font_size=font_size).split("<br>")
    return title + "".join(f"<br><sup>{line}</sup>" for line in lines)


def _fit_columns(fig: go.Figure, *, body: int) -> None:
    """Column labels of a narrow grid stand upright (slanted, they ran into each other), with room
    kept for them above the source line."""
    labels = [str(label) for label in fig.layout.xaxis.tickvals or ()] if fig.layout.xaxis.type == "category" else []
    if not labels or len(labels) * body * 4 <= fig.layout.width * 0.45:
        return
    fig.update_xaxes(tickangle=-90)
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    # In the template's type size: the source line scales it to the preset's (theme.add_source_line).
    longest = max(len(line) for label in labels for line in label.split("<br>"))
    upright = round(longest * theme.BODY_FONT_SIZE * 0.5)
    meta["bottom_labels_px"] = max(int(meta.get("bottom_labels_px", 0)), upright)
    fig.update_layout(meta=meta)


# A row of a category axis needs about this many times the type size to be read apart from its
# neighbours, and type under MIN_ROW_TYPE px cannot be read at all.
ROW_SPACING = 1.35
MIN_ROW_TYPE = 8


def _fit_rows(fig: go.Figure, *, preset: str, body: int) -> None:
    """Keep one label per row legible on a chart with many rows (a grid, a timeline of holders).

    A newsletter picture is as tall as its rows need (a column scrolls); the other presets keep
    their proportions, so their row labels get smaller type instead, down to 8 px; rows that would
    need smaller type are refused with a message that says what to do.
    """
    rows = len(fig.layout.yaxis.tickvals or ()) if fig.layout.yaxis.type == "category" else 0
    margin = fig.layout.margin
    plot_height = fig.layout.height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
    needed = rows * body * ROW_SPACING
    if not rows or needed <= plot_height:
        return
    if preset == "newsletter":
        fig.update_layout(height=round(fig.layout.height + needed - plot_height))
        return
    size = int(plot_height / (rows * ROW_SPACING))
    if size < MIN_ROW_TYPE:
        fitting = int(plot_height / (MIN_ROW_TYPE * ROW_SPACING))
        raise ExportError(
            f"this chart's {rows} rows cannot be read on a {preset} picture (at most {fitting} fit); "
            "choose the newsletter preset, which grows to fit its rows, or show fewer rows "
            "(filter it: a region, a question, fewer years)"
        )
    fig.update_yaxes(tickfont_size=size)


def _fit_legend(fig: go.Figure, *, height: int, body: int) -> None:
    """Keep every legend entry in the picture (a static image cannot scroll a legend): a legend too
    tall for the plot gets smaller type, down to 9 px, and then more height for the plot."""
    entries = [t for t in fig.data if t.name and t.showlegend is not False]
    if not entries or fig.layout.showlegend is False:
        return
    margin = fig.layout.margin
    plot_height = height - (margin.t or 80) - (margin.b or theme.SOURCE_LINE_MARGIN)
    line = 1.7  # one legend row, in multiples of its type size
    needed = (len(entries) + 1.5) * body * line
    if needed <= plot_height:
        return
    size = max(9, int(plot_height / ((len(entries) + 1.5) * line)))
    # A legend row is never under about 19 px (the symbol's height), whatever its type size; the
    # legend may run on into the bottom margin beside the axis labels rather than be cut off.
    rows_px = int((len(entries) + 1.5) * max(size * 1.3, 19.5))
    fig.update_layout(
        legend=dict(
            font=dict(size=size),
            title_font=dict(size=size),
            tracegroupgap=0,
            itemsizing="constant",
            maxheight=max(rows_px, plot_height),
        )
    )


def _target(stem: Path, extension: str, overwrite: bool) -> Path:
    path = stem.with_name(stem.name + extension)
    if path.exists() and not overwrite:
        raise ExportError(f"{path} exists already; choose another name or pass overwrite=True")
    return path


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
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n<body>\n'
        f'<figure role="group" aria-label="{html.escape(alt, quote=True)}">\n{body}\n'
        f'<figcaption style="font:13px sans-serif;color:#555">{html.escape(alt)}</figcaption>\n'
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
) -> ExportResult:
    """Write ``fig`` as ``stem.png``, ``stem.svg``, ``stem.pdf`` and/or ``stem.html``, plus
    ``stem.alt.txt``.

    ``alt`` replaces the drafted alt text. ``html_plotlyjs="inline"`` makes the HTML work offline
    (about 4.5 MB); ``"cdn"`` makes it small but needs the web. Without a browser, static formats
    raise :class:`ExportError` before anything is written, and say that HTML still works.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format(s) {unknown}; choose from {', '.join(FORMATS)}")
    if any(f in STATIC_FORMATS for f in formats) and find_browser() is None:
        raise ExportError(_no_browser_message())
    stem = Path(stem)
    targets = {f: _target(stem, f".{f}", overwrite) for f in formats}
    alt_path = _target(stem, ".alt.txt", overwrite)
    dressed = publication_figure(fig, title=title, subtitle=subtitle, notes=notes, preset=preset)
    text = alt if alt is not None else alt_text(dressed)
    stem.parent.mkdir(parents=True, exist_ok=True)
    result = ExportResult(alt_text=text)
    width, height = dressed.layout.width, dressed.layout.height  # a newsletter picture may grow taller
    for fmt, path in targets.items():
        if fmt == "html":
            include = True if html_plotlyjs == "inline" else "cdn"
            path.write_text(_html_page(dressed, alt=text, include_plotlyjs=include), encoding="utf-8")
        else:
            with warnings.catch_warnings():
                # Inside export_session plotly passes browser options the running server already
                # has; nothing is lost, so the warning would only alarm.
                warnings.filterwarnings("ignore", message="The kopts argument is ignored if using a server")
                image = pio.to_image(
                    dressed, format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1
                )
            path.write_bytes(image)
        result.files.append(path)
    alt_path.write_text(text + "\n", encoding="utf-8")
    result.files.append(alt_path)
    return result


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix text a spreadsheet would run as a formula with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_data(frame: pd.DataFrame, path: str | Path, *, citation: str, overwrite: bool = False) -> list[Path]:
    """Write the data behind a chart as CSV (formulas neutralised) and its citation beside it."""
    path = Path(path)
    citation_path = path.with_name(path.stem + ".citation.txt")
    for target in (path, citation_path):
        if target.exists() and not overwrite:
            raise ExportError(f"{target} exists already; choose another name or pass overwrite=True")
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    safe.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    citation_path.write_text(html.unescape(citation) + "\n", encoding="utf-8")
    return [path, citation_path]
