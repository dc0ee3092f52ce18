"""Parallel batch: a process pool and a Dask LocalCluster give exactly the serial results."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akhbar import parallel, pipeline
from akhbar.errors import InputError
from akhbar.ingest.readers import RawDoc
from akhbar.store import open_store
from tests import pgcluster
from tests.articles import fingerprint


def _docs(seeds_dir, copies: int = 1) -> list[RawDoc]:
    docs = []
    for path in sorted(seeds_dir.glob("*.txt")):
        for k in range(copies):
            docs.append(RawDoc(path.read_text("utf-8"), "txt", f"{path.stem}", f"{path}#{k}"))
    return docs


def _length(doc: RawDoc) -> int:
    return len(doc.content)


def test_pool_streams_results_in_input_order(seeds_dir):
    docs = _docs(seeds_dir, copies=5)
    assert list(parallel.map_docs(docs, _length, workers=2)) == [len(d.content) for d in docs]


def _niceness(doc: RawDoc) -> int:
    return os.nice(0)


def test_pool_workers_yield_the_cpu_to_the_serial_stages(seeds_dir):
    # the parent's store writes and the corpus process are serial: workers run at a lower priority
    own = os.nice(0)
    first, *rest = parallel.map_docs(_docs(seeds_dir, copies=4), _niceness, workers=2)
    assert first == own  # the first document warms the stages in the parent, which forks the workers
    assert set(rest) == {min(19, own + parallel.WORKER_NICE)} and len(rest) == 19


def test_task_keys_are_unique_for_identical_documents(seeds_dir):
    doc = _docs(seeds_dir)[0]
    keys = {parallel.task_key(doc, i) for i in range(3)}
    assert len(keys) == 3 and all(doc.source_id in k for k in keys)


def _ingest(tmp_path, name, docs, **kwargs):
    store = open_store(str(tmp_path / f"{name}.db"))
    report = pipeline.ingest_docs(docs, store, stories=False, **kwargs)
    return store, report


def test_process_pool_ingest_equals_serial(tmp_path, seeds_dir):
    docs = _docs(seeds_dir, copies=2)  # each seed twice: the second copy must not be stored again
    serial, r1 = _ingest(tmp_path, "serial", docs)
    pooled, r2 = _ingest(tmp_path, "pool", docs, workers=2)
    assert (r2.added, r2.existing) == (r1.added, r1.existing) == (5, 5)
    assert fingerprint(pooled) == fingerprint(serial)


def test_a_document_rejected_in_a_worker_is_reported_and_the_rest_stored(tmp_path, seeds_dir):
    # the worker returns the InputError to the parent: it must survive pickling with its fields
    bad = RawDoc("<html><body><nav>x</nav></body></html>", "html", "bad", "bad.html")
    docs = [*_docs(seeds_dir)[:2], bad, *_docs(seeds_dir)[2:]]
    store, report = _ingest(tmp_path, "pool", docs, workers=2)
    assert report.added == 5 and len(report.errors) == 1
    assert report.errors[0].startswith("bad.html: no article text")
    err = pickle.loads(pickle.dumps(InputError("f.txt", "empty", "3")))
    assert (str(err), err.path, err.problem, err.where) == ("f.txt:3: empty", "f.txt", "empty", "3")


def test_dask_local_cluster_ingest_equals_serial(tmp_path, seeds_dir):
    pytest.importorskip("dask.distributed")
    docs = _docs(seeds_dir, copies=2)
    serial, _ = _ingest(tmp_path, "serial", docs)
    dasked, report = _ingest(tmp_path, "dask", docs, dask_address="local", workers=2)
    assert (report.added, report.existing, report.errors) == (5, 5, [])
    assert fingerprint(dasked) == fingerprint(serial)


def test_unreachable_scheduler_is_a_clear_error(seeds_dir, monkeypatch):
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(parallel.AkhbarError, match="Dask scheduler"):
        list(parallel.map_docs(_docs(seeds_dir), _length, dask_address="tcp://127.0.0.1:9"))


def _variants(seeds_dir, copies: int) -> list[RawDoc]:
    """Each seed `copies` times, each copy with a line of its own: near-duplicates, all stored."""
    return [RawDoc(f"{path.read_text('utf-8')}\n\nنوٹ نمبر {k}", "txt", f"{path.stem}-{k}", f"{path}#{k}")
            for k in range(copies) for path in sorted(seeds_dir.glob("*.txt"))]


def _stories_of(store) -> tuple:
    from akhbar.stories import duplicate_groups

    return store.list_stories(limit=1000), duplicate_groups(store)


def _db_url(kind: str, tmp_path, name: str) -> str:
    if kind == "sqlite":
        return str(tmp_path / f"{name}.db")
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    return pgcluster.fresh_database()


@pytest.mark.parametrize(("kind", "parallel_run"), [
    ("sqlite", {"workers": 2}), ("postgres", {"workers": 2}), ("sqlite", {"dask_address": "local", "workers": 2}),
])
def test_overlapped_corpus_stages_give_the_serial_stories(tmp_path, seeds_dir, monkeypatch, kind, parallel_run):
    """With a pool the story batches run in their own process while the pool works: same batches, same stories."""
    if "dask_address" in parallel_run:
        pytest.importorskip("dask.distributed")
    monkeypatch.setattr(pipeline, "STORY_BATCH", 4)  # several story batches, queued while articles are stored
    docs = _variants(seeds_dir, copies=3)
    runs = {}
    for name, kwargs in (("serial", {}), ("pool", parallel_run)):
        store = open_store(_db_url(kind, tmp_path, name))
        report = pipeline.ingest_docs(docs, store, write_batch=3, **kwargs)
        assert (report.added, report.errors, store.unassigned_ids()) == (15, [], [])
        runs[name] = _stories_of(store)
        store.close()
    stories, groups = runs["pool"]
    assert sum(len(s.article_ids) for s in stories) == 15 and groups  # every article placed, copies grouped
    assert runs["pool"] == runs["serial"]


def test_a_failing_corpus_stage_fails_the_ingest_and_keeps_the_articles(tmp_path, seeds_dir, monkeypatch):
    """An error in the corpus-stage process is raised in the parent; what was stored stays, and the next
    ingest places it once the cause is gone."""
    from akhbar.stories import STATE_KIND

    monkeypatch.setattr(pipeline, "STORY_BATCH", 4)
    store = open_store(str(tmp_path / "broken.db"))
    store.put_blobs(STATE_KIND, {"cluster": b"not a pickle"})  # the stage cannot read its clustering state
    with pytest.raises(pickle.UnpicklingError) as failed:
        pipeline.ingest_docs(_variants(seeds_dir, copies=2), store, workers=2, write_batch=3)
    assert any("corpus-stage process" in note for note in failed.value.__notes__)
    stored = store.count_articles()
    assert stored >= 4 and len(store.unassigned_ids()) == stored  # kept, no story half-written
    store.delete_blobs(STATE_KIND, ["cluster"])
    again = pipeline.ingest_docs(_variants(seeds_dir, copies=2), store, workers=2, write_batch=3)
    assert again.added == 10 - stored and store.unassigned_ids() == []


def test_corpus_stages_stay_in_process_for_a_store_that_cannot_be_opened_twice():
    store = open_store(":memory:")
    assert type(pipeline.corpus_stages(store, background=True)) is pipeline.CorpusStages


def _analyser_of(doc: RawDoc) -> tuple[int, int | None]:
    """(this process, its lt-proc) after analysing `doc`."""
    import os

    from akhbar.entities import morph

    pipeline.process(doc)
    morph._analyse(f"{doc.source_id} {os.getpid()}")  # words no cache holds: the analyser is asked
    return os.getpid(), morph._proc.pid if morph._proc else None


def test_forked_workers_inherit_warm_stages_but_start_their_own_analyser(seeds_dir):
    """The parent runs the first document itself (loading the stages once for every forked worker); its
    lt-proc pipes are not shared: each worker talks to an lt-proc of its own."""
    from akhbar.entities import morph

    if not morph.available():
        pytest.skip("lt-proc or apertium-urd not installed")
    if parallel.multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are not forked on this platform")
    results = list(parallel.map_docs(_docs(seeds_dir, copies=6), _analyser_of, workers=2))
    parent, parent_analyser = results[0]
    workers = {pid: proc for pid, proc in results[1:]}
    assert parent_analyser is not None and parent not in workers and len(workers) == 2
    assert None not in workers.values() and len({parent_analyser, *workers.values()}) == 3


def _gone(pid: int) -> bool:
    """Whether `pid` has exited (gone, or a zombie no one has reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_the_corpus_process_ends_when_its_parent_is_killed(tmp_path):
    """A killed ingest runs no more corpus stages: its corpus process, busy (here: waiting for a lock), does
    not live on to race the next ingest."""
    import sqlite3

    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    db = str(tmp_path / "k.db")
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # the corpus process cannot open the store: it waits (up to 30 s)
    code = ("import time; from akhbar.parallel import BackgroundCorpus; "
            f"b = BackgroundCorpus({db!r}, 4); print(b.proc.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    time.sleep(1)
    assert not _gone(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    holder.close()
    assert _gone(child)
