"""Run the per-article pipeline in parallel: a process pool on one machine, or a Dask cluster.

Results stream back in input order with a bounded number of documents in flight, so memory
stays flat however large the corpus; the caller (the parent process) writes each result to
the store exactly once. Dask tasks are keyed by document id (plus position), because Dask
merges tasks with equal keys and identical inputs would otherwise collapse into one.

`BackgroundCorpus` runs the corpus stages (near-duplicates, stories) of a parallel ingest in a
process of their own over their own store connection, so the pool keeps working meanwhile.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

import akhbar
from akhbar.errors import AkhbarError
from akhbar.ingest.readers import RawDoc

T = TypeVar("T")

CHUNK = 8  # documents per process-pool task: amortises pickling and scheduling overhead
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker before the reader waits
CONNECT_TIMEOUT = "15s"  # how long to wait for a remote scheduler
CORPUS_QUEUE = 2  # story batches handed to the corpus process and not yet done before the parent waits
PARENT_CHECK_S = 0.5  # how often the corpus process checks that its parent is still there
WORKER_NICE = 10  # pool workers yield the CPU to the parent and the corpus process, the serial stages they feed


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
    docs = iter(docs)
    first = list(itertools.islice(docs, 1)) if multiprocessing.get_start_method() == "fork" else []
    warm = _run_chunk(fn, first)  # loads models and tables here once: forked workers inherit them
    with ProcessPoolExecutor(max_workers=workers, initializer=_yield_cpu) as pool:
        yield from warm
        for chunk in _chunks(docs, CHUNK):
            pending.append(pool.submit(_run_chunk, fn, chunk))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _yield_cpu() -> None:
    """Lower this pool worker's priority: a worker's document can wait, the store writes and the story
    batch it would slow down cannot (they run one at a time); idle cores still go to the workers."""
    try:
        os.nice(WORKER_NICE)
    except OSError:  # not permitted here: run at the normal priority
        pass


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


class BackgroundCorpus:
    """The corpus stages of one ingest in a fresh Python process with its own connection to the store.

    Batches run there one after another in the order given, as `pipeline.CorpusStages` would run them
    here, so the stories are the same; the parent waits only when CORPUS_QUEUE batches are pending, and
    an error there is raised here (at the next call) with the child's traceback as a note. The child is
    started, not forked: a fork would share SQLite's per-process lock bookkeeping of the parent's connection.
    """

    def __init__(self, url: str, story_batch: int):
        env = dict(os.environ)
        root = os.path.dirname(os.path.dirname(os.path.abspath(akhbar.__file__)))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))  # this very akhbar
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from akhbar.parallel import corpus_main; corpus_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        self.pending = 0
        self._send((url, story_batch))

    def add(self, ids: list[int]) -> None:
        """Queue one batch of newly stored ids; wait first while CORPUS_QUEUE batches are pending."""
        while self.pending >= CORPUS_QUEUE:
            self._take()
        self._send(("batch", ids))
        self.pending += 1

    def finish(self) -> None:
        """Wait for every queued batch, then place the stored articles still without a story there."""
        self._send(("finish", None))
        self.pending += 1
        while self.pending:
            self._take()

    def close(self) -> None:
        """End the child: it exits at the end of its input after `finish`; stopped otherwise (the next ingest catches up)."""
        if self.pending and self.proc.poll() is None:
            self.proc.kill()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:  # a broken pipe to a child already gone
                pass
        self.proc.wait()

    def _send(self, message: object) -> None:
        try:
            pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except OSError:
            self._take()  # the child is gone: raise what it said, or that it died
            raise

    def _take(self) -> None:
        try:
            status, payload = pickle.load(self.proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            self.pending = 0
            raise AkhbarError(
                f"the corpus-stage process (near-duplicates, stories) ended unexpectedly (exit code "
                f"{self.proc.wait()}); the stored articles get their stories at the next ingest"
            ) from None
        self.pending -= 1
        if status == "error":
            self.pending = 0
            exc, trace = payload
            exc.add_note(f"raised in the corpus-stage process:\n{trace}")
            raise exc


def corpus_main() -> None:
    """Entry point of the corpus-stage process: (url, story_batch), then batches of ids, on stdin."""
    from akhbar import pipeline
    from akhbar.store import open_store

    inbox, outbox = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not corrupt the replies
    url, story_batch = pickle.load(inbox)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    store = None
    try:
        store = open_store(url)
        _import_stories()  # while the pool starts, not when the first batch is due
        while True:
            kind, ids = pickle.load(inbox)
            if kind == "finish":
                pipeline.catch_up_stories(store, story_batch)
            else:
                pipeline.update_stories(store, ids)
            _reply(outbox, ("done", None))
    except EOFError:  # the end of the parent's input: done, or the parent is gone
        pass
    except BaseException as exc:  # noqa: BLE001 - every error goes back to the parent
        _reply(outbox, ("error", (_picklable(exc), traceback.format_exc())))
    finally:
        if store is not None:
            store.close()


def _exit_with(parent: int) -> None:
    """Stop this process, mid-batch too, once the parent is gone (killed): a killed ingest runs no more
    corpus stages, as a serial one (its open transaction is rolled back; the next ingest catches up)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _import_stories() -> None:
    try:
        import akhbar.stories  # noqa: F401
    except ImportError:  # a build without the stories stage: update_stories does nothing
        pass


def _reply(outbox: Any, message: object) -> None:
    pickle.dump(message, outbox, protocol=pickle.HIGHEST_PROTOCOL)
    outbox.flush()


def _picklable(exc: BaseException) -> BaseException:
    """`exc` itself when it survives pickling (an AkhbarError keeps its one-line message), else a RuntimeError."""
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception may fail to pickle
        return RuntimeError(f"{type(exc).__name__}: {exc}")
