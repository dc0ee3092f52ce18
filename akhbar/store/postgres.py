"""PostgreSQL store: the server backend for many writers and large archives.

Same semantics as the SQLite store; psycopg 3 with a connection pool (one transaction per
article), migrations from migrations/postgres, and search on a GIN-indexed tsvector of the
folded text built with the 'simple' config (folding and word splitting happen in Python, as
for SQLite, so both backends match the same spellings).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from akhbar import search as search_mod
from akhbar.errors import NotFound, QueryError, StoreError
from akhbar.model import Article, Entity, Removed, Sentence, folded_hash
from akhbar.store import sql
from akhbar.store._pg_search import TermStats
from akhbar.store._pg_tables import PgTablesMixin
from akhbar.store.base import ANALYSES, ArticleFilter, SearchHit, SearchPage, Store, analysis_parts
from akhbar.store.sqlite import migrations
from akhbar.text.normalize import fold
from akhbar.text.split import WORD_RE

_COLS = (
    "id", "content_hash", "url", "source_id", "origin", "outlet", "headline", "published", "language",
    "raw_format", "credits", "summary", "story_id", "dup_of", "body",
)
_A_COLS = ", ".join(f"a.{c}" for c in _COLS)
_LOCK_KEY = 7_303_140  # advisory lock held while migrating, so two processes never race


def _same(value):
    return value


def search_text(text: str | None) -> str:
    """Folded words joined by spaces: what goes into (and is looked up in) the tsvector."""
    return _words(fold(text or ""))


def _words(folded: str) -> str:
    return " ".join(WORD_RE.findall(folded))


def _safe_url(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(PgTablesMixin, Store):
    """Store in a PostgreSQL database given by a postgresql:// URL."""

    def __init__(self, url: str, *, max_connections: int = 8):
        self.url = url
        self._where_name = _safe_url(url)
        try:
            with psycopg.connect(url, connect_timeout=10) as conn:
                self._migrate(conn)
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"{self._where_name}: cannot connect to PostgreSQL ({str(exc).strip()}); "
                "check that the server runs and the URL, user and database are right"
            ) from exc
        self.pool = ConnectionPool(url, min_size=1, max_size=max_connections, open=True, timeout=60,
                                   kwargs={"connect_timeout": 10})
        self._term_stats = TermStats()

    # -- plumbing ------------------------------------------------------------------------------
    def _migrate(self, conn: psycopg.Connection) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            conn.execute("CREATE TABLE IF NOT EXISTS akhbar_schema (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM akhbar_schema").fetchone()
            current = row[0] or 0
            known = migrations("postgres")
            latest = known[-1][0] if known else 0
            if current > latest:
                raise StoreError(
                    f"{self._where_name}: schema version {current} is newer than this akhbar knows ({latest}); "
                    "upgrade akhbar"
                )
            for version, _name, sql in known:
                if version > current:
                    conn.execute(sql)
                    conn.execute("INSERT INTO akhbar_schema (version) VALUES (%s)", (version,))

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in a transaction (committed on success, rolled back on error)."""
        try:
            with self.pool.connection() as conn:
                yield conn
        except PoolTimeout as exc:
            raise StoreError(f"{self._where_name}: no free database connection after 60 s ({exc})") from exc
        except psycopg.errors.DiskFull as exc:
            raise StoreError(f"{self._where_name}: the server's disk is full; nothing from this batch was stored") from exc
        except psycopg.DataError as exc:
            if "NUL" in str(exc):
                raise QueryError(
                    "a value holds a NUL character (\\x00), which PostgreSQL cannot store or compare; remove it"
                ) from exc
            raise StoreError(f"{self._where_name}: a value was rejected: {str(exc).strip()}") from exc
        except psycopg.errors.QueryCanceled as exc:
            raise StoreError(f"{self._where_name}: the query was cancelled or timed out ({exc})") from exc
        except psycopg.OperationalError as exc:
            raise StoreError(f"{self._where_name}: database error: {str(exc).strip()}") from exc

    def close(self) -> None:
        self.pool.close()

    # -- articles ------------------------------------------------------------------------------
    def add_articles(self, articles: list[Article]) -> list[tuple[int, bool]]:
        with self._conn() as c:
            results = [self._insert(c, a) for a in articles]
            self._write_children(c, [a for a, (_, created) in zip(articles, results, strict=True) if created])
            return results

    def _insert(self, c: psycopg.Connection, a: Article) -> tuple[int, bool]:
        headline_key, body_key = a.folded()  # the body is folded once, for the hash and the index
        content_hash = folded_hash(headline_key, body_key)
        row = c.execute(
            "INSERT INTO articles (content_hash, url, source_id, origin, outlet, headline, published, language, "
            "raw_format, raw, body, credits, removed, summary, search) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
            "%s,%s,%s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')) "
            "ON CONFLICT DO NOTHING RETURNING id",
            (content_hash, a.url, a.source_id, a.origin, a.outlet, a.headline, a.published, a.language,
             a.raw_format, a.raw, a.body, json.dumps(a.credits, ensure_ascii=False),
             json.dumps([[r.line, r.text, r.rule] for r in a.removed], ensure_ascii=False), a.summary,
             _words(headline_key), _words(body_key)),
        ).fetchone()
        if row is None:  # same content hash or URL already stored (possibly by a concurrent writer)
            existing = c.execute(
                "SELECT id FROM articles WHERE content_hash = %s OR (url IS NOT NULL AND url = %s) "
                "ORDER BY id LIMIT 1",
                (content_hash, a.url),
            ).fetchone()
            a.id = existing[0]
            return a.id, False
        a.id = row[0]
        return a.id, True

    def replace_analysis(self, article: Article) -> None:
        if article.id is None:
            raise StoreError("replace_analysis needs a stored article (id is None)")
        with self._conn() as c:
            for table in ("mentions", "events", "quotes"):
                c.execute(f"DELETE FROM {table} WHERE article_id = %s", (article.id,))
            c.execute("UPDATE articles SET summary = %s WHERE id = %s", (article.summary, article.id))
            self._write_children(c, [article], sentences=False)

    def _write_children(self, c: psycopg.Connection, articles: list[Article], *, sentences: bool = True) -> None:
        """Bulk-write the batch's rows with COPY (far cheaper than one INSERT per mention)."""
        with c.cursor() as cur:
            for table, cols, rows in sql.child_rows(articles, _same, bool, sentences=sentences):
                if rows:
                    with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)

    @staticmethod
    def _row_to_article(row: tuple, raw: str = "") -> Article:
        (aid, _h, url, source_id, origin, outlet, headline, published, language, raw_format,
         credits, summary, story_id, _dup, body) = row
        return Article(
            raw=raw, body=body, headline=headline, source_id=source_id, url=url, outlet=outlet,
            published=published, language=language, raw_format=raw_format, origin=origin,
            credits=json.loads(credits), summary=summary, id=aid, story_id=story_id,
        )

    def get_article(self, article_id: int, *, full: bool = True) -> Article:
        return self._read_article(article_id, full, frozenset(ANALYSES))

    def _read_article(self, article_id: int, full: bool, parts: frozenset[str]) -> Article:
        """`get_article`, reading only the analyses in `parts` when `full`."""
        with self._conn() as c:
            row = c.execute(
                f"SELECT {_A_COLS}, a.raw, a.removed FROM articles a WHERE a.id = %s", (article_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no article with id {article_id}")
            article = self._row_to_article(row[:-2], raw=row[-2])
            article.removed = [Removed(*r) for r in json.loads(row[-1])]
            if full:
                self._load_analysis(c, article, parts)
        return article

    def _load_analysis(self, c: psycopg.Connection, a: Article, parts: frozenset[str]) -> None:
        """Read the analyses of `a` named in `parts` (the others stay empty)."""
        if "sentences" in parts:
            a.sentences = [
                Sentence(i, s, e, a.body[s:e])
                for i, s, e in c.execute(
                    'SELECT idx, start, "end" FROM sentences WHERE article_id = %s ORDER BY idx', (a.id,)
                ).fetchall()
            ]
        if "mentions" in parts:
            a.mentions = [
                sql.mention_from_row(r)
                for r in c.execute(f"{sql.MENTION_SELECT} WHERE article_id = %s ORDER BY start", (a.id,)).fetchall()
            ]
        # same connection as the caller: a nested pool checkout could starve a busy pool
        if "events" in parts:
            a.events = [ev for _, ev in self._events(c, "article_id = %s", [a.id, 1_000_000, 0])]
        if "quotes" in parts:
            a.quotes = [q for _, q in self._quotes(c, "article_id = %s", [a.id, 1_000_000])]

    def find_ids(self, source_id: str) -> list[int]:
        with self._conn() as c:
            rows = c.execute("SELECT id FROM articles WHERE source_id = %s ORDER BY id", (source_id,)).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def _where(filt: ArticleFilter | None, alias: str = "a") -> tuple[str, list]:
        return sql.article_where(filt, "%s", alias)

    def list_articles(
        self, filt: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[Article]:
        where, params = self._where(filt)
        order = "a.published IS NULL, a.published DESC, a.id DESC" if newest_first else "a.id"
        with self._conn() as c:
            rows = c.execute(
                f"SELECT {_A_COLS} FROM articles a WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            ).fetchall()
        return [self._row_to_article(r) for r in rows]

    def count_articles(self, filt: ArticleFilter | None = None) -> int:
        where, params = self._where(filt)
        with self._conn() as c:
            return c.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]

    def iter_articles(self, *, full: bool = True, batch: int = 200, ids: list[int] | None = None,
                      parts: Collection[str] = ANALYSES) -> Iterator[Article]:
        wanted = analysis_parts(parts)
        if ids is not None:
            for aid in ids:
                yield self._read_article(aid, full, wanted)
            return
        last = 0
        while True:
            with self._conn() as c:
                rows = c.execute(
                    "SELECT id FROM articles WHERE id > %s ORDER BY id LIMIT %s", (last, batch)
                ).fetchall()
            if not rows:
                return
            for (aid,) in rows:
                yield self._read_article(aid, full, wanted)
            last = rows[-1][0]

    def ids_by_date(self, date_from: dt.date, date_to: dt.date, *, since_id: int | None = None) -> list[int]:
        with self._conn() as c:
            rows = c.execute(
                "SELECT id FROM articles WHERE published BETWEEN %s AND %s OR id >= %s "
                "ORDER BY published NULLS LAST, id",
                (date_from, date_to, sql.NO_ID if since_id is None else since_id),
            ).fetchall()
        return [r[0] for r in rows]

    def search(
        self, query: str, filt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        terms = search_mod.query_terms(query)
        tsq = " && ".join(["phraseto_tsquery('simple', %s)"] * len(terms))
        qparams = [" ".join(t) for t in terms]
        where, params = self._where(filt)
        base = f"FROM articles a, (SELECT {tsq}) AS q(tsq) WHERE a.search @@ q.tsq AND {where}"
        args = [*qparams, *params]
        with self._conn() as c:
            rows, total = None, None
            if self._term_stats.estimate(c, terms) > search_mod.COUNT_CAP:
                rows = _newest(c, base, args, limit, offset, budget_ms=BROAD_SCAN_MS)
            if rows is None:
                ids = _matching_ids(c, base, args)
                if len(ids) > search_mod.COUNT_CAP:  # broader than the statistics said
                    rows = _newest(c, base, args, limit, offset)
                else:
                    total = len(ids)
                    if where == "1=1":  # rank the newest matches only, as SQLite does
                        ids = sorted(ids)[-search_mod.rank_window(limit, offset):]
                    rows = _ranked(c, ids, tsq, qparams, limit, offset)
            if total is not None:
                exact, order = True, "relevance"
            else:  # too broad to count or rank: newest first, reading only the rows shown
                total, exact, order = search_mod.COUNT_CAP, False, "newest"
            spans: dict[int, list[tuple[int, int]]] = {}
            for aid, start, end in c.execute(  # one round trip for the sentences of the whole page
                'SELECT article_id, start, "end" FROM sentences WHERE article_id = ANY(%s) ORDER BY article_id, idx',
                ([r[0] for r in rows],),
            ).fetchall():
                spans.setdefault(aid, []).append((start, end))
        hits = []
        for row in rows:
            article = self._row_to_article(row[:-1])
            sents = [article.body[s:e] for s, e in spans.get(article.id, [])]
            hits.append(SearchHit(article, float(row[-1] or 0.0), search_mod.best_snippets(sents, terms)))
        return SearchPage(hits, total, query, exact, order)

    # -- entities ------------------------------------------------------------------------------
    def upsert_entities(self, entities: list[Entity]) -> None:
        with self._conn() as c, c.cursor() as cur:
            cur.executemany(
                "INSERT INTO entities (id, name, type, actor, urdu) VALUES (%s,%s,%s,%s,%s) "
                "ON CONFLICT (id) DO UPDATE SET name=excluded.name, type=excluded.type, "
                "actor=excluded.actor, urdu=excluded.urdu",
                [(e.id, e.name, e.type, e.actor, json.dumps(e.urdu, ensure_ascii=False)) for e in entities],
            )

    def get_entity(self, entity_id: str) -> Entity:
        with self._conn() as c:
            row = c.execute(
                "SELECT id, name, type, actor, urdu FROM entities WHERE id = %s", (entity_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no entity with id {entity_id!r}")
        return Entity(row[0], row[1], row[2], json.loads(row[4]), row[3])

    def entity_stats(self, *, type: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        params: list = []
        cond = "m.entity_id IS NOT NULL"
        if type:
            cond += " AND m.type = %s"
            params.append(type)
        with self._conn() as c:
            rows = c.execute(
                "SELECT m.entity_id, min(e.name), min(m.type), count(*), count(DISTINCT m.article_id), "
                "array_agg(DISTINCT m.surface) FROM mentions m LEFT JOIN entities e ON e.id = m.entity_id "
                f"WHERE {cond} GROUP BY m.entity_id ORDER BY count(*) DESC, m.entity_id LIMIT %s OFFSET %s",
                [*params, limit, offset],
            ).fetchall()
        return [
            {"id": r[0], "name": r[1] or r[0], "type": r[2], "mentions": r[3], "articles": r[4],
             "surfaces": sorted(r[5])}
            for r in rows
        ]


BROAD_SCAN_MS = 250  # time budget of a newest-first scan before the index is asked instead


def _newest(c: psycopg.Connection, base: str, args: list, limit: int, offset: int,
            budget_ms: int | None = None) -> list[tuple] | None:
    """The newest matches, walking the primary key backwards (cheap when matches are dense).

    With `budget_ms`, None when the walk takes longer: terms common apart but rare together.
    """
    sql_text = f"SELECT {_A_COLS}, NULL::real {base} ORDER BY a.id DESC LIMIT %s OFFSET %s"
    if budget_ms is None:
        return c.execute(sql_text, [*args, limit, offset]).fetchall()
    try:
        with c.transaction():  # a savepoint: the cancelled walk leaves the connection usable
            c.execute(f"SET LOCAL statement_timeout = {int(budget_ms)}")
            rows = c.execute(sql_text, [*args, limit, offset]).fetchall()
            c.execute("SET LOCAL statement_timeout TO DEFAULT")
            return rows
    except psycopg.errors.QueryCanceled:
        return None


def _matching_ids(c: psycopg.Connection, base: str, args: list) -> list[int]:
    """Ids of up to COUNT_CAP + 1 matches through the GIN index (never a table walk)."""
    with c.transaction():
        c.execute("SET LOCAL enable_seqscan = off")
        c.execute("SET LOCAL enable_indexscan = off")
        ids = [r[0] for r in c.execute(f"SELECT a.id {base} LIMIT %s", [*args, search_mod.COUNT_CAP + 1])]
        c.execute("SET LOCAL enable_seqscan TO DEFAULT")
        c.execute("SET LOCAL enable_indexscan TO DEFAULT")
    return ids


def _ranked(c: psycopg.Connection, ids: list[int], tsq: str, qparams: list, limit: int, offset: int) -> list[tuple]:
    """A page of the matches `ids` by ts_rank against the query `tsq` (with its `qparams`)."""
    ranked = c.execute(f"SELECT id, ts_rank(search, {tsq}) FROM articles WHERE id = ANY(%s)",
                       [*qparams, ids]).fetchall()
    page = sorted(ranked, key=lambda r: (-r[1], r[0]))[offset : offset + limit]
    rank = dict(page)
    rows = c.execute(f"SELECT {_A_COLS} FROM articles a WHERE a.id = ANY(%s)", ([r[0] for r in page],)).fetchall()
    return sorted((r + (rank[r[0]],) for r in rows), key=lambda r: (-r[-1], r[0]))


__all__ = ["PostgresStore", "search_text"]
