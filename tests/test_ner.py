"""NER data readers, the shipped CRF and its score on UNER's test lines."""

from __future__ import annotations

import numpy as np
import pytest

from akhbar.entities import corpora, crf, morph, training
from akhbar.entities.kb import DATA, common_words, kb, name_words, stop
from akhbar.entities.statistical import agent_mentions, crf_mentions, name_word_mentions
from akhbar.entities.variants import exact_key
from akhbar.text.split import words
from tests.conftest import need_shared


def test_uner_line_yields_clean_text_and_spans():
    text, spans = corpora.uner_line("<LOCATION>برطانیہ</LOCATION> کے <DESIGNATION>جنرل</DESIGNATION> <PERSON>سر پیٹر وال</PERSON> نے کہا")
    assert "<" not in text
    assert [(text[s:e], t) for s, e, t in spans] == [("برطانیہ", "LOC"), ("سر پیٹر وال", "PER")]


def test_bio_tags_follow_spans():
    text, spans = corpora.uner_line("<PERSON>معین علی</PERSON> آف سپنر ہیں")
    toks, tags = corpora.bio(text, spans)
    assert tags[:3] == ["B-PER", "I-PER", "O"] and toks[0] == "معین"


def test_conll_reader_groups_runs(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("گرو\tLOCATION\nشکھر\tLOCATION\nمیں\tO\n\nعلی\tPERSON\n", encoding="utf-8")
    sents = corpora.conll(f)
    assert sents[0][1] == ["B-LOC", "I-LOC", "O"] and sents[1][1] == ["B-PER"]


def test_shipped_model_tags_an_unlisted_name_after_a_title():
    assert crf.load() is not None
    text = "وزیر خارجہ جمیل احمد قریشی نے اسلام آباد میں کہا۔"
    assert any(m.type == "PER" for m in crf_mentions(text, words(text)))


def test_uner_test_span_f1_is_reported_and_above_floor():
    data = need_shared("data", "uner")
    from akhbar.evaluate.entities import eval_ner

    scores = eval_ner(data, "combined")
    assert set(scores) == {"PER", "LOC", "ORG", "all"}
    assert scores["all"]["f1"] > 0.8


def test_name_words_file_holds_only_name_like_words():
    words_ = name_words()
    assert len(words_) > 100 and (DATA / "name_words.txt").read_text(encoding="utf-8").startswith("#")
    assert not any(stop(w) or any(c.isdigit() for c in w) or len(w) < 2 for w in words_)
    assert "کہا" not in words_ and "پاکستان" not in words_


def test_person_name_words_need_a_majority_of_person_tags():
    sents = [(["ساجد", "نے", "ساجد"], ["B-PER", "O", "B-PER"]), (["لاہور", "ساجد"], ["B-PER", "O"]),
             (["لاہور", "لاہور", "لاہور"], ["B-LOC", "O", "O"])]
    assert training.person_name_words(sents) == ["ساجد"]  # 2 of 3 as PER; لاہور once as PER


def test_run_of_name_words_is_a_person():
    text = "کل ساجد اقبال لاہور گئے"
    assert {exact_key("ساجد"), exact_key("اقبال")} <= name_words()
    got = [(m.surface, m.type) for m in name_word_mentions(text, words(text), kb())]
    assert got == [("ساجد اقبال", "PER")]
    assert all(exact_key(w) not in common_words() for m, _ in got for w in m.split())


def test_unknown_word_before_ergative_is_a_person():
    if not morph.available():
        pytest.skip("apertium-urd (lt-proc) is not installed")
    text = "کل ژوبرانسکی نے کہا کہ وہ آئیں گے"
    got = [(m.surface, m.type) for m in agent_mentions(text, words(text))]
    assert got == [("ژوبرانسکی", "PER")]
    text = "کل حکومت نے کہا"
    assert agent_mentions(text, words(text)) == []


def test_analyser_takes_more_new_words_than_a_pipe_holds():
    """Words whose analyses overflow both pipes come back (lt-proc stops reading while its output
    waits: writing them all before reading would block for ever)."""
    if not morph.available():
        pytest.skip("apertium-urd (lt-proc) is not installed")
    import itertools
    import threading

    letters = "بپتٹجچدڈرزسشفکگلمنو"
    new = ["".join(p) + "ستان" for p in itertools.islice(itertools.product(letters, repeat=4), 12_000)]
    assert len("\n".join(new).encode()) > 131_072  # twice a pipe buffer
    got: list[list[str]] = []
    worker = threading.Thread(target=lambda: got.append(morph.classes(new + ["پاکستان"])), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert got, "lt-proc did not answer (pipes blocked)"
    assert len(got[0]) == len(new) + 1 and got[0][-1] == morph.classes(["پاکستان"])[0] != "UNK"
    assert got[0].count("UNK") > len(new) // 2


def test_eval_ner_takes_the_shared_data_folder_or_says_what_is_missing(tmp_path):
    from akhbar.errors import InputError

    (tmp_path / "uner").mkdir()
    (tmp_path / "uner" / "uner.txt").write_text("<PERSON>معین علی</PERSON> آف سپنر ہیں\n", encoding="utf-8")
    assert corpora.uner_lines(tmp_path, (0, 1)) == corpora.uner_lines(tmp_path / "uner", (0, 1))
    with pytest.raises(InputError, match="uner.txt"):
        corpora.uner_lines(tmp_path / "nothing", (0, 1))


_TAGGING_TEXTS = [
    "وزیر خارجہ جمیل احمد قریشی نے اسلام آباد میں کہا۔",
    "امریکی صدر ڈونلڈ ٹرمپ اور روسی صدر ولادیمیر پیوٹن کی ملاقات ہیلسنکی میں ہوئی",
    "پاکستان",
    "کل ساجد اقبال لاہور گئے 2018ء",
    "Reuters نے اقوام متحدہ کے حوالے سے بتایا",
]


def _exact_scores(feats: list[dict], weights) -> np.ndarray:
    """Each token's score per label summed from the training features the way CRFsuite sums them."""
    out = np.zeros((len(feats), len(weights.labels)))
    for t, f in enumerate(feats):
        for k, v in f.items():
            name, value = (f"{k}:{v}", 1.0) if isinstance(v, str) else (k, float(v))
            if name in weights.rows:
                out[t] += weights.state[weights.rows[name]] * value
    return out


@pytest.mark.parametrize("text", _TAGGING_TEXTS)
def test_tagging_scores_are_the_weights_of_the_training_features(text):
    model = crf.load()
    toks = [t.text for t in words(text)]
    base = kb()
    fast = model.scorer.scores(toks, morph.classes(toks), lambda keys: crf.gazetteer(keys, base))
    exact = _exact_scores(crf.features(toks, base), model.scorer.weights)
    assert np.abs(fast[:, :-1] - exact).max() < 1e-9  # same attributes, same weights, summed in another order
    assert (fast[:, -1] >= np.abs(exact).max(1)).all()  # the last column bounds every sum
    assert crf.tag(toks) == model.tagger.tag(crf.features(toks, base))


def test_gazetteer_marks_the_longest_listed_spelling_and_demonyms():
    keys = [exact_key(w) for w in "امریکی صدر ڈونلڈ ٹرمپ اور ٹرمپ اسلام آباد میں".split()]
    assert crf.gazetteer(keys, kb()) == ["DEM", "O", "B-PER", "I-PER", "O", "B-PER", "B-LOC", "I-LOC", "O"]
