"""SQLite store: the embedded default. WAL mode, one transaction per batch of articles, FTS5 search."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from akhbar import search as search_mod
from akhbar.errors import NotFound, StoreError
from akhbar.model import Article, Entity, Event, Quote, Removed, Sentence, Story, folded_hash
from akhbar.store import sql
from akhbar.store.base import (
    ANALYSES,
    ArticleFilter,
    EventFilter,
    SearchHit,
    SearchPage,
    Store,
    analysis_parts,
)

BUSY_S = 30  # how long to wait for another process's lock before reporting it
IN_BATCH = 500  # keys per `IN (...)` query: under the 999 bound variables of older SQLite builds
ANALYSIS_CAP = 1000  # events and quotes read per article (as list_events / list_quotes by default)

_ARTICLE_COLS = (
    "id, content_hash, url, source_id, origin, outlet, headline, published, language, raw_format, "
    "credits, summary, story_id, dup_of, body"
)


def migrations(dialect: str) -> list[tuple[int, str, str]]:
    """(version, name, sql) of the packaged migrations for `dialect`, in order."""
    folder = resources.files("akhbar.store").joinpath("migrations", dialect)
    out = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            version = int(item.name.split("_", 1)[0])
            out.append((version, item.name, item.read_text("utf-8")))
    return sorted(out)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class SQLiteStore(Store):
    """Store in one SQLite file (or ':memory:')."""

    def __init__(self, path: str | Path = "akhbar.db"):
        self.path = str(path)
        self.url = self.path
        if self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_S, isolation_level=None, check_same_thread=False)
            self._enable_wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open as an akhbar database ({exc})") from exc

    # -- plumbing ------------------------------------------------------------------------------
    def _enable_wal(self) -> None:
        """Switch to WAL; retried, because the switch skips the busy handler while others open the file."""
        deadline = time.monotonic() + BUSY_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        known = migrations("sqlite")
        latest = known[-1][0] if known else 0
        if current > latest:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this akhbar knows ({latest}); upgrade akhbar"
            )
        for version, _name, script in known:
            if version > current:
                with self._tx() as c:
                    # re-read under the write lock: another process may have migrated meanwhile
                    if c.execute("PRAGMA user_version").fetchone()[0] >= version:
                        continue
                    for statement in _statements(script):
                        c.execute(statement)
                    c.execute(f"PRAGMA user_version={version}")

    @contextmanager
    def _tx(self):
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        try:
            yield self.conn
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StoreError(_explain(self.path, exc)) from exc
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._rollback()
                raise StoreError(_explain(self.path, exc)) from exc

    def _rollback(self) -> None:
        # SQLite rolls back by itself on some errors (disk full, I/O): only roll back what is open
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    # -- articles ------------------------------------------------------------------------------
    def add_articles(self, articles: list[Article]) -> list[tuple[int, bool]]:
        with self._tx() as c:
            results = [self._insert(c, a) for a in articles]
            self._write_children(c, [a for a, (_, created) in zip(articles, results, strict=True) if created])
            return results

    def _insert(self, c: sqlite3.Connection, article: Article) -> tuple[int, bool]:
        headline_key, body_key = article.folded()  # the body is folded once, for the hash and the index
        content_hash = folded_hash(headline_key, body_key)
        existing = c.execute(
            "SELECT id FROM articles WHERE content_hash = ? OR (url IS NOT NULL AND url = ?)",
            (content_hash, article.url),
        ).fetchone()
        if existing:
            article.id = existing[0]
            return existing[0], False
        cur = c.execute(
            "INSERT INTO articles (content_hash, url, source_id, origin, outlet, headline, published, "
            "language, raw_format, raw, body, credits, removed, summary) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                content_hash, article.url, article.source_id, article.origin, article.outlet,
                article.headline, _iso(article.published), article.language, article.raw_format,
                article.raw, article.body, json.dumps(article.credits, ensure_ascii=False),
                json.dumps([[r.line, r.text, r.rule] for r in article.removed], ensure_ascii=False),
                article.summary,
            ),
        )
        article.id = cur.lastrowid
        c.execute(
            "INSERT INTO articles_fts (rowid, headline, body) VALUES (?,?,?)",
            (article.id, headline_key, body_key),
        )
        return article.id, True

    def replace_analysis(self, article: Article) -> None:
        if article.id is None:
            raise StoreError("replace_analysis needs a stored article (id is None)")
        with self._tx() as c:
            for table in ("mentions", "events", "quotes"):
                c.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
            c.execute("UPDATE articles SET summary = ? WHERE id = ?", (article.summary, article.id))
            self._write_children(c, [article], sentences=False)

    def _write_children(self, c: sqlite3.Connection, articles: list[Article], *, sentences: bool = True) -> None:
        for table, cols, rows in sql.child_rows(articles, _iso, sentences=sentences):
            c.executemany(sql.insert_sql(table, cols, "?"), rows)

    def _row_to_article(self, row: tuple, raw: str = "") -> Article:
        (aid, _h, url, source_id, origin, outlet, headline, published, language, raw_format,
         credits, summary, story_id, _dup, body) = row
        return Article(
            raw=raw, body=body, headline=headline, source_id=source_id, url=url, outlet=outlet,
            published=_date(published), language=language, raw_format=raw_format, origin=origin,
            credits=json.loads(credits), summary=summary, id=aid, story_id=story_id,
        )

    def _article_row(self, article_id: int) -> tuple:
        return self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE id = ?", (article_id,)).fetchone()

    def get_article(self, article_id: int, *, full: bool = True) -> Article:
        row = self.conn.execute(
            f"SELECT {_ARTICLE_COLS}, raw, removed FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        article = self._row_to_article(row[:-2], raw=row[-2])
        article.removed = [Removed(*r) for r in json.loads(row[-1])]
        if full:
            self._load_analysis(article)
        return article

    def _load_analysis(self, a: Article) -> None:
        self._load_analyses([a])

    def _load_analyses(self, articles: list[Article], parts: frozenset[str] = frozenset(ANALYSES)) -> None:
        """The `parts` (sentences, mentions, events, quotes) of stored articles: one query per table for all of them."""
        marks = ",".join("?" * len(articles))
        ids = [a.id for a in articles]
        c, rows = self.conn, {}
        for name, query in (
            ("sentences", f'SELECT article_id, idx, start, "end" FROM sentences WHERE article_id IN ({marks}) '
                          "ORDER BY article_id, idx"),
            ("mentions", f"{sql.MENTION_SELECT.replace('SELECT ', 'SELECT article_id, ', 1)} "
                         f"WHERE article_id IN ({marks}) ORDER BY article_id, start, rowid"),
            ("events", f"{sql.EVENT_SELECT} WHERE article_id IN ({marks}) ORDER BY article_id, date IS NULL, date, id"),
            ("quotes", f"{sql.QUOTE_SELECT} WHERE article_id IN ({marks}) ORDER BY article_id, sentence, id"),
        ):
            rows[name] = _by_article(c.execute(query, ids)) if name in parts else {}
        for a in articles:
            a.sentences = [Sentence(i, s, e, a.body[s:e]) for _, i, s, e in rows["sentences"].get(a.id, [])]
            a.mentions = [sql.mention_from_row(r[1:]) for r in rows["mentions"].get(a.id, [])]
            a.events = [sql.event_from_row(r, _date)[1] for r in rows["events"].get(a.id, [])[:ANALYSIS_CAP]]
            a.quotes = [sql.quote_from_row(r)[1] for r in rows["quotes"].get(a.id, [])[:ANALYSIS_CAP]]

    def _articles(self, ids: list[int], full: bool, parts: frozenset[str] = frozenset(ANALYSES)) -> Iterator[Article]:
        """The articles with these ids, in this order (read together); NotFound at the first missing."""
        rows = {r[0]: r for r in self.conn.execute(
            f"SELECT {_ARTICLE_COLS}, raw, removed FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
        )}
        found = []
        for aid in ids:
            if aid not in rows:
                break
            a = self._row_to_article(rows[aid][:-2], raw=rows[aid][-2])
            a.removed = [Removed(*r) for r in json.loads(rows[aid][-1])]
            found.append(a)
        if full and found:
            self._load_analyses(found, parts)
        yield from found
        if len(found) < len(ids):
            raise NotFound(f"no article with id {ids[len(found)]}")

    def find_ids(self, source_id: str) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE source_id = ? ORDER BY id", (source_id,))]

    def _where(self, filt: ArticleFilter | None, alias: str = "a") -> tuple[str, list]:
        return sql.article_where(filt, "?", alias, _iso)

    def list_articles(
        self, filt: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[Article]:
        where, params = self._where(filt)
        order = "a.published IS NULL, a.published DESC, a.id DESC" if newest_first else "a.id"
        cols = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLS.split(","))
        rows = self.conn.execute(
            f"SELECT {cols} FROM articles a WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [self._row_to_article(r) for r in rows]

    def count_articles(self, filt: ArticleFilter | None = None) -> int:
        where, params = self._where(filt)
        return self.conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]

    def iter_articles(self, *, full: bool = True, batch: int = 200, ids: list[int] | None = None,
                      parts: Collection[str] = ANALYSES) -> Iterator[Article]:
        wanted = analysis_parts(parts)
        if ids is not None:
            for k in range(0, len(ids), min(batch, IN_BATCH)):  # a batch of articles read together
                yield from self._articles(ids[k : k + min(batch, IN_BATCH)], full, wanted)
            return
        last = 0
        while True:
            rows = self.conn.execute("SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            yield from self._articles([r[0] for r in rows], full, wanted)
            last = rows[-1][0]

    def ids_by_date(self, date_from: dt.date, date_to: dt.date, *, since_id: int | None = None) -> list[int]:
        rows = self.conn.execute(
            "SELECT id FROM articles WHERE published BETWEEN ? AND ? OR id >= ? ORDER BY published IS NULL, published, id",
            (_iso(date_from), _iso(date_to), sql.NO_ID if since_id is None else since_id),
        )
        return [r[0] for r in rows]

    def search(
        self, query: str, filt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        terms = search_mod.query_terms(query)
        match = search_mod.fts5_query(query)
        where, params = self._where(filt)
        try:
            if where == "1=1":  # no filter: rank in the FTS index alone, then fetch the page's articles
                count = self.conn.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
                    (match, search_mod.COUNT_CAP + 1),
                ).fetchone()[0]
                broad = count > search_mod.COUNT_CAP
                if broad:  # bm25's IDF pass alone would read every match: newest first (rowid order is free)
                    ranked = self.conn.execute(
                        "SELECT rowid, 0.0 FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC "
                        "LIMIT ? OFFSET ?", (match, limit, offset),
                    ).fetchall()
                else:  # rank the newest RANK_WINDOW matches
                    ranked = self.conn.execute(
                        "SELECT rowid, rank FROM (SELECT rowid, bm25(articles_fts, 3.0, 1.0) AS rank FROM "
                        "articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY rank "
                        "LIMIT ? OFFSET ?",
                        (match, search_mod.rank_window(limit, offset), limit, offset),
                    ).fetchall()
                rows = [self._article_row(aid) + (rank,) for aid, rank in ranked]
            else:
                cols = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLS.split(","))
                base = f"FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ? AND {where}"
                count = self.conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 {base} LIMIT ?)", [match, *params, search_mod.COUNT_CAP + 1]
                ).fetchone()[0]
                broad = count > search_mod.COUNT_CAP
                rank, order = ("0.0", "f.rowid DESC") if broad else ("bm25(articles_fts, 3.0, 1.0)", "rank")
                rows = self.conn.execute(
                    f"SELECT {cols}, {rank} AS rank {base} ORDER BY {order} LIMIT ? OFFSET ?",
                    [match, *params, limit, offset],
                ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        hits = []
        for row in rows:
            article = self._row_to_article(row[:-1])
            sents = [
                article.body[s:e]
                for s, e in self.conn.execute(
                    'SELECT start, "end" FROM sentences WHERE article_id = ? ORDER BY idx', (article.id,)
                )
            ]
            hits.append(SearchHit(article, -row[-1], search_mod.best_snippets(sents, terms)))
        total, exact = search_mod.capped_total(count)
        return SearchPage(hits, total, query, exact, "newest" if broad else "relevance")

    # -- entities ------------------------------------------------------------------------------
    def upsert_entities(self, entities: list[Entity]) -> None:
        with self._tx() as c:
            c.executemany(
                "INSERT INTO entities (id, name, type, actor, urdu) VALUES (?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, type=excluded.type, "
                "actor=excluded.actor, urdu=excluded.urdu",
                [(e.id, e.name, e.type, e.actor, json.dumps(e.urdu, ensure_ascii=False)) for e in entities],
            )

    def get_entity(self, entity_id: str) -> Entity:
        row = self.conn.execute("SELECT id, name, type, actor, urdu FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return Entity(row[0], row[1], row[2], json.loads(row[4]), row[3])

    def entity_stats(self, *, type: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        params: list = []
        cond = "m.entity_id IS NOT NULL"
        if type:
            cond += " AND m.type = ?"
            params.append(type)
        rows = self.conn.execute(
            "SELECT m.entity_id, e.name, m.type, count(*), count(DISTINCT m.article_id), "
            "json_group_array(DISTINCT m.surface) FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
            f"WHERE {cond} GROUP BY m.entity_id ORDER BY count(*) DESC, m.entity_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [
            {"id": r[0], "name": r[1] or r[0], "type": r[2], "mentions": r[3], "articles": r[4],
             "surfaces": sorted(json.loads(r[5]))}
            for r in rows
        ]

    # -- events, quotes ------------------------------------------------------------------------
    def list_events(self, filt: EventFilter | None = None, *, limit: int = 1000, offset: int = 0) -> list[tuple[int, Event]]:
        where, params = sql.event_where(filt, "?", _iso)
        rows = self.conn.execute(
            f"{sql.EVENT_SELECT} WHERE {where} ORDER BY date IS NULL, date, id LIMIT ? OFFSET ?", [*params, limit, offset]
        ).fetchall()
        return [sql.event_from_row(r, _date) for r in rows]

    def list_quotes(self, *, speaker: str | None = None, article_id: int | None = None, limit: int = 1000) -> list[tuple[int, Quote]]:
        where, params = sql.quote_where(speaker, article_id, "?")
        rows = self.conn.execute(
            f"{sql.QUOTE_SELECT} WHERE {where} ORDER BY article_id, sentence, id LIMIT ?", [*params, limit]
        ).fetchall()
        return [sql.quote_from_row(r) for r in rows]

    # -- stories -------------------------------------------------------------------------------
    def save_stories(self, stories: list[Story], assignments: dict[int, int], *, replace_all: bool = False) -> None:
        with self._tx() as c:
            if replace_all:
                c.execute("DELETE FROM stories")
                c.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
            c.executemany(
                "INSERT OR REPLACE INTO stories (id, label, label_en, first_date, last_date, thread_id, summary) "
                "VALUES (?,?,?,?,?,?,?)",
                [(s.id, s.label, s.label_en, _iso(s.first_date), _iso(s.last_date), s.thread_id,
                  json.dumps(s.summary, ensure_ascii=False)) for s in stories],
            )
            c.executemany("UPDATE articles SET story_id = ? WHERE id = ?", [(sid, aid) for aid, sid in assignments.items()])

    def story_ids(self, article_ids: list[int]) -> dict[int, int | None]:
        return dict(self._select_in("SELECT id, story_id FROM articles WHERE id IN ({marks})", article_ids))

    def unassigned_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute(sql.UNASSIGNED)]

    def set_duplicates(self, dup_of: dict[int, int | None]) -> None:
        with self._tx() as c:
            c.executemany("UPDATE articles SET dup_of = ? WHERE id = ?", [(rep, aid) for aid, rep in dup_of.items()])

    def _story(self, row: tuple) -> Story:
        sid, label, label_en, first, last, thread, summary = row
        ids = [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY published, id", (sid,))]
        return Story(sid, label, label_en, ids, _date(first), _date(last), thread, json.loads(summary))

    def list_stories(self, *, limit: int = 50, offset: int = 0, order: str = "newest",
                     threads: list[int] | None = None) -> list[Story]:
        where = "" if threads is None else f"WHERE thread_id IN ({','.join('?' * len(threads))}) "
        rows = self.conn.execute(
            "SELECT id, label, label_en, first_date, last_date, thread_id, summary FROM stories "
            f"{where}ORDER BY {sql.story_order(order)} LIMIT ? OFFSET ?",
            (*(threads or ()), limit, offset),
        ).fetchall()
        return [self._story(r) for r in rows]

    def get_story(self, story_id: int) -> Story:
        row = self.conn.execute(
            "SELECT id, label, label_en, first_date, last_date, thread_id, summary FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no story with id {story_id}")
        return self._story(row)

    # -- blobs ---------------------------------------------------------------------------------
    def put_blobs(self, kind: str, items: dict[str, bytes]) -> None:
        with self._tx() as c:
            c.executemany(
                "INSERT OR REPLACE INTO blobs (kind, key, value) VALUES (?,?,?)", [(kind, k, v) for k, v in items.items()]
            )

    def get_blobs(self, kind: str, keys: list[str] | None = None) -> dict[str, bytes]:
        if keys is None:
            rows = self.conn.execute("SELECT key, value FROM blobs WHERE kind = ?", (kind,))
            return dict(rows)
        keys = list(dict.fromkeys(keys))
        found = dict(self._select_in("SELECT key, value FROM blobs WHERE kind = ? AND key IN ({marks})", keys, kind))
        return {k: found[k] for k in keys if k in found}  # in the order asked

    def blob_keys(self, kind: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT key FROM blobs WHERE kind = ?", (kind,))}

    def _select_in(self, query: str, keys: list, *before: object) -> Iterator[tuple]:
        """Rows of `query` for `keys` (its `{marks}` their placeholders, after the `before` parameters),
        IN_BATCH keys per query rather than one query per key."""
        for i in range(0, len(keys), IN_BATCH):
            part = keys[i : i + IN_BATCH]
            yield from self.conn.execute(query.format(marks=",".join("?" * len(part))), [*before, *part])

    def delete_blobs(self, kind: str, keys: list[str] | None = None) -> None:
        with self._tx() as c:
            if keys is None:
                c.execute("DELETE FROM blobs WHERE kind = ?", (kind,))
            else:
                c.executemany("DELETE FROM blobs WHERE kind = ? AND key = ?", [(kind, k) for k in keys])


def _by_article(rows: Iterator[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first column is an article id, grouped by it (in their order)."""
    out: dict[int, list[tuple]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(r)
    return out


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements (no semicolons inside our SQL literals)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _explain(path: str, exc: sqlite3.OperationalError) -> str:
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return f"{path}: the database is locked by another akhbar process; wait for it or use another --db ({msg})"
    if "full" in msg:
        return f"{path}: the disk is full; nothing from this batch was stored ({msg})"
    if "fts5" in msg or "syntax" in msg:
        return f"the search query cannot be run: {msg}"
    return f"{path}: database error: {msg}"
