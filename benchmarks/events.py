"""Event coding and quote extraction speed (sentences/s) on real Urdu news.

Reads up to N real articles from ../shared/data/bend-the-truth (else the seeds), cleans them
and runs the entities stage first (untimed, as in the pipeline), then times each of
`code_events` and `extract_quotes`, and the entities stage for comparison.

    python benchmarks/events.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.entities import recognise  # noqa: E402
from akhbar.events import code_events, extract_quotes  # noqa: E402
from akhbar.events.coder import article_sentences  # noqa: E402
from akhbar.ingest.clean import clean  # noqa: E402
from akhbar.ingest.readers import read_file  # noqa: E402


def corpus(limit: int) -> list[Path]:
    """Real bend-the-truth articles when ../shared is present, else the seeds."""
    real = ROOT.parent / "shared" / "data" / "bend-the-truth"
    files = sorted(real.rglob("Real/*.txt")) if real.exists() else []
    return (files or sorted((ROOT / "examples" / "seeds").glob("*.txt")))[:limit]


def timed(fn, articles) -> float:
    """Seconds taken to run one stage over every article."""
    start = time.perf_counter()
    for a in articles:
        fn(a, None)
    return time.perf_counter() - start


def main() -> None:
    """Print sentences/s for the coder and the quote extractor (and the entities stage)."""
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    paths = corpus(limit)
    articles = [clean(doc) for p in paths for doc in read_file(p)]
    recognise(articles[0], None)  # warm the KB and models
    code_events(articles[0], None)
    t_ent = timed(recognise, articles)
    n_sent = sum(len(article_sentences(a)) for a in articles)
    t_ev = timed(code_events, articles)
    t_q = timed(extract_quotes, articles)
    n_events = sum(len(a.events) for a in articles)
    n_quotes = sum(len(a.quotes) for a in articles)
    print(f"corpus={paths[0].parent.parent.parent.name if len(paths) > 5 else 'seeds'} "
          f"articles={len(articles)} sentences={n_sent}")
    print(f"code_events: {n_sent / t_ev:.0f} sentences/s ({len(articles) / t_ev:.1f} articles/s), "
          f"{n_events} events")
    print(f"extract_quotes: {n_sent / t_q:.0f} sentences/s, {n_quotes} quotes")
    print(f"entities (for comparison): {n_sent / t_ent:.0f} sentences/s")
    print(f"events_sentences_per_s={n_sent / t_ev:.0f} quotes_sentences_per_s={n_sent / t_q:.0f} "
          f"events_share_of_entities_plus_events={t_ev / (t_ev + t_ent):.2f}")


if __name__ == "__main__":
    main()
