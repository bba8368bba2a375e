"""Reading lists for notebooks, drawn from the sources table."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from briefing import data


def further_reading(source_ids: list[str]) -> HTML:
    """A 'further reading' list of the given sources, as links, for the end of a notebook.

    Examples
    --------
    >>> further_reading(["seed_mittr_gcsc_2017"])  # doctest: +SKIP
    """
    items = []
    for row in data.cite(source_ids).itertuples():
        when = "" if pd.isna(row.date) else f", {row.date.year}"
        title = html.escape(str(row.title))
        if pd.notna(row.url):
            title = f'<a href="{html.escape(str(row.url), quote=True)}" target="_blank" rel="noopener">{title}</a>'
        symbol = f" ({html.escape(str(row.document_symbol))})" if pd.notna(row.document_symbol) else ""
        items.append(f"<li>{title}{symbol}. {html.escape(str(row.publisher))}{when}.</li>")
    return HTML("<ul class='briefing-reading'>" + "".join(items) + "</ul>")
