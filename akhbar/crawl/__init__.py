"""Feed crawler: poll RSS/Atom feeds, fetch new article pages politely, keep raw HTML, ingest.

Raw pages are stored in the store's blobs (kind `crawl.page`, gzipped) and in each
article's `raw`, so re-processing never needs re-fetching; seen URLs (`crawl.seen`) are
skipped on the next run (a URL counts as seen once its article is stored, or once the
pipeline has rejected it, so a crash between fetch and store never loses a page).
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator
from dataclasses import dataclass, field

from akhbar.crawl.config import CrawlConfig, Outlet, load_config
from akhbar.crawl.fetch import Fetcher, Politeness
from akhbar.ingest.readers import RawDoc
from akhbar.store import Store

PAGE_KIND = "crawl.page"
SEEN_KIND = "crawl.seen"


@dataclass
class CrawlReport:
    """What one crawl did."""

    feeds: int = 0
    unchanged: int = 0
    pages: int = 0
    added: int = 0
    existing: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)


def _entries(text: str) -> list:
    import feedparser

    return list(feedparser.parse(text.encode("utf-8")).entries)


def _entry_date(entry) -> dt.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None


def _feed_docs(fetcher: Fetcher, outlet: Outlet, feed_url: str, cfg: CrawlConfig,
               report: CrawlReport) -> Iterator[RawDoc]:
    got = fetcher.fetch(feed_url)
    report.feeds += 1
    if got.error:
        report.errors.append(got.error)
        return
    if got.not_modified:
        report.unchanged += 1
        return
    store = fetcher.store
    for entry in _entries(got.text or "")[: cfg.max_pages]:
        link = entry.get("link")
        if not link or store.find_ids(link) or store.get_blobs(SEEN_KIND, [link]):
            continue
        html = None
        if outlet.fetch_pages:
            page = fetcher.fetch(link, conditional=False)
            if page.error:
                report.errors.append(page.error)
            if page.disallowed:  # the site asked robots not to read this page: skip it entirely
                continue
            html = page.text
        if not html:
            content = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
            if not content.strip():
                continue
            html = f"<html><body>{content}</body></html>"
        report.pages += 1
        store.put_blobs(PAGE_KIND, {link: gzip.compress(html.encode("utf-8"))})
        yield RawDoc(html, "html", link, link, url=link, title=entry.get("title"), outlet=outlet.name,
                     published=_entry_date(entry))
        store.put_blobs(SEEN_KIND, {link: b"1"})


def crawl(cfg: CrawlConfig, store: Store, *, fetcher: Fetcher | None = None, ingest: bool = True,
          workers: int = 1) -> CrawlReport:
    """Poll every feed of `cfg`, fetch new pages, keep their HTML and ingest them into `store`."""
    from akhbar import pipeline

    report = CrawlReport()
    own = fetcher is None
    fetcher = fetcher or Fetcher(store, cfg.polite)
    try:
        docs = (doc for outlet in cfg.outlets for url in outlet.feeds
                for doc in _feed_docs(fetcher, outlet, url, cfg, report))
        if ingest:
            result = pipeline.ingest_docs(docs, store, workers=workers)
            report.added, report.existing = result.added, result.existing
            report.errors += result.errors
        else:
            for _ in docs:
                pass
    finally:
        report.requests = fetcher.requests
        if own:
            fetcher.close()
    return report


def stored_page(store: Store, url: str) -> str | None:
    """The raw HTML kept for `url` by an earlier crawl, if any."""
    blob = store.get_blobs(PAGE_KIND, [url]).get(url)
    return gzip.decompress(blob).decode("utf-8") if blob else None


__all__ = ["CrawlConfig", "CrawlReport", "Fetcher", "Outlet", "Politeness", "crawl", "load_config", "stored_page"]
