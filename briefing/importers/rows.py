"""Rows against a kit table's schema: each cell, then what holds across cells and across rows.

Across cells: a date agrees with its precision (a month-precision date is on the 1st), an end is not
before its start. Across rows: a primary key is used once, and not by a curated row. Loaded rows
with something to check (a date before 1946 or after the data's as-of date) are flagged.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from briefing import data
from briefing.importers.cells import check_cell
from briefing.importers.dates import read_date
from briefing.importers.report import ImporterError, problem, problem_frame

ORIGIN = "origin"
#: Dates before this are flagged: the kit's subjects begin after 1945, and 1900 often means "no date".
EARLIEST_PLAUSIBLE = "1946-01-01"


class Checked(NamedTuple):
    """Rows that fit (typed, each with its origin), the problems of those that do not, and flags."""

    typed: pd.DataFrame
    rejected: pd.DataFrame
    flagged: pd.DataFrame


def precision_pairs(table: str) -> list[tuple[str, str]]:
    """(date column, its precision column) pairs of ``table`` (``date_precision`` goes with ``start_date``)."""
    names = [spec["name"] for spec in data.fields(table)]
    pairs = []
    for name in names:
        if name.endswith("_precision"):
            prefix = name.removesuffix("_precision")
            candidates = [f"{prefix}_date"] + (["start_date", "date"] if prefix == "date" else [])
            date = next((column for column in candidates if column in names), None)
            if date:
                pairs.append((date, name))
    return pairs


class _Rules:
    """What every row of one table is checked for, worked out once; a repeated cell value is checked once."""

    CACHED_VALUES = 100_000

    def __init__(self, table: str, decimal_comma: bool):
        self.fields = data.fields(table)
        self.pairs = precision_pairs(table)
        self.dates = [spec["name"] for spec in self.fields if spec.get("type") == "date"]
        self.as_of = data.as_of()
        self.decimal_comma = decimal_comma
        # Free text is cheap to check and rarely repeats; codes, dates and numbers often do.
        self.cache: dict[str, dict] = {
            spec["name"]: {}
            for spec in self.fields
            if spec.get("type", "string") != "string" or spec.get("constraints")
        }
        self.forms: dict[object, str] = {}

    def _results(self, spec: dict, values: list) -> list[tuple]:
        """(converted, problem) for each cell of one column."""
        cache = self.cache.get(spec["name"])
        decimal_comma = self.decimal_comma
        if cache is None:  # free text: kept as written, stripped
            return [
                (value.strip(), None)
                if isinstance(value, str) and value.strip()
                else check_cell(value, spec, decimal_comma=decimal_comma)
                for value in values
            ]

        def checked(value: object) -> tuple:
            if not isinstance(value, str):  # 1, 1.0 and True are equal keys but different cells
                return check_cell(value, spec, decimal_comma=decimal_comma)
            found = cache.get(value)
            if found is None:
                found = check_cell(value, spec, decimal_comma=decimal_comma)
                if len(cache) < self.CACHED_VALUES:
                    cache[value] = found
            return found

        return [checked(value) for value in values]

    def columns(self, frame: pd.DataFrame) -> tuple[dict[str, list], dict[str, list], dict[int, list]]:
        """(cells, converted values, problems by row position), column by column."""
        count = len(frame)
        cells: dict[str, list] = {}
        converted: dict[str, list] = {}
        problems: dict[int, list] = {}
        for spec in self.fields:
            name = spec["name"]
            if name in frame.columns:
                cells[name] = frame[name].tolist()
                results = self._results(spec, cells[name])
            else:
                cells[name] = [None] * count
                results = [check_cell(None, spec)] * count
            converted[name] = [result for result, _ in results]
            for position, (_, why) in enumerate(results):
                if why:
                    problems.setdefault(position, []).append((name, cells[name][position], why))
        return cells, converted, problems

    def form(self, raw: object) -> str:
        """The precision a date's form gives (2021: year, 2021-05: month, else day)."""
        key = raw if isinstance(raw, str) else repr(raw)
        if key not in self.forms:
            self.forms[key] = read_date(raw).precision or "day"
        return self.forms[key]

    def across(self, at: int, cells: dict[str, list], converted: dict[str, list]) -> list[tuple[str, object, str]]:
        """(column, value, expected) for what the cells of row ``at`` say about each other."""
        found = []
        for date_column, precision_column in self.pairs:
            iso, precision = converted[date_column][at], converted[precision_column][at]
            if iso and precision:
                why = _precision_problem(self.form(cells[date_column][at]), iso, precision)
                if why:
                    found.append((date_column, cells[date_column][at], why))
        if "start_date" in converted and "end_date" in converted:
            start, end = converted["start_date"][at], converted["end_date"][at]
            if start and end and end < start:
                found.append(("end_date", cells["end_date"][at], f"an end_date on or after the start_date ({start})"))
        return found

    def flags(self, at: int, converted: dict[str, list]) -> list[tuple[str, object, str]]:
        """Dates a reader should check: before 1946 (a placeholder?) or after the data's as-of date."""
        flags = []
        for column in self.dates:
            value = converted[column][at]
            if value and value < EARLIEST_PLAUSIBLE:
                why = "a date from 1946 on; is this one a placeholder? (1900 often stands for 'no date')"
                flags.append((column, value, why))
            elif value and value > self.as_of:
                flags.append((column, value, f"a date up to the data's as-of date ({self.as_of}): planned, or a typo?"))
        return flags


def _precision_problem(form: str, iso: str, precision: str) -> str | None:
    """Why a date (of that ``form``: year, month or day) and its declared precision disagree."""
    order = ["year", "month", "day"]
    if precision not in order:
        return None
    if order.index(form) < order.index(precision):
        return f"a date to the {precision} (date_precision says {precision}, but the date gives only the {form})"
    if precision == "month" and not iso.endswith("-01"):
        return "the 1st of the month (the date's precision is month): write YYYY-MM or YYYY-MM-01"
    if precision == "year" and not iso.endswith("-01-01"):
        return "1 January (the date's precision is year): write YYYY or YYYY-01-01"
    return None


def _key_problems(keys: list[tuple], numbers: list[int], table: str, key: list[str]) -> dict[int, tuple[str, str, str]]:
    """Rows (by position) whose primary key an earlier row or a curated row already uses."""
    seen: dict[tuple, int] = {}
    found: dict[int, tuple[str, str, str]] = {}
    curated = _curated_keys(table, key)
    for position, (value, number) in enumerate(zip(keys, numbers)):
        shown_value = ", ".join(str(v) for v in value)
        if value in seen:
            what = key[0] if len(key) == 1 else "combination of " + ", ".join(key)
            found[position] = (key[0], shown_value, f"a unique {what} (row {seen[value]} has the same)")
        elif value in curated:
            why = f"an id the curated data does not use ({shown_value} is the curated {curated[value]!r}): give yours another"
            found[position] = (key[0], shown_value, why)
        else:
            seen[value] = number
    return found


def _curated_keys(table: str, key: list[str]) -> dict[tuple, str]:
    if len(key) != 1:
        return {}
    curated = data.load(table)
    names = curated["name"] if "name" in curated.columns else curated[key[0]]
    return {(str(value),): str(name) for value, name in zip(curated[key[0]], names)}


def as_text(value):
    """Back to the text form the schema-driven loader expects."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def check_table(
    frame: pd.DataFrame,
    table: str,
    *,
    label: str,
    row_numbers: list[int] | None = None,
    lines: list[int] | None = None,
    decimal_comma: bool = False,
) -> Checked:
    """Split ``frame`` into rows that fit ``table``'s schema (typed), rejections and flags.

    Row numbers count as a spreadsheet does (the header is row 1) unless ``row_numbers`` gives the
    file's own numbers for each row; ``lines`` the lines where the rows begin (the same by default).
    """
    rules = _Rules(table, decimal_comma)
    numbers = list(row_numbers) if row_numbers is not None else list(range(2, len(frame) + 2))
    starts = list(lines) if lines is not None else numbers
    cells, converted, problems = rules.columns(frame)
    for at in range(len(frame)):
        if at not in problems:
            across = rules.across(at, cells, converted)
            if across:
                problems[at] = across
    good = [at for at in range(len(frame)) if at not in problems]
    key = [column for column in data.primary_key(table) if column in converted]
    if key:
        keys = [tuple(converted[column][at] for column in key) for at in good]
        for position, clash in _key_problems(keys, [numbers[at] for at in good], table, key).items():
            problems[good[position]] = [clash]
        good = [at for at in good if at not in problems]
    rejected = [problem(label, numbers[at], starts[at], *found) for at in sorted(problems) for found in problems[at]]
    flagged = [problem(label, numbers[at], starts[at], *flag) for at in good for flag in rules.flags(at, converted)]
    columns = {name: [as_text(values[at]) for at in good] for name, values in converted.items()}
    columns[ORIGIN] = [f"{label}, row {numbers[at]}" for at in good]
    return Checked(_typed(columns, table, label), problem_frame(rejected), problem_frame(flagged))


def _typed(columns: dict[str, list], table: str, label: str) -> pd.DataFrame:
    try:
        typed = data.typed_frame(pd.DataFrame(columns, dtype=object), table, source_name=label)
    except data.DataPackageError as exc:  # the checks above should make this impossible; say it plainly
        raise ImporterError(f"{label}: a row passed the importer's checks but not the kit's loader ({exc}).") from exc
    typed[ORIGIN] = typed[ORIGIN].astype("string")
    return typed


def check_rows(
    frame: pd.DataFrame, table: str, *, label: str, row_numbers: list[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(typed rows that fit ``table``, the problems of those that do not): :func:`check_table` without flags."""
    checked = check_table(frame, table, label=label, row_numbers=row_numbers)
    return checked.typed, checked.rejected
