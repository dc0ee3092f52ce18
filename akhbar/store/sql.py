"""SQL shared by the SQLite and PostgreSQL backends: filters, analysis rows and their parsing.

Both backends speak the same schema; only the parameter placeholder (`?` or `%s`) and the
date representation (ISO text in SQLite, DATE in PostgreSQL) differ, so both are arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from akhbar.errors import StoreError
from akhbar.model import Article, Event, Mention, Quote
from akhbar.store.base import ArticleFilter, EventFilter
from akhbar.text.normalize import fold

SENTENCE_COLS = 'article_id, idx, start, "end"'
MENTION_COLS = 'article_id, entity_id, surface, norm, type, start, "end", sentence, method, score'
EVENT_COLS = ("article_id, sentence, type, source, target, mode, negated, score, evidence, date, pattern, "
              "source_entity, target_entity")
QUOTE_COLS = 'article_id, sentence, text, speaker, speaker_surface, kind, start, "end"'
EVENT_SELECT = ("SELECT article_id, type, source, target, sentence, evidence, mode, negated, score, date, pattern, "
                "source_entity, target_entity FROM events")
QUOTE_SELECT = 'SELECT article_id, text, sentence, speaker, speaker_surface, kind, start, "end" FROM quotes'
MENTION_SELECT = 'SELECT entity_id, surface, type, start, "end", sentence, method, score FROM mentions'

UNASSIGNED = "SELECT id FROM articles WHERE story_id IS NULL ORDER BY id"  # stored, not yet in a story
NO_ID = 2**62  # `id >= NO_ID` matches no article: the neutral bound of an optional id filter

DateOut = Callable[[dt.date | None], object]
DateIn = Callable[[object], dt.date | None]


def insert_sql(table: str, cols: str, ph: str) -> str:
    """INSERT statement for `cols` with the backend's placeholder."""
    n = len(cols.split(","))
    return f"INSERT INTO {table} ({cols}) VALUES ({','.join([ph] * n)})"


def _conjoin(clauses: list[str]) -> str:
    return " AND ".join(clauses) or "1=1"


def article_where(filt: ArticleFilter | None, ph: str, alias: str = "a", date: DateOut = lambda d: d) -> tuple[str, list]:
    """WHERE clause and parameters for an article filter."""
    if filt is None:
        return "1=1", []
    clauses, params = [], []
    for value, clause in (
        (filt.outlet or None, f"{alias}.outlet = {ph}"),
        (date(filt.date_from) if filt.date_from else None, f"{alias}.published >= {ph}"),
        (date(filt.date_to) if filt.date_to else None, f"{alias}.published <= {ph}"),
        (filt.story, f"{alias}.story_id = {ph}"),
        (filt.source_id or None, f"{alias}.source_id = {ph}"),
        (filt.entity or None, f"{alias}.id IN (SELECT article_id FROM mentions WHERE entity_id = {ph})"),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return _conjoin(clauses), params


def event_where(filt: EventFilter | None, ph: str, date: DateOut = lambda d: d) -> tuple[str, list]:
    """WHERE clause and parameters for an event filter (an actor pair matches either direction)."""
    filt = filt or EventFilter()
    clauses, params = [], []
    if filt.actors:
        a, b = filt.actors
        clauses.append(f"((source = {ph} AND target = {ph}) OR (source = {ph} AND target = {ph}))")
        params += [a, b, b, a]
    if filt.actor:
        clauses.append(f"(source = {ph} OR target = {ph})")
        params += [filt.actor, filt.actor]
    for value, clause in (
        (filt.type or None, f"type = {ph}"),
        (date(filt.date_from) if filt.date_from else None, f"date >= {ph}"),
        (date(filt.date_to) if filt.date_to else None, f"date <= {ph}"),
        (filt.article_id, f"article_id = {ph}"),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return _conjoin(clauses), params


def quote_where(speaker: str | None, article_id: int | None, ph: str) -> tuple[str, list]:
    """WHERE clause and parameters for a quote listing."""
    clauses, params = [], []
    if speaker:
        clauses.append(f"speaker = {ph}")
        params.append(speaker)
    if article_id is not None:
        clauses.append(f"article_id = {ph}")
        params.append(article_id)
    return _conjoin(clauses), params


STORY_ORDERS = {
    "newest": "last_date IS NULL, last_date DESC, id DESC",
    "largest": "(SELECT count(*) FROM articles a WHERE a.story_id = stories.id) DESC, id",
}


def story_order(order: str) -> str:
    """ORDER BY clause for a story listing; StoreError for an unknown order."""
    if order not in STORY_ORDERS:
        raise StoreError(f"unknown story order {order!r}: use newest or largest")
    return STORY_ORDERS[order]


@lru_cache(maxsize=200_000)
def _fold_name(surface: str) -> str:
    return fold(surface)  # names repeat across a corpus: fold each spelling once


def mention_rows(a: Article) -> list[tuple]:
    """Rows of MENTION_COLS for an article's mentions."""
    return [(a.id, m.entity_id, m.surface, _fold_name(m.surface), m.type, m.start, m.end, m.sentence, m.method,
             m.score) for m in a.mentions]


def event_rows(a: Article, date: DateOut, negated: Callable[[bool], object] = int) -> list[tuple]:
    """Rows of EVENT_COLS for an article's events."""
    return [(a.id, e.sentence, e.type, e.source, e.target, e.mode, negated(e.negated), e.score, e.evidence,
             date(e.date), e.pattern, e.source_entity, e.target_entity) for e in a.events]


def quote_rows(a: Article) -> list[tuple]:
    """Rows of QUOTE_COLS for an article's quotes."""
    return [(a.id, q.sentence, q.text, q.speaker, q.speaker_surface, q.kind, q.start, q.end) for q in a.quotes]


def child_rows(
    articles: list[Article], date: DateOut, negated: Callable[[bool], object] = int, *, sentences: bool = True
) -> list[tuple[str, str, list[tuple]]]:
    """(table, columns, rows) of the sentences and analyses of stored `articles`: one bulk write per table."""
    out = [
        ("mentions", MENTION_COLS, [r for a in articles for r in mention_rows(a)]),
        ("events", EVENT_COLS, [r for a in articles for r in event_rows(a, date, negated)]),
        ("quotes", QUOTE_COLS, [r for a in articles for r in quote_rows(a)]),
    ]
    if sentences:
        out.insert(0, ("sentences", SENTENCE_COLS, [(a.id, s.index, s.start, s.end) for a in articles for s in a.sentences]))
    return out


def event_from_row(r: tuple, date: DateIn) -> tuple[int, Event]:
    """(article id, Event) from an EVENT_SELECT row."""
    return r[0], Event(type=r[1], source=r[2], target=r[3], sentence=r[4], evidence=r[5], mode=r[6],
                       negated=bool(r[7]), score=r[8], date=date(r[9]), pattern=r[10],
                       source_entity=r[11], target_entity=r[12])


def quote_from_row(r: tuple) -> tuple[int, Quote]:
    """(article id, Quote) from a QUOTE_SELECT row."""
    return r[0], Quote(r[1], r[2], r[3], r[4], r[5], r[6], r[7])


def mention_from_row(r: tuple) -> Mention:
    """Mention from a MENTION_SELECT row."""
    eid, surface, type_, start, end, sentence, method, score = r
    return Mention(start=start, end=end, surface=surface, type=type_, entity_id=eid, sentence=sentence,
                   method=method, score=score)
