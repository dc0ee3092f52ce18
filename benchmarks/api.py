"""HTTP throughput: requests/s and p50/p99 latency of the search and story pages on a large store.

Builds (once, then reuses) a store of N synthetic variants of the seed articles grouped into
stories of 100, starts `akhbar serve` in its own process on a free loopback port, and drives it
from a thread pool of keep-alive clients for a fixed time per scenario.

    python benchmarks/api.py [--articles 100000] [--seconds 10] [--concurrency 8] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from akhbar.model import Article, Sentence, Story
from akhbar.store import open_store
from akhbar.text.split import sentences, words

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
OUTLETS = ["BBC Urdu", "Dawn News", "Geo", "Express", "Jang", "VOA Urdu"]
STORY_SIZE = 100


def seed_sentences() -> list[str]:
    """Every sentence of the seeds longer than a few words: the material of the variants."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        out += [s.text for s in sentences(path.read_text("utf-8")) if len(s.text) > 30]
    return out


def variant(i: int, pool: list[str], rng: random.Random) -> Article:
    """Article i: 6–12 seed sentences in a new order, a numbered headline, a date and an outlet."""
    picked = rng.sample(pool, k=rng.randint(6, 12))
    body = "\n".join(f"{s} (حوالہ {rng.randint(1, 50_000)})" if rng.random() < 0.3 else s for s in picked)
    art = Article(raw=body, body=body, headline=f"{rng.choice(pool)[:70]} — {i}", outlet=rng.choice(OUTLETS),
                  published=dt.date(2015, 1, 1) + dt.timedelta(days=i // 40), source_id=f"bench:{i}")
    art.sentences = [Sentence(k, s.start, s.end, s.text) for k, s in enumerate(sentences(body))]
    return art


def build_store(path: str, n: int) -> None:
    """Fill `path` with n variants and n/100 stories, through the Store interface."""
    rng = random.Random(42)
    pool = seed_sentences()
    started = time.perf_counter()
    with open_store(path) as store:
        have = store.count_articles()
        for _ in range(have):
            variant(0, pool, rng)  # a resumed build continues the same random sequence
        for start in range(have, n, 500):
            store.add_articles([variant(i, pool, rng) for i in range(start, min(n, start + 500))])
            if (start + 500) % 10_000 == 0:
                print(f"  built {start + 500}/{n} articles ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        if have >= n and store.list_stories(limit=1):
            return  # reused as built
        ids = [a.id for a in store.iter_articles(full=False, batch=5000)]
        stories, assign = [], {}
        for k in range(0, len(ids), STORY_SIZE):
            sid = k // STORY_SIZE + 1
            first = store.get_article(ids[k], full=False)
            stories.append(Story(sid, (first.headline or "")[:60], article_ids=ids[k:k + STORY_SIZE],
                                 first_date=first.published, last_date=first.published, summary=[first.body[:120]]))
            assign.update({aid: sid for aid in ids[k:k + STORY_SIZE]})
        store.save_stories(stories, assign)
    print(f"  store ready: {n} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    """`akhbar serve` in a child process; returns once it answers on loopback."""
    proc = subprocess.Popen([sys.executable, "-m", "akhbar", "serve", "--db", db, "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def drive(base: str, urls: list[str], seconds: float, concurrency: int) -> tuple[float, float, float, int]:
    """Request random `urls` from `concurrency` threads for `seconds`; (req/s, p50 ms, p99 ms, errors)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine, bad = [], 0
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = client.get(rng.choice(urls))
                mine.append(time.perf_counter() - t0)
                bad += r.status_code != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors[0]


def scenarios(n_stories: int, rng: random.Random) -> dict[str, list[str]]:
    """URL sets: search pages for seed words (common and rare), story pages for random stories."""
    vocab = sorted({w.text for s in seed_sentences() for w in words(s) if len(w.text) > 3})
    return {
        "search": [f"/search?q={w}" for w in rng.sample(vocab, k=min(200, len(vocab)))],
        "story": [f"/story/{rng.randint(1, n_stories)}" for _ in range(500)],
        "api_search": [f"/api/search?q={w}&limit=10" for w in rng.sample(vocab, k=min(200, len(vocab)))],
    }


def median_matches(base: str, urls: list[str]) -> int:
    """Median number of articles a benchmark search word matches (ranking cost grows with it)."""
    totals = [httpx.get(base + u, timeout=60).json()["total"] for u in urls]
    return int(statistics.median(totals))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=10.0, help="load time per scenario")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--db", default=None, help="store to build or reuse (default: in the temp folder)")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.gettempdir()) / f"akhbar-bench-api-{args.articles}.db")
    build_store(db, args.articles)
    port = free_port()
    server = start_server(db, port)
    figures = {}
    sets = scenarios(max(1, args.articles // STORY_SIZE), random.Random(1))
    try:
        matches = median_matches(f"http://127.0.0.1:{port}", sets["api_search"][:20])
        print(f"search words match a median {matches} of {args.articles} articles (synthetic variants: a hard case)")
        for name, urls in sets.items():
            rps, p50, p99, errors = drive(f"http://127.0.0.1:{port}", urls, args.seconds, args.concurrency)
            print(f"{name:<11} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors}")
            figures[name] = (rps, p50, p99)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(" ".join(f"{k}_rps={v[0]:.1f} {k}_p50_ms={v[1]:.1f} {k}_p99_ms={v[2]:.1f}" for k, v in figures.items())
          + f" search_median_matches={matches} articles={args.articles} concurrency={args.concurrency}")


if __name__ == "__main__":
    main()
