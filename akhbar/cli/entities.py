"""Commands of the entities stage: list entities, retrain the NER model, score entities and NER."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, eval_app, get_store

SHARED_DATA = Path("..") / "shared" / "data"


@app.command("entities")
def entities_cmd(
    db: str = DbOption,
    json_out: bool = JsonOption,
    type: str | None = typer.Option(None, "--type", help="PER, ORG or GPE."),
    limit: int = typer.Option(50, "--limit", help="How many entities to list."),
) -> None:
    """List entities by mention count with the spellings seen; new spellings are marked `new`."""
    from akhbar.entities import kb
    from akhbar.entities.variants import exact_key

    base = kb()
    with get_store(db) as store:
        rows = store.entity_stats(type=type.upper() if type else None, limit=limit)
    for row in rows:
        entity = base.get(row["id"])
        known = {exact_key(s) for s in entity.urdu} if entity else set()
        row["new_variants"] = [s for s in row["surfaces"] if exact_key(s) not in known]
    if json_out:
        echo_json(rows)
        return
    table = Table("entity", "type", "mentions", "articles", "spellings (new*)")
    for r in rows:
        spell = " · ".join(s + ("*" if s in r["new_variants"] else "") for s in r["surfaces"])
        table.add_row(r["id"], r["type"], str(r["mentions"]), str(r["articles"]), spell)
    console.print(table)


@app.command("train-ner")
def train_ner(
    data: Path = typer.Option(SHARED_DATA, "--data", help="The shared data folder (uner/, ner-ijcnlp2008/, ner-jahangir/)."),
    uner_only: bool = typer.Option(False, "--uner-only", help="Train on UNER's training lines alone."),
    iterations: int = typer.Option(100, "--iterations", help="L-BFGS iterations (training takes ~1 min)."),
) -> None:
    """Retrain the shipped CRF name tagger and common-word list (never on UNER's test lines)."""
    from akhbar.entities.training import retrain

    counts = retrain(data, extra=not uner_only, max_iterations=iterations)
    typer.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


@eval_app.command("ner")
def eval_ner_cmd(
    data: Path = typer.Option(SHARED_DATA / "uner", "--data", help="The UNER folder (uner.txt)."),
    system: str = typer.Option("combined", "--system", help="rules, crf or combined."),
) -> None:
    """Span-level (exact match) P/R/F1 on UNER's test lines 1310–1637, per type then overall."""
    from akhbar.evaluate.entities import eval_ner

    scores = eval_ner(data, system)
    for t in ("PER", "LOC", "ORG"):
        s = scores[t]
        typer.echo(f"{t} precision={s['precision']:.3f} recall={s['recall']:.3f} f1={s['f1']:.3f}")
    s = scores["all"]
    typer.echo(f"precision={s['precision']:.3f} recall={s['recall']:.3f} f1={s['f1']:.3f}")


@eval_app.command("entities")
def eval_entities_cmd(
    gold: Path = typer.Option(..., "--gold", help="Gold folder with entities.jsonl."),
    db: str = DbOption,
    demonyms: bool = typer.Option(False, "--demonyms", help="Count demonym-only mentions too."),
) -> None:
    """Article-level entity P/R/F1 of the articles in --db against the gold (doc = source_id)."""
    from akhbar.evaluate.entities import article_entities, load_gold, score_articles

    gold_sets = load_gold(gold)
    found: dict[str, set[str]] = {}
    with get_store(db) as store:
        for article in store.iter_articles(full=True):
            if article.source_id in gold_sets:
                found[article.source_id] = article_entities(
                    [m for m in article.mentions if m.sentence != -1] or article.mentions, demonyms=demonyms)
    result = score_articles(gold_sets, found)
    for doc, err in result["errors"].items():
        if err["false_positive"] or err["missed"]:
            typer.echo(f"{doc}: extra={err['false_positive']} missed={err['missed']}")
    typer.echo(f"precision={result['precision']:.3f} recall={result['recall']:.3f} f1={result['f1']:.3f}")
