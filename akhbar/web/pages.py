"""Server-rendered pages of the Urdu web UI; thin handlers over akhbar.api.queries and the Store."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from akhbar.api import queries
from akhbar.api.routes_read import StoreDep, article_filter
from akhbar.errors import AkhbarError, NotFound
from akhbar.semantic import find, hits, related
from akhbar.store.base import ArticleFilter, EventFilter, Store
from akhbar.web import TEMPLATES_DIR, charts, render

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["udate"] = render.urdu_date
templates.env.globals["marked"] = render.marked
templates.env.filters["http_url"] = render.http_url

PER_PAGE = 20
SEARCH_PER_PAGE = 10  # each hit costs a snippet pass over its sentences


@cache
def _route_paths() -> dict[str, str]:
    paths = {r.name: r.path_format for r in router.routes if isinstance(r, APIRoute)}
    paths["static"] = "/static/{path}"
    return paths


def link(name: str, **params: object) -> str:
    """Root-relative URL of the page route `name` (Starlette's url_for costs ~60 µs a call; pages make hundreds)."""
    quoted = {k: quote(str(v), safe="/" if name == "static" else "") for k, v in params.items()}
    return _route_paths()[name].format(**quoted)


templates.env.globals["link"] = link
Page = Annotated[int, Query(ge=1, le=100_000)]


def page_view(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    """Render template `name` with the shared context."""
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    """An error page that says, in Urdu and in the original English, what was not found or wrong."""
    return page_view(request, "error.html", status=status, status_code=status, message=message)


def pager(page: int, total: int, per_page: int = PER_PAGE) -> dict:
    """Pagination facts for the `pager` macro."""
    pages = queries.page_count(total, per_page)
    return {"page": page, "pages": pages, "total": total, "has_prev": page > 1, "has_next": page < pages}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep):
    entities = store.entity_stats(limit=12)
    return page_view(
        request, "home.html",
        stories=store.list_stories(limit=10),
        articles=store.list_articles(limit=10),
        article_total=store.count_articles(),
        entities=entities,
        names=queries.stat_names(store, entities),
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = "", page: Page = 1,
    entity: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None, semantic: bool = False,
):
    context = {"q": q, "entity": entity, "date_from": date_from, "date_to": date_to, "hits": [], "error": None,
               "semantic": semantic}
    if not q.strip():
        return page_view(request, "search.html", pager=pager(1, 0), **context)
    filt = article_filter(store, None, date_from, date_to, entity or None)
    try:
        result = find(store, q, filt, semantic=semantic, limit=SEARCH_PER_PAGE, offset=(page - 1) * SEARCH_PER_PAGE)
    except AkhbarError as exc:
        context["error"] = str(exc)
        return page_view(request, "search.html", status=400, pager=pager(1, 0), **context)
    context["hits"] = result.hits
    context["total_exact"] = result.total_exact
    context["newest_first"] = result.order == "newest"
    return page_view(request, "search.html", pager=pager(page, result.total, SEARCH_PER_PAGE), **context)


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, store: StoreDep, page: Page = 1, outlet: str = "", entity: str = ""):
    filt = ArticleFilter(outlet=outlet or None, entity=entity or None)
    total = store.count_articles(filt)
    items = store.list_articles(filt, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return page_view(request, "articles.html", articles=items, outlet=outlet, entity=entity, pager=pager(page, total))


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, store: StoreDep, article_id: int):
    article = store.get_article(article_id, full=True)
    names: dict[str, str] = {}
    speakers = {q.speaker: queries.entity_name(store, q.speaker, names) for q in article.quotes if q.speaker}
    story = None
    if article.story_id is not None:
        try:
            story = store.get_story(article.story_id)
        except NotFound:
            story = None
    return page_view(
        request, "article.html", article=article, story=story, speakers=speakers,
        paragraphs=render.linked_paragraphs(article.body, article.mentions), related=_related(store, article_id),
    )


def _related(store: Store, article_id: int) -> list:
    """Articles closest in meaning, when this one has a cached vector (`akhbar embed`); else none."""
    return hits(store, related(store, article_id, limit=5, embed_missing=False))


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, store: StoreDep, page: Page = 1):
    items = store.list_stories(limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    more = len(items) > PER_PAGE
    facts = {"page": page, "pages": None, "total": None, "has_prev": page > 1, "has_next": more}
    return page_view(request, "stories.html", stories=items[:PER_PAGE], pager=facts)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: int,
               sentences: Annotated[int | None, Query(ge=1, le=50)] = None):
    prof = queries.story_profile(store, story_id, sentences=sentences)
    return page_view(request, "story.html", prof=prof, story=prof.story)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, store: StoreDep, page: Page = 1, type: Literal["", "PER", "ORG", "GPE"] = "",
):
    rows = store.entity_stats(type=type or None, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    facts = {"page": page, "pages": None, "total": None, "has_prev": page > 1, "has_next": len(rows) > PER_PAGE}
    rows = rows[:PER_PAGE]
    return page_view(request, "entities.html", entities=rows, names=queries.stat_names(store, rows), type=type,
                     pager=facts)


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse)
def entity_page(request: Request, store: StoreDep, entity_id: str):
    prof = queries.entity_profile(store, entity_id)
    partners = sorted({ev.target if ev.source == prof.entity.actor else ev.source
                       for _, ev in prof.events if ev.source and ev.target} - {prof.entity.actor, None})
    return page_view(request, "entity.html", prof=prof, entity=prof.entity, partners=partners)


@router.get("/pair", response_class=HTMLResponse)
def pair_form(request: Request, a: str = "", b: str = ""):
    if a.strip() and b.strip():
        return RedirectResponse(link("pair_page", a=a.strip(), b=b.strip()), status_code=303)
    return page_view(request, "pair.html", a=a, b=b, points=[], chart=None, events=[], bucket="month")


@router.get("/pair/{a}/{b}", response_class=HTMLResponse, name="pair_page")
def pair_page(
    request: Request, store: StoreDep, a: str, b: str, bucket: Literal["day", "month", "year"] = "month",
):
    points = queries.pair_timeline(store, a, b, bucket=bucket)
    chart = Markup(charts.cooperation_conflict_svg(points, title=f"{a} – {b}")) if points else None
    events = store.list_events(EventFilter(actors=(a, b)), limit=200)
    return page_view(request, "pair.html", a=a, b=b, points=points, chart=chart, events=events, bucket=bucket)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    spec = request.app.openapi()
    return page_view(request, "docs.html", spec=spec)
