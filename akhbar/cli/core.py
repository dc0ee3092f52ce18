"""Core commands: ingest, articles, article, search, demo, eval clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from akhbar import pipeline
from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, err_console, eval_app, get_store
from akhbar.errors import AkhbarError, NotFound, QueryError
from akhbar.ingest.readers import iter_files
from akhbar.model import Article
from akhbar.store import ArticleFilter, SearchHit, Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def article_summary(a: Article) -> dict:
    """The listing fields of an article (every --json listing includes source_id)."""
    return {
        "id": a.id, "source_id": a.source_id, "headline": a.headline, "outlet": a.outlet,
        "published": a.published, "url": a.url, "credits": a.credits, "story_id": a.story_id,
        "language": a.language,
    }


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from exc


def _entity_id(name: str | None) -> str | None:
    if not name:
        return None
    try:
        from akhbar.entities import resolve
    except ImportError as exc:
        raise QueryError("entity search needs the entities stage, which this build lacks") from exc
    entity = resolve(name)
    if entity is None:
        raise NotFound(f"no entity matches {name!r} (try `akhbar entities` for the known ones)")
    return entity.id


def _filter(outlet, date_from, date_to, entity, story=None) -> ArticleFilter:
    return ArticleFilter(
        outlet=outlet, date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"),
        entity=_entity_id(entity), story=story,
    )


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders: .txt .html .jsonl .rss/.atom/.xml .warc(.gz)"),
    db: str = DbOption,
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes on this machine."),
    dask: str = typer.Option(None, "--dask", help="Dask scheduler address (tcp://host:8786) to run the pipeline on."),
    no_stories: bool = typer.Option(False, "--no-stories", help="Skip the near-duplicate and story update (the next ingest with stories places these articles too)."),
    batch: int = typer.Option(pipeline.WRITE_BATCH, "--batch", min=1,
                              help="Articles stored per transaction (a crash loses at most the open batch)."),
    as_json: bool = JsonOption,
) -> None:
    """Read, clean, analyse and store articles; re-ingesting the same article is a no-op."""
    files = list(iter_files(paths))  # walk the folders once: the count drives the progress bar
    store = get_store(db)
    total = len(files)
    with Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=err_console, disable=as_json or total < 2,
        transient=True,
    ) as progress:
        task = progress.add_task("ingesting", total=None)
        report = pipeline.ingest_paths(
            files, store, workers=workers, dask_address=dask, stories=not no_stories, write_batch=batch,
            on_article=lambda a, created: progress.advance(task),
        )
    store.close()
    if as_json:
        echo_json({"files": report.files, "seen": report.seen, "added": report.added,
                   "existing": report.existing, "errors": report.errors})
    else:
        for error in report.errors:
            err_console.print(f"[red]error:[/] {escape(error)}", highlight=False)
        console.print(
            f"{report.files} files, {report.seen} articles read: {report.added} added, "
            f"{report.existing} already stored, {len(report.errors)} errors -> {db}"
        )
    if report.errors:
        raise typer.Exit(1)


@app.command()
def reanalyse(
    db: str = DbOption,
    ids: list[int] = typer.Option(None, "--id", help="Only these article ids (repeatable)."),
) -> None:
    """Re-run entities, events, quotes and stories on stored articles (after rules change)."""
    store = get_store(db)
    n = pipeline.reanalyse(store, ids or None)
    console.print(f"re-analysed {n} articles in {db}")


@app.command()
def articles(
    db: str = DbOption,
    outlet: str = typer.Option(None, help="Only this outlet."),
    date_from: str = typer.Option(None, "--from", help="Published on or after (YYYY-MM-DD)."),
    date_to: str = typer.Option(None, "--to", help="Published on or before (YYYY-MM-DD)."),
    entity: str = typer.Option(None, help="Mentioning this entity (English or Urdu, any spelling)."),
    story: int = typer.Option(None, help="In this story id."),
    limit: int = typer.Option(50, min=1, max=10000),
    offset: int = typer.Option(0, min=0),
    as_json: bool = JsonOption,
) -> None:
    """List stored articles, newest first."""
    store = get_store(db)
    filt = _filter(outlet, date_from, date_to, entity, story)
    rows = store.list_articles(filt, limit=limit, offset=offset)
    if as_json:
        echo_json([article_summary(a) for a in rows])
        return
    table = Table("id", "source_id", "published", "outlet", "headline", title=f"{store.count_articles(filt)} articles")
    for a in rows:
        table.add_row(str(a.id), a.source_id or "", str(a.published or ""), a.outlet or "", escape(a.headline or ""))
    console.print(table)


@app.command()
def article(
    ref: str = typer.Argument(..., help="Article id, or the source_id it was read as."),
    db: str = DbOption,
    removed: bool = typer.Option(False, "--removed", help="Also show the lines removed as noise."),
    as_json: bool = JsonOption,
) -> None:
    """Show one article: metadata, clean text and what the stages found."""
    store = get_store(db)
    ids = [int(ref)] if ref.isdigit() else store.find_ids(ref)
    if not ids:
        raise NotFound(f"no article with id or source_id {ref!r}")
    a = store.get_article(ids[0])
    if as_json:
        data = article_summary(a) | {
            "body": a.body, "summary": a.summary, "sentences": a.sentences, "mentions": a.mentions,
            "events": a.events, "quotes": a.quotes, "removed": a.removed,
        }
        echo_json(data)
        return
    console.print(f"[bold]{escape(a.headline or '')}[/]  ({a.outlet or 'outlet unknown'}, {a.published or 'no date'})")
    console.print(f"source_id={a.source_id}  credits={', '.join(a.credits) or '-'}", highlight=False)
    console.print(escape(a.body), highlight=False)
    if removed:
        for r in a.removed:
            console.print(f"[dim]- line {r.line} [{r.rule}] {escape(r.text)}[/]", highlight=False)


@app.command()
def search(
    query: str = typer.Argument(None, help="Words to find (any spelling of code points/diacritics); \"…\" for a phrase."),
    db: str = DbOption,
    entity: str = typer.Option(None, "--entity", help="Only articles mentioning this entity (any spelling)."),
    outlet: str = typer.Option(None),
    date_from: str = typer.Option(None, "--from"),
    date_to: str = typer.Option(None, "--to"),
    limit: int = typer.Option(20, min=1, max=1000),
    offset: int = typer.Option(0, min=0),
    semantic: bool = typer.Option(False, "--semantic", help="Rank by meaning (multilingual vectors from "
                                  "`akhbar embed`): English or Urdu queries, no exact words needed."),
    as_json: bool = JsonOption,
) -> None:
    """Full-text search over normalised Urdu, with highlighted snippets of the original text."""
    store = get_store(db)
    filt = _filter(outlet, date_from, date_to, entity)
    if query:
        from akhbar.semantic import find

        page = find(store, query, filt, semantic=semantic, limit=limit, offset=offset)
        hits, total, exact, order = page.hits, page.total, page.total_exact, page.order
    elif entity:
        arts = store.list_articles(filt, limit=limit, offset=offset)
        hits, total, exact, order = [_entity_hit(a) for a in arts], store.count_articles(filt), True, "newest"
    else:
        raise QueryError("give a QUERY, an --entity, or both")
    if as_json:
        echo_json({"total": total, "total_exact": exact, "order": order, "hits": [
            article_summary(h.article) | {"score": round(h.score, 4),
                                          "snippets": [{"text": t, "highlights": s} for t, s in h.snippets]}
            for h in hits]})
        return
    if order == "meaning":
        console.print(f"{len(hits)} nearest of {total} articles by meaning", highlight=False)
    else:
        note = " (newest first: too many to rank)" if order == "newest" and query else ""
        console.print(f"{total}{'' if exact else '+'} matching articles{note}", highlight=False)
    for h in hits:
        a = h.article
        score = f"{h.score:.3f}  " if order == "meaning" else ""
        console.print(f"\n{score}[bold]{escape(a.headline or '')}[/]  "
                      f"[dim]#{a.id} {a.source_id} · {a.outlet or '-'} · {a.published or '-'}[/]")
        for text, spans in h.snippets:
            snippet = Text("  " + text)
            for s, e in spans:
                snippet.stylize("reverse", s + 2, e + 2)
            console.print(snippet)


def _entity_hit(a: Article) -> SearchHit:
    """A result row for an entity-only search: the article's summary or first line."""
    return SearchHit(a, 0.0, [(a.summary or a.body.split("\n")[0][:240], [])])


@app.command()
def demo(db: str = DbOption) -> None:
    """Ingest the bundled demo corpus (five seed articles) and show what akhbar found."""
    if not EXAMPLES.is_dir():
        raise AkhbarError(f"the demo corpus is missing: {EXAMPLES}")
    store = get_store(db)
    report = pipeline.ingest_paths([EXAMPLES], store)
    console.print(f"[bold]akhbar demo[/] -> {db}: {report.added} added, {report.existing} already stored")
    _show_overview(store)
    store.close()


def _show_overview(store: Store) -> None:
    table = Table("id", "source_id", "published", "outlet", "credits", "headline", title="articles")
    for a in store.list_articles(limit=20):
        table.add_row(str(a.id), a.source_id or "", str(a.published or "-"), a.outlet or "-",
                      escape(", ".join(a.credits)), escape(a.headline or ""))
    console.print(table)
    ents = store.entity_stats(limit=15)
    if ents:
        t = Table("entity", "type", "mentions", "spellings", title="top entities")
        for e in ents:
            t.add_row(e["name"], e["type"], str(e["mentions"]), escape(" / ".join(e["surfaces"])))
        console.print(t)
    events = store.list_events(limit=25)
    if events:
        t = Table("article", "date", "source", "type", "target", "score", "evidence", title="events")
        for aid, ev in events:
            t.add_row(str(aid), str(ev.date or "-"), ev.source or "-", ev.type, ev.target or "-",
                      f"{ev.score:+.1f}", escape(ev.evidence[:60]))
        console.print(t)
    stories = store.list_stories(limit=10)
    if stories:
        t = Table("story", "articles", "span", "label", title="stories")
        for s in stories:
            t.add_row(str(s.id), str(len(s.article_ids)), f"{s.first_date or '?'} … {s.last_date or '?'}",
                      escape(f"{s.label} ({s.label_en})" if s.label_en else s.label))
        console.print(t)
    console.print("Try: akhbar search مذاکرات · akhbar entities · akhbar events --actors USA,RUS · akhbar stories")


@eval_app.command("clean")
def eval_clean(
    gold: Path = typer.Option(..., "--gold", help="Gold folder with articles.jsonl (e.g. ../shared/gold/seeds)."),
    db: str = DbOption,
) -> None:
    """Score cleaning and metadata of the stored gold articles; last line holds the figures."""
    from akhbar.evaluate.clean import score_clean

    store = get_store(db)
    score = score_clean(store, gold)
    for doc in score.missing:
        err_console.print(f"missing from {db}: {doc} (ingest the gold articles first)")
    for problem in score.problems:
        console.print(f"  {escape(problem)}", highlight=False)
    console.print(f"articles={score.articles} noise_lines={score.noise_total} body_lines={score.body_total}")
    print(score.figures())
