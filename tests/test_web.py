"""Server-rendered pages: RTL markup, escaping, highlights, empty states, 404s, pagination, assets."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from akhbar.api import create_app
from akhbar.model import Article
from akhbar.store import open_store
from akhbar.web import STATIC_DIR
from akhbar.web.pages import link
from tests._webdata import SCRIPT, make_db

PAGES = ["/", "/search?q=مذاکرات", "/story/1", "/entity/Q159", "/article/1", "/pair/USA/RUS", "/articles",
         "/stories", "/entities", "/pair", "/docs"]


class _Tags(HTMLParser):
    """Collects start tags with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(create_app(make_db(tmp_path_factory.mktemp("web") / "web.db"))) as c:
        yield c


@pytest.fixture
def empty_client(tmp_path):
    with TestClient(create_app(make_db(tmp_path / "empty.db", empty=True))) as c:
        yield c


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_rtl_urdu_and_ships_its_own_assets(client, url):
    r = client.get(url)
    assert r.status_code == 200
    html_tag = next(attrs for tag, attrs in tags(r.text) if tag == "html")
    assert html_tag == {"lang": "ur", "dir": "rtl"}
    for tag, attrs in tags(r.text):
        if tag in ("link", "script", "img"):
            ref = attrs.get("href") or attrs.get("src") or ""
            assert "/static/" in ref and "cdn" not in ref


@pytest.mark.parametrize("url", ["/article/6", "/search?q=خطرناک", "/articles", "/story/1", "/"])
def test_script_tags_in_data_are_escaped(client, url):
    text = client.get(url).text
    assert SCRIPT not in text
    assert "<b>" not in text


def test_javascript_url_is_not_a_link(client):
    text = client.get("/article/6").text
    assert "javascript:alert(1)" in text and 'href="javascript:' not in text


def test_script_in_query_is_escaped(client):
    text = client.get("/search", params={"q": SCRIPT}).text
    assert SCRIPT not in text and "&lt;script&gt;" in text


def test_search_highlights_with_mark(client):
    text = client.get("/search", params={"q": "مذاکرات"}).text
    marks = re.findall(r"<mark>(.*?)</mark>", text)
    assert marks and set(marks) == {"مذاکرات"}


def test_search_with_arabic_letters_highlights_the_urdu_original(client):
    # the query uses Arabic kaf (U+0643); the text has Urdu keheh (U+06A9): the mark shows the original
    text = client.get("/search", params={"q": "مذا\u0643رات"}).text
    assert set(re.findall(r"<mark>(.*?)</mark>", text)) == {"مذاکرات"}


def test_search_count_beyond_the_cap_is_shown_as_a_lower_bound(client, monkeypatch):
    from akhbar import search

    exact = re.search(r'id="result-count">(.*?)</p>', client.get("/search", params={"q": "روس"}).text).group(1)
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    monkeypatch.setattr(search, "RANK_WINDOW", 1)
    capped = re.search(r'id="result-count">(.*?)</p>', client.get("/search", params={"q": "روس"}).text).group(1)
    assert "+" not in exact and "+" in capped and "تازہ ترین پہلے" in capped


def test_search_no_results_says_so(client):
    text = client.get("/search", params={"q": "زلزلہ"}).text
    assert "کوئی خبر نہیں ملی" in text and "زلزلہ" in text


def test_search_empty_query_prompts(client):
    text = client.get("/search").text
    assert "کچھ الفاظ لکھ کر تلاش کریں" in text


def test_search_without_words_is_400_page(client):
    r = client.get("/search", params={"q": "!!!"})
    assert r.status_code == 400 and "no words" in r.text


def test_article_page_hides_boilerplate_in_details(client):
    text = client.get("/article/1").text
    details = text[text.index("<details"):text.index("</details>")]
    assert "،تصویر" in details
    body = text[text.index('<div class="body">'):text.index("</div>", text.index('<div class="body">'))]
    assert "،تصویر" not in body
    assert 'class="mention" href="/entity/Q159"' in body


def test_dates_and_numbers_are_isolated(client):
    text = client.get("/article/1").text
    assert '<time datetime="2015-09-18"><bdi>18 ستمبر 2015</bdi></time>' in text
    assert '<bdi dir="ltr" class="latin">https://example.org/' in text


def test_story_page_groups_by_outlet_and_orders_timeline(client):
    text = client.get("/story/1").text
    assert "شام پر روس اور امریکہ کے مذاکرات" in text and "BBC Urdu" in text
    dates = re.findall(r'<li class="event [a-z]+">\s*<time datetime="([\d-]+)"', text)
    assert dates and dates == sorted(dates)


def test_story_page_summary_length_follows_sentences(client):
    def items(url: str) -> int:
        text = client.get(url).text
        return text[text.index('<ul class="summary">'):].split("</ul>")[0].count("<li>")

    assert items("/story/1?sentences=2") == 2 and items("/story/1?sentences=4") == 4


def test_entity_page_shows_spellings_related_and_events(client):
    text = client.get("/entity/Q30").text
    spellings = text[text.index('class="tags spellings"'):]
    assert "امریکہ" in spellings[:400] or "امریکا" in spellings[:400]
    assert 'href="/entity/Q159"' in text
    assert 'href="/pair/USA/RUS"' in text


def test_pair_page_draws_a_chart(client):
    text = client.get("/pair/USA/RUS", params={"bucket": "year"}).text
    svg = text[text.index("<svg"):text.index("</svg>")]
    assert svg.count('class="coop"') == 3 and svg.count('class="conflict"') == 3
    assert 'data-period="2017"' in svg


def test_pair_form_redirects_to_pair_page(client):
    r = client.get("/pair", params={"a": "USA", "b": "RUS"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("/pair/USA/RUS")


def test_pair_without_events_has_empty_state(client):
    assert "کوئی تاریخ والا واقعہ نہیں ملا" in client.get("/pair/XXX/YYY").text


@pytest.mark.parametrize(("url", "what"), [("/article/999", "no article with id 999"),
                                          ("/story/77", "no story with id 77"),
                                          ("/entity/Q000", "Q000"), ("/nowhere", "/nowhere")])
def test_404_pages_say_what_was_not_found(client, url, what):
    r = client.get(url)
    assert r.status_code == 404
    assert "نہیں ملا" in r.text and what in r.text


def test_bad_page_parameter_is_an_html_error(client):
    r = client.get("/articles", params={"page": 0})
    assert r.status_code == 422 and "page" in r.text and 'dir="rtl"' in r.text


@pytest.mark.parametrize(("url", "message"), [
    ("/", "ابھی کوئی کہانی نہیں بنی"), ("/", "ابھی کوئی خبر محفوظ نہیں"), ("/stories", "ابھی کوئی کہانی نہیں بنی"),
    ("/entities", "ابھی کوئی نام نہیں پہچانا گیا"), ("/articles", "کوئی خبر نہیں ملی"),
    ("/search?q=مذاکرات", "کوئی خبر نہیں ملی"),
])
def test_empty_store_shows_empty_states(empty_client, url, message):
    r = empty_client.get(url)
    assert r.status_code == 200 and message in r.text


def test_pagination_links_move_through_pages(tmp_path):
    db = str(tmp_path / "many.db")
    with open_store(db) as store:
        for i in range(25):
            store.add_article(Article(raw="x", body=f"مذاکرات کا دور نمبر {i}۔", headline=f"خبر {i}",
                                      published=dt.date(2020, 1, 1) + dt.timedelta(days=i)))
    with TestClient(create_app(db)) as c:
        first = c.get("/search", params={"q": "مذاکرات"}).text
        assert 'rel="next"' in first and 'rel="prev"' not in first
        nxt = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
        second = c.get(nxt).text
        assert 'rel="prev"' in second and "صفحہ <bdi dir=\"ltr\" class=\"num\">2</bdi> از <bdi dir=\"ltr\" class=\"num\">3</bdi>" in second
        last = c.get("/articles", params={"page": 2}).text
        assert last.count('<li class="article">') == 5 and 'rel="next"' not in last


def test_font_and_licence_ship_with_the_package(client):
    css = client.get("/static/style.css").text
    fonts = re.findall(r'url\("fonts/([^"]+)"\)', css)
    assert fonts
    for name in fonts:
        r = client.get(f"/static/fonts/{name}")
        assert r.status_code == 200 and r.content[:4] == b"wOF2"
    assert "SIL Open Font License" in (STATIC_DIR / "fonts" / "OFL.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def seeded_by_pipeline(tmp_path_factory):
    """The seed files ingested by the real pipeline (cleaning, entities and whatever stages exist)."""
    from akhbar.pipeline import ingest_paths
    from tests._webdata import SEEDS

    db = str(tmp_path_factory.mktemp("pipeline") / "seeds.db")
    with open_store(db) as store:
        ingest_paths([SEEDS], store)
    with TestClient(create_app(db)) as c:
        yield c, db


def test_pages_render_pipeline_output(seeded_by_pipeline):
    client, db = seeded_by_pipeline
    with open_store(db) as store:
        ids = [a.id for a in store.list_articles()]
        top = store.entity_stats(limit=3)
    assert len(ids) == 5
    for aid in ids:
        r = client.get(f"/article/{aid}")
        assert r.status_code == 200 and 'dir="rtl"' in r.text
    for ent in top:
        page = client.get(link("entity_page", entity_id=ent["id"])).text
        spellings = page[page.index('class="tags spellings"'):page.index("</ul>", page.index('class="tags spellings"'))]
        for surface in ent["surfaces"]:
            assert surface in spellings


def test_marked_cuts_text_at_spans_and_ignores_overlaps():
    from akhbar.web.render import marked

    pieces = marked("روس اور امریکہ", [(0, 3), (2, 6), (8, 14)])
    assert "".join(p for p, _ in pieces) == "روس اور امریکہ"
    assert [p for p, hl in pieces if hl] == ["روس", " او", "امریکہ"]


def test_linked_paragraphs_keep_text_and_link_mentions():
    from akhbar.model import Mention
    from akhbar.web.render import linked_paragraphs

    body = "روس نے کہا۔\n\nامریکہ خاموش رہا۔"
    paras = linked_paragraphs(body, [Mention(0, 3, "روس", "GPE", "Q159"), Mention(13, 19, "امریکہ", "GPE", "Q30"),
                                     Mention(1, 2, "x", "GPE", None)])
    assert ["".join(t for t, _ in p) for p in paras] == ["روس نے کہا۔", "امریکہ خاموش رہا۔"]
    assert [(t, e) for p in paras for t, e in p if e] == [("روس", "Q159"), ("امریکہ", "Q30")]


def test_chart_escapes_labels():
    from akhbar.api.queries import TimelinePoint
    from akhbar.web.charts import cooperation_conflict_svg

    svg = cooperation_conflict_svg([TimelinePoint("2020", 1, 2.0, -1.0)], title=SCRIPT)
    assert SCRIPT not in svg and "&lt;script&gt;" in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_links_quote_entity_ids():
    assert link("entity_page", entity_id="Vladimir Putin") == "/entity/Vladimir%20Putin"
    assert link("static", path="fonts/OFL.txt") == "/static/fonts/OFL.txt"


def test_story_page_counts_every_article_of_a_large_story(tmp_path):
    from akhbar.api.queries import MAX_PROFILE_ARTICLES
    from akhbar.model import Story

    n = MAX_PROFILE_ARTICLES + 5
    with open_store(str(tmp_path / "big.db")) as s:
        ids = [s.add_article(Article(raw=f"خبر {i}", body=f"کراچی میں بارش کی خبر نمبر {i}", headline=f"بارش {i}",
                                     published=dt.date(2020, 1, 1) + dt.timedelta(days=i % 20)))[0] for i in range(n)]
        s.save_stories([Story(1, "کراچی میں بارش", "", ids, dt.date(2020, 1, 1), dt.date(2020, 1, 20))],
                       dict.fromkeys(ids, 1))
    with TestClient(create_app(str(tmp_path / "big.db"))) as c:
        text = c.get("/story/1").text
    assert f'<bdi dir="ltr" class="num">{n}</bdi> خبریں' in text


def test_story_page_lists_each_outlets_articles_by_date_whatever_the_storage_order(tmp_path):
    from akhbar.model import Story

    days = [dt.date(2020, 1, d) for d in (9, 2, 5, 1)]  # stored out of date order, as parallel ingest does
    with open_store(str(tmp_path / "order.db")) as s:
        ids = [s.add_article(Article(raw=f"خبر {i}", body=f"کراچی میں بارش کی خبر {i}", headline=f"بارش {i}",
                                     outlet="APP", published=d))[0] for i, d in enumerate(days)]
        s.save_stories([Story(1, "کراچی میں بارش", "", ids, min(days), max(days))], dict.fromkeys(ids, 1))
    with TestClient(create_app(str(tmp_path / "order.db"))) as c:
        listed = re.findall(r'<time datetime="([\d-]+)"', c.get("/story/1").text.split("خبریں بلحاظ ادارہ")[1])
        api = [a["published"] for a in c.get("/api/stories/1").json()["articles"]]
    assert listed == sorted(listed) and len(listed) == 4
    assert api == sorted(api)
