"""Polite HTTP fetching: robots.txt, a per-host rate limit, conditional GET, retries, timeouts.

Validators (ETag, Last-Modified) are kept in the store's blobs (kind `crawl.http`), so a
second crawl asks "changed since?" and an unchanged feed costs one 304 response.
"""

from __future__ import annotations

import json
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from akhbar.store import Store

HTTP_KIND = "crawl.http"
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class Politeness:
    """How to behave towards each host (read from FEEDS.yaml)."""

    user_agent: str = "akhbar/0.1 (Urdu news research; polite crawler)"
    delay: float = 2.0  # seconds between two requests to one host
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long, then doubles


@dataclass
class Fetched:
    """One fetch: status, text (None when unchanged or failed) and why it failed."""

    url: str
    status: int
    text: str | None = None
    not_modified: bool = False
    error: str | None = None
    disallowed: bool = False
    headers: dict[str, str] = field(default_factory=dict)


class Fetcher:
    """An HTTP client that obeys robots.txt, spaces requests per host and retries with backoff."""

    def __init__(self, store: Store, polite: Politeness | None = None,
                 sleep: Callable[[float], None] = time.sleep, transport: httpx.BaseTransport | None = None):
        self.store, self.polite, self.sleep = store, polite or Politeness(), sleep
        self.client = httpx.Client(headers={"User-Agent": self.polite.user_agent}, timeout=self.polite.timeout,
                                   follow_redirects=True, transport=transport)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            gap = self.polite.delay - (time.monotonic() - last)
            if gap > 0:
                self.sleep(gap)
        self._last[host] = time.monotonic()

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response | str:
        """GET with retries; the response, or a message saying why it failed."""
        host = urlsplit(url).netloc
        wait, problem = self.polite.backoff, ""
        for attempt in range(self.polite.retries + 1):
            if attempt:
                self.sleep(wait)
                wait *= 2
            self._wait_turn(host)
            self.requests += 1
            try:
                resp = self.client.get(url, headers=headers)
            except httpx.TimeoutException:
                problem = f"timed out after {self.polite.timeout:.0f} s"
                continue
            except httpx.HTTPError as exc:
                problem = f"connection failed ({exc.__class__.__name__}: {exc})"
                continue
            if resp.status_code in RETRY_STATUS:
                problem = f"HTTP {resp.status_code}"
                continue
            return resp
        return f"{url}: {problem} after {self.polite.retries + 1} attempts"

    def allowed(self, url: str) -> bool:
        """True when the host's robots.txt lets our user agent fetch `url` (no robots.txt: allowed)."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(base)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser(base + "/robots.txt")
            resp = self._get(base + "/robots.txt", {})
            if isinstance(resp, str) or resp.status_code >= 500:
                parser.disallow_all = True  # unreachable robots.txt: stay away, as RFC 9309 advises
            elif resp.status_code >= 400:
                parser.allow_all = True
            else:
                parser.parse(resp.text.splitlines())
            self._robots[base] = parser
        return parser.can_fetch(self.polite.user_agent, url)

    def fetch(self, url: str, *, conditional: bool = True) -> Fetched:
        """GET `url` politely; with `conditional`, send the stored validators and store new ones."""
        if not self.allowed(url):
            return Fetched(url, 0, error=f"{url}: disallowed by robots.txt", disallowed=True)
        headers: dict[str, str] = {}
        if conditional:
            saved = self.store.get_blobs(HTTP_KIND, [url]).get(url)
            if saved:
                validators = json.loads(saved)
                if validators.get("etag"):
                    headers["If-None-Match"] = validators["etag"]
                if validators.get("last_modified"):
                    headers["If-Modified-Since"] = validators["last_modified"]
        resp = self._get(url, headers)
        if isinstance(resp, str):
            return Fetched(url, 0, error=resp)
        if resp.status_code == 304:
            return Fetched(url, 304, not_modified=True)
        if resp.status_code >= 400:
            return Fetched(url, resp.status_code, error=f"{url}: HTTP {resp.status_code}")
        if conditional:
            validators = {"etag": resp.headers.get("ETag"), "last_modified": resp.headers.get("Last-Modified")}
            if any(validators.values()):
                self.store.put_blobs(HTTP_KIND, {url: json.dumps(validators).encode()})
        return Fetched(url, resp.status_code, text=resp.text, headers=dict(resp.headers))
