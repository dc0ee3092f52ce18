"""Helpers that build stored-shape Articles (with analyses) for the store and scale tests."""

from __future__ import annotations

import datetime as dt
import hashlib

from akhbar.model import Article, Event, Mention, Quote, Removed, Sentence
from akhbar.text.split import sentences

WORDS = ("روس امریکہ شام مذاکرات حکومت وزیر خارجہ اجلاس بیان فوج پاکستان بھارت ایران چین معاہدہ "
         "انتخابات عدالت پارلیمان معیشت بجٹ").split()


def make_article(i: int, *, body: str | None = None, outlet: str = "bbc", url: bool = True) -> Article:
    """A deterministic article number `i` with sentences, a mention, an event and a quote."""
    if body is None:
        w = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12)]
        body = f"{' '.join(w[:6])} نمبر {i}۔ {' '.join(w[6:])} کے بارے میں خبر {i}۔"
    sents = [Sentence(k, s.start, s.end, s.text) for k, s in enumerate(sentences(body))]
    first = body.split()[0]
    return Article(
        raw=f"<p>{body}</p>", body=body, headline=f"سرخی {i} {first}", source_id=f"src-{i}",
        url=f"https://example.org/{outlet}/{i}" if url else None, outlet=outlet,
        published=dt.date(2021, 1, 1) + dt.timedelta(days=i % 300), language="ur", raw_format="html",
        origin=f"test:{i}", credits=["نامہ نگار"], removed=[Removed(0, "اشتہار", "ad")], sentences=sents,
        mentions=[Mention(0, len(first), first, "GPE", entity_id=f"Q{i % 5}", sentence=0, method="kb")],
        events=[Event("CONSULT", "USA", "RUS", 0, sents[0].text, score=1.0, date=dt.date(2021, 2, 1 + i % 27),
                      pattern="p1", source_entity="Q30", target_entity="Q159")],
        quotes=[Quote("ہم بات کریں گے", 0, speaker="Q30", speaker_surface="امریکہ", kind="direct", start=0, end=3)],
        summary=f"خلاصہ {i}",
    )


def fingerprint(store) -> list[tuple]:
    """Content of every stored article as comparable tuples (ids left out), sorted."""
    out = []
    for a in store.iter_articles(full=True):
        digest = hashlib.sha256("\x1f".join([a.raw, a.body, a.headline or "", a.url or "",
                                               str(a.published), a.summary or ""]).encode()).hexdigest()
        out.append((a.content_hash, digest, len(a.sentences), len(a.mentions), len(a.events), len(a.quotes)))
    return sorted(out)
