"""Speed and memory of dedupe + story clustering at N = 10k and 100k synthetic articles.

Synthetic variants of real text: COUNTER (or the seeds when ../shared is absent) articles with
sentences shuffled, some dropped and numbers changed, so that near-duplicates and stories occur at
realistic rates. Prints time, peak memory and the growth ratio (time per article at 100k / at 10k).
Run: python benchmarks/stories.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.ingest.counter import read_counter  # noqa: E402
from akhbar.model import Article  # noqa: E402
from akhbar.stories.cluster import Clusterer  # noqa: E402
from akhbar.stories.dedupe import Deduper, place  # noqa: E402
from akhbar.text.split import sentences  # noqa: E402

START = dt.date(2015, 1, 1)


def base_texts() -> list[tuple[str, str]]:
    """(headline, body) of real articles to vary."""
    counter = ROOT.parent / "shared" / "data" / "counter"
    if counter.exists():
        return [(d.doc.title or "", d.doc.content) for d in read_counter(counter)]
    return [("", p.read_text("utf-8")) for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]


def variants(n: int, seed: int = 7, per_day: int = 100):
    """n synthetic articles, `per_day` a day: real text with sentences shuffled and dropped, a tag word."""
    rng = random.Random(seed)
    texts = base_texts()
    for i in range(1, n + 1):
        head, body = texts[rng.randrange(len(texts))]
        sents = [s.text for s in sentences(body)]
        rng.shuffle(sents)
        keep = sents[: max(1, int(len(sents) * rng.uniform(0.5, 1.0)))]
        yield Article(raw="", body=" ".join(keep) + f" رپورٹ{rng.randrange(10**6)}", headline=head, id=i,
                      published=START + dt.timedelta(days=i // per_day))


def run(n: int) -> tuple[float, float, int, int]:
    """(seconds, peak MB, duplicate groups, stories) for n articles."""
    tracemalloc.start()
    t0 = time.perf_counter()
    dd, cl = Deduper(), Clusterer()
    for a in variants(n):
        place(a, dd, cl)
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return secs, peak, len(dd.groups()), len(cl.stories)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        secs, peak, groups, stories = run(n)
        rows.append((n, secs))
        print(f"n={n} seconds={secs:.1f} docs_per_s={n / secs:.0f} peak_traced_mb={peak:.0f} "
              f"max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} "
              f"dup_groups={groups} stories={stories}", flush=True)
    if len(rows) >= 2:
        (n0, t0), (n1, t1) = rows[0], rows[-1]
        print(f"growth_ratio={(t1 / n1) / (t0 / n0):.2f}  (time per article at n={n1} / at n={n0}; 1.0 = linear)")


if __name__ == "__main__":
    main()
