"""What an import says: the one error it raises, its report, and each problem as a table row.

Every problem names file, row (as a spreadsheet counts: the header is row 1), line (where the row
begins in the file: a quoted cell may span lines), column, value and what was expected. Values are
shown harmlessly: invisible and direction-changing characters are written as ``\\u202e`` escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

REPORT_COLUMNS = ["file", "row", "line", "column", "value", "expected"]
#: What the kit reads, said once for every message about a file it cannot read.
ACCEPTS = (
    "The kit reads CSV text (UTF-8, UTF-16 or Windows-1252; columns separated by , ; tab or |) "
    "and Excel workbooks (.xlsx)."
)
#: Characters a reader cannot see that change what they see: direction controls (which reorder the
#: text around them), zero-width characters and control bytes.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
#: Shown values are cut here: a report row is read by a person, not a copy of the cell.
SHOWN_CHARACTERS = 200


class ImporterError(Exception):
    """A file that cannot be imported at all, or (all-or-nothing) one with rejected rows.

    ``report`` holds the :class:`ImportReport` when there is one, so the rejected rows can still
    be shown and downloaded.
    """

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report


def shown(value: object) -> str:
    r"""``value`` as a report shows it: invisible characters escaped, long text cut.

    >>> shown("abc\u202edef\x00")
    'abc\\u202edef\\x00'
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[:SHOWN_CHARACTERS] + f"… ({len(text):,} characters)"
    return INVISIBLE.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


def problem(file: str, row: int, line: int, column: str, value: object, expected: str) -> dict:
    """One row of a report table (rejections and flags have the same columns)."""
    return {"file": file, "row": row, "line": line, "column": column, "value": shown(value), "expected": expected}


def problem_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


@dataclass
class ImportReport:
    """What an import loaded, rejected and flagged, and from where.

    ``rows_read`` counts the rows in the file (blank rows aside); every one of them is either
    loaded (``frame``) or rejected (``rejected``, one line per problem): ``loaded + rejected_rows ==
    rows_read``. ``flagged`` lists loaded rows with something a reader should check (a name kept as
    written, a character removed); ``notes`` say what holds for the whole file (the sheet read, the
    encoding guessed, a truncated end, columns not read).
    """

    file: str
    table: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    encoding: str = ""
    delimiter: str = ""
    rows_read: int = 0
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Columns the kit filled in itself because the file left them out (what, and from what).
    derived: list[str] = field(default_factory=list)
    flagged: pd.DataFrame = field(default_factory=lambda: problem_frame([]))
    notes: list[str] = field(default_factory=list)
    #: A workbook's sheets, in order (empty for CSV text): the ones a reader may choose instead.
    sheets: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return len(self.frame)

    @property
    def rejected_rows(self) -> int:
        return self.rejected["row"].nunique() if len(self.rejected) else 0

    @property
    def flagged_rows(self) -> int:
        return self.flagged["row"].nunique() if len(self.flagged) else 0

    def summary(self) -> str:
        how = f" ({self.encoding}, delimiter {self.delimiter!r})" if self.delimiter else ""
        how = how or (f" ({self.encoding})" if self.encoding else "")
        flagged = f", {self.flagged_rows} loaded with a flag" if self.flagged_rows else ""
        return (
            f"{self.file}{how}: {self.rows_read} rows read, {self.loaded} loaded as {self.table}, "
            f"{self.rejected_rows} rejected{flagged}"
        )

    def rejected_csv(self) -> str:
        """The rejected-rows table as CSV text (for a download button); formulas neutralised."""
        return _as_csv(self.rejected)

    def flagged_csv(self) -> str:
        """The flagged-rows table as CSV text; formulas neutralised."""
        return _as_csv(self.flagged)


def _as_csv(frame: pd.DataFrame) -> str:
    from briefing.export import neutralise_formula

    return frame.map(neutralise_formula).to_csv(index=False)
