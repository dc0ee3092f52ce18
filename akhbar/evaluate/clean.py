"""`akhbar eval clean`: cleaning and metadata scored against gold articles.jsonl.

Gold noise lines of an article are its `boilerplate` lines, lines starting with a
`boilerplate_prefixes` entry or the `caption_prefix`, lines ending with the `caption_suffix`,
and copies of the headline after its first line when `repeated_headline` is set. Every other
non-empty line of the raw text (but the headline itself) is a body line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from akhbar.errors import InputError
from akhbar.store import Store
from akhbar.text.normalize import display


@dataclass
class CleanScore:
    """Counts behind the printed figures, and per-article misses for the report."""

    noise_total: int = 0
    noise_removed: int = 0
    body_total: int = 0
    body_lost: int = 0
    headline_ok: int = 0
    date_ok: int = 0
    articles: int = 0
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def figures(self) -> str:
        recall = self.noise_removed / self.noise_total if self.noise_total else 1.0
        n = (self.articles + len(self.missing)) or 1
        return (
            f"boilerplate_recall={recall:.3f} body_lines_lost={self.body_lost} "
            f"headline_acc={self.headline_ok / n:.3f} date_acc={self.date_ok / n:.3f}"
        )


def read_gold(gold_dir: Path, name: str) -> list[dict]:
    """Records of one gold JSONL file."""
    path = Path(gold_dir) / name
    if not path.exists():
        raise InputError(str(path), "gold file not found")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _is_noise(line: str, gold: dict, seen_headline: bool) -> bool:
    if line in gold.get("boilerplate", []):
        return True
    if any(line.startswith(p) for p in gold.get("boilerplate_prefixes") or []):
        return True
    if gold.get("caption_prefix") and line.startswith(gold["caption_prefix"]):
        return True
    if gold.get("caption_suffix") and line.endswith(gold["caption_suffix"]):
        return True
    return bool(gold.get("repeated_headline") and seen_headline and line == gold["headline"])


def score_clean(store: Store, gold_dir: Path) -> CleanScore:
    """Score every gold article found in `store` (matched by source_id = gold `doc`)."""
    score = CleanScore()
    for gold in read_gold(gold_dir, "articles.jsonl"):
        ids = store.find_ids(gold["doc"])
        if not ids:
            score.missing.append(gold["doc"])
            continue
        article = store.get_article(ids[0], full=False)
        score.articles += 1
        body_lines = {line.strip() for line in article.body.split("\n")}
        seen_headline = False
        for raw_line in display(article.raw).split("\n"):
            line = raw_line.strip()
            if not line:
                continue
            if not seen_headline and line == gold["headline"]:
                seen_headline = True
                continue
            if _is_noise(line, gold, seen_headline):
                score.noise_total += 1
                if line in body_lines:
                    score.problems.append(f"{gold['doc']}: noise kept: {line[:60]}")
                else:
                    score.noise_removed += 1
            else:
                score.body_total += 1
                if line not in body_lines:
                    score.body_lost += 1
                    score.problems.append(f"{gold['doc']}: body line lost: {line[:60]}")
        if (article.headline or "").strip() == gold["headline"]:
            score.headline_ok += 1
        else:
            score.problems.append(f"{gold['doc']}: headline {article.headline!r}")
        published = article.published.isoformat() if article.published else None
        if published == gold.get("published"):
            score.date_ok += 1
        else:
            score.problems.append(f"{gold['doc']}: date {published} (gold {gold.get('published')})")
    return score
