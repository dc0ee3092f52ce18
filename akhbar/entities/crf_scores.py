"""The CRF's state scores of a sentence from score vectors cached per word.

`crf.features` (used for training) gives each token the attributes of itself and of the words
up to two places away; the model weighs each attribute per label. A word's attributes depend
only on the word, its analyser class and where it stands (own or neighbour at -2, -1, +1, +2),
apart from its gazetteer label and the word pairs, so each word's summed weight vector per
place is built once (one row of `table`), the gazetteer labels' and the pairs' likewise, and a
sentence's (T, labels) scores are a few gathers of shifted rows. Each row carries one more
column: the sum of the absolute values of its terms, which bounds the rounding of any sum.

Tagging through pycrfsuite instead (per-token dicts converted to its items, even when built
from cached parts) cost ~5 ms per 300-token article; these scores cost ~0.1 ms.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from akhbar.entities.crf_weights import Weights
from akhbar.entities.kb import stop
from akhbar.entities.variants import exact_key

OFFSETS = (-2, -1, 1, 2)
PLACES = (0, *OFFSETS)  # a word's own attributes, then as the neighbour at each offset
GAZ_LABELS = ("", "O", "DEM", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")  # "": beyond the sentence
MAX_WORDS = 100_000  # cached words before the cache starts afresh (bounded memory on long ingests)
START, END = 0, 1  # ids of the stand-in words beyond either end of a sentence


class Scorer:
    """Per-word score rows for one model and one common-word list."""

    def __init__(self, weights: Weights, common: frozenset[str], titles: dict[str, str]) -> None:
        self.weights, self.common, self.titles = weights, common, titles
        labels = len(weights.labels)
        # every attribute's weights and, last column, the largest of their absolute values
        self.attr = np.hstack([weights.state, np.abs(weights.state).max(1, keepdims=True)])
        self.none = len(weights.state) - 1  # the zero row
        self.gaz = np.stack([np.stack([self._row([(f"gaz{d or ''}:{g}", 1.0)] if g else []) for d in PLACES])
                             for g in GAZ_LABELS])
        self.gaz_index = {g: k for k, g in enumerate(GAZ_LABELS)}
        self.pairs: dict[str, dict[str, int]] = {"w-1w": {}, "ww+1": {}}  # word pair -> row of pair_rows
        rows = [np.zeros(labels + 1)]
        for name, row in weights.rows.items():
            kind, _, pair = name.partition(":")
            if kind in self.pairs:
                self.pairs[kind][pair] = len(rows)
                rows.append(self.attr[row])
        self.pair_rows = np.array(rows)
        self.reset()

    def reset(self) -> None:
        """Forget every word but the two stand-ins for the sentence ends."""
        self.ids: dict[tuple[str, str], int] = {}
        self.keys: list[str] = ["<s>", "</s>"]
        edge = [[self._row([(f"w{d}:{key}", 1.0)] if (d < 0) == (key == "<s>") else []) for d in OFFSETS]
                for key in self.keys]
        zero = self._row([])
        self.table = np.array([[zero, *rows] for rows in edge])

    def _row(self, attrs: list[tuple[str, float]]) -> np.ndarray:
        """The summed weights (and absolute bound) of (attribute, value) pairs; unknown ones weigh 0."""
        rows = [self.weights.rows.get(name, self.none) for name, _ in attrs]
        values = np.array([v for _, v in attrs])
        return (self.attr[rows] * values[:, None]).sum(0) if rows else np.zeros(self.attr.shape[1])

    def _attrs(self, token: str, ap: str) -> tuple[str, list[list[tuple[str, float]]]]:
        """A word's key and its attributes in each place but the gazetteer's."""
        key = exact_key(token) or token
        title = self.titles.get(key, "-")
        common = key in self.common
        own = [(f"w:{key}", 1.0), (f"p2:{key[:2]}", 1.0), (f"s2:{key[-2:]}", 1.0), (f"s3:{key[-3:]}", 1.0),
               ("len", float(min(len(key), 8))), ("stop", float(stop(token))), ("common", float(common)),
               (f"title:{title}", 1.0), ("digit", float(key.isdigit())), ("latin", float(key.isascii())),
               (f"ap:{ap}", 1.0)]
        around = [[(f"w{d}:{key}", 1.0), (f"title{d}:{title}", 1.0), (f"common{d}", float(common or stop(token))),
                   (f"ap{d}:{ap}", 1.0)] for d in OFFSETS]
        return key, [own, *around]

    def _add(self, words: list[tuple[str, str]]) -> None:
        """Give new words ids and rows."""
        rows = []
        for word in words:
            key, places = self._attrs(*word)
            self.ids[word] = len(self.keys)
            self.keys.append(key)
            rows.append([self._row(p) for p in places])
        self.table = np.concatenate([self.table, np.array(rows)])

    def scores(self, tokens: list[str], ap: list[str], label: Callable[[list[str]], list[str]]) -> np.ndarray:
        """(T, labels + 1): each token's score per label, last column the bound on absolute
        values; `label` gives the gazetteer label of each token from the tokens' keys."""
        words = list(zip(tokens, ap, strict=True))
        if len(self.ids) + len(words) > MAX_WORDS:
            self.reset()  # before looking up, so no id of this sentence is forgotten midway
        ids = self.ids
        new = [w for w in words if w not in ids]
        if new:
            self._add(list(dict.fromkeys(new)))
        at_words = [ids[w] for w in words]
        at = np.array([START, START, *at_words, END, END])
        n = len(words)
        keys = [self.keys[k] for k in at_words]
        gz = np.array([0, 0, *(self.gaz_index[g] for g in label(keys)), 0, 0])
        out = self.table[at[2:-2], 0] + self.gaz[gz[2:-2], 0]
        for p, d in enumerate(OFFSETS, 1):
            out += self.table[at[2 + d : 2 + d + n], p]
            out += self.gaz[gz[2 + d : 2 + d + n], p]
        ends = ["<s>", *keys, "</s>"]
        pairs = [f"{a}|{b}" for a, b in zip(ends, ends[1:], strict=False)]
        before, after = self.pairs["w-1w"], self.pairs["ww+1"]
        out += self.pair_rows[[before.get(p, 0) for p in pairs[:-1]]]
        out += self.pair_rows[[after.get(p, 0) for p in pairs[1:]]]
        return out
