"""NER data readers, the shipped CRF and its score on UNER's test lines."""

from __future__ import annotations

from akhbar.entities import corpora, crf
from akhbar.entities.statistical import crf_mentions
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
