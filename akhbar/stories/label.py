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
DATELINE_CHARS = 400  # … well inside the body's first this-many characters


def story_mentions(article: Article) -> Iterator[Mention]:
    """The article's linked mentions outside its dateline and credits.

    The agency (`اے پی پی`) and the city a copy was filed from say where it came from, not what it is about.
    """
    linked = [m for m in article.mentions if m.entity_id]
    if not linked:
        return
    credits = {fold(c) for c in article.credits}
    cut = _dateline_cut(article.body) if min(m.start for m in linked) < DATELINE_CHARS else 0
    for m in linked:
        if m.start >= cut and not (credits and fold(m.surface) in credits):
            yield m


def _dateline_cut(body: str) -> int:
    """Offset in the body just past its dateline (0 without one); only its opening is split, not a long text."""
    cut = 0
    for span in islice(iter_sentences(body[:DATELINE_CHARS]), DATELINE_SENTENCES):
        end = dateline_end(span.text)
        cut = span.start + end if end else cut
    return cut


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
    heads = [h for h in (_headline(a) for a in articles) if h[1]]
    if not heads:
        return ""
    counts = Counter(w for _, ws in heads for w in ws)

    def typical(head: tuple[str, set[str]]) -> tuple[float, int]:  # share of its words the other headlines
        h, ws = head  # use; shorter wins ties
        return sum(counts[w] - 1 for w in ws) / len(ws), -len(h)

    best = max(heads, key=typical)[0].split()
    return " ".join(best[:MAX_WORDS]) + (" …" if len(best) > MAX_WORDS else "")


def _headline(article: Article) -> tuple[str, set[str]]:
    """The article's headline, else its lead sentence (noise and dateline removed), and its content terms.

    A headline without a content word (a stray `.`) or that is a publication line does not count.
    """
    head = strip_dateline((article.headline or "").strip())  # a first line taken for the headline may open with one
    terms = set(content_terms(head))
    if terms and not is_boilerplate(head):
        return head, terms
    lead = strip_dateline(article.summary or one_line(article) or "").strip()  # a summary stored before the
    return lead, set(content_terms(lead))  # dateline rules may still open with one


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
