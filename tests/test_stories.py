"""Story clustering on the seeds, incremental updates through the store, the CLI and COUNTER."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import need_shared
from typer.testing import CliRunner

import akhbar.stories as stories
from akhbar.ingest.counter import read_counter, to_article
from akhbar.model import Article
from akhbar.stories.cluster import Clusterer


def _add_seeds(store, seeds_dir, names=None) -> dict[str, int]:
    ids = {}
    for p in sorted(seeds_dir.glob("*.txt")):
        stem = p.name[:3]
        if names and stem not in names:
            continue
        text = p.read_text("utf-8")
        lines = [ln for ln in text.splitlines() if ln.strip()]
        art = Article(raw=text, body=text, headline=lines[0].strip(), source_id=p.stem)
        ids[stem] = store.add_article(art)[0]
    return ids


def _story_of(store, article_id: int) -> int:
    return store.get_article(article_id, full=False).story_id


def test_seed_000_and_001_share_a_story_or_thread(store, seeds_dir):
    ids = _add_seeds(store, seeds_dir)
    stories.update(store, list(ids.values()))
    s0, s1 = store.get_story(_story_of(store, ids["000"])), store.get_story(_story_of(store, ids["001"]))
    assert s0.id == s1.id or (s0.thread_id is not None and s0.thread_id == s1.thread_id)


def test_later_seeds_are_not_merged_into_the_2015_story(store, seeds_dir):
    ids = _add_seeds(store, seeds_dir)
    stories.update(store, list(ids.values()))
    story_2015 = _story_of(store, ids["000"])
    assert _story_of(store, ids["003"]) != story_2015
    assert _story_of(store, ids["004"]) != story_2015


def test_update_is_incremental(store, seeds_dir):
    first = _add_seeds(store, seeds_dir, {"000", "003"})
    stories.update(store, list(first.values()))
    before = {k: _story_of(store, v) for k, v in first.items()}
    later = _add_seeds(store, seeds_dir, {"001", "004"})
    stories.update(store, list(later.values()))
    assert {k: _story_of(store, v) for k, v in first.items()} == before  # old assignments kept
    assert all(_story_of(store, v) is not None for v in later.values())
    assert store.count_articles() == 4 and sum(len(s.article_ids) for s in store.list_stories()) == 4


def test_time_window_splits_a_returning_story_into_a_thread():
    c = Clusterer()
    text = "روس اور امریکہ کے درمیان شام کے مسئلے پر مذاکرات ہوئے جن میں فوجی تعاون پر بات ہوئی۔"
    a = Article(raw=text, body=text, headline="شام پر روس امریکہ مذاکرات", id=1, published=dt.date(2015, 9, 18))
    b = Article(raw=text, body=text, headline="شام پر روس امریکہ مذاکرات", id=2, published=dt.date(2017, 11, 11))
    s1, s2 = c.add(a), c.add(b)
    assert s1 != s2
    assert c.stories[s1].thread is not None and c.stories[s1].thread == c.stories[s2].thread


def _story_about_russia(text: str, headline: str):
    """A clusterer holding one story whose article mentions Russia, and the vector of a second article of
    the same text without known entities."""
    from akhbar.model import Mention

    c = Clusterer()
    first = Article(raw=text, body=text, headline=headline, id=1)
    first.mentions = [Mention(0, 3, "روس", "GPE", entity_id="Russia")]
    story = c.stories[c.add(first)]
    return c, story, c.vector(Article(raw=text, body=text, headline=headline, id=2))


def test_entities_pull_articles_together_when_present():
    text = "وزیر نے کہا کہ مذاکرات جاری رہیں گے اور فریقین جلد کسی نتیجے پر پہنچیں گے۔"
    c, story, vec = _story_about_russia(text, "مذاکرات جاری")
    assert c.score(vec, {"Russia"}, set(), story) > c.score(vec, set(), set(), story)


def test_live_means_cover_the_live_stories_only(seeds_dir):
    texts = [p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    c = Clusterer(centroid_terms=20, retire_every=4)  # pruning drops indexed terms; old stories retire
    for i, text in enumerate(texts * 3, 1):
        c.add(Article(raw=text, body=text[: 200 * i], headline=text.split("۔")[0][:60], id=i,
                      published=dt.date(2015, 1, 1) + dt.timedelta(days=40 * (i % 4))))
    vec = c.vector(Article(raw=texts[0], body=texts[0], headline="شام", id=99))
    means = c._live_means(vec, list(c.stories))
    assert set(means) == c.live and len(means) >= 2
    assert any(means.values())
    assert all(means[sid] == c.stories[sid].mean_cosine(vec) for sid in means)  # same float, not just close


def test_a_batch_runs_without_cyclic_gc_and_restores_it(store, seeds_dir, monkeypatch):
    import gc

    seen = []
    real = stories._update
    monkeypatch.setattr(stories, "_update", lambda st, ids: (seen.append(gc.isenabled()), real(st, ids)))
    ids = _add_seeds(store, seeds_dir)
    stories.update(store, list(ids.values()))
    assert seen == [False] and gc.isenabled()
    with pytest.raises(RuntimeError):  # restored after a failed batch too
        monkeypatch.setattr(stories, "_update", lambda st, ids: (_ for _ in ()).throw(RuntimeError("boom")))
        stories.update(store, [1])
    assert gc.isenabled() and all(_story_of(store, i) is not None for i in ids.values())


def test_cli_lists_stories_and_threads_as_json(tmp_path, seeds_dir):
    from akhbar.cli import app
    from akhbar.store import open_store

    db = str(tmp_path / "cli.db")
    with open_store(db) as s:
        ids = _add_seeds(s, seeds_dir)
        stories.update(s, list(ids.values()))
    res = CliRunner().invoke(app, ["stories", "--db", db, "--json", "--order", "largest"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    listed = [sid for st in data["stories"] for sid in st["source_ids"]]
    assert sorted(listed) == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    assert all("stories" in t for t in data["threads"])
    one = CliRunner().invoke(app, ["story", str(data["stories"][0]["id"]), "--db", db, "--json"])
    assert one.exit_code == 0 and json.loads(one.output)["summary"]


@pytest.mark.slow
def test_counter_pairs_mostly_share_a_story():
    folder = need_shared("data", "counter")
    docs = list(read_counter(folder, limit=300))
    c = Clusterer()
    for i, d in enumerate(sorted(docs, key=lambda d: d.doc.published or dt.date.min), 1):
        a = to_article(d.doc)
        a.id = i
        c.add(a)
        d.doc.origin = i
    pairs: dict[str, list[int]] = {}
    for d in docs:
        pairs.setdefault(d.pair, []).append(d.doc.origin)
    together = [c.assign[m[0]] == c.assign[m[1]] for m in pairs.values() if len(m) == 2]
    assert sum(together) / len(together) >= 0.8


def test_seed_acceptance_through_the_real_ingest(store, seeds_dir):
    from akhbar.pipeline import ingest_paths

    ingest_paths([seeds_dir], store)  # cleaning, entities, events … then akhbar.stories.update
    story = {p.name[:3]: _story_of(store, store.find_ids(p.stem)[0]) for p in seeds_dir.glob("*.txt")}
    s0, s1 = store.get_story(story["000"]), store.get_story(story["001"])
    assert s0.id == s1.id or (s0.thread_id is not None and s0.thread_id == s1.thread_id)
    assert story["003"] != story["000"] and story["004"] != story["000"]
    assert all(s.label for s in store.list_stories())


def test_update_ignores_ids_already_clustered_or_repeated(store, seeds_dir):
    ids = list(_add_seeds(store, seeds_dir, {"000", "001"}).values())
    stories.update(store, ids + ids)
    before = [s.article_ids for s in store.list_stories()]
    stories.update(store, ids)
    assert [s.article_ids for s in store.list_stories()] == before
    assert sum(len(a) for a in before) == 2


def _dated_seeds(store, seeds_dir, names, year: int) -> list[int]:
    ids = list(_add_seeds(store, seeds_dir, names).values())
    for k, aid in enumerate(ids):  # the seeds state no date the store reads: give each one
        store.conn.execute("UPDATE articles SET published = ? WHERE id = ?", (dt.date(year, 3, 1 + k).isoformat(), aid))
    return ids


def test_update_works_on_the_time_window_and_keeps_retired_stories_out_of_the_live_state(tmp_path, seeds_dir, monkeypatch):
    import pickle

    from akhbar.store import open_store
    from akhbar.stories.config import params

    monkeypatch.setitem(params()["dedupe"], "recent_ids", 0)  # only the date window, not the last stored
    monkeypatch.setitem(params()["cluster"], "retire_every", 1)
    with open_store(str(tmp_path / "w.db")) as s:
        old = _dated_seeds(s, seeds_dir, {"000", "003"}, 2015)
        stories.update(s, old)
        old_stories = {_story_of(s, a) for a in old}
        new = _dated_seeds(s, seeds_dir, {"001", "004"}, 2019)
        read: list[tuple[str, str | None]] = []
        get_blobs = s.get_blobs
        monkeypatch.setattr(s, "get_blobs", lambda kind, keys=None: read.extend(
            (kind, k) for k in (keys if keys is not None else [None])) or get_blobs(kind, keys))
        stories.update(s, new)
        per_article = [(kind, k) for kind, k in read if kind in (stories.SIG_KIND, stories.PARENT_KIND)]
        assert per_article and not {k for _, k in per_article} & {None, *map(str, old)}  # no 2015 signature or link
        live = pickle.loads(get_blobs(stories.STATE_KIND)["cluster"])
        assert not old_stories & set(live.stories) and not live.assign
        assert {str(x) for x in old_stories} <= set(get_blobs(stories.RETIRED_KIND))
        assert [_story_of(s, a) for a in old] == [s.get_story(x).id for x in [_story_of(s, a) for a in old]]
        assert all(_story_of(s, a) not in old_stories for a in new)


def test_rebuild_from_scratch_matches_incremental_updates(store, seeds_dir):
    first = _add_seeds(store, seeds_dir, {"000", "003"})
    stories.update(store, list(first.values()))
    later = _add_seeds(store, seeds_dir, {"001", "002", "004"})
    stories.update(store, list(later.values()))
    ids = {**first, **later}

    def partition() -> set[frozenset[str]]:
        by: dict[int, set[str]] = {}
        for k, v in ids.items():
            by.setdefault(_story_of(store, v), set()).add(k)
        return {frozenset(g) for g in by.values()}

    before, groups = partition(), stories.duplicate_groups(store)
    stories.update(store, None)
    assert partition() == before and stories.duplicate_groups(store) == groups
    assert sum(len(s.article_ids) for s in store.list_stories()) == len(ids)


def test_groups_recorded_before_0_2_0_are_kept(store, seeds_dir):
    ids = list(_add_seeds(store, seeds_dir, {"000", "001"}).values())
    store.put_blobs(stories.STATE_KIND, {"parent": json.dumps({str(ids[1]): ids[0]}).encode()})  # the old layout
    later = list(_add_seeds(store, seeds_dir, {"002"}).values())
    stories.update(store, later)
    assert stories.duplicate_groups(store) == {ids[0]: ids[:2]}
    assert "parent" not in store.get_blobs(stories.STATE_KIND)


def test_a_large_live_story_is_redescribed_after_a_share_of_new_articles_and_when_it_closes():
    import math

    from akhbar.stories.cluster import StoryState
    from akhbar.stories.config import params

    p = params()["summary"]
    base = int(p["describe_articles"])
    need = math.ceil(p["redescribe_share"] * base)
    st = StoryState(1, article_ids=list(range(base)), described=base)
    st.article_ids += range(base, base + need - 1)
    assert not stories._due(st, closing=False) and stories._due(st, closing=True)
    st.article_ids.append(-1)
    assert stories._due(st, closing=False)
    assert stories._due(StoryState(2, article_ids=[1, 2], described=1), closing=False)  # a small story: every article
    assert not stories._due(StoryState(3, article_ids=[1], described=1), closing=True)  # nothing new


def test_story_state_pickled_before_described_existed_counts_as_never_described():
    import pickle

    from akhbar.stories.cluster import StoryState

    state = StoryState(4, article_ids=[1, 2], described=2).__reduce_ex__(pickle.HIGHEST_PROTOCOL)[2]
    del state[1]["described"]  # the slots of a 0.2 pickle
    old = StoryState.__new__(StoryState)
    old.__setstate__(state)
    assert old.described == 0 and old.article_ids == [1, 2] and old.id == 4


def test_texts_met_in_one_batch_are_not_read_again_in_the_next(store, seeds_dir, monkeypatch):
    first = _add_seeds(store, seeds_dir, {"000"})["000"]
    stories.update(store, [first])
    a, b = (p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))[:2])
    mixed = a[: len(a) // 2] + b[len(b) // 2 :]  # half a copy: the verifier reads both texts
    later = store.add_article(Article(raw=mixed, body=mixed, headline="شام", source_id="mixed"))[0]
    reads = []
    get_article = store.get_article
    monkeypatch.setattr(store, "get_article", lambda i, full=True: reads.append((i, full)) or get_article(i, full=full))
    stories.update(store, [later])
    assert (first, False) not in reads and store.get_article(later, full=False).story_id is not None


def test_the_next_batch_moves_the_last_window_index_unless_another_update_came_between(store, seeds_dir, monkeypatch):
    ids = _add_seeds(store, seeds_dir)
    stories.update(store, [ids["000"], ids["001"]])
    reads: list[tuple[str, str]] = []
    get_blobs = store.get_blobs
    monkeypatch.setattr(store, "get_blobs", lambda kind, keys=None: reads.extend(
        (kind, k) for k in (keys or [])) or get_blobs(kind, keys))
    stories.update(store, [ids["002"]])
    assert (stories.SIG_KIND, str(ids["000"])) not in reads  # the last batch's index, kept in memory
    store.put_blobs(stories.STATE_KIND, {"token": b"another process"})  # an update elsewhere in between
    stories.update(store, [ids["003"]])
    assert (stories.SIG_KIND, str(ids["000"])) in reads
    assert sum(len(s.article_ids) for s in store.list_stories()) == 4


def test_an_ingest_with_stories_catches_up_on_articles_stored_without(tmp_path, seeds_dir):
    """Articles stored by an ingest that never reached its corpus stages (--no-stories, or killed) get
    their stories from the next ingest, even when it adds nothing."""
    from akhbar.pipeline import ingest_paths
    from akhbar.store import open_store

    store = open_store(str(tmp_path / "late.db"))
    first = ingest_paths([seeds_dir], store, stories=False)
    assert first.added == 5 and len(store.unassigned_ids()) == 5
    again = ingest_paths([seeds_dir], store)
    assert again.added == 0 and again.existing == 5
    assert store.unassigned_ids() == []
    assert all(a.story_id is not None for a in store.iter_articles(full=False))
    assert store.list_stories(limit=10)


@pytest.mark.slow
def test_threads_link_returning_stories_not_whole_topics():
    from akhbar.evaluate.stories import load, thread_scores

    got = thread_scores(load(need_shared("data", "bend-the-truth")))
    assert got["largest_thread"] <= 10  # was 38 when a thread grew by chaining any story to its last link
    assert got["thread_purity"] >= 0.93  # same-thread story pairs within one of the five domains (was 0.823)


def test_a_thread_needs_a_shared_entity_when_both_stories_have_entities():
    text = "روس اور امریکہ کے درمیان شام کے مسئلے پر مذاکرات ہوئے جن میں فوجی تعاون پر بات ہوئی۔"
    c, story, vec = _story_about_russia(text, "شام پر مذاکرات")
    assert c._fits_thread(story, vec, {"Russia"}, set())
    assert c._fits_thread(story, vec, set(), set())  # no entities known: the text decides
    assert not c._fits_thread(story, vec, {"Egypt"}, set())
