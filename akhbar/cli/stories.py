"""Story commands: `akhbar stories`, `akhbar story ID`, `akhbar dedupe`, `akhbar eval dedupe|stories|summaries`."""

from __future__ import annotations

from pathlib import Path

import typer

from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, eval_app, get_store
from akhbar.store.base import EventFilter
from akhbar.stories.cluster import chronological
from akhbar.stories.summarize import story_summary


def _story_json(store, s) -> dict:
    arts = [store.get_article(i, full=False) for i in s.article_ids]
    return {"id": s.id, "label": s.label, "label_en": s.label_en, "thread_id": s.thread_id,
            "first_date": s.first_date, "last_date": s.last_date, "articles": len(arts),
            "outlets": sorted({a.outlet for a in arts if a.outlet}),
            "source_ids": [a.source_id for a in arts], "summary": s.summary}


@app.command()
def stories(db: str = DbOption, json: bool = JsonOption,
            order: str = typer.Option("newest", "--order", help="newest or largest first."),
            limit: int = typer.Option(50, "--limit", help="How many stories.")) -> None:
    """List stories (newest or largest first) with their threads."""
    with get_store(db) as store:
        rows = [_story_json(store, s) for s in store.list_stories(limit=limit, order=order)]
    threads: dict[int, list[int]] = {}
    for r in rows:
        if r["thread_id"] is not None:
            threads.setdefault(r["thread_id"], []).append(r["id"])
    if json:
        echo_json({"stories": rows, "threads": [{"id": t, "stories": ids} for t, ids in threads.items()]})
        return
    for r in rows:
        span = f"{r['first_date'] or '?'} … {r['last_date'] or '?'}"
        thread = f" thread {r['thread_id']}" if r["thread_id"] is not None else ""
        gloss = f" ({r['label_en']})" if r["label_en"] else ""
        console.print(f"[bold]{r['id']}[/] {r['label']}{gloss} — {r['articles']} articles, "
                      f"{', '.join(r['outlets']) or '-'}, {span}{thread}", highlight=False)


@app.command()
def story(story_id: int = typer.Argument(..., metavar="ID"), db: str = DbOption, json: bool = JsonOption,
          sentences: int = typer.Option(None, "--sentences", min=1, help="Summary length (default: as stored).")) -> None:
    """One story: its articles, sub-event timeline, summary and entities."""
    with get_store(db) as store:
        s = store.get_story(story_id)
        data = _story_json(store, s)
        data["article_list"] = [{"id": a.id, "source_id": a.source_id, "outlet": a.outlet, "published": a.published,
                                 "headline": a.headline} for a in (store.get_article(i, full=False) for i in s.article_ids)]
        timeline = []
        for aid in s.article_ids:
            timeline += [{"article": aid, "date": e.date, "type": e.type, "source": e.source, "target": e.target,
                          "evidence": e.evidence} for _, e in store.list_events(EventFilter(article_id=aid))]
        data["timeline"] = sorted(timeline, key=lambda e: (e["date"] is None, str(e["date"])))
        full = [store.get_article(i) for i in s.article_ids]
        if sentences:
            data["summary"] = story_summary(chronological(full), sentences)
        data["entities"] = sorted({m.entity_id for a in full for m in a.mentions if m.entity_id})
    if json:
        echo_json(data)
        return
    gloss = f" ({data['label_en']})" if data["label_en"] else ""
    console.print(f"[bold]{data['label']}[/]{gloss}", highlight=False)
    for a in data["article_list"]:
        console.print(f"  {a['published'] or '?'}  {a['outlet'] or '-'}  {a['headline'] or a['source_id']}", highlight=False)
    for e in data["timeline"]:
        console.print(f"  • {e['date'] or '?'} {e['source']} {e['type']} {e['target']}: {e['evidence']}", highlight=False)
    for line in data["summary"]:
        console.print(f"  » {line}", highlight=False)
    if data["entities"]:
        console.print("  entities: " + ", ".join(data["entities"]), highlight=False)


@app.command()
def dedupe(db: str = DbOption, json: bool = JsonOption) -> None:
    """Near-duplicate groups (representative first) recorded by the stories stage."""
    from akhbar.stories import duplicate_groups

    with get_store(db) as store:
        groups = []
        for rep, members in sorted(duplicate_groups(store).items()):
            arts = [store.get_article(i, full=False) for i in members]
            groups.append({"representative": rep, "members": [{"id": a.id, "source_id": a.source_id,
                                                                 "headline": a.headline} for a in arts]})
    if json:
        echo_json({"groups": groups})
        return
    for g in groups:
        console.print(f"[bold]{g['representative']}[/]: " + ", ".join(m["source_id"] or str(m["id"]) for m in g["members"]),
                      highlight=False)
    console.print(f"groups={len(groups)}")


def _line(scores: dict[str, float], keys: list[str]) -> str:
    return " ".join(f"{k}={scores[k]:.3f}" if isinstance(scores[k], float) else f"{k}={scores[k]}" for k in keys)


@app.command("train-dedupe")
def train_dedupe(data: Path = typer.Option(Path("..") / "shared" / "data", "--data",
                                           help="The shared data folder (counter/, bend-the-truth/).")) -> None:
    """Retrain the shipped near-duplicate verifier on the training half (never on the pairs eval dedupe scores)."""
    from akhbar.stories.training import retrain

    figures = retrain(data)
    typer.echo(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))


@eval_app.command("dedupe")
def eval_dedupe(data: str = typer.Option(..., "--data", help="COUNTER or bend-the-truth folder."),
                threshold: float = typer.Option(None, "--threshold", help="Override the verifier's probability cut.")) -> None:
    """Near-duplicate flags on the held-out pairs against reuse labels (COUNTER: WD positive, ND negative)."""
    from akhbar.evaluate.stories import dedupe_scores, load

    scores = dedupe_scores(load(data), threshold)
    rest = [k for k in scores if k not in ("precision", "recall", "f1")]
    console.print(_line(scores, rest), highlight=False, soft_wrap=True)
    if "precision" in scores:
        print(_line(scores, ["precision", "recall", "f1"]))


@eval_app.command("stories")
def eval_stories(data: str = typer.Option(..., "--data", help="COUNTER or bend-the-truth folder.")) -> None:
    """Story clustering: share of labelled pairs kept together, pairwise precision, B-cubed P/R/F1."""
    from akhbar.evaluate.stories import load, story_scores

    scores = story_scores(load(data))
    print(_line(scores, ["stories", "pair_recall", "precision", "bcubed_precision", "bcubed_recall", "bcubed_f1"]))


@eval_app.command("summaries")
def eval_summaries(
    data: str = typer.Option(..., "--data", help="JSONL with text+summary per line (XL-Sum layout), or COUNTER."),
    sentences: int = typer.Option(3, "--sentences", min=1, help="Summary length, also the lead baseline's."),
    words: int = typer.Option(50, "--words", min=1, help="Every summary is cut to this many words before scoring."),
) -> None:
    """ROUGE-1/2/L (word level, folded Urdu) of akhbar's summaries next to a lead baseline on the same items."""
    from akhbar.evaluate.summaries import ROUGE_TYPES, load_tasks, score

    what, tasks = load_tasks(data, sentences)
    score(tasks, words)
    print(f"{what}; every summary cut to {words} words")
    fields = []
    for task in tasks:
        for who, got in task.scores.items():
            print(f"{task.name:<48} {who:<12} " + " ".join(f"{t}={got[t]:.3f}" for t in ROUGE_TYPES)
                  + f" n={len(task.items)}")
    for who, got in list(tasks[-1].scores.items())[:2]:  # the last task (stories, when the data has them):
        fields += [f"{'' if who == 'akhbar' else who + '_'}{t}={got[t]:.3f}" for t in ROUGE_TYPES]  # akhbar, lead
    print(" ".join(fields))
