"""The crawler against recorded pages served on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from akhbar.crawl import CrawlConfig, Fetcher, Outlet, Politeness, crawl, load_config, stored_page
from akhbar.errors import InputError

DATA = Path(__file__).parent / "data" / "crawl"
ROUTES = {"/feed.xml": "feed.xml", "/news/a1.html": "a1.html", "/news/a2.html": "a2.html",
          "/private/p1.html": "private.html", "/robots.txt": "robots.txt"}


class Recorded(BaseHTTPRequestHandler):
    """Serves the recorded files with an ETag; /flaky fails twice; /slow never answers in time."""

    log: list[tuple[str, dict]] = []
    flaky_left = 0

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).log.append((self.path, dict(self.headers)))
        if self.path == "/flaky.xml" and type(self).flaky_left > 0:
            type(self).flaky_left -= 1
            return self._send(503, b"busy")
        name = ROUTES.get("/feed.xml" if self.path == "/flaky.xml" else self.path)
        if self.path == "/slow.xml":
            threading.Event().wait(1.5)
            return self._send(200, b"late")
        if name is None:
            return self._send(404, b"not here")
        body = (DATA / name).read_text("utf-8").replace("{BASE}", f"http://127.0.0.1:{self.server.server_port}")
        etag = f'"{hash(body) & 0xFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"")
        self._send(200, body.encode("utf-8"), {"ETag": etag, "Content-Type": "text/html; charset=utf-8"})

    def _send(self, status, body, headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # the client hung up on /slow: expected
        pass


@pytest.fixture
def server():
    Recorded.log, Recorded.flaky_left = [], 0
    httpd = QuietServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def _cfg(base: str, feed: str = "/feed.xml", **polite) -> CrawlConfig:
    return CrawlConfig([Outlet("Test Urdu", [base + feed])], Politeness(delay=0.0, backoff=0.0, **polite))


def test_crawl_ingests_new_pages_and_keeps_raw_html(server, store):
    report = crawl(_cfg(server), store)
    assert (report.pages, report.added) == (2, 2), report.errors
    assert any("robots.txt" in e for e in report.errors)  # /private/ is disallowed
    assert not any(path.startswith("/private/") for path, _ in Recorded.log)
    url = server + "/news/a1.html"
    [aid] = store.find_ids(url)
    article = store.get_article(aid)
    assert article.outlet == "Test Urdu" and "<footer>" in article.raw
    assert stored_page(store, url) == article.raw


def test_second_crawl_is_conditional_and_fetches_nothing_new(server, store):
    crawl(_cfg(server), store)
    Recorded.log.clear()
    report = crawl(_cfg(server), store)
    assert (report.unchanged, report.pages, report.added) == (1, 0, 0)
    feed_requests = [h for p, h in Recorded.log if p == "/feed.xml"]
    assert len(feed_requests) == 1 and "If-None-Match" in feed_requests[0]


def test_retries_with_backoff_then_succeeds(server, store):
    Recorded.flaky_left = 2
    waits: list[float] = []
    fetcher = Fetcher(store, Politeness(delay=0.0, backoff=0.5, retries=3), sleep=waits.append)
    got = fetcher.fetch(server + "/flaky.xml")
    assert got.status == 200 and got.text and "<rss" in got.text
    assert [w for w in waits if w > 0] == [0.5, 1.0]  # backoff doubles


def test_gives_up_after_retries(server, store):
    Recorded.flaky_left = 10
    fetcher = Fetcher(store, Politeness(delay=0.0, backoff=0.0, retries=1), sleep=lambda s: None)
    got = fetcher.fetch(server + "/flaky.xml")
    assert got.text is None and "HTTP 503 after 2 attempts" in got.error


def test_timeout_is_reported(server, store):
    fetcher = Fetcher(store, Politeness(delay=0.0, backoff=0.0, retries=0, timeout=0.3))
    got = fetcher.fetch(server + "/slow.xml")
    assert got.error and "timed out" in got.error


def test_per_host_rate_limit_spaces_requests(server, store):
    waits: list[float] = []
    fetcher = Fetcher(store, Politeness(delay=5.0), sleep=waits.append)
    fetcher.fetch(server + "/news/a1.html", conditional=False)
    fetcher.fetch(server + "/news/a2.html", conditional=False)
    assert len(waits) == 2 and all(4.0 < w <= 5.0 for w in waits)  # after robots.txt, after a1


def test_example_feeds_file_is_valid():
    cfg = load_config(Path(__file__).parents[1] / "examples" / "feeds.yaml")
    assert len(cfg.outlets) >= 5 and cfg.polite.delay >= 1
    assert all(u.startswith("https://") for o in cfg.outlets for u in o.feeds)


def test_bad_feeds_file_names_the_field(tmp_path):
    bad = tmp_path / "feeds.yaml"
    bad.write_text("outlets:\n  - name: X\n    feeds: [ftp://x]\n", encoding="utf-8")
    with pytest.raises(InputError, match="outlet 1"):
        load_config(bad)


def test_crawl_command(server, tmp_path):
    from typer.testing import CliRunner

    from akhbar.cli import app

    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"delay: 0\nbackoff: 0\noutlets:\n  - name: Test Urdu\n    feeds: ['{server}/feed.xml']\n",
                     encoding="utf-8")
    db = str(tmp_path / "crawl.db")
    result = CliRunner().invoke(app, ["crawl", str(feeds), "--db", db])
    assert result.exit_code == 0, result.output
    assert "pages=2 added=2" in result.output
