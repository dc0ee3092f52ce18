"""Ingest throughput: articles/s and peak RSS for N synthetic-variant articles, and the raw
tokenisation rate on the same text, so the pipeline's overhead over tokenising can be read.

    python benchmarks/ingest.py 2000 [--workers 2] [--no-stages]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from akhbar import pipeline
from akhbar.store import open_store
from akhbar.text.split import tokens

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def synthetic_corpus(n: int, seed: int = 7) -> list[str]:
    """N distinct articles: seed paragraphs shuffled and sampled, with a numbered headline."""
    rng = random.Random(seed)
    paras = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text("utf-8").split("\n") if len(p) > 60]
    out = []
    for i in range(n):
        body = rng.sample(paras, k=min(8, len(paras)))
        out.append(f"خبر نمبر {i}: {rng.choice(paras)[:60]}\n\n" + "\n\n".join(body))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--no-stages", action="store_true", help="clean and store only (no entities/events)")
    args = ap.parse_args()
    texts = synthetic_corpus(args.n)
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    n_tokens = sum(len(tokens(t)) for t in texts)
    tok_s = time.perf_counter() - t0
    if args.no_stages:
        pipeline.components.cache_clear()
        pipeline.STAGES = ()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"syn{i}", "text": t}, ensure_ascii=False) + "\n")
        store = open_store(str(Path(tmp) / "bench.db"))
        t0 = time.perf_counter()
        report = pipeline.ingest_paths([src], store, workers=args.workers, stories=False)
        ingest_s = time.perf_counter() - t0
        store.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles={report.added} chars={chars} tokens={n_tokens} workers={args.workers}")
    print(f"tokenise_chars_per_s={chars / tok_s:,.0f} tokenise_articles_per_s={args.n / tok_s:,.0f}")
    print(f"ingest_articles_per_s={report.added / ingest_s:,.1f} ratio_tokenise_to_ingest={(args.n / tok_s) / (report.added / ingest_s):,.0f}")
    print(f"peak_rss_mb={rss_mb:,.0f}")


if __name__ == "__main__":
    main()
