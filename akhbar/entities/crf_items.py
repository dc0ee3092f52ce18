"""The CRF's features as pycrfsuite items, built fast for tagging.

`crf.features` (used for training) makes one dict per token; pycrfsuite then turns every
`name: value` into the attribute `name:value` and looks each one up in the model. Tagging
gives the same attributes, in the same order, from parts cached per word (its own features
and its features as a neighbour, UTF-8 encoded), keeps only attributes the model has weights
for and drops zero-valued flags: crfsuite skips both, so the tags are identical.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from akhbar.entities.kb import stop
from akhbar.entities.variants import exact_key

OFFSETS = (-2, -1, 1, 2)
MAX_WORDS = 100_000  # cached words before the cache starts afresh (bounded memory on long ingests)
Attrs = tuple[bytes, ...]
Item = dict[bytes, float]


class _ByLabel(dict):
    """Attributes of one word seen from one offset, per gazetteer label of that word: the
    word's features before the label, the label's attribute, the features after, as an
    {attribute: value} dict (filled on demand; items are merged from these dicts, which
    keeps each key's hash instead of hashing every attribute again)."""

    __slots__ = ("before", "after", "label", "length")

    def __init__(self, before: Attrs, after: Attrs, label: Callable[[str], Attrs], length: float = 1.0) -> None:
        super().__init__()
        self.before, self.after, self.label, self.length = before, after, label, length

    def __missing__(self, gaz: str) -> Item:
        attrs = self[gaz] = dict.fromkeys(self.before + self.label(gaz) + self.after, 1.0)
        if b"len" in attrs:
            attrs[b"len"] = self.length  # the one feature with a value other than 1
        return attrs


@dataclass
class ItemBuilder:
    """Attribute parts per word for one model; `known` holds the attribute names it weighs."""

    known: frozenset[str]
    common: frozenset[str]
    titles: dict[str, str]
    words: dict[tuple[str, str], tuple] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.labels = {d: self._label_attrs(d) for d in (0, *OFFSETS)}
        self.first, self.last = self._edge(True), self._edge(False)
        self.pairs: dict[str, dict[str, Item]] = {"w-1w": {}, "ww+1": {}}  # word pair -> its attribute
        for name in self.known:
            kind, _, pair = name.partition(":")
            if kind in self.pairs:
                self.pairs[kind][pair] = {name.encode(): 1.0}

    def encode(self, names: list[str]) -> Attrs:
        """The names the model knows, in order, UTF-8 encoded as pycrfsuite sends them."""
        return tuple(n.encode() for n in names if n in self.known)

    def _label_attrs(self, d: int) -> Callable[[str], Attrs]:
        cache: dict[str, Attrs] = {"": ()}  # "": beyond the sentence, no label
        name = f"gaz{d if d else ''}"

        def attrs(gaz: str) -> Attrs:
            if gaz not in cache:
                cache[gaz] = self.encode([f"{name}:{gaz}"])
            return cache[gaz]
        return attrs

    def word(self, token: str, ap: str) -> tuple:
        """Cached parts of one token with its analyser class: a _ByLabel for itself and for
        each neighbour offset, its key and its `len` value."""
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
        own = _ByLabel(
            self.encode([f"w:{key}", f"p2:{key[:2]}", f"s2:{key[-2:]}", f"s3:{key[-3:]}", "len"]
                        + ["stop"] * stop(token) + ["common"] * common),
            self.encode([f"title:{title}"] + ["digit"] * key.isdigit() + ["latin"] * key.isascii() + [f"ap:{ap}"]),
            self.labels[0],
            float(min(len(key), 8)),
        )
        around = [_ByLabel(self.encode([f"w{d}:{key}", f"title{d}:{title}"]),
                           self.encode([f"common{d}"] * (common or stop(token)) + [f"ap{d}:{ap}"]),
                           self.labels[d]) for d in OFFSETS]
        return (own, *around, key)

    def _edge(self, start: bool) -> tuple:
        """The stand-in word beyond either end of the sentence: only its `w±d` feature."""
        key = "<s>" if start else "</s>"
        around = [_ByLabel(self.encode([f"w{d}:{key}"]) if (d < 0) == start else (), (), self.labels[d])
                  for d in OFFSETS]
        return (_ByLabel((), (), self.labels[0]), *around, key)

    def items(self, tokens: list[str], ap: list[str], label: Callable[[list[str]], list[str]]) -> list[Item]:
        """One {attribute: value} dict per token, as `crf.features` would give after filtering;
        `label` gives the gazetteer label of each token from the tokens' keys."""
        ws = [self.first, self.first, *(self.word(t, a) for t, a in zip(tokens, ap, strict=True)),
              self.last, self.last]
        gz = ["", "", *label([w[5] for w in ws[2:-2]]), "", ""]
        pairs = [f"{a[5]}|{b[5]}" for a, b in zip(ws[1:-2], ws[2:-1], strict=True)]  # words i-1, i
        none: Item = {}
        before = [self.pairs["w-1w"].get(p, none) for p in pairs]
        after = [self.pairs["ww+1"].get(p, none) for p in pairs[1:]]
        return [
            {**c[0][gc], **a[1][ga], **b[2][gb], **e[3][ge], **f[4][gf], **pb, **pa}
            for a, b, c, e, f, ga, gb, gc, ge, gf, pb, pa in zip(
                ws, ws[1:], ws[2:], ws[3:], ws[4:], gz, gz[1:], gz[2:], gz[3:], gz[4:], before, after, strict=False
            )
        ]
