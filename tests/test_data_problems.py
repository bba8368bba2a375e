"""What `briefing validate` and `data.load` say about a broken package: file, row and column, in one
clear message, for each kind of problem the fuzzing found them missing. Each test breaks a copy of
data/ (the `package_copy` fixture); the shipped data is never touched."""

from __future__ import annotations

import json

import pytest
from conftest import replace_cell

from briefing import cli, data


def _problems(folder, **where) -> list[dict]:
    table = data.validate(folder, use_cache=False).to_frame()
    for column, value in where.items():
        table = table[table[column] == value]
    return table.to_dict("records")


def _refused(table: str) -> data.DataPackageError:
    with pytest.raises(data.DataPackageError) as raised:
        data.load(table)
    assert "\n" not in str(raised.value)
    return raised.value


def _edit_package(folder, change) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text())
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2))
    data._descriptor.cache_clear()
    data._resources_by_name.cache_clear()


@pytest.mark.parametrize("as_of", [None, "30 November 2026", "2026-02-30", 20261130])
def test_an_as_of_date_missing_or_not_a_date_is_named(package_copy, as_of):
    _edit_package(package_copy, lambda d: d.pop("as_of") if as_of is None else d.update(as_of=as_of))
    (found,) = _problems(package_copy, column="as_of")
    assert found["file"] == "datapackage.json" and found["value"] == as_of
    with pytest.raises(data.DataPackageError, match=r"datapackage\.json, key 'as_of'"):
        data.as_of()


def test_briefing_validate_lists_a_missing_as_of_date_and_exits_1(package_copy, capsys):
    _edit_package(package_copy, lambda d: d.pop("as_of"))
    assert cli.main(["validate", str(package_copy)]) == 1
    out, err = capsys.readouterr()
    assert "datapackage.json" in out and 'an "as_of" date' in out and err.strip() == "1 problem(s) found"


@pytest.mark.parametrize(
    "precision, date, expected",
    [("month", "2004-01-15", "the 1st (start_precision says month)"), ("year", "2004-03-01", "1 January")],
)
def test_a_date_finer_than_its_precision_is_named(package_copy, precision, date, expected):
    replace_cell(package_copy / "forums.csv", 3, "start_date", date)
    replace_cell(package_copy / "forums.csv", 3, "start_precision", precision)
    (found,) = _problems(package_copy, file="forums.csv")
    assert (found["row"], found["column"], found["value"]) == (3, "start_date", date)
    assert expected in found["expected"]
    refused = _refused("forums")
    assert f"forums.csv, row 3, column 'start_date': got '{date}', expected {expected}" in str(refused)


def test_an_end_before_its_start_is_named(package_copy):
    replace_cell(package_copy / "forums.csv", 3, "end_date", "2003-01-01")
    (found,) = _problems(package_copy, file="forums.csv")
    assert (found["row"], found["column"], found["value"]) == (3, "end_date", "2003-01-01")
    assert "on or after start_date" in found["expected"]
    assert "row 3, column 'end_date'" in str(_refused("forums"))


def test_an_end_known_to_the_month_may_share_the_month_of_its_start(package_copy):
    incidents = package_copy / "incidents.csv"
    replace_cell(incidents, 2, "start_date", "2017-06-27")
    replace_cell(incidents, 2, "date_precision", "day")
    replace_cell(incidents, 2, "end_date", "2017-06-01")
    replace_cell(incidents, 2, "end_precision", "month")
    assert _problems(package_copy, file="incidents.csv") == []
    data.load("incidents")


def test_a_date_after_the_as_of_date_is_named(package_copy):
    replace_cell(package_copy / "events.csv", 4, "date", "2099-01-01")
    replace_cell(package_copy / "events.csv", 4, "date_precision", "year")
    (found,) = _problems(package_copy, file="events.csv")
    assert found["row"] == 4 and "no later than the data's as-of date" in found["expected"]


@pytest.mark.parametrize("line", [1, 3], ids=["first row", "a later row"])
def test_a_row_with_an_extra_field_is_named_with_its_row(package_copy, line):
    path = package_copy / "themes.csv"
    lines = path.read_text().splitlines()
    lines[line] += ",surplus"
    path.write_text("\n".join(lines) + "\n")
    refused = _refused("themes")
    assert f"themes.csv, row {line + 1}, column '(beyond source_id)': got 'surplus', expected 4 fields" in str(refused)
    assert any(p["row"] == line + 1 for p in _problems(package_copy, file="themes.csv"))


def test_a_latin_1_file_is_named_with_row_and_column(package_copy):
    path = package_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    lines[5] = lines[5].replace(",", ",Säule ", 1)  # into the second column of row 6
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1", errors="replace"))
    refused = str(_refused("glossary"))
    assert f"glossary.csv, row 6, column '{header[1]}'" in refused and "save the file again as UTF-8" in refused
    found = _problems(package_copy)
    assert [(p["file"], p["row"], p["column"]) for p in found if "UTF-8" in str(p["expected"])] == [
        ("glossary.csv", 6, header[1])
    ]
    assert not any("could not be successfully decoded" in str(p["expected"]) for p in found)
