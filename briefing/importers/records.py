"""A file's rows as cells, each with its row and line number; rows that cannot be split are reported.

Every row of the file (blank rows aside) ends up either in :attr:`RawFile.frame` or in
:attr:`RawFile.rejected`: too many cells, a NUL byte, a row cut off at the end of a truncated file.
Text is cleaned of characters that would reorder or hide what a reader sees (and the row flagged).
The delimiter is sniffed on a capped prefix, so the work stays linear in the file's size.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from briefing.importers.filetypes import mend_mixed
from briefing.importers.report import INVISIBLE, ImporterError, problem

DELIMITERS = ",;\t|"
#: The delimiter is chosen on this much text (the sniffing work is bounded whatever the file's size).
SNIFF_CHARACTERS = 65536
WHOLE_ROW = "(whole row)"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Removed from text cells: direction controls, zero-width characters, control bytes (not tab or
#: line breaks); a zero-width joiner or non-joiner stays between two non-ASCII letters (Persian, emoji).
_HIDDEN = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
    "|(?<![^\x00-\x7f])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f])"
)
HIDDEN_REMOVED = (
    "text without invisible direction, zero-width or control characters (removed: they could reorder or hide text)"
)
MIXED_READ = "UTF-8 text; these bytes are not UTF-8 and were read as Windows-1252 (check the letters)"


@dataclass
class RawFile:
    """A file split into rows of cells, before any kit schema is applied."""

    label: str
    encoding: str
    delimiter: str
    headers: list[str]
    frame: pd.DataFrame
    rows: list[int]
    lines: list[int]
    rows_read: int
    rejected: list[dict] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Header names that appear more than once (after trimming), with their 1-based column numbers.
    repeated: dict[str, list[int]] = field(default_factory=dict)
    decimal_comma: bool = False
    #: A workbook's sheets, in order (empty for CSV text).
    sheets: list[str] = field(default_factory=list)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header and the first rows of a capped prefix most consistently."""
    sample = text[:SNIFF_CHARACTERS]
    scores = []
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            counts = [len(fields) for fields, _ in zip(reader, range(31)) if any(f.strip() for f in fields)]
        except csv.Error:
            counts = []
        if len(text) > len(sample) and len(counts) > 2:
            counts = counts[:-1]  # the prefix may end inside the last row
        if not counts:
            scores.append((False, 0.0, 0))
            continue
        header, rest = counts[0], counts[1:]
        consistent = sum(count == header for count in rest) / len(rest) if rest else 1.0
        scores.append((header > 1, round(consistent, 2), header))
    best = max(range(len(DELIMITERS)), key=lambda index: scores[index])
    return DELIMITERS[best] if scores[best][0] else ","


def csv_records(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """[(line where the row begins, cells)] and whether the file ends inside a quoted cell."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # one cell may be the whole file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for fields in reader:
        records.append((start, fields))
        start = reader.line_num + 1
    return records, bool(records) and _ends_in_quotes(text, records[-1][0], delimiter)


def _ends_in_quotes(text: str, start_line: int, delimiter: str) -> bool:
    offset = 0
    if start_line > 1:
        for count, match in enumerate(_LINE_BREAK.finditer(text), start=2):
            if count == start_line:
                offset = match.end()
                break
    try:
        for _ in csv.reader(io.StringIO(text[offset:], newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _blank(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _header_names(cells: list) -> tuple[list[str], dict[str, list[int]]]:
    names = [_HIDDEN.sub("", str(cell)).strip() if cell is not None else "" for cell in cells]
    positions: dict[str, list[int]] = {}
    for number, name in enumerate(names, start=1):
        if name:
            positions.setdefault(name, []).append(number)
    unique = []
    for number, name in enumerate(names, start=1):
        if not name:
            unique.append(f"(column {number}, no header)")
        elif positions[name][0] != number:
            unique.append(f"{name} (column {number})")
        else:
            unique.append(name)
    return unique, {name: where for name, where in positions.items() if len(where) > 1}


@dataclass
class _Rows:
    """Rows being collected, and what was said about them."""

    label: str
    headers: list[str]
    mixed: bool
    clean: bool
    cells: list[list] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    flagged: list[dict] = field(default_factory=list)

    def reject(self, row: int, line: int, column: str, value: object, why: str) -> None:
        self.rejected.append(problem(self.label, row, line, column, value, why))

    def flag(self, row: int, line: int, column: str, value: object, why: str) -> None:
        self.flagged.append(problem(self.label, row, line, column, value, why))

    def add(self, row: int, line: int, cells: list, *, last: bool, cut: bool) -> None:
        width = len(self.headers)
        joined = " | ".join("" if cell is None else str(cell) for cell in cells)
        if cut and last:
            self.reject(row, line, WHOLE_ROW, joined, _cut_message(len(cells), width))
            return
        if len(cells) > width and not _blank(cells[width:]):
            why = f"at most {width} cells, as many as the header has (this row has {len(cells)}: a delimiter inside a value that is not quoted?)"
            self.reject(row, line, WHOLE_ROW, joined, why)
            return
        cleaned = self._cleaned(row, line, cells[:width])
        if cleaned is None:
            return
        cells = cleaned
        if len(cells) < width:
            self.flag(
                row,
                line,
                WHOLE_ROW,
                joined,
                f"{width} cells (this row has {len(cells)}; the missing ones were read as empty)",
            )
            cells = cells + [None] * (width - len(cells))
        self.cells.append(cells)
        self.rows.append(row)
        self.lines.append(line)

    def _cleaned(self, row: int, line: int, cells: list) -> list | None:
        if not (self.clean or self.mixed):
            return cells
        out = []
        for header, cell in zip(self.headers, cells):
            if isinstance(cell, str) and self.mixed and re.search("[\udc80-\udcff]", cell):
                cell = mend_mixed(cell)
                self.flag(row, line, header, cell, MIXED_READ)
            if isinstance(cell, str) and self.clean and INVISIBLE.search(cell):
                if "\x00" in cell:
                    self.reject(row, line, header, cell, "text without NUL bytes (the file looks damaged here)")
                    return None
                self.flag(row, line, header, cell, HIDDEN_REMOVED)
                cell = _HIDDEN.sub("", cell)
            out.append(cell)
        return out


def _cut_message(cells: int, width: int) -> str:
    return (
        f"a complete row: the file ends inside this row (it has {cells} of {width} cells); "
        "it looks truncated (cut off during a download or copy)"
    )


def _why_no_rows(blank_rows: int, cut: bool) -> str:
    if cut:
        return " (it ends inside its header: it looks truncated)"
    return f" ({blank_rows} row(s) below it are empty)" if blank_rows else ""


def _file_notes(blank_rows: int, cut: bool, ends_blank: bool, last: tuple) -> list[str]:
    notes = [f"{blank_rows} empty row(s) skipped."] if blank_rows else []
    if cut and ends_blank:
        notes.append(
            "The file looks truncated: it ends inside a row that had nothing in it yet; every row above loaded."
        )
    elif cut:
        notes.append(f"The file looks truncated: it ends inside row {last[0]} (line {last[1]}), which was rejected.")
    return notes


def _header_row(iterator: Iterator[tuple[int, list]], label: str) -> tuple[int, list]:
    """(its row number, its cells): the first row that is not blank."""
    for row_number, (_line, cells) in enumerate(iterator, start=1):
        if not _blank(cells):
            return row_number, cells
    raise ImporterError(f"{label}: the file is empty (no header row, no data).")


def assemble(
    label: str,
    records: Iterable[tuple[int, list]],
    *,
    encoding: str,
    delimiter: str = "",
    cut: bool = False,
    mixed: bool = False,
    clean: bool = True,
) -> RawFile:
    """A :class:`RawFile` from (line, cells) records: the first non-blank one is the header.

    ``cut`` says the file ends inside its last row (truncated); ``mixed`` that cells may hold bytes
    that were not UTF-8; ``clean`` that some cells may hold invisible characters.
    """
    iterator: Iterator[tuple[int, list]] = iter(records)
    row_number, header = _header_row(iterator, label)
    headers, repeated = _header_names([mend_mixed(c) if mixed and isinstance(c, str) else c for c in header])
    rows = _Rows(label, headers, mixed, clean)
    pending, blank_rows, ends_blank = None, 0, False
    for line, cells in iterator:
        row_number += 1
        ends_blank = _blank(cells)
        if ends_blank:
            blank_rows += 1
            continue
        if pending is not None:
            rows.add(*pending, last=False, cut=False)
        pending = (row_number, line, cells)
    if pending is None:
        raise ImporterError(f"{label}: the file has a header row but no data rows{_why_no_rows(blank_rows, cut)}.")
    rows.add(*pending, last=True, cut=cut and not ends_blank)
    frame = pd.DataFrame(rows.cells, columns=headers, dtype=object) if rows.cells else pd.DataFrame(columns=headers)
    return RawFile(
        label,
        encoding,
        delimiter,
        headers,
        frame,
        rows.rows,
        rows.lines,
        rows_read=len(rows.rows) + len({r["row"] for r in rows.rejected}),
        rejected=rows.rejected,
        flagged=rows.flagged,
        notes=_file_notes(blank_rows, cut, ends_blank, pending),
        repeated=repeated,
        decimal_comma=delimiter == ";",
    )


def read_text(text: str, label: str, *, encoding: str, mixed: bool = False) -> RawFile:
    """A CSV text split into rows (delimiter sniffed, or given by an Excel-style ``sep=`` first line)."""
    skip = re.match(r"sep=([^\r\n])(?:\r\n|\r|\n|$)", text[:8])
    delimiter = skip.group(1) if skip else sniff_delimiter(text)
    records, in_quotes = csv_records(text, delimiter)
    if skip:
        records = records[1:]
    ends_cleanly = text.endswith(("\n", "\r"))
    cut = in_quotes or (not ends_cleanly and _short_last(records))
    if not ends_cleanly and sum(not _blank(cells) for _, cells in records[:2]) == 1 and len(records) == 1:
        cut = _cut_header(records[0][1])
    raw = assemble(
        label, records, encoding=encoding, delimiter=delimiter, cut=cut, mixed=mixed, clean=bool(INVISIBLE.search(text))
    )
    if skip:
        raw.notes.append(f"The first line (sep={delimiter}) names the delimiter; it was used.")
    if in_quotes and sum(str(cell).count("\n") for cell in records[-1][1]) > 1:
        raw.notes.append(
            "A quoted cell opens and never closes: everything after it was read as that one cell. A quote may be missing."
        )
    return raw


def _cut_header(cells: list[str]) -> bool:
    """A header-only file without a final line break whose last name is not a whole word: cut off?"""
    return bool(cells) and not re.search(r"\b(date|name|id|type|summary|status|precision|source)$", cells[-1].lower())


def _short_last(records: list[tuple[int, list[str]]]) -> bool:
    """The last row is not blank and has fewer cells than the header (a file cut off mid-row)."""
    header = next((cells for _, cells in records if not _blank(cells)), None)
    last = records[-1][1] if records else []
    return header is not None and last is not header and not _blank(last) and len(last) < len(header)
