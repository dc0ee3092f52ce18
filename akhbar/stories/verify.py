"""Verifies near-duplicate candidates: pair features scored by a small logistic model.

Copying keeps the facts (numbers, names, negations) and long runs of words even when the copy is
cut or reworded; a journalist's rewrite keeps the runs but changes what they say, and an
independent report shares the topic words only. No single overlap measure separates the three
(README "Stories"), so several feed a logistic regression trained by `akhbar train-dedupe`
(akhbar/stories/training.py) and shipped as data/dedupe_model.json.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from rapidfuzz.distance import Indel

from akhbar.stories.features import content_words, words

MODEL = "data/dedupe_model.json"
NEGATIONS = frozenset({"نہیں", "نہ", "مت", "بغیر", "غیر"})  # a rewrite often flips a statement
_DIGITS = re.compile(r"\d")

FEATURES = (
    "j1", "c1_small", "c1_large", "j3", "c3_small", "c3_large", "c5_small", "j_char", "run", "log_run",
    "matched", "len_ratio", "num_c", "num_extra", "neg_diff", "edits", "edit_words",
)


@dataclass(frozen=True, slots=True)
class Profile:
    """What pair features need of one text, computed once per text.

    Words and word or n-gram sets are arrays of their hashes (8 bytes an item, a tenth of a list or
    set), so that several thousand profiles fit in the cache: verification mostly meets recent texts.
    """

    words: array  # word hashes in text order, as unsigned 64-bit (alignment needs equality only)
    content: np.ndarray  # sorted unique hashes of the content words
    grams3: np.ndarray  # sorted unique hashes of word 3-grams
    grams5: np.ndarray
    chars: np.ndarray  # … of character 5-grams
    numbers: frozenset[str]
    negations: int


_MUL = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (golden ratio) mixing word hashes into n-gram hashes
_CHAR_BITS = 12  # character 5-grams of code points below 4096 (Urdu, Arabic, Latin) pack exactly into 60 bits


def _unique(a: np.ndarray) -> np.ndarray:
    """`a`'s distinct values, sorted (in place: faster than np.unique on the short arrays of one text)."""
    a.sort()
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) > 1 else a


def _word_grams(h: np.ndarray, n: int) -> np.ndarray:
    """Sorted unique hashes of the word n-grams of word hashes `h` (one hash of all when fewer than n).

    Each n-gram hashes as a polynomial in the word hashes (mod 2**64), all n-grams at once.
    """
    if len(h) < n:
        return np.array([hash((len(h), *h.tolist()))], dtype=np.int64)
    m = len(h) - n + 1
    g = h[:m].copy()
    for i in range(1, n):
        g *= _MUL
        g += h[i : m + i]
    return _unique(g.view(np.int64))


def _char_grams(s: str, n: int = 5) -> np.ndarray:
    """Sorted unique keys of the character n-grams of `s` (n <= 5), from its code points at once.

    An n-gram of code points below 4096 packs exactly into 12 bits a character; one with a rarer
    character gets a polynomial hash with bit 62 set, apart from every packed key.
    """
    cps = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(cps) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.int64)
    keys = cps[:m].copy()
    for i in range(1, n):
        keys <<= np.uint64(_CHAR_BITS)
        keys |= cps[i : m + i]
    if cps.max() >= 1 << _CHAR_BITS:
        big = cps >= 1 << _CHAR_BITS
        rare = big[:m].copy()
        mixed = cps[:m].copy()
        for i in range(1, n):
            rare |= big[i : m + i]
            mixed *= _MUL
            mixed += cps[i : m + i]
        keys[rare] = (mixed[rare] >> np.uint64(2)) | np.uint64(1 << 62)
    return _unique(keys.view(np.int64))


@lru_cache(maxsize=8192)
def profile(text: str) -> Profile:
    """Profile of one text (cached: a new article is compared with several recent ones)."""
    ws = words(text)
    h = np.fromiter(map(hash, ws), dtype=np.int64, count=len(ws))
    joined = "".join(ws)  # spaces dropped: space omissions (`پرایکسپورٹ`) still share character grams
    hu = h.view(np.uint64)
    distinct = set(ws)  # content words and numbers are sets: each distinct word is tested once
    content = _unique(np.fromiter(map(hash, content_words(distinct)), dtype=np.int64))
    return Profile(array("Q", hu.tobytes()), content, _word_grams(hu, 3), _word_grams(hu, 5),
                   _char_grams(joined),
                   frozenset(filter(_DIGITS.search, distinct)), sum(map(NEGATIONS.__contains__, ws)))


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique arrays (a stable sort merges the two runs in linear time)."""
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return int(np.count_nonzero(both[1:] == both[:-1]))


def _overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(Jaccard, share of the smaller set found in the other, share of the larger set found in the other)."""
    if not len(a) or not len(b):
        return 0.0, 0.0, 0.0
    inter = _common(a, b)
    small, large = sorted((len(a), len(b)))
    return inter / (len(a) + len(b) - inter), inter / small, inter / large


def _alignment(wa: array, wb: array) -> tuple[int, int, float, float]:
    """(longest common run, words in runs of 3+, small swaps per run, swapped words per copied word).

    Runs are the equal blocks of a longest-common-subsequence alignment (rapidfuzz Indel); a swap
    is a gap of at most 3 words on either side between two runs: a word or three changed in copied text.
    """
    blocks = [(a0, a1, b0, b1) for tag, a0, a1, b0, b1 in Indel.opcodes(wa, wb).as_list() if tag == "equal"]
    runs = [b for b in blocks if b[1] - b[0] >= 3]
    gaps = [(n[0] - p[1]) + (n[2] - p[3]) for p, n in zip(runs, runs[1:], strict=False)
            if max(n[0] - p[1], n[2] - p[3]) <= 3]
    copied = sum(b[1] - b[0] for b in runs)
    longest = max((b[1] - b[0] for b in blocks), default=0)
    return longest, copied, len(gaps) / (len(runs) + 1), sum(gaps) / (copied + 1)


def pair_features(text_a: str, text_b: str) -> list[float]:
    """Feature vector (in FEATURES order) of two article texts; symmetric in a and b."""
    pa, pb = profile(text_a), profile(text_b)
    if len(pa.words) > len(pb.words):
        pa, pb = pb, pa
    j1, c1s, c1l = _overlap(pa.content, pb.content)
    j3, c3s, c3l = _overlap(pa.grams3, pb.grams3)
    c5s = _overlap(pa.grams5, pb.grams5)[1]
    jch = _overlap(pa.chars, pb.chars)[0]
    run, matched, swaps, swapped = _alignment(pa.words, pb.words)
    short = max(1, len(pa.words))
    num_c = len(pa.numbers & pb.numbers) / len(pa.numbers) if pa.numbers else 1.0
    num_extra = len(pa.numbers ^ pb.numbers)
    return [j1, c1s, c1l, j3, c3s, c3l, c5s, jch, run / short, math.log1p(run), matched / short,
            len(pa.words) / max(1, len(pb.words)), num_c, math.log1p(num_extra),
            math.log1p(abs(pa.negations - pb.negations)), swaps, swapped]


@dataclass(frozen=True, slots=True)
class Model:
    """Standardised logistic regression: P(copy) = sigmoid(b + sum w_i (x_i - mean_i) / scale_i)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, x: list[float]) -> float:
        """Probability that the pair with features `x` is a copy."""
        z = self.intercept + sum(w * (v - m) / s for w, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self, **info: object) -> str:
        """The model as JSON, with `info` (training data, split, figures) kept beside it."""
        body = {"features": list(FEATURES), "mean": self.mean, "scale": self.scale, "coef": self.coef,
                "intercept": self.intercept, "threshold": self.threshold, "info": info}
        return "{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items()) + "\n}"


def parse_model(text: str) -> Model:
    """A Model from `to_json` text; ValueError when its features are not this version's."""
    d = json.loads(text)
    if tuple(d["features"]) != FEATURES:
        raise ValueError(f"model features {d['features']} differ from {list(FEATURES)}; retrain with `akhbar train-dedupe`")
    return Model(tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), float(d["intercept"]), float(d["threshold"]))


@cache
def shipped_model() -> Model:
    """The model in data/dedupe_model.json (trained by `akhbar train-dedupe`)."""
    return parse_model(resources.files("akhbar.stories").joinpath(MODEL).read_text("utf-8"))
