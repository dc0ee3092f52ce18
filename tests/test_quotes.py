"""Quotations and their speakers, on sentences written for these tests."""

from __future__ import annotations

from akhbar.events import extract_quotes
from akhbar.model import Article, Mention


def quotes_of(body: str, people: dict[str, str]) -> list:
    mentions = []
    for surface, entity in people.items():
        start = 0
        while (start := body.find(surface, start)) >= 0:
            mentions.append(Mention(start, start + len(surface), surface, "PER", entity))
            start += len(surface)
    art = Article(raw=body, body=body, mentions=sorted(mentions, key=lambda m: m.start))
    extract_quotes(art)
    return art.quotes


def test_direct_quote_with_urdu_marks_and_speaker():
    qs = quotes_of("وزیر اعظم احمد خان نے کہا کہ ’ہم امن چاہتے ہیں۔‘", {"احمد خان": "Ahmad Khan"})
    direct = [q for q in qs if q.kind == "direct"]
    assert direct and direct[0].text.startswith("ہم امن چاہتے ہیں")
    assert direct[0].speaker == "Ahmad Khan"


def test_double_apostrophe_quote_and_kaa_kehna():
    body = "ترجمان سارہ علی کا کہنا تھا کہ ''مذاکرات جاری رہیں گے''۔"
    qs = quotes_of(body, {"سارہ علی": "Sara Ali"})
    assert [(q.kind, q.speaker, q.text) for q in qs] == [("direct", "Sara Ali", "مذاکرات جاری رہیں گے")]


def test_pronoun_speaker_carries_from_previous_sentence():
    body = "صدر احمد خان نے ملاقات کی۔ انھوں نے کہا کہ ''یہ ایک اچھا دن ہے''۔"
    qs = quotes_of(body, {"احمد خان": "Ahmad Khan"})
    assert any(q.kind == "direct" and q.speaker == "Ahmad Khan" for q in qs)


def test_reported_speech_without_marks():
    body = "وزیر خارجہ سارہ علی نے کہا کہ ملک کسی دباؤ میں نہیں آئے گا۔"
    qs = quotes_of(body, {"سارہ علی": "Sara Ali"})
    assert [(q.kind, q.speaker) for q in qs] == [("reported", "Sara Ali")]
    assert qs[0].text.startswith("ملک کسی دباؤ")


def test_scare_quotes_without_speech_are_not_quotes():
    qs = quotes_of('حکومت نے اس کارروائی کو "خصوصی آپریشن" کا نام دیا۔', {})
    assert qs == []


def test_nearest_person_before_the_quote_is_the_speaker():
    body = "احمد خان سے ملاقات کے بعد سارہ علی نے کہا، \"ہم تیار ہیں\"۔"
    qs = quotes_of(body, {"احمد خان": "Ahmad Khan", "سارہ علی": "Sara Ali"})
    assert [q.speaker for q in qs if q.kind == "direct"] == ["Sara Ali"]
