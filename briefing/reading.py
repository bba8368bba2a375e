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


def define(*term_ids: str) -> HTML:
    """Glossary definitions of ``term_ids``, each with its source, for any notebook.

    Examples
    --------
    >>> define("confidence_building_measure", "attribution")  # doctest: +SKIP
    """
    glossary = data.load("glossary").set_index("term_id")
    missing = [term for term in term_ids if term not in glossary.index]
    if missing:
        raise KeyError(f"no glossary term {', '.join(map(repr, missing))}; see data/glossary.csv for the ids")
    sources = data.load("sources").set_index("source_id")
    items = []
    for term in term_ids:
        row = glossary.loc[term]
        source = sources.loc[row["source_id"]]
        cite = html.escape(str(source["title"]))
        if pd.notna(source["url"]):
            cite = f'<a href="{html.escape(str(source["url"]), quote=True)}" target="_blank" rel="noopener">{cite}</a>'
        items.append(f"<dt><b>{html.escape(str(row['term']))}</b></dt>"
                     f"<dd>{html.escape(str(row['definition']))} <small>Source: {cite}</small></dd>")
    return HTML("<dl class='briefing-glossary'>" + "".join(items) + "</dl>")


def glossary_search(text: str) -> HTML:
    """Every glossary term whose name or definition mentions ``text``."""
    glossary = data.load("glossary")
    needle = text.casefold()
    hits = glossary[glossary["term"].str.casefold().str.contains(needle, regex=False)
                    | glossary["definition"].str.casefold().str.contains(needle, regex=False)]
    if hits.empty:
        return HTML(f"<p>No glossary term mentions {html.escape(text)!s}.</p>")
    return define(*hits["term_id"])
