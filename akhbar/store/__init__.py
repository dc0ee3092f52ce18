"""Store interface and backends: SQLite (embedded default) and PostgreSQL (`postgresql://…`)."""

from __future__ import annotations

from akhbar.store.base import ArticleFilter, EventFilter, SearchHit, SearchPage, Store

DEFAULT_DB = "akhbar.db"


def open_store(url: str | None = None) -> Store:
    """Open the store at `url`: a SQLite file path (default ./akhbar.db) or a postgresql:// URL."""
    url = url or DEFAULT_DB
    if url.startswith(("postgresql://", "postgres://")):
        from akhbar.store.postgres import PostgresStore

        return PostgresStore(url)
    from akhbar.store.sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix("sqlite:///"))


__all__ = ["ArticleFilter", "EventFilter", "SearchHit", "SearchPage", "Store", "open_store", "DEFAULT_DB"]
