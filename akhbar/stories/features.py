"""Text features shared by dedupe and clustering: folded words, shingles, TF-IDF term weights.

Matching works on `fold`ed text so that spelling variants (ي/ی, ك/ک, digits, harakat) and scrape
noise in joiners do not separate copies of one article.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from operator import itemgetter, mul

from akhbar.model import Article
from akhbar.text.normalize import fold
from akhbar.text.split import tokens
from akhbar.text.stopwords import stop_words


@lru_cache(maxsize=64)
def words(text: str) -> tuple[str, ...]:
    """Folded word tokens of `text` (all words, stop words included: shingles need word order).

    Cached: dedupe and clustering read the same article text one after the other.
    """
    return tuple(tokens(fold(text)))


def shingles(text: str, k: int = 3) -> set[str]:
    """Word k-gram shingles of the folded text (the whole text when shorter than k words)."""
    return _grams(list(words(text)), k, " ")


def shingle_bytes(text: str, k: int = 3) -> set[bytes]:
    """`shingles(text, k)` as UTF-8 bytes (what MinHash hashes), each word encoded once rather than each shingle."""
    return _grams([w.encode("utf-8") for w in words(text)], k, b" ")


def _grams(ws: list, k: int, sep: str | bytes) -> set:
    """The k-grams of `ws` joined by `sep` (all of `ws` as one when shorter than k; none when empty)."""
    if len(ws) < k:
        return {sep.join(ws)} if ws else set()
    return set(map(sep.join, zip(*(ws[i:] for i in range(k)), strict=False)))


def content_terms(text: str) -> list[str]:
    """Folded content words: no stop words, no bare numbers, no one-letter tokens."""
    return content_words(words(text))


def content_words(ws: Iterable[str]) -> list[str]:
    """The content words among folded word tokens `ws` (as `content_terms`, for text already tokenised)."""
    stops = stop_words()
    return [w for w in ws if w not in stops and len(w) > 1 and not w.isdigit()]


def article_text(article: Article) -> str:
    """Headline and body as one text (the headline once, first)."""
    return f"{article.headline or ''}\n{article.body or article.raw}"


def term_counts(article: Article, headline_weight: int = 2) -> Counter[str]:
    """Content-word counts of an article, headline words counted `headline_weight` times."""
    head = content_terms(article.headline or "")
    counts = Counter(content_words(words(article_text(article))))  # headline counted once here …
    for w in head:
        counts[w] += headline_weight - 1  # … and raised to its weight here
    return counts


def tfidf(counts: Counter[str], df: dict[str, int], n_docs: int, max_terms: int = 200) -> dict[str, float]:
    """L2-normalised sublinear TF-IDF of `counts`, keeping the `max_terms` heaviest terms (heaviest first)."""
    weights = {t: (1.0 + math.log(c)) * math.log((1 + n_docs) / (1 + df.get(t, 0))) + 0.0 for t, c in counts.items()}
    top = sorted(weights.items(), key=itemgetter(1), reverse=True)[:max_terms]  # stable: ties keep their order
    norm = math.sqrt(sum([w * w for _, w in top])) or 1.0
    return {t: w / norm for t, w in top if w > 0}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two L2-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))  # the same sum, in a C-level loop
