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
    title_lines = heading.count("<br>") + 1
    dressed.update_layout(
        width=width,
        height=height,
        font=dict(size=sizes["body"]),
        legend=dict(font=dict(size=sizes["body"])),
        title=dict(text=heading, font=dict(size=sizes["title"])),
        # Room for the title and its subtitle line(s), at the preset's type size.
        margin=dict(t=round(sizes["title"] * (1.4 + 1.1 * title_lines)), l=round(sizes["body"] * 4)),
    )
    # Everything else written on the figure grows with the type: messages and marker sizes.
    growth = sizes["body"] / theme.BODY_FONT_SIZE
    for annotation in dressed.layout.annotations:
        if annotation.name != theme.SOURCE_LINE_NAME and annotation.font.size:
            annotation.font.size = round(annotation.font.size * growth)
    for trace in dressed.data:
        if trace.type == "scatter" and isinstance(getattr(trace.marker, "size", None), (int, float)):
            trace.marker.size = round(trace.marker.size * max(1.0, growth))
    # Wrap the source line to the width rather than let it run off the edge.
    per_line = int(width / (sizes["source"] * 0.6))
    footer = "<br>".join(_wrap(part, per_line) for part in footer.split("<br>"))
    theme.add_source_line(dressed, footer, font_size=sizes["source"], body_size=sizes["body"])
    _fit_legend(dressed, height=height, body=sizes["body"])
    return dressed


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


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


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
    width, height = PRESETS[preset]
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
