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
AT = np.array([2, 0, 1, 3, 4])  # where the word in each place stands in a sentence padded by two
GAZ_LABELS = ("", "O", "DEM", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")  # "": beyond the sentence
START, END = len(GAZ_LABELS), len(GAZ_LABELS) + 1  # the stand-ins beyond either end of a sentence
PAIRS = {"w-1w": 0, "ww+1": 1}  # the word-pair attributes: previous and own word, own and next
OWN, AROUND = 11, 4  # attributes of a word itself (but the gazetteer's) and as a neighbour
MAX_WORDS = 100_000  # cached words before the cache starts afresh (bounded memory on long ingests)


class Scorer:
    """Score rows per word for one model and one common-word list.

    `table[id, place]` holds the summed weights of an entry's attributes in that place: ids
    below START are the gazetteer labels, START and END the sentence ends, then the words.
    Word pairs are looked up by their keys' numbers (`kid`) among sorted codes."""

    def __init__(self, weights: Weights, common: frozenset[str], titles: dict[str, str]) -> None:
        self.weights, self.common, self.titles = weights, common, titles
        # every attribute's weights and, last column, the largest of their absolute values
        self.attr = np.hstack([weights.state, np.abs(weights.state).max(1, keepdims=True)])
        self.none = len(weights.state) - 1  # the zero row
        self.gaz_index = {g: k for k, g in enumerate(GAZ_LABELS)}
        self.pair_kids: dict[str, int] = {"<s>": 0, "</s>": 1}
        self.pair_codes, self.pair_rows = self._pairs()
        self.reset()

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Sorted codes of the word pairs the model weighs (PAIRS[kind] << 62 | key number << 31 |
        key number) and their attribute rows; a pair a|b|c is filed under both ways of reading it."""
        codes, rows = [], []
        for name, row in self.weights.rows.items():
            head, _, pair = name.partition(":")
            if head not in PAIRS:
                continue
            for cut in (k for k, ch in enumerate(pair) if ch == "|"):
                a, b = (self.pair_kids.setdefault(part, len(self.pair_kids)) for part in (pair[:cut], pair[cut + 1 :]))
                codes.append(PAIRS[head] << 62 | a << 31 | b)
                rows.append(row)
        order = np.argsort(codes, kind="stable")
        return np.array(codes, np.int64)[order], np.array(rows, np.intp)[order]

    def reset(self) -> None:
        """Forget every word: keep the gazetteer labels and the sentence ends."""
        self.ids: dict[tuple[str, str], int] = {}
        self.keys: list[str] = [""] * (END + 1)  # key of each id (words only)
        self.kids = dict(self.pair_kids)
        self.table = np.zeros((1024, len(PLACES), self.attr.shape[1]))
        self.kid = np.zeros(1024, np.int64)
        for k, g in enumerate(GAZ_LABELS):
            self.table[k] = self._row([f"gaz{d or ''}:{g}" if g else "" for d in PLACES])
        for k, key in ((START, "<s>"), (END, "</s>")):
            self.table[k] = self._row(["", *(f"w{d}:{key}" if (d < 0) == (k == START) else "" for d in OFFSETS)])
            self.kid[k] = self.kids[key]
        self.size = END + 1

    def _row(self, names: list[str]) -> np.ndarray:
        """One row per name: its weights (and absolute bound); "" or an unknown name weighs 0."""
        return self.attr[[self.weights.rows.get(name, self.none) for name in names]]

    def _attrs(self, token: str, ap: str) -> tuple[str, list[str], list[float]]:
        """A word's key, its attributes but the gazetteer's (OWN, then AROUND per offset) and their values."""
        key = exact_key(token) or token
        title = self.titles.get(key, "-")
        common = key in self.common
        names = [f"w:{key}", f"p2:{key[:2]}", f"s2:{key[-2:]}", f"s3:{key[-3:]}", "len", "stop", "common",
                 f"title:{title}", "digit", "latin", f"ap:{ap}"]
        values = [1.0, 1.0, 1.0, 1.0, float(min(len(key), 8)), float(stop(token)), float(common),
                  1.0, float(key.isdigit()), float(key.isascii()), 1.0]
        around = float(common or stop(token))
        for d in OFFSETS:
            names += [f"w{d}:{key}", f"title{d}:{title}", f"common{d}", f"ap{d}:{ap}"]
            values += [1.0, 1.0, around, 1.0]
        return key, names, values

    def _add(self, words: list[tuple[str, str]]) -> None:
        """Give new words ids, rows (summed per place) and key numbers."""
        start, end = self.size, self.size + len(words)
        if end > len(self.table):  # double the capacity
            cap = max(end, 2 * len(self.table))
            self.table = np.concatenate([self.table, np.zeros((cap - len(self.table), *self.table.shape[1:]))])
            self.kid = np.concatenate([self.kid, np.zeros(cap - len(self.kid), np.int64)])
        names, values = [], []
        for k, word in enumerate(words, start):
            key, n, v = self._attrs(*word)
            self.ids[word] = k
            self.kid[k] = self.kids.setdefault(key, len(self.kids))
            self.keys.append(key)
            names += n
            values += v
        parts = self._row(names) * np.array(values)[:, None]
        firsts = np.arange(0, len(parts), OWN + 4 * AROUND)[:, None] + np.array([0, *range(OWN, OWN + 4 * AROUND, AROUND)])
        self.table[start:end] = np.add.reduceat(parts, firsts.ravel()).reshape(len(words), len(PLACES), -1)
        self.size = end

    def scores(self, tokens: list[str], ap: list[str], label: Callable[[list[str]], list[str]]) -> np.ndarray:
        """(T, labels + 1): each token's score per label, last column the bound on absolute
        values; `label` gives the gazetteer label of each token from the tokens' keys."""
        if len(self.ids) + len(tokens) > MAX_WORDS:
            self.reset()  # before looking up, so no id of this sentence is forgotten midway
        ids = list(map(self.ids.get, zip(tokens, ap, strict=True)))
        if None in ids:
            words = list(zip(tokens, ap, strict=True))
            self._add(list(dict.fromkeys(w for w, k in zip(words, ids, strict=True) if k is None)))
            ids = list(map(self.ids.__getitem__, words))
        keys = list(map(self.keys.__getitem__, ids))
        gaz = map(self.gaz_index.__getitem__, label(keys))
        both = np.array([[START, START, *ids, END, END], [0, 0, *gaz, 0, 0]])
        rows = both[:, AT[:, None] + np.arange(len(ids))] * len(PLACES) + np.arange(len(PLACES))[:, None]
        table = self.table.reshape(-1, self.attr.shape[1])
        out = np.take(table, rows.reshape(-1, len(ids)), axis=0).sum(0)  # (2 * 5, T, width) summed
        kid = np.take(self.kid, both[0])
        codes = np.concatenate([kid[1:-3] << 31 | kid[2:-2], 1 << 62 | kid[2:-2] << 31 | kid[3:-1]])
        return out + np.take(self.attr, self._pair_rows(codes).reshape(2, -1), axis=0).sum(0)

    def _pair_rows(self, codes: np.ndarray) -> np.ndarray:
        """The attribute row of each word-pair code (the zero row for pairs the model does not weigh)."""
        known = self.pair_codes
        if not len(known):
            return np.full(len(codes), self.none)
        at = np.minimum(np.searchsorted(known, codes), len(known) - 1)
        return np.where(known[at] == codes, self.pair_rows[at], self.none)
