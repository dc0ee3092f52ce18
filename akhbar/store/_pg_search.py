"""How many articles a search term matches, estimated from PostgreSQL's own column statistics.

ANALYZE (run by autovacuum) keeps the most common lexemes of `articles.search` with the share
of rows holding each (`pg_stats.most_common_elems`), as the planner uses them. A query whose
estimated matches exceed search.COUNT_CAP is too broad to count or rank cheaply — counting or
ranking it reads the tsvector of every match — so it is served newest first instead.
"""

from __future__ import annotations

import math
import time

import psycopg

REFRESH_S = 300.0  # statistics change slowly: re-read them at most this often

_STATS_SQL = (
    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
    "FROM pg_stats s JOIN pg_class c ON c.oid = 'articles'::regclass "
    "WHERE s.schemaname = current_schema() AND s.tablename = 'articles' AND s.attname = 'search'"
)


class TermStats:
    """Cached share of articles holding each common lexeme, and the table's row estimate."""

    def __init__(self) -> None:
        self.freqs: dict[str, float] = {}
        self.rows = 0.0
        self.read_at = -math.inf

    def refresh(self, c: psycopg.Connection) -> None:
        """Re-read the statistics (nothing to read before the first ANALYZE)."""
        row = c.execute(_STATS_SQL).fetchone()
        self.read_at = time.monotonic()
        if row is None or row[0] is None:
            self.freqs, self.rows = {}, 0.0
            return
        elems, freqs, rows = row
        self.freqs = dict(zip(elems, freqs, strict=False))  # freqs carries 3 summary values at its end
        self.rows = max(float(rows), 0.0)

    def estimate(self, c: psycopg.Connection, terms: list[list[str]]) -> float:
        """Estimated articles matching every term (0 for a term rarer than the listed ones)."""
        if time.monotonic() - self.read_at > REFRESH_S:
            self.refresh(c)
        share = 1.0
        for words in terms:  # terms independent; a phrase no commoner than its rarest word
            share *= min(self.freqs.get(w, 0.0) for w in words)
        return share * self.rows
