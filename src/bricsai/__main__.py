"""Command line: ``python -m bricsai data [--shared DIR] [--out DIR] [--check]``.

``data`` rebuilds every extract from the raw snapshots (all-or-nothing); with ``--check`` it
only reports whether the committed extracts equal a fresh build (exit 1 if not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bricsai.errors import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bricsai")
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="build data/extracts from the shared raw data")
    data.add_argument("--shared", type=Path, default=None,
                      help="shared data folder (default: ../shared/data or $BRICSAI_SHARED/data)")
    data.add_argument("--out", type=Path, default=None, help="output folder (default: data/extracts)")
    data.add_argument("--check", action="store_true", help="compare committed extracts with a fresh build")
    args = parser.parse_args(argv)

    from bricsai.sources import extracts

    try:
        if args.check:
            problems = extracts.verify(args.shared, args.out)
            for p in problems:
                print(p, file=sys.stderr)
            print("extracts up to date" if not problems else f"{len(problems)} file(s) differ")
            return 1 if problems else 0
        written = extracts.build(args.shared, args.out)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
