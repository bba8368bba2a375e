"""The ``briefing`` command line: ``briefing tables``, ``briefing validate``."""

from __future__ import annotations

import argparse
import sys

from briefing import data


def _tables(_args) -> int:
    print(data.overview().to_string())
    return 0


def _validate(args) -> int:
    result = data.validate(args.folder)
    if result.valid:
        print(f"valid: {len(data.list_tables())} tables, every schema, key and constraint checked")
        return 0
    table = result.to_frame()
    print(table.to_string(index=False, max_colwidth=90))
    print(f"\n{len(table)} problem(s) found", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="briefing", description="Cyber Norms Briefing Kit")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tables", help="list the data tables and their sizes").set_defaults(run=_tables)
    check = commands.add_parser("validate", help="validate the data package (schema, keys, constraints)")
    check.add_argument("folder", nargs="?", default=None, help="a data package folder (default: the kit's data/)")
    check.set_defaults(run=_validate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
