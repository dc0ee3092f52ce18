"""Story labels: the story's most mentioned entities and its key phrase, in Urdu, with an English gloss."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice

from akhbar.model import Article, Mention
from akhbar.stories.features import content_terms
from akhbar.stories.summarize import dateline_end, is_boilerplate, one_line, strip_dateline
from akhbar.text.normalize import fold
from akhbar.text.split import iter_sentences

MAX_WORDS = 14  # agency headlines run to 60 words; a label is a phrase
FUZZY = "variant"  # Mention.method of a fuzzy spelling match (akhbar.entities)
DATELINE_SENTENCES = 2  # a dateline opens the body's first sentence, or its second after a repeated headline


def story_mentions(article: Article) -> Iterator[Mention]:
    """The article's linked mentions outside its dateline and credits.

    The agency (`اے پی پی`) and the city a copy was filed from say where it came from, not what it is about.
    """
    credits = {fold(c) for c in article.credits}
    cut = 0
    for span in islice(iter_sentences(article.body), DATELINE_SENTENCES):
        end = dateline_end(span.text)
        cut = span.start + end if end else cut
    for m in article.mentions:
        if m.entity_id and m.start >= cut and fold(m.surface) not in credits:
            yield m


def top_entities(articles: list[Article], n: int = 3) -> list[tuple[str, str]]:
    """(entity id, most frequent Urdu surface) of the `n` entities mentioned in most articles.

    An entity seen only through fuzzy spelling variants (`کلب` "club" read as Kuleba) does not name a story.
    """
    per_article: Counter = Counter()
    surfaces: dict[str, Counter] = {}
    exact: set[str] = set()
    for a in articles:
        ids = set()
        for m in story_mentions(a):
            ids.add(m.entity_id)
            surfaces.setdefault(m.entity_id, Counter())[m.surface] += 1
            if m.method != FUZZY:
                exact.add(m.entity_id)
        per_article.update(ids)
    # in most articles first, then most mentioned (one-article stories rank by mentions alone)
    ranked = sorted(exact, key=lambda e: (-per_article[e], -sum(surfaces[e].values()), e))
    return [(eid, surfaces[eid].most_common(1)[0][0]) for eid in ranked[:n]]


def key_phrase(articles: list[Article]) -> str:
    """The headline sharing most content words with the story's other headlines (its most typical).

    An article without a headline (a body-only text file) offers its lead sentence instead.
    """
    heads = [h for h in (_headline(a) for a in articles) if h]
    if not heads:
        return ""
    counts = Counter(w for h in heads for w in set(content_terms(h)))

    def typical(h: str) -> tuple[float, int]:  # share of its words the other headlines use; shorter wins ties
        ws = set(content_terms(h)) or {""}
        return sum(counts[w] - 1 for w in ws) / len(ws), -len(h)

    best = max(heads, key=typical).split()
    return " ".join(best[:MAX_WORDS]) + (" …" if len(best) > MAX_WORDS else "")


def _headline(article: Article) -> str:
    """The article's headline, else its lead sentence (noise and dateline removed), else ''.

    A headline without a content word (a stray `.`) or that is a publication line does not count.
    """
    head = strip_dateline((article.headline or "").strip())  # a first line taken for the headline may open with one
    if content_terms(head) and not is_boilerplate(head):
        return head
    return (one_line(article) or "").strip()  # not the stored summary: it may predate the dateline rules


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
