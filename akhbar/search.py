"""Urdu-aware query handling shared by every store: folding, FTS5 query building, snippets.

Queries and documents are folded the same way (akhbar.text.normalize), so forms that differ
only in code points, diacritics, joiners or digit sets match; snippets are cut from the
original text, with highlight offsets mapped back through the fold's offset map.
"""

from __future__ import annotations

import re

from akhbar.errors import QueryError
from akhbar.text.normalize import fold, fold_with_map
from akhbar.text.split import WORD_RE

_PHRASE_RE = re.compile(r'"([^"]+)"')

# Matches are counted up to this many ("10,000+"): an exact count of a word found in most of a
# million articles would cost more than the search itself.
COUNT_CAP = 10_000
# Unfiltered searches rank (bm25 / ts_rank) only the newest this-many matches, so their cost is
# bounded whatever the corpus size. A query with more than COUNT_CAP matches is not ranked at
# all: its newest matches come first (FTS5's bm25 reads every match to weigh a term).
RANK_WINDOW = 1000


def rank_window(limit: int, offset: int) -> int:
    """How many of the newest matches an unfiltered search ranks: RANK_WINDOW, or deeper for a late page."""
    return max(RANK_WINDOW, offset + limit)


def capped_total(count: int) -> tuple[int, bool]:
    """(total, exact) from a count taken with LIMIT COUNT_CAP + 1."""
    return (COUNT_CAP, False) if count > COUNT_CAP else (count, True)


def query_terms(query: str) -> list[list[str]]:
    """Split a user query into terms: each a list of folded words (a quoted phrase is one term)."""
    terms: list[list[str]] = []
    rest = _PHRASE_RE.sub(lambda m: terms.append(WORD_RE.findall(fold(m.group(1)))) or " ", query)
    terms.extend([w] for w in WORD_RE.findall(fold(rest)))
    terms = [t for t in terms if t]
    if not terms:
        raise QueryError(f"the query {query!r} has no words to search for")
    return terms


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression (every term required); only quoted word tokens reach FTS5."""
    return " AND ".join('"' + " ".join(t) + '"' for t in query_terms(query))


def _patterns(terms: list[list[str]]) -> list[re.Pattern[str]]:
    """One whole-word regex per term (a phrase allows any spacing between its words)."""
    return [re.compile(r"(?<![^\W_])" + r"\s+".join(re.escape(w) for w in term) + r"(?![^\W_])") for term in terms]


def highlight(text: str, terms: list[list[str]]) -> list[tuple[int, int]]:
    """Offsets in the original `text` of every whole-word occurrence of a query term."""
    key, index = fold_with_map(text)
    spans = []
    for pattern in _patterns(terms):
        for m in pattern.finditer(key):
            start = index[m.start()]
            end = index[m.end()] if m.end() < len(index) else len(text)
            while end > start and text[end - 1].isspace():
                end -= 1
            spans.append((start, end))
    return _merge(sorted(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def best_snippets(
    sentences: list[str], terms: list[list[str]], *, max_snippets: int = 2, max_chars: int = 240
) -> list[tuple[str, list[tuple[int, int]]]]:
    """The sentences that hold the most distinct query terms, with highlight offsets."""
    # Score on the fast folded key; map offsets back (the slow part) for the winners only.
    patterns = _patterns(terms)
    scored = []
    for i, sent in enumerate(sentences):
        key = fold(sent)
        found = _merge(sorted((m.start(), m.end()) for p in patterns for m in p.finditer(key)))
        if found:
            scored.append((len(found), -i, sent))
    scored.sort(reverse=True)
    out = []
    for _, _, sent in scored[:max_snippets]:
        out.append(_clip(sent, highlight(sent, terms), max_chars))
    if not out and sentences:
        out.append(_clip(sentences[0], [], max_chars))
    return out


def _clip(sent: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[str, list[tuple[int, int]]]:
    if len(sent) <= max_chars:
        return sent, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - max_chars // 3, len(sent) - max_chars))
    while start > 0 and not sent[start - 1].isspace():
        start -= 1
    end = min(len(sent), start + max_chars)
    prefix = "… " if start else ""
    suffix = " …" if end < len(sent) else ""
    shifted = [(s - start + len(prefix), e - start + len(prefix)) for s, e in spans if s >= start and e <= end]
    return prefix + sent[start:end] + suffix, shifted
