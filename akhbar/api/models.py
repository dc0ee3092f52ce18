"""Pydantic response and request models of the JSON API (they document /openapi.json)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

_ATTRS = ConfigDict(from_attributes=True)


class ArticleSummary(BaseModel):
    """An article in a listing: metadata and headline, no text."""

    model_config = _ATTRS
    id: int
    source_id: str | None = None
    headline: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    story_id: int | None = None
    summary: str | None = None


class SentenceOut(BaseModel):
    model_config = _ATTRS
    index: int
    start: int
    end: int
    text: str


class MentionOut(BaseModel):
    model_config = _ATTRS
    start: int
    end: int
    surface: str
    type: str
    entity_id: str | None = None
    sentence: int | None = None
    method: str
    score: float


class EventOut(BaseModel):
    """One coded event; `article_id` says where it was read."""

    model_config = _ATTRS
    article_id: int | None = None
    type: str
    source: str | None = None
    target: str | None = None
    sentence: int
    evidence: str
    mode: str
    negated: bool
    score: float
    date: dt.date | None = None
    pattern: str | None = None
    source_entity: str | None = None
    target_entity: str | None = None


class QuoteOut(BaseModel):
    model_config = _ATTRS
    text: str
    sentence: int
    speaker: str | None = None
    speaker_surface: str | None = None
    kind: str
    start: int | None = None
    end: int | None = None


class RemovedOut(BaseModel):
    model_config = _ATTRS
    line: int
    text: str
    rule: str


class ArticleDetail(ArticleSummary):
    """One article with its clean text and everything the stages found in it."""

    body: str
    language: str | None = None
    credits: list[str] = []
    sentences: list[SentenceOut] = []
    mentions: list[MentionOut] = []
    events: list[EventOut] = []
    quotes: list[QuoteOut] = []
    removed: list[RemovedOut] = []


class ArticleList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ArticleSummary]


class Snippet(BaseModel):
    """A sentence of the original text; `highlights` are [start, end) offsets into `text`."""

    text: str
    highlights: list[tuple[int, int]]


class SearchHitOut(BaseModel):
    article: ArticleSummary
    score: float
    snippets: list[Snippet]


class SearchResults(BaseModel):
    query: str
    total: int = Field(description="Matches: exact when total_exact, else a lower bound (counting stops at 10,000).")
    total_exact: bool = Field(True, description="False when there are more than `total` matches.")
    order: Literal["relevance", "newest", "meaning"] = Field(
        "relevance", description="newest: the query matches too many articles to rank, newest come first; "
                                 "meaning: a semantic search, nearest vectors first (total = articles ranked).")
    limit: int
    offset: int
    items: list[SearchHitOut]


class StoryOut(BaseModel):
    model_config = _ATTRS
    id: int
    label: str
    label_en: str = ""
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    thread_id: int | None = None
    summary: list[str] = []
    article_ids: list[int] = []

    @computed_field(description="How many articles the story holds (all of them, not only those listed).")
    @property
    def article_count(self) -> int:
        return len(self.article_ids)


class StoryList(BaseModel):
    limit: int
    offset: int
    items: list[StoryOut]


class EntityCount(BaseModel):
    id: str
    name: str
    count: int


class StoryDetail(StoryOut):
    """A story with its articles (the oldest 100), their outlets, its event timeline (oldest first), its entities."""

    outlets: list[str] = []
    articles: list[ArticleSummary]
    timeline: list[EventOut]
    entities: list[EntityCount]


class EntityStat(BaseModel):
    id: str
    name: str
    type: str | None = None
    mentions: int
    articles: int
    surfaces: list[str]


class EntityList(BaseModel):
    limit: int
    offset: int
    items: list[EntityStat]


class SurfaceCount(BaseModel):
    surface: str
    count: int


class EntityDetail(BaseModel):
    """An entity with every spelling seen, its articles, events and co-occurring entities."""

    id: str
    name: str
    type: str
    actor: str | None = None
    urdu: list[str] = []
    in_knowledge_base: bool
    article_count: int
    surfaces: list[SurfaceCount]
    articles: list[ArticleSummary]
    related: list[EntityCount]
    events: list[EventOut]


class EventList(BaseModel):
    limit: int
    offset: int
    items: list[EventOut]


class TimelinePointOut(BaseModel):
    period: str
    events: int
    cooperation: float
    conflict: float
    net: float
    types: dict[str, int]


class Timeline(BaseModel):
    """Cooperation (sum of positive scores) and conflict (sum of negative ones) per period."""

    a: str
    b: str
    bucket: str
    points: list[TimelinePointOut]


class ArticleIn(BaseModel):
    """An article to ingest: the raw text (or HTML) and whatever metadata is known."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000_000, description="Article text or HTML, UTF-8.")
    headline: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=200)
    published: dt.date | None = None
    format: str = Field("txt", pattern="^(txt|html)$", description="txt or html")


class IngestResult(BaseModel):
    id: int
    created: bool
    headline: str | None = None


class ErrorOut(BaseModel):
    """Every error the API returns: what went wrong, for a person to read."""

    error: str
    detail: list[dict] | None = None
