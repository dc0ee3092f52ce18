"""Readers: files and folders of .txt, .html, .jsonl, RSS/Atom feeds and WARC, streamed as RawDocs.

Each reader yields one RawDoc per article and never holds a whole corpus in memory; a file
that cannot be read raises InputError naming the file (and the line or record).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from akhbar.errors import InputError
from akhbar.ingest.decode import decode, looks_binary

MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # one article larger than this is not news text

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
FEED_EXT = {".rss", ".atom", ".xml", ".feed"}
WARC_EXT = {".warc", ".warc.gz"}


@dataclass(slots=True)
class RawDoc:
    """One article as read, before cleaning: text or HTML plus whatever metadata came with it."""

    content: str
    format: str  # txt, html
    source_id: str
    origin: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None

    def __post_init__(self) -> None:
        # NUL is never text (an escape in JSON, an entity in HTML); PostgreSQL cannot store it,
        # so every backend keeps the same raw text with U+FFFD in its place.
        for name in ("content", "title", "url", "outlet", "source_id"):
            value = getattr(self, name)
            if value and "\0" in value:
                setattr(self, name, value.replace("\0", "\ufffd"))


def _ext(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def supported(path: Path) -> bool:
    """True for a file name akhbar knows how to read."""
    return _ext(path) in TEXT_EXT | HTML_EXT | JSONL_EXT | FEED_EXT | WARC_EXT


def iter_files(paths: list[str | Path]) -> Iterator[Path]:
    """Files named or found (recursively, sorted) under the given paths."""
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    f = Path(root) / name
                    if supported(f) and not name.startswith("."):
                        yield f
        elif p.exists():
            yield p
        else:
            raise InputError(str(p), "no such file or folder")


def read_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawDoc]:
    """Yield the articles in one file, by its extension."""
    ext = _ext(path)
    if ext in JSONL_EXT:
        yield from read_jsonl(path, max_bytes)
    elif ext in WARC_EXT:
        yield from read_warc(path, max_bytes)
    elif ext in FEED_EXT:
        if _is_counter_xml(path):
            from akhbar.ingest.counter import read_counter_file

            yield read_counter_file(path).doc
        else:
            yield from read_feed(path, max_bytes)
    else:
        data = _read_bytes(path, max_bytes)
        text = decode(data, str(path))
        fmt = "html" if ext in HTML_EXT or _looks_html(text) else "txt"
        yield RawDoc(text, fmt, path.stem, str(path))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            str(path),
            f"file is {size / 1e6:.1f} MB; one article over {max_bytes / 1e6:.0f} MB is not news text "
            "(split it, or use JSONL/WARC for many articles in one file)",
        )
    return path.read_bytes()


def _is_counter_xml(path: Path) -> bool:
    """A COUNTER corpus document (<COUNTER_document> root) rather than a feed."""
    with open(path, "rb") as fh:
        head = fh.read(512).lower()
    return b"<counter_document" in head


def _looks_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</p>" in text.lower())


def read_jsonl(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawDoc]:
    """One article per line: `text` or `html`, optional `url`, `title`, `outlet`, `published`, `id`."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"line {lineno}"
            if len(raw) > max_bytes:
                raise InputError(str(path), f"record is {len(raw) / 1e6:.1f} MB, over the per-article limit", where)
            try:
                rec = json.loads(decode(raw, f"{path}:{lineno}"))
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"invalid JSON ({exc.msg} at column {exc.colno})", where) from exc
            if not isinstance(rec, dict):
                raise InputError(str(path), "each line must be a JSON object", where)
            content, fmt = rec.get("text"), "txt"
            if not content and rec.get("html"):
                content, fmt = rec["html"], "html"
            if not isinstance(content, str) or not content.strip():
                raise InputError(str(path), "the record has no non-empty 'text' or 'html' field", where)
            yield RawDoc(
                content, fmt,
                str(rec.get("source_id") or rec.get("id") or f"{path.stem}:{lineno}"),
                f"{path}:{lineno}",
                url=rec.get("url") or None,
                title=rec.get("title") or None,
                outlet=rec.get("outlet") or None,
                published=_parse_iso(rec.get("published"), path, where),
            )


def _parse_iso(value, path: Path, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise InputError(str(path), f"'published' must be an ISO date (YYYY-MM-DD), got {value!r}", where) from exc


def read_feed(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawDoc]:
    """Entries of an RSS/Atom feed; each entry's HTML content becomes one article."""
    import feedparser

    data = _read_bytes(path, max_bytes)
    if looks_binary(data):
        raise InputError(str(path), "this is a binary file, not a feed")
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(str(path), f"no feed entries found ({reason or 'not RSS/Atom'})")
    outlet = feed.feed.get("title")
    for i, entry in enumerate(feed.entries, 1):
        html = ""
        if entry.get("content"):
            html = entry.content[0].get("value", "")
        html = html or entry.get("summary", "")
        if not html.strip():
            continue
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
        yield RawDoc(
            f"<html><body>{html}</body></html>", "html",
            entry.get("id") or entry.get("link") or f"{path.stem}:{i}", f"{path}#entry{i}",
            url=entry.get("link"), title=entry.get("title"), outlet=outlet, published=published,
        )


def read_warc(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawDoc]:
    """HTML responses of a WARC file (gzipped or not), one article each."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                count += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise InputError(str(path), "response over the per-article limit", f"record {count}")
                if not body.strip():
                    continue
                text = decode(body, f"{path} (record {count}, {url})")
                yield RawDoc(text, "html", url or f"{path.stem}:{count}", f"{path}#record{count}", url=url)
        except InputError:
            raise
        except (ArchiveLoadFailed, Exception) as exc:  # warcio raises many types on damaged input
            raise InputError(str(path), f"truncated or corrupt WARC after {count} HTML records ({exc})") from exc
    if count == 0:
        raise InputError(str(path), "no HTML response records in this WARC")
