"""A corpus of malformed files, generated here: each gets its own true message, nothing is lost.

Every case says what the kit must answer. For a refused file, the error names what the file looks
like; for a file that loads, ``loaded + rejected == rows in the file`` and the note, flag or
rejection that says what was wrong is asserted on, word for word where it matters. Only
:class:`ImporterError` may be raised (a traceback fails the case), and every case is timed.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import random
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pytest
from conftest import REPO

from briefing import importers

SHARED = REPO.parent / "shared" / "external-data"
HEADER = "incident_id,name,start_date,date_precision,incident_type,summary,attribution_status"
ROW = "x{n},Incident {n},2021-05-07,day,ransomware,A pipeline was hit.,unattributed"
CFR_HEADER = "Title,Date,Affiliations,Description,Response,Victims,Sponsor,Type,Category,Sources_1,Sources_2,Sources_3"
CFR_ROW = '"Operation {n}",1/5/2022,APT0,"A description, with a comma.",,Ministry,{sponsor},Espionage,Government,,,'
EUREPOC_HEADER = "ID,name,description,start_date,incident_type,receiver_country,initiator_country,attribution_type"
EUREPOC_ROW = '{n},Op {n},"Desc",2019-05-01,Data theft,"{receivers}","{initiators}",'


def table(rows: int = 3, *, header: str = HEADER, end: str = "\n") -> str:
    return end.join([header] + [ROW.format(n=n) for n in range(1, rows + 1)]) + end


def good_rows(*extra: str, header: str = HEADER) -> str:
    return "\n".join([header, ROW.format(n=1), *extra]) + "\n"


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rows_of(text: str) -> list[list]:
    return [line.split(",") for line in text.strip().split("\n")]


@dataclass
class Case:
    """A malformed file, how to read it, and what the kit must say about it."""

    id: str
    name: str
    content: Callable[[], bytes | str]
    #: A pattern the error must match (the file is refused), or None (it loads).
    refused: str | None = None
    loaded: int | None = None
    rejected: int | None = None
    #: Text that must appear in what the report says (notes, derived, rejections, flags, summary).
    says: tuple[str, ...] = ()
    reader: str = "table"
    table: str = "incidents"
    options: dict = field(default_factory=dict)
    check: Callable[[importers.ImportReport], None] | None = None


def said(report: importers.ImportReport) -> str:
    return "\n".join(
        [report.summary(), *report.notes, *report.derived, *report.rejected["expected"], *report.flagged["expected"]]
    )


def _frame_value(column: str, value):
    def check(report):
        assert report.frame.iloc[0][column] == value, report.frame.iloc[0][column]

    return check


def _first_half(content: bytes) -> bytes:
    return content[: len(content) // 2]


def _random_bytes() -> bytes:
    return random.Random(20).randbytes(4096)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
CASES = [
    # ---- Not a table at all: say what it looks like, and what the kit reads -------------------
    Case("random-bytes", "noise.csv", _random_bytes, refused=r"binary file, not text.*The kit reads CSV text"),
    Case("png", "chart.csv", lambda: PNG, refused="a PNG image"),
    Case("jpeg", "photo.csv", lambda: b"\xff\xd8\xff\xe0" + bytes(100), refused="a JPEG image"),
    Case("gif", "anim.csv", lambda: b"GIF89a" + bytes(100), refused="a GIF image"),
    Case("pdf", "report.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(200), refused="a PDF document"),
    Case(
        "zip",
        "data.csv",
        lambda: zipped({"data.csv": table().encode()}),
        refused=r"a ZIP archive holding 1 file\(s\) \(data.csv\).*Unzip",
    ),
    Case("empty-zip", "empty.zip", lambda: zipped({}), refused=r"a ZIP archive holding 0 file"),
    Case("gzip", "data.csv.gz", lambda: gzip.compress(table().encode()), refused="a gzip-compressed file"),
    Case("7z", "data.7z", lambda: b"7z\xbc\xaf\x27\x1c" + bytes(100), refused="a 7-Zip archive"),
    Case("rar", "data.rar", lambda: b"Rar!\x1a\x07\x01\x00" + bytes(100), refused="a RAR archive"),
    Case("sqlite", "data.db", lambda: b"SQLite format 3\x00" + bytes(100), refused="an SQLite database"),
    Case("elf", "program.csv", lambda: b"\x7fELF\x02\x01\x01" + bytes(100), refused=r"a program \(an ELF executable\)"),
    Case("xls-97", "old.xls", lambda: OLE2, refused=r"an old Excel 97-2003 workbook \(.xls\).*save it as .xlsx"),
    Case(
        "password-xlsx",
        "secret.xlsx",
        lambda: OLE2 + "EncryptedPackage".encode("utf-16-le") + bytes(100),
        refused="a password-protected workbook",
    ),
    Case("docx", "table.docx", lambda: zipped({"word/document.xml": b"<w/>"}), refused="a Word document"),
    Case("pptx", "slides.csv", lambda: zipped({"ppt/presentation.xml": b"<p/>"}), refused="a PowerPoint presentation"),
    Case(
        "ods",
        "sheet.ods",
        lambda: zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        refused=r"an OpenDocument spreadsheet \(.ods\)",
    ),
    Case("numbers", "sheet.numbers", lambda: zipped({"Index/Document.iwa": b"x"}), refused="an Apple Numbers file"),
    Case(
        "xlsx-cut-off",
        "book.xlsx",
        lambda: _first_half(workbook(("S", rows_of(table())))),
        refused=r"damaged or incomplete \(its end is missing",
    ),
    Case(
        "zip-bomb",
        "bomb.xlsx",
        lambda: zipped({"xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b" " * 3_000_000}),
        refused=r"expand to 3 MB, far more than a table of its size",
        options={"max_bytes": 100_000},
    ),
    Case(
        "html",
        "export.csv",
        lambda: "<!DOCTYPE html>\n<html><body><table></table></body></html>",
        refused=r"a web page \(HTML\).*saved the page",
    ),
    Case("xml", "data.csv", lambda: '<?xml version="1.0"?>\n<rows><row/></rows>', refused="XML data"),
    Case(
        "spreadsheet-2003-xml",
        "book.xls",
        lambda: '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        refused="an Excel 2003 XML spreadsheet",
    ),
    Case("json", "data.csv", lambda: '[{"name": "x", "start_date": "2021-05-07"}]', refused="JSON data"),
    Case("rtf", "table.csv", lambda: r"{\rtf1\ansi table}", refused=r"a Rich Text \(RTF\) document"),
    Case("only-nuls", "zeros.csv", lambda: bytes(4096), refused="only NUL bytes.*failed copy or download"),
    Case("empty", "empty.csv", lambda: b"", refused="the file is empty"),
    Case("whitespace-only", "blank.csv", lambda: " \n\r\n\t\n", refused="the file is empty"),
    Case("header-only", "head.csv", lambda: HEADER + "\n", refused="a header row but no data rows"),
    Case("blank-rows-only", "head.csv", lambda: HEADER + "\n,,,\n\n", refused="a header row but no data rows"),
    Case("empty-workbook", "empty.xlsx", lambda: workbook(("Sheet", [])), refused=r"the file is empty \(no header row"),
    Case("too-large", "big.csv", lambda: table(200), refused="more than the import limit", options={"max_bytes": 1000}),
    # ---- Named one thing, holding another: read what it is, and say so ------------------------
    Case(
        "xlsx-that-is-csv", "incidents.xlsx", table, loaded=3, says=("named as an Excel workbook but holds CSV text",)
    ),
    Case(
        "csv-that-is-xlsx",
        "incidents.csv",
        lambda: workbook(("Sheet", rows_of(table()))),
        loaded=3,
        says=("named as CSV text but is an Excel workbook",),
    ),
    # ---- Encodings -----------------------------------------------------------------------------
    Case(
        "utf16-bom-tabs",
        "unicode.txt",
        lambda: table().replace(",", "\t").encode("utf-16"),
        loaded=3,
        says=("(UTF-16, delimiter '\\t')",),
    ),
    Case(
        "utf16-be-bom", "be.csv", lambda: codecs.BOM_UTF16_BE + table().encode("utf-16-be"), loaded=3, says=("UTF-16",)
    ),
    Case(
        "utf16-le-no-bom",
        "le.csv",
        lambda: table().encode("utf-16-le"),
        loaded=3,
        says=("UTF-16 without a byte-order mark",),
    ),
    Case(
        "utf16-be-no-bom",
        "be.csv",
        lambda: table().encode("utf-16-be"),
        loaded=3,
        says=("UTF-16 without a byte-order mark",),
    ),
    Case(
        "utf16-chinese-no-bom",
        "zh.txt",
        lambda: (
            (
                "标题\t日期\t类型\t摘要\n"
                + "".join(
                    f"网络攻击事件第{n}号\t二〇二一年\t勒索软件\t{'一条很长的中文摘要，描述了发生的事情和后果。' * 4}\n"
                    for n in range(5)
                )
            )
            .replace("二〇二一年", "2021")
            .replace("勒索软件", "ransomware")
            .encode("utf-16-le")
        ),
        loaded=5,
        says=("UTF-16 without a byte-order mark",),
        options={"mapping": {"标题": "name", "日期": "start_date", "类型": "incident_type", "摘要": "summary"}},
    ),
    Case("utf32-bom", "wide.csv", lambda: table().encode("utf-32"), loaded=3, says=("(UTF-32, delimiter ','",)),
    Case(
        "utf16-odd-length",
        "cut16.csv",
        lambda: table().encode("utf-16")[:-1],
        loaded=3,
        says=("ends in the middle of a UTF-16 character",),
    ),
    Case("utf8-bom", "bom.csv", lambda: codecs.BOM_UTF8 + table().encode(), loaded=3, says=("(UTF-8, delimiter ','",)),
    Case(
        "latin-1",
        "latin.csv",
        lambda: good_rows(
            "x2,Attaque contre l'hôpital de Düsseldorf,2020-09-10,day,ransomware,Résumé,unattributed"
        ).encode("cp1252"),
        loaded=2,
        says=("read as Windows-1252",),
        check=lambda report: (
            report.frame.set_index("incident_id").loc["x2", "name"] == "Attaque contre l'hôpital de Düsseldorf"
        ),
    ),
    Case(
        "encoding-changes-midway",
        "mixed.csv",
        lambda: (
            good_rows("x2,Café crème,2021-05-07,day,ransomware,s,unattributed").encode()
            + "x3,Café noir,2021-05-07,day,ransomware,s,unattributed\n".encode("cp1252")
        ),
        loaded=3,
        says=("encoding changes: it is UTF-8, but from line 4", "not UTF-8 and were read as Windows-1252"),
        check=lambda report: list(report.frame["name"][-2:]) == ["Café crème", "Café noir"],
    ),
    Case(
        "nul-in-a-cell",
        "nul.csv",
        lambda: good_rows("x2,Te\x00st,2021-05-07,day,ransomware,s,unattributed", ROW.format(n=3)),
        loaded=2,
        rejected=1,
        says=("text without NUL bytes",),
    ),
    Case(
        "nul-padding", "padded.csv", lambda: table().encode() + bytes(2048), loaded=3, says=("ends in 2,048 NUL bytes",)
    ),
    Case("cr-line-endings", "mac.csv", lambda: table(end="\r"), loaded=3),
    Case("crlf-line-endings", "win.csv", lambda: table(end="\r\n"), loaded=3),
    Case(
        "mixed-line-endings",
        "both.csv",
        lambda: HEADER + "\r\n" + ROW.format(n=1) + "\n" + ROW.format(n=2) + "\r",
        loaded=2,
    ),
    # ---- Cut off: load the complete rows, reject the cut one with its line, say so --------------
    Case(
        "cut-mid-row",
        "cut.csv",
        lambda: table(3) + "x4,Cut off,2021",
        loaded=3,
        rejected=1,
        says=("the file ends inside this row (it has 3 of 7 cells)", "looks truncated: it ends inside row 5 (line 5)"),
    ),
    Case(
        "cut-mid-quoted-cell",
        "cut.csv",
        lambda: table(2) + 'x3,Cut,2021-05-07,day,ransomware,"A summary\nover two lines, cut',
        loaded=2,
        rejected=1,
        says=("looks truncated: it ends inside row 4 (line 4)",),
    ),
    Case(
        "quote-never-closed",
        "quote.csv",
        lambda: table(1) + 'x2,"Opens here,2021-05-07,day,ransomware,s,unattributed\n' + table(3).split("\n", 1)[1],
        loaded=1,
        rejected=1,
        says=("A quoted cell opens and never closes",),
    ),
    Case("cut-in-header", "cut.csv", lambda: "incident_id,name,sta", refused="a header row but no data rows"),
    # ---- Delimiters and numbers from spreadsheets in other locales --------------------------------
    Case(
        "semicolon-decimal-comma",
        "europe.csv",
        lambda: (
            good_rows(header=HEADER + ",damage_usd")
            .replace(",", ";")
            .replace("unattributed\n", "unattributed;1.234.567,89\n")
        ),
        loaded=1,
        says=("delimiter ';'",),
        check=_frame_value("damage_usd", 1234567.89),
    ),
    Case("tab-delimited", "tabs.tsv", lambda: table().replace(",", "\t"), loaded=3, says=("delimiter '\\t'",)),
    Case("pipe-delimited", "pipes.csv", lambda: table().replace(",", "|"), loaded=3, says=("delimiter '|'",)),
    Case(
        "sep-line",
        "excel.csv",
        lambda: "sep=;\n" + table().replace(",", ";"),
        loaded=3,
        says=("(sep=;) names the delimiter",),
    ),
    Case(
        "too-many-cells",
        "extra.csv",
        lambda: good_rows("x2,An, unquoted comma,2021-05-07,day,ransomware,s,unattributed"),
        loaded=1,
        rejected=1,
        says=("at most 7 cells, as many as the header has (this row has 8",),
    ),
    Case(
        "too-few-cells",
        "short.csv",
        lambda: good_rows("x2,Short row,2021-05-07,day,ransomware,s,unattributed", header=HEADER + ",note").replace(
            "unattributed\n", "unattributed,n\n", 1
        ),
        loaded=2,
        says=("the missing ones were read as empty",),
    ),
    Case(
        "blank-rows-between",
        "gaps.csv",
        lambda: table(2).replace("\n", "\n\n,,,\n", 1),
        loaded=2,
        says=("2 empty row(s) skipped",),
    ),
    Case(
        "thousands-comma-in-comma-file",
        "money.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", 'unattributed,"1,500"\n'),
        loaded=0,
        rejected=1,
        says=("without currency signs, spaces or thousands separators",),
    ),
    # ---- Headers ---------------------------------------------------------------------------------
    Case(
        "header-repeated-after-trimming",
        "dup.csv",
        lambda: good_rows(header=HEADER + ", name").replace("unattributed\n", "unattributed,Other name\n"),
        refused=r"columns 2 and 8 are both headed 'name' \(after trimming spaces\)",
    ),
    Case(
        "unused-header-repeated",
        "dup.csv",
        lambda: good_rows(header=HEADER + ",Notes,Notes").replace("unattributed\n", "unattributed,a,b\n"),
        loaded=1,
        says=("Columns 8 and 9 are both headed 'Notes'; that is no kit column, so none was read",),
    ),
    Case(
        "mapping-onto-an-existing-column",
        "mapped.csv",
        lambda: good_rows(header=HEADER + ",Title").replace("unattributed\n", "unattributed,Other\n"),
        refused=r"the column 'name' and the mapping 'Title' to 'name' would both fill name",
        options={"mapping": {"Title": "name"}},
    ),
    Case(
        "mapping-to-no-column",
        "mapped.csv",
        table,
        refused=r"the mapping 'name' to 'nme': the incidents table has no column 'nme'",
        options={"mapping": {"name": "nme"}},
    ),
    Case(
        "mapping-from-no-header",
        "mapped.csv",
        table,
        loaded=3,
        says=("The mapping names 'Titel', which is not a header",),
        options={"mapping": {"Titel": "name"}},
    ),
    Case(
        "blank-header-with-data",
        "blank.csv",
        lambda: good_rows(header=HEADER + ",").replace("unattributed\n", "unattributed,orphan\n"),
        loaded=1,
        says=("Columns not read", "(column 8, no header)"),
    ),
    Case(
        "no-header-row",
        "data.csv",
        lambda: table().split("\n", 1)[1],
        refused="The first row looks like data, not headers",
    ),
    Case(
        "unknown-columns",
        "extra.csv",
        lambda: good_rows(header=HEADER + ",Victims").replace("unattributed\n", "unattributed,Banks\n"),
        loaded=1,
        says=("Columns not read (the incidents table has no such column): Victims",),
    ),
    Case("zero-width-in-header", "zw.csv", lambda: table().replace("name,", "na\u200bme,", 1), loaded=3),
    Case(
        "missing-required-column",
        "few.csv",
        lambda: "Title,Type\nA,ransomware\n",
        refused=r"needs the column\(s\) start_date, date_precision, summary",
    ),
    # ---- Keys -------------------------------------------------------------------------------------
    Case(
        "duplicate-primary-key",
        "dup.csv",
        lambda: good_rows(ROW.format(n=1)),
        loaded=1,
        rejected=1,
        says=("a unique incident_id (row 2 has the same)",),
    ),
    Case(
        "id-of-a-curated-row",
        "clash.csv",
        lambda: good_rows("estonia_2007,Mine,2007-04-27,day,ddos,s,unattributed"),
        loaded=1,
        rejected=1,
        says=("an id the curated data does not use (estonia_2007 is the curated",),
    ),
    Case(
        "made-id-would-be-curated",
        "words.csv",
        lambda: "Title,Date,Type,Summary\nEstonia,2007,ddos,s\n",
        loaded=1,
        says=("1 would have been a curated id",),
        check=_frame_value("incident_id", "estonia_2007_2"),
    ),
    # ---- Dates --------------------------------------------------------------------------------------
    Case(
        "date-slashes-ymd",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "2017/06/27"),
        loaded=1,
        check=_frame_value("start_date", pd.Timestamp("2017-06-27")),
    ),
    Case(
        "date-dots-dmy",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "27.06.2017"),
        loaded=1,
        check=_frame_value("start_date", pd.Timestamp("2017-06-27")),
    ),
    Case(
        "date-month-name",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", '"June 27, 2017"'),
        loaded=1,
        check=_frame_value("start_date", pd.Timestamp("2017-06-27")),
    ),
    Case(
        "date-quarter",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "Q2 2017"),
        loaded=0,
        rejected=1,
        says=("a quarter such as Q2 2017 is no precision the kit has",),
    ),
    Case(
        "date-ambiguous",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "05/07/2017"),
        loaded=0,
        rejected=1,
        says=("is 05/07/2017 5 July or 7 May?",),
    ),
    Case(
        "date-does-not-exist",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "2021-02-30"),
        loaded=0,
        rejected=1,
        says=("a date that exists (2021-02-30 does not)",),
    ),
    Case(
        "year-1900",
        "d.csv",
        lambda: good_rows().replace("2021-05-07,day", "1900,year"),
        loaded=1,
        says=("is this one a placeholder? (1900 often stands for 'no date')",),
    ),
    Case(
        "year-2099",
        "d.csv",
        lambda: good_rows().replace("2021-05-07,day", "2099,year"),
        loaded=1,
        says=("a date up to the data's as-of date",),
    ),
    Case(
        "year-9999",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "9999-12-31"),
        loaded=0,
        rejected=1,
        says=("a date with a year from 1900 to 2100",),
    ),
    Case(
        "year-below-1000",
        "d.csv",
        lambda: good_rows().replace("2021-05-07", "0217-06-27"),
        loaded=0,
        rejected=1,
        says=("(0217 may be a typo)",),
    ),
    Case(
        "excel-date-year-217",
        "d.xlsx",
        lambda: workbook(
            (
                "S",
                [
                    HEADER.split(","),
                    [
                        "e1",
                        "Old",
                        pd.Timestamp("2017-06-27").to_pydatetime().replace(year=217),
                        "day",
                        "wiper",
                        "s",
                        "unattributed",
                    ],
                ],
            )
        ),
        loaded=0,
        rejected=1,
        says=("(0217 may be a typo)",),
    ),
    Case(
        "month-precision-not-on-the-1st",
        "d.csv",
        lambda: good_rows().replace("2021-05-07,day", "2021-05-07,month"),
        loaded=0,
        rejected=1,
        says=("the 1st of the month (the date's precision is month)",),
    ),
    Case(
        "day-precision-year-only",
        "d.csv",
        lambda: good_rows().replace("2021-05-07,day", "2021,day"),
        loaded=0,
        rejected=1,
        says=("date_precision says day, but the date gives only the year",),
    ),
    Case(
        "end-before-start",
        "d.csv",
        lambda: good_rows(header=HEADER + ",end_date").replace("unattributed\n", "unattributed,2020-01-01\n"),
        loaded=0,
        rejected=1,
        says=("an end_date on or after the start_date (2021-05-07)",),
    ),
    # ---- Numbers ------------------------------------------------------------------------------------
    Case(
        "damage-inf",
        "n.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", "unattributed,inf\n"),
        loaded=0,
        rejected=1,
        says=("a number that is finite (not inf)",),
    ),
    Case(
        "damage-1e400",
        "n.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", "unattributed,1e400\n"),
        loaded=0,
        rejected=1,
        says=("(1e400 is too large to hold)",),
    ),
    Case(
        "damage-nan",
        "n.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", "unattributed,NaN\n"),
        loaded=0,
        rejected=1,
        says=("a number that is finite (not NaN)",),
    ),
    Case(
        "damage-negative",
        "n.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", "unattributed,-5\n"),
        loaded=0,
        rejected=1,
        says=("a number of at least 0",),
    ),
    Case(
        "damage-currency",
        "n.csv",
        lambda: good_rows(header=HEADER + ",damage_usd").replace("unattributed\n", "unattributed,$40M\n"),
        loaded=0,
        rejected=1,
        says=("without currency signs",),
    ),
    Case(
        "whole-number-too-large",
        "forums.csv",
        lambda: (
            "forum_id,name,short_name,kind,participation,member_count,source_id\n"
            "f1,A forum,AF,un_process,states_only,1e30,s\nf2,B forum,BF,un_process,states_only,2.5,s\n"
        ),
        table="forums",
        loaded=0,
        rejected=2,
        says=("a whole number no larger than 9,007,199,254,740,992", "a whole number"),
    ),
    # ---- Countries --------------------------------------------------------------------------------
    Case(
        "country-names-in-other-languages",
        "p.csv",
        lambda: (
            "country_iso3,forum_id,role,source_id\n"
            + "".join(f"{c},forum_{n},member,s\n" for n, c in enumerate(["Russie", "Россия", "中国", "Estados Unidos"]))
        ),
        table="participation",
        says=("participation",),
        loaded=4,
        check=lambda report: list(report.frame["country_iso3"]) == ["RUS", "RUS", "CHN", "USA"],
    ),
    Case(
        "country-codes-that-do-not-exist",
        "p.csv",
        lambda: (
            "country_iso3,forum_id,role,source_id\n"
            + "".join(f"{c},un_oewg_2019,member,s\n" for c in ["XXX", "0", "1", "2", "3"])
        ),
        table="participation",
        loaded=0,
        rejected=5,
        says=("'XXX' is neither", "'0' is neither", "'3' is neither"),
    ),
    Case(
        "cfr-sponsor-in-french",
        "cfr.csv",
        lambda: CFR_HEADER + "\n" + CFR_ROW.format(n=1, sponsor="Russie") + "\n",
        reader="cfr",
        loaded=1,
        check=lambda report: (
            (report.frame.iloc[0]["attributed_actor"], report.frame.iloc[0]["attribution_status"])
            == ("RUS", "industry_reporting")
        ),
    ),
    Case(
        "cfr-sponsor-unknown",
        "cfr.csv",
        lambda: CFR_HEADER + "\n" + CFR_ROW.format(n=1, sponsor="Atlantis") + "\n",
        reader="cfr",
        loaded=1,
        says=("'Atlantis': no country the kit knows by that name, so kept as written in attributed_actor",),
        check=lambda report: report.frame.iloc[0]["attribution_status"] != "unattributed",
    ),
    Case(
        "eurepoc-regions",
        "eurepoc.csv",
        lambda: (
            EUREPOC_HEADER
            + "\n"
            + EUREPOC_ROW.format(n=1, receivers="['Europe (region)', 'France']", initiators="['Middle East (region)']")
            + "\n"
        ),
        reader="eurepoc",
        loaded=1,
        says=(
            "'Europe (region)': a region, so left out of incident_targets",
            "'Middle East (region)': a region, so kept as written",
        ),
    ),
    Case(
        "eurepoc-deeply-nested-list",
        "eurepoc.csv",
        lambda: (
            EUREPOC_HEADER
            + "\n"
            + EUREPOC_ROW.format(n=1, receivers="[" * 5000 + "'France'" + "]" * 5000, initiators="[]")
            + "\n"
        ),
        reader="eurepoc",
        loaded=1,
        check=lambda report: list(report.extra["incident_targets"]["country_iso3"]) == ["FRA"],
    ),
    # ---- Text a reader must see as it is ------------------------------------------------------------
    Case(
        "direction-override",
        "bidi.csv",
        lambda: good_rows("x2,Invoice \u202egpj.exe,2021-05-07,day,ransomware,s,unattributed"),
        loaded=2,
        says=("text without invisible direction, zero-width or control characters",),
        check=lambda report: (
            report.frame.iloc[1]["name"] == "Invoice gpj.exe" and "\\u202e" in report.flagged.iloc[0]["value"]
        ),
    ),
    Case(
        "zero-width-in-an-id",
        "zw.csv",
        lambda: good_rows("x\u200b2,Hidden,2021-05-07,day,ransomware,s,unattributed"),
        loaded=2,
        says=("(removed: they could reorder or hide text)",),
        check=lambda report: list(report.frame["incident_id"]) == ["x1", "x2"],
    ),
    Case(
        "control-characters",
        "ctl.csv",
        lambda: good_rows("x2,Bell\x07 and\x1b escape,2021-05-07,day,ransomware,s,unattributed"),
        loaded=2,
        says=("control characters",),
    ),
    Case(
        "cell-over-131072-characters",
        "long.csv",
        lambda: good_rows(f'x2,Long,2021-05-07,day,ransomware,"{"s" * 200_000}",unattributed'),
        loaded=2,
        check=lambda report: len(report.frame.iloc[1]["summary"]) == 200_000,
    ),
    Case("file-name-with-override", "evil\u202ecsv.exe", table, loaded=3, says=("evil\\u202ecsv.exe",)),
    # ---- Workbooks ----------------------------------------------------------------------------------
    Case(
        "workbook-with-three-sheets",
        "book.xlsx",
        lambda: workbook(("Incidents", rows_of(table())), ("Notes", [["a note"]]), ("Old", rows_of(table(1)))),
        loaded=3,
        says=("Read the sheet 'Incidents'; the workbook has 3 sheets, and 'Notes', 'Old' were not read",),
    ),
    Case(
        "workbook-sheet-by-name",
        "book.xlsx",
        lambda: workbook(("Incidents", rows_of(table())), ("Old", rows_of(table(1)))),
        loaded=1,
        says=("Read the sheet 'Old'", "'Incidents' were not read"),
        options={"sheet": "Old"},
    ),
    Case(
        "workbook-no-such-sheet",
        "book.xlsx",
        lambda: workbook(("Incidents", rows_of(table()))),
        refused=r"no sheet named 'Data'; its sheets: 'Incidents'",
        options={"sheet": "Data"},
    ),
    Case(
        "workbook-first-sheet-empty",
        "book.xlsx",
        lambda: workbook(("Cover", []), ("Incidents", rows_of(table()))),
        loaded=3,
        says=("Read the sheet 'Incidents' (the sheets before it are empty)",),
    ),
    Case(
        "workbook-repeated-header",
        "book.xlsx",
        lambda: workbook(("S", [[*HEADER.split(","), "name "], [*ROW.format(n=1).split(","), "other"]])),
        refused="columns 2 and 8 are both headed 'name'",
    ),
]
READERS = {"table": importers.read_table, "cfr": importers.read_cfr_tracker, "eurepoc": importers.read_eurepoc}


def _read(case: Case, tmp_path):
    content = case.content()
    path = tmp_path / "upload.bin"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.reader == "table":
        return importers.read_table(path, case.table, name=case.name, **case.options)
    return READERS[case.reader](path, name=case.name, **case.options)


def test_the_corpus_is_large_and_every_case_is_its_own_class():
    assert len(CASES) >= 80
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_bad_file_gets_its_own_true_message(case, tmp_path):
    start = time.perf_counter()
    try:
        result = _read(case, tmp_path)  # any exception but ImporterError fails here, with its traceback
    except importers.ImporterError as error:
        assert case.refused is not None, f"refused, but should load: {error}"
        assert __import__("re").search(case.refused, str(error)), str(error)
        assert str(error).startswith(case.name.replace("\u202e", "\\u202e") + ":")  # names the file
        return
    finally:
        assert time.perf_counter() - start < 10, "bounded work: a malformed file is answered in seconds"
    assert case.refused is None, f"should be refused ({case.refused}), but loaded: {result.summary()}"
    assert result.loaded + result.rejected_rows == result.rows_read  # nothing lost
    if case.loaded is not None:
        assert result.loaded == case.loaded, said(result)
    if case.rejected is not None:
        assert result.rejected_rows == case.rejected, said(result)
    everything = said(result)
    for words in case.says:
        assert words in everything, everything
    if case.check is not None:
        assert case.check(result) is not False, said(result)
    for frame in (result.rejected, result.flagged):
        assert list(frame.columns) == importers.REPORT_COLUMNS
        assert frame[["file", "column", "expected"]].ne("").all().all() and (frame[["row", "line"]] > 0).all().all()


def test_refusals_name_what_each_file_is_in_different_words(tmp_path):
    """Every refusal says something of its own: no two kinds of file get the same sentence."""
    messages = {}
    for case in CASES:
        if case.refused is None:
            continue
        with pytest.raises(importers.ImporterError) as refused:
            _read(case, tmp_path)
        messages[case.id] = str(refused.value).split(":", 1)[1].strip()
    same = {message: [i for i, m in messages.items() if m == message] for message in messages.values()}
    shared = sorted(ids for ids in same.values() if len(ids) > 1)
    # Only the same kind of problem in two guises shares a sentence.
    assert shared == [["empty", "whitespace-only"], ["header-repeated-after-trimming", "workbook-repeated-header"]]


def test_the_upload_boxs_automatic_mode_reads_what_the_export_readers_read():
    """A BOM, ; or tab as delimiter, quoted headers, UTF-16: still recognised as the export it is."""
    cfr = CFR_HEADER + "\n" + CFR_ROW.format(n=1, sponsor="China") + "\n"
    eurepoc = EUREPOC_HEADER + "\n" + EUREPOC_ROW.format(n=1, receivers="['France']", initiators="['Russia']") + "\n"
    variants = {
        "bom": lambda text: codecs.BOM_UTF8 + text.encode(),
        "semicolon": lambda text: text.replace(",", ";").encode(),
        "tab": lambda text: text.replace(",", "\t").encode(),
        "quoted-header": lambda text: (
            ",".join(f'"{h}"' for h in text.split("\n", 1)[0].split(",")).encode()
            + b"\n"
            + text.split("\n", 1)[1].encode()
        ),
        "utf16": lambda text: text.encode("utf-16"),
    }
    for fmt, text in (("cfr", cfr), ("eurepoc", eurepoc)):
        for how, encode in variants.items():
            content = encode(text)
            assert importers.detect_format(content) == fmt, (fmt, how)
            report = READERS[fmt](content, name=f"{fmt}-{how}.csv")
            assert report.rows_read == 1 and report.loaded + report.rejected_rows == 1, (fmt, how, said(report))
    # A semicolon EuRepoC export whose descriptions are full of commas is read with ";", not ",".
    text = (
        EUREPOC_HEADER.replace(",", ";")
        + "\n1;Op, one;A, b, c, d, e, f, g, h;2019-05-01;Data theft;['France'];['Russia'];\n"
    )
    assert importers.read_eurepoc(text.encode(), name="semi.csv").delimiter == ";"


@pytest.mark.skipif(
    not (SHARED / "cyber-operations-incidents.csv").exists(), reason="../shared/external-data is absent"
)
def test_a_real_cfr_export_cut_off_mid_download_loads_its_complete_rows():
    whole = (SHARED / "cyber-operations-incidents.csv").read_bytes()
    complete = importers.read_cfr_tracker(whole, name="whole.csv")
    cut = whole[: len(whole) * 2 // 3]
    report = importers.read_cfr_tracker(cut, name="cut.csv")
    assert report.loaded + report.rejected_rows == report.rows_read
    assert any("looks truncated" in note for note in report.notes)
    last = report.rejected.iloc[-1]
    assert "the file ends inside this row" in last["expected"] and last["row"] == report.rows_read + 1
    assert last["line"] > last["row"]  # quoted descriptions span lines: the line is where the row begins
    # Every complete row before the cut loaded as it does from the whole file.
    before = complete.frame[complete.frame["origin"].str.extract(r"row (\d+)")[0].astype(int) < last["row"]]
    assert list(report.frame["name"]) == list(before["name"])
    assert report.loaded > 0.6 * complete.loaded


def test_every_reader_finishes_a_20_mb_file_in_seconds():
    """The sniffer reads a capped prefix (it was quadratic: 0.5 MB of quoted text took a minute)."""
    row = '"x{n}","A name, quoted","2021-05-07","day","ransomware","A ""quoted"" summary, with commas","unattributed"'
    lines = [HEADER] + [row.format(n=n) for n in range(150_000)]
    content = ("\n".join(lines) + "\n").encode()
    assert len(content) > 15_000_000
    start = time.perf_counter()
    assert importers.detect_format(content) == "generic"
    assert time.perf_counter() - start < 1
    start = time.perf_counter()
    report = importers.read_table(content, "incidents", name="big.csv")
    assert report.loaded == 150_000 and time.perf_counter() - start < 30, time.perf_counter() - start


def test_os_level_failures_are_messages_too(tmp_path):
    with pytest.raises(importers.ImporterError, match="this is a folder, not a file"):
        importers.read_table(tmp_path, "incidents")
    with pytest.raises(importers.ImporterError, match=r"cannot read the file \(No such file"):
        importers.read_table(tmp_path / "missing.csv", "incidents")
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.csv"
        locked.write_text(table())
        locked.chmod(0)
        with pytest.raises(importers.ImporterError, match="cannot read the file"):
            importers.read_table(locked, "incidents")


# ---- For random input: rows loaded + rows rejected = rows in the file --------------------------

from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SPECIAL_CELLS = st.sampled_from(
    [
        "",
        " ",
        '"',
        '""',
        ",",
        ";",
        "\t",
        "|",
        "\n",
        "\r\n",
        "\r",
        "\x00",
        "\u202e",
        "\u200b",
        "é",
        "€",
        "中国",
        "=1+1",
        "2021-05-07",
        "05/07/2021",
        "Q2 2017",
        "0217-06-27",
        "inf",
        "1e400",
        "day",
        "ransomware",
        "unattributed",
        "['x'",
        "[[[",
    ]
)
CELLS = st.one_of(st.text(st.characters(blacklist_categories=["Cs"], max_codepoint=0x2FFF), max_size=12), SPECIAL_CELLS)
#: Examples per property (BRIEFING_FUZZ_EXAMPLES=5000 for a long hunt; the suite's default stays quick).
FUZZ_EXAMPLES = int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "100"))
LAYOUTS = {"table": HEADER, "cfr": CFR_HEADER, "eurepoc": EUREPOC_HEADER}


def _written(rows: list[list[str]], header: str, delimiter: str, terminator: str) -> tuple[str, list[tuple[int, int]]]:
    """The CSV text, and where each row's text begins and ends (its line break excluded)."""
    import csv

    text = header.replace(",", delimiter) + terminator
    spans = []
    for row in rows:
        buffer = io.StringIO()
        # csv.writer quotes only the line break it writes: a bare "\r" in a cell would be a line break
        # to every reader, so such a row is quoted whole (as spreadsheets write it).
        breaks = any("\r" in cell or "\n" in cell for cell in row)
        quoting = csv.QUOTE_ALL if breaks else csv.QUOTE_MINIMAL
        csv.writer(buffer, delimiter=delimiter, lineterminator=terminator, quoting=quoting).writerow(row)
        start = len(text)
        text += buffer.getvalue()
        spans.append((start, len(text) - len(terminator)))
    return text, spans


def _rows_before(text: str, spans: list[tuple[int, int]], cut: int) -> int:
    """Rows wholly or partly in the file when it is cut at ``cut``: every row begins with an id, so a
    cut-off row counts once any of its id is in (an opening quote alone holds nothing)."""
    return sum(start < cut and bool(text[start:cut].strip('"')) for start, _ in spans)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.lists(st.lists(CELLS, max_size=9), min_size=1, max_size=8),
    layout=st.sampled_from(sorted(LAYOUTS)),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    terminator=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]),
    cut_at=st.one_of(st.none(), st.floats(0, 1)),
)
def test_rows_loaded_plus_rows_rejected_equal_the_rows_in_the_file(
    body, layout, delimiter, terminator, encoding, cut_at
):
    rows = [[f"r{n}", *cells] for n, cells in enumerate(body)]  # an id first: no row is blank
    text, spans = _written(rows, LAYOUTS[layout], delimiter, terminator)
    expected = len(rows)
    if cut_at is not None:
        cut = spans[0][0] + int(cut_at * (len(text) - spans[0][0]))
        text, expected = text[:cut], _rows_before(text, spans, cut)
    assume(expected > 0)
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    try:
        report = READERS[layout](content, **({"table": "incidents"} if layout == "table" else {}), name="random.csv")
    except importers.ImporterError as error:
        # Only a file that is mostly control bytes may be refused, and then as binary.
        assert "binary file" in str(error), str(error)
        return
    assert report.loaded + report.rejected_rows == report.rows_read
    if report.delimiter == delimiter:  # the same file read with another delimiter has other rows
        assert report.rows_read == expected, (report.summary(), report.notes)
    problems = pd.concat([report.rejected, report.flagged])
    assert list(problems.columns) == importers.REPORT_COLUMNS
    assert problems[["file", "column", "expected"]].ne("").all().all() and (problems[["row", "line"]] > 0).all().all()
    assert set(report.rejected["row"]).isdisjoint(report.frame["origin"].str.extract(r"row (\d+)$")[0].astype(int))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(
    prefix=st.sampled_from(
        [
            b"",
            b"PK\x03\x04",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"%PDF-",
            b"<html>",
            b"{",
        ]
    ),
    noise=st.binary(max_size=600),
    reader=st.sampled_from(sorted(READERS)),
)
def test_random_bytes_are_refused_or_read_never_a_traceback(prefix, noise, reader):
    content = prefix + noise
    try:
        report = READERS[reader](content, **({"table": "incidents"} if reader == "table" else {}), name="noise.csv")
    except importers.ImporterError as error:
        assert str(error).startswith("noise.csv: ") and len(str(error)) > 20
        return
    assert report.loaded + report.rejected_rows == report.rows_read


def test_a_workbook_too_big_to_read_in_seconds_is_refused_with_the_way_out(monkeypatch):
    from briefing.importers import excel

    content = workbook(("Big", rows_of(table(200))))
    monkeypatch.setattr(excel, "SHEET_XML_LIMIT", 10_000)
    with pytest.raises(
        importers.ImporterError, match=r"the workbook's sheets unpack to .* MB.*Save the sheet you need as CSV"
    ):
        importers.read_table(content, "incidents", name="big.xlsx")
