"""Command line.

``python -m bricsai data [--raw DIR] [--out DIR] [--check] [--accept-new-raw]`` rebuilds every
extract from the raw snapshots in ``data/raw`` (all-or-nothing) after checking each raw file
against ``data/raw/manifest.yml``; with ``--check`` it only reports whether the committed
extracts equal a fresh build (exit 1 if not).

``python -m bricsai fetch [--only PATH ...] [--mirror URL]`` downloads the raw files again from
their publishers (see ``bricsai.sources.fetch``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bricsai.errors import DataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bricsai")
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="build data/extracts from the raw files in data/raw")
    data.add_argument("--raw", "--shared", dest="raw", type=Path, default=None,
                      help="folder of raw files (default: data/raw, checked against its manifest)")
    data.add_argument("--manifest", type=Path, default=None,
                      help="manifest to check the raw files against (default: data/raw/manifest.yml "
                           "when --raw is not given)")
    data.add_argument("--out", type=Path, default=None, help="output folder (default: data/extracts)")
    data.add_argument("--check", action="store_true", help="compare committed extracts with a fresh build")
    data.add_argument("--accept-new-raw", action="store_true",
                      help="a raw file differs from the manifest because a new release is intended: "
                           "record its checksum and build")
    fetch = sub.add_parser("fetch", help="download the raw files again from their publishers")
    fetch.add_argument("--only", nargs="*", default=None, metavar="PATH",
                       help="raw files to refresh (paths as in the manifest; default: all)")
    fetch.add_argument("--mirror", default=None,
                       help="base URL serving every file at <mirror>/<path> (tests, local copies)")
    fetch.add_argument("--timeout", type=float, default=60.0, help="seconds before a download gives up")
    fetch.add_argument("--retries", type=int, default=2, help="extra attempts after a failed download")
    args = parser.parse_args(argv)

    if args.command == "fetch":
        from bricsai.sources import fetch as fetcher

        try:
            fetcher.main(only=args.only, mirror=args.mirror, timeout=args.timeout, retries=args.retries)
        except DataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            print("nothing was changed", file=sys.stderr)
            return 2
        return 0

    from bricsai.paths import EXTRACTS, RAW
    from bricsai.sources import extracts, raw

    raw_dir = args.raw or RAW
    manifest = args.manifest or (raw.MANIFEST if args.raw is None else None)
    out = args.out or EXTRACTS
    try:
        if args.check:
            problems = extracts.verify(raw_dir, out, manifest=manifest)
            for p in problems:
                print(p, file=sys.stderr)
            print("extracts up to date" if not problems else f"{len(problems)} file(s) differ")
            return 1 if problems else 0
        todo, kept = extracts.select(extracts.all_datasets(), raw_dir, out, manifest, args.accept_new_raw)
        written = extracts.build(raw_dir, out, datasets=todo)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"nothing was written to {out}", file=sys.stderr)
        return 2
    for p in written:
        print(p)
    for d in kept:
        print(f"kept {d.name} as committed: raw file(s) not in the repository (licence); `make fetch` brings them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
