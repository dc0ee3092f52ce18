"""Scale benchmark: pipeline throughput, bulk load into SQLite and PostgreSQL, search latency.

    python benchmarks/scale.py --n 100000 [--pg postgresql://…] [--backends sqlite,postgres]

1. Pipeline: the full per-article pipeline (clean + every stage present) over synthetic
   variants of the seed articles, serially and with a process pool (`--workers`).
2. Store: N stored articles per backend. Running the pipeline N times would take hours at
   the measured pipeline rate, so a pool of processed articles is cloned into N distinct
   variants (a unique closing sentence and Zipf-sampled words, so content hashes differ and
   search sees rare and common words); articles/s here is the store's write rate.
3. Search: p50/p99 of random one- and two-word queries (common and rare) at N articles,
   first page of 20 with total count and snippets, as the CLI and API ask it.
RSS is sampled during the load to show whether it grows with corpus size.
Without --pg, a throwaway PostgreSQL cluster is started (tests/pgcluster.py) and removed.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.ingest.readers import RawDoc  # noqa: E402
from akhbar.model import Article, Sentence  # noqa: E402
from akhbar.parallel import map_docs  # noqa: E402
from akhbar.pipeline import process_safe  # noqa: E402
from akhbar.store import open_store  # noqa: E402
from akhbar.text.split import WORD_RE  # noqa: E402


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed_docs(k: int) -> list[RawDoc]:
    """`k` distinct raw variants of the seed articles."""
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "examples" / "seeds").glob("*.txt"))]
    return [RawDoc(seeds[i % len(seeds)] + f"\n\nیہ رپورٹ نمبر {i} ہے۔", "txt", f"bench-{i}", f"bench:{i}")
            for i in range(k)]


def bench_pipeline(k: int, workers: int) -> tuple[list[Article], dict[int, float]]:
    """Processed articles and the pipeline rate (articles/s) at 1 and `workers` processes."""
    docs = seed_docs(k)
    process_safe(docs[0])  # load models once, outside the timing
    rates, out = {}, []
    for w in sorted({1, workers}):
        t = time.perf_counter()
        out = [a for a in map_docs(docs, process_safe, workers=w) if isinstance(a, Article)]
        rates[w] = len(docs) / (time.perf_counter() - t)
    return out, rates


def variant(base: Article, i: int, vocab: list[str], rng: random.Random) -> Article:
    """A distinct copy of `base`: Zipf-sampled words and a unique closing sentence appended."""
    a = copy.copy(base)
    words = " ".join(vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1)] for _ in range(8))
    tail = f" {words} حوالہ {i}۔"
    a.body = base.body + tail
    a.raw = base.raw + tail
    a.sentences = [*base.sentences, Sentence(len(base.sentences), len(base.body) + 1, len(a.body), tail.strip())]
    a.source_id, a.url, a.id = f"v{i}", None, None
    return a


def load(url: str, pool: list[Article], n: int, vocab: list[str], batch: int) -> dict[str, float]:
    """Write `n` variants into the store at `url`, `batch` per transaction; rate and RSS at quarters."""
    rng = random.Random(7)
    store = open_store(url)
    done = store.count_articles()  # resume an interrupted load (variants are deterministic per index)
    for i in range(done):
        variant(pool[i % len(pool)], i, vocab, rng)
    rss: list[float] = []
    quarter = max(1, n // 4)
    t, cpu = time.perf_counter(), time.process_time()
    for start in range(done, n, batch):
        end = min(n, start + batch)
        store.add_articles([variant(pool[i % len(pool)], i, vocab, rng) for i in range(start, end)])
        if end // quarter > start // quarter:
            rss.append(rss_mb())
        if end % 50_000 < batch:
            print(f"  loaded {end} articles ({(end - done) / (time.perf_counter() - t):.0f}/s)", file=sys.stderr)
    # nan when the store was already full (a search-only re-run on a kept --sqlite / --pg store)
    rate = (n - done) / (time.perf_counter() - t) if n > done else float("nan")
    cpu_rate = (n - done) / max(time.process_time() - cpu, 1e-9) if n > done else float("nan")
    store.close()
    return {"rate": rate, "cpu_rate": cpu_rate, "rss": rss}


def bench_search(url: str, vocab: list[str], queries: int, snippets: bool = True) -> tuple[float, float]:
    """p50 and p99 search latency (ms) over random common and rare one/two-word queries.

    With `snippets` False the snippet step is stubbed out, to time the index query alone.
    """
    import akhbar.search as search_mod

    rng = random.Random(11)
    store = open_store(url)
    real = search_mod.best_snippets
    if not snippets:
        search_mod.best_snippets = lambda sents, terms, **kw: []
    times = []
    for q in range(queries):
        words = [vocab[min(int(rng.paretovariate(0.7)) - 1, len(vocab) - 1)] for _ in range(1 + q % 2)]
        t = time.perf_counter()
        store.search(" ".join(words), limit=20)
        times.append((time.perf_counter() - t) * 1000)
    search_mod.best_snippets = real
    store.close()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def pg_url(given: str | None) -> str:
    if given:
        return given
    sys.path.insert(0, str(ROOT / "tests"))
    import pgcluster

    reason = pgcluster.unavailable_reason()
    if reason:
        raise SystemExit(f"no PostgreSQL: {reason}; pass --pg URL")
    return pgcluster.fresh_database()


def bench_ingest(k: int, workers: int) -> float:
    """End-to-end ingest rate (articles/s): read -> every stage -> store -> near-duplicates and stories."""
    from akhbar.pipeline import ingest_docs

    docs = seed_docs(k)
    store = open_store(str(Path(tempfile.mkdtemp()) / "ingest.db"))
    t = time.perf_counter()
    report = ingest_docs(docs, store, workers=workers)
    rate = report.added / (time.perf_counter() - t)
    store.close()
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles to store per backend")
    ap.add_argument("--pipeline-docs", type=int, default=400, help="documents run through the full pipeline")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--batch", type=int, default=500, help="articles per store transaction in the bulk load")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--sqlite", help="SQLite file to load (kept; a partial load resumes); default: a temp file")
    ap.add_argument("--pg", help="postgresql:// URL of a database (default: a throwaway cluster)")
    args = ap.parse_args()

    pool, rates = bench_pipeline(args.pipeline_docs, args.workers)
    for w, r in rates.items():
        print(f"pipeline workers={w} docs={args.pipeline_docs} articles_per_s={r:.1f}")
    ingest_rate = bench_ingest(args.pipeline_docs, args.workers)
    print(f"ingest end_to_end workers={args.workers} docs={args.pipeline_docs} articles_per_s={ingest_rate:.1f}")
    vocab = sorted({w for a in pool[:5] for w in WORD_RE.findall(a.body) if len(w) > 2})
    random.Random(3).shuffle(vocab)
    last = ""
    for backend in args.backends.split(","):
        if backend == "sqlite":
            url = args.sqlite or str(Path(tempfile.mkdtemp()) / "scale.db")
        else:
            url = pg_url(args.pg)
        stats = load(url, pool, args.n, vocab, args.batch)
        p50, p99 = bench_search(url, vocab, args.queries)
        i50, i99 = bench_search(url, vocab, args.queries, snippets=False)
        rss = " ".join(f"{r:.0f}" for r in stats["rss"])
        print(f"store backend={backend} n={args.n} write_articles_per_s={stats['rate']:.0f} "
              f"per_client_cpu_s={stats['cpu_rate']:.0f} load_avg={os.getloadavg()[0]:.1f} "
              f"rss_mb_at_quarters=[{rss}] search_p50_ms={p50:.1f} search_p99_ms={p99:.1f} "
              f"index_only_p50_ms={i50:.1f} index_only_p99_ms={i99:.1f}")
        last += (f"{backend}_articles_per_s={stats['rate']:.0f} {backend}_search_p50_ms={p50:.1f} "
                 f"{backend}_search_p99_ms={p99:.1f} ")
    print(f"n={args.n} pipeline_articles_per_s={max(rates.values()):.1f} ingest_articles_per_s={ingest_rate:.1f} "
          f"{last}peak_rss_mb={peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
