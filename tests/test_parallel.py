"""Parallel batch: a process pool and a Dask LocalCluster give exactly the serial results."""

from __future__ import annotations

import pytest

from akhbar import parallel, pipeline
from akhbar.ingest.readers import RawDoc
from akhbar.store import open_store
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
