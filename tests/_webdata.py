"""Test corpus for the API, web and browser tests: the five seeds with analyses built from model objects.

Mentions are placed by finding known spellings in each seed body, so offsets are real; events,
quotes, removed lines and one story are added on top, plus an article carrying a <script> tag.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from akhbar.model import Article, Entity, Event, Mention, Quote, Removed, Sentence, Story
from akhbar.store.base import Store
from akhbar.text.split import sentences

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"

ENTITIES = [
    Entity("Q159", "Russia", "GPE", ["روس"], "RUS"),
    Entity("Q30", "United States", "GPE", ["امریکہ", "امریکا"], "USA"),
    Entity("Q858", "Syria", "GPE", ["شام"], "SYR"),
    Entity("Q7184", "NATO", "ORG", ["نیٹو"], "NATO"),
]
SCRIPT = '<script>alert("xss")</script>'
DATES = [dt.date(2015, 9, 18), dt.date(2017, 11, 11), dt.date(2017, 11, 12), dt.date(2018, 6, 20), dt.date(2017, 11, 22)]


def seed_article(path: Path, day: dt.date) -> Article:
    """A seed file as a clean Article: first non-trivial line the headline, the rest the body."""
    lines = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
    head_i = next(i for i, ln in enumerate(lines) if len(ln) > 3)
    body = "\n".join(ln for ln in lines[head_i + 1:] if not ln.startswith("،تصویر"))
    art = Article(raw=path.read_text("utf-8"), body=body, headline=lines[head_i], outlet="BBC Urdu",
                  published=day, source_id=path.name, url=f"https://example.org/{path.stem}")
    art.removed = [Removed(i, ln, "caption") for i, ln in enumerate(lines) if ln.startswith("،تصویر")]
    art.sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(sentences(body))]
    art.mentions = _mentions(art)
    return art


def _mentions(art: Article) -> list[Mention]:
    out = []
    for ent in ENTITIES:
        for form in ent.urdu:
            pos = art.body.find(form)
            while pos >= 0:
                end = pos + len(form)
                bounded = (pos == 0 or not art.body[pos - 1].isalpha()) and (end == len(art.body) or not art.body[end].isalpha())
                if bounded:
                    out.append(Mention(pos, end, form, ent.type, ent.id))
                pos = art.body.find(form, end)
    return sorted(out, key=lambda m: m.start)


def fill(store: Store, *, with_story: bool = True) -> list[int]:
    """Store the seeds (with events, quotes, one story) and the script article; return their ids."""
    store.upsert_entities(ENTITIES)
    ids = []
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        art = seed_article(path, DATES[n])
        first = art.sentences[0].text if art.sentences else art.body[:80]
        art.events = [
            Event("CONSULT", "USA", "RUS", 0, first, score=4.0, date=DATES[n], source_entity="Q30", target_entity="Q159"),
            Event("THREATEN", "RUS", "USA", 1, first, score=-6.0, date=DATES[n], source_entity="Q159", target_entity="Q30"),
        ]
        art.quotes = [Quote("بات چیت سے یہ ثابت ہو گیا ہے", 1, "Q159", "روس", "reported")]
        art.summary = first
        ids.append(store.add_article(art)[0])
    evil = Article(raw="x", body=f"یہ خبر {SCRIPT} کے ساتھ ہے۔\nدوسری سطر میں مذاکرات کا ذکر۔",
                   headline=f"خطرناک {SCRIPT} سرخی", outlet=f"<b>{SCRIPT}</b>", published=dt.date(2019, 1, 1),
                   url="javascript:alert(1)")
    evil.sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(sentences(evil.body))]
    evil.removed = [Removed(0, f"اشتہار {SCRIPT}", "ad")]
    ids.append(store.add_article(evil)[0])
    if with_story:
        story = Story(1, "شام پر روس اور امریکہ کے مذاکرات", "Russia–US talks on Syria", ids[:3],
                      DATES[0], DATES[2], None, ["روس اور امریکہ نے شام پر بات چیت کی۔", f"خلاصہ {SCRIPT}"])
        store.save_stories([story], {aid: 1 for aid in ids[:3]})
    return ids


def make_db(path: Path, *, empty: bool = False) -> str:
    """A SQLite store file at `path`, filled unless `empty`; returns its path as a store URL."""
    from akhbar.store import open_store

    with open_store(str(path)) as store:
        if not empty:
            fill(store)
    return str(path)
