"""SQLite store: idempotent writes, filters, migrations, Urdu-aware search."""

from __future__ import annotations

import sqlite3

import pytest

from akhbar.errors import NotFound, QueryError, StoreError
from akhbar.model import Article, Event, Sentence
from akhbar.pipeline import ingest_paths
from akhbar.store import ArticleFilter, EventFilter, open_store


@pytest.fixture
def seeded(store, seeds_dir):
    ingest_paths([seeds_dir], store, stories=False)
    return store


def _article(body: str, **kw) -> Article:
    return Article(raw=body, body=body, headline=kw.pop("headline", "سرخی"),
                   sentences=[Sentence(0, 0, len(body), body)], **kw)


def test_reingesting_is_idempotent(seeded, seeds_dir):
    report = ingest_paths([seeds_dir], seeded, stories=False)
    assert (report.added, report.existing) == (0, 5)
    assert seeded.count_articles() == 5


def test_same_url_is_not_stored_twice(store):
    _, created1 = store.add_article(_article("پہلا متن۔", url="https://x/1"))
    _, created2 = store.add_article(_article("بدلا ہوا متن۔", url="https://x/1"))
    assert (created1, created2) == (True, False)


def test_source_id_is_the_file_stem(seeded):
    ids = seeded.find_ids("003_6aa83e8293d70fa7")
    assert len(ids) == 1
    a = seeded.get_article(ids[0])
    assert a.published.isoformat() == "2021-12-28"
    assert a.raw.startswith("روس کے امریکا")
    assert all(a.body[s.start : s.end] == s.text for s in a.sentences)


@pytest.mark.parametrize(
    "query, other",
    [("دولتِ اسلامیہ", "دولت اسلامیہ"), ("وزیرِ", "وزیر"), ("روسي", "روسی"), ("كارٹر", "کارٹر")],
)
def test_search_matches_across_code_points_and_diacritics(seeded, query, other):
    a, b = seeded.search(query), seeded.search(other)
    assert a.total == b.total > 0
    assert {h.article.id for h in a.hits} == {h.article.id for h in b.hits}


def test_search_snippets_highlight_the_original_text(seeded):
    page = seeded.search("دولت اسلامیہ")  # the zer of دولتِ is kept in the highlight
    texts = [(t, spans) for h in page.hits for t, spans in h.snippets]
    assert any(t[s:e] == "دولتِ" for t, spans in texts for s, e in spans)


def test_search_phrase_and_filters(seeded):
    assert seeded.search('"بات چیت"').total >= 3
    dated = seeded.search("مذاکرات", ArticleFilter(date_from=__import__("datetime").date(2021, 1, 1)))
    assert [h.article.source_id for h in dated.hits] == ["003_6aa83e8293d70fa7"]


def test_search_rejects_empty_query(seeded):
    with pytest.raises(QueryError):
        seeded.search("۔۔ !!")


@pytest.mark.parametrize("attack", ['"; DROP TABLE articles; --', "NEAR(", "* OR 1=1", "body:x", "' OR ''='"])
def test_search_syntax_is_inert(seeded, attack):
    try:
        seeded.search(attack)
    except QueryError:
        pass
    assert seeded.count_articles() == 5


def test_events_round_trip_and_pair_filter(store):
    a = _article("روس اور امریکہ نے مذاکرات کیے۔")
    a.events = [Event("CONSULT", "RUS", "USA", 0, "مذاکرات کیے", score=1.0)]
    store.add_article(a)
    got = store.list_events(EventFilter(actors=("USA", "RUS")))
    assert [(e.source, e.type, e.target) for _, e in got] == [("RUS", "CONSULT", "USA")]
    assert store.get_article(a.id).events[0].evidence == "مذاکرات کیے"


def test_failed_write_leaves_store_unchanged(store):
    store.add_article(_article("پہلا مضمون۔"))
    bad = _article("دوسرا مضمون۔")
    bad.events = [Event("CONSULT", "RUS", "USA", 0, None)]  # evidence NOT NULL -> the insert fails
    with pytest.raises(sqlite3.IntegrityError):
        store.add_article(bad)
    assert store.count_articles() == 1
    assert store.search("دوسرا").total == 0


def test_unknown_ids_raise_not_found(store):
    with pytest.raises(NotFound):
        store.get_article(999)
    with pytest.raises(NotFound):
        store.get_story(1)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=999")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(str(path))


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "text.db"
    path.write_text("hello, not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(str(path))


def test_blobs_round_trip(store):
    store.put_blobs("minhash", {"1": b"\x00\x01", "2": b"\x02"})
    assert store.get_blobs("minhash", ["2"]) == {"2": b"\x02"}
    assert len(store.get_blobs("minhash")) == 2
