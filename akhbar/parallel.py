"""Run the per-article pipeline in parallel: a process pool on one machine, or a Dask cluster.

Results stream back in input order with a bounded number of documents in flight, so memory
stays flat however large the corpus; the caller (the parent process) writes each result to
the store exactly once. Dask tasks are keyed by document id (plus position), because Dask
merges tasks with equal keys and identical inputs would otherwise collapse into one.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from akhbar.errors import AkhbarError
from akhbar.ingest.readers import RawDoc

T = TypeVar("T")

CHUNK = 8  # documents per process-pool task: amortises pickling and scheduling overhead
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker before the reader waits
CONNECT_TIMEOUT = "15s"  # how long to wait for a remote scheduler


def _run_chunk(fn: Callable[[RawDoc], T], docs: list[RawDoc]) -> list[T]:
    return [fn(d) for d in docs]


def _chunks(docs: Iterable[RawDoc], size: int) -> Iterator[list[RawDoc]]:
    it = iter(docs)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def map_docs(
    docs: Iterable[RawDoc],
    fn: Callable[[RawDoc], T],
    *,
    workers: int = 1,
    dask_address: str | None = None,
) -> Iterator[T]:
    """Apply picklable `fn` to every document in parallel, yielding results in input order."""
    if dask_address:
        yield from _map_dask(docs, fn, dask_address, workers)
    elif workers <= 1:
        yield from map(fn, docs)
    else:
        yield from _map_pool(docs, fn, workers)


def _map_pool(docs: Iterable[RawDoc], fn: Callable[[RawDoc], T], workers: int) -> Iterator[T]:
    limit = workers * IN_FLIGHT_PER_WORKER
    pending: deque[Future] = deque()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk in _chunks(docs, CHUNK):
            pending.append(pool.submit(_run_chunk, fn, chunk))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


_KEY_UNSAFE = re.compile(r"[^\w.:/@-]+")


def task_key(doc: RawDoc, position: int) -> str:
    """The Dask key of one document's task: its id, made unique by its position in the stream."""
    return f"akhbar-process-{position}-{_KEY_UNSAFE.sub('_', doc.source_id)[:120]}"


def connect(address: str, workers: int = 1) -> Any:
    """A Dask Client for `address` ('local' starts a LocalCluster of `workers` processes)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise AkhbarError("Dask is not installed: pip install 'dask[distributed]'") from exc
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
            client._akhbar_cluster = cluster  # closed together with the client
            return client
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise AkhbarError(
            f"cannot reach the Dask scheduler at {address!r} ({exc}); start one with `dask scheduler` "
            "and workers with `dask worker ADDRESS`, or use --dask local"
        ) from exc


def _map_dask(docs: Iterable[RawDoc], fn: Callable[[RawDoc], T], address: str, workers: int) -> Iterator[T]:
    client = connect(address, workers)
    try:
        slots = max(4, sum(client.nthreads().values()) * IN_FLIGHT_PER_WORKER)
        pending: deque = deque()
        for position, doc in enumerate(docs):
            pending.append(client.submit(fn, doc, key=task_key(doc, position), pure=False, retries=1))
            while len(pending) >= slots:
                yield _take(pending.popleft())
        while pending:
            yield _take(pending.popleft())
    finally:
        cluster = getattr(client, "_akhbar_cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()


def _take(future: Any) -> Any:
    result = future.result()
    future.release()  # let the cluster forget the result once the parent has it
    return result
