"""The CRF's features as pycrfsuite items, built fast for tagging.

`crf.features` (used for training) makes one dict per token; pycrfsuite then turns every
`name: value` into the attribute `name:value` and looks each one up in the model. Tagging
gives the same attributes, in the same order, from parts cached per word (its own features
and its features as a neighbour, UTF-8 encoded), keeps only attributes the model has weights
for and drops zero-valued flags: crfsuite skips both, so the tags are identical.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from akhbar.entities.kb import stop
from akhbar.entities.variants import exact_key

OFFSETS = (-2, -1, 1, 2)
MAX_WORDS = 200_000  # cached words before the cache starts afresh (bounded memory on long ingests)
_EMPTY: tuple[bytes, ...] = ()

# Part slots of a cached word: its own features around the gazetteer label, then for each
# neighbour offset the features before and after that neighbour's gazetteer label.
_OWN_A, _OWN_B = 0, 1
_SLOT = {d: (2 + 2 * k, 3 + 2 * k) for k, d in enumerate(OFFSETS)}


@dataclass
class ItemBuilder:
    """Attribute parts per word for one model; `known` holds the attribute names it weighs."""

    known: frozenset[str]
    common: frozenset[str]
    titles: dict[str, str]
    words: dict[tuple[str, str], tuple] = field(default_factory=dict)
    labels: dict[int, dict[str, tuple[bytes, ...]]] = field(default_factory=dict)

    def encode(self, names: list[str]) -> tuple[bytes, ...]:
        """The names the model knows, in order, UTF-8 encoded as pycrfsuite sends them."""
        return tuple(n.encode() for n in names if n in self.known)

    def word(self, token: str, ap: str) -> tuple:
        """Cached parts of one token (with its analyser class): slots, key and `len` value."""
        held = self.words.get((token, ap))
        if held is None:
            if len(self.words) > MAX_WORDS:
                self.words.clear()
            held = self.words[(token, ap)] = self._parts(token, ap)
        return held

    def _parts(self, token: str, ap: str) -> tuple:
        key = exact_key(token) or token
        title = self.titles.get(key, "-")
        common = key in self.common
        parts: list[tuple[bytes, ...]] = [
            self.encode([f"w:{key}", f"p2:{key[:2]}", f"s2:{key[-2:]}", f"s3:{key[-3:]}", "len"]
                        + ["stop"] * stop(token) + ["common"] * common),
            self.encode([f"title:{title}"] + ["digit"] * key.isdigit() + ["latin"] * key.isascii() + [f"ap:{ap}"]),
        ]
        for d in OFFSETS:
            parts.append(self.encode([f"w{d}:{key}", f"title{d}:{title}"]))
            parts.append(self.encode([f"common{d}"] * (common or stop(token)) + [f"ap{d}:{ap}"]))
        return (*parts, key, float(min(len(key), 8)))

    def gaz(self, d: int, labels: list[str]) -> list[tuple[bytes, ...]]:
        """The gazetteer attribute of each word seen from offset `d` (0: the word itself), padded."""
        table = self.labels.setdefault(d, {})
        for label in set(labels) - table.keys():
            table[label] = self.encode([f"gaz{d if d else ''}:{label}"])
        return [_EMPTY, _EMPTY, *map(table.__getitem__, labels), _EMPTY, _EMPTY]

    def edge(self, start: bool) -> tuple:
        """The stand-in word beyond either end of the sentence (only its `w±d` feature)."""
        parts: list[tuple[bytes, ...]] = [_EMPTY] * 10
        for d in OFFSETS:
            if (d < 0) == start:
                parts[_SLOT[d][0]] = self.encode([f"w{d}:{'<s>' if start else '</s>'}"])
        return (*parts, "<s>" if start else "</s>", 0.0)

    def items(self, tokens: list[str], gaz: list[str], ap: list[str]) -> list[dict[bytes, float]]:
        """One {attribute: value} dict per token, as `crf.features` would give after filtering."""
        first, last = self.edge(True), self.edge(False)
        ws = [first, first, *(self.word(t, a) for t, a in zip(tokens, ap, strict=True)), last, last]
        g = {d: self.gaz(d, gaz) for d in (0, *OFFSETS)}
        g0, gm2, gm1, gp1, gp2 = g[0], g[-2], g[-1], g[1], g[2]
        pairs = [f"{ws[k][10]}|{ws[k + 1][10]}" for k in range(1, len(ws) - 2)]  # pairs[k]: padded words k+1, k+2
        known = self.known
        before = [(f"w-1w:{p}".encode(),) if f"w-1w:{p}" in known else _EMPTY for p in pairs]
        after = [(f"ww+1:{p}".encode(),) if f"ww+1:{p}" in known else _EMPTY for p in pairs]
        has_len = "len" in known
        out = []
        for i in range(2, len(ws) - 2):
            a, b, c, e, f = ws[i - 2], ws[i - 1], ws[i], ws[i + 1], ws[i + 2]
            item = dict.fromkeys((*c[0], *g0[i], *c[1], *a[2], *gm2[i - 2], *a[3], *b[4], *gm1[i - 1], *b[5],
                                  *e[6], *gp1[i + 1], *e[7], *f[8], *gp2[i + 2], *f[9],
                                  *before[i - 2], *after[i - 1]), 1.0)
            if has_len:
                item[b"len"] = c[11]
            out.append(item)
        return out
