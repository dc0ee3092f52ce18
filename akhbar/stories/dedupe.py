"""Near-duplicate detection: candidates from MinHash LSH and the story, verified by a pair model.

Candidates are articles sharing word 3-gram shingles (MinHash signatures indexed with LSH,
datasketch; Leskovec et al., Mining of Massive Datasets, ch. 3) and the newest members of the
story the article joins. Each candidate, at most `max_verify` per article, is kept when the pair
model of `verify.py` calls it a copy: overlap alone cannot tell a cut or reworded copy from a
rewrite that changes the facts. Without the model (`verify=False`) the rule is estimated Jaccard
>= `threshold` or containment >= `containment` (Broder 1997, |A∩B| = J·(|A|+|B|)/(1+J)).
Incremental: only new articles are hashed; the stored signatures (with shingle counts) of a time
window around them rebuild the index, and earlier signatures and groups are read on demand.
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import cache
from hashlib import sha1

import numpy as np
from datasketch import MinHash, MinHashLSH

from akhbar.model import Article
from akhbar.stories.cluster import Clusterer
from akhbar.stories.config import params
from akhbar.stories.features import article_text, shingle_bytes
from akhbar.stories.verify import pair_features, shipped_model


@cache
def _template(num_perm: int) -> MinHash:
    """One MinHash per permutation count: its random permutations are drawn once, then shared."""
    return MinHash(num_perm=num_perm)


def signature(text: str, num_perm: int, k: int) -> MinHash:
    """MinHash of the folded word k-gram shingles of `text`; `.size` holds the exact shingle count."""
    t = _template(num_perm)
    m = MinHash(num_perm=num_perm, permutations=t.permutations, scheme=t.scheme, hashfunc=int)
    sh = shingle_bytes(text, k)
    m.update_batch(_sha1_32(sh))  # the values datasketch's default hash gives, without its call per shingle
    m.size = len(sh)
    return m


def _sha1_32(items: set[bytes]) -> list[int]:
    """datasketch's default `sha1_hash32` of each item (first 4 bytes of SHA-1, little-endian), in one pass.

    The 20-byte digests are joined and read as little-endian uint32: every fifth is a digest's first 4 bytes.
    """
    digests = b"".join([sha1(s).digest() for s in items])
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()


def containment(sig_a: MinHash, sig_b: MinHash) -> float:
    """Estimated share of the smaller shingle set found in the other (0 when a count is unknown)."""
    na, nb = getattr(sig_a, "size", 0), getattr(sig_b, "size", 0)
    if not na or not nb:
        return 0.0
    j = sig_a.jaccard(sig_b)
    return min(1.0, j * (na + nb) / (1 + j) / min(na, nb))


class Deduper:
    """Groups articles judged copies of each other (union-find over verified candidate pairs).

    `text_of(key)` fetches an earlier article's text for verification (e.g. from the store);
    texts added or fetched are kept in a bounded cache of the newest `text_cache` (`texts`, which a
    caller may share between Dedupers over one store: articles never change).
    `sig_of(key)` and `parent_of(key)` read a signature or group link not loaded (store-backed);
    `changed` holds the keys whose group link was set or shortened since it was last cleared.
    """

    def __init__(self, threshold: float | None = None, num_perm: int | None = None, k: int | None = None,
                 containment: float | None = None, *, verify: bool = True,
                 text_of: Callable[[int], str] | None = None):
        p = params()["dedupe"]
        self.threshold = p["threshold"] if threshold is None else threshold
        self.containment = p["containment"] if containment is None else containment
        self.num_perm = num_perm or p["num_perm"]
        self.k = k or p["shingle_words"]
        bands = (p["lsh_bands"], p["lsh_rows"]) if self.num_perm >= p["lsh_bands"] * p["lsh_rows"] else None
        self.lsh = MinHashLSH(threshold=min(p["lsh_threshold"], self.threshold), num_perm=self.num_perm, params=bands)
        self.sigs: dict[int, MinHash] = {}
        self.parent: dict[int, int] = {}
        self.model = shipped_model() if verify else None
        self.max_verify = int(p["max_verify"])
        self.story_candidates = int(p["story_candidates"])
        self.text_of = text_of
        self.texts: OrderedDict[int, str] = OrderedDict()
        self.text_cache = int(p["text_cache"])
        self.sig_of: Callable[[int], MinHash | None] | None = None
        self.parent_of: Callable[[int], int | None] | None = None
        self.changed: set[int] = set()
        self._roots: set[int] = set()  # keys parent_of found without a link
        self._rejected: tuple[int | None, set[int]] = (None, set())  # the candidates judged not copies of one key

    def load_links(self, links: dict[int, int], keys: Iterable[int]) -> None:
        """Set the stored group links of `keys` at once: a key without one is a root, not read again."""
        self.parent.update(links)
        self._roots.update(k for k in keys if k not in links)

    def _up(self, x: int) -> int:
        """The group link of `x` (itself for a root), read through `parent_of` when not loaded."""
        p = self.parent.get(x)
        if p is not None:
            return p
        if self.parent_of is None or x in self._roots:
            return x
        p = self.parent_of(x)
        if p is None:
            self._roots.add(x)
            return x
        self.parent[x] = p
        return p

    def _sig(self, key: int) -> MinHash | None:
        sig = self.sigs.get(key)
        if sig is None and self.sig_of is not None:
            sig = self.sig_of(key)
            if sig is not None:
                self.sigs[key] = sig  # kept for this session, not indexed: LSH holds the time window only
        return sig

    def _find(self, x: int) -> int:
        root = x
        while (up := self._up(root)) != root:
            root = up
        while (up := self._up(x)) != root:  # path compression
            self.parent[x] = root
            self.changed.add(x)
            x = up
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:  # the smaller id (stored first) represents the group
            self.parent[max(ra, rb)] = min(ra, rb)
            self.changed.add(max(ra, rb))

    def add_signature(self, key: int, sig: MinHash, text: str | None = None) -> list[int]:
        """Index `sig` (of `text`) under `key`; return the earlier keys verified as its copies."""
        if text is not None:
            self.remember(key, text)
        cands = sorted(self.lsh.query(sig), key=lambda c: (-sig.jaccard(self.sigs[c]), c))  # ties: oldest first
        self.lsh.insert(key, sig)
        self.sigs[key] = sig
        return self.verify(key, cands)

    def verify(self, key: int, candidates: Iterable[int]) -> list[int]:
        """Join `key` with the candidates judged copies; at most `max_verify` checked, one per group."""
        matches, checked = [], 0
        if self._rejected[0] != key:
            self._rejected = (key, set())
        for c in candidates:
            if checked >= self.max_verify:
                break
            if c == key or self._sig(c) is None or self._find(c) == self._find(key):
                continue
            checked += 1
            if c not in self._rejected[1] and self.near(key, c):  # a story member LSH offered too: judged once
                matches.append(c)
                self._union(key, c)
            else:
                self._rejected[1].add(c)
        return matches

    def near(self, a: int, b: int) -> bool:
        """Copies: near-verbatim by their signatures, else the pair model's verdict on both texts."""
        sa, sb = self._sig(a), self._sig(b)
        if sa.jaccard(sb) >= self.threshold or containment(sa, sb) >= self.containment:
            return True
        ta, tb = (self._text(a), self._text(b)) if self.model is not None else (None, None)
        return ta is not None and tb is not None and self.model.probability(pair_features(ta, tb)) >= self.model.threshold

    def remember(self, key: int, text: str) -> None:
        """Keep `text` for verifying later candidates (the newest `text_cache` texts are kept)."""
        self.texts[key] = text
        self.texts.move_to_end(key)
        while len(self.texts) > self.text_cache:
            self.texts.popitem(last=False)

    def _text(self, key: int) -> str | None:
        if key in self.texts:
            return self.texts[key]
        text = self.text_of(key) if self.text_of is not None else None
        if text is not None:
            self.remember(key, text)  # a story's members are offered to several of its new articles
        return text

    def add(self, key: int, text: str) -> list[int]:
        """Hash, index and verify one text; return the earlier keys verified as its copies."""
        return self.add_signature(key, signature(text, self.num_perm, self.k), text)

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
    """Signature from `pack` bytes (sharing the permutations of `signature`'s, not drawing its own)."""
    size, n = struct.unpack_from("<BI", data)
    scheme = data[5 : 5 + size].decode("ascii")
    end = 5 + size + 8 * n
    values = np.frombuffer(data, dtype="<u8", offset=5 + size, count=n).astype(np.uint64)
    t = _template(n) if seed == 1 else None  # the template is drawn with datasketch's default seed, 1
    perms = t.permutations if t is not None and t.scheme == scheme else None
    sig = MinHash(num_perm=n, seed=seed, hashvalues=values, scheme=scheme, permutations=perms)
    sig.size = struct.unpack_from("<I", data, end)[0] if len(data) >= end + 4 else 0  # older rows: no count
    return sig


def place(article: Article, dd: Deduper, cl: Clusterer) -> tuple[int, MinHash]:
    """Dedupe then cluster one stored article; its story's newest members are candidates too.

    Returns (story id, signature). A copy found through LSH puts the article in its original's story.
    """
    text = article_text(article)
    sig = signature(text, dd.num_perm, dd.k)
    dd.add_signature(article.id, sig, text)
    rep = dd.representative(article.id)
    sid = cl.add(article, duplicate_of=rep if rep != article.id else None)
    members = cl.stories[sid].article_ids
    dd.verify(article.id, reversed(members[max(0, len(members) - 1 - dd.story_candidates) : -1]))
    return sid, sig


def dedupe_articles(articles: Iterable[Article], deduper: Deduper | None = None) -> Deduper:
    """Index articles (headline + body) in order; the returned Deduper holds their groups."""
    d = deduper or Deduper()
    for a in articles:
        if a.id is None:
            raise ValueError("dedupe needs stored articles (id is None)")
        d.add(a.id, article_text(a))
    return d
