"""Every piece of HTML the kit writes from data, escaped in one place.

Widgets (explorers, quizzes, reading lists) show text from the data package and from files a
reader uploads; any of it may hold markup. Build HTML here, never by hand elsewhere: each helper
escapes every value it is given and only adds the tags it names.

>>> title_link("A <b>report</b>", "https://example.org/?a=1&b=2")
'<a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="noopener">A &lt;b&gt;report&lt;/b&gt;</a>'
>>> title_link("No link", None)
'No link'
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = [
    "cell_text",
    "download_table",
    "escape",
    "escaped_table",
    "items_list",
    "plain",
    "source_link",
    "source_links",
    "sources_list",
    "title_link",
]


#: The explicit direction controls (embeddings, overrides, isolates): shown to a reader they reorder
#: the text after them ("report\u202egnp.exe" reads as "reportexe.png"), so each shows as U+FFFD.
_DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)], "\ufffd")


def plain(value: object) -> str:
    """``value`` as text a reader sees as written: direction controls show as U+FFFD ("" when missing).

    >>> plain("report\u202egnp.exe")
    'report\ufffdgnp.exe'
    """
    return "" if _missing(value) else str(value).translate(_DIRECTION_CONTROLS)


def escape(value: object) -> str:
    """``value`` as HTML text (a missing value reads as ""; direction controls as U+FFFD)."""
    return html.escape(plain(value))


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


#: The only kinds of address a link may have (a "javascript:" URL in a data file stays text).
LINK_SCHEMES = ("http://", "https://", "mailto:")


def title_link(title: object, url: object) -> str:
    """``title`` escaped, as a link that opens in a new tab when ``url`` is a web or mail address."""
    text = escape(title)
    if _missing(url) or not str(url).strip().lower().startswith(LINK_SCHEMES):
        return text
    return f'<a href="{html.escape(str(url), quote=True)}" target="_blank" rel="noopener">{text}</a>'


def source_link(source_id: object, sources: pd.DataFrame) -> str:
    """One source's title as a link ("" for an id the sources table does not hold).

    ``sources`` is the sources table, or the same indexed by ``source_id``.
    """
    indexed = sources if sources.index.name == "source_id" else sources.set_index("source_id")
    if _missing(source_id) or source_id not in indexed.index:
        return ""
    row = indexed.loc[source_id]
    return title_link(row["title"], row["url"])


def source_links(source_ids: Iterable[object], sources: pd.DataFrame) -> list[str]:
    """Each known source of ``source_ids`` (in order, once) as "title link (publisher)"; ``sources``
    may be indexed by ``source_id`` already (an app listing many records indexes it once)."""
    indexed = sources if sources.index.name == "source_id" else sources.set_index("source_id")
    items = []
    for source_id in dict.fromkeys(sid for sid in source_ids if not _missing(sid)):
        if source_id not in indexed.index:
            continue
        row = indexed.loc[source_id]
        items.append(f"{title_link(row['title'], row['url'])} ({escape(row['publisher'])})")
    return items


def sources_list(source_ids: Iterable[object], sources: pd.DataFrame, *, heading: str = "Sources") -> str:
    """The sources of ``source_ids`` under a heading, as a list of links ("" when none is known)."""
    items = source_links(source_ids, sources)
    return f"<p><b>{escape(heading)}</b></p>" + items_list(items, escaped=True) if items else ""


def items_list(items: Iterable[object], *, escaped: bool = False, css_class: str | None = None) -> str:
    """A ``<ul>`` of ``items``; ``escaped=True`` says the items are already HTML from this module."""
    cls = f" class='{html.escape(css_class, quote=True)}'" if css_class else ""
    return f"<ul{cls}>" + "".join(f"<li>{item if escaped else escape(item)}</li>" for item in items) + "</ul>"


def cell_text(value: object) -> str:
    """A table cell as text: "" for missing, ISO dates for timestamps."""
    if _missing(value):
        return ""
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def escaped_table(frame: pd.DataFrame) -> str:
    """A frame as an HTML table with every header and cell escaped (user files may hold markup)."""
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell_text(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"<table class='briefing-table'><tr>{head}</tr>{body}</table>"


def download_table(files: Iterable[Path], *, folder: Path) -> str:
    """Files by name and size, each a download link relative to the notebook's page.

    In the app (Voila) ``../files/<folder>/<name>`` is Voila's file route, which serves the exports
    folder and the packs' folders inside it (share/voila/voila.py); in JupyterLab the files are also
    in the file browser. ``folder`` is relative to the notebook (``exports`` or
    ``exports/<scenario>_pack``); of an absolute path only the last part is used.
    """
    relative = folder.name if folder.is_absolute() else folder.as_posix()
    rows = []
    for path in files:
        href = html.escape(f"../files/{relative}/{path.name}", quote=True)
        rows.append(
            f'<tr><td><a href="{href}" download="{escape(path.name)}">'
            f"{escape(path.name)}</a></td><td>{path.stat().st_size / 1024:.1f} KB</td></tr>"
        )
    return (
        f"<table class='briefing-table'><tr><th>File (in the folder {escape(relative)})</th><th>Size</th></tr>"
        f"{''.join(rows)}</table>"
    )
