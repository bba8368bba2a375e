"""Country names and lists as found in exports, read as ISO 3166 alpha-3 codes.

Matching is exact, never fuzzy: a name is looked up (ignoring case, accents and punctuation) among
the ISO 3166 names in the six UN languages (Arabic, Chinese, English, French, Russian, Spanish, as
pycountry ships them), their short forms where only one country has that short form ("Russie" for
"Russie, Fédération de"; never "Korea"), common variants ("Russia", "Россия", "USA", "DPRK") and the
codes themselves written in capitals. A name found nowhere is reported by the callers, never
guessed: "Korea", "Atlantis", "XXX" and "0" match no country.

>>> [country_code(name) for name in ("Russie", "Россия", "中国", "Estados Unidos", "XXX", "0")]
['RUS', 'RUS', 'CHN', 'USA', None, None]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

UN_LANGUAGES = ("ar", "zh_CN", "zh_TW", "fr", "ru", "es")
# Variants pycountry does not list (former, informal and everyday names seen in real exports).
_COUNTRY_ALIASES = {
    "RUS": ("russia", "россия", "rusia", "روسيا", "俄国", "俄羅斯"),
    "USA": ("usa", "us", "u s", "u s a", "america", "united states of america", "eeuu", "ee uu", "сша", "أمريكا"),
    "GBR": ("uk", "u k", "britain", "great britain", "royaume uni", "reino unido"),
    "CHN": ("prc", "people's republic of china", "china prc"),
    "PRK": ("dprk", "north korea", "corea del norte", "corée du nord", "северная корея", "朝鲜", "كوريا الشمالية"),
    "KOR": ("rok", "south korea", "republic of korea", "corea del sur", "corée du sud", "южная корея", "韩国"),
    "IRN": ("iran", "persia"),
    "SYR": ("syria",),
    "VNM": ("vietnam",),
    "TUR": ("turkey", "turkiye"),
    "CZE": ("czech republic",),
    "CIV": ("ivory coast",),
    "SWZ": ("swaziland",),
    "MKD": ("macedonia",),
    "MMR": ("burma",),
    "CPV": ("cape verde",),
    "TLS": ("east timor",),
    "XKX": ("kosovo",),
    "NLD": ("holland", "the netherlands"),
    "ARE": ("uae", "emirates"),
    "PSE": ("palestine",),
    "VAT": ("vatican", "vatican city"),
    "BRN": ("brunei",),
    "FSM": ("micronesia",),
}
_NOT_A_COUNTRY = {
    "",
    "unknown",
    "not available",
    "none",
    "n a",
    "na",
    "nan",
    "nat",
    "unattributed",
    "inconnu",
    "desconocido",
    "неизвестно",
}
#: Codes in use that ISO 3166 does not list (Kosovo's, as the EU and the World Bank write it).
_EXTRA_CODES = {"XKX"}


def _key(text: str) -> str:
    """A name compared ignoring case, accents, diacritics and punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


def _names(country) -> list[str]:
    return [getattr(country, attribute, None) or "" for attribute in ("name", "official_name", "common_name")]


def _variants(text: str) -> tuple[list[str], str | None]:
    """(full forms, the short form) of a name: "Iran, Islamic Republic of" is also "Islamic Republic of Iran"."""
    if ", " not in text:
        return [text], None
    head, tail = text.split(", ", 1)
    return [text, f"{tail} {head}"], head


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    import gettext

    import pycountry

    translations = [gettext.NullTranslations()]
    for language in UN_LANGUAGES:
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:
            continue
    full: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for english in filter(None, _names(country)):
            for translation in translations:
                forms, head = _variants(translation.gettext(english))
                for form in forms:
                    full.setdefault(_key(form), set()).add(country.alpha_3)
                if head:
                    short.setdefault(_key(head), set()).add(country.alpha_3)
    index = {key: codes.pop() for key, codes in full.items() if len(codes) == 1}
    index.update({key: codes.pop() for key, codes in short.items() if len(codes) == 1 and key not in full})
    index.update({_key(alias): code for code, aliases in _COUNTRY_ALIASES.items() for alias in aliases})
    return index


@lru_cache(maxsize=1)
def _codes() -> tuple[frozenset[str], dict[str, str]]:
    import pycountry

    alpha3 = frozenset(c.alpha_3 for c in pycountry.countries) | _EXTRA_CODES
    return alpha3, {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX"}


def is_country_code(text: str) -> bool:
    """True for a real ISO 3166 alpha-3 code (``XXX`` is none)."""
    return text in _codes()[0]


def match_country(name: object) -> tuple[str | None, str]:
    """(ISO3 code or None, kind): kind is "country", "none" (Unknown, empty), "region" or "unknown"."""
    cleaned = str(name or "").strip().strip("'\"").strip()
    key = _key(cleaned)
    if key in _NOT_A_COUNTRY:
        return None, "none"
    alpha3, alpha2 = _codes()
    if cleaned in alpha3:
        return cleaned, "country"
    if cleaned in alpha2:
        return alpha2[cleaned], "country"
    code = _index().get(key) or _index().get(key.removeprefix("the "))
    if code:
        return code, "country"
    if re.search(r"\(region\)$|\bregion$", cleaned, re.I):
        return None, "region"
    return None, "unknown"


@lru_cache(maxsize=8192)
def country_code(name: str) -> str | None:
    """ISO3 code for a country name in any common spelling, or None if it names no single country."""
    return match_country(name)[0]


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def _list_items(text: str) -> list[str]:
    """The strings in a Python-list cell (nested lists flattened), read without evaluating anything."""
    items = [single or double for single, double in _QUOTED.findall(text)]
    if items or not text.strip("[] ,"):
        return items
    return [part for part in re.split(r"[\[\],]+", text) if part.strip()]


def _parts(cell: object) -> list[str]:
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    text = str(cell).strip()
    if text.startswith("["):
        return _list_items(text)
    if ";" in text:
        return text.split(";")
    return _rejoin_commas(text.split(","))


def read_countries(cell: object) -> tuple[list[str], list[str]]:
    """(ISO3 codes, the names in the cell that are no country: regions, groups, unknown names).

    >>> read_countries("['Russie', 'Europe (region)', 'Atlantis', 'Unknown']")
    (['RUS'], ['Europe (region)', 'Atlantis'])
    """
    codes, others = [], []
    for part in _parts(cell):
        code, kind = match_country(part)
        if code:
            codes.append(code)
        elif kind != "none":
            others.append(part.strip())
    return list(dict.fromkeys(codes)), list(dict.fromkeys(others))


def split_countries(cell: object) -> list[str]:
    """ISO3 codes in a multi-valued cell: a Python list literal, '; '-joined, or comma-joined names.

    Comma-joined names are split carefully: 'Palestine, State of' and 'Korea, Republic of' are one
    country each. Names that are no country are left out here; :func:`read_countries` returns them.
    """
    return read_countries(cell)[0]


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
