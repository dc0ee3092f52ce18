"""Speed and memory of dedupe + story clustering at N = 10k and 100k synthetic articles.

Synthetic variants of real text: COUNTER (or the seeds when ../shared is absent) articles with
sentences shuffled, some dropped and numbers changed, so that near-duplicates and stories occur at
realistic rates. Prints time, peak memory and the growth ratio (time per article at 100k / at 10k).
`--store` runs the real path instead: the variants are stored in a fresh SQLite file with
`add_articles` and `akhbar.stories.update` runs every STORY_BATCH new ids, as `akhbar ingest` does;
it prints CPU seconds and RSS per 10k articles, so a per-batch cost that grows with the corpus shows.
`--ingested DB` times the stage on real text instead: a copy of DB (a store filled by
`akhbar ingest … --no-stories`) gets `stories.update` over all its articles, the call `akhbar ingest` ends with.
Run: python benchmarks/stories.py [--sizes 10000 100000] [--store] [--ingested DB [--repeat N]]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.ingest.counter import read_counter  # noqa: E402
from akhbar.model import Article  # noqa: E402
from akhbar.pipeline import STORY_BATCH  # noqa: E402
from akhbar.store import open_store  # noqa: E402
from akhbar.stories.cluster import Clusterer  # noqa: E402
from akhbar.stories.dedupe import Deduper, place  # noqa: E402
from akhbar.text.split import sentences  # noqa: E402

START = dt.date(2015, 1, 1)


def base_texts() -> list[tuple[str, str]]:
    """(headline, body) of real articles to vary."""
    counter = ROOT.parent / "shared" / "data" / "counter"
    if counter.exists():
        return [(d.doc.title or "", d.doc.content) for d in read_counter(counter)]
    print(f"note: {counter} not found; varying the five seed articles instead (figures not comparable)",
          file=sys.stderr)
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


def rss_mb() -> float:
    """Resident set size now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_store(n: int, step: int = 10_000, write_batch: int = 500) -> tuple[float, float, int, int]:
    """(stage CPU seconds, peak RSS MB, duplicate groups, stories) of n variants through a SQLite store.

    Prints one line per `step` articles: CPU of `stories.update` and of storing for that slice, RSS.
    """
    import akhbar.stories as stories

    total, pending, last, first = 0.0, [], time.process_time(), None
    stage = store_cpu = 0.0
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "bench.db")) as store:
        batch: list[Article] = []
        for i, a in enumerate(variants(n), 1):
            a.id, a.raw, a.source_id = None, a.body, f"v{i}"
            batch.append(a)
            if len(batch) >= write_batch or i == n:
                t = time.process_time()
                pending += [aid for aid, created in store.add_articles(batch) if created]
                store_cpu += time.process_time() - t
                batch = []
            if len(pending) >= STORY_BATCH or (i == n and pending):
                t = time.process_time()
                stories.update(store, pending)
                stage += time.process_time() - t
                pending = []
            if i % step == 0 or i == n:
                now = time.process_time()
                first = first or stage
                state = sum(map(len, store.get_blobs(stories.STATE_KIND).values())) / 1e6
                print(f"  at {i}: stories_cpu_s={stage:.1f} store_cpu_s={store_cpu:.1f} slice_cpu_s={now - last:.1f} "
                      f"rss_mb={rss_mb():.0f} state_mb={state:.1f} slice_growth={stage / first:.2f}", flush=True)
                total, stage, store_cpu, last = total + stage, 0.0, 0.0, now
        groups = len(stories.duplicate_groups(store))
        n_stories = len(store.list_stories(limit=10**9))
    return total, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, groups, n_stories


def run_ingested(db: str) -> tuple[float, int, int, int]:
    """(stage CPU seconds, articles, duplicate groups, stories) of one `stories.update` over a copy of `db`."""
    import shutil

    import akhbar.stories as stories

    with tempfile.TemporaryDirectory() as tmp:
        work = str(Path(tmp) / "copy.db")
        shutil.copy(db, work)
        with open_store(work) as store:
            ids = sorted(store.ids_by_date(dt.date.min, dt.date.max, since_id=0))
            t = time.process_time()
            stories.update(store, ids)
            cpu = time.process_time() - t
            return cpu, len(ids), len(stories.duplicate_groups(store)), len(store.list_stories(limit=10**9))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--store", action="store_true", help="the real path: SQLite store + stories.update per batch")
    ap.add_argument("--ingested", metavar="DB", help="time the stage over a store ingested with --no-stories")
    ap.add_argument("--repeat", type=int, default=3, help="runs of --ingested (each on a fresh copy)")
    args = ap.parse_args()
    if args.ingested:
        for _ in range(args.repeat):
            cpu, n, groups, n_stories = run_ingested(args.ingested)
            print(f"ingested n={n} stories_cpu_s={cpu:.2f} ms_per_article={1000 * cpu / n:.2f} "
                  f"dup_groups={groups} stories={n_stories}", flush=True)
        return
    rows = []
    for n in args.sizes:
        if args.store:
            secs, peak, groups, stories = run_store(n)
            rows.append((n, secs))
            print(f"store n={n} stories_cpu_s={secs:.1f} articles_per_cpu_s={n / secs:.0f} max_rss_mb={peak:.0f} "
                  f"dup_groups={groups} stories={stories}", flush=True)
            continue
        secs, peak, groups, stories = run(n)
        rows.append((n, secs))
        print(f"n={n} seconds={secs:.1f} docs_per_s={n / secs:.0f} peak_traced_mb={peak:.0f} "
              f"max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} "
              f"dup_groups={groups} stories={stories}", flush=True)
    if len(rows) >= 2:
        (n0, t0), (n1, t1) = rows[0], rows[-1]
        print(f"growth_ratio={(t1 / n1) / (t0 / n0):.2f}  (time per article at n={n1} / at n={n0}; 1.0 = linear)")
    if args.store:
        print("(slice_growth: stories CPU of each 10k slice / of the first; 1.0 = per-batch cost independent of corpus size)")


if __name__ == "__main__":
    main()
