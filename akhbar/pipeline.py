"""Runs the stages over a stream of documents: read -> clean -> per-article stages -> store -> stories.

Per-article stages are plain functions `(article, ctx) -> None` run in order (entities, events,
quotes, one-line summary); corpus stages (near-duplicates, stories) run on the new article ids,
every STORY_BATCH and at the end. `process` is pure and picklable, so it runs as well in a worker
process; with a pool, the corpus stages run in a process of their own, overlapping it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from akhbar.errors import AkhbarError, InputError
from akhbar.ingest.clean import clean
from akhbar.ingest.readers import MAX_ARTICLE_BYTES, RawDoc, iter_files, read_file
from akhbar.model import Article
from akhbar.store import Store

if TYPE_CHECKING:
    from akhbar.parallel import BackgroundCorpus

# (module, function) of each per-article stage, in pipeline order; a stage whose module is
# not present in this build is skipped.
STAGES: tuple[tuple[str, str], ...] = (
    ("akhbar.entities", "recognise"),
    ("akhbar.events", "code_events"),
    ("akhbar.events", "extract_quotes"),
    ("akhbar.stories", "one_line_summary"),
)

STORY_BATCH = 2000  # corpus stages run every this many new articles, so memory stays flat
WRITE_BATCH = 64  # articles written per store transaction: one commit (fsync) per batch, not per article

Component = Callable[[Article, "Context | None"], None]


@dataclass
class Context:
    """Shared, per-process state for components (caches); never holds the store."""

    cache: dict = field(default_factory=dict)


@cache
def components() -> tuple[Component, ...]:
    """The per-article stage functions available in this build, in order."""
    found = []
    for module_name, attr in STAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        fn = getattr(module, attr, None)
        if fn is not None:
            found.append(fn)
    return tuple(found)


def process(doc: RawDoc, ctx: Context | None = None) -> Article:
    """Clean one document and run every per-article stage on it."""
    article = clean(doc)
    for component in components():
        component(article, ctx)
    return article


def process_safe(doc: RawDoc) -> Article | AkhbarError:
    """`process`, returning the error instead of raising it (for worker pools)."""
    try:
        return process(doc)
    except AkhbarError as exc:
        return exc


@dataclass
class IngestReport:
    """What an ingest run did."""

    files: int = 0
    seen: int = 0
    added: int = 0
    existing: int = 0
    errors: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)  # stored but not yet given to the story stage


def iter_docs(paths: Iterable[str | Path], report: IngestReport, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawDoc]:
    """Stream RawDocs from files and folders; unreadable files are reported and skipped."""
    try:
        files = list(iter_files(list(paths)))
    except InputError as exc:
        report.errors.append(str(exc))
        return
    for path in files:
        report.files += 1
        try:
            yield from read_file(path, max_bytes)
        except InputError as exc:
            report.errors.append(str(exc))
        except OSError as exc:
            report.errors.append(f"{path}: cannot read ({exc.strerror or exc})")


def ingest_docs(
    docs: Iterable[RawDoc],
    store: Store,
    report: IngestReport | None = None,
    *,
    workers: int = 1,
    dask_address: str | None = None,
    on_article: Callable[[Article, bool], None] | None = None,
    stories: bool = True,
    write_batch: int = WRITE_BATCH,
) -> IngestReport:
    """Process and store documents (one transaction per WRITE_BATCH), then update near-duplicates and stories."""
    report = report or IngestReport()
    pooled = workers > 1 or bool(dask_address)
    if pooled:
        from akhbar.parallel import map_docs

        results: Iterable[Article | AkhbarError] = map_docs(docs, process_safe, workers=workers, dask_address=dask_address)
    else:
        results = map(process_safe, docs)
    _store_kb(store)
    corpus = corpus_stages(store, background=pooled) if stories else None
    try:
        batch: list[Article] = []
        for result in results:
            report.seen += 1
            if isinstance(result, AkhbarError):
                report.errors.append(str(result))
                continue
            batch.append(result)
            if len(batch) >= write_batch:
                _write(store, batch, report, on_article, corpus)
                batch = []
        _write(store, batch, report, on_article, corpus)
        if corpus is not None:
            corpus.finish()
            report.new_ids.clear()
    finally:
        if corpus is not None:
            corpus.close()
    return report


def catch_up_stories(store: Store, story_batch: int | None = None) -> None:
    """Run the corpus stages on every stored article without a story: this ingest's, and those an
    earlier ingest stored but never clustered (`--no-stories`, or killed before its corpus stages)."""
    pending, step = store.unassigned_ids(), story_batch or STORY_BATCH
    for start in range(0, len(pending), step):
        update_stories(store, pending[start : start + step])


def corpus_stages(store: Store, *, background: bool) -> CorpusStages | BackgroundCorpus:
    """The corpus stages of one ingest: in a process of their own when `background` and the store
    can be opened twice (a file or a server, not ':memory:'), else in this one."""
    if background and getattr(store, "url", ":memory:") != ":memory:":
        from akhbar.parallel import BackgroundCorpus

        return BackgroundCorpus(store.url, STORY_BATCH)
    return CorpusStages(store)


class CorpusStages:
    """Runs the corpus stages on batches of stored ids, in the order given, in this process."""

    def __init__(self, store: Store):
        self.store = store

    def add(self, ids: list[int]) -> None:
        """Place one batch of newly stored articles (near-duplicates, stories)."""
        update_stories(self.store, ids)

    def finish(self) -> None:
        """Place every stored article still without a story (the last batch, earlier runs' leftovers)."""
        catch_up_stories(self.store)

    def close(self) -> None:
        """Release what `add` started (nothing here)."""


def _write(
    store: Store, batch: list[Article], report: IngestReport,
    on_article: Callable[[Article, bool], None] | None, corpus: CorpusStages | BackgroundCorpus | None,
) -> None:
    """Store one batch in one transaction; hand the corpus stages every STORY_BATCH new articles."""
    if not batch:
        return
    for article, (article_id, created) in zip(batch, store.add_articles(batch), strict=True):
        if created:
            report.added += 1
            report.new_ids.append(article_id)
        else:
            report.existing += 1
        if on_article:
            on_article(article, created)
    if corpus is not None and len(report.new_ids) >= STORY_BATCH:
        corpus.add(list(report.new_ids))
        report.new_ids.clear()


def ingest_paths(paths: Iterable[str | Path], store: Store, **kwargs) -> IngestReport:
    """Read, process and store every article under `paths`."""
    report = IngestReport()
    return ingest_docs(iter_docs(paths, report), store, report, **kwargs)


def reanalyse(store: Store, ids: list[int] | None = None) -> int:
    """Re-run the per-article stages on stored articles (after a knowledge-base or rule update)."""
    count = 0
    _store_kb(store)
    for article in store.iter_articles(full=True, ids=ids):
        article.mentions, article.events, article.quotes = [], [], []
        for component in components():
            component(article, None)
        store.replace_analysis(article)
        count += 1
    update_stories(store, None)
    return count


def update_stories(store: Store, new_ids: list[int] | None) -> None:
    """Run the corpus-level stages (near-duplicates, stories) for new article ids, if present."""
    try:
        from akhbar.stories import update
    except ImportError:
        return
    update(store, new_ids)


def _store_kb(store: Store) -> None:
    try:
        from akhbar.entities import all_entities
    except ImportError:
        return
    store.upsert_entities(all_entities())
