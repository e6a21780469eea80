"""Command line: `python -m geo validate [DATA_DIR]` and `python -m geo export OUT_DIR`."""

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
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
