"""Recognition and linking on seed sentences and made-up ones; resolve by any spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.entities import find_mentions, recognise, resolve
from akhbar.entities.kb import build
from akhbar.entities.spans import Taken
from akhbar.entities.variants import skeleton
from akhbar.model import Article


def linked(text: str, base=None) -> set[str]:
    return {m.entity_id for m in find_mentions(text, base) if m.entity_id and m.method != "demonym"}


@pytest.mark.parametrize("a,b", [("پوتن", "پیوٹن"), ("پوٹن", "پوتن"), ("پیسکوف", "پاسکوف"),
                                 ("ایشٹن کارٹر", "آشٹن کارٹر"), ("امریکہ", "امریکا"), ("پینٹاگون", "پینٹاگان")])
def test_skeleton_joins_spelling_variants(a, b):
    assert skeleton(a) == skeleton(b)


def test_skeleton_keeps_different_names_apart():
    assert skeleton("روس") != skeleton("ایران")
    assert skeleton("ٹرمپ") != skeleton("پوتن")


@pytest.mark.parametrize("surface,entity", [("پوتن", "Vladimir Putin"), ("پوٹن", "Vladimir Putin"),
                                            ("پیوٹن", "Vladimir Putin"), ("پیسکوف", "Dmitry Peskov"),
                                            ("پاسکوف", "Dmitry Peskov"), ("داعش", "Islamic State"),
                                            ("دولتِ اسلامیہ", "Islamic State")])
def test_seed_variants_link_to_one_entity(surface, entity):
    assert entity in linked(f"کریملن کے مطابق {surface} نے بیان جاری کیا۔")


def test_unlisted_variant_links_by_skeleton():
    mentions = find_mentions("صدر پیوتین نے کہا کہ مذاکرات ہوں گے۔")
    assert any(m.entity_id == "Vladimir Putin" and m.method == "variant" for m in mentions)


def test_held_out_person_is_still_found_in_a_seed_sentence(seeds_dir):
    base = build(exclude={"Sergey Lavrov"})
    text = (seeds_dir / "003_6aa83e8293d70fa7.txt").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if "وزیرخارجہ سرگئی لاروف" in line)
    mentions = find_mentions(sentence, base)
    names = [m for m in mentions if m.type == "PER" and "لاروف" in m.surface]
    assert names and names[0].entity_id is None


def test_syria_and_evening_are_told_apart():
    assert "Syria" in linked("روس نے شام میں فضائی حملے کیے۔")
    assert "Syria" not in linked("وہ آج شام لاہور پہنچے۔")


def test_financial_is_not_mali():
    assert "Mali" not in linked("حکومت نے مالی امداد کا اعلان کیا۔")


def test_surname_alone_links_to_the_full_name_earlier():
    mentions = find_mentions("امریکی وزیر دفاع آشٹن کارٹر نے کہا۔ کارٹر نے مزید کہا۔")
    assert sum(m.entity_id == "Ashton Carter" for m in mentions) == 2


def test_demonym_is_marked_and_linked():
    mentions = find_mentions("امریکی حکام نے کہا۔")
    assert any(m.method == "demonym" and m.entity_id == "United States" for m in mentions)


def test_recognise_fills_offsets_and_sentences():
    body = "روس نے کہا۔ ولادیمیر پوتن ماسکو میں ہیں۔"
    article = Article(raw=body, body=body, headline="پوتن کا بیان")
    recognise(article)
    body_mentions = [m for m in article.mentions if m.sentence != -1]
    assert all(body[m.start : m.end] == m.surface for m in body_mentions)
    assert {m.sentence for m in body_mentions} == {0, 1}
    assert any(m.sentence == -1 and m.entity_id == "Vladimir Putin" for m in article.mentions)


@pytest.mark.parametrize("name", ["Putin", "Vladimir Putin", "vladimir putin", "پوتن", "پیوٹن"])
def test_resolve_by_any_name(name):
    assert resolve(name).id == "Vladimir Putin"


def test_resolve_unknown_is_none():
    assert resolve("Nobody Atall") is None


_SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1])), max_size=12)


@given(_SPANS, _SPANS)
def test_taken_spans_answer_as_a_scan_over_every_span(first, later):
    """Overlap tests by bisection (disjoint spans) or scan give the brute-force answer, spans added as merge adds them."""
    taken, held = Taken(first), list(first)
    for start, end in later:
        assert taken.overlaps(start, end) == any(s < end and start < e for s, e in held)
        if not taken.overlaps(start, end):
            taken.add(start, end)
            held.append((start, end))
    assert taken.spans == sorted(held)
