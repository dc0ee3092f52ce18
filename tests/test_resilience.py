"""Resilience: a SIGKILLed ingest resumes without loss or duplicates; lock and disk-full are explained."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akhbar import pipeline
from akhbar.errors import StoreError
from akhbar.ingest.readers import read_jsonl
from akhbar.store import open_store
from tests import pgcluster
from tests.articles import fingerprint, make_article

ROOT = Path(__file__).resolve().parents[1]
N = 30


def _corpus(seeds_dir: Path, path: Path, n: int = N) -> Path:
    """`n` distinct article variants of the seed texts, one JSON record per line."""
    seeds = [p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = seeds[i % len(seeds)] + f"\n\nیہ رپورٹ نمبر {i} ہے جو جانچ کے لیے بنائی گئی۔"
            fh.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def _ingest_cmd(corpus: Path, db: str) -> list[str]:
    # small write batches, so the kill lands with some batches committed and one open
    return [sys.executable, "-m", "akhbar", "ingest", str(corpus), "--db", db, "--no-stories", "--batch", "4"]


def _counter(db: str):
    """A cheap `count(*)` poller for `db` (no store, no pool: the ingest has the CPU)."""
    if db.startswith("postgresql://"):
        import psycopg

        conn = psycopg.connect(db, autocommit=True)
    else:
        conn = sqlite3.connect(db, timeout=5)

    def count() -> int:
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except Exception:  # table not there yet, or the database busy for a moment
            return 0

    return count, conn.close


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory):
    """The corpus and the store an uninterrupted ingest of it produces."""
    tmp = tmp_path_factory.mktemp("clean")
    corpus = _corpus(Path(__file__).resolve().parents[1] / "examples" / "seeds", tmp / "corpus.jsonl")
    store = open_store(str(tmp / "clean.db"))
    pipeline.ingest_docs(read_jsonl(corpus), store, stories=False)
    yield corpus, fingerprint(store)
    store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "kill.db")
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    return pgcluster.fresh_database()


def test_sigkill_mid_ingest_then_resume_loses_and_duplicates_nothing(db, clean_run):
    corpus, expected = clean_run
    open_store(db).close()  # create the schema, so the poller can count from the start
    count, close = _counter(db)
    proc = subprocess.Popen(_ingest_cmd(corpus, db), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count() < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stored = count()
    close()
    assert 5 <= stored < N, "the kill must land mid-batch"
    with open_store(db) as s:  # every stored article is whole: body, sentences and search entry
        assert all(a.sentences and a.raw for a in s.iter_articles())
        assert s.search("رپورٹ نمبر").total == stored
    done = subprocess.run(_ingest_cmd(corpus, db), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with open_store(db) as s:
        assert s.count_articles() == N
        assert fingerprint(s) == expected


def test_locked_database_is_reported_clearly(tmp_path):
    path = tmp_path / "locked.db"
    store = open_store(str(path))
    store.conn.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked by another akhbar process"):
            store.add_article(make_article(1))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.add_article(make_article(1))[1] is True  # works again once the lock is gone
    store.close()


def test_disk_full_is_reported_and_nothing_half_written(tmp_path):
    store = open_store(str(tmp_path / "full.db"))
    store.add_article(make_article(0))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the file cannot grow any more
    big = make_article(1, body="بہت لمبی خبر۔ " * 20000)
    with pytest.raises(StoreError, match="disk is full"):
        store.add_article(big)
    assert store.count_articles() == 1 and store.find_ids("src-1") == []
    store.close()


def test_unreachable_postgres_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")
