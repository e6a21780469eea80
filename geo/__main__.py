"""Command line: `python -m geo validate [DATA_DIR]`, `python -m geo export OUT_DIR` and
`python -m geo brief --feature ID|--topic TOPIC OUT.docx|OUT.pdf`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from geo.dataset import data_dir, load_dataset
from geo.export import write_pack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the data; exit 1 and list problems if any")
    v.add_argument("data", nargs="?", type=Path, help="data folder (default: the shipped data)")
    e = sub.add_parser(
        "export",
        help="write the data pack (layers.geojson, figures.csv, events.csv, sources), the map "
        "images (maps/overview.png and one per layer) and the chart images",
    )
    e.add_argument("out", type=Path)
    e.add_argument("--data", type=Path, help="data folder (default: the shipped data)")
    e.add_argument(
        "--no-charts", action="store_true", help="skip the chart and map images (PNG, SVG, PDF)"
    )
    b = sub.add_parser(
        "brief",
        help="write a cited brief on one feature or one topic, as Word (.docx) or PDF (.pdf) by "
        "the file's suffix",
    )
    about = b.add_mutually_exclusive_group(required=True)
    about.add_argument(
        "--feature", metavar="ID", help="a feature id, e.g. ip-gas-pipeline-pakistan-leg"
    )
    about.add_argument("--topic", metavar="TOPIC", help="a topic, e.g. energy")
    b.add_argument("out", type=Path, help="the file to write: OUT.docx or OUT.pdf")
    b.add_argument("--data", type=Path, help="data folder (default: the shipped data)")
    args = parser.parse_args(argv)

    if args.command == "brief":
        return _brief(args)

    if args.command == "validate":
        ds = load_dataset(args.data or data_dir())
        for problem in ds.problems:
            print(problem)
        n_cites = len(ds.citations())
        summary = (
            f"{len(ds.sources)} sources, {len(ds.features)} features in {len(ds.layers)} layers, "
            f"{len(ds.figures)} figures, {len(ds.events)} events, {n_cites} citations"
        )
        if ds.problems:
            print(f"{len(ds.problems)} problem(s); valid records: {summary}", file=sys.stderr)
            return 1
        print(f"ok: {summary}", file=sys.stderr)
        return 0

    ds = load_dataset(args.data or data_dir())
    if ds.problems:
        for problem in ds.problems:
            print(problem, file=sys.stderr)
        print(
            "refusing to export data with problems; run `python -m geo validate`", file=sys.stderr
        )
        return 1
    for path in write_pack(ds, args.out):
        print(path)
    if args.no_charts:
        return 0
    from geo.export import write_charts, write_maps
    from geo.pngexport import ExportUnavailable

    try:
        for path in write_maps(ds, args.out, date.today()) + write_charts(
            ds, args.out, date.today()
        ):
            print(path)
    except ExportUnavailable as exc:
        print(f"charts not written: {exc}", file=sys.stderr)
        return 1
    return 0


def _brief(args: argparse.Namespace) -> int:
    """Write one brief; exit 2 with one line naming what was wrong (id, topic or suffix)."""
    from geo.brief import FORMATS, brief_bytes, build
    from geo.briefmodel import UnknownSubject
    from geo.pngexport import ExportUnavailable

    suffix = args.out.suffix.lower()
    if suffix not in FORMATS:
        print(
            f"brief: {str(args.out)!r} must end in {' or '.join(FORMATS)} (the format is "
            "taken from the suffix)",
            file=sys.stderr,
        )
        return 2
    ds = load_dataset(args.data or data_dir())
    try:
        brief = build(ds, feature=args.feature, topic=args.topic)
    except UnknownSubject as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    if ds.problems:
        print(
            f"brief: warning: {len(ds.problems)} data problem(s); the records concerned are left "
            "out (run `python -m geo validate`)",
            file=sys.stderr,
        )
    try:
        data = brief_bytes(brief, suffix)
    except ExportUnavailable as exc:
        print(f"brief: its map and charts cannot be drawn: {exc}", file=sys.stderr)
        return 1
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        print(f"brief: cannot write {str(args.out)!r}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
