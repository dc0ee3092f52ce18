"""Summaries: one line per article (its lead, noise removed) and an extractive summary per story.

Story summaries pick central sentences (cosine to the story's mean TF-IDF vector, plus a bonus
for sentences near their article's lead, where news puts what matters) across outlets, drop
near-repeats (maximal marginal relevance, Carbonell & Goldstein 1998) and order them by the date
their content was first told.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator

from akhbar.model import Article
from akhbar.stories.config import noise_rules, params
from akhbar.stories.features import content_words, cosine, tfidf
from akhbar.text.normalize import collapse_spaces, fold, fold_with_map
from akhbar.text.split import iter_sentences, tokens

# A leading `place [date] (credit)`: at most 60 characters and DATELINE_WORDS words before the parenthesis.
_CREDIT_DATELINE = re.compile(r"^([^()]{0,60}?)\(([^()]{1,60})\)\s*([^\s()]*)")
_CREDIT_SPLIT = re.compile(r"[\s/+،,۔.-]+")
DATELINE_WORDS = 6
_AFTER_DATELINE = " )،,:-۔"  # what may separate a dateline from its sentence


def strip_dateline(text: str) -> str:
    """Cut a leading dateline (`ڈھاکہ ۔ یکم دسمبر (اے پی پی)`, `لاہور (سپورٹس ڈیسک)`) from a sentence."""
    return _cut_dateline(text, fold(text))


def _cut_dateline(text: str, key: str, desks: bool = True) -> str:
    """`text` without the leading dateline its folded form `key` shows (unchanged without one)."""
    end = _text_end(text, key, desks)
    return text[end:].lstrip(_AFTER_DATELINE) if end else text


def dateline_end(text: str) -> int:
    """Offset in `text` just past its leading dateline's credit (0 when it opens with none)."""
    return _text_end(text, fold(text))


def _text_end(text: str, key: str, desks: bool = True) -> int:
    """`_dateline_end` of `key` (the folded `text`) as an offset in `text`, 0 without a dateline; the
    offset map is built only when a dateline is there."""
    end = _dateline_end(key, desks)
    return 0 if end is None else fold_with_map(text)[1][end - 1] + 1


def _dateline_end(key: str, desks: bool = True) -> int | None:
    """Where a leading dateline ends in a folded sentence (just past its credit), or None without one.

    Agency datelines always; with `desks`, also any `place [date] (credit)` naming a desk or reporter.
    """
    for credit in noise_rules().datelines:
        pos = key.find(credit, 0, 120)
        if pos != -1:
            return pos + len(credit)
    if not desks:
        return None
    m = _CREDIT_DATELINE.match(key)
    if m is None or len(m.group(1).split()) > DATELINE_WORDS or not _is_credit(m.group(2)):
        return None
    return None if m.group(3).strip("،,:-۔") in noise_rules().joins else m.end(2) + 1


def _is_credit(inside: str) -> bool:
    """Whether the words inside a parenthesis name a desk, reporter or agency (noise.tsv `credit`)."""
    padded = " " + " ".join(w for w in _CREDIT_SPLIT.split(inside) if w) + " "
    return any(f" {word} " in padded for word in noise_rules().credits)


def is_noise(sentence: str, headline: str | None = None) -> bool:
    """True for scrape noise: promotion/caption/credit lines, too-short lines, repeated headlines."""
    key = fold(sentence)
    return _noise(key, tokens(key), _headline_key(headline))


def is_boilerplate(line: str) -> bool:
    """True for a promotion, caption, credit or publication line (noise.tsv), whatever its length."""
    key = fold(line)
    rules = noise_rules()
    return key.startswith(rules.prefixes) or any(c in key for c in rules.contains)


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


def clean_sentences(article: Article, *, desks: bool = False) -> list[str]:
    """The article's body sentences with noise lines dropped and agency datelines cut (with `desks`, desk
    and reporter datelines too, as in summaries).

    Lead vectors (akhbar.semantic) keep desk datelines: bend-the-truth's rewrites share their original's,
    and cutting them moved its pair retrieval recall@1 0.929 -> 0.921 (COUNTER's 0.750 -> 0.760).
    """
    return [text for text, _, _ in _clean_sentences(article, desks)]


def _clean_sentences(article: Article, desks: bool = True) -> Iterator[tuple[str, str, list[str]]]:
    """(sentence, its folded form, its folded tokens) of the clean sentences: folded once, used twice."""
    head = _headline_key(article.headline)
    for span in iter_sentences(article.body or article.raw):
        key = fold(span.text)
        text = collapse_spaces(_cut_dateline(span.text, key, desks))
        if not text:
            continue
        if text != span.text:  # the key of the sentence as cut and spaced (most need no second fold)
            key = fold(text)
        toks = tokens(key)
        if not _noise(key, toks, head):
            yield text, key, toks


def one_line(article: Article) -> str | None:
    """The lead: the first sentence that is not noise (None for an article of noise only), shortened."""
    first = next(_clean_sentences(article), None)
    return None if first is None else shorten(first[0])


def shorten(sentence: str, words: int | None = None) -> str:
    """The sentence cut to `words` words (summary.max_words) with ` …`: unpunctuated text splits into
    paragraph-long "sentences" that no reader takes for one line."""
    words = words or params()["summary"]["max_words"]
    parts = sentence.split()
    return sentence if len(parts) <= words else " ".join(parts[:words]) + " …"


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
    told = sorted(range(len(cands)), key=lambda j: cands[j][0])

    def first_told(i: int) -> tuple:
        """(date, article, position) where the sentence's content first appeared, in it or a near-repeat:
        a newspaper's copy of the agency lead comes where the agency told it, not a day later."""
        return next(cands[j][0] for j in told if j == i or cosine(vecs[i], vecs[j]) >= limit)

    return [shorten(cands[i][1]) for i in sorted(chosen, key=first_told)]


def lead_n(articles: list[Article], n: int = 3) -> list[str]:
    """Baseline: the first `n` clean sentences of the oldest article."""
    return clean_sentences(articles[0])[:n] if articles else []
