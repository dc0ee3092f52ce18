"""Summaries: one line per article (its lead, noise removed) and an extractive summary per story.

Story summaries pick central sentences (cosine to the story's mean TF-IDF vector, plus a bonus
for sentences near their article's lead, where news puts what matters) across outlets, drop
near-repeats (maximal marginal relevance, Carbonell & Goldstein 1998) and order them by date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from akhbar.model import Article
from akhbar.stories.config import noise_rules, params
from akhbar.stories.features import content_words, cosine, tfidf
from akhbar.text.normalize import collapse_spaces, fold, fold_with_map
from akhbar.text.split import iter_sentences, tokens


def strip_dateline(text: str) -> str:
    """Cut a leading agency dateline (`ڈھاکہ ۔ یکم دسمبر (اے پی پی)`) from a sentence."""
    return _strip_dateline(text, fold(text))


def _strip_dateline(text: str, key: str) -> str:
    """`strip_dateline` of `text` whose fold is `key` (the same key fold_with_map gives; its map only when a credit is there)."""
    for credit in noise_rules().datelines:
        pos = key.find(credit, 0, 120)
        if pos != -1:
            index = fold_with_map(text)[1]
            return text[index[pos + len(credit) - 1] + 1 :].lstrip(" )،,:-۔")
    return text


def is_noise(sentence: str, headline: str | None = None) -> bool:
    """True for scrape noise: promotion/caption/credit lines, too-short lines, repeated headlines."""
    key = fold(sentence)
    return _noise(key, tokens(key), _headline_key(headline))


def _headline_key(headline: str | None) -> str | None:
    return fold(headline).strip(" ۔.") if headline else None


def _noise(key: str, toks: list[str], headline_key: str | None) -> bool:
    """`is_noise` of a folded sentence and its tokens, against a folded headline (each folded once)."""
    rules = noise_rules()
    if key.startswith(rules.prefixes) or any(c in key for c in rules.contains):
        return True
    if headline_key is not None and key.strip(" ۔.") == headline_key:
        return True
    return len(toks) < params()["summary"]["min_words"]


def clean_sentences(article: Article) -> list[str]:
    """The article's body sentences with noise lines dropped and datelines cut."""
    return [text for text, _, _ in _clean_sentences(article)]


def _clean_sentences(article: Article) -> Iterator[tuple[str, str, list[str]]]:
    """(sentence, its folded form, its folded tokens) of the clean sentences: folded once, used twice."""
    head = _headline_key(article.headline)
    for span in iter_sentences(article.body or article.raw):
        key = fold(span.text)
        text = collapse_spaces(_strip_dateline(span.text, key))
        if not text:
            continue
        if text != span.text:  # a dateline cut or spaces collapsed: fold again (else the key is the same)
            key = fold(text)
        toks = tokens(key)
        if not _noise(key, toks, head):
            yield text, key, toks


def one_line(article: Article) -> str | None:
    """The lead: the first sentence that is not noise (None for an article of noise only)."""
    first = next(_clean_sentences(article), None)
    return None if first is None else first[0]


def story_summary(articles: list[Article], n: int | None = None) -> list[str]:
    """Up to `n` central, non-redundant sentences of the story's articles, oldest article first."""
    n = n or params()["summary"]["sentences"]
    limit = params()["summary"]["redundancy"]
    lead = params()["summary"]["lead_weight"]
    cands: list[tuple[tuple, str, dict[str, float]]] = []
    df: Counter = Counter()
    seen: set[str] = set()
    for ai, a in enumerate(articles):
        for si, (text, key, toks) in enumerate(_clean_sentences(a)):
            if key in seen:
                continue
            seen.add(key)
            counts = Counter(content_words(toks))
            df.update(counts.keys())
            cands.append(((a.published or dt.date.max, ai, si), text, counts))
    vecs = [tfidf(c, df, len(cands) + 1) for _, _, c in cands]
    mean: dict[str, float] = {}  # summed in sentence order, as Counter.update would, without its per-call checks
    get = mean.get
    for v in vecs:
        for t, w in v.items():
            mean[t] = w + get(t, 0)
    centre = {t: w / max(len(vecs), 1) for t, w in mean.items()}
    ranked = sorted(range(len(cands)),
                    key=lambda i: (-cosine(vecs[i], centre) - lead / (1 + cands[i][0][2]), cands[i][0]))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) >= n:
            break
        if all(cosine(vecs[i], vecs[j]) < limit for j in chosen):
            chosen.append(i)
    return [cands[i][1] for i in sorted(chosen, key=lambda i: cands[i][0])]


def lead_n(articles: list[Article], n: int = 3) -> list[str]:
    """Baseline: the first `n` clean sentences of the oldest article."""
    return clean_sentences(articles[0])[:n] if articles else []
