"""Near-duplicate detection: MinHash signatures of word shingles, indexed with LSH (datasketch).

Two articles are near-copies when their shingle resemblance (Jaccard) reaches `threshold`, or when
the shorter one is nearly contained in the longer (containment, Broder 1997) — a shortened copy of
an agency text. Containment is estimated from the MinHash Jaccard and the exact shingle counts:
|A∩B| = J·(|A|+|B|)/(1+J). Broder, "On the resemblance and containment of documents" (1997);
Leskovec et al., Mining of Massive Datasets, ch. 3. Incremental: only new articles are hashed;
stored signatures (with their shingle counts) rebuild the index.
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
    """MinHash of the folded word k-gram shingles of `text`; `.size` holds the exact shingle count."""
    t = _template(num_perm)
    m = MinHash(num_perm=num_perm, permutations=t.permutations, scheme=t.scheme)
    sh = shingles(text, k)
    m.update_batch([s.encode("utf-8") for s in sh])
    m.size = len(sh)
    return m


def containment(sig_a: MinHash, sig_b: MinHash) -> float:
    """Estimated share of the smaller shingle set found in the other (0 when a count is unknown)."""
    na, nb = getattr(sig_a, "size", 0), getattr(sig_b, "size", 0)
    if not na or not nb:
        return 0.0
    j = sig_a.jaccard(sig_b)
    return min(1.0, j * (na + nb) / (1 + j) / min(na, nb))


class Deduper:
    """Groups articles whose estimated shingle Jaccard or containment reaches its threshold (union-find)."""

    def __init__(self, threshold: float | None = None, num_perm: int | None = None, k: int | None = None,
                 containment: float | None = None):
        p = params()["dedupe"]
        self.threshold = p["threshold"] if threshold is None else threshold
        self.containment = p["containment"] if containment is None else containment
        self.num_perm = num_perm or p["num_perm"]
        self.k = k or p["shingle_words"]
        bands = (p["lsh_bands"], p["lsh_rows"]) if self.num_perm >= p["lsh_bands"] * p["lsh_rows"] else None
        self.lsh = MinHashLSH(threshold=min(p["lsh_threshold"], self.threshold), num_perm=self.num_perm, params=bands)
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
        matches = [c for c in self.lsh.query(sig) if self.near(sig, self.sigs[c])]
        for c in matches:
            self._union(key, c)
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        return matches

    def near(self, a: MinHash, b: MinHash) -> bool:
        """Near-copies: Jaccard at or above `threshold`, or containment at or above `containment`."""
        return a.jaccard(b) >= self.threshold or containment(a, b) >= self.containment

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

    def contained(self, a: int, b: int) -> float:
        """Estimated containment of two indexed keys (the smaller set's share in the other)."""
        return containment(self.sigs[a], self.sigs[b])


def pack(sig: MinHash) -> bytes:
    """Signature as bytes for the store: scheme, permutation count, uint64 hash values, shingle count."""
    scheme = getattr(sig, "scheme", "affine32").encode("ascii")
    head = struct.pack("<BI", len(scheme), len(sig.hashvalues)) + scheme
    return head + sig.hashvalues.astype("<u8").tobytes() + struct.pack("<I", getattr(sig, "size", 0))


def unpack(data: bytes, seed: int = 1) -> MinHash:
    """Signature from `pack` bytes."""
    size, n = struct.unpack_from("<BI", data)
    scheme = data[5 : 5 + size].decode("ascii")
    end = 5 + size + 8 * n
    values = np.frombuffer(data, dtype="<u8", offset=5 + size, count=n).astype(np.uint64)
    sig = MinHash(num_perm=n, seed=seed, hashvalues=values, scheme=scheme)
    sig.size = struct.unpack_from("<I", data, end)[0] if len(data) >= end + 4 else 0  # older rows: no count
    return sig


def dedupe_articles(articles: Iterable[Article], deduper: Deduper | None = None) -> Deduper:
    """Index articles (headline + body) in order; the returned Deduper holds their groups."""
    d = deduper or Deduper()
    for a in articles:
        if a.id is None:
            raise ValueError("dedupe needs stored articles (id is None)")
        d.add(a.id, article_text(a))
    return d
