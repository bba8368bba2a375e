"""Where the kit writes files: names a reader types stay inside their folder, every target is checked
before anything is written, and a set of files is written whole or not at all.

The chart studio and ``briefing export`` both write through :func:`all_or_nothing`, so a problem met
half-way (an existing data file, a full disk, a read-only folder) leaves the folder as it was.

Examples
--------
>>> safe_file_name(" timeline-2025 ")
'timeline-2025'
>>> safe_file_name("../../data/x")
Traceback (most recent call last):
...
briefing.writing.WriteError: the file name '../../data/x' is not a plain name: ...
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

#: The longest file name most file systems take, in bytes (when the folder cannot say).
NAME_MAX = 255


class WriteError(Exception):
    """A file the kit cannot write as asked; the message names it and says what to do instead."""


@contextlib.contextmanager
def reraised_as(error: type[Exception]) -> Iterator[None]:
    """Problems met while writing (a :class:`WriteError`) raised again as ``error``, with the same
    message: what the caller's own callers catch (an export's, a pack's).

    >>> with reraised_as(ValueError):
    ...     safe_file_name("")
    Traceback (most recent call last):
    ...
    ValueError: the file name '' is not a plain name: ...
    """
    try:
        yield
    except WriteError as problem:
        raise error(str(problem)) from problem


def safe_file_name(name: str) -> str:
    """``name`` if it is a plain file name; a :class:`WriteError` for a path, an empty name, or a
    name with invisible or direction-changing characters.

    The chart studio joins it to its exports folder: "../../data/x" or "/etc/x" would write, and
    with "overwrite" replace, files anywhere; a right-to-left override (U+202E) makes
    "report\u202elmth.png" read as "reportgnp.html" in a file list.
    """
    cleaned = name.strip()
    if not cleaned or cleaned in (".", "..") or "/" in cleaned or "\\" in cleaned or "\x00" in cleaned:
        raise WriteError(
            f"the file name {name!r} is not a plain name: use letters, digits, '-' and '_', "
            "without '/' (files go into the exports folder)"
        )
    hidden = sorted({ch for ch in cleaned if unicodedata.category(ch) in ("Cc", "Cf")})
    if hidden:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in hidden)
        raise WriteError(
            f"the file name {name!r} holds invisible or direction-changing characters ({codes}): "
            "type it again without them"
        )
    return cleaned


def _name_limit(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no such folder yet, or a system without pathconf
        return NAME_MAX


def check_targets(paths: Iterable[Path], *, overwrite: bool, overwrite_hint: str = "pass overwrite=True") -> None:
    """Refuse, before anything is written, a target that exists (unless ``overwrite``), a name too long
    for its folder's file system, or a folder that is a file."""
    for path in paths:
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            raise WriteError(f"{folder} is a file, not a folder: choose another place to write")
        limit = _name_limit(folder if folder.exists() else Path("."))
        size = len(os.fsencode(path.name))
        if size > limit:
            raise WriteError(
                f"the file name {path.name[:40]}... is {size} bytes long and this folder takes at most {limit}: "
                "choose a shorter name"
            )
        if (path.exists() or path.is_symlink()) and not overwrite:
            raise WriteError(f"{path} exists already; choose another name or {overwrite_hint}")


@contextlib.contextmanager
def all_or_nothing(folder: Path) -> Iterator[Path]:
    """A staging folder inside ``folder`` to write a set of files into; when the block ends without an
    error, each file moves into ``folder`` (replacing a file of that name, never following a link out);
    on any error none of them does, and the staging folder is removed.

    OS errors (a read-only folder, a full disk) become a :class:`WriteError` that names the folder.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".briefing-staging-", dir=folder))
    except OSError as problem:
        raise WriteError(f"cannot write in {folder}: {problem.strerror or problem}") from problem
    moved: list[str] = []
    try:
        yield staging
        for staged in sorted(staging.iterdir()):
            os.replace(staged, folder / staged.name)  # a link of that name is replaced, not followed
            moved.append(staged.name)
    except OSError as problem:
        done = f"only {', '.join(moved)} written" if moved else "nothing was written"
        raise WriteError(f"cannot write in {folder}: {problem.strerror or problem}; {done}") from problem
    finally:
        shutil.rmtree(staging, ignore_errors=True)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix text a spreadsheet would run as a formula with an apostrophe (CSV injection).

    >>> neutralise_formula("=cmd|' /C calc'!A0")
    "'=cmd|' /C calc'!A0"
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text with every text cell a spreadsheet would run as a formula neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe.to_csv(index=False, quoting=csv.QUOTE_MINIMAL)
