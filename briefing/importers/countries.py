"""Country names and lists as found in exports, read as ISO 3166 alpha-3 codes."""

from __future__ import annotations

import ast
import re
from functools import lru_cache

import pandas as pd

# Names pycountry does not know (former or informal names seen in real exports).
_COUNTRY_ALIASES = {
    "turkey": "TUR",
    "ivory coast": "CIV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "burma": "MMR",
    "cape verde": "CPV",
    "east timor": "TLS",
    "kosovo": "XKX",
    "united states of america": "USA",
    "uk": "GBR",
    "usa": "USA",
    "us": "USA",
}
_NOT_A_COUNTRY = {"", "unknown", "not available", "none", "n/a", "nan", "[]"}


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO3 code for a country name in any common spelling (pycountry), or None if unsure."""
    import pycountry

    cleaned = name.strip().strip("'\"")
    if cleaned.lower() in _NOT_A_COUNTRY:
        return None
    if cleaned.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[cleaned.lower()]
    # "Iran (Islamic Republic of)" is pycountry's "Iran, Islamic Republic of".
    candidates = [cleaned, re.sub(r"^(.*?) \((.*)\)$", r"\1, \2", cleaned)]
    for candidate in candidates:
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    try:
        found = pycountry.countries.search_fuzzy(cleaned)
    except LookupError:
        return None
    if len(found) != 1:
        return None  # "Korea" alone is two countries: never guess
    # Fuzzy search also matches subdivisions ("NATO" finds a county): keep it only if the
    # country's own name contains what was asked, e.g. "Russia" in "Russian Federation".
    country = found[0]
    squeeze = lambda text: re.sub(r"[^a-z]", "", text.lower())  # noqa: E731
    names = [getattr(country, attribute, "") or "" for attribute in ("name", "common_name", "official_name")]
    return country.alpha_3 if any(squeeze(cleaned) in squeeze(n) for n in names) else None


def split_countries(cell: str) -> list[str]:
    """ISO3 codes in a multi-valued cell: a Python list literal, '; '-joined, or comma-joined names.

    Comma-joined names are split carefully: 'Palestine, State of' and 'Korea, Republic of' are one
    country each.
    """
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    text = str(cell).strip()
    if text.startswith("["):
        try:
            values = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values = [text.strip("[]")]
        flat: list[object] = []
        for value in values if isinstance(values, (list, tuple)) else [values]:
            flat.extend(value if isinstance(value, (list, tuple)) else [value])
        parts = [str(v) for v in flat]
    elif ";" in text:
        parts = text.split(";")
    else:
        parts = _rejoin_commas(text.split(","))
    codes = [country_code(part) for part in parts]
    return list(dict.fromkeys(code for code in codes if code))


def _rejoin_commas(pieces: list[str]) -> list[str]:
    names, index = [], 0
    while index < len(pieces):
        piece = pieces[index].strip()
        if index + 1 < len(pieces):
            following = pieces[index + 1].strip()
            joined = f"{piece}, {following}"
            # "Korea, Republic of": the tail is no country alone, but the two together are one.
            if country_code(following) is None and country_code(joined):
                names.append(joined)
                index += 2
                continue
        names.append(piece)
        index += 1
    return names


# ---- Adapters for known exports --------------------------------------------------------------------
