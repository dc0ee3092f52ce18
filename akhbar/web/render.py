"""Small pure helpers the templates use: Urdu dates, highlight segments, linked mentions."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from akhbar.model import Mention

Segment = tuple[str, str | None]  # (text, entity id or marker; None for plain text)


def urdu_date(value: dt.date | None) -> str:
    """A date as Urdu readers write it (e.g. ۱ اکتوبر 2015 → '1 اکتوبر 2015'); '' when unknown."""
    if value is None:
        return ""
    return format_date(value, "d MMMM y", locale="ur")


def marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut at the highlight spans: (piece, highlighted) pairs for <mark> rendering."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def linked_paragraphs(body: str, mentions: list[Mention]) -> list[list[Segment]]:
    """The body split into paragraphs, each a list of segments; linked mentions carry their entity id."""
    links = sorted((m for m in mentions if m.entity_id and 0 <= m.start < m.end <= len(body)), key=lambda m: m.start)
    paragraphs: list[list[Segment]] = []
    pos = 0
    for line in body.split("\n"):
        end = pos + len(line)
        if line.strip():
            paragraphs.append(_segments(body, pos, end, links))
        pos = end + 1
    return paragraphs


def _segments(body: str, start: int, end: int, links: list[Mention]) -> list[Segment]:
    out: list[Segment] = []
    pos = start
    for m in links:
        if m.start < pos or m.end > end:
            continue
        if m.start > pos:
            out.append((body[pos:m.start], None))
        out.append((body[m.start:m.end], m.entity_id))
        pos = m.end
    if pos < end:
        out.append((body[pos:end], None))
    return out


def http_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None: a stored `javascript:` URL must never become a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None
