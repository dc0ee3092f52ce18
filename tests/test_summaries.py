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
    assert rules.prefixes and rules.contains and rules.datelines
    assert all(p == fold(p) and p.strip() for p in rules.prefixes + rules.contains + rules.datelines)


def test_eval_summaries_explains_missing_reference_data(tmp_path):
    from akhbar.cli import app

    res = CliRunner().invoke(app, ["eval", "summaries", "--data", str(tmp_path)])
    assert res.exit_code != 0
    assert "no reference summaries" in str(res.exception)


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
