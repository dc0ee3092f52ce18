"""Verifies near-duplicate candidates: pair features scored by a small logistic model.

Copying keeps the facts (numbers, names, negations) and long runs of words even when the copy is
cut or reworded; a journalist's rewrite keeps the runs but changes what they say, and an
independent report shares the topic words only. No single overlap measure separates the three
(README "Stories"), so several feed a logistic regression trained by `akhbar train-dedupe`
(akhbar/stories/training.py) and shipped as data/dedupe_model.json. Besides overlap, the features
read what changed inside copied text (a figure or a content word swapped, not a spelling variant),
how much of the shorter text's content — rare words weighted up, names matched despite spelling —
the longer one holds, and whether its passages each find a matching passage, in order.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from akhbar.stories.background import background_df
from akhbar.stories.features import content_terms, words
from akhbar.text.normalize import fold
from akhbar.text.stopwords import stop_words

MODEL = "data/dedupe_model.json"
NEGATIONS = frozenset({"نہیں", "نہ", "مت", "بغیر", "غیر"})  # a rewrite often flips a statement
_DIGITS = re.compile(r"\d")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
SPELLING = 75  # rapidfuzz ratio (0-100) at or above which two swapped spans are one spelling (اسپیکر/سپیکر)
NAME_MATCH = 80  # … at or above which two content words are one name spelt two ways (دھاون/دھون)
WINDOW, REACH, GOOD = 10, 20, 0.5  # passages of 10 content words, matched within 20 of the other text

FEATURES = (
    "j1", "c1_small", "c1_large", "j3", "c3_small", "c3_large", "c5_small", "j_char", "run", "log_run",
    "matched", "len_ratio", "num_c", "num_extra", "neg_diff", "edits", "edit_words",
    "number_swaps", "content_swaps", "fuzzy_small", "rare_small", "fuzzy_large", "rare_large", "new_numbers",
    "passages", "passages_good", "passages_order",
)


@cache
def number_words() -> dict[str, float]:
    """Folded Urdu number words and their values (data/number_words.tsv)."""
    text = resources.files("akhbar.stories").joinpath("data/number_words.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return {fold(r[0]): float(r[1]) for r in rows}


def figures(ws: tuple[str, ...] | list[str]) -> list[float]:
    """The numbers in `ws`, digits or number words, sorted: تین سے چار and 3 4 give the same figures."""
    names, out = number_words(), []
    for w in ws:
        if w in names:
            out.append(names[w])
        else:
            out += [float(x.replace(",", "")) for x in _FIGURE.findall(w)]
    return sorted(out)


@cache
def _idf() -> tuple[dict[str, int], float]:
    n, df = background_df()
    return df, math.log(1 + n)


@dataclass(frozen=True, slots=True)
class Profile:
    """What pair features need of one text, computed once per text.

    Word and n-gram sets are sorted arrays of their hashes (8 bytes an item, a tenth of a set of
    ints), so that several thousand profiles fit in the cache: verification mostly meets recent texts.
    """

    words: list[int]  # word hashes in text order (alignment needs equality only)
    content: frozenset[str]
    sequence: tuple[str, ...]  # content words in text order (passages; the strings are the set's)
    grams3: np.ndarray  # sorted unique hashes of word 3-grams
    grams5: np.ndarray
    chars: np.ndarray  # … of character 5-grams
    numbers: frozenset[str]
    negations: int


def _unique(hashes: object) -> np.ndarray:
    return np.unique(np.fromiter(hashes, dtype=np.int64))


def _grams(ws: tuple[str, ...], n: int) -> np.ndarray:
    return _unique(map(hash, zip(*(ws[i:] for i in range(n)), strict=False)) if len(ws) >= n else [hash(ws)])


def _char_grams(s: str, n: int = 5) -> np.ndarray:
    return _unique(map(hash, map(s.__getitem__, map(slice, range(len(s)), range(n, len(s) + 1)))))


@lru_cache(maxsize=4096)
def profile(text: str) -> Profile:
    """Profile of one text (cached: a new article is compared with several recent ones)."""
    ws = words(text)
    joined = "".join(ws)  # spaces dropped: space omissions (`پرایکسپورٹ`) still share character grams
    content = content_terms(text)
    return Profile(list(map(hash, ws)), frozenset(content), tuple(content), _grams(ws, 3), _grams(ws, 5),
                   _char_grams(joined),
                   frozenset(w for w in ws if _DIGITS.search(w)), sum(w in NEGATIONS for w in ws))


def _common(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique arrays (a stable sort merges the two runs in linear time)."""
    both = np.concatenate((a, b))
    both.sort(kind="stable")
    return int(np.count_nonzero(both[1:] == both[:-1]))


def _overlap(a: frozenset | np.ndarray, b: frozenset | np.ndarray) -> tuple[float, float, float]:
    """(Jaccard, share of the smaller set found in the other, share of the larger set found in the other)."""
    if not len(a) or not len(b):
        return 0.0, 0.0, 0.0
    inter = len(a & b) if isinstance(a, frozenset) else _common(a, b)
    small, large = sorted((len(a), len(b)))
    return inter / (len(a) + len(b) - inter), inter / small, inter / large


Block = tuple[int, int, int, int]  # an equal run of the alignment: (start, end) in a, (start, end) in b


def _blocks(wa: list[int], wb: list[int]) -> list[Block]:
    """The equal runs of a longest-common-subsequence alignment of two word sequences (rapidfuzz Indel)."""
    return [(o.src_start, o.src_end, o.dest_start, o.dest_end) for o in Indel.opcodes(wa, wb) if o.tag == "equal"]


def _alignment(blocks: list[Block]) -> tuple[int, int, float, float]:
    """(longest common run, words in runs of 3+, small swaps per run, swapped words per copied word).

    A swap is a gap of at most 3 words on either side between two runs of 3+ words: a word or
    three changed in copied text.
    """
    runs = [b for b in blocks if b[1] - b[0] >= 3]
    gaps = [(n[0] - p[1]) + (n[2] - p[3]) for p, n in zip(runs, runs[1:], strict=False)
            if max(n[0] - p[1], n[2] - p[3]) <= 3]
    copied = sum(b[1] - b[0] for b in runs)
    longest = max((b[1] - b[0] for b in blocks), default=0)
    return longest, copied, len(gaps) / (len(runs) + 1), sum(gaps) / (copied + 1)


def _swaps(blocks: list[Block], ta: tuple[str, ...], tb: tuple[str, ...]) -> tuple[float, float]:
    """(log of figures changed inside copied text, content words swapped there per 100 copied words).

    Inside copied text (a gap of 1-3 words on both sides between runs of 2+) a copy re-spells or
    writes a figure out; a rewrite changes the figure or puts another name, place or verb in.
    """
    stops, numbers, content = stop_words(), 0, 0
    for p, n in zip(blocks, blocks[1:], strict=False):
        d, i = ta[p[1] : n[0]], tb[p[3] : n[2]]
        if min(p[1] - p[0], n[1] - n[0]) < 2 or not d or not i or max(len(d), len(i)) > 3:
            continue
        fd, fi = figures(d), figures(i)
        if fd and fi and fd != fi:
            numbers += 1
        elif (fd and fd == fi) or fuzz.ratio("".join(d), "".join(i)) >= SPELLING:
            continue
        elif any(w not in stops and not _DIGITS.search(w) for w in d + i):
            content += 1
    copied = sum(b[1] - b[0] for b in blocks if b[1] - b[0] >= 3)
    return math.log1p(numbers), 100 * content / (copied + 20)


def _contained(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(share of the content words of `a` found in `b`, the same weighted by rarity (IDF)).

    A word is found when `b` holds it or a word spelt alike (names are transliterated several ways).
    """
    if not a or not b:
        return 0.0, 0.0
    found = set(a & b)
    rest = sorted(a - found)
    if rest:
        scores = process.cdist(rest, sorted(b), scorer=fuzz.ratio, score_cutoff=NAME_MATCH, dtype=np.uint8)
        found.update(w for w, row in zip(rest, scores, strict=True) if row.any())
    df, top = _idf()
    weight = {w: top - math.log1p(df.get(w, 0)) for w in a}
    return len(found) / len(a), sum(weight[w] for w in found) / (sum(weight.values()) or 1.0)


def _passages(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, float, float]:
    """(mean coverage of the passages of `a` by `b`, share covered >= GOOD, share of those in order).

    A passage is WINDOW content words of `a` (half-overlapping); its coverage is the largest share of
    its distinct words that one stretch of REACH content words of `b` holds: a derived article takes
    each sentence from one place of its source, an independent report scatters the shared words.
    """
    if not a or not b:
        return 0.0, 0.0, 0.0
    where = defaultdict(list)
    for j, w in enumerate(b):
        where[w].append(j)
    covers, places = [], []
    for s in range(0, max(1, len(a) - WINDOW + 1), WINDOW // 2):
        distinct = set(a[s : s + WINDOW])
        best, place = _densest(sorted((j, w) for w in distinct for j in where.get(w, ())))
        covers.append(best / len(distinct))
        places.append(place)
    good = [p for c, p in zip(covers, places, strict=True) if c >= GOOD]
    order = sum(y >= x for x, y in zip(good, good[1:], strict=False)) / (len(good) - 1) if len(good) > 1 else 0.0
    return sum(covers) / len(covers), len(good) / len(covers), order


def _densest(hits: list[tuple[int, str]]) -> tuple[int, int]:
    """(most distinct words within REACH positions, where that stretch ends) of sorted (position, word) hits."""
    count: dict[str, int] = defaultdict(int)
    best, place, distinct, lo = 0, -1, 0, 0
    for j, w in hits:
        count[w] += 1
        distinct += count[w] == 1
        while hits[lo][0] <= j - REACH:
            count[hits[lo][1]] -= 1
            distinct -= count[hits[lo][1]] == 0
            lo += 1
        if distinct > best:
            best, place = distinct, j
    return best, place


def pair_features(text_a: str, text_b: str) -> list[float]:
    """Feature vector (in FEATURES order) of two article texts; symmetric in a and b."""
    (pa, ta), (pb, tb) = sorted(((profile(t), t) for t in (text_a, text_b)), key=lambda x: (len(x[0].words), x[1]))
    j1, c1s, c1l = _overlap(pa.content, pb.content)
    j3, c3s, c3l = _overlap(pa.grams3, pb.grams3)
    c5s = _overlap(pa.grams5, pb.grams5)[1]
    jch = _overlap(pa.chars, pb.chars)[0]
    blocks = _blocks(pa.words, pb.words)
    run, matched, swaps, swapped = _alignment(blocks)
    short = max(1, len(pa.words))
    num_c = len(pa.numbers & pb.numbers) / len(pa.numbers) if pa.numbers else 1.0
    num_extra = len(pa.numbers ^ pb.numbers)
    return [j1, c1s, c1l, j3, c3s, c3l, c5s, jch, run / short, math.log1p(run), matched / short,
            len(pa.words) / max(1, len(pb.words)), num_c, math.log1p(num_extra),
            math.log1p(abs(pa.negations - pb.negations)), swaps, swapped,
            *_swaps(blocks, words(ta), words(tb)), *_contained(pa.content, pb.content),
            *_contained(pb.content, pa.content), math.log1p(len(pa.numbers - pb.numbers)),
            *_passages(pa.sequence, pb.sequence)]


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
