"""Near-duplicate detection: MinHash signatures of word shingles, indexed with LSH (datasketch).

Broder, "On the resemblance and containment of documents" (1997); Leskovec et al., Mining of Massive
Datasets, ch. 3. Incremental: only new articles are hashed; stored signatures rebuild the index.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from akhbar.model import Article
from akhbar.stories.config import params
from akhbar.stories.features import article_text, shingles


@cache
def _template(num_perm: int) -> MinHash:
    """One MinHash per permutation count: its random permutations are drawn once, then shared."""
    return MinHash(num_perm=num_perm)


def signature(text: str, num_perm: int, k: int) -> MinHash:
    """MinHash of the folded word k-gram shingles of `text`."""
    t = _template(num_perm)
    m = MinHash(num_perm=num_perm, permutations=t.permutations, scheme=t.scheme)
    m.update_batch([s.encode("utf-8") for s in shingles(text, k)])
    return m


class Deduper:
    """Groups articles whose estimated shingle Jaccard reaches the threshold (union-find over pairs)."""

    def __init__(self, threshold: float | None = None, num_perm: int | None = None, k: int | None = None):
        p = params()["dedupe"]
        self.threshold = p["threshold"] if threshold is None else threshold
        self.num_perm = num_perm or p["num_perm"]
        self.k = k or p["shingle_words"]
        self.lsh = MinHashLSH(threshold=min(p["lsh_threshold"], self.threshold), num_perm=self.num_perm)
        self.sigs: dict[int, MinHash] = {}
        self.parent: dict[int, int] = {}

    def _find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:  # the smaller id (stored first) represents the group
            self.parent[max(ra, rb)] = min(ra, rb)

    def add_signature(self, key: int, sig: MinHash) -> list[int]:
        """Index `sig` under `key` and return the earlier keys it near-duplicates."""
        matches = [c for c in self.lsh.query(sig) if sig.jaccard(self.sigs[c]) >= self.threshold]
        for c in matches:
            self._union(key, c)
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        return matches

    def add(self, key: int, text: str) -> list[int]:
        """Hash and index one text; return the earlier keys it near-duplicates."""
        return self.add_signature(key, signature(text, self.num_perm, self.k))

    def representative(self, key: int) -> int:
        """The representative (smallest key) of `key`'s group."""
        return self._find(key)

    def groups(self) -> dict[int, list[int]]:
        """Groups of two or more near-duplicates: {representative: sorted members}."""
        out: dict[int, list[int]] = {}
        for key in self.sigs:
            out.setdefault(self._find(key), []).append(key)
        return {r: sorted(m) for r, m in out.items() if len(m) > 1}

    def similarity(self, a: int, b: int) -> float:
        """Estimated Jaccard of two indexed keys."""
        return self.sigs[a].jaccard(self.sigs[b])


def pack(sig: MinHash) -> bytes:
    """Signature as bytes for the store: hashing scheme, permutation count, uint64 hash values."""
    scheme = getattr(sig, "scheme", "affine32").encode("ascii")
    head = struct.pack("<BI", len(scheme), len(sig.hashvalues)) + scheme
    return head + sig.hashvalues.astype("<u8").tobytes()


def unpack(data: bytes, seed: int = 1) -> MinHash:
    """Signature from `pack` bytes."""
    size, n = struct.unpack_from("<BI", data)
    scheme = data[5 : 5 + size].decode("ascii")
    values = np.frombuffer(data, dtype="<u8", offset=5 + size, count=n).astype(np.uint64)
    return MinHash(num_perm=n, seed=seed, hashvalues=values, scheme=scheme)


def dedupe_articles(articles: Iterable[Article], deduper: Deduper | None = None) -> Deduper:
    """Index articles (headline + body) in order; the returned Deduper holds their groups."""
    d = deduper or Deduper()
    for a in articles:
        if a.id is None:
            raise ValueError("dedupe needs stored articles (id is None)")
        d.add(a.id, article_text(a))
    return d
