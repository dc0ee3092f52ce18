"""The CRF's state scores of a sentence from score vectors cached per word.

`crf.features` (used for training) gives each token the attributes of itself and of the words
up to two places away; the model weighs each attribute per label. A word's attributes depend
only on the word, its analyser class and where it stands (own or neighbour at -2, -1, +1, +2),
apart from its gazetteer label and the word pairs, so each word's summed weight vector per
place is built once (one row of `table`: its spelling's attributes plus those of its shape,
cached per shape), the gazetteer labels' and the pairs' likewise, and a sentence's (T, labels)
scores are one gather of shifted rows. Each row carries one more column: the sum of the
absolute values of its terms, which bounds the rounding of any sum.

Why not feed CRFsuite items built from cached parts (the previous way)? pycrfsuite still
converts ~25 attributes per token from Python to C strings and looks each one up: ~4.5 ms of
CPU per 300-token article on a shared 2-core machine, against ~1.3 ms for these scores and
viterbi's decoding together (benchmarks/entities.py; a word seen for the first time adds
~20 µs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import repeat

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
        self.shape_ids: dict[tuple, int] = {}
        self.shapes: list[np.ndarray] = []  # (places, width) rows per word shape
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
        self.ids: defaultdict[str, dict[str, int]] = defaultdict(dict)  # analyser class -> word -> id
        self.count = 0  # words held
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
        return self.attr[list(map(self.weights.rows.get, names, repeat(self.none)))]

    def _shape(self, shape: tuple) -> int:
        """Row (in `shapes`) of the attributes a word's shape gives it in each place: everything
        but its own spelling (length, stop/common/title word, digits, Latin, analyser class)."""
        at = self.shape_ids.get(shape)
        if at is None:
            length, stopped, common, title, digit, latin, ap = shape
            names = ["len", "stop", "common", f"title:{title}", "digit", "latin", f"ap:{ap}"]
            values = [float(length), float(stopped), float(common), 1.0, float(digit), float(latin), 1.0]
            rows = [(self._row(names) * np.array(values)[:, None]).sum(0)]
            for d in OFFSETS:
                around = self._row([f"title{d}:{title}", f"common{d}", f"ap{d}:{ap}"])
                rows.append(around[0] + around[1] * float(common or stopped) + around[2])
            at = self.shape_ids[shape] = len(self.shapes)
            self.shapes.append(np.array(rows))
        return at

    def _add(self, words: list[tuple[str, str]]) -> None:
        """Give new words ids, rows (spelling plus shape, per place) and key numbers."""
        start, end = self.size, self.size + len(words)
        if end > len(self.table):  # double the capacity
            cap = max(end, 2 * len(self.table))
            self.table = np.concatenate([self.table, np.zeros((cap - len(self.table), *self.table.shape[1:]))])
            self.kid = np.concatenate([self.kid, np.zeros(cap - len(self.kid), np.int64)])
        names, shapes = [], []
        for k, (token, ap) in enumerate(words, start):
            key = exact_key(token) or token
            common = key in self.common
            shapes.append(self._shape((min(len(key), 8), stop(token), common, self.titles.get(key, "-"),
                                       key.isdigit(), key.isascii(), ap)))
            names += [f"w:{key}", f"p2:{key[:2]}", f"s2:{key[-2:]}", f"s3:{key[-3:]}",
                      *(f"w{d}:{key}" for d in OFFSETS)]
            self.ids[ap][token] = k
            self.kid[k] = self.kids.setdefault(key, len(self.kids))
            self.keys.append(key)
        spelling = self._row(names).reshape(len(words), 8, -1)  # own w, p2, s2, s3, then w at each offset
        rows = np.stack([self.shapes[k] for k in shapes])
        rows[:, 0] += spelling[:, :4].sum(1)
        rows[:, 1:] += spelling[:, 4:]
        self.table[start:end] = rows
        self.size = end
        self.count += len(words)

    def scores(self, tokens: list[str], ap: list[str], label: Callable[[list[str]], list[str]]) -> np.ndarray:
        """(T, labels + 1): each token's score per label, last column the bound on absolute
        values; `label` gives the gazetteer label of each token from the tokens' keys."""
        if self.count + len(tokens) > MAX_WORDS:
            self.reset()  # before looking up, so no id of this sentence is forgotten midway
        if len(tokens) != len(ap):
            raise ValueError("one analyser class per token")
        by_class = list(map(self.ids.__getitem__, ap))  # per class, not per (word, class): no pair built
        ids = list(map(dict.get, by_class, tokens))
        if None in ids:
            words = list(zip(tokens, ap, strict=True))
            self._add(list(dict.fromkeys(w for w, k in zip(words, ids, strict=True) if k is None)))
            ids = list(map(dict.__getitem__, by_class, tokens))
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
