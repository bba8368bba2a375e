"""What a non-programmer's file may leave out, and what the kit can fill in for it.

A plain "Title, Date, Type, Summary" file should load: headers are matched in words, an id is made
from the name and year, a date's precision is read from its form, and a neutral default is used
where the file is silent (each said in the import report). :func:`column_guide` says before an
upload which columns a file needs.
"""

from __future__ import annotations

import re

import pandas as pd

from briefing import data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "file"


# Headers people write, for the kit's column names (compared in lower case, spaces as "_").
HEADER_SYNONYMS = {
    "title": "name",
    "incident": "name",
    "date": "start_date",
    "start": "start_date",
    "type": "incident_type",
    "description": "summary",
    "attribution": "attributed_actor",
    "end": "end_date",
}
# Columns the kit can fill when a file leaves them out, table by table: what it fills in and why.
DEFAULTS = {
    "incidents": {"attribution_status": ("unattributed", "the file does not say who was held responsible")},
}
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def column_guide(table: str) -> pd.DataFrame:
    """The columns of ``table`` a file must have, may have, and which the kit fills in itself.

    >>> guide = column_guide("incidents")
    >>> guide.loc[guide["column"] == "incident_id", "in your file"].item()
    'optional: made from the name and the date'
    """
    key = data.primary_key(table)
    rows = []
    for spec in data.fields(table):
        column = spec["name"]
        required = spec.get("constraints", {}).get("required", False)
        if column in key and len(key) == 1 and "name" in {f["name"] for f in data.fields(table)}:
            need = "optional: made from the name and the date"
        elif column.endswith("precision") or column == "date_precision":
            need = "optional: read from the date's form (2021, 2021-05 or 2021-05-07)"
        elif column in DEFAULTS.get(table, {}):
            need = f"optional: {DEFAULTS[table][column][0]!r} when missing"
        elif column == "source_id":
            need = "optional: your file is credited as the source"
        else:
            need = "required" if required else "optional"
        allowed = spec.get("constraints", {}).get("enum")
        rows.append(
            {
                "column": column,
                "in your file": need,
                "description": spec.get("description", ""),
                "allowed values": ", ".join(allowed) if allowed else "",
            }
        )
    return pd.DataFrame(rows)


def match_headers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Headers renamed to the kit's columns where they match ignoring case and spaces, or a synonym."""
    declared = {spec["name"] for spec in data.fields(table)}
    renames: dict[str, str] = {}
    for column in frame.columns:
        key = re.sub(r"\s+", "_", str(column).strip().lower())
        target = key if key in declared else HEADER_SYNONYMS.get(key)
        if target is not None and target in declared and target not in frame.columns and target not in renames.values():
            renames[column] = target
    return frame.rename(columns=renames)


def fill_derivable(frame: pd.DataFrame, table: str) -> tuple[pd.DataFrame, list[str]]:
    """The columns the kit can derive, filled where the file lacks them; and what was derived."""
    frame = frame.copy()
    declared = [spec["name"] for spec in data.fields(table)]
    said = []
    for date_column, precision_column in (("start_date", "date_precision"), ("date", "date_precision")):
        if date_column in frame.columns and precision_column in declared and precision_column not in frame.columns:
            dates = frame[date_column].astype("string").str.strip()
            frame[precision_column] = dates.map(
                lambda text: (
                    "year"
                    if isinstance(text, str) and _YEAR.match(text)
                    else "month"
                    if isinstance(text, str) and _YEAR_MONTH.match(text)
                    else "day"
                )
            )
            frame[date_column] = dates.map(_full_date)
            said.append(f"{precision_column} read from the form of each {date_column}")
    key = data.primary_key(table)
    if len(key) == 1 and key[0] not in frame.columns and "name" in frame.columns:
        dates = frame.get("start_date", frame.get("date", pd.Series([""] * len(frame))))
        years = [re.search(r"\d{4}", str(date)) for date in dates]
        stems = [
            _slug(str(name))[:40] + (f"_{year.group(0)}" if year else "") for name, year in zip(frame["name"], years)
        ]
        seen: dict[str, int] = {}
        ids = []
        for stem in stems:
            seen[stem] = seen.get(stem, 0) + 1
            ids.append(stem if seen[stem] == 1 else f"{stem}_{seen[stem]}")
        frame[key[0]] = ids
        said.append(f"{key[0]} made from each row's name and year")
    for column, (value, why) in DEFAULTS.get(table, {}).items():
        if column not in frame.columns:
            frame[column] = value
            said.append(f"{column} set to {value!r} ({why})")
    return frame, said


def _full_date(text):
    """ "2021" -> "2021-01-01", "2021-5" -> "2021-05-01"; other text unchanged (checked later)."""
    if not isinstance(text, str):
        return text
    if _YEAR.match(text):
        return f"{text}-01-01"
    month = _YEAR_MONTH.match(text)
    return f"{month.group(1)}-{int(month.group(2)):02d}-01" if month else text
