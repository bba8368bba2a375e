"""Dates as people write them, read as ISO dates with their precision, or refused with the reason.

Forms read: 2017-06-27, 2017/06/27, 2017.06.27, 20170627, 27.06.2017 (day first, as dots always
are), 27/06/2017 and 06/27/2017 when only one reading is a date, June 27 2017, 27 June 2017,
Jun 27, 2017, 27-Jun-2017, 2017-06 and June 2017 (to the month), 2017 (to the year), a time after
the date, and Excel's own date cells and serial day numbers. Refused, each with its own reason:
a quarter (Q2 2017), 05/07/2017 (7 May or 5 July?), a day that does not exist, a year outside
1900-2100.

>>> read_date("27.06.2017"), read_date("June 2017"), read_date("Q2 2017").problem[:10]
(DateReading(iso='2017-06-27', precision='day', problem=None), DateReading(iso='2017-06-01', precision='month', problem=None), 'a date (a ')
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

FIRST_YEAR, LAST_YEAR = 1900, 2100
EXPECTED = "a date as YYYY-MM-DD (or YYYY-MM, or YYYY)"
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_MONTH_NAMES = dict(
    enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
)
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_NAMES = {number: max(names, key=len).capitalize() for number, names in _MONTH_NAMES.items()}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# (pattern, the order of its groups: y m d, or "?" for day/month to be told apart), precision.
_FORMS = [
    (re.compile(r"(\d{4})"), "y", "year"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})"), "ym", "month"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME), "ymd", "day"),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), "ymd", "day"),
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME), "dmy", "day"),
    (re.compile(r"(\d{1,2})[./](\d{4})"), "my", "month"),
    (re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})" + _TIME), "?", "day"),
    (re.compile(r"(\d{1,2})" + _ORDINAL + r"[ -]" + _MONTH + r",?[ -](\d{4})", re.I), "dMy", "day"),
    (re.compile(_MONTH + r" (\d{1,2})" + _ORDINAL + r",? (\d{4})", re.I), "Mdy", "day"),
    (re.compile(_MONTH + r",? (\d{4})", re.I), "My", "month"),
]
_QUARTER = re.compile(r"(?:q([1-4])[ -]?(\d{4})|(\d{4})[ -]?q([1-4]))", re.I)


class DateReading(NamedTuple):
    """An ISO date (YYYY-MM-DD) and its precision (day, month, year), or the problem with the value."""

    iso: str | None
    precision: str | None
    problem: str | None


def _problem(why: str) -> DateReading:
    return DateReading(None, None, why)


def build_date(year: int, month: int, day: int, precision: str) -> DateReading:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        hint = f" ({year:04d} may be a typo)" if year < 1000 else ""
        return _problem(f"a date with a year from {FIRST_YEAR} to {LAST_YEAR}{hint}")
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return _problem(f"a date that exists ({year:04d}-{month:02d}-{day:02d} does not)")
    return DateReading(f"{date.year:04d}-{date.month:02d}-{date.day:02d}", precision, None)


def _from_groups(groups: tuple, order: str, precision: str) -> DateReading:
    if order == "?":
        first, second, year = (int(g) for g in groups)
        if first > 12 >= second:
            return build_date(year, second, first, precision)
        if second > 12 >= first:
            return build_date(year, first, second, precision)
        if first == second:
            return build_date(year, first, first, precision)
        return _problem(
            f"a date as YYYY-MM-DD: is {'/'.join(groups)} {first} {_NAMES[second]} or {second} {_NAMES[first]}? "
            f"Write {year}-{second:02d}-{first:02d} or {year}-{first:02d}-{second:02d}"
        )
    values = dict(zip(order, groups))
    year = int(values["y"])
    month = _MONTHS[values["M"].lower()] if "M" in values else int(values.get("m", 1))
    day = int(values.get("d", 1))
    return build_date(year, month, day, precision)


def read_date(value: object) -> DateReading:
    """``value`` (text, an Excel date cell or serial day number) as a :class:`DateReading`."""
    if isinstance(value, datetime.datetime):
        return build_date(value.year, value.month, value.day, "day")
    if isinstance(value, datetime.date):
        return build_date(value.year, value.month, value.day, "day")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(value)
    text = " ".join(str(value).split())
    for pattern, order, precision in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            return _from_groups(match.groups(), order, precision)
    if _QUARTER.fullmatch(text):
        return _problem(
            "a date (a quarter such as Q2 2017 is no precision the kit has: write the year, 2017, "
            "or the quarter's first month, 2017-04, and say so in a note)"
        )
    return _problem(EXPECTED)


def _from_number(value: float) -> DateReading:
    """A year typed as a number (2017), else an Excel serial day number (42913 is 2017-06-27)."""
    if value != value or value in (float("inf"), float("-inf")) or value % 1:
        return _problem(EXPECTED)
    if 1000 <= value <= 2200:
        return build_date(int(value), 1, 1, "year")
    if 1 <= value < 2958466:  # Excel's last day is 9999-12-31
        date = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return build_date(date.year, date.month, date.day, "day")
    return _problem(EXPECTED)
