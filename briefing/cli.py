"""The ``briefing`` command line: ``briefing tables``, ``briefing validate``, ``briefing export``."""

from __future__ import annotations

import argparse
import sys

from briefing import data


def _tables(_args) -> int:
    print(data.overview().to_string())
    return 0


def _validate(args) -> int:
    result = data.validate(args.folder, use_cache=False)  # the curator's check: always in full
    if result.valid:
        print(f"valid: {len(data.list_tables())} tables, every schema, key and constraint checked")
        return 0
    table = result.to_frame()
    print(table.to_string(index=False, max_colwidth=90))
    print(f"\n{len(table)} problem(s) found", file=sys.stderr)
    return 1


def _export(args) -> int:
    from pathlib import Path

    from briefing import export, gallery

    out = Path(args.out)
    formats = tuple(args.format.split(",")) if args.format else (out.suffix.lstrip(".") or "png",)
    stem = out.with_suffix("") if out.suffix.lstrip(".") in export.FORMATS else out
    try:
        visual = gallery.build(
            args.chart,
            year_from=args.year_from,
            year_to=args.year_to,
            category=args.category,
            forum=args.forum,
            search=args.search or "",
            title=args.title,
        )
        needs_browser = any(f in export.STATIC_FORMATS for f in formats)
        with export.export_session() if needs_browser else _nothing():
            result = export.export_figure(
                visual.figure,
                stem,
                formats=formats,
                preset=args.preset,
                scale=args.scale,
                subtitle=args.subtitle,
                notes=args.notes,
                overwrite=args.overwrite,
            )
        if args.data:
            result.files += export.export_data(
                visual.rows, stem.with_name(stem.name + ".data.csv"), citation=visual.citation, overwrite=args.overwrite
            )
    except (export.ExportError, KeyError, ValueError) as problem:
        print(f"briefing export: {problem}", file=sys.stderr)
        return 2
    for path in result.files:
        print(path)
    print(f"alt text: {result.alt_text}")
    return 0


def _nothing():
    import contextlib

    return contextlib.nullcontext()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="briefing", description="Cyber Norms Briefing Kit")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tables", help="list the data tables and their sizes").set_defaults(run=_tables)
    check = commands.add_parser("validate", help="validate the data package (schema, keys, constraints)")
    check.add_argument("folder", nargs="?", default=None, help="a data package folder (default: the kit's data/)")
    check.set_defaults(run=_validate)

    from briefing.export import FORMATS, PRESETS
    from briefing.gallery import RECIPES

    out = commands.add_parser(
        "export",
        help="export a chart as a publication-ready file",
        description="Build one of the kit's charts from the curated data and export it, e.g. "
        "`briefing export timeline --from 2015 --to 2025 --category incident --preset social "
        "--out timeline.png`.",
    )
    out.add_argument("chart", choices=list(RECIPES), help="which chart")
    out.add_argument("--from", dest="year_from", type=int, help="first year to include")
    out.add_argument("--to", dest="year_to", type=int, help="last year to include (a map: members by then)")
    out.add_argument("--category", help="record type or lane, incident type, forum kind, framework or group")
    out.add_argument("--forum", help="forum id for a participation map, e.g. budapest_convention")
    out.add_argument("--search", help="free text the records must contain")
    out.add_argument("--preset", choices=list(PRESETS), default="newsletter", help="size preset")
    out.add_argument("--scale", type=float, default=2, help="pixel density of PNGs (2 for retina)")
    out.add_argument("--format", help=f"comma-separated formats from {', '.join(FORMATS)} (default: from --out)")
    out.add_argument("--title", help="title (default: the chart's own)")
    out.add_argument("--subtitle", help="a line under the title")
    out.add_argument("--notes", help="a notes line above the source line")
    out.add_argument("--data", action="store_true", help="also write the rows behind the chart as CSV")
    out.add_argument("--out", required=True, help="output file, e.g. timeline.png (or a stem with --format)")
    out.add_argument("--overwrite", action="store_true", help="replace existing files")
    out.set_defaults(run=_export)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
