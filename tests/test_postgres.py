"""PostgreSQL specifics: migrations, the GIN index, the pool under concurrent readers, errors.

The behaviour shared with SQLite is in test_store_contract.py. The throwaway cluster comes
from tests/pgcluster.py (Debian's binaries, run as `postgres` when the tests run as root) and
is stopped when the test process exits.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from akhbar.errors import StoreError
from akhbar.store import open_store
from akhbar.store.postgres import PostgresStore, search_text
from tests import pgcluster
from tests.articles import make_article

pytestmark = pytest.mark.skipif(pgcluster.unavailable_reason() is not None,
                                reason=pgcluster.unavailable_reason() or "")


@pytest.fixture
def url():
    return pgcluster.fresh_database()


def test_open_store_dispatches_and_migrates_once(url):
    with open_store(url) as s:
        assert isinstance(s, PostgresStore)
    with open_store(url) as s:  # reopening does not migrate again
        s.add_article(make_article(1))
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT array_agg(version) FROM akhbar_schema").fetchone()[0] == [1]


def test_newer_schema_is_refused(url):
    open_store(url).close()
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO akhbar_schema VALUES (999)")
    with pytest.raises(StoreError, match="newer than this akhbar knows"):
        open_store(url)


def test_search_uses_the_gin_index(url):
    with open_store(url) as s:
        for i in range(30):
            s.add_article(make_article(i))
    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT id FROM articles WHERE search @@ phraseto_tsquery('simple', %s)", (search_text("روس"),)
        ))
    assert "articles_search" in plan


def test_search_text_is_folded_words():
    assert search_text("دولتِ اسلامیہ، روسي‌فوج۔") == "دولت اسلامیہ روسیفوج"


def test_pool_serves_concurrent_readers(url):
    with open_store(url) as s:
        for i in range(10):
            s.add_article(make_article(i))
        totals: list[int] = []

        def reader() -> None:
            for _ in range(5):
                totals.append(s.search("روس").total)
                assert len(list(s.iter_articles(full=True))) == 10  # reads events and quotes too

        threads = [threading.Thread(target=reader) for _ in range(12)]  # more threads than pooled connections
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(totals) == 60 and len(set(totals)) == 1 and totals[0] > 0


def test_connection_errors_hide_the_password():
    with pytest.raises(StoreError) as err:
        open_store("postgresql://akhbar:s3cret@127.0.0.1:9/none?connect_timeout=2")
    assert "s3cret" not in str(err.value) and "***" in str(err.value)


def test_broad_queries_are_judged_by_the_column_statistics(url, monkeypatch):
    from akhbar import search
    from akhbar.store import postgres

    store = open_store(url)
    for i in range(40):  # half say روس, the other half امریکہ: both common, never together
        word = "روس" if i % 2 else "امریکہ"
        store.add_article(make_article(i, body=f"{word} کی خبر نمبر {i}۔ دوسرا جملہ یہاں ہے۔"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE articles")
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    with store._conn() as c:
        assert store._term_stats.estimate(c, [["روس"]]) == pytest.approx(20, abs=3)
        assert store._term_stats.estimate(c, [["نایاب"]]) == 0  # rarer than every listed lexeme
    page = store.search("روس", limit=3)
    assert (page.order, page.total, page.total_exact) == ("newest", 5, False)
    assert [h.article.source_id for h in page.hits] == ["src-39", "src-37", "src-35"]
    monkeypatch.setattr(postgres, "BROAD_SCAN_MS", 1)  # the newest-first walk runs out of time …
    monkeypatch.setattr(postgres, "_newest", lambda *a, budget_ms=None, **k: None if budget_ms else [])
    page = store.search("روس امریکہ")  # … and the GIN index answers: common apart, never together
    assert (page.total, page.total_exact, page.hits) == (0, True, [])
    store.close()
