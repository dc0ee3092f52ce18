"""ROUGE for akhbar's summaries (`akhbar eval summaries`), next to a lead baseline on the same data.

ROUGE-1/2/L F-measures come from Google's `rouge-score`, word level on folded Urdu (its own
tokenizer keeps only a-z and 0-9, which would score every Urdu summary 0). References:
- a JSONL file (or a folder of them) with `text` and `summary` per line, the layout of XL-Sum
  and most summarisation sets: human summaries, one article each;
- COUNTER (`xml/`): no human summaries, so each article's own headline stands in as the
  reference (a proxy, said so in the output): the one-line summary against its headline, and each
  agency/newspaper pair as a two-outlet story, its summary against both headlines (best of two).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from akhbar.errors import InputError
from akhbar.ingest.clean import clean
from akhbar.ingest.counter import read_counter, to_article
from akhbar.ingest.readers import RawDoc
from akhbar.model import Article
from akhbar.stories.summarize import lead_n, one_line, story_summary
from akhbar.text.normalize import fold
from akhbar.text.split import sentences, tokens

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
WORDS = 50  # every summary is cut to this many words before scoring


class UrduTokenizer:
    """rouge-score tokenizer: the words of the folded text (same folding as search and dedupe)."""

    def tokenize(self, text: str) -> list[str]:
        return tokens(fold(text))


@dataclass(slots=True)
class Item:
    """One thing to summarise: its articles (one or several outlets) and the reference texts."""

    articles: list[Article]
    references: list[str]


@dataclass(slots=True)
class Task:
    """A named set of items and the systems that summarise them (akhbar first, then the baselines)."""

    name: str
    items: list[Item]
    systems: dict[str, Callable[[list[Article]], str]]  # "akhbar" first, then the baselines
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


def load_tasks(data: str | Path, n: int) -> tuple[str, list[Task]]:
    """The tasks a data set supports and a one-line description of its references."""
    p = Path(data)
    if not p.exists():
        raise InputError(str(p), "no such file or folder (give a JSONL file with text+summary, or COUNTER)")
    if p.is_dir() and (p / "xml").is_dir():
        return "references: each article's own headline (COUNTER has no human summaries; a proxy)", _counter(p, n)
    files = sorted(p.rglob("*.jsonl")) if p.is_dir() else [p]
    items = [Item([a], [ref]) for a, ref in _jsonl(files)]
    if not items:
        raise InputError(str(p), "no reference summaries found: expected JSONL lines with `text` and `summary` "
                                 "(XL-Sum layout) or a COUNTER folder")
    return "references: human summaries", [Task(f"articles ({n} sentences)", items, _systems(n))]


def _systems(n: int) -> dict[str, Callable[[list[Article]], str]]:
    """akhbar's extractive summary and two lead baselines of the same length."""
    return {
        "akhbar": lambda arts: " ".join(story_summary(arts, n)),
        f"lead{n}": lambda arts: _lead(arts, n),
        f"lead{n}-clean": lambda arts: " ".join(lead_n(arts, n)),
    }


def _lead(articles: list[Article], n: int) -> str:
    """The textbook baseline: the oldest article's first `n` sentences as split, noise and datelines included."""
    return " ".join(s.text for s in sentences(articles[0].body)[:n]) if articles else ""


def _counter(folder: Path, n: int) -> list[Task]:
    pairs: dict[str, list[Article]] = {}
    singles = []
    for d in read_counter(folder):
        a = to_article(d.doc)
        if not a.headline:
            continue
        singles.append(Item([a], [a.headline]))
        pairs.setdefault(d.pair, []).append(a)
    stories = [Item(arts, [a.headline or "" for a in arts]) for arts in pairs.values() if len(arts) == 2]
    return [
        Task("articles: one line vs own headline", singles,
             {"akhbar": lambda arts: one_line(arts[0]) or "", "lead1": lambda arts: _lead(arts, 1)}),
        Task(f"pairs as stories: {n} sentences vs both headlines", stories, _systems(n)),
    ]


def _jsonl(files: list[Path]) -> Iterator[tuple[Article, str]]:
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{f}:{number}", f"not valid JSON ({exc.msg})") from exc
                text, summary = row.get("text"), row.get("summary")
                if not isinstance(text, str) or not isinstance(summary, str) or not text.strip():
                    raise InputError(f"{f}:{number}", "each line needs a `text` and a `summary` string")
                doc = RawDoc(text, "txt", f"{f.name}:{row.get('id', number)}", f"{f}:{number}",
                             title=row.get("title"))
                yield clean(doc), summary


def score(tasks: list[Task], words: int = WORDS) -> None:
    """Fill each task's mean ROUGE F-measures per system, every summary cut to `words` words first
    (a DUC-style length limit: against short references the shorter output would otherwise win)."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=UrduTokenizer())
    for task in tasks:
        for who, fn in task.systems.items():
            totals = dict.fromkeys(ROUGE_TYPES, 0.0)
            for item in task.items:
                got = scorer.score_multi(item.references, " ".join(fn(item.articles).split()[:words]))
                for t in ROUGE_TYPES:
                    totals[t] += got[t].fmeasure
            task.scores[who] = {t: v / max(len(task.items), 1) for t, v in totals.items()}

