"""Time to build a brief warm (export browser already started), and the files' sizes.

    uv run python scripts/bench_brief.py [--feature ID | --topic T] [-n 5]

Builds the brief model, renders its map and charts (kaleido, the persistent Chromium) and
writes it as Word and PDF, n times each after one warm-up; prints the median and the range.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.brief import FORMATS, brief_bytes, build
from geo.briefimages import render_images
from geo.dataset import load_dataset


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feature", default=None)
    parser.add_argument("--topic", default=None)
    parser.add_argument("-n", type=int, default=5)
    args = parser.parse_args()
    feature = args.feature or (None if args.topic else "ip-gas-pipeline-pakistan-leg")
    ds = load_dataset()
    for suffix in FORMATS:
        brief_bytes(build(ds, feature=feature, topic=args.topic), suffix)  # warm-up
        times, size = [], 0
        for _ in range(args.n):
            start = time.perf_counter()
            data = brief_bytes(build(ds, feature=feature, topic=args.topic), suffix)
            times.append((time.perf_counter() - start) * 1000)
            size = len(data)
        # Where the time goes, once: the model, the images (kaleido), the writer.
        t0 = time.perf_counter()
        b = build(ds, feature=feature, topic=args.topic)
        t1 = time.perf_counter()
        render_images(b)
        t2 = time.perf_counter()
        brief_bytes(b, suffix)
        t3 = time.perf_counter()
        print(
            f"  model {1000 * (t1 - t0):,.0f} ms, {len(b.images)} images {1000 * (t2 - t1):,.0f} ms, "
            f"{suffix} writer {1000 * (t3 - t2):,.0f} ms"
        )
        print(
            f"{feature or args.topic} {suffix}: warm build median {statistics.median(times):,.0f} ms "
            f"(min {min(times):,.0f}, max {max(times):,.0f}, n={args.n}), {size / 1024:,.0f} KiB"
        )


if __name__ == "__main__":
    main()
