"""How codes, countries and counts read: the labels ``datapackage.json`` declares, and words for the rest.

Display labels are declared once, on the enum fields of ``data/datapackage.json``
(``"enumLabels": {code: label}``), and read through :func:`briefing.data.labels`; a code without a
declared label reads as its words ("data_theft" -> "Data theft"), an ISO 3166 code as its country.
"""

from __future__ import annotations

import pandas as pd

from briefing import data

# Codes a reader should see spelled differently from "the code with spaces".
_SPECIAL_WORDS = {"ddos": "DDoS", "un": "UN", "eu": "EU", "ngo": "NGO", "itu": "ITU"}


def words(code: str) -> str:
    """A schema code as a reader says it: "data_theft" -> "Data theft", "ddos" -> "DDoS".

    >>> words("data_theft"), words("ddos"), words("civil_society")
    ('Data theft', 'DDoS', 'Civil society')
    """
    parts = [_SPECIAL_WORDS.get(part, part) for part in str(code).split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def country_name(code: str) -> str:
    """A country's common name from its ISO 3166 alpha-3 code ("EUU" is the European Union).

    >>> country_name("MCO"), country_name("GBR"), country_name("EUU")
    ('Monaco', 'United Kingdom', 'European Union')
    """
    import pycountry

    if code == "EUU":
        return "European Union"
    country = pycountry.countries.get(alpha_3=str(code))
    return getattr(country, "common_name", None) or (country.name if country else str(code))


def label(table: str, column: str, value) -> str:
    """How one code of ``table.column`` reads: its label in ``datapackage.json``, else its words.

    >>> label("forums", "participation", "states_only"), label("incidents", "incident_type", "ddos")
    ('A limited group of states', 'DDoS')
    """
    code = str(value)
    declared = data.labels(table, column).get(code)
    return declared or (country_name(code) if column.endswith("iso3") else words(code))


def in_sentence(text: str) -> str:
    """A label as it reads inside a sentence: "Data theft" -> "data theft", but "DDoS" stays "DDoS".

    >>> in_sentence("Data theft"), in_sentence("DDoS"), in_sentence("UN process")
    ('data theft', 'DDoS', 'UN process')
    """
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def labelled(codes: pd.Series, table: str, column: str) -> pd.Series:
    """:func:`label` of every code in ``codes`` (a missing code stays missing)."""
    names = {code: label(table, column, code) for code in codes.dropna().unique()}
    return codes.map(names)


def label_of(column: str, value) -> str:
    """How a value of ``column`` reads on a chart or picker: country names for ISO codes, words otherwise."""
    return country_name(value) if column.endswith("iso3") else words(value)


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """``count`` and its noun in the right number: "1 incident", "2 incidents", "0 sources".

    >>> count_of(1, "incident"), count_of(3, "country", "countries")
    ('1 incident', '3 countries')
    """
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"
