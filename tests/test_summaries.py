"""Summaries: no boilerplate line, no sentence twice, lead selection, noise data file, eval message."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from akhbar.model import Article
from akhbar.stories import one_line_summary
from akhbar.stories.config import noise_rules
from akhbar.stories.summarize import is_noise, story_summary, strip_dateline
from akhbar.text.normalize import fold

BOILERPLATE = ["مزید پڑھیں: روس نے نیا بیان جاری کر دیا", "،تصویر کا ذریعہap", "قومی آواز اب ٹیلی گرام پر بھی دستیاب ہے"]


def _articles(seeds_dir) -> list[Article]:
    out = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text("utf-8")
        head = next(ln for ln in text.splitlines() if ln.strip())
        out.append(Article(raw=text, body=text + "\n" + "\n".join(BOILERPLATE), headline=head.strip()))
    return out


def test_story_summary_has_no_boilerplate_and_no_repeat(seeds_dir):
    arts = _articles(seeds_dir)
    arts.append(arts[0])  # the same article from a second outlet
    summary = story_summary(arts, 8)
    assert 0 < len(summary) <= 8
    folded = [fold(s) for s in summary]
    assert len(set(folded)) == len(folded)
    for line in BOILERPLATE:
        assert all(fold(line) not in s for s in folded)
    assert all(not is_noise(s) for s in summary)


def test_summary_length_is_controllable(seeds_dir):
    arts = _articles(seeds_dir)
    assert len(story_summary(arts, 2)) == 2
    assert len(story_summary(arts, 4)) == 4


def test_one_line_summary_skips_noise_and_headline():
    body = "شام پر مذاکرات\n،تصویر کا ذریعہap\nپینٹاگون حکام کے مطابق امریکہ اور روس نے شام کے مسئلے پر مذاکرات کیے ہیں۔ دوسرا جملہ یہاں ہے اور لمبا ہے۔"
    a = Article(raw=body, body=body, headline="شام پر مذاکرات")
    one_line_summary(a, None)
    assert a.summary == "پینٹاگون حکام کے مطابق امریکہ اور روس نے شام کے مسئلے پر مذاکرات کیے ہیں۔"


def test_agency_dateline_is_cut():
    text = "ڈھاکہ ۔ یکم دسمبر (اے پی پی) بنگلہ دیش نے زمبابوے کو ون ڈے سیریز میں بھی وائٹ واش کر دیا۔"
    assert strip_dateline(text).startswith("بنگلہ دیش نے")


def test_noise_file_is_well_formed():
    rules = noise_rules()
    assert rules.prefixes and rules.contains and rules.datelines and rules.credits and rules.joins
    assert all(p == fold(p) and p.strip() for p in rules.prefixes + rules.contains + rules.datelines + rules.credits)


def test_eval_summaries_explains_missing_reference_data(tmp_path):
    from akhbar.cli import app

    res = CliRunner().invoke(app, ["eval", "summaries", "--data", str(tmp_path)])
    assert res.exit_code != 0
    assert "no reference summaries" in str(res.exception)


def _figures(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in (f.split("=") for f in line.split())}


def test_eval_summaries_on_jsonl_references(tmp_path, seeds_dir):
    """XL-Sum layout: a reference equal to an article's clean lead gives the clean lead baseline ROUGE 1."""
    import json

    from akhbar.cli import app
    from akhbar.ingest.clean import clean
    from akhbar.ingest.readers import RawDoc
    from akhbar.stories.summarize import lead_n

    rows = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text("utf-8")
        rows.append({"id": p.stem, "text": text, "summary": lead_n([clean(RawDoc(text, "txt", p.stem, str(p)))], 1)[0]})
    data = tmp_path / "urdu_test.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    res = CliRunner().invoke(app, ["eval", "summaries", "--data", str(data), "--sentences", "1", "--words", "500"])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("references: human summaries")
    clean_lead = next(ln for ln in lines if " lead1-clean " in ln)
    assert "rouge1=1.000 rouge2=1.000 rougeL=1.000 n=5" in clean_lead
    last = _figures(lines[-1])
    assert set(last) == {"rouge1", "rouge2", "rougeL", "lead1_rouge1", "lead1_rouge2", "lead1_rougeL"}
    assert all(0 <= v <= 1 for v in last.values())


def test_eval_summaries_names_a_bad_line(tmp_path, seeds_dir):
    import json

    from akhbar.cli import app

    data = tmp_path / "refs.jsonl"
    first = {"text": sorted(seeds_dir.glob("*.txt"))[0].read_text("utf-8"), "summary": "مذاکرات"}
    data.write_text(json.dumps(first, ensure_ascii=False) + '\n{"text": 5}\n', "utf-8")
    res = CliRunner().invoke(app, ["eval", "summaries", "--data", str(data)])
    assert res.exit_code != 0
    assert f"{data}:2" in str(res.exception) and "summary" in str(res.exception)


def test_rouge_tokens_are_folded():
    from akhbar.evaluate.summaries import UrduTokenizer

    tok = UrduTokenizer()
    assert tok.tokenize("امريكي صدر") == tok.tokenize("امریکی صدر") == ["امریکی", "صدر"]


@pytest.mark.slow
def test_eval_summaries_on_counter_headlines(tmp_path):
    """COUNTER headlines as references: cleaning the lead (datelines, noise) beats the raw first sentence."""
    from conftest import counter_sample

    from akhbar.cli import app

    counter_sample(tmp_path, 60)
    res = CliRunner().invoke(app, ["eval", "summaries", "--data", str(tmp_path)])
    assert res.exit_code == 0, res.output
    lines = res.output.strip().splitlines()
    assert "headline" in lines[0] and "proxy" in lines[0]
    rows = {(ln[:48].strip(), ln[48:61].strip()): _figures(ln[61:]) for ln in lines[1:-1]}
    assert rows[("articles: one line vs own headline", "akhbar")]["rouge1"] > \
        rows[("articles: one line vs own headline", "lead1")]["rouge1"]
    assert rows[("pairs as stories: 3 sentences vs both headlines", "akhbar")]["n"] == 30
    assert set(_figures(lines[-1])) >= {"rouge1", "rouge2", "rougeL", "lead3_rouge1"}


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines_are_noise(line):
    assert is_noise(line)


def test_label_prefers_the_typical_headline_and_stays_short():
    from akhbar.stories.label import MAX_WORDS, label

    heads = ["پاکستان نے ہاکی میں بھارت کو ہرا دیا",
             "ہاکی: پاکستان نے بھارت کو دو ایک سے ہرا دیا " + "اور کھلاڑیوں نے بہت اچھا کھیل پیش کیا " * 5,
             "بارش سے کراچی میں نظام زندگی درہم برہم"]
    urdu, english = label([Article(raw="", body="", headline=h) for h in heads])
    assert urdu.startswith("پاکستان نے ہاکی") and english == ""
    assert len(urdu.split()) <= MAX_WORDS + 1


@pytest.mark.parametrize("text, rest", [
    ("لاہور(سپورٹس ڈیسک) پاکستان نے آسٹریلیا کو ہرا دیا۔", "پاکستان نے"),
    ("ممبئی 29 نومبر (سیاست ڈاٹ کام) بی سی سی آئی نے ٹیم کا اعلان کیا۔", "بی سی سی آئی نے"),
    ("اسلام آباد (ثناء نیوز،آن لائن )الیکشن کمیشن نے وضاحت کی۔", "الیکشن کمیشن نے"),
    ("کیف(نیوزایجنسیاں)یوکرائن کے صدر نے جنگ بندی کا اعلان کیا۔", "یوکرائن کے صدر"),
])
def test_desk_and_reporter_datelines_are_cut(text, rest):
    assert strip_dateline(text).startswith(rest)


@pytest.mark.parametrize("text", [
    "مسلم لیگ (ن) کی جانب سے جاری بیان میں کہا گیا۔",  # a party name, not a credit
    "امریکی ٹی وی (فاکس نیوز) کے مطابق صدر نے استعفیٰ دے دیا۔",  # a credit inside the sentence
    "کراچی اسٹاک ایکسچینج (کے ایس ای) میں مندی رہی۔",  # an abbreviation
])
def test_parentheses_that_are_not_datelines_are_kept(text):
    assert strip_dateline(text) == text


def test_one_line_summary_does_not_open_with_a_desk_dateline():
    body = "لاہور (ویب ڈیسک) فریزر کا استعمال برف جمانے کے ساتھ کھانا محفوظ رکھنے کے کام بھی آتا ہے۔"
    a = Article(raw=body, body=body)
    one_line_summary(a, None)
    assert a.summary.startswith("فریزر کا استعمال")


def _mention(body: str, surface: str, eid: str, method: str = "kb", after: int = 0):
    from akhbar.model import Mention

    start = body.index(surface, after)
    return Mention(start, start + len(surface), surface, "GPE", eid, method=method)


def test_label_leaves_out_the_dateline_city_and_the_agency_credit():
    from akhbar.stories.label import label

    body = "کوئٹہ (اے پی پی) بلوچستان میں آرمی ایوی ایشن کا تربیتی طیارہ گر کر تباہ ہوگیا۔"
    a = Article(raw=body, body=body, headline="بلوچستان میں طیارہ گر کر تباہ", credits=["اے پی پی"],
                mentions=[_mention(body, "کوئٹہ", "Quetta"), _mention(body, "اے پی پی", "APP"),
                          _mention(body, "بلوچستان", "Balochistan")])
    urdu, english = label([a], {"Balochistan": "Balochistan"})
    assert english == "Balochistan"
    assert "کوئٹہ" not in urdu and "اے پی پی" not in urdu


def test_label_ignores_entities_seen_only_through_fuzzy_variants():
    from akhbar.stories.label import top_entities

    body = "شہر کے کلب میں پاکستان کی ٹیم نے میچ جیت لیا اور کلب کے ارکان نے جشن منایا۔"
    a = Article(raw=body, body=body, mentions=[_mention(body, "کلب", "Dmytro_Kuleba", "variant"),
                                               _mention(body, "کلب", "Dmytro_Kuleba", "variant", after=20),
                                               _mention(body, "پاکستان", "Pakistan")])
    assert [eid for eid, _ in top_entities([a])] == ["Pakistan"]


def test_a_story_without_headlines_is_labelled_by_its_lead():
    from akhbar.stories.label import MAX_WORDS, label

    body = ("لاہور (ویب ڈیسک) فریزر کا استعمال برف جمانے کے ساتھ ساتھ کھانے کی مختلف اشیا کو بھی محفوظ رکھنے"
            " کے کام آتا ہے لیکن بہت سے لوگ اسے ٹھیک طرح استعمال نہیں کرتے۔")
    urdu, _ = label([Article(raw=body, body=body)])
    assert urdu.startswith("فریزر کا استعمال") and urdu.endswith("…")
    assert len(urdu.split()) == MAX_WORDS + 1


def test_a_publication_line_taken_for_a_headline_does_not_make_the_label():
    from akhbar.stories.label import label

    body = "سابق اسسٹنٹ کمشنر دہلی نے دعوی کیا ہے کہ اداکارہ کی موت حادثہ نہیں تھی۔"
    urdu, _ = label([Article(raw=body, body=body, headline="cnnurdu نے Friday، 18 May 2018 کو شائع کیا.")])
    assert urdu.startswith("سابق اسسٹنٹ کمشنر")


def test_an_unpunctuated_lead_is_cut_to_a_line():
    from akhbar.stories.config import params

    body = " ".join(["ماہرین نے کہا ہے کہ روزانہ ورزش دل کی صحت کے لیے مفید ہے"] * 20)  # no sentence mark
    a = Article(raw=body, body=body)
    one_line_summary(a, None)
    words = params()["summary"]["max_words"]
    assert a.summary.endswith(" …") and len(a.summary.split()) == words + 1
    assert all(len(s.split()) <= words + 1 for s in story_summary([a, Article(raw=body, body=body + " اور")]))


def test_a_headline_without_words_gives_way_to_the_lead():
    from akhbar.stories.label import label

    body = "شامی جنگ میں روس سے کوئی تعاون نہیں ہوگا اور امریکا نے اپنا موقف واضح کر دیا۔"
    assert label([Article(raw=body, body=body, headline=".")])[0].startswith("شامی جنگ")


def test_a_later_outlets_copy_of_the_lead_comes_where_the_agency_told_it():
    import datetime as dt

    lead = "وزیراعظم نے پٹرول کی قیمت برقرار رکھنے اور ڈیزل کی قیمت میں کمی کی منظوری دے دی۔"
    fuller = "وزیراعظم نے پٹرول کی قیمت برقرار رکھنے اور ڈیزل اور مٹی کے تیل کی قیمت میں کمی کی منظوری دے دی۔"
    second = "وزیر خزانہ نے مدینہ میں ملاقات کی اور اوگرا کی سفارشات پیش کیں۔"
    agency = Article(raw="", body=f"{lead}\n{second}", published=dt.date(2014, 7, 29))
    paper = Article(raw="", body=fuller + "\nمٹی کے تیل کی قیمت میں کمی سے حکومت کو سبسڈی دینا پڑے گی اور ڈیزل سستا ہوگا۔",
                    published=dt.date(2014, 7, 30))
    summary = story_summary([agency, paper], 3)
    assert fuller in summary and lead not in summary  # the paper's fuller copy is the more central one
    assert summary.index(fuller) < summary.index(second)  # yet it opens the summary: its news came first


def test_a_headline_opening_with_a_dateline_loses_it_in_the_label():
    from akhbar.stories.label import label

    head = "نئی دہلی 5 دسمبر(ایجنسی) دہلی کے تاج ہوٹل میں اداکارہ کی شادی کی تقریب"
    assert label([Article(raw="", body="", headline=head)])[0].startswith("دہلی کے تاج ہوٹل")


def test_clean_sentences_for_lead_vectors_keep_desk_datelines_unless_asked():
    from akhbar.stories.summarize import clean_sentences

    body = "لاہور (ویب ڈیسک) فریزر کا استعمال برف جمانے کے ساتھ کھانا محفوظ رکھنے کے کام بھی آتا ہے۔"
    a = Article(raw=body, body=body)
    assert clean_sentences(a)[0].startswith("لاہور (ویب ڈیسک)")
    assert clean_sentences(a, desks=True)[0].startswith("فریزر")
