"""Real-browser tests: Playwright drives Debian's chromium against a live uvicorn on loopback."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FONT = "Akhbar Naskh"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (Debian package chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """uvicorn serving a seeded store in a background thread; yields the base URL."""
    import uvicorn

    from akhbar.api import create_app
    from tests._webdata import make_db

    app = create_app(make_db(tmp_path_factory.mktemp("browser") / "b.db"))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start on 127.0.0.1")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request leaving loopback."""
    ctx = browser.new_context(locale="ur-PK", viewport={"width": 1200, "height": 900})
    pg = ctx.new_page()
    pg.outside = []
    pg.on("request", lambda req: None if req.url.startswith(server) else pg.outside.append(req.url))
    yield pg
    ctx.close()


def assert_rtl_with_font(page) -> None:
    """The document is RTL Urdu and the shipped Naskh face is loaded and used for the body."""
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    statuses = page.evaluate(
        "name => [...document.fonts].filter(f => f.family.replace(/\"/g, '') === name).map(f => f.status)", FONT
    )
    assert "loaded" in statuses, statuses
    assert page.evaluate("name => document.fonts.check(`16px \"${name}\"`, 'مذاکرات')", FONT)
    assert FONT in page.evaluate("getComputedStyle(document.querySelector('main')).fontFamily")


def test_home_search_story_entity_journey(page, server, tmp_path):
    page.goto(server + "/")
    assert_rtl_with_font(page)
    assert page.get_by_role("heading", name="تازہ کہانیاں").is_visible()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    page.fill("#home-q", "مذاکرات")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search?q=*")
    marks = page.locator("mark")
    assert marks.count() >= 3 and marks.first.is_visible()
    assert set(marks.all_inner_texts()) == {"مذاکرات"}
    assert "نتائج" in page.inner_text("#result-count")
    assert_rtl_with_font(page)
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    page.goto(server + "/")
    page.click("li.story a.headline")
    page.wait_for_url("**/story/1")
    assert page.locator("h1.story-title").inner_text() == "شام پر روس اور امریکہ کے مذاکرات"
    assert page.locator("ol.timeline li").count() >= 2
    assert_rtl_with_font(page)
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    page.locator("section:has(h2:text('نام')) ul.tags a", has_text="روس").first.click()
    page.wait_for_url("**/entity/Q159")
    assert page.locator("h1.entity-title").inner_text() == "روس"
    assert page.locator("ul.spellings li").first.is_visible()
    assert page.locator("ul.related a").count() >= 1
    page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)

    for name in ("home", "search", "story", "entity"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    assert page.outside == []


def test_headline_is_laid_out_right_to_left(page, server):
    page.goto(server + "/article/1")
    box_h1 = page.locator("h1").bounding_box()
    box_main = page.locator("main").bounding_box()
    # RTL text hugs the right edge of its container
    assert abs((box_h1["x"] + box_h1["width"]) - (box_main["x"] + box_main["width"])) < 40
    url = page.locator("p.meta bdi.latin").first
    assert url.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_boilerplate_opens_on_demand(page, server):
    page.goto(server + "/article/1")
    removed = page.locator("details.removed .removed-text").first
    assert not removed.is_visible()
    page.click("details.removed summary")
    assert removed.is_visible() and "تصویر" in removed.inner_text()


def test_script_in_article_does_not_run(page, server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/article/6")
    assert "<script>" in page.locator("h1").inner_text()
    page.click("details.removed summary")
    assert dialogs == []


def test_pair_chart_renders(page, server, tmp_path):
    page.goto(server + "/pair/USA/RUS?bucket=year")
    chart = page.locator("svg.chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert page.locator("svg.chart rect.coop").count() == 3
    page.screenshot(path=str(tmp_path / "pair.png"), full_page=True)
    assert page.outside == []
