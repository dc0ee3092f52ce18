"""Pair retrieval for `akhbar eval semantic`: does an article's labelled partner come up first?

Every article of a COUNTER or bend-the-truth folder queries all the others by the cosine of its
lead vector (what `akhbar related` does); the rank of its labelled partner (COUNTER: the agency
source or newspaper version of the same news; bend-the-truth: the rewrite of the same story) gives
recall@1, recall@10 and the mean reciprocal rank. The same is scored for TF-IDF cosine over the
folded words of the same lead text, the word-overlap baseline.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from akhbar.evaluate.stories import Labelled
from akhbar.semantic import embed_passages, lead_text
from akhbar.stories.features import content_terms


def partners(data: Labelled) -> dict[int, int]:
    """Row index -> row index of its labelled partner (both ways)."""
    row = {a.id: i for i, a in enumerate(data.articles)}
    out = {}
    for x, y in data.pairs:
        out[row[x]], out[row[y]] = row[y], row[x]
    return out


def rank_scores(sim: np.ndarray, pairs: dict[int, int]) -> dict[str, float]:
    """recall@1, recall@10 and MRR of each row's partner among all other rows of `sim`."""
    sim = sim.copy()
    np.fill_diagonal(sim, -np.inf)
    ranks = np.array([int((sim[i] > sim[i, j]).sum()) + 1 for i, j in pairs.items()])
    return {"recall_at_1": float((ranks == 1).mean()), "recall_at_10": float((ranks <= 10).mean()),
            "mrr": float((1 / ranks).mean())}


def tfidf_matrix(texts: list[str]) -> np.ndarray:
    """Unit TF-IDF rows over folded content words (smoothed IDF from these texts)."""
    counts = [Counter(content_terms(t)) for t in texts]
    df = Counter(w for c in counts for w in c)
    vocab = {w: k for k, w in enumerate(df)}
    idf = np.log((1 + len(texts)) / (1 + np.array([df[w] for w in vocab], dtype=np.float64))) + 1
    m = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for i, c in enumerate(counts):
        for w, n in c.items():
            m[i, vocab[w]] = n * idf[vocab[w]]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def semantic_scores(data: Labelled, batch: int = 32) -> dict[str, dict[str, float]]:
    """Pair-retrieval figures for lead vectors and for the TF-IDF baseline on the same leads."""
    texts = [lead_text(a) for a in data.articles]
    vecs = np.vstack([embed_passages(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    pairs = partners(data)
    words = tfidf_matrix(texts)
    return {"vectors": rank_scores(vecs @ vecs.T, pairs), "tfidf": rank_scores(words @ words.T, pairs)}
