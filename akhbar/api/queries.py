"""Read-side views shared by the JSON API and the web pages, built only on the Store interface.

Each function gathers what one page needs (an entity profile, a story with its timeline, an
actor pair's cooperation–conflict series) so the HTTP handlers stay thin.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from akhbar.errors import NotFound, QueryError
from akhbar.model import Article, Entity, Event, Story
from akhbar.store.base import ArticleFilter, EventFilter, Store
from akhbar.stories.cluster import chronological
from akhbar.stories.summarize import story_summary

MAX_PROFILE_ARTICLES = 100  # articles read in full to build an entity or story profile


@dataclass(slots=True)
class EntityProfile:
    """An entity with the spellings seen, its articles, events and co-occurring entities."""

    entity: Entity
    known: bool  # False when the entity is only seen in mentions, not in the knowledge base
    article_count: int
    articles: list[Article]
    surfaces: list[tuple[str, int]]
    related: list[tuple[str, str, int]]  # (entity id, name, shared articles)
    events: list[tuple[int, Event]]


@dataclass(slots=True)
class StoryProfile:
    """A story with its articles grouped by outlet, its event timeline and its entities."""

    story: Story
    articles: list[Article]
    by_outlet: dict[str, list[Article]]
    timeline: list[tuple[int, Event]]
    entities: list[tuple[str, str, int]]  # (entity id, name, mentions)


@dataclass(slots=True)
class TimelinePoint:
    """Events between two actors in one period: cooperation and conflict kept apart."""

    period: str
    events: int = 0
    cooperation: float = 0.0
    conflict: float = 0.0
    types: dict[str, int] = field(default_factory=dict)

    @property
    def net(self) -> float:
        return self.cooperation + self.conflict


def entity_name(store: Store, entity_id: str, cache: dict[str, str] | None = None) -> str:
    """The display name of an entity: its first Urdu form, else its English name, else the id."""
    if cache is not None and entity_id in cache:
        return cache[entity_id]
    try:
        ent = store.get_entity(entity_id)
        name = ent.urdu[0] if ent.urdu else ent.name
    except NotFound:
        name = entity_id
    if cache is not None:
        cache[entity_id] = name
    return name


def stat_names(store: Store, stats: list[dict]) -> dict[str, str]:
    """Display names for `entity_stats` rows: the KB's Urdu name, else the first spelling seen."""
    out = {}
    for row in stats:
        name = entity_name(store, row["id"])
        out[row["id"]] = row["surfaces"][0] if name == row["id"] and row["surfaces"] else name
    return out


def resolve_entity(store: Store, text: str) -> str | None:
    """An entity id for `text`: the id itself when known, else the entities stage's resolver."""
    text = text.strip()
    if not text:
        return None
    try:
        store.get_entity(text)
        return text
    except NotFound:
        pass
    try:
        from akhbar.entities import resolve  # the entities stage, when installed
    except ImportError:
        return text
    found = resolve(text)
    if found is None:
        return text
    return getattr(found, "id", found)


def entity_profile(store: Store, entity_id: str, *, limit: int = 20) -> EntityProfile:
    """Everything the entity page shows; NotFound when neither the KB nor any mention knows it."""
    filt = ArticleFilter(entity=entity_id)
    count = store.count_articles(filt)
    try:
        entity, known = store.get_entity(entity_id), True
    except NotFound:
        if count == 0:
            raise
        entity, known = Entity(id=entity_id, name=entity_id, type=""), False
    surfaces: Counter[str] = Counter()
    related: Counter[str] = Counter()
    for art in _full_articles(store, store.list_articles(filt, limit=MAX_PROFILE_ARTICLES)):
        others = set()
        for m in art.mentions:
            if m.entity_id == entity_id:
                surfaces[m.surface] += 1
                if not entity.type:
                    entity.type = m.type
            elif m.entity_id:
                others.add(m.entity_id)
        related.update(others)
    names: dict[str, str] = {}
    events = _entity_events(store, entity)
    return EntityProfile(
        entity=entity,
        known=known,
        article_count=count,
        articles=store.list_articles(filt, limit=limit),
        surfaces=surfaces.most_common(),
        related=[(rid, entity_name(store, rid, names), n) for rid, n in related.most_common(15)],
        events=events,
    )


def _entity_events(store: Store, entity: Entity, limit: int = 200) -> list[tuple[int, Event]]:
    seen = store.list_events(EventFilter(actor=entity.actor), limit=limit) if entity.actor else []
    # events name entities directly too (source_entity / target_entity) when no actor code applies
    return seen or [
        (aid, ev) for aid, ev in store.list_events(limit=5000)
        if entity.id in (ev.source_entity, ev.target_entity)
    ][:limit]


def _full_articles(store: Store, articles: list[Article]) -> list[Article]:
    return [store.get_article(a.id, full=True) for a in articles if a.id is not None]


def story_profile(store: Store, story_id: int, *, sentences: int | None = None) -> StoryProfile:
    """Everything the story page shows; NotFound when the story does not exist.

    Articles are listed oldest first (the first 100 stored). With `sentences`, the summary is made afresh
    at that length from them.
    """
    story = store.get_story(story_id)
    articles = chronological(  # first stored first: by date, the order a reader follows
        store.list_articles(ArticleFilter(story=story_id), limit=MAX_PROFILE_ARTICLES, newest_first=False))
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for art in articles:
        by_outlet[art.outlet or ""].append(art)
    timeline: list[tuple[int, Event]] = []
    mentions: Counter[str] = Counter()
    full = _full_articles(store, articles)
    if sentences:
        story.summary = story_summary(full, sentences)  # `full` keeps `articles`' date order
    for art in full:
        for ev in art.events:
            if ev.date is None:
                ev.date = art.published
            timeline.append((art.id, ev))
        mentions.update(m.entity_id for m in art.mentions if m.entity_id)
    timeline.sort(key=lambda pair: (pair[1].date or dt.date.max, pair[0], pair[1].sentence))
    names: dict[str, str] = {}
    return StoryProfile(
        story=story,
        articles=articles,
        by_outlet=dict(sorted(by_outlet.items())),
        timeline=timeline,
        entities=[(eid, entity_name(store, eid, names), n) for eid, n in mentions.most_common(20)],
    )


def _period(day: dt.date, bucket: str) -> str:
    if bucket == "day":
        return day.isoformat()
    if bucket == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def pair_timeline(
    store: Store, a: str, b: str, *, bucket: str = "month", date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[TimelinePoint]:
    """Events between actors `a` and `b` (either direction) summed per period, oldest first."""
    if bucket not in ("day", "month", "year"):
        raise QueryError(f"bucket {bucket!r} is not known: use day, month or year")
    filt = EventFilter(actors=(a, b), date_from=date_from, date_to=date_to)
    points: dict[str, TimelinePoint] = {}
    for _aid, ev in store.list_events(filt, limit=100_000):
        if ev.date is None:
            continue
        key = _period(ev.date, bucket)
        point = points.setdefault(key, TimelinePoint(key))
        point.events += 1
        point.types[ev.type] = point.types.get(ev.type, 0) + 1
        if ev.score >= 0:
            point.cooperation += ev.score
        else:
            point.conflict += ev.score
    return [points[k] for k in sorted(points)]


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill (at least one, so empty listings still render)."""
    return max(1, -(-total // per_page))
