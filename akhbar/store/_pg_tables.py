"""PostgreSQL store, second half: events, quotes, stories and blobs (mixed into PostgresStore)."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager

import psycopg

from akhbar.errors import NotFound
from akhbar.model import Event, Quote, Story
from akhbar.store import sql
from akhbar.store.base import EventFilter

_STORY_COLS = "id, label, label_en, first_date, last_date, thread_id, summary"


class PgTablesMixin:
    """Event, quote, story and blob methods; needs `self._conn()` from PostgresStore."""

    def _conn(self) -> AbstractContextManager[psycopg.Connection]:  # pragma: no cover - provided by the store
        raise NotImplementedError

    def list_events(self, filt: EventFilter | None = None, *, limit: int = 1000, offset: int = 0) -> list[tuple[int, Event]]:
        """(article id, event) pairs matching `filt`, oldest first."""
        where, params = sql.event_where(filt, "%s")
        with self._conn() as c:
            return self._events(c, where, [*params, limit, offset])

    @staticmethod
    def _events(c: psycopg.Connection, where: str, params: list) -> list[tuple[int, Event]]:
        rows = c.execute(
            f"{sql.EVENT_SELECT} WHERE {where} ORDER BY date IS NULL, date, id LIMIT %s OFFSET %s", params
        ).fetchall()
        return [sql.event_from_row(r, lambda d: d) for r in rows]

    def list_quotes(self, *, speaker: str | None = None, article_id: int | None = None, limit: int = 1000) -> list[tuple[int, Quote]]:
        """(article id, quote) pairs, optionally for one speaker entity or article."""
        where, params = sql.quote_where(speaker, article_id, "%s")
        with self._conn() as c:
            return self._quotes(c, where, [*params, limit])

    @staticmethod
    def _quotes(c: psycopg.Connection, where: str, params: list) -> list[tuple[int, Quote]]:
        rows = c.execute(f"{sql.QUOTE_SELECT} WHERE {where} ORDER BY article_id, sentence, id LIMIT %s", params).fetchall()
        return [sql.quote_from_row(r) for r in rows]

    def save_stories(self, stories: list[Story], assignments: dict[int, int], *, replace_all: bool = False) -> None:
        """Write these story records (others kept) and these articles' story ids; `replace_all` clears all first."""
        with self._conn() as c, c.cursor() as cur:
            if replace_all:
                cur.execute("DELETE FROM stories")
                cur.execute("UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL")
            cur.executemany(
                f"INSERT INTO stories ({_STORY_COLS}) VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO UPDATE SET "
                "label = excluded.label, label_en = excluded.label_en, first_date = excluded.first_date, "
                "last_date = excluded.last_date, thread_id = excluded.thread_id, summary = excluded.summary",
                [(s.id, s.label, s.label_en, s.first_date, s.last_date, s.thread_id,
                  json.dumps(s.summary, ensure_ascii=False)) for s in stories],
            )
            cur.executemany("UPDATE articles SET story_id = %s WHERE id = %s",
                            [(sid, aid) for aid, sid in assignments.items()])

    def set_duplicates(self, dup_of: dict[int, int | None]) -> None:
        """Record each article's near-duplicate representative ({article id: representative id})."""
        with self._conn() as c, c.cursor() as cur:
            cur.executemany("UPDATE articles SET dup_of = %s WHERE id = %s", [(rep, aid) for aid, rep in dup_of.items()])

    def _story(self, c: psycopg.Connection, row: tuple) -> Story:
        sid, label, label_en, first, last, thread, summary = row
        ids = [r[0] for r in c.execute(
            "SELECT id FROM articles WHERE story_id = %s ORDER BY published NULLS FIRST, id", (sid,)
        ).fetchall()]
        return Story(sid, label, label_en, ids, first, last, thread, json.loads(summary))

    def list_stories(self, *, limit: int = 50, offset: int = 0, order: str = "newest",
                     threads: list[int] | None = None) -> list[Story]:
        """Stories, newest (by last date) or largest first; only those of the given `threads` when set."""
        where = "" if threads is None else "WHERE thread_id = ANY(%s) "
        with self._conn() as c:
            rows = c.execute(
                f"SELECT {_STORY_COLS} FROM stories {where}ORDER BY {sql.story_order(order)} LIMIT %s OFFSET %s",
                (*(() if threads is None else (list(threads),)), limit, offset),
            ).fetchall()
            return [self._story(c, r) for r in rows]

    def get_story(self, story_id: int) -> Story:
        """The story with this id; NotFound if none."""
        with self._conn() as c:
            row = c.execute(f"SELECT {_STORY_COLS} FROM stories WHERE id = %s", (story_id,)).fetchone()
            if row is None:
                raise NotFound(f"no story with id {story_id}")
            return self._story(c, row)

    def story_ids(self, article_ids: list[int]) -> dict[int, int | None]:
        """{article id: its story id, None before clustering} of the stored articles among `article_ids`, in one read."""
        with self._conn() as c:
            return dict(c.execute("SELECT id, story_id FROM articles WHERE id = ANY(%s)", (list(article_ids),)).fetchall())

    def unassigned_ids(self) -> list[int]:
        """Ids of stored articles no story holds yet, oldest id first."""
        with self._conn() as c:
            return [r[0] for r in c.execute(sql.UNASSIGNED).fetchall()]

    def put_blobs(self, kind: str, items: dict[str, bytes]) -> None:
        """Store opaque per-stage data by key (replacing what was there)."""
        with self._conn() as c, c.cursor() as cur:
            cur.executemany(
                "INSERT INTO blobs (kind, key, value) VALUES (%s,%s,%s) "
                "ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
                [(kind, k, bytes(v)) for k, v in items.items()],
            )

    def get_blobs(self, kind: str, keys: list[str] | None = None) -> dict[str, bytes]:
        """Per-stage data stored with `put_blobs` (all of a kind when `keys` is None)."""
        with self._conn() as c:
            if keys is None:
                rows = c.execute("SELECT key, value FROM blobs WHERE kind = %s", (kind,)).fetchall()
            else:
                rows = c.execute(
                    "SELECT key, value FROM blobs WHERE kind = %s AND key = ANY(%s)", (kind, list(keys))
                ).fetchall()
        found = {k: bytes(v) for k, v in rows}
        return found if keys is None else {k: found[k] for k in keys if k in found}  # in the order asked

    def blob_keys(self, kind: str) -> set[str]:
        """The keys stored under `kind` (values not read)."""
        with self._conn() as c:
            return {r[0] for r in c.execute("SELECT key FROM blobs WHERE kind = %s", (kind,))}

    def delete_blobs(self, kind: str, keys: list[str] | None = None) -> None:
        """Remove per-stage data (all of a kind when `keys` is None)."""
        with self._conn() as c:
            if keys is None:
                c.execute("DELETE FROM blobs WHERE kind = %s", (kind,))
            else:
                c.execute("DELETE FROM blobs WHERE kind = %s AND key = ANY(%s)", (kind, list(keys)))
