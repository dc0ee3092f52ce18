"""Entities stage numbers: KB size, what the skeleton key joins and merges, recognition speed.

Run: python benchmarks/entities.py   (prints key=value lines)
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akhbar.entities import find_mentions, kb  # noqa: E402
from akhbar.entities.kb import common_words  # noqa: E402
from akhbar.entities.variants import exact_key, skeleton  # noqa: E402


def variant_figures() -> dict[str, float]:
    """Of the KB's same-entity spelling pairs that differ exactly, how many one skeleton joins;
    how many skeletons two entities share; how many common words hit a KB skeleton."""
    base = kb()
    joined = pairs = 0
    for entity in base.entities():
        singles = {exact_key(s): s for s in entity.urdu}
        for a, b in itertools.combinations(singles.values(), 2):
            if len(a.split()) == len(b.split()):
                pairs += 1
                joined += skeleton(a) == skeleton(b)
    shared = sum(1 for ids in base.skeletons.values() if len(ids) > 1)
    hits = sum(1 for w in common_words() if skeleton(w) in base.skeletons)
    return {"kb_entities": len(base.by_id), "kb_spellings": len(base.exact), "kb_demonyms": len(base.demonyms),
            "variant_pairs": pairs, "variant_pairs_joined": joined, "skeletons_shared": shared,
            "common_words_on_kb_skeleton": hits, "common_words": len(common_words())}


def speed(seeds: Path, rounds: int = 5) -> dict[str, float]:
    """Articles and characters per second for find_mentions (dictionary + rules + CRF + Apertium)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    find_mentions(texts[0])  # warm caches (KB, model)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            find_mentions(t)
    dt = time.perf_counter() - t0
    n = rounds * len(texts)
    return {"articles_per_s": round(n / dt, 1), "chars_per_s": round(rounds * sum(map(len, texts)) / dt)}


if __name__ == "__main__":
    t0 = time.perf_counter()
    kb()
    print(f"kb_load_s={time.perf_counter() - t0:.2f}")
    for k, v in {**variant_figures(), **speed(ROOT / "examples" / "seeds")}.items():
        print(f"{k}={v}")
