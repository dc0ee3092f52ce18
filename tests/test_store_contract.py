"""One behavioural suite for every store backend: SQLite and PostgreSQL must agree."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from akhbar.errors import NotFound, QueryError, StoreError
from akhbar.model import Entity, Story
from akhbar.store import ArticleFilter, EventFilter, open_store
from tests import pgcluster
from tests.articles import fingerprint, make_article


def _url(kind: str, tmp_path) -> str:
    if kind == "sqlite":
        return str(tmp_path / "contract.db")
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    return pgcluster.fresh_database()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    return _url(request.param, tmp_path)


@pytest.fixture
def st(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def test_add_is_idempotent_by_hash_and_url(st):
    a = make_article(1)
    aid, created = st.add_article(a)
    assert created and a.id == aid
    again, created2 = st.add_article(make_article(1))
    assert (again, created2) == (aid, False)
    same_url = make_article(2)
    same_url.url = a.url
    assert st.add_article(same_url) == (aid, False)
    assert st.count_articles() == 1


def test_add_articles_stores_a_batch_in_one_transaction(st):
    first = make_article(1)
    st.add_article(first)
    batch = [make_article(2), make_article(1), make_article(3), make_article(2)]
    results = st.add_articles(batch)
    assert [created for _, created in results] == [True, False, True, False]
    assert results[1][0] == first.id and results[3][0] == results[0][0]  # repeats inside the batch too
    assert st.count_articles() == 3 and st.search("سرخی").total == 3
    assert st.add_articles([]) == []


def test_a_failing_batch_stores_none_of_its_articles(st):
    st.add_article(make_article(1))
    broken = make_article(5)
    broken.sentences = None  # fails half-way through writing the batch
    with pytest.raises(TypeError):
        st.add_articles([make_article(4), broken])
    assert st.count_articles() == 1 and st.find_ids("src-4") == []
    assert st.add_articles([make_article(4)])[0][1] is True  # the store still works


def test_nul_characters_in_input_are_stored_by_every_backend(st):
    from akhbar.ingest.readers import RawDoc
    from akhbar.pipeline import ingest_docs

    text = "روس اور امریکہ کے درمیان\x00 مذاکرات ہوئے۔ دونوں ملکوں نے بیان جاری کیا۔"
    report = ingest_docs([RawDoc(text, "txt", "nul\x00doc", "test:nul", title="سرخی\x00")], st, stories=False)
    assert report.added == 1 and not report.errors
    stored = st.get_article(report.new_ids[0])
    assert "\x00" not in stored.raw and "\ufffd" in stored.raw and stored.source_id == "nul\ufffddoc"


def test_get_round_trips_everything(st):
    a = make_article(3)
    aid, _ = st.add_article(a)
    got = st.get_article(aid)
    assert (got.raw, got.body, got.headline, got.url, got.published) == (a.raw, a.body, a.headline, a.url, a.published)
    assert got.credits == a.credits and got.removed == a.removed and got.summary == a.summary
    assert [s.text for s in got.sentences] == [s.text for s in a.sentences]
    assert got.mentions == a.mentions and got.events == a.events and got.quotes == a.quotes
    assert st.find_ids("src-3") == [aid]
    with pytest.raises(NotFound):
        st.get_article(aid + 1000)


def test_list_filters_and_order(st):
    for i in range(6):
        st.add_article(make_article(i, outlet="bbc" if i % 2 else "dawn"))
    assert st.count_articles(ArticleFilter(outlet="bbc")) == 3
    newest = st.list_articles(limit=2)
    assert [a.published for a in newest] == sorted((a.published for a in newest), reverse=True)
    mid = ArticleFilter(date_from=dt.date(2021, 1, 2), date_to=dt.date(2021, 1, 4))
    assert sorted(a.source_id for a in st.list_articles(mid)) == ["src-1", "src-2", "src-3"]
    assert st.count_articles(ArticleFilter(entity="Q1")) == 1
    assert [a.source_id for a in st.list_articles(newest_first=False, offset=4)] == ["src-4", "src-5"]


def test_search_folds_spelling_variants(st):
    st.add_article(make_article(1, body="دولتِ اسلامیہ نے شہر پر قبضہ کر لیا۔ یہ دوسری خبر ہے۔"))
    st.add_article(make_article(2, body="روسی طیاروں نے بمباری کی۔ دولت مند لوگ خاموش ہیں۔"))
    page = st.search("دولت اسلامیہ")
    assert page.total == 1 and page.hits[0].article.source_id == "src-1"
    snippet, spans = page.hits[0].snippets[0]
    assert spans and "دولتِ" in snippet[spans[0][0]:spans[0][1]]
    assert st.search("روسي").hits[0].article.source_id == "src-2"  # Arabic yeh finds Urdu yeh
    assert st.search('"دولت اسلامیہ"').total == 1
    assert st.search("دولت").total == 2
    assert st.search("دولت", ArticleFilter(source_id="src-2")).total == 1
    with pytest.raises(QueryError):
        st.search("۔؟!")


def test_search_counts_up_to_the_cap_and_ranks_the_newest_window(st, monkeypatch):
    from akhbar import search

    for i in range(6):
        body = "خبر " * (9 if i == 0 else 1) + f"نمبر {i}۔"  # the oldest article has the most hits
        st.add_article(make_article(i, body=body))
    page = st.search("خبر")
    assert (page.total, page.total_exact, page.order) == (6, True, "relevance")
    assert page.hits[0].article.source_id == "src-0"
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    page = st.search("خبر", limit=2)
    assert {h.article.source_id for h in page.hits} < {"src-3", "src-4", "src-5"}  # ranked among the newest three
    assert (page.total, page.total_exact) == (6, True)  # the window bounds ranking, not the count
    assert len(st.search("خبر", limit=2, offset=2).hits) == 2  # a later page ranks deeper than the window
    page = st.search("خبر", ArticleFilter(outlet="bbc"), limit=2)  # a filter ranks every match
    assert page.hits[0].article.source_id == "src-0"
    monkeypatch.setattr(search, "COUNT_CAP", 4)
    for filt in (None, ArticleFilter(outlet="bbc")):  # too broad to rank: a lower bound, newest first
        page = st.search("خبر", filt, limit=3)
        assert (page.total, page.total_exact, page.order) == (4, False, "newest")
        assert [h.article.source_id for h in page.hits] == ["src-5", "src-4", "src-3"]


def test_events_quotes_entities(st):
    for i in range(3):
        st.add_article(make_article(i))
    pairs = st.list_events(EventFilter(actors=("RUS", "USA")))
    assert len(pairs) == 3 and [e.date for _, e in pairs] == sorted(e.date for _, e in pairs)
    assert st.list_events(EventFilter(type="FIGHT")) == []
    assert len(st.list_quotes(speaker="Q30")) == 3
    st.upsert_entities([Entity("Q1", "Russia", "GPE", ["روس"], "RUS")])
    st.upsert_entities([Entity("Q1", "Russia", "GPE", ["روس", "رشیا"], "RUS")])
    assert st.get_entity("Q1").urdu == ["روس", "رشیا"]
    stats = {s["id"]: s for s in st.entity_stats()}
    assert stats["Q1"]["name"] == "Russia" and stats["Q1"]["mentions"] == 1


def test_replace_analysis_rewrites(st):
    a = make_article(4)
    st.add_article(a)
    a.events, a.summary = [], "نیا خلاصہ"
    st.replace_analysis(a)
    got = st.get_article(a.id)
    assert got.events == [] and got.summary == "نیا خلاصہ" and len(got.quotes) == 1


def test_stories_and_duplicates(st):
    ids = [st.add_article(make_article(i))[0] for i in range(4)]
    st.save_stories([Story(1, "شام", "Syria", summary=["ایک"]), Story(2, "روس", "Russia")],
                    {ids[0]: 1, ids[1]: 1, ids[2]: 2})
    assert st.get_story(1).article_ids == ids[:2]
    assert [s.id for s in st.list_stories(order="largest")] == [1, 2]
    st.save_stories([Story(3, "شام", "Syria", thread_id=1), Story(4, "روس", "Russia", thread_id=4)], {ids[3]: 3})
    assert {s.id for s in st.list_stories(threads=[1])} == {3} and st.list_stories(threads=[]) == []
    assert {s.id for s in st.list_stories(threads=[1, 4])} == {3, 4}
    assert st.count_articles(ArticleFilter(story=2)) == 1
    st.set_duplicates({ids[3]: ids[2]})
    with pytest.raises(NotFound):
        st.get_story(99)
    with pytest.raises(StoreError):
        st.list_stories(order="sideways")


def test_save_stories_writes_only_what_it_is_given(st):
    ids = [st.add_article(make_article(i))[0] for i in range(5)]
    st.save_stories([Story(1, "شام", "Syria"), Story(2, "روس", "Russia")], {ids[0]: 1, ids[1]: 1, ids[2]: 2})
    st.save_stories([Story(2, "روس نیا", "Russia", thread_id=3), Story(3, "چین", "China", thread_id=3)], {ids[3]: 3})
    assert st.get_story(1).article_ids == ids[:2] and st.get_story(1).label == "شام"  # untouched story kept
    assert st.get_story(2).label == "روس نیا" and st.get_story(2).article_ids == [ids[2]]  # record replaced
    assert st.get_story(3).article_ids == [ids[3]] and st.get_article(ids[4], full=False).story_id is None
    st.save_stories([Story(7, "نیا", "new")], {ids[4]: 7}, replace_all=True)  # a rebuild starts clean
    assert [s.id for s in st.list_stories()] == [7] and st.get_story(7).article_ids == [ids[4]]
    assert st.get_article(ids[0], full=False).story_id is None


def test_story_ids_of_many_articles_in_one_read(st):
    ids = [st.add_article(make_article(i))[0] for i in range(3)]
    st.save_stories([Story(4, "شام", "Syria")], {ids[0]: 4, ids[2]: 4})
    assert st.story_ids([ids[2], ids[1], ids[0], 10**9]) == {ids[0]: 4, ids[1]: None, ids[2]: 4}  # unknown id left out
    assert st.story_ids([]) == {}


def test_articles_read_by_ids_together_equal_those_read_one_by_one(st):
    ids = [st.add_article(make_article(i))[0] for i in range(3)]
    wanted = [ids[2], ids[0], ids[2]]
    for full in (True, False):
        got = list(st.iter_articles(ids=wanted, full=full, batch=2))
        assert got == [st.get_article(i, full=full) for i in wanted] and got[0] is not got[2]
    assert got[0].mentions == [] and len(st.get_article(ids[0]).mentions) == 1  # full=False: no analyses
    read = []
    with pytest.raises(NotFound):
        for a in st.iter_articles(ids=[ids[1], 10**9]):
            read.append(a.id)
    assert read == [ids[1]]  # the articles before the missing one are yielded


def test_articles_read_with_some_parts_hold_those_parts_only(st):
    ids = [st.add_article(make_article(i))[0] for i in range(3)]
    whole = {a.id: a for a in st.iter_articles(ids=ids)}
    assert all(a.sentences and a.mentions and a.events and a.quotes for a in whole.values())
    for parts in (("mentions", "events"), ("sentences",), ()):
        for got in (list(st.iter_articles(ids=ids, parts=parts)), list(st.iter_articles(parts=parts, batch=2))):
            assert [a.id for a in got] == ids
            for a in got:
                for name in ("sentences", "mentions", "events", "quotes"):
                    assert getattr(a, name) == (getattr(whole[a.id], name) if name in parts else []), (parts, name)
                assert (a.body, a.headline, a.story_id) == (whole[a.id].body, whole[a.id].headline, whole[a.id].story_id)
    with pytest.raises(ValueError, match="unknown article parts"):
        list(st.iter_articles(ids=ids, parts=("mentions", "entities")))


def test_ids_by_date_is_a_window_oldest_first(st):
    arts = [make_article(i) for i in (5, 1, 3, 9)]  # published 2021-01-06, -02, -04, -10
    undated = make_article(20)
    undated.published = None
    ids = [st.add_article(a)[0] for a in [*arts, undated]]
    assert st.ids_by_date(dt.date(2021, 1, 2), dt.date(2021, 1, 6)) == [ids[1], ids[2], ids[0]]
    assert st.ids_by_date(dt.date(2021, 1, 3), dt.date(2021, 1, 3)) == []
    assert st.ids_by_date(dt.date(2021, 1, 5), dt.date(2021, 1, 6), since_id=ids[3]) == [ids[0], ids[3], ids[4]]
    assert st.ids_by_date(dt.date.min, dt.date.max, since_id=0) == [ids[1], ids[2], ids[0], ids[3], ids[4]]


def test_blobs(st):
    st.put_blobs("minhash", {"1": b"\x00\x01", "2": b"\xff"})
    st.put_blobs("minhash", {"2": b"\xfe"})
    assert st.get_blobs("minhash") == {"1": b"\x00\x01", "2": b"\xfe"}
    assert st.get_blobs("minhash", ["2", "9"]) == {"2": b"\xfe"}
    assert st.get_blobs("other") == {}
    assert st.blob_keys("minhash") == {"1", "2"} and st.blob_keys("other") == set()
    st.put_blobs("other", {"1": b"x"})
    st.delete_blobs("minhash", ["1", "9"])
    assert st.get_blobs("minhash") == {"2": b"\xfe"}
    st.delete_blobs("minhash")
    assert st.get_blobs("minhash") == {} and st.get_blobs("other") == {"1": b"x"}


def test_blobs_read_many_keys_in_one_call(st):
    st.put_blobs("sig", {str(k): str(k).encode() for k in range(0, 1500, 2)})  # more than one IN (...) batch
    got = st.get_blobs("sig", [str(k) for k in range(1499, -1, -1)] + ["10"])  # descending, one key repeated
    assert got == {str(k): str(k).encode() for k in range(1498, -1, -2)}
    assert st.get_blobs("sig", []) == {}


def test_concurrent_writers_exact_counts_and_hashes(db_url, tmp_path):
    """Four writers, each with its own connection, add overlapping articles: each stored once."""
    expected = open_store(str(tmp_path / "expected.db"))
    for i in range(40):
        expected.add_article(make_article(i))
    errors: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            with open_store(db_url) as s:
                for i in range(start, start + 20):  # ranges overlap: 0-19, 10-29, 20-39, 0-19 again
                    s.add_article(make_article(i % 40))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in (0, 10, 20, 40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(db_url) as s:
        assert s.count_articles() == 40
        assert fingerprint(s) == fingerprint(expected)
    expected.close()


def test_unassigned_ids_are_the_articles_no_story_holds(st):
    ids = [st.add_article(make_article(i))[0] for i in range(4)]
    assert st.unassigned_ids() == ids
    st.save_stories([Story(7, "شام", "Syria")], {ids[1]: 7, ids[3]: 7})
    assert st.unassigned_ids() == [ids[0], ids[2]]
