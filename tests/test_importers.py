"""Bring your own data: every quirk and every failure, with fixture files written here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import data, importers

SHARED = REPO.parent / "shared" / "external-data"
HEADER = "incident_id,name,start_date,date_precision,incident_type,summary,attribution_status"
GOOD = "x1,Test incident,2021-05-07,day,ransomware,A pipeline was hit.,unattributed"


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def test_a_plain_file_loads_with_typed_columns_and_its_origin(tmp_path):
    report = importers.read_table(write(tmp_path, "mine.csv", f"{HEADER}\n{GOOD}\n"), "incidents")
    assert report.loaded == 1 and report.rejected.empty
    row = report.frame.iloc[0]
    assert row["start_date"] == pd.Timestamp("2021-05-07") and row["origin"] == "mine.csv, row 2"
    assert row["source_id"] == "import_mine"  # credited to the file itself


def test_bad_rows_are_reported_with_file_row_column_value_and_expectation(tmp_path):
    bad = "x2,Bad date,07/05/2021,day,ransomware,s,unattributed\nx3,Bad type,2021-01-01,day,hacking,s,unattributed"
    report = importers.read_table(write(tmp_path, "mixed.csv", f"{HEADER}\n{GOOD}\n{bad}\n"), "incidents")
    assert report.loaded == 1 and report.rejected_rows == 2
    problems = report.rejected.set_index("row")
    assert problems.loc[3, "column"] == "start_date" and problems.loc[3, "value"] == "07/05/2021"
    assert problems.loc[3, "expected"].startswith("a date as YYYY-MM-DD") and problems.loc[3, "file"] == "mixed.csv"
    assert "7 May or 5 July?" in problems.loc[3, "expected"]  # day first or month first: asked, not guessed
    assert problems.loc[4, "column"] == "incident_type" and "ransomware" in problems.loc[4, "expected"]
    with pytest.raises(importers.ImporterError, match="all-or-nothing") as refused:
        importers.read_table(tmp_path / "mixed.csv", "incidents", all_or_nothing=True)
    assert refused.value.report.rejected_rows == 2


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", "\t")])
def test_encodings_and_delimiters_are_detected(tmp_path, encoding, delimiter):
    lines = [HEADER, "x1,Attaque contre l'hôpital – Düsseldorf,2020-09-10,day,ransomware,Café résumé,unattributed"]
    text = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    report = importers.read_table(write(tmp_path, "enc.csv", text, encoding), "incidents")
    assert report.loaded == 1 and report.frame.iloc[0]["name"] == "Attaque contre l'hôpital – Düsseldorf"
    assert report.delimiter == delimiter
    assert report.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")


def test_a_column_mapping_renames_headers(tmp_path):
    text = "Title,When,Kind,What,Status,Precision,ID\nSony,2014-11-24,wiper,Studio hit,official_attribution,day,s1\n"
    mapping = {
        "Title": "name",
        "When": "start_date",
        "Kind": "incident_type",
        "What": "summary",
        "Status": "attribution_status",
        "Precision": "date_precision",
        "ID": "incident_id",
    }
    report = importers.read_table(write(tmp_path, "own.csv", text), "incidents", mapping=mapping)
    assert report.loaded == 1 and report.frame.iloc[0]["name"] == "Sony"
    with pytest.raises(importers.ImporterError, match="needs the column") as missing:
        importers.read_table(tmp_path / "own.csv", "incidents")
    # Said in words a reader of the app can act on (no Python), naming the file's own headers.
    assert "'When'" in str(missing.value) and "mapping=" not in str(missing.value)


def test_excel_files_and_excel_date_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["e1", "Excel date cell", pd.Timestamp("2017-06-27").to_pydatetime(), "day", "wiper", "s", "unattributed"]
    )
    sheet.append(["e2", "Serial number", 42913, "day", "wiper", "s", "unattributed"])  # 2017-06-27 as Excel counts
    book.save(tmp_path / "book.xlsx")
    report = importers.read_table(tmp_path / "book.xlsx", "incidents")
    assert report.encoding == "Excel, sheet 'Sheet'" and report.loaded == 2
    assert set(report.frame["start_date"]) == {pd.Timestamp("2017-06-27")}


def test_empty_header_only_binary_and_too_large_files_each_get_their_own_message(tmp_path, monkeypatch):
    with pytest.raises(importers.ImporterError, match="is empty"):
        importers.read_table(write(tmp_path, "empty.csv", ""), "incidents")
    with pytest.raises(importers.ImporterError, match="header row but no data rows"):
        importers.read_table(write(tmp_path, "head.csv", HEADER + "\n"), "incidents")
    with pytest.raises(importers.ImporterError, match="binary file"):
        importers.read_table(write(tmp_path, "blob.csv", b"\x00\x01\x02binary\x00" * 50), "incidents")
    big = write(tmp_path, "big.csv", f"{HEADER}\n" + f"{GOOD}\n" * 2000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("a too-large file must be refused unread"))
    with pytest.raises(importers.ImporterError, match=r"more than the import limit of 0 MB"):
        importers.read_table(big, "incidents", max_bytes=1000)


def test_unknown_table_is_named():
    with pytest.raises(importers.ImporterError, match="no kit table named 'incidnets'"):
        importers.read_table(b"a\n1\n", "incidnets")


# ---- The two known exports, with their quirks in small fixture files ------------------------------

CFR_HEADER = "Title,Date,Affiliations,Description,Response,Victims,Sponsor,Type,Category,Sources_1,Sources_2,Sources_3"
CFR_FIXTURE = (
    CFR_HEADER + "\r\n"
    '"Hack of a ministry",1/5/2022,APT0,"Line one of a description\nline two, with a comma and Russia?? war.",'
    'Denouncement   https://example.org/statement,Ministry,"United States, Israel",Espionage,"Government, Military",https://a.example,,\r\n'
    '"Attack by two states",12/31/2019,,"Short.",,Banks,"Palestine, State of",Denial of service,Private sector,,,\r\n'
    '"Iran example",3/9/2016,,"Short.",,Banks,Iran (Islamic Republic of),Financial Theft,"Private sector, Government",,,\r\n'
    '"Shifted row",2/2/2020,x,"Desc",Norway,Victims,Espionage,https://shifted.example,Government,,,\r\n'
    '"No date",,,"Desc",,Victims,China,Espionage,Government,,,\r\n'
)


def test_cfr_tracker_quirks(tmp_path):
    report = importers.read_cfr_tracker(write(tmp_path, "cfr.csv", CFR_FIXTURE))
    assert report.rows_read == 5 and report.loaded == 3 and report.rejected_rows == 2
    rows = report.frame.set_index("name")
    ministry = rows.loc["Hack of a ministry"]
    assert ministry["start_date"] == pd.Timestamp("2022-01-05") and ministry["incident_type"] == "espionage"
    assert ministry["attributed_actor"] == "USA, ISR" and ministry["attribution_status"] == "official_attribution"
    assert "line two" in ministry["summary"]
    assert rows.loc["Attack by two states", "attributed_actor"] == "PSE"
    assert rows.loc["Attack by two states", "attribution_status"] == "industry_reporting"
    assert rows.loc["Iran example", "incident_type"] == "financial_theft"
    reasons = report.rejected.set_index("row")["expected"]
    assert "shifted by one" in reasons.loc[5] and "M/D/YYYY" in reasons.loc[6]
    sectors = report.extra["incident_sectors"]
    assert set(sectors["sector"]) == {"government", "military", "other_private"}


EUREPOC_HEADER = "ID,name,description,start_date,incident_type,receiver_country,initiator_country,attribution_type"
EUREPOC_FIXTURE = (
    EUREPOC_HEADER + "\n"
    "1,Op one,\"Two\nlines — with €\",2019-05-01,Data theft; Hijacking with Misuse,\"['United States', 'Korea, Republic of']\","
    '"[""Korea, Democratic People\'s Republic of""]",Attribution by receiver government / state entity (e.g. technical attribution)\n'
    "2,Op two,Desc,2020-02-02,Ransomware,[],['Unknown'],\n"
    "3,Op three,Desc,,Disruption,['Germany'],['Not available'],\n"
    "4,Op four,Desc,2021-03-03,Something else,['France'],['none'],NaT; 2019-05-01\n"
)


def test_eurepoc_quirks(tmp_path):
    report = importers.read_eurepoc(write(tmp_path, "eurepoc.csv", EUREPOC_FIXTURE))
    assert report.loaded == 2 and report.rejected_rows == 2
    one = report.frame.set_index("name").loc["Op one"]
    assert one["incident_type"] == "data_theft" and one["attributed_actor"] == "PRK"
    assert one["attribution_status"] == "official_attribution" and "€" in one["summary"]
    two = report.frame.set_index("name").loc["Op two"]
    assert pd.isna(two["attributed_actor"]) and two["attribution_status"] == "unattributed"
    targets = report.extra["incident_targets"]
    assert set(targets["country_iso3"]) == {"USA", "KOR"}


@pytest.mark.parametrize(
    "cell, codes",
    [
        ("United States, Israel", ["USA", "ISR"]),
        ("Korea (Democratic People's Republic of)", ["PRK"]),
        ("Russian Federation, United States of America", ["RUS", "USA"]),
        ("Palestine, State of", ["PSE"]),
        ("[['NATO', 'NORTHAM'], ['Korea, Republic of']]", ["KOR"]),
        ("Ukraine; Russia", ["UKR", "RUS"]),
        ("Unknown", []),
        ("Korea", []),  # ambiguous: never guessed
    ],
)
def test_country_names_in_many_spellings(cell, codes):
    assert importers.split_countries(cell) == codes


@pytest.mark.parametrize(
    "name, code",
    [
        ("Russie", "RUS"),  # French (short form of "Russie, Fédération de")
        ("Россия", "RUS"),  # Russian, everyday name
        ("Российская Федерация", "RUS"),
        ("中国", "CHN"),  # Chinese
        ("الصين", "CHN"),  # Arabic, written without vowel marks
        ("Estados Unidos", "USA"),  # Spanish
        ("Etats-Unis", "USA"),  # French without its accent
        ("Islamic Republic of Iran", "IRN"),  # "Iran, Islamic Republic of" turned round
        ("The Philippines", "PHL"),
        ("DPRK", "PRK"),
        ("FRA", "FRA"),  # a code in capitals
        ("XXX", None),  # no such code
        ("0", None),  # digits are no country (they used to match Sweden)
        ("3", None),
        ("Korea", None),  # two countries: never guessed
        ("Corée", None),
        ("Atlantis", None),
    ],
)
def test_country_names_in_the_un_languages_and_no_guessing(name, code):
    assert importers.country_code(name) == code


def test_a_country_name_the_kit_does_not_know_costs_microseconds_not_a_fuzzy_search():
    import time

    start = time.perf_counter()
    assert all(importers.country_code(f"Nowhere {n}") is None for n in range(2000))
    assert time.perf_counter() - start < 1.0  # a fuzzy lookup took about 14 ms per miss: 28 s here


@pytest.mark.skipif(
    not (SHARED / "cyber-operations-incidents.csv").exists(), reason="../shared/external-data is absent"
)
def test_the_real_exports_import_with_counts_reported():
    cfr = importers.read_cfr_tracker(SHARED / "cyber-operations-incidents.csv")
    eurepoc = importers.read_eurepoc(SHARED / "EuRepoC_Global_Database_1.1.csv")
    print(cfr.summary())
    print(eurepoc.summary())
    assert cfr.rows_read == 768 and cfr.loaded + cfr.rejected_rows == 768
    assert cfr.rejected["expected"].str.contains("shifted by one").sum() == 6
    assert cfr.rejected["column"].eq("Date").sum() == 15  # the 15 empty dates
    assert eurepoc.rows_read == 1643 and eurepoc.loaded + eurepoc.rejected_rows == 1643
    assert eurepoc.rejected["column"].eq("start_date").sum() == 16  # the 16 empty start dates
    assert len(eurepoc.extra["incident_targets"]) > 1000


def test_imported_rows_chart_beside_the_curated_ones(tmp_path):
    from briefing import charts

    report = importers.read_table(write(tmp_path, "mine.csv", f"{HEADER}\n{GOOD}\n"), "incidents")
    both = importers.combine_with_curated(report)
    assert (both["provenance"] == "imported").sum() == 1 and (both["provenance"] == "curated").sum() == len(
        data.load("incidents")
    )
    fig = charts.incidents_by_year(both)
    assert sum(sum(t.y) for t in fig.data if not (t.meta or {}).get("legend")) == len(both)


def test_rejected_rows_download_with_formulas_neutralised(tmp_path):
    text = f"{HEADER}\nx9,A name,=1+2,day,@wiper,s,unattributed\n"
    report = importers.read_table(write(tmp_path, "evil.csv", text), "incidents")
    downloaded = pd.read_csv(__import__("io").StringIO(report.rejected_csv()), dtype=str)
    assert set(downloaded["value"]) == {"'=1+2", "'@wiper"}


def test_importing_never_writes_inside_data(tmp_path):
    files = [p for p in (REPO / "data").rglob("*") if p.is_file()]
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    importers.read_table(write(tmp_path, "mine.csv", f"{HEADER}\n{GOOD}\n"), "incidents")
    importers.read_cfr_tracker(write(tmp_path, "cfr.csv", CFR_FIXTURE))
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "data").rglob("*") if p.is_file()}
    assert before == after


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "NaT", "=1+1", "\x00", "2021-13-45", "day", "wiper", "'", '"', "\n", ";", ",", "[", "['x'", "€"]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=9), min_size=0, max_size=6),
    header=st.sampled_from([HEADER, CFR_HEADER, EUREPOC_HEADER, "a,b", ""]),
    reader=st.sampled_from(["table", "cfr", "eurepoc"]),
)
def test_random_malformed_input_only_ever_raises_the_documented_error(rows, header, reader):
    import csv
    import io

    buffer = io.StringIO()
    if header:
        buffer.write(header + "\n")
    csv.writer(buffer).writerows(rows)
    content = buffer.getvalue().encode("utf-8", errors="replace")
    read = {
        "table": lambda c: importers.read_table(c, "incidents", name="fuzz.csv"),
        "cfr": lambda c: importers.read_cfr_tracker(c, name="fuzz.csv"),
        "eurepoc": lambda c: importers.read_eurepoc(c, name="fuzz.csv"),
    }[reader]
    try:
        report = read(content)
    except importers.ImporterError:
        return
    assert report.loaded + report.rejected_rows == report.rows_read  # every row loaded or rejected
    assert list(report.rejected.columns) == importers.REPORT_COLUMNS


def test_a_plain_title_date_type_summary_file_loads_with_what_the_kit_can_derive(tmp_path):
    """A non-programmer's file: headers in words, dates to the year or month, no ids, no attribution."""
    upload = tmp_path / "my incidents.csv"
    upload.write_text(
        "Title,Date,Type,Summary\n"
        "Hospital ransomware,2021-05,ransomware,First row\n"
        "Grid outage,2019,sabotage,Second row\n"
        "Grid outage,2019-03-02,sabotage,Same name and year\n"
        "Bad date,07/05/2021,ransomware,Third\n"
    )
    report = importers.read_table(upload, "incidents")
    loaded = report.frame.set_index("incident_id")
    assert list(loaded.index) == ["hospital_ransomware_2021", "grid_outage_2019", "grid_outage_2019_2"]
    assert list(loaded["date_precision"]) == ["month", "year", "day"]
    assert [d.strftime("%Y-%m-%d") for d in loaded["start_date"]] == ["2021-05-01", "2019-01-01", "2019-03-02"]
    assert set(loaded["attribution_status"]) == {"unattributed"}
    assert len(report.derived) == 3 and any("attribution_status" in said for said in report.derived)
    (rejected,) = report.rejected.itertuples()
    assert (rejected.row, rejected.column, rejected.value) == (5, "start_date", "07/05/2021")


def test_a_file_missing_a_column_the_kit_cannot_derive_says_so_in_words(tmp_path):
    (tmp_path / "x.csv").write_text("Title,Type\nA,ransomware\n")
    with pytest.raises(importers.ImporterError) as refused:
        importers.read_table(tmp_path / "x.csv", "incidents")
    message = str(refused.value)
    assert "start_date" in message and "mapping=" not in message and "Rename those headers" in message


def test_the_column_guide_says_what_a_file_needs_before_upload():
    guide = importers.column_guide("incidents").set_index("column")["in your file"]
    assert guide["name"] == "required" and guide["start_date"] == "required"
    assert guide["incident_id"].startswith("optional") and guide["date_precision"].startswith("optional")
    assert guide["attribution_status"].startswith("optional")
