"""The numpy CRF tagger gives CRFsuite's tags: real text, edge cases, ties, cache limits."""

from __future__ import annotations

import itertools
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.entities import corpora, crf, crf_scores, crf_weights, morph, viterbi
from akhbar.entities.kb import common_words, kb
from akhbar.ingest.clean import clean
from akhbar.ingest.readers import read_file
from akhbar.text.split import sentences, words
from tests.conftest import SEEDS, need_shared


@pytest.fixture(scope="module")
def model() -> crf.Model:
    loaded = crf.load()
    assert loaded is not None and loaded.scorer is not None  # the shipped model's weights are readable
    return loaded


def fresh(model: crf.Model) -> crf.Model:
    """A model of its own (own word cache), so a test can change its limits."""
    return crf.Model(model.tagger, crf_scores.Scorer(model.scorer.weights, common_words(), crf.titles()))


def reference(model: crf.Model, tokens: list[str]) -> list[str]:
    """CRFsuite's tags for the training features."""
    return model.tagger.tag(crf.features(tokens, kb()))


def compare(model: crf.Model, sequences: list[list[str]]) -> int:
    """Assert numpy tags equal CRFsuite's on every sequence; return how many numpy left to CRFsuite."""
    undecided = 0
    for tokens in sequences:
        expected = reference(model, tokens)
        path = model._decode(tokens, morph.classes(tokens), kb())
        undecided += path is None
        if path is not None:
            assert [model.scorer.weights.labels[k] for k in path] == expected, tokens
        assert model.tag(tokens) == expected
    return undecided


def text_sequences(texts: list[str]) -> list[list[str]]:
    """Each text whole (as recognise tags it) and each of its sentences."""
    out = []
    for text in texts:
        out.append([t.text for t in words(text)])
        out.extend([t.text for t in words(text[s.start : s.end])] for s in sentences(text))
    return [tokens for tokens in out if tokens]


def test_seed_texts_are_tagged_as_crfsuite_tags_them(model):
    texts = [clean(doc).body for path in sorted(SEEDS.glob("*.txt")) for doc in read_file(path)]
    seqs = text_sequences(texts)
    assert len(seqs) > 40 and max(map(len, seqs)) > viterbi.SCAN_UP_TO  # lanes and scans are both used
    assert compare(model, seqs) == 0


def test_uner_test_lines_are_tagged_as_crfsuite_tags_them(model):
    data = need_shared("data", "uner")
    seqs = [corpora.bio(text, spans)[0] for text, spans in corpora.uner_lines(data, corpora.UNER_TEST)]
    assert len(seqs) > 300
    assert compare(model, seqs) <= len(seqs) // 100


def test_real_articles_are_tagged_as_crfsuite_tags_them(model):
    folder = need_shared("data", "bend-the-truth")
    paths = sorted(folder.glob("*/*/*.txt"))[::12]  # ~75 articles of every domain, real and rewritten
    seqs = text_sequences([clean(doc).body for path in paths for doc in read_file(path)])
    assert len(seqs) > 300
    assert compare(model, seqs) <= len(seqs) // 100


@pytest.mark.parametrize("tokens", [
    [], ["پاکستان"], ["xyz"], ["|"], ["a|b", "|", "c|"], ["۔"], ["2018ء"],
    ["qwzx", "ڤژۓ", "!!", "ﷺ", "کےکےکے", "Reuters", "12,5"],
    ["صدر"] * 60,
    "امریکی صدر ڈونلڈ ٹرمپ اور روسی صدر ولادیمیر پیوٹن کی ملاقات ہیلسنکی میں ہوئی".split() * 2,
    "امریکی صدر ڈونلڈ ٹرمپ اور روسی صدر ولادیمیر پیوٹن کی ملاقات ہیلسنکی میں ہوئی".split() * 4,
])
def test_edge_cases_are_tagged_as_crfsuite_tags_them(model, tokens):
    assert crf.tag(tokens, model) == (reference(model, tokens) if tokens else [])
    assert compare(model, [tokens] if tokens else []) == 0


@pytest.mark.parametrize("chunk,warm", [(2, 1), (3, 0), (5, 2)])
def test_lanes_that_do_not_forget_their_start_fall_back_to_token_by_token(model, monkeypatch, chunk, warm):
    monkeypatch.setattr(viterbi, "SCAN_UP_TO", 0)
    monkeypatch.setattr(viterbi, "CHUNK", chunk)
    monkeypatch.setattr(viterbi, "WARM_UP", warm)
    texts = [clean(doc).body for path in sorted(SEEDS.glob("*.txt"))[:2] for doc in read_file(path)]
    assert compare(model, text_sequences(texts)) == 0


def brute_force(emission: np.ndarray, transitions: np.ndarray) -> tuple[list[int], float]:
    """Every path's score: the best path and its lead over the second best."""
    n, labels = emission.shape
    scored = sorted(
        (sum(emission[t, y[t]] for t in range(n)) + sum(transitions[y[t - 1], y[t]] for t in range(1, n)), y)
        for y in itertools.product(range(labels), repeat=n)
    )
    return list(scored[-1][1]), scored[-1][0] - scored[-2][0] if len(scored) > 1 else np.inf


small = st.integers(min_value=-3, max_value=3).map(float)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(st.lists(small, min_size=3, max_size=3), min_size=n, max_size=n),
    st.lists(st.lists(small, min_size=3, max_size=3), min_size=3, max_size=3))))
def test_decode_is_the_best_path_or_declines_when_paths_tie(case):
    emission, transitions = np.array(case[0]), np.array(case[1])
    best, lead = brute_force(emission, transitions)
    path = viterbi.decode(emission, transitions, viterbi.drift_bound(100, 100.0))
    if lead > 1e-6:
        assert path == best
    else:
        assert path is None  # small whole numbers tie often: a tie is never decided here


def test_decode_of_a_long_random_sequence_matches_token_by_token():
    rng = np.random.default_rng(7)
    emission, transitions = rng.normal(size=(500, 7)), rng.normal(size=(7, 7))
    cur, back = emission[0], []
    for t in range(1, len(emission)):
        ways = cur[:, None] + transitions
        back.append(ways.argmax(0))
        cur = ways.max(0) + emission[t]
    path = [int(cur.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    assert viterbi.decode(emission, transitions, viterbi.drift_bound(500 * 8, 5000.0)) == path[::-1]


def test_word_cache_stays_bounded_and_tags_stay_the_same(model, monkeypatch):
    monkeypatch.setattr(crf_scores, "MAX_WORDS", 40)
    own = fresh(model)
    texts = [clean(doc).body for path in sorted(SEEDS.glob("*.txt"))[:2] for doc in read_file(path)]
    seqs = [s for s in text_sequences(texts) if len(s) < 40]
    for tokens in seqs:
        assert own.tag(tokens) == reference(model, tokens)
        assert len(own.scorer.ids) <= 40


def test_scores_follow_a_rewritten_common_word_list(model, monkeypatch):
    fewer = frozenset(sorted(common_words())[::2])
    monkeypatch.setattr(crf, "common_words", lambda: fewer)
    own = fresh(model)
    tokens = [t.text for t in words("وزیر خارجہ جمیل احمد قریشی نے اسلام آباد میں کہا کہ امریکہ اور روس بات کریں گے")]
    assert own.tag(tokens) == reference(model, tokens)
    assert own.scorer.common is fewer


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "ner.crfsuite"
    shutil.copy(crf.MODEL, path)
    return path


def test_weights_are_read_exactly_and_agree_with_the_dump(model):
    info = model.tagger.info()
    weights = model.scorer.weights
    assert weights.labels == model.tagger.labels()
    for (attr, label), printed in itertools.islice(info.state_features.items(), 500):
        exact = weights.state[weights.rows[attr], weights.labels.index(label)]
        assert abs(exact - printed) <= 5e-7 and exact != 0.0
    assert not weights.state[-1].any()  # the row of unknown attributes weighs nothing


def test_a_file_of_another_layout_or_other_weights_is_refused(model, tmp_path):
    info = model.tagger.info()
    path = _copy(tmp_path)
    data = bytearray(path.read_bytes())
    (offset,) = struct.unpack_from("<I", data, 28)  # the feature chunk
    struct.pack_into("<d", data, offset + 12 + 12, 0.5)  # the first weight, no longer the dumped one
    path.write_bytes(bytes(data))
    assert crf_weights.read(path, info) is None
    data[:4] = b"xCRF"
    path.write_bytes(bytes(data))
    assert crf_weights.read(path, info) is None
    assert crf_weights.read(_copy(tmp_path), info) is not None


def test_model_without_readable_weights_tags_through_crfsuite(model):
    plain = crf.Model(model.tagger, None)
    tokens = "امریکی صدر ڈونلڈ ٹرمپ اور روسی صدر ولادیمیر پیوٹن کی ملاقات ہیلسنکی میں ہوئی".split()
    assert plain.tag(tokens) == reference(model, tokens) == model.tag(tokens)
