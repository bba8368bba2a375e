"""Bring your own data: read a user's CSV or Excel file as one of the kit's tables.

Files are checked against the same schema as the curated data (``data/datapackage.json``). Good
rows load; every rejected row is reported with file, row, line, column, value and what was
expected, in a table a person can read and download: every row of a file is loaded or rejected,
never lost. Loaded rows with something to check are flagged, and notes say what holds for the whole
file (the sheet read, an encoding guessed, a truncated end, columns not read). A file that is no
table (an image, a PDF, an archive, a web page) is refused saying what it looks like. Adapters read
the CFR Cyber Operations Tracker and EuRepoC exports with their real quirks. Only
:class:`ImporterError` is ever raised, and nothing is written anywhere: the shipped data is never
touched.

Examples
--------
>>> from briefing import importers
>>> report = importers.read_table("my_incidents.csv", "incidents",
...                               mapping={"Title": "name", "Date": "start_date"})  # doctest: +SKIP
>>> report.summary()  # doctest: +SKIP
"""

from __future__ import annotations

from briefing.importers.core import (
    DEFAULT_MAX_BYTES,
    DELIMITERS,
    ENCODINGS,
    ORIGIN,
    REPORT_COLUMNS,
    ImporterError,
    ImportReport,
    check_rows,
    read_file,
    read_frame,
    read_table,
)
from briefing.importers.countries import country_code, match_country, read_countries, split_countries
from briefing.importers.dates import read_date
from briefing.importers.derive import DEFAULTS, HEADER_SYNONYMS, column_guide
from briefing.importers.exports import (
    CFR_SOURCE_ID,
    EUREPOC_SOURCE_ID,
    EXPORT_COLUMNS,
    EXPORT_HEADERS,
    combine_with_curated,
    detect_format,
    read_cfr_tracker,
    read_eurepoc,
)

__all__ = [
    "CFR_SOURCE_ID",
    "DEFAULTS",
    "DEFAULT_MAX_BYTES",
    "DELIMITERS",
    "ENCODINGS",
    "EUREPOC_SOURCE_ID",
    "EXPORT_COLUMNS",
    "EXPORT_HEADERS",
    "HEADER_SYNONYMS",
    "ORIGIN",
    "REPORT_COLUMNS",
    "ImportReport",
    "ImporterError",
    "check_rows",
    "column_guide",
    "combine_with_curated",
    "country_code",
    "detect_format",
    "match_country",
    "read_cfr_tracker",
    "read_countries",
    "read_date",
    "read_eurepoc",
    "read_file",
    "read_frame",
    "read_table",
    "split_countries",
]
