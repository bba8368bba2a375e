"""What ``briefing validate`` and :func:`briefing.data.load` check: Frictionless's schema, types and keys,
and the package's promises its schema language cannot state.

The kit's own rules: an ``as_of`` date; text in UTF-8; rows no wider than the header; a date known to
the month on the 1st, one known to the year on 1 January (the field's ``precisionField`` names the
column that says which); an end no earlier than its start (``notBefore``); no date after ``as_of``.
Every problem is a dict naming file, row, column, value and what was expected.

Examples
--------
>>> as_of_problems({"name": "kit"}, "datapackage.json")[0]["expected"]
'an "as_of" date: the day the data describes the world as of, e.g. "as_of": "2026-11-30"'
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def problem(file: str, row: int | None, column: str | None, value: object, expected: str) -> dict:
    """One problem, in the shape :class:`briefing.data.ValidationResult` tables show."""
    return {"file": file, "row": row, "column": column, "value": value, "expected": expected}


def summary(problems: list[dict]) -> str:
    """The first problem in one line ("file, row 3, column 'x': got 'y', expected z"), and how many more."""
    first = problems[0]
    place = ", ".join(
        part
        for part in (
            first["file"],
            f"row {first['row']}" if first["row"] is not None else "",
            f"{'key' if first['file'].endswith('.json') else 'column'} {first['column']!r}"
            if first["column"] is not None
            else "",
        )
        if part
    )
    got = f"got {first['value']!r}, " if first["value"] is not None else ""
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{place}: {got}expected {first['expected']}{more}"


def as_of_problems(descriptor: dict, file: str) -> list[dict]:
    """The package's ``as_of`` date: present, and a real date as YYYY-MM-DD."""
    value = descriptor.get("as_of")
    if value is None:
        expected = 'an "as_of" date: the day the data describes the world as of, e.g. "as_of": "2026-11-30"'
        return [problem(file, None, "as_of", None, expected)]
    try:
        datetime.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError(value)
    except (TypeError, ValueError):
        return [problem(file, None, "as_of", value, "a date as YYYY-MM-DD")]
    return []


def utf8_problem(path: Path, file: str) -> dict | None:
    """Where ``path`` stops being UTF-8 text (row and column of the first bad byte), or None."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as bad:
        start = bad.start
    line_start = raw.rfind(b"\n", 0, start) + 1
    first_line = raw.split(b"\n", 1)[0]
    header = next(csv.reader([first_line.decode("utf-8" if start > len(first_line) else "latin-1")]), [])
    before = next(csv.reader([raw[line_start:start].decode("latin-1")]), [""])
    column = header[len(before) - 1] if 0 < len(before) <= len(header) else None
    try:
        looks = f"Windows-1252 or Latin-1 text ({raw[start : start + 1].decode('cp1252')!r} is byte 0x{raw[start]:02x})"
    except UnicodeDecodeError:
        looks = f"not UTF-8 (byte 0x{raw[start]:02x})"
    expected = f"UTF-8 text; this is {looks}: save the file again as UTF-8"
    return problem(file, raw.count(b"\n", 0, start) + 1, column, None, expected)


def unreadable_problems(path: Path, file: str, error: Exception) -> list[dict]:
    """Why pandas could not read ``path``: where it stops being UTF-8, or which rows are too wide."""
    found = [utf8_problem(path, file)] if isinstance(error, UnicodeDecodeError) else width_problems(path, file)
    return [p for p in found if p] or [problem(file, None, None, None, str(error))]


def width_problems(path: Path, file: str) -> list[dict]:
    """Rows with more fields than the header (pandas would drop the extra or shift the row)."""
    problems = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                expected = f"{len(header)} fields, as the header has; got {len(row)} (an unquoted comma in a cell?)"
                problems.append(problem(file, reader.line_num, f"(beyond {header[-1]})", row[len(header)], expected))
    return problems


def _flags(values: pd.Series, wanted: str):
    return values.eq(wanted).to_numpy(dtype=bool, na_value=False)


def _period_end(dates: pd.Series, precision: pd.Series | None) -> pd.Series:
    """The last day each date may stand for: the end of its month or year when known only to that."""
    if precision is None:
        return dates
    end = dates.copy()
    months, years = _flags(precision, "month"), _flags(precision, "year")
    end[months] = dates[months] + pd.offsets.MonthEnd(0)
    end[years] = dates[years] + pd.offsets.YearEnd(0)
    return end


def date_problems(frame: pd.DataFrame, fields: list[dict], file: str, *, as_of: str | None = None) -> list[dict]:
    """Dates that claim more than their precision says, ends before their starts, dates after ``as_of``."""
    problems: list[dict] = []
    by_name = {field["name"]: field for field in fields}

    def flag(mask, column: str, expected: str) -> None:
        for index in frame.index[mask]:
            problems.append(problem(file, int(index) + 2, column, str(frame.at[index, column].date()), expected))

    for name, field in by_name.items():
        if field.get("type") != "date" or name not in frame:
            continue
        dates, precision_name = frame[name], field.get("precisionField")
        precision = frame.get(precision_name)
        if precision is not None:
            said = f"{precision_name} says"
            flag(_flags(precision, "month") & (dates.dt.day != 1).to_numpy(bool), name, f"the 1st ({said} month)")
            off_new_year = (dates.dt.day_of_year != 1).to_numpy(dtype=bool, na_value=False)
            flag(_flags(precision, "year") & off_new_year, name, f"1 January ({said} year)")
        start = field.get("notBefore")
        if start in frame:
            early = (_period_end(dates, precision) < frame[start]).to_numpy(dtype=bool, na_value=False)
            flag(early, name, f"a date on or after {start} (an end cannot come before its start)")
        if as_of is not None:
            late = (dates > pd.Timestamp(as_of)).to_numpy(dtype=bool, na_value=False)
            flag(late, name, f"a date no later than the data's as-of date {as_of}")
    return problems


def frictionless_problems(descriptor_path: Path) -> list[dict]:
    """What the Frictionless framework finds (schemas, types, constraints, primary and foreign keys)."""
    # Imported here: frictionless is heavy and only validation needs it.
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=True):
            report = Package(str(descriptor_path)).validate()
    except FrictionlessException as exc:
        reasons = [reason.message for reason in exc.reasons] or [exc.error.message]
        return [problem(str(descriptor_path), None, None, None, reason) for reason in reasons]
    problems = [
        problem(
            task.name + ".csv" if task.name else str(descriptor_path),
            getattr(error, "row_number", None),
            getattr(error, "field_name", None),
            getattr(error, "cell", None),
            error.message,
        )
        for task in report.tasks
        for error in task.errors
    ]
    return problems + [problem(str(descriptor_path), None, None, None, error.message) for error in report.errors]


def with_own_problems(
    found: list[dict],
    descriptor_path: Path,
    load: Callable[[Path, list[dict]], pd.DataFrame],
    unreadable: type[Exception],
) -> list[dict]:
    """Frictionless's problems (``found``) and the kit's own: the as-of date, text not in UTF-8 (with row
    and column, in place of Frictionless's bare "could not be decoded"), dates against their
    precision, their start and the as-of date. ``load(path, fields)`` reads a table typed, raising
    ``unreadable`` with its ``problems`` when it cannot."""
    try:
        declared = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resources = [(item["path"], item["schema"]["fields"]) for item in declared["resources"]]
    except (OSError, ValueError, KeyError, TypeError):
        return found  # Frictionless has said what is wrong with the descriptor
    own = as_of_problems(declared, descriptor_path.name)
    as_of = None if own else declared["as_of"]
    reported = {p["file"] for p in found}
    for path, declared_fields in resources:
        try:
            frame = load(descriptor_path.parent / path, declared_fields)
        except unreadable as error:
            said = getattr(error, "problems", [])
            own += [dict(p, file=path) for p in said if path not in reported or "UTF-8" in p["expected"]]
        except (OSError, ValueError):
            continue  # a missing file: Frictionless reports it
        else:
            own += date_problems(frame, declared_fields, path, as_of=as_of)
    if any("UTF-8" in p["expected"] for p in own):
        found = [p for p in found if "could not be successfully decoded" not in str(p["expected"])]
    return found + own
