"""Semantic commands: `akhbar embed` (cache lead vectors) and `akhbar related ID` (`search --semantic` is in core)."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, eval_app, get_store


@app.command()
def embed(
    db: str = DbOption,
    limit: int = typer.Option(None, "--limit", min=1, help="Embed at most this many articles now."),
    batch: int = typer.Option(16, "--batch", min=1, help="Articles embedded and saved together."),
) -> None:
    """Cache multilingual vectors (headline + lead) of stored articles that lack one, for `search --semantic`."""
    from akhbar.semantic import embed_store

    store = get_store(db)
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("embedding", total=None)
        done = embed_store(store, batch=batch, limit=limit, on_batch=lambda n: bar.advance(task, n))
    console.print(f"{done} articles embedded")


@app.command()
def related(
    article_id: int = typer.Argument(..., help="A stored article's id."),
    db: str = DbOption,
    limit: int = typer.Option(10, min=1, max=1000),
    as_json: bool = JsonOption,
) -> None:
    """Articles closest in meaning to one article (any outlet, any year), by their cached vectors."""
    from akhbar.cli.core import article_summary
    from akhbar.semantic import hits as as_hits
    from akhbar.semantic import related as nearest

    store = get_store(db)
    hits = as_hits(store, nearest(store, article_id, limit=limit))
    if as_json:
        echo_json([article_summary(h.article) | {"score": round(h.score, 4)} for h in hits])
        return
    for h in hits:
        a = h.article
        console.print(f"{h.score:.3f}  [bold]{escape(a.headline or '')}[/]  "
                      f"[dim]#{a.id} {a.outlet or '-'} · {a.published or '-'}[/]", highlight=False)


@eval_app.command("semantic")
def eval_semantic(data: str = typer.Option(..., "--data", help="COUNTER or bend-the-truth folder.")) -> None:
    """Pair retrieval by lead vectors: recall@1/@10 and MRR of each article's labelled partner, next to TF-IDF."""
    from akhbar.evaluate.semantic import semantic_scores
    from akhbar.evaluate.stories import load

    labelled = load(data)
    scores = semantic_scores(labelled)
    print(f"{labelled.name}: {len(labelled.articles)} articles, {len(labelled.pairs)} labelled pairs, "
          "each article querying all others")
    for method, got in scores.items():
        print(f"{method:<8} " + " ".join(f"{k}={v:.3f}" for k, v in got.items()))
    print(" ".join(f"{'' if method == 'vectors' else method + '_'}{k}={v:.3f}"
                   for method, got in scores.items() for k, v in got.items()))
