"""CPU time per article of each per-article stage, on the seed variants `scale.py` uses.

    python benchmarks/stages.py [N] [--repeat R]

Cleans N distinct variants of the seed articles and runs every per-article stage on them,
timing each with `time.process_time()` (CPU, so other jobs on a shared machine matter less
than for wall-clock rates); prints ms per article per stage, one line per repeat.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import seed_docs  # noqa: E402

from akhbar.ingest.clean import clean  # noqa: E402
from akhbar.pipeline import components  # noqa: E402


def stage_times(n: int) -> dict[str, float]:
    """CPU ms per article for cleaning and each stage, over `n` seed variants."""
    docs = seed_docs(n)
    stages = [(fn.__name__, fn) for fn in components()]
    totals = {"clean": 0.0} | {name: 0.0 for name, _ in stages}
    for doc in docs:
        start = time.process_time()
        article = clean(doc)
        totals["clean"] += time.process_time() - start
        for name, fn in stages:
            start = time.process_time()
            fn(article, None)
            totals[name] += time.process_time() - start
    return {name: 1000 * t / n for name, t in totals.items()}


def main() -> None:
    """Print per-stage CPU ms per article, once per repeat."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    stage_times(5)  # load models and caches outside the timing
    for _ in range(args.repeat):
        times = stage_times(args.n)
        print(" ".join(f"{k}={v:.2f}" for k, v in times.items()), f"total={sum(times.values()):.2f} ms CPU/article")


if __name__ == "__main__":
    main()
