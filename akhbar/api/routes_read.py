"""Read endpoints of the JSON API: articles, search, stories, entities, events, pair timelines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from akhbar.api import models as m
from akhbar.api import queries
from akhbar.errors import QueryError
from akhbar.model import Event
from akhbar.semantic import find, hits, related
from akhbar.store.base import ArticleFilter, EventFilter, SearchHit, Store

router = APIRouter(prefix="/api", tags=["read"])


def get_store(request: Request) -> Store:
    """The calling thread's store from the app's pool."""
    return request.app.state.pool.get()


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=200, description="Items per page (1–200).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")]
DateFrom = Annotated[dt.date | None, Query(description="Earliest date, YYYY-MM-DD.")]
DateTo = Annotated[dt.date | None, Query(description="Latest date, YYYY-MM-DD.")]


def article_filter(
    store: Store, outlet: str | None, date_from: dt.date | None, date_to: dt.date | None,
    entity: str | None, story: int | None = None,
) -> ArticleFilter:
    """The store filter for query parameters; an entity may be given by id or by a name."""
    ent = queries.resolve_entity(store, entity) if entity else None
    return ArticleFilter(outlet=outlet or None, date_from=date_from, date_to=date_to, entity=ent, story=story)


@router.get("/articles", response_model=m.ArticleList, summary="List articles, newest first")
def list_articles(
    store: StoreDep, outlet: str | None = None, date_from: DateFrom = None, date_to: DateTo = None,
    entity: str | None = None, story: int | None = None, limit: Limit = 20, offset: Offset = 0,
) -> m.ArticleList:
    filt = article_filter(store, outlet, date_from, date_to, entity, story)
    items = store.list_articles(filt, limit=limit, offset=offset)
    return m.ArticleList(
        total=store.count_articles(filt), limit=limit, offset=offset,
        items=[m.ArticleSummary.model_validate(a) for a in items],
    )


@router.get("/articles/{article_id}", response_model=m.ArticleDetail, summary="One article with its analyses")
def get_article(store: StoreDep, article_id: int) -> m.ArticleDetail:
    article = store.get_article(article_id, full=True)
    detail = m.ArticleDetail.model_validate(article)
    for ev in detail.events:
        ev.article_id = article_id
    return detail


@router.get("/search", response_model=m.SearchResults, summary="Full-text search with highlighted snippets")
def search(
    store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=500, description="Words or \"a phrase\".")],
    outlet: str | None = None, date_from: DateFrom = None, date_to: DateTo = None, entity: str | None = None,
    limit: Limit = 20, offset: Offset = 0,
    semantic: Annotated[bool, Query(description="Rank by meaning (vectors from `akhbar embed`); any language.")] = False,
) -> m.SearchResults:
    page = find(store, q, article_filter(store, outlet, date_from, date_to, entity), semantic=semantic,
                limit=limit, offset=offset)
    return m.SearchResults(query=q, total=page.total, total_exact=page.total_exact, order=page.order, limit=limit,
                           offset=offset, items=[_hit_out(h) for h in page.hits])


def _hit_out(hit: SearchHit) -> m.SearchHitOut:
    return m.SearchHitOut(article=m.ArticleSummary.model_validate(hit.article), score=hit.score,
                          snippets=[m.Snippet(text=t, highlights=spans) for t, spans in hit.snippets])


@router.get("/articles/{article_id}/related", response_model=list[m.SearchHitOut],
            summary="Articles closest in meaning (needs `akhbar embed`)")
def related_articles(store: StoreDep, article_id: int, limit: Limit = 10) -> list[m.SearchHitOut]:
    return [_hit_out(h) for h in hits(store, related(store, article_id, limit=limit))]


@router.get("/stories", response_model=m.StoryList, summary="List stories")
def list_stories(
    store: StoreDep, order: Literal["newest", "largest"] = "newest", limit: Limit = 20, offset: Offset = 0,
) -> m.StoryList:
    stories = store.list_stories(limit=limit, offset=offset, order=order)
    return m.StoryList(limit=limit, offset=offset, items=[m.StoryOut.model_validate(s) for s in stories])


@router.get("/stories/{story_id}", response_model=m.StoryDetail, summary="A story: summary, articles, timeline")
def get_story(
    store: StoreDep, story_id: int,
    sentences: Annotated[int | None, Query(ge=1, le=50, description="Summary length in sentences "
                                           "(default: the stored summary).")] = None,
) -> m.StoryDetail:
    prof = queries.story_profile(store, story_id, sentences=sentences)
    base = m.StoryOut.model_validate(prof.story).model_dump()
    return m.StoryDetail(
        **base,
        outlets=[o for o in prof.by_outlet if o],
        articles=[m.ArticleSummary.model_validate(a) for a in prof.articles],
        timeline=[event_out(aid, ev) for aid, ev in prof.timeline],
        entities=[m.EntityCount(id=i, name=n, count=c) for i, n, c in prof.entities],
    )


@router.get("/entities", response_model=m.EntityList, summary="Entities, most mentioned first")
def list_entities(
    store: StoreDep, type: Literal["PER", "ORG", "GPE"] | None = None, limit: Limit = 50, offset: Offset = 0,
) -> m.EntityList:
    rows = store.entity_stats(type=type, limit=limit, offset=offset)
    return m.EntityList(limit=limit, offset=offset, items=[m.EntityStat(**r) for r in rows])


@router.get("/entities/{entity_id}", response_model=m.EntityDetail, summary="An entity: spellings, articles, related")
def get_entity(store: StoreDep, entity_id: str) -> m.EntityDetail:
    prof = queries.entity_profile(store, entity_id)
    ent = prof.entity
    return m.EntityDetail(
        id=ent.id, name=ent.name, type=ent.type, actor=ent.actor, urdu=ent.urdu,
        in_knowledge_base=prof.known, article_count=prof.article_count,
        surfaces=[m.SurfaceCount(surface=s, count=c) for s, c in prof.surfaces],
        articles=[m.ArticleSummary.model_validate(a) for a in prof.articles],
        related=[m.EntityCount(id=i, name=n, count=c) for i, n, c in prof.related],
        events=[event_out(aid, ev) for aid, ev in prof.events],
    )


def event_out(article_id: int, ev: Event) -> m.EventOut:
    """An event as the API shows it, with the article it was read from."""
    out = m.EventOut.model_validate(ev)
    out.article_id = article_id
    return out


_EXPORT_FIELDS = list(m.EventOut.model_fields)


@router.get(
    "/events", summary="Events by actor pair, actor, type and date; JSON, CSV or JSONL",
    response_model=m.EventList,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def list_events(
    store: StoreDep, a: str | None = Query(None, description="Actor code; with b, events between a and b."),
    b: str | None = None, actor: str | None = None, type: str | None = None, date_from: DateFrom = None,
    date_to: DateTo = None, article: int | None = None, format: Literal["json", "csv", "jsonl"] = "json",
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000, offset: Offset = 0,
):
    if (a is None) != (b is None):
        raise QueryError("an actor pair needs both a and b (e.g. a=USA&b=RUS); for one actor use actor=")
    filt = EventFilter(actors=(a, b) if a and b else None, actor=actor, type=type, date_from=date_from,
                       date_to=date_to, article_id=article)
    items = [event_out(aid, ev) for aid, ev in store.list_events(filt, limit=limit, offset=offset)]
    if format == "json":
        return m.EventList(limit=limit, offset=offset, items=items)
    if format == "jsonl":
        lines = "".join(json.dumps(e.model_dump(mode="json"), ensure_ascii=False) + "\n" for e in items)
        return Response(lines, media_type="application/x-ndjson; charset=utf-8")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=_EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows(e.model_dump(mode="json") for e in items)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get("/timeline", response_model=m.Timeline, summary="Cooperation–conflict series for an actor pair")
def timeline(
    store: StoreDep, a: Annotated[str, Query(min_length=1)], b: Annotated[str, Query(min_length=1)],
    bucket: Literal["day", "month", "year"] = "month", date_from: DateFrom = None, date_to: DateTo = None,
) -> m.Timeline:
    points = queries.pair_timeline(store, a, b, bucket=bucket, date_from=date_from, date_to=date_to)
    return m.Timeline(
        a=a, b=b, bucket=bucket,
        points=[m.TimelinePointOut(period=p.period, events=p.events, cooperation=p.cooperation,
                                   conflict=p.conflict, net=p.net, types=p.types) for p in points],
    )
