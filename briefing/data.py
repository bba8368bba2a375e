"""Load and validate the kit's curated data package.

Everything here is driven by ``data/datapackage.json``: the table names, the column types, the
date columns and the keys are read from it and restated nowhere else.

Examples
--------
>>> from briefing import data
>>> "forums" in data.list_tables()
True
>>> forums = data.load("forums")
>>> forums["start_date"].dtype.kind
'M'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from briefing import checks

DATA_DIR_ENV = "BRIEFING_DATA_DIR"
JUPYTERLITE_DATA = "/drive/data"

# Frictionless field types -> pandas dtypes. Dates are parsed separately (they need a format).
_PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
}


class DataPackageError(Exception):
    """Raised when the data package is missing, malformed or fails validation.

    ``problems`` holds one dict per problem (file, row, column, value, expected) so callers can show
    them as a table.
    """

    def __init__(self, message: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.problems = problems or []


def data_dir() -> Path:
    """The folder that holds ``datapackage.json`` (override with $BRIEFING_DATA_DIR)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return _default_data_dir()


@lru_cache(maxsize=1)
def _default_data_dir() -> Path:
    # Resolved once: every table lookup asks for the folder, and resolving a path hits the disk.
    beside_package = Path(__file__).resolve().parent.parent / "data"
    # In JupyterLite the kit is an installed wheel and the data sits in the browser's drive.
    if not beside_package.exists() and Path(JUPYTERLITE_DATA, "datapackage.json").exists():
        return Path(JUPYTERLITE_DATA)
    return beside_package


@lru_cache(maxsize=4)
def _descriptor(folder: str) -> dict:
    path = Path(folder) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataPackageError(f"{path}: no data package here (set ${DATA_DIR_ENV}?)") from exc
    except json.JSONDecodeError as exc:
        raise DataPackageError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc


@lru_cache(maxsize=4)
def _resources_by_name(folder: str) -> dict[str, dict]:
    return {declared["name"]: declared for declared in _descriptor(folder)["resources"]}


def descriptor() -> dict:
    """The parsed ``datapackage.json``."""
    return _descriptor(str(data_dir()))


def list_tables() -> list[str]:
    """Names of every table the package declares, in declaration order."""
    return list(_resources_by_name(str(data_dir())))


def resource(name: str) -> dict:
    """The declaration (path, schema, keys) of one table."""
    return _resource(str(data_dir()), name)


def _resource(folder: str, name: str) -> dict:
    declared = _resources_by_name(folder)
    if name not in declared:
        raise KeyError(f"no table named {name!r}; the package has: {', '.join(declared)}")
    return declared[name]


def fields(name: str) -> list[dict]:
    """The declared fields of one table."""
    return resource(name)["schema"]["fields"]


def primary_key(name: str) -> list[str]:
    """The columns that identify a row of one table (its declared primary key)."""
    key = resource(name)["schema"].get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def enum(table: str, column: str) -> list[str]:
    """The values ``column`` of ``table`` may take, in the order the schema declares them ([] if open).

    Charts colour categories by this position, so a category keeps its colour whatever is filtered.
    """
    for field in fields(table):
        if field["name"] == column:
            return list(field.get("constraints", {}).get("enum", []))
    raise KeyError(f"table {table!r} has no column {column!r}")


def labels(table: str, column: str) -> dict[str, str]:
    """How the codes of ``column`` read on a chart or picker, as ``datapackage.json`` declares them.

    The labels sit on the field as ``"enumLabels": {code: label}``, beside its ``enum``; a code
    without a declared label reads as its words (:func:`briefing.tidy.label`).

    >>> labels("forums", "kind")["un_process"]
    'UN process'
    """
    for field in fields(table):
        if field["name"] == column:
            return dict(field.get("enumLabels", {}))
    raise KeyError(f"table {table!r} has no column {column!r}")


def as_of() -> str:
    """The date the curated data describes the world as of (ISO string).

    A package without one (or with one that is not a date) raises :class:`DataPackageError`.
    """
    problems = checks.as_of_problems(descriptor(), str(data_dir() / "datapackage.json"))
    if problems:
        raise DataPackageError(checks.summary(problems), problems)
    return descriptor()["as_of"]


def _convert_column(values: pd.Series, field: dict) -> tuple[pd.Series, pd.Series, str] | None:
    """A column of strings as the field's type: (converted, which cells failed, what was expected).

    None for a string field (nothing to convert).
    """
    kind = field.get("type", "string")
    if kind == "date":
        converted = pd.to_datetime(values, format=field.get("format", "%Y-%m-%d"), errors="coerce")
        return converted, values.notna() & converted.isna(), "a date as YYYY-MM-DD"
    if kind == "boolean":
        truthy = set(field.get("trueValues", ["true"]))
        falsy = set(field.get("falseValues", ["false"]))
        is_true, is_false = values.isin(truthy), values.isin(falsy)
        converted = pd.Series(pd.array(is_true.to_numpy(bool), dtype="boolean"), index=values.index)
        converted[~(is_true | is_false)] = pd.NA
        return converted, values.notna() & converted.isna(), f"one of {sorted(truthy | falsy)}"
    if kind in ("integer", "number"):
        numeric = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & numeric.isna()
        if kind == "integer":
            bad |= numeric.notna() & (numeric % 1 != 0)
        converted = numeric.where(~bad).astype(_PANDAS_DTYPES[kind])
        return converted, bad, "a whole number" if kind == "integer" else "a number"
    return None


def typed_frame(
    raw: pd.DataFrame,
    table: str,
    *,
    source_name: str = "",
    copy: bool = True,
    declared_fields: list[dict] | None = None,
) -> pd.DataFrame:
    """Convert a frame of strings into the dtypes the schema of ``table`` declares.

    Raises :class:`DataPackageError` naming file, row, column, value and what was expected when a
    cell cannot be converted.
    """
    frame = raw.copy() if copy else raw
    problems: list[dict] = []
    for field in declared_fields if declared_fields is not None else fields(table):
        column = field["name"]
        if column not in frame.columns:
            continue
        values = frame[column]
        conversion = _convert_column(values, field)
        if conversion is None:
            if values.dtype != "string":
                frame[column] = values.astype("string")
            continue
        converted, bad, expected = conversion
        for index in frame.index[bad]:
            problems.append(
                {
                    "file": source_name or f"{table}.csv",
                    "row": int(index) + 2,  # +1 for the header, +1 because people count from 1
                    "column": column,
                    "value": values[index],
                    "expected": expected,
                }
            )
        frame[column] = converted
    if problems:
        raise DataPackageError(checks.summary(problems), problems)
    return frame


def read_strings(path: Path, table: str | None = None, *, declared_fields: list[dict] | None = None) -> pd.DataFrame:
    """Read a CSV as text only, empty cells as missing: nothing is guessed.

    With ``table`` (or its ``declared_fields``), every column comes back as pandas' string dtype,
    ready for :func:`typed_frame`. A file that is not UTF-8, or a row wider than the header, raises
    :class:`DataPackageError` naming the row and column.
    """
    dtype: dict | type | str = str
    if declared_fields is None and table is not None:
        declared_fields = fields(table)
    if declared_fields is not None:
        # Every column as pandas' text dtype in one go (as fast as an untyped read); the typed
        # columns are converted from it by typed_frame.
        dtype = "string"
    try:
        with warnings.catch_warnings():
            # A first row wider than the header only warns (and loses a cell); no column is an index.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                path, dtype=dtype, keep_default_na=False, na_values=[""], encoding="utf-8", index_col=False
            )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.ParserWarning) as unreadable:
        problems = checks.unreadable_problems(path, str(path), unreadable)
        raise DataPackageError(checks.summary(problems), problems) from None


@lru_cache(maxsize=64)
def _load_cached(folder: str, name: str) -> pd.DataFrame:
    declared_resource = _resource(folder, name)
    declared_fields = declared_resource["schema"]["fields"]
    path = Path(folder) / declared_resource["path"]
    if not path.exists():
        raise DataPackageError(f"{path}: declared in datapackage.json but the file is missing")
    raw = read_strings(path, declared_fields=declared_fields)
    declared = [field["name"] for field in declared_fields]
    if list(raw.columns) != declared:
        raise DataPackageError(f"{path}: header is {list(raw.columns)}, expected the declared columns {declared}")
    frame = typed_frame(raw, name, source_name=str(path), copy=False, declared_fields=declared_fields)
    problems = checks.date_problems(frame, declared_fields, str(path))
    if problems:
        raise DataPackageError(checks.summary(problems), problems)
    return frame


def load(name: str) -> pd.DataFrame:
    """Load one table with the dtypes its schema declares and its dates parsed.

    A fresh copy is returned each time, so changing it never touches the shipped data or the
    cache.

    Examples
    --------
    >>> incidents = load("incidents")
    >>> str(incidents["damage_usd"].dtype)
    'Float64'
    """
    return _load_cached(str(data_dir()), name).copy()


def load_all() -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    return {name: load(name) for name in list_tables()}


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found: ``problems`` is empty when the package is valid."""

    problems: list[dict]

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        columns = ["file", "row", "column", "value", "expected"]
        return pd.DataFrame(self.problems, columns=columns)


@lru_cache(maxsize=1)
def _validator_version() -> str:
    from importlib.metadata import version

    return version("frictionless")


def _cache_marker(folder: Path) -> Path:
    """Where a passed validation of exactly these files (and this validator) is remembered."""
    digest = hashlib.sha256(_validator_version().encode())
    for path in sorted(folder.glob("*.csv")) + [folder / "datapackage.json"]:
        digest.update(path.name.encode() + path.read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cyber-norms-briefing-kit"
    return cache / f"valid-{digest.hexdigest()}"


def validate(folder: Path | str | None = None, *, use_cache: bool = True) -> ValidationResult:
    """Validate the whole package (schemas, types, constraints, primary and foreign keys).

    Uses the Frictionless framework; its errors are turned into rows naming file, row, column,
    value and what was expected. A full validation takes about two seconds, so a pass is
    remembered (outside the data folder) for exactly these file contents and this frictionless
    version; any change to a file validates again. ``use_cache=False`` always validates.
    """
    folder = Path(folder) if folder is not None else data_dir()
    descriptor_path = folder / "datapackage.json"
    if not descriptor_path.exists():
        raise DataPackageError(f"{descriptor_path}: no data package here")
    marker = _cache_marker(folder) if use_cache else None
    if marker is not None and marker.exists():
        return ValidationResult([])
    found = checks.frictionless_problems(descriptor_path)
    result = ValidationResult(checks.with_own_problems(found, descriptor_path, _typed_table, DataPackageError))
    if marker is not None and result.valid:
        with contextlib.suppress(OSError):  # a read-only home only costs the next run two seconds
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
    return result


def _typed_table(path: Path, declared_fields: list[dict]) -> pd.DataFrame:
    """A table file read and typed as declared (uncached: validation reads the files as they are now)."""
    raw = read_strings(path, declared_fields=declared_fields)
    return typed_frame(raw, path.stem, source_name=path.name, copy=False, declared_fields=declared_fields)


def overview() -> pd.DataFrame:
    """One row per table: its name, title, row count and what it holds."""
    rows = [
        {
            "table": item["name"],
            "title": item.get("title", ""),
            "rows": len(load(item["name"])),
            "what it holds": item.get("description", ""),
        }
        for item in descriptor()["resources"]
    ]
    return pd.DataFrame(rows).set_index("table")


def cite(source_ids: list[str]) -> pd.DataFrame:
    """The full citations of ``source_ids``, in the order given (unknown ids raise KeyError)."""
    sources = load("sources").set_index("source_id")
    missing = [sid for sid in source_ids if sid not in sources.index]
    if missing:
        raise KeyError(f"no source with id {', '.join(map(repr, missing))} in sources.csv")
    return sources.loc[list(source_ids)].reset_index()
