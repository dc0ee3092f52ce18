"""JSON API: every endpoint over a seeded store, bad parameters, auth on ingest, nothing stored on rejection."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from akhbar.api import create_app
from akhbar.store import open_store
from tests._webdata import SCRIPT, make_db

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """One seeded store for the read-only tests."""
    return make_db(tmp_path_factory.mktemp("api") / "read.db")


@pytest.fixture(scope="module")
def client(shared_db):
    with TestClient(create_app(shared_db)) as c:
        yield c


@pytest.fixture
def db(tmp_path):
    """A fresh seeded store for tests that write (ingest)."""
    return make_db(tmp_path / "api.db")


@pytest.fixture
def writer(db):
    with TestClient(create_app(db)) as c:
        yield c


def count(db: str) -> int:
    with open_store(db) as s:
        return s.count_articles()


def test_openapi_schema_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/search", "/api/stories",
                 "/api/stories/{story_id}", "/api/entities", "/api/entities/{entity_id}", "/api/events",
                 "/api/timeline"):
        assert path in paths
    assert "post" in paths["/api/articles"]


def test_docs_page_is_served_without_a_cdn(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "/api/search" in r.text
    assert "cdn" not in r.text.lower()


def test_articles_list_newest_first_with_total(client):
    body = client.get("/api/articles", params={"limit": 3}).json()
    assert body["total"] == 6 and len(body["items"]) == 3
    dates = [a["published"] for a in body["items"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"outlet": "BBC Urdu"}, 5), ({"date_from": "2017-11-11", "date_to": "2017-11-30"}, 3),
     ({"entity": "Q7184"}, None), ({"story": 1}, 3)],
)
def test_articles_filters(client, params, expected):
    body = client.get("/api/articles", params=params).json()
    if expected is None:  # entity filter: every listed article mentions the entity
        assert body["total"] >= 1
        for item in body["items"]:
            detail = client.get(f"/api/articles/{item['id']}").json()
            assert any(m["entity_id"] == "Q7184" for m in detail["mentions"])
    else:
        assert body["total"] == expected


def test_articles_pagination_does_not_repeat(client):
    first = client.get("/api/articles", params={"limit": 3, "offset": 0}).json()["items"]
    second = client.get("/api/articles", params={"limit": 3, "offset": 3}).json()["items"]
    assert not {a["id"] for a in first} & {a["id"] for a in second}


def test_article_detail_has_text_and_analyses(client):
    art = client.get("/api/articles/1").json()
    assert art["body"] and art["sentences"] and art["mentions"] and art["events"] and art["quotes"]
    s = art["sentences"][0]
    assert art["body"][s["start"]:s["end"]] == s["text"]
    assert all(e["article_id"] == 1 for e in art["events"])
    assert art["removed"][0]["rule"] == "caption"


def test_article_not_found_is_json_404(client):
    r = client.get("/api/articles/999")
    assert r.status_code == 404
    assert "999" in r.json()["error"]


@pytest.mark.parametrize("url", ["/api/articles/abc", "/api/articles?limit=0", "/api/articles?limit=9999",
                                 "/api/articles?date_from=yesterday", "/api/search", "/api/stories?order=oldest",
                                 "/api/entities?type=XYZ", "/api/events?format=xml", "/api/timeline?a=USA",
                                 "/api/timeline?a=USA&b=RUS&bucket=week"])
def test_bad_parameters_are_clear_json_errors(client, url):
    r = client.get(url)
    assert r.status_code == 422
    body = r.json()
    assert body["error"].startswith("invalid request")
    assert body["detail"]


def test_search_returns_highlight_spans_in_snippet_text(client):
    body = client.get("/api/search", params={"q": "مذاکرات"}).json()
    assert body["total"] >= 3
    for hit in body["items"]:
        for snip in hit["snippets"]:
            for start, end in snip["highlights"]:
                assert snip["text"][start:end] == "مذاکرات"


def test_search_with_entity_and_dates_narrows(client):
    all_hits = client.get("/api/search", params={"q": "مذاکرات"}).json()["total"]
    narrowed = client.get("/api/search", params={"q": "مذاکرات", "date_to": "2016-01-01"}).json()
    assert narrowed["total"] < all_hits
    assert all(h["article"]["published"] <= "2016-01-01" for h in narrowed["items"])
    by_entity = client.get("/api/search", params={"q": "مذاکرات", "entity": "Q159"}).json()
    assert by_entity["total"] >= 1 and by_entity["total"] < all_hits


def test_search_query_without_words_is_400(client):
    r = client.get("/api/search", params={"q": "!!!"})
    assert r.status_code == 400
    assert "no words" in r.json()["error"]


def test_stories_list_and_detail(client):
    stories = client.get("/api/stories").json()["items"]
    assert [s["id"] for s in stories] == [1]
    story = client.get("/api/stories/1").json()
    assert len(story["articles"]) == 3 and story["summary"]
    dates = [e["date"] for e in story["timeline"]]
    assert dates == sorted(dates)
    assert {e["id"] for e in story["entities"]} >= {"Q159", "Q30"}


def test_story_counts_outlets_and_summary_length(client):
    listed = client.get("/api/stories").json()["items"][0]
    assert listed["article_count"] == len(listed["article_ids"]) == 3
    story = client.get("/api/stories/1").json()
    assert story["outlets"] and set(story["outlets"]) == {a["outlet"] for a in story["articles"] if a["outlet"]}
    assert len(client.get("/api/stories/1", params={"sentences": 2}).json()["summary"]) == 2
    assert len(client.get("/api/stories/1", params={"sentences": 4}).json()["summary"]) == 4
    r = client.get("/api/stories/1", params={"sentences": 0})
    assert r.status_code == 422 and "sentences" in r.json()["error"]


def test_story_not_found(client):
    r = client.get("/api/stories/42")
    assert r.status_code == 404 and "42" in r.json()["error"]


def test_entities_list_and_detail(client):
    items = client.get("/api/entities", params={"type": "GPE"}).json()["items"]
    assert items and all(e["type"] == "GPE" for e in items)
    ent = client.get("/api/entities/Q30").json()
    assert ent["in_knowledge_base"] and ent["article_count"] >= 1
    assert {s["surface"] for s in ent["surfaces"]} <= {"امریکہ", "امریکا"}
    assert "Q159" in {r["id"] for r in ent["related"]}
    assert ent["events"]


def test_unknown_entity_is_404_naming_it(client):
    r = client.get("/api/entities/Q000")
    assert r.status_code == 404 and "Q000" in r.json()["error"]


def test_events_filters_and_exports(client):
    both = client.get("/api/events", params={"a": "RUS", "b": "USA"}).json()["items"]
    assert {e["type"] for e in both} == {"CONSULT", "THREATEN"}
    typed = client.get("/api/events", params={"type": "THREATEN"}).json()["items"]
    assert typed and all(e["type"] == "THREATEN" for e in typed)
    csv_text = client.get("/api/events", params={"a": "USA", "b": "RUS", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == len(both) and rows[0]["evidence"]
    lines = client.get("/api/events", params={"format": "jsonl", "date_from": "2017-01-01"}).text.splitlines()
    assert lines and all(json.loads(ln)["date"] >= "2017-01-01" for ln in lines)


def test_events_half_pair_is_400(client):
    r = client.get("/api/events", params={"a": "USA"})
    assert r.status_code == 400 and "both a and b" in r.json()["error"]


def test_timeline_separates_cooperation_and_conflict(client):
    body = client.get("/api/timeline", params={"a": "USA", "b": "RUS", "bucket": "year"}).json()
    periods = [p["period"] for p in body["points"]]
    assert periods == sorted(periods) and "2017" in periods
    p2017 = next(p for p in body["points"] if p["period"] == "2017")
    assert p2017["cooperation"] > 0 > p2017["conflict"]
    assert p2017["net"] == pytest.approx(p2017["cooperation"] + p2017["conflict"])


# -- ingest --------------------------------------------------------------------------------------
ARTICLE = {"text": "امریکہ اور روس کے درمیان نئے مذاکرات شروع ہو گئے۔ دونوں ممالک نے بیان جاری کیا۔",
           "headline": "نئے مذاکرات", "outlet": "Test", "published": "2020-02-02"}


def test_ingest_refused_when_server_has_no_token(writer, db, monkeypatch):
    monkeypatch.delenv("AKHBAR_TOKEN", raising=False)
    r = writer.post("/api/articles", json=ARTICLE, headers={"X-Akhbar-Token": "anything"})
    assert r.status_code == 403 and "AKHBAR_TOKEN" in r.json()["error"]
    assert count(db) == 6


@pytest.mark.parametrize("headers", [{}, {"X-Akhbar-Token": "wrong"}, {"Authorization": "Bearer wrong"}])
def test_ingest_needs_the_right_token(writer, db, monkeypatch, headers):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    r = writer.post("/api/articles", json=ARTICLE, headers=headers)
    assert r.status_code == 401 and "token" in r.json()["error"]
    assert count(db) == 6


def test_ingest_json_stores_once(writer, db, monkeypatch):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    r = writer.post("/api/articles", json=ARTICLE, headers={"X-Akhbar-Token": TOKEN})
    assert r.status_code == 201 and r.json()["created"]
    again = writer.post("/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 200 and again.json() == {**r.json(), "created": False}
    assert count(db) == 7
    assert writer.get(f"/api/articles/{r.json()['id']}").json()["published"] == "2020-02-02"


def test_ingest_file_upload(writer, db, monkeypatch):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    data = "اپ لوڈ کی گئی خبر\nروس نے نئے مذاکرات کی پیشکش کی ہے۔".encode()
    r = writer.post("/api/articles", files={"file": ("news.txt", data, "text/plain")},
                    data={"outlet": "Upload"}, headers={"X-Akhbar-Token": TOKEN})
    assert r.status_code == 201, r.text
    assert count(db) == 7


@pytest.mark.parametrize(
    ("payload", "field"),
    [({**ARTICLE, "text": ""}, "text"), ({**ARTICLE, "published": "2020-13-45"}, "published"),
     ({"headline": "x"}, "text"), ({**ARTICLE, "colour": "red"}, "colour"), ({**ARTICLE, "format": "pdf"}, "format")],
)
def test_ingest_validation_errors_name_the_field_and_store_nothing(writer, db, monkeypatch, payload, field):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    r = writer.post("/api/articles", json=payload, headers={"X-Akhbar-Token": TOKEN})
    assert r.status_code == 422
    assert field in r.json()["error"]
    assert count(db) == 6


def test_ingest_rejects_broken_json_and_other_content_types(writer, db, monkeypatch):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    hdr = {"X-Akhbar-Token": TOKEN}
    broken = writer.post("/api/articles", content=b"{not json", headers={**hdr, "Content-Type": "application/json"})
    assert broken.status_code == 422 and "JSON" in broken.json()["error"]
    plain = writer.post("/api/articles", content=b"text", headers={**hdr, "Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert count(db) == 6


def test_script_tags_survive_as_data_in_json(client):
    items = client.get("/api/search", params={"q": "خطرناک"}).json()["items"]
    assert SCRIPT in items[0]["article"]["headline"]


def test_ingest_runs_the_pipeline_on_html(writer, db, monkeypatch):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    paras = "".join(f"<p>{ARTICLE['text']} یہ پیراگراف نمبر {i} ہے جس میں مزید تفصیل دی گئی ہے۔</p>" for i in range(6))
    html = f"<html><head><title>نئی خبر</title></head><body><nav>سرورق | کھیل</nav><article>{paras}</article></body></html>"
    r = writer.post("/api/articles", json={"text": html, "format": "html", "url": "https://example.org/html-1"},
                    headers={"X-Akhbar-Token": TOKEN})
    assert r.status_code == 201, r.text
    art = writer.get(f"/api/articles/{r.json()['id']}").json()
    assert "<p>" not in art["body"] and "مذاکرات" in art["body"]
    assert art["sentences"]


def test_ingest_of_text_with_nothing_left_after_cleaning_is_rejected(writer, db, monkeypatch):
    monkeypatch.setenv("AKHBAR_TOKEN", TOKEN)
    r = writer.post("/api/articles", json={"text": "<html><body></body></html>", "format": "html"},
                    headers={"X-Akhbar-Token": TOKEN})
    assert r.status_code == 422 and r.json()["error"]
    assert count(db) == 6


def test_serve_command_is_registered_with_its_options():
    from typer.testing import CliRunner

    from akhbar.cli import app

    out = CliRunner().invoke(app, ["serve", "--help"]).output
    for option in ("--db", "--host", "--port", "127.0.0.1", "8000"):
        assert option in out


def test_serve_refuses_a_store_it_cannot_open(tmp_path):
    from typer.testing import CliRunner

    from akhbar.cli import app
    from akhbar.errors import StoreError

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "missing" / "x.db")])
    assert isinstance(result.exception, StoreError) and "missing" in str(result.exception)
