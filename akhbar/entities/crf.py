"""A CRF name tagger (sklearn-crfsuite): features, training on the shared NER data, tagging.

Features per token: the folded word and its neighbours, affixes, shape, stop/common-word
flags, title and head words (data/titles.tsv) and the knowledge-base match (B/I + type) —
the gazetteer feature that lets the model use every spelling the base knows.

CRFsuite trains the model and stays the reference; tagging scores tokens with the model's own
weights in numpy (crf_scores, viterbi), which gives CRFsuite's tags at a fraction of the cost,
and hands a sentence to CRFsuite whenever rounding could decide between two paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from akhbar.entities import crf_weights, morph, viterbi
from akhbar.entities.crf_scores import Scorer
from akhbar.entities.kb import DATA, KnowledgeBase, common_words, kb, stop
from akhbar.entities.variants import exact_key
from akhbar.errors import InputError

MODEL = DATA / "ner.crfsuite"
USE_MORPH = True  # Apertium's analyser class as a feature (measured in the README)
_KB_TYPE = {"PER": "PER", "ORG": "ORG", "GPE": "LOC"}
ATTRIBUTES = 34  # most attributes one token's features hold (12 own, 5 per neighbour, 2 pairs)


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title / head words (folded) and their kind, PER or ORG."""
    out = {}
    for line in (DATA / "titles.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, kind = line.split("\t")
            out[exact_key(word)] = kind
    return out


def gazetteer(keys: list[str], base: KnowledgeBase) -> list[str]:
    """Per token: B-/I- and the type of the longest knowledge-base spelling covering it, else O."""
    out = ["O"] * len(keys)
    prefixes, exact, demonyms = base.prefixes, base.exact, base.demonyms
    free = 0  # the first token not inside a spelling found already
    last = len(keys) - 1
    for i in [i for i, k in enumerate(keys) if k in prefixes]:  # demonyms are listed prefixes too
        if i < free:
            continue
        if i == last or keys[i] + keys[i + 1] not in prefixes:  # most words: no spelling goes on past them
            if keys[i] in exact:
                out[i] = "B-" + _KB_TYPE[base.by_id[exact[keys[i]]].type]
                free = i + 1
            elif keys[i] in demonyms:
                out[i] = "DEM"
            continue
        n, key = 0, ""
        for k in range(i, min(i + base.max_words, len(keys))):
            key += keys[k]
            if key not in prefixes:
                break  # no listed spelling starts with these words
            if key in exact:
                n, eid = k + 1 - i, exact[key]
        if n:
            label = _KB_TYPE[base.by_id[eid].type]
            out[i : i + n] = ["B-" + label] + ["I-" + label] * (n - 1)
            free = i + n
        elif keys[i] in demonyms:
            out[i] = "DEM"
    return out


def features(tokens: list[str], base: KnowledgeBase | None = None, *,
             classes: list[str] | None = None) -> list[dict[str, object]]:
    """The CRF feature dicts of one sentence (`classes`: the tokens' analyser classes, if known)."""
    base = base or kb()
    keys = [exact_key(t) or t for t in tokens]
    gaz = gazetteer(keys, base)
    common = common_words()
    kinds = titles()
    ap = (classes or morph.classes(tokens)) if USE_MORPH else ["-"] * len(tokens)
    feats = []
    for i, key in enumerate(keys):
        f: dict[str, object] = {
            "w": key, "p2": key[:2], "s2": key[-2:], "s3": key[-3:], "len": min(len(key), 8),
            "stop": stop(tokens[i]), "common": key in common, "gaz": gaz[i],
            "title": kinds.get(key, "-"), "digit": key.isdigit(), "latin": key.isascii(), "ap": ap[i],
        }
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(keys):
                f[f"w{d}"] = keys[j]
                f[f"title{d}"] = kinds.get(keys[j], "-")
                f[f"gaz{d}"] = gaz[j]
                f[f"common{d}"] = keys[j] in common or stop(tokens[j])
                f[f"ap{d}"] = ap[j]
            else:
                f[f"w{d}"] = "<s>" if d < 0 else "</s>"
        f["w-1w"] = f"{f['w-1']}|{key}"
        f["ww+1"] = f"{key}|{f['w1']}"
        feats.append(f)
    return feats


def train(sentences: list[tuple[list[str], list[str]]], path: Path = MODEL, *,
          max_iterations: int = 100, c1: float = 0.01, c2: float = 0.01) -> None:
    """Train a CRF on BIO-tagged sentences (L-BFGS, elastic net, capped iterations); write it to `path`."""
    import sklearn_crfsuite

    model = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=c1, c2=c2, max_iterations=max_iterations,
                                 all_possible_transitions=True, model_filename=str(path), keep_tempfiles=True)
    base = kb()
    model.fit([features(t, base) for t, _ in sentences], [tags for _, tags in sentences])
    load.cache_clear()


@dataclass
class Model:
    """A loaded tagger: CRFsuite's, and the model's weights with per-word scores when readable."""

    tagger: object  # pycrfsuite.Tagger
    scorer: Scorer | None

    def tag(self, tokens: list[str], classes: list[str] | None = None) -> list[str]:
        """BIO tags for one token sequence (CRFsuite's tags for `features(tokens)`); `classes`:
        the tokens' analyser classes when the caller has them."""
        base = kb()
        ap = (classes or morph.classes(tokens)) if USE_MORPH else ["-"] * len(tokens)
        path = self._decode(tokens, ap, base) if self.scorer is not None else None
        if path is None:
            return self.tagger.tag(features(tokens, base, classes=ap))
        labels = self.scorer.weights.labels
        return [labels[k] for k in path]

    def _decode(self, tokens: list[str], ap: list[str], base: KnowledgeBase) -> list[int] | None:
        """Label ids of the best path from numpy scores, None when CRFsuite must decide."""
        common = common_words()
        if common is not self.scorer.common:  # the common-word list was rewritten (train-ner)
            self.scorer = Scorer(self.scorer.weights, common, titles())
        scores = self.scorer.scores(tokens, ap, lambda keys: gazetteer(keys, base))
        trans = self.scorer.weights.transitions
        size = float(scores[:, -1].sum()) + len(tokens) * float(np.abs(trans).max())
        drift = viterbi.drift_bound(len(tokens) * (ATTRIBUTES + 1), size)
        return viterbi.decode(scores[:, :-1], trans, drift)


@lru_cache(maxsize=4)
def load(path: Path = MODEL) -> Model | None:
    """The model, or None when it has not been trained yet."""
    import pycrfsuite

    if not path.exists():
        return None
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
        weights = crf_weights.read(path, tagger.info())
    except Exception as exc:
        raise InputError(path, f"cannot load the NER model ({exc}); retrain it with `akhbar train-ner`") from exc
    return Model(tagger, Scorer(weights, common_words(), titles()) if weights is not None else None)


def tag(tokens: list[str], model: Model | None = None, *, classes: list[str] | None = None) -> list[str]:
    """BIO tags (PER/LOC/ORG) for one sentence's tokens (`classes`: their analyser classes, if known)."""
    model = model or load()
    if model is None or not tokens:
        return ["O"] * len(tokens)
    return model.tag(tokens, classes)
