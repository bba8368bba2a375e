"""Reading lists for notebooks, drawn from the sources table."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from briefing import data, render


def further_reading(source_ids: list[str]) -> HTML:
    """A 'further reading' list of the given sources, as links, for the end of a notebook.

    Examples
    --------
    >>> further_reading(["seed_mittr_gcsc_2017"])  # doctest: +SKIP
    """
    items = []
    for row in data.cite(source_ids).itertuples():
        when = "" if pd.isna(row.date) else f", {row.date.year}"
        symbol = f" ({render.escape(row.document_symbol)})" if pd.notna(row.document_symbol) else ""
        items.append(f"{render.title_link(row.title, row.url)}{symbol}. {render.escape(row.publisher)}{when}.")
    return HTML(render.items_list(items, escaped=True, css_class="briefing-reading"))


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
        cite = render.source_link(row["source_id"], sources)
        items.append(
            f"<dt style='{_TERM_STYLE}'><b>{render.escape(row['term'])}</b></dt>"
            f"<dd style='{_DEFINITION_STYLE}'>{render.escape(row['definition'])} <small>Source: {cite}</small></dd>"
        )
    return HTML(f"<dl class='briefing-glossary' style='{_LIST_STYLE}'>" + "".join(items) + "</dl>")


# JupyterLab's own style floats each term in a fixed-width column, so a long term ("Countermeasures")
# ran into its definition on a narrow or zoomed page. A grid gives the terms the width they need.
_LIST_STYLE = "display:grid;grid-template-columns:minmax(6em,max-content) minmax(0,1fr);gap:0.4em 1em"
_TERM_STYLE = "float:none;width:auto;margin:0;text-align:left;overflow-wrap:anywhere"
_DEFINITION_STYLE = "margin:0"


def glossary_search(text: str) -> HTML:
    """Every glossary term whose name or definition mentions ``text``."""
    glossary = data.load("glossary")
    needle = text.casefold()
    hits = glossary[
        glossary["term"].str.casefold().str.contains(needle, regex=False)
        | glossary["definition"].str.casefold().str.contains(needle, regex=False)
    ]
    if hits.empty:
        return HTML(f"<p>No glossary term mentions {render.escape(text)}.</p>")
    return define(*hits["term_id"])
