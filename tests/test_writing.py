"""Every path a reader types stays inside its folder: the kit writes through briefing.writing (plain
names, every target checked first, all or none), and nowhere else."""

from __future__ import annotations

import ast

import pytest
from conftest import REPO

from briefing import controls, writing

#: The modules that write files, and why each may (everything else must go through these).
WRITERS = {
    "briefing/writing.py": "where writes go: the staging folder, moved in whole",
    "briefing/export.py": "writes each drawn file into writing.all_or_nothing's staging folder",
    "briefing/data.py": "the mark of a passed validation, in the user's cache folder (never data/)",
    "briefing/teaching/packs.py": "writes each pack page (and chromium its PDF) into writing.all_or_nothing's staging "
    "folder; the notebook button makes its exports folder",
    "briefing/site/build.py": "the static site, into a folder that is new, empty or marked as an earlier build "
    "(site.build.clear_site_folder refuses any other, and the data)",
    "briefing/site/handouts.py": "the handout PDFs, printed by chromium into the folder `make handouts` names",
}
_WRITING_METHODS = {"write_text", "write_bytes", "touch", "mkdir", "symlink_to", "to_excel", "to_parquet", "to_pickle"}
_OS_WRITES = {"replace", "rename", "remove", "unlink", "makedirs", "mkdir", "symlink", "link", "open", "write"}
_SHUTIL_WRITES = {"copy", "copy2", "copyfile", "copytree", "move", "rmtree"}


def _writes(tree: ast.AST) -> list[int]:
    """Lines that write a file: a Path write, a frame written to a path, open() for writing, os/shutil moves."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and (
            func.attr in _WRITING_METHODS
            or (func.attr == "to_csv" and node.args)
            or (isinstance(func.value, ast.Name) and func.value.id == "os" and func.attr in _OS_WRITES)
            or (isinstance(func.value, ast.Name) and func.value.id == "shutil" and func.attr in _SHUTIL_WRITES)
        ):
            lines.append(node.lineno)
        if isinstance(func, ast.Name) and func.id == "open":
            modes = node.args[1:2] + [k.value for k in node.keywords if k.arg == "mode"]
            if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
                lines.append(node.lineno)
    return lines


def test_only_the_writing_modules_write_files():
    found = {}
    for path in sorted((REPO / "briefing").rglob("*.py")):
        name = str(path.relative_to(REPO))
        lines = _writes(ast.parse(path.read_text()))
        if lines and name not in WRITERS:
            found[name] = lines
    assert found == {}, "write through briefing.writing (a plain name in its folder, all or none)"


def test_the_guard_sees_a_write():
    assert _writes(ast.parse("from pathlib import Path\nPath('x').write_text('y')\nopen('z', 'w')\n")) == [2, 3]


@pytest.fixture()
def studio(tmp_path):
    chart_studio = controls.ChartStudio.from_package(folder=str(tmp_path / "exports"))
    for fmt, box in chart_studio.formats.items():
        box.value = fmt == "html"
    return chart_studio


def test_the_studio_replaces_a_link_in_its_folder_and_never_writes_where_it_points(studio, tmp_path):
    outside = tmp_path / "notes.html"
    outside.write_text("someone else's page")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "chart.html").symlink_to(outside)
    studio.filename.value, studio.overwrite.value = "chart", True
    studio._on_export()
    assert "Exported" in studio.message.value, studio.message.value
    assert outside.read_text() == "someone else's page"
    assert not (tmp_path / "exports" / "chart.html").is_symlink()
    assert all(path.parent == tmp_path / "exports" for path in studio.result.files)


@pytest.mark.parametrize("name", ["...", ".hidden", "-dash", "  spaced  "])
def test_odd_but_plain_names_stay_in_the_folder(studio, tmp_path, name):
    studio.filename.value = name
    studio._on_export()
    assert "Exported" in studio.message.value, studio.message.value
    assert {path.parent for path in studio.result.files} == {tmp_path / "exports"}
    assert not [p for p in tmp_path.iterdir() if p.name != "exports"]


def test_a_set_of_files_is_written_whole_or_not_at_all(tmp_path):
    with pytest.raises(RuntimeError), writing.all_or_nothing(tmp_path) as staging:
        (staging / "one.txt").write_text("1")
        raise RuntimeError("drawing the second file failed")
    assert list(tmp_path.iterdir()) == []
    with writing.all_or_nothing(tmp_path) as staging:
        (staging / "one.txt").write_text("1")
        (staging / "two.txt").write_text("2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt", "two.txt"]


def test_the_site_build_empties_only_a_folder_it_built(tmp_path):
    """`make site` replaces its folder whole: a reader's folder, a file and the data are refused untouched."""
    from briefing import data
    from briefing.site import build

    readers = tmp_path / "notes"
    readers.mkdir()
    (readers / "mine.txt").write_text("keep", encoding="utf-8")
    a_file = tmp_path / "a_file"
    a_file.write_text("keep", encoding="utf-8")
    for out, says in [
        (readers, "holds no site built by the kit"),
        (a_file, "is a file"),
        (data.data_dir(), "the kit's data"),
        (data.data_dir() / "site", "the kit's data"),
        (data.data_dir().parent, "the kit's data"),
    ]:
        with pytest.raises(build.SiteError, match=says):
            build.clear_site_folder(out)
    assert (readers / "mine.txt").read_text(encoding="utf-8") == "keep" and a_file.read_text() == "keep"
    assert not (data.data_dir() / "site").exists()
    site = tmp_path / "site"
    build.clear_site_folder(site)  # a new folder, marked
    (site / "old_page.html").write_text("old", encoding="utf-8")
    build.clear_site_folder(site)  # an earlier build: emptied, marked again
    assert [p.name for p in site.iterdir()] == [build.SITE_MARK]


@pytest.mark.parametrize("error", ["export", "pack"])
def test_a_write_problem_reaches_each_caller_as_its_own_error_with_the_same_words(tmp_path, error):
    # One rule (writing.reraised_as) for export's ExportError and a pack's PackError.
    from briefing import export
    from briefing.teaching import packs

    wanted = {"export": export.ExportError, "pack": packs.PackError}[error]
    (tmp_path / "taken.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(writing.WriteError) as plain:
        writing.check_targets([tmp_path / "taken.csv"], overwrite=False)
    with pytest.raises(wanted) as raised, writing.reraised_as(wanted):
        writing.check_targets([tmp_path / "taken.csv"], overwrite=False)
    assert str(raised.value) == str(plain.value) and isinstance(raised.value.__cause__, writing.WriteError)
    with pytest.raises(export.ExportError) as from_export:
        export.safe_file_name("../x")
    with pytest.raises(writing.WriteError) as from_writing:
        writing.safe_file_name("../x")
    assert str(from_export.value) == str(from_writing.value)
