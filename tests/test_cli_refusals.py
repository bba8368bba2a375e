"""Every bad invocation of `briefing`: a non-zero exit, one line that says what to do, no traceback,
and nothing written."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import cli, export, writing

LONG = "x" * 300


def briefing(capsys, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (as `briefing ARGS`): exit status, stdout, stderr."""
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    """A working folder with a file, a folder and an earlier export's data file in it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "exports").mkdir()
    (tmp_path / "taken.data.csv").write_text("mine")
    return tmp_path


def _listing(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


REFUSALS = {
    "unknown chart": (["export", "nope", "--out", "x.html"], "invalid choice: 'nope'"),
    "unknown preset": (["export", "timeline", "--preset", "huge", "--out", "x.html"], "invalid choice: 'huge'"),
    "scale 0": (["export", "timeline", "--scale", "0", "--out", "x.png"], "choose a number from 0.1 to 29.5"),
    "negative scale": (["export", "timeline", "--scale", "-2", "--out", "x.png"], "scale -2 cannot be drawn"),
    "scale nan": (["export", "timeline", "--scale", "nan", "--out", "x.png"], "scale nan cannot be drawn"),
    "scale inf": (["export", "timeline", "--scale", "inf", "--out", "x.png"], "scale inf cannot be drawn"),
    "scale too large": (
        ["export", "timeline", "--scale", "16", "--preset", "slide", "--out", "x.png"],
        "from 0.1 to 11.3 (Chromium draws at most 268 million pixels",
    ),
    "scale a word": (["export", "timeline", "--scale", "big", "--out", "x.png"], "invalid float value: 'big'"),
    "reversed years": (["export", "timeline", "--from", "2025", "--to", "2015", "--out", "x.html"], "after --to"),
    "year after the data": (["export", "timeline", "--from", "3000", "--out", "x.html"], "outside the data"),
    "year before the data": (["export", "incidents-by-year", "--to", "1800", "--out", "x.html"], "outside the data"),
    "negative year": (["export", "un-votes", "--from", "-5", "--out", "x.html"], "--from -5 is outside the data"),
    "year a word": (["export", "timeline", "--from", "soon", "--out", "x.html"], "invalid int value: 'soon'"),
    "forum on the timeline": (
        ["export", "timeline", "--forum", "osce", "--out", "x.html"],
        "timeline does not take --forum: it takes --from, --to, --category, --search",
    ),
    "search on a chart without it": (
        ["export", "incidents-by-year", "--search", "wannacry", "--out", "x.html"],
        "does not take --search",
    ),
    "--from on a map": (["export", "participation-map", "--from", "2015", "--out", "x.html"], "does not take --from"),
    "unknown category": (["export", "timeline", "--category", "nope", "--out", "x.html"], "choose one of: event"),
    "unknown forum": (["export", "participation-map", "--forum", "nope", "--out", "x.html"], "choose one of: asean"),
    "no --out": (["export", "timeline"], "the following arguments are required: --out"),
    "empty --out": (["export", "timeline", "--out", ""], "--out is empty"),
    "missing folder": (["export", "timeline", "--out", "nowhere/x.html"], "the folder nowhere does not exist"),
    "missing folder, trailing slash": (["export", "timeline", "--out", "nowhere/"], "no such folder"),
    "a file as the folder": (["export", "timeline", "--out", "a-file/x.html"], "a-file is a file, not a folder"),
    "a very long name": (["export", "timeline", "--out", LONG + ".html"], "a name of 305 bytes; at most 255 fit"),
    "a name too long with its suffixes": (
        ["export", "timeline", "--out", "y" * 245 + ".html", "--data"],
        "is 263 bytes long and this folder takes at most 255",
    ),
    "unknown format": (["export", "timeline", "--format", "gif", "--out", "x"], "gif is not a format"),
    "unknown suffix": (["export", "timeline", "--out", "x.jpg"], ".jpg is not a format the kit writes"),
    "existing data file": (
        ["export", "timeline", "--out", "taken.html", "--data"],
        "taken.data.csv exists already; choose another name or pass --overwrite",
    ),
    "validate a missing folder": (["validate", "nowhere"], "no folder 'nowhere'"),
    "validate a file": (["validate", "a-file"], "'a-file' is a file"),
    "validate a folder without a package": (["validate", "exports"], "has no datapackage.json"),
    "no command": ([], "the following arguments are required: command"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_bad_invocation_gets_one_line_and_writes_nothing(folder, capsys, case):
    args, says = REFUSALS[case]
    before = _listing(folder)
    status, out, err = briefing(capsys, *args)
    assert status == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("briefing") and "Traceback" not in err, err
    assert says in err, err
    assert _listing(folder) == before, "nothing is written"


def test_an_existing_file_is_named_with_the_way_out(folder, capsys):
    (folder / "chart.html").write_text("mine")
    status, _, err = briefing(capsys, "export", "timeline", "--out", "chart.html")
    assert (
        status == 2 and err == "briefing export: chart.html exists already; choose another name or pass --overwrite\n"
    )
    assert (folder / "chart.html").read_text() == "mine"


def test_an_existing_folder_as_out_gets_the_chart_inside_it(folder, capsys):
    status, out, err = briefing(capsys, "export", "norms-matrix", "--format", "html", "--out", "exports", "--data")
    assert status == 0, err
    assert sorted(p.name for p in (folder / "exports").iterdir()) == [
        "norms-matrix.alt.txt",
        "norms-matrix.data.citation.txt",
        "norms-matrix.data.csv",
        "norms-matrix.html",
    ]
    assert "exports/norms-matrix.html" in out
    status, help_text, _ = briefing(capsys, "export", "--help")
    assert status == 0 and "an existing folder gets CHART.png (or CHART.FORMAT) inside it" in " ".join(
        help_text.split()
    )


def test_a_read_only_folder_is_refused_before_anything_is_drawn(folder, capsys, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(cli.os, "access", lambda path, mode: Path(path).name != "exports" and real_access(path, mode))
    status, _, err = briefing(capsys, "export", "timeline", "--format", "html", "--out", "exports/t")
    assert status == 2 and err == "briefing export: cannot write in exports (read-only): choose another --out\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_folder_is_refused(folder, capsys):
    (folder / "exports").chmod(0o555)
    try:
        status, _, err = briefing(capsys, "export", "timeline", "--format", "html", "--out", "exports/t")
    finally:
        (folder / "exports").chmod(0o755)
    assert status == 2 and "read-only" in err and err.count("\n") == 1


def test_a_disk_that_fills_up_half_way_leaves_nothing_behind(folder, capsys, monkeypatch):
    real_write = Path.write_bytes
    written = []

    def fill_up(path, content):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        return real_write(path, content)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    before = _listing(folder)
    status, _, err = briefing(capsys, "export", "timeline", "--format", "html", "--out", "t", "--data")
    assert status == 2 and err.count("\n") == 1 and "No space left on device; nothing was written" in err, err
    assert _listing(folder) == before and not list(folder.glob(".briefing-staging-*"))


def test_overwrite_replaces_a_link_and_never_writes_where_it_points(folder, capsys):
    outside = folder / "outside.html"
    outside.write_text("someone else's file")
    (folder / "exports" / "t.html").symlink_to(outside)
    status, _, err = briefing(capsys, "export", "timeline", "--format", "html", "--out", "exports/t", "--overwrite")
    assert status == 0, err
    assert outside.read_text() == "someone else's file"
    assert not (folder / "exports" / "t.html").is_symlink()


def test_a_fault_of_the_kit_is_still_one_line(folder, capsys, monkeypatch):
    monkeypatch.setattr(cli.data, "overview", lambda: 1 / 0)
    status, _, err = briefing(capsys, "tables")
    assert status == cli.KIT_FAULT and err.count("\n") == 1 and "ZeroDivisionError" in err and "report" in err


@pytest.mark.parametrize(
    "args",
    [
        ["export", "timeline", "--scale", "16", "--preset", "slide", "--out", "x.png"],
        ["export", "timeline", "--out", LONG + ".png"],
        ["validate", "nowhere"],
    ],
    ids=["scale", "long name", "validate nowhere"],
)
def test_as_a_reader_runs_it_the_command_says_one_line(tmp_path, args):
    result = subprocess.run([sys.executable, "-m", "briefing.cli", *args], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_the_largest_scale_is_what_chromium_can_draw():
    for preset, (width, height) in export.PRESETS.items():
        largest = export.largest_scale(preset)
        assert width * height * largest**2 <= export.MAX_PIXELS < width * height * (largest + 0.1) ** 2
    with pytest.raises(export.ExportError, match=r"from 0\.1 to 11\.3"):
        export.check_scale(11.4, "slide")
    assert writing.NAME_MAX == 255
