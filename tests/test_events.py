"""The Urdu event coder on sentences written for these tests (none from the seeds)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from akhbar.events import code_events
from akhbar.events.dates import event_date
from akhbar.events.lexicon import PLOVER_TYPES, actor_words, lexicon
from akhbar.model import Article, Entity, Mention


def coded(body: str, published: dt.date | None = None, mentions=None, ctx=None) -> list:
    art = Article(raw=body, body=body, published=published, mentions=mentions or [])
    code_events(art, ctx or SimpleNamespace(kb=None))
    return art.events


def triples(events) -> set[tuple]:
    return {(e.source, e.type, e.target) for e in events if e.mode != "negated"}


# -- negation ---------------------------------------------------------------------------
def test_negated_cooperation_is_a_rejection():
    events = coded("چین نے بھارت کے ساتھ کوئی تعاون نہیں کیا۔")
    assert ("CHN", "REJECT", "IND") in triples(events)
    assert all(e.type != "COOPERATE" for e in events)
    assert any(e.negated for e in events)


def test_negated_attack_is_kept_but_not_an_event():
    events = coded("اسرائیل نے غزہ میں عراق پر حملہ نہیں کیا۔")
    assert events and all(e.mode == "negated" and e.negated for e in events)
    assert triples(events) == set()


def test_denied_refusal_is_not_a_refusal():
    events = coded("ایران نے کہا کہ اس نے فرانس سے بات چیت سے انکار نہیں کیا۔")
    assert not any(e.type == "REJECT" and e.mode != "negated" for e in events)


# -- intention, offers ------------------------------------------------------------------
def test_future_talks_are_intended():
    events = coded("جاپان اگلے ماہ چین کے ساتھ مذاکرات کرے گا۔", dt.date(2023, 5, 10))
    ev = next(e for e in events if e.type == "CONSULT")
    assert ev.mode == "intended"
    assert {ev.source, ev.target} == {"JPN", "CHN"}
    assert ev.date == dt.date(2023, 6, 1)


def test_offer_of_talks_is_offered_and_scores_half():
    events = coded("ایران نے سعودی عرب کے ساتھ مذاکرات کی پیشکش کی۔")
    ev = next(e for e in events if e.type == "CONSULT")
    assert ev.mode == "offered"
    assert ev.score == pytest.approx(lexicon().scores["CONSULT"] * 0.5)


def test_readiness_is_an_intention():
    events = coded("عراق کا کہنا ہے کہ وہ ترکی کے ساتھ مذاکرات کے لیے تیار ہے۔")
    assert any(e.type == "CONSULT" and e.mode == "intended" and {e.source, e.target} == {"IRQ", "TUR"} for e in events)


# -- reported speech, pronouns, coordination ---------------------------------------------
def test_we_in_reported_speech_is_the_speaker():
    events = coded("فرانس کے وزیر خارجہ نے کہا کہ ہم جرمنی کے ساتھ تعاون کریں گے۔")
    assert ("FRA", "COOPERATE", "DEU") in triples(events)


def test_kaa_kehna_tha_introduces_the_speaker():
    events = coded("چین کا کہنا تھا کہ ہم جاپان پر پابندیاں عائد کریں گے۔")
    assert ("CHN", "SANCTION", "JPN") in triples(events)


def test_pronoun_subject_carries_from_previous_sentence():
    events = coded("پاکستان نے افغانستان پر حملہ کیا۔ انھوں نے ایران کے ساتھ مذاکرات بھی کیے۔")
    assert ("PAK", "ASSAULT", "AFG") in triples(events)
    assert ("PAK", "CONSULT", "IRN") in triples(events)


def test_coordinated_agents_make_a_pair():
    events = coded("بھارت اور چین نے سرحدی تنازع پر مذاکرات کیے۔")
    ev = next(e for e in events if e.type == "CONSULT")
    assert {ev.source, ev.target} == {"IND", "CHN"}


def test_coordinated_agents_each_act_on_the_target():
    events = coded("فرانس اور جرمنی نے ایران کو سنگین نتائج سے خبردار کیا۔")
    assert {("FRA", "THREATEN", "IRN"), ("DEU", "THREATEN", "IRN")} <= triples(events)


def test_genitive_owner_of_an_organ_is_the_agent():
    events = coded("چین کی وزارت خارجہ نے جاپان پر جاسوسی کا الزام عائد کیا۔")
    assert ("CHN", "ACCUSE", "JPN") in triples(events)


def test_genitive_of_the_trigger_is_the_target():
    events = coded("سعودی عرب نے پاکستان کی مالی امداد میں اضافہ کیا۔")
    assert ("SAU", "AID", "PAK") in triples(events)


def test_person_acts_for_the_state_from_the_kb():
    body = "برطانوی وزیر اعظم جان سمتھ نے فرانس کی حمایت کا اعلان کیا۔"
    start = body.index("جان")
    kb = {"John Smith": Entity("John Smith", "John Smith", "PER", actor="GBR")}
    ctx = SimpleNamespace(kb=kb)
    mention = Mention(start, start + len("جان سمتھ"), "جان سمتھ", "PER", "John Smith", sentence=0)
    events = coded(body, mentions=[mention], ctx=ctx)
    ev = next(e for e in events if e.type == "SUPPORT")
    assert (ev.source, ev.target, ev.source_entity) == ("GBR", "FRA", "John Smith")


def test_demonym_found_by_the_tagger_without_a_kb_link_names_its_state():
    body = "ترک وزیر اعظم احمد اوگلو نے فرانس کی حمایت کا اعلان کیا۔"
    person = body.index("احمد")
    mentions = [Mention(0, len("ترک"), "ترک", "ORG", None, sentence=0, method="crf"),
                Mention(person, person + len("احمد اوگلو"), "احمد اوگلو", "PER", None, sentence=0, method="crf")]
    events = coded(body, mentions=mentions)
    assert ("TUR", "SUPPORT", "FRA") in triples(events)


def test_topic_frame_is_not_an_event():
    events = coded("ترکی نے فضائی حملوں کے بارے میں عراق سے تفصیل مانگی۔")
    assert not any(e.type == "ASSAULT" for e in events)


def test_evidence_is_a_substring_of_the_sentence():
    body = "بنگلہ دیش نے میانمار کے خلاف احتجاج کیا۔"
    for e in coded(body):
        assert e.evidence and e.evidence in body


# -- dates ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("روس نے بدھ کو حملہ کیا", dt.date(2021, 12, 22)),
        ("گزشتہ ہفتے ملاقات ہوئی", dt.date(2021, 12, 21)),
        ("15 جنوری کو مذاکرات ہوں گے", dt.date(2022, 1, 15)),
        ("سنیچر کو بات چیت ہوئی", dt.date(2021, 12, 25)),
        ("گزشتہ برس حملہ ہوا", dt.date(2020, 12, 28)),
    ],
)
def test_relative_dates_resolve_against_publication(sentence, expected):
    assert event_date(sentence, dt.date(2021, 12, 28)) == expected


def test_relative_date_without_publication_is_no_date():
    assert event_date("روس نے بدھ کو حملہ کیا", None) is None


def test_absolute_date_needs_no_publication():
    assert event_date("3 مارچ 2020 کو معاہدہ ہوا", None) == dt.date(2020, 3, 3)


def test_undated_sentence_takes_publication_date():
    assert event_date("چین نے بھارت پر الزام لگایا", dt.date(2022, 2, 2)) == dt.date(2022, 2, 2)


# -- the data files ---------------------------------------------------------------------
def test_dictionary_types_and_scores_are_plover():
    lex = lexicon()
    assert set(lex.scores) == set(PLOVER_TYPES)
    assert all(-10 <= v <= 10 for v in lex.scores.values())
    assert {p.type for p in lex.patterns} <= set(PLOVER_TYPES)
    ids = [p.id for p in lex.patterns]
    assert len(ids) == len(set(ids))


def test_cooperation_scores_above_conflict():
    s = lexicon().scores
    assert min(s[t] for t in ("AGREE", "COOPERATE", "AID", "CONSULT")) > 0 > max(
        s[t] for t in ("ACCUSE", "THREATEN", "SANCTION", "ASSAULT"))


@pytest.mark.parametrize("pattern", lexicon().patterns, ids=lambda p: p.id)
def test_every_dictionary_example_codes_its_type(pattern):
    assert pattern.examples, f"{pattern.id} has no example"
    for example in pattern.examples:
        found = {e.type for e in coded(example) if e.source and e.target}
        assert pattern.type in found, f"{pattern.id}: {example} coded {found}"


def test_actor_words_have_known_kinds():
    kinds = {w.kind for ws in actor_words().values() for w in ws}
    assert kinds <= {"demonym", "metonym", "name", "pronoun", "both", "group", "organ"}


def test_comma_list_of_targets_shares_the_marker():
    events = coded("بھارت نے چین، جاپان اور ایران کے رہنماؤں سے ملاقات کی۔")
    found = {frozenset((e.source, e.target)) for e in events if e.type == "CONSULT"}
    assert {frozenset(("IND", c)) for c in ("CHN", "JPN", "IRN")} <= found
    assert frozenset(("CHN", "JPN")) not in found


def test_unmarked_subject_is_not_the_object_of_a_later_ko():
    events = coded("اسرائیل معصوم شہریوں کو شام میں نشانہ بنا رہا ہے۔")
    assert all(e.target != "ISR" for e in events)
    assert any(e.source == "ISR" and e.type == "ASSAULT" for e in events)


def test_leaving_for_home_is_not_a_deployment():
    events = coded("ایران کے وزیر خارجہ اجلاس کے بعد چین سے وطن روانہ ہو گئے۔")
    assert not any(e.type == "MOBILIZE" for e in events)


def test_zero_subject_does_not_inherit_a_stale_agent():
    body = "بھارت نے چین پر الزام لگایا۔ موسم خوشگوار تھا۔ شہر میں بارش ہوئی۔ بعد میں مذاکرات کا آغاز ہوا۔"
    events = coded(body)
    assert ("IND", "ACCUSE", "CHN") in triples(events)
    assert not any(e.type == "CONSULT" and e.source == "IND" for e in events)
