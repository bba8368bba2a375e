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
from briefing.importers.dates import read_date


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


def _header_key(header: str) -> str:
    return re.sub(r"\s+", "_", str(header).strip().lower())


def _target(header: str, declared: set[str]) -> str | None:
    key = _header_key(header)
    target = key if key in declared else HEADER_SYNONYMS.get(key)
    return target if target in declared else None


def match_headers(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Headers renamed to the kit's columns where they match ignoring case and spaces, or a synonym."""
    declared = {spec["name"] for spec in data.fields(table)}
    renames: dict[str, str] = {}
    for column in frame.columns:
        target = _target(column, declared)
        if target is not None and target not in frame.columns and target not in renames.values():
            renames[column] = target
    return frame.rename(columns=renames)


def _source(header: str, target: str, mapping: dict[str, str]) -> str:
    return f"the mapping {header!r} to {target!r}" if header in mapping else f"the column {header!r}"


def resolve_columns(
    headers: list[str], table: str, mapping: dict[str, str] | None = None, repeated: dict[str, list[int]] | None = None
) -> tuple[dict[str, str], list[str]]:
    """({file header: kit column}, notes): the mapping first, then names and synonyms.

    Raises :class:`ValueError` with a reader's message when two headers would fill one kit column
    (a header repeated after trimming spaces, or a mapping onto a column the file also has), or a
    mapping names a column the table does not have.
    """
    declared = {spec["name"] for spec in data.fields(table)}
    mapping = {str(k).strip(): str(v).strip() for k, v in (mapping or {}).items()}
    wrong = {source: target for source, target in mapping.items() if target not in declared}
    if wrong:
        source, column = next(iter(wrong.items()))
        raise ValueError(
            f"the mapping {source!r} to {column!r}: the {table} table has no column {column!r}; "
            f"its columns are {', '.join(sorted(declared))}"
        )
    notes = [
        f"The mapping names {source!r}, which is not a header in the file."
        for source in mapping
        if source not in headers
    ]
    for name, positions in (repeated or {}).items():
        target: str | None = mapping.get(name) or _target(name, declared)
        where = ", ".join(str(p) for p in positions[:-1]) + f" and {positions[-1]}"
        every = "both" if len(positions) == 2 else "all"
        if target:
            raise ValueError(
                f"columns {where} are {every} headed {name!r} (after trimming spaces), so the kit cannot tell which "
                f"holds {target}: rename or remove {'one' if every == 'both' else 'all but one'}"
            )
        notes.append(f"Columns {where} are {every} headed {name!r}; that is no kit column, so none was read.")
    renames: dict[str, str] = {}
    for header in headers:
        target = mapping.get(header) or (None if header in mapping else _target(header, declared))
        if target is None:
            continue
        clash = next((other for other, used in renames.items() if used == target), None)
        if clash is not None:
            first, second = (_source(h, target, mapping) for h in (clash, header))
            raise ValueError(f"{first} and {second} would both fill {target}: map or keep only one")
        renames[header] = target
    unused = [h for h in headers if h not in renames and h.split(" (column ")[0] not in (repeated or {})]
    if unused:
        notes.append(
            f"Columns not read (the {table} table has no such column): {', '.join(unused)}. "
            "Map one to a kit column to read it."
        )
    return renames, notes


def _precision(value: object) -> str:
    """The precision a date's form gives (2021: year, 2021-05: month, else day)."""
    return read_date(value).precision or "day"


def _make_ids(frame: pd.DataFrame, taken: set[str]) -> tuple[list[str], int]:
    """Ids from each row's name and year, unique in the file and apart from ``taken`` (curated ids)."""
    dates = frame.get("start_date", frame.get("date", pd.Series([""] * len(frame), index=frame.index)))
    years = [(read_date(date).iso or "")[:4] or (re.search(r"\d{4}", str(date)) or [""])[0] for date in dates]
    stems = [_slug(str(name))[:40] + (f"_{year}" if year else "") for name, year in zip(frame["name"], years)]
    seen: dict[str, int] = {}
    ids, moved = [], 0
    for stem in stems:
        seen[stem] = seen.get(stem, 0) + 1
        candidate = stem if seen[stem] == 1 else f"{stem}_{seen[stem]}"
        while candidate in taken:
            seen[stem] += 1
            candidate = f"{stem}_{seen[stem]}"
            moved += 1
        taken.add(candidate)
        ids.append(candidate)
    return ids, moved


def fill_derivable(frame: pd.DataFrame, table: str, *, taken: set[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The columns the kit can derive, filled where the file lacks them; and what was derived.

    Ids are made apart from ``taken`` (the curated ids), so an import never reuses one.
    """
    frame = frame.copy()
    declared = [spec["name"] for spec in data.fields(table)]
    said = []
    for date_column, precision_column in (("start_date", "date_precision"), ("date", "date_precision")):
        if date_column in frame.columns and precision_column in declared and precision_column not in frame.columns:
            frame[precision_column] = frame[date_column].map(_precision)
            said.append(f"{precision_column} read from the form of each {date_column}")
    key = data.primary_key(table)
    if len(key) == 1 and key[0] not in frame.columns and "name" in frame.columns:
        frame[key[0]], moved = _make_ids(frame, set(taken or ()))
        clash = (
            f" ({moved} would have been a curated id, so they end in a number: check they are not a curated row again)"
        )
        said.append(f"{key[0]} made from each row's name and year" + (clash if moved else ""))
    for column, (value, why) in DEFAULTS.get(table, {}).items():
        if column not in frame.columns:
            frame[column] = value
            said.append(f"{column} set to {value!r} ({why})")
    return frame, said
