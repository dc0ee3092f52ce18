"""Story commands: `akhbar stories`, `akhbar story ID`, `akhbar dedupe`, `akhbar eval dedupe|stories|summaries`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import typer

from akhbar.cli.app import DbOption, JsonOption, app, console, echo_json, eval_app, get_store
from akhbar.errors import NotFound
from akhbar.model import Story
from akhbar.store.base import EventFilter
from akhbar.stories.cluster import chronological
from akhbar.stories.summarize import story_summary


def _story_json(store, s) -> dict:
    arts = [store.get_article(i, full=False) for i in s.article_ids]
    return {"id": s.id, "label": s.label, "label_en": s.label_en, "thread_id": s.thread_id,
            "first_date": s.first_date, "last_date": s.last_date, "articles": len(arts),
            "outlets": sorted({a.outlet for a in arts if a.outlet}),
            "source_ids": [a.source_id for a in arts], "summary": s.summary}


def _threads(store, thread_ids: set[int]) -> dict[int, list[Story]]:
    """Every story of the given threads, oldest first, whether or not the listing shows it."""
    members: dict[int, list[Story]] = {t: [] for t in thread_ids}
    if thread_ids:
        for s in store.list_stories(limit=2**31 - 1, threads=sorted(thread_ids)):
            members[s.thread_id].append(s)
    return {t: sorted(ss, key=lambda s: (s.first_date or dt.date.max, s.id)) for t, ss in members.items()}


def _span(first: dt.date | None, last: dt.date | None) -> str:
    if first is None and last is None:
        return "undated"
    return f"{first or '?'}" if first == last else f"{first or '?'} … {last or '?'}"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


@app.command()
def stories(db: str = DbOption, json: bool = JsonOption,
            order: str = typer.Option("newest", "--order", help="newest or largest first."),
            limit: int = typer.Option(50, "--limit", min=1, help="How many stories.")) -> None:
    """List stories (newest or largest first) with their threads."""
    with get_store(db) as store:
        rows = [_story_json(store, s) for s in store.list_stories(limit=limit, order=order)]
        threads = _threads(store, {r["thread_id"] for r in rows if r["thread_id"] is not None})
    if json:
        echo_json({"stories": rows, "threads": [{"id": t, "stories": [s.id for s in ss]} for t, ss in threads.items()]})
        return
    for r in rows:
        thread = ""
        if r["thread_id"] is not None:
            thread = f", thread {r['thread_id']} ({_count(len(threads[r['thread_id']]), 'story', 'stories')})"
        gloss = f" ({r['label_en']})" if r["label_en"] else ""
        console.print(f"[bold]{r['id']}[/] {r['label']}{gloss} — {_count(r['articles'], 'article')}, "
                      f"{', '.join(r['outlets']) or 'outlet unknown'}, {_span(r['first_date'], r['last_date'])}{thread}",
                      highlight=False)


@app.command()
def story(story_id: int = typer.Argument(..., metavar="ID"), db: str = DbOption, json: bool = JsonOption,
          sentences: int = typer.Option(None, "--sentences", min=1, help="Summary length (default: as stored).")) -> None:
    """One story: its articles, sub-event timeline, summary and entities."""
    with get_store(db) as store:
        s = store.get_story(story_id)
        data = _story_json(store, s)
        full = chronological([store.get_article(i) for i in s.article_ids])
        data["article_list"] = [{"id": a.id, "source_id": a.source_id, "outlet": a.outlet, "published": a.published,
                                 "headline": a.headline, "summary": a.summary} for a in full]
        data["timeline"] = _timeline(store, full)
        if sentences:
            data["summary"] = story_summary(full, sentences)
        counts = Counter(m.entity_id for a in full for m in a.mentions if m.entity_id)
        data["entities"] = sorted(counts)
        data["entity_counts"] = [{"id": e, "name": _entity_name(store, e), "count": n} for e, n in counts.most_common()]
        thread = _threads(store, {s.thread_id}).get(s.thread_id, []) if s.thread_id is not None else []
        data["thread"] = [{"id": t.id, "label": t.label, "first_date": t.first_date, "last_date": t.last_date}
                          for t in thread]
    if json:
        echo_json(data)
        return
    _print_story(data)


def _timeline(store, articles: list) -> list[dict]:
    """The story's events oldest first; an event without its own date takes its article's."""
    rows = []
    for a in articles:
        rows += [{"article": a.id, "date": e.date or a.published, "type": e.type, "source": e.source,
                  "target": e.target, "evidence": e.evidence} for _, e in store.list_events(EventFilter(article_id=a.id))]
    return sorted(rows, key=lambda e: (e["date"] is None, str(e["date"])))


def _entity_name(store, entity_id: str) -> str:
    try:
        return store.get_entity(entity_id).name
    except NotFound:
        return entity_id


def _print_story(data: dict) -> None:
    """The story as text: a heading line per section, Urdu lines as they are (the terminal lays out RTL)."""
    gloss = f" ({data['label_en']})" if data["label_en"] else ""
    console.print(f"[bold]{data['id']} {data['label']}[/]{gloss}", highlight=False)
    console.print(f"{_count(data['articles'], 'article')}, {', '.join(data['outlets']) or 'outlet unknown'}, "
                  f"{_span(data['first_date'], data['last_date'])}", highlight=False)
    if len(data["thread"]) > 1:
        console.print(f"[bold]thread {data['thread_id']}[/] (returns of this story, oldest first):", highlight=False)
        for t in data["thread"]:
            mark = "→" if t["id"] == data["id"] else " "
            console.print(f" {mark} {t['id']}  {_span(t['first_date'], t['last_date'])}  {t['label']}", highlight=False)
    console.print("[bold]articles[/]", highlight=False)
    for a in data["article_list"]:
        console.print(f"  {a['published'] or '?'}  {a['outlet'] or '-'}  {a['headline'] or a['summary'] or a['source_id']}",
                      highlight=False)
    if data["timeline"]:
        console.print("[bold]sub-events[/]", highlight=False)
    for e in data["timeline"]:
        actors = " → ".join(x for x in (e["source"], e["target"]) if x) or "-"
        console.print(f"  • {e['date'] or '?'} {e['type']} {actors}: {e['evidence']}", highlight=False)
    console.print("[bold]summary[/]", highlight=False)
    for line in data["summary"] or ["(none yet)"]:
        console.print(f"  » {line}", highlight=False)
    if data["entity_counts"]:
        console.print("[bold]entities[/] " + ", ".join(f"{e['name']} {e['count']}" for e in data["entity_counts"]),
                      highlight=False)


@app.command()
def dedupe(db: str = DbOption, json: bool = JsonOption) -> None:
    """Near-duplicate groups (representative first) recorded by the stories stage."""
    from akhbar.stories import duplicate_groups

    with get_store(db) as store:
        groups = []
        for rep, members in sorted(duplicate_groups(store).items()):
            arts = [store.get_article(i, full=False) for i in members]
            groups.append({"representative": rep, "members": [{"id": a.id, "source_id": a.source_id, "origin": a.origin,
                                                                 "outlet": a.outlet, "headline": a.headline}
                                                                for a in arts]})
    if json:
        echo_json({"groups": groups})
        return
    for g in groups:
        rep = next(m for m in g["members"] if m["id"] == g["representative"])
        console.print(f"[bold]{rep['source_id'] or rep['id']}[/] {rep['headline'] or ''}", highlight=False)
        for m in g["members"]:
            if m is not rep:
                console.print(f"  = {m['source_id'] or m['id']}  {m['outlet'] or '-'}  {m['origin'] or ''}", highlight=False)
    console.print(f"groups={len(groups)} articles={sum(len(g['members']) for g in groups)}")


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
    from akhbar.evaluate.stories import clustered, load, story_scores, thread_scores

    labelled = load(data)
    cl = clustered(labelled)
    threads = thread_scores(labelled, cl)
    print(_line(threads, list(threads)))  # thread figures; the last line stays the clustering one
    scores = story_scores(labelled, cl)
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
