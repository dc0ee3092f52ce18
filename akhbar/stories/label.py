"""Story labels: the story's most mentioned entities and its key phrase, in Urdu, with an English gloss."""

from __future__ import annotations

from collections import Counter

from akhbar.model import Article
from akhbar.stories.features import content_terms
from akhbar.text.normalize import fold

MAX_WORDS = 14  # agency headlines run to 60 words; a label is a phrase


def top_entities(articles: list[Article], n: int = 3) -> list[tuple[str, str]]:
    """(entity id, most frequent Urdu surface) of the `n` entities mentioned in most articles."""
    per_article: Counter = Counter()
    surfaces: dict[str, Counter] = {}
    for a in articles:
        ids = set()
        for m in a.mentions:
            if m.entity_id:
                ids.add(m.entity_id)
                surfaces.setdefault(m.entity_id, Counter())[m.surface] += 1
        per_article.update(ids)
    # in most articles first, then most mentioned (one-article stories rank by mentions alone)
    ranked = sorted(per_article, key=lambda e: (-per_article[e], -sum(surfaces[e].values()), e))
    return [(eid, surfaces[eid].most_common(1)[0][0]) for eid in ranked[:n]]


def key_phrase(articles: list[Article]) -> str:
    """The headline sharing most content words with the story's other headlines (its most typical)."""
    heads = [a.headline.strip() for a in articles if a.headline and a.headline.strip()]
    if not heads:
        return ""
    counts = Counter(w for h in heads for w in set(content_terms(h)))

    def typical(h: str) -> tuple[float, int]:  # share of its words the other headlines use; shorter wins ties
        ws = set(content_terms(h)) or {""}
        return sum(counts[w] - 1 for w in ws) / len(ws), -len(h)

    best = max(heads, key=typical).split()
    return " ".join(best[:MAX_WORDS]) + (" …" if len(best) > MAX_WORDS else "")


def label(articles: list[Article], entity_names: dict[str, str] | None = None) -> tuple[str, str]:
    """(Urdu label, English gloss): `entities: key phrase` and the entities' English names."""
    ents = top_entities(articles)
    phrase = key_phrase(articles)
    urdu = "، ".join(s for _, s in ents)
    if phrase and not all(fold(s) in fold(phrase) for _, s in ents):
        urdu = f"{urdu}: {phrase}" if urdu else phrase
    elif phrase:
        urdu = phrase
    names = entity_names or {}
    english = ", ".join(names.get(eid, eid.replace("_", " ")) for eid, _ in ents)
    return urdu, english
