"""The store interface every backend implements; stages and front ends use only this."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from akhbar.model import Article, Entity, Event, Quote, Story

ANALYSES = ("sentences", "mentions", "events", "quotes")  # what a full article read loads, by Article field


@dataclass(slots=True)
class ArticleFilter:
    """Filters shared by listings, search and exports."""

    outlet: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    entity: str | None = None  # entity id
    story: int | None = None
    source_id: str | None = None


@dataclass(slots=True)
class SearchHit:
    """One search result: the article (without raw text) and its best matching sentences."""

    article: Article
    score: float
    snippets: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)


@dataclass(slots=True)
class SearchPage:
    """A page of search results and the total number of matches."""

    hits: list[SearchHit]
    total: int  # exact when total_exact; else search.COUNT_CAP, a lower bound
    query: str
    total_exact: bool = True
    order: str = "relevance"  # "newest" for a query too broad to rank (more matches than search.COUNT_CAP)


@dataclass(slots=True)
class EventFilter:
    """Filters for event listings: actor pair (either direction), type, dates, article."""

    actors: tuple[str, str] | None = None
    actor: str | None = None
    type: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    article_id: int | None = None


class Store(ABC):
    """Persistent corpus: articles, their analyses, entities and stories."""

    url: str

    # -- articles --------------------------------------------------------------------------
    def add_article(self, article: Article) -> tuple[int, bool]:
        """Store `article` and its analyses in one transaction; return (id, created).

        Idempotent: an article with the same content hash or URL is not stored twice.
        """
        return self.add_articles([article])[0]

    @abstractmethod
    def add_articles(self, articles: list[Article]) -> list[tuple[int, bool]]:
        """`add_article` for a batch in one transaction (all stored or none): bulk loads commit once."""

    @abstractmethod
    def replace_analysis(self, article: Article) -> None:
        """Rewrite the mentions, events, quotes and summary of a stored article (re-processing)."""

    @abstractmethod
    def get_article(self, article_id: int, *, full: bool = True) -> Article:
        """The article with this id (with sentences and analyses when `full`); NotFound if none."""

    @abstractmethod
    def find_ids(self, source_id: str) -> list[int]:
        """Ids of the articles read from a file or record with this source id."""

    @abstractmethod
    def list_articles(
        self, filt: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0, newest_first: bool = True
    ) -> list[Article]:
        """Articles (headline and metadata, no raw text) matching `filt`."""

    @abstractmethod
    def count_articles(self, filt: ArticleFilter | None = None) -> int:
        """How many articles match `filt`."""

    @abstractmethod
    def iter_articles(self, *, full: bool = True, batch: int = 200, ids: list[int] | None = None,
                      parts: Collection[str] = ANALYSES) -> Iterator[Article]:
        """Stream every article (or those in `ids`) in id order, `batch` at a time.

        When `full`, only the analyses named in `parts` (of ANALYSES) are read: a stage skips what it never uses.
        """

    @abstractmethod
    def ids_by_date(self, date_from: dt.date, date_to: dt.date, *, since_id: int | None = None) -> list[int]:
        """Ids of the articles published from `date_from` to `date_to` (inclusive) and of all with id >= `since_id`.

        Oldest first (undated last, then by id), from the date and key indexes: a corpus stage's time window.
        """

    @abstractmethod
    def search(
        self, query: str, filt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0
    ) -> SearchPage:
        """Full-text search over folded text, best first, with highlighted original snippets."""

    # -- entities --------------------------------------------------------------------------
    @abstractmethod
    def upsert_entities(self, entities: list[Entity]) -> None:
        """Write (or update) knowledge-base entities."""

    @abstractmethod
    def get_entity(self, entity_id: str) -> Entity:
        """The entity with this id; NotFound if none."""

    @abstractmethod
    def entity_stats(self, *, type: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        """Entities with their mention and article counts and the surface forms seen, most mentioned first."""

    # -- events, quotes ----------------------------------------------------------------------
    @abstractmethod
    def list_events(self, filt: EventFilter | None = None, *, limit: int = 1000, offset: int = 0) -> list[tuple[int, Event]]:
        """(article id, event) pairs matching `filt`, oldest first."""

    @abstractmethod
    def list_quotes(self, *, speaker: str | None = None, article_id: int | None = None, limit: int = 1000) -> list[tuple[int, Quote]]:
        """(article id, quote) pairs, optionally for one speaker entity or article."""

    # -- stories -----------------------------------------------------------------------------
    @abstractmethod
    def save_stories(self, stories: list[Story], assignments: dict[int, int], *, replace_all: bool = False) -> None:
        """Write these story records (others are kept) and the story id of these articles ({article id: story id}).

        Only what changed is written, so an incremental update costs what its batch touched;
        `replace_all` first deletes every story and clears every article's story id (a rebuild).
        """

    @abstractmethod
    def story_ids(self, article_ids: list[int]) -> dict[int, int | None]:
        """{article id: its story id, None before clustering} of the stored articles among `article_ids`, in one read."""

    @abstractmethod
    def unassigned_ids(self) -> list[int]:
        """Ids of stored articles no story holds yet (stored with `--no-stories`, or by an ingest stopped
        before its corpus stages ran), oldest id first: the stories stage catches up on them."""

    @abstractmethod
    def set_duplicates(self, dup_of: dict[int, int | None]) -> None:
        """Record each article's near-duplicate representative ({article id: representative id})."""

    @abstractmethod
    def list_stories(self, *, limit: int = 50, offset: int = 0, order: str = "newest",
                     threads: list[int] | None = None) -> list[Story]:
        """Stories, newest (by last date) or largest first; only those of the given `threads` when set."""

    @abstractmethod
    def get_story(self, story_id: int) -> Story:
        """The story with this id; NotFound if none."""

    # -- key/value side tables for stages (signatures, caches) ---------------------------------
    @abstractmethod
    def put_blobs(self, kind: str, items: dict[str, bytes]) -> None:
        """Store opaque per-stage data (e.g. MinHash signatures, vectors) by key."""

    @abstractmethod
    def get_blobs(self, kind: str, keys: list[str] | None = None) -> dict[str, bytes]:
        """Read per-stage data stored with `put_blobs` (all of a kind when `keys` is None)."""

    @abstractmethod
    def blob_keys(self, kind: str) -> set[str]:
        """The keys stored under `kind`, without reading their values (which may be large)."""

    @abstractmethod
    def delete_blobs(self, kind: str, keys: list[str] | None = None) -> None:
        """Remove per-stage data (all of a kind when `keys` is None), e.g. before a stage rebuilds it."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def analysis_parts(parts: Collection[str]) -> frozenset[str]:
    """`parts` as a set of ANALYSES names; ValueError for any other name."""
    unknown = set(parts) - set(ANALYSES)
    if unknown:
        raise ValueError(f"unknown article parts {sorted(unknown)}; choose from {list(ANALYSES)}")
    return frozenset(parts)
