"""One cell against its declared field: the value as the kit stores it, or what was expected instead."""

from __future__ import annotations

import math
import re

import pandas as pd

from briefing.importers.countries import country_code, is_country_code
from briefing.importers.dates import read_date

#: The largest whole number a cell may hold (beyond it, numbers lose their last digits).
LARGEST_WHOLE = 2**53
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(
    r"[+-]?\d{1,3}(?:[. \u00a0\u202f]\d{3})*,\d+|[+-]?\d+,\d+|[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
)
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan|∞)", re.I)


def is_missing(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def is_country_field(spec: dict) -> bool:
    """Fields that hold an ISO 3166 alpha-3 code (named ``..._iso3``)."""
    return spec["name"].endswith("_iso3")


def read_number(value: object, kind: str, *, decimal_comma: bool = False) -> tuple[float | None, str | None]:
    """(the number, None) or (None, what was expected); ``kind`` is "number" or "integer"."""
    expected = "a whole number" if kind == "integer" else "a number"
    if isinstance(value, bool):
        return None, expected
    if isinstance(value, (int, float)):
        number = float(value)
        text = str(value)
    else:
        text = str(value).strip()
        if decimal_comma and _DECIMAL_COMMA.fullmatch(text):
            text = re.sub(r"[. \u00a0\u202f]", "", text).replace(",", ".")
        if _NON_FINITE.fullmatch(text):
            return None, f"{expected} that is finite (not {text})"
        if not _NUMBER.fullmatch(text):
            if re.search(r"\d", text) and re.search(r"[$€£¥%,\s]", text):
                return (
                    None,
                    f"{expected} written plainly, without currency signs, spaces or thousands separators (e.g. 1500000 or 1.5e6)",
                )
            return None, expected
        number = float(text)
    if not math.isfinite(number):
        return None, f"{expected} that is finite ({text} is too large to hold)"
    if kind == "integer":
        if number % 1:
            return None, expected
        if abs(number) > LARGEST_WHOLE:
            return None, f"a whole number no larger than {LARGEST_WHOLE:,}"
    return number, None


def _check_text(text: str, spec: dict) -> tuple[str | None, str | None]:
    constraints = spec.get("constraints", {})
    if "enum" in constraints and text not in constraints["enum"]:
        # "Ransomware" and "data theft" are the kit's "ransomware" and "data_theft".
        folded = re.sub(r"[\s-]+", "_", text.lower())
        if folded in constraints["enum"]:
            return folded, None
        return None, "one of: " + ", ".join(constraints["enum"])
    if is_country_field(spec) and not is_country_code(text):
        code = country_code(text)
        if code is None:
            return None, f"an ISO 3166 alpha-3 country code (e.g. RUS) or a country's name; {text!r} is neither"
        return code, None
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return None, f"text matching {constraints['pattern']}"
    return text, None


def check_cell(value: object, spec: dict, *, decimal_comma: bool = False):
    """(value as the kit's text form, problem or None) for one cell against its declared field.

    Dates come back as ISO text (YYYY-MM-DD), numbers as numbers, true/false as booleans.
    """
    kind = spec.get("type", "string")
    constraints = spec.get("constraints", {})
    if is_missing(value):
        return None, ("a value (this column is required)" if constraints.get("required") else None)
    if kind == "date":
        reading = read_date(value)
        return reading.iso, reading.problem
    if kind in ("integer", "number"):
        number, why = read_number(value, kind, decimal_comma=decimal_comma)
        if why is None and "minimum" in constraints and number is not None and number < constraints["minimum"]:
            return None, f"a number of at least {constraints['minimum']}"
        return number, why
    if kind == "boolean":
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "1.0"):
            return True, None
        if text in ("false", "no", "0", "0.0"):
            return False, None
        return None, "true or false"
    if isinstance(value, pd.Timestamp):
        value = value.isoformat()
    return _check_text(str(value).strip(), spec)
