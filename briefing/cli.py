"""The ``briefing`` command line: ``briefing tables``, ``briefing validate``, ``briefing export``,
``briefing export-pack``.

A bad invocation ends with one line on stderr that says what is wrong and what to do instead, and
exit status 2 (``validate`` exits 1 when the package has problems); never a traceback. ``export``
checks everything it can before it draws, and writes its files all or none.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from briefing import data

#: Exit statuses: a bad invocation or input, and a fault of the kit's own (please report it).
BAD_INVOCATION, KIT_FAULT = 2, 70


class Refusal(Exception):
    """A bad invocation; its message is the one line the reader sees."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        self.exit(BAD_INVOCATION, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _tables(_args) -> int:
    print(data.overview().to_string())
    return 0


def _validate(args) -> int:
    if args.folder is not None:
        folder = Path(args.folder)
        if not folder.exists():
            raise Refusal(f"no folder {args.folder!r}: name a data package folder (one with datapackage.json)")
        if not folder.is_dir():
            raise Refusal(f"{args.folder!r} is a file: name the data package folder that holds datapackage.json")
        if not (folder / "datapackage.json").is_file():
            raise Refusal(f"{args.folder!r} has no datapackage.json, so it is not a data package folder")
    result = data.validate(args.folder, use_cache=False)  # the curator's check: always in full
    if result.valid:
        print(f"valid: {len(data.list_tables())} tables, every schema, key and constraint checked")
        return 0
    table = result.to_frame()
    print(table.to_string(index=False, max_colwidth=90))
    print(f"\n{len(table)} problem(s) found", file=sys.stderr)
    return 1


#: Each filter option, the recipe filters it belongs to, and where ``args`` holds it.
_OPTIONS = {
    "--from": ("year_from", {"years"}),
    "--to": ("year_to", {"years", "year_to"}),
    "--category": ("category", {"category"}),
    "--forum": ("forum", {"forum"}),
    "--search": ("search", {"search"}),
}


def _check_options(args, filters: tuple[str, ...]) -> None:
    """Refuse a filter option the chart does not take (it would be ignored without a word)."""
    takes = [option for option, (_, belongs) in _OPTIONS.items() if belongs & set(filters)]
    for option, (attribute, belongs) in _OPTIONS.items():
        if getattr(args, attribute) is not None and not belongs & set(filters):
            said = f"it takes {', '.join(takes)}" if takes else "it takes no filters"
            raise Refusal(f"{args.chart} does not take {option}: {said}")


def _data_years(tables) -> tuple[int, int]:
    """The first year any table has a date in, and the year the data is as of."""
    first = min(
        int(frame[column].dt.year.min())
        for frame in tables.values()
        for column in frame.columns
        if frame[column].dtype.kind == "M" and frame[column].notna().any()
    )
    return first, int(data.as_of()[:4])


def _check_years(year_from: int | None, year_to: int | None, span: tuple[int, int]) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise Refusal(f"--from {year_from} is after --to {year_to}: give the earlier year first")
    first, last = span
    for option, year in (("--from", year_from), ("--to", year_to)):
        if year is not None and not first <= year <= last:
            raise Refusal(f"{option} {year} is outside the data, which runs from {first} to {last}")


def _formats_and_stem(args) -> tuple[tuple[str, ...], Path]:
    """The formats to write and the path the files are named after (``stem.png`` ...)."""
    from briefing.export import FORMATS
    from briefing.writing import NAME_MAX

    text = args.out
    if not text.strip():
        raise Refusal("--out is empty: name a file (timeline.png) or an existing folder")
    for part in Path(text).parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise Refusal(f"--out {part[:20]}...: a name of {len(os.fsencode(part))} bytes; at most {NAME_MAX} fit")
    out = Path(text)
    formats = tuple(f.strip().lower() for f in args.format.split(",")) if args.format else ()
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise Refusal(f"--format {args.format}: {', '.join(unknown)} is not a format; choose from {', '.join(FORMATS)}")
    if out.is_dir():
        return formats or ("png",), out / args.chart
    if text.endswith(("/", os.sep)):
        raise Refusal(f"--out {text}: no such folder; create it first, or name a file")
    suffix = out.suffix.lstrip(".").lower()
    if suffix in FORMATS:
        return formats or (suffix,), out.with_suffix("")
    if suffix and not formats:
        raise Refusal(f"--out {text}: .{suffix} is not a format the kit writes; end it in .png, .svg, .pdf or .html")
    return formats or ("png",), out


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise Refusal(f"the folder {folder} does not exist: create it first, or choose another --out")
    if not folder.is_dir():
        raise Refusal(f"{folder} is a file, not a folder: choose another --out")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise Refusal(f"cannot write in {folder} (read-only): choose another --out")


def _plan(args) -> tuple[tuple[str, ...], Path]:
    """Check everything the invocation says before any drawing: formats, folder, files, scale."""
    from briefing import export, writing

    formats, stem = _formats_and_stem(args)
    _check_folder(stem.parent)
    names = [f"{stem.name}.{f}" for f in formats] + [f"{stem.name}.alt.txt"]
    if args.data:
        names += [f"{stem.name}.data.csv", f"{stem.name}.data.citation.txt"]
    try:
        writing.check_targets(
            [stem.parent / n for n in names], overwrite=args.overwrite, overwrite_hint="pass --overwrite"
        )
    except writing.WriteError as problem:
        raise Refusal(str(problem)) from problem
    if "png" in formats:
        export.check_scale(args.scale, args.preset)
    return formats, stem


def _export(args) -> int:
    from briefing import export, gallery

    _check_options(args, gallery.recipe(args.chart).filters)
    formats, stem = _plan(args)
    tables = data.load_all()
    _check_years(args.year_from, args.year_to, _data_years(tables))
    try:
        visual = gallery.build(
            args.chart,
            year_from=args.year_from,
            year_to=args.year_to,
            category=args.category,
            forum=args.forum,
            search=args.search or "",
            title=args.title,
            tables=tables,
        )
    except (KeyError, ValueError) as problem:  # an unknown category or forum: the message lists the choices
        raise Refusal(str(problem.args[0])) from problem
    needs_browser = any(f in export.STATIC_FORMATS for f in formats)
    with export.export_session() if needs_browser else contextlib.nullcontext():
        result = export.export_figure(
            visual.figure,
            stem,
            formats=formats,
            preset=args.preset,
            scale=args.scale,
            subtitle=args.subtitle,
            notes=args.notes,
            overwrite=args.overwrite,
            rows=visual.rows if args.data else None,
            citation=visual.citation,
        )
    for path in result.files:
        print(path)
    print(f"alt text: {result.alt_text}")
    return 0


def _export_pack(args) -> int:
    from briefing.teaching import ScenarioError, packs

    out = Path(args.out) if args.out is not None else Path(f"{Path(args.scenario).stem}_pack")
    if not str(out).strip():
        raise Refusal("--out is empty: name the folder the pack goes into")
    try:
        pack = packs.export_pack(args.scenario, out, pdf=not args.no_pdf, overwrite=args.overwrite)
    except (ScenarioError, packs.PackError) as problem:
        raise Refusal(str(problem)) from problem
    for path in pack.files:
        print(path)
    return 0


def _pack_parser(commands) -> None:
    pack = commands.add_parser(
        "export-pack",
        help="write an exercise pack (handouts, instructor notes, scorecard, timing) for a scenario",
        description="Write an exercise pack for a tabletop scenario into a folder: a student handout per "
        "stage (HTML and PDF, to hand out stage by stage), the instructor's notes resolved from the data, "
        "the rubric's scorecard and timing plans for a 90-minute and a half-day session. Checked before "
        "anything is written, and written all or none.",
    )
    pack.add_argument("scenario", help="a shipped scenario's name (e.g. hospital_ransomware) or a path to a YAML file")
    pack.add_argument("--out", help="the folder to write into (default: SCENARIO_pack here); its parent must exist")
    pack.add_argument("--no-pdf", action="store_true", help="write the HTML pages only (no Chromium needed)")
    pack.add_argument("--overwrite", action="store_true", help="replace the files of an earlier pack")
    pack.set_defaults(run=_export_pack)


def _parser() -> argparse.ArgumentParser:
    from briefing.export import FORMATS, MIN_SCALE, PRESETS, largest_scale
    from briefing.gallery import RECIPES

    parser = _Parser(prog="briefing", description="Cyber Norms Briefing Kit")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tables", help="list the data tables and their sizes").set_defaults(run=_tables)
    check = commands.add_parser("validate", help="validate the data package (schema, keys, constraints)")
    check.add_argument("folder", nargs="?", default=None, help="a data package folder (default: the kit's data/)")
    check.set_defaults(run=_validate)
    out = commands.add_parser(
        "export",
        help="export a chart as a publication-ready file",
        description="Build one of the kit's charts from the curated data and export it, e.g. "
        "`briefing export timeline --from 2015 --to 2025 --category incident --preset social "
        "--out timeline.png`. Everything is checked before anything is drawn, and the files are written "
        "all or none.",
    )
    out.add_argument("chart", choices=list(RECIPES), help="which chart")
    out.add_argument("--from", dest="year_from", type=int, help="first year to include (within the data's years)")
    out.add_argument("--to", dest="year_to", type=int, help="last year to include (a map: members by then)")
    out.add_argument("--category", help="record type or lane, incident type, forum kind, framework or group")
    out.add_argument("--forum", help="forum id for a participation map, e.g. budapest_convention")
    out.add_argument("--search", help="free text the records must contain")
    out.add_argument("--preset", choices=list(PRESETS), default="newsletter", help="size preset")
    out.add_argument(
        "--scale",
        type=float,
        default=2,
        help=f"pixel density of PNGs (2 for retina): from {MIN_SCALE}, up to {largest_scale('slide')} at slide size",
    )
    out.add_argument("--format", help=f"comma-separated formats from {', '.join(FORMATS)} (default: from --out)")
    out.add_argument("--title", help="title (default: the chart's own)")
    out.add_argument("--subtitle", help="a line under the title")
    out.add_argument("--notes", help="a notes line above the source line")
    out.add_argument("--data", action="store_true", help="also write the rows behind the chart as CSV")
    out.add_argument(
        "--out",
        required=True,
        help="output file, e.g. timeline.png (or a stem with --format), in a folder that exists; "
        "an existing folder gets CHART.png (or CHART.FORMAT) inside it",
    )
    out.add_argument("--overwrite", action="store_true", help="replace existing files")
    out.set_defaults(run=_export)
    _pack_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from briefing import export

    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:  # --help, or a bad invocation argparse has already named in one line
        return stop.code if isinstance(stop.code, int) else BAD_INVOCATION
    try:
        return args.run(args)
    except (Refusal, data.DataPackageError, export.ExportError) as problem:
        message = str(problem)
    except OSError as problem:  # e.g. the disk filled up: say where, not how
        message = f"{problem.strerror or problem}" + (f": {problem.filename}" if problem.filename else "")
    except KeyboardInterrupt:
        return 130
    except Exception as problem:  # a fault of the kit: still one line, and how to report it
        print(
            f"briefing {args.command}: the kit failed ({type(problem).__name__}: {problem}); please report it",
            file=sys.stderr,
        )
        return KIT_FAULT
    print(f"briefing {args.command}: {' '.join(str(message).split())}", file=sys.stderr)
    return BAD_INVOCATION


if __name__ == "__main__":
    sys.exit(main())
