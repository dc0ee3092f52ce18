"""Entities stage numbers: KB size, what the skeleton key joins and merges, recognition speed.

Run: python benchmarks/entities.py   (prints key=value lines)

Speed is CPU time (time.process_time: other jobs on the machine count less than in wall time) of
`recognise` per cleaned article: over the 200 seed variants of benchmarks/scale.py (repeated
text, so warm word caches) and, when ../shared is present, over every bend-the-truth article
in a first pass (words mostly new to the caches). lt-proc runs in its own process and is not
counted.
"""

from __future__ import annotations

import copy
import itertools
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.entities import kb, recognise  # noqa: E402
from akhbar.entities.kb import common_words  # noqa: E402
from akhbar.entities.variants import exact_key, skeleton  # noqa: E402
from akhbar.ingest.clean import clean  # noqa: E402
from akhbar.ingest.readers import RawDoc  # noqa: E402
from benchmarks.scale import seed_docs  # noqa: E402


def variant_figures() -> dict[str, float]:
    """Of the KB's same-entity spelling-variant pairs, how many one skeleton joins;
    how many skeletons two entities share; how many common words hit a KB skeleton."""
    base = kb()
    joined = pairs = 0
    for entity in base.entities():
        singles = {exact_key(s): s for s in entity.urdu}
        for a, b in itertools.combinations(singles.values(), 2):
            # spelling variants, not aliases (داعش / دولت اسلامیہ): same word count, similar letters
            if len(a.split()) == len(b.split()) and SequenceMatcher(None, exact_key(a), exact_key(b)).ratio() >= 0.6:
                pairs += 1
                joined += skeleton(a) == skeleton(b)
    shared = sum(1 for ids in base.skeletons.values() if len(ids) > 1)
    hits = sum(1 for w in common_words() if skeleton(w) in base.skeletons)
    return {"kb_entities": len(base.by_id), "kb_spellings": len(base.exact), "kb_demonyms": len(base.demonyms),
            "variant_pairs": pairs, "variant_pairs_joined": joined, "skeletons_shared": shared,
            "common_words_on_kb_skeleton": hits, "common_words": len(common_words())}


def cpu_ms_per_article(articles: list) -> float:
    """CPU milliseconds per article for `recognise` over `articles` (copies, so they stay unfilled)."""
    t0 = time.process_time()
    for a in articles:
        recognise(copy.copy(a))
    return round((time.process_time() - t0) / len(articles) * 1000, 2)


def speed(rounds: int = 3) -> dict[str, float]:
    """CPU ms per article of the entities stage (dictionary + rules + CRF + Apertium classes)."""
    seeds = [clean(d) for d in seed_docs(200)]
    recognise(copy.copy(seeds[0]))  # load the KB, the model and lt-proc outside the timing
    out: dict[str, float] = {}
    real = ROOT.parent / "shared" / "data" / "bend-the-truth"
    files = sorted(f for f in real.rglob("*.txt") if f.name != "SOURCE.txt") if real.exists() else []
    if files:
        docs = [RawDoc(f.read_text("utf-8", errors="replace"), "txt", str(f), str(f)) for f in files]
        out["bend_the_truth_articles"] = len(docs)
        out["bend_the_truth_cpu_ms_per_article_first_pass"] = cpu_ms_per_article([clean(d) for d in docs])
    out["seed_variants_cpu_ms_per_article"] = min(cpu_ms_per_article(seeds) for _ in range(rounds))
    return out
if __name__ == "__main__":
    t0 = time.perf_counter()
    kb()
    print(f"kb_load_s={time.perf_counter() - t0:.2f}")
    for k, v in {**variant_figures(), **speed()}.items():
        print(f"{k}={v}")
