"""Scorers for the entities stage: article-level entity sets vs gold, NER spans vs UNER."""

from __future__ import annotations

import json
from pathlib import Path

from akhbar.entities import corpora, crf
from akhbar.entities.kb import kb
from akhbar.entities.recognise import _dictionary
from akhbar.entities.statistical import crf_mentions, merge, rule_mentions
from akhbar.entities.variants import exact_key
from akhbar.errors import InputError
from akhbar.text.split import words

SYSTEMS = ("rules", "crf", "combined")
_UNER_TYPE = {"PER": "PER", "ORG": "ORG", "GPE": "LOC"}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 from counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def spans(text: str, system: str) -> set[tuple[int, int, str]]:
    """Predicted (start, end, LOC/PER/ORG) spans of one text by one system."""
    base = kb()
    toks = words(text)
    keys = [exact_key(t.text) for t in toks]
    rules = [m for m in _dictionary(text, toks, keys, base) if m.method != "demonym"]
    rules = merge(rules, rule_mentions(text, toks), base)
    if system == "rules":
        found = rules
    elif system == "crf":
        found = crf_mentions(text, toks)
    else:
        found = merge(crf_mentions(text, toks), rules, base)
    return {(m.start, m.end, _UNER_TYPE[m.type]) for m in found}


def eval_ner(data: Path, system: str = "combined") -> dict[str, dict[str, float]]:
    """Span-level exact-match P/R/F1 on UNER's test lines, overall and per type."""
    if system not in SYSTEMS:
        raise InputError(f"--system {system!r}: use one of {', '.join(SYSTEMS)}")
    if system != "rules" and crf.load() is None:
        raise InputError("no NER model shipped; run `akhbar train-ner --data ../shared/data` first")
    counts = {t: [0, 0, 0] for t in ("PER", "LOC", "ORG")}
    for text, gold in corpora.uner_lines(data, corpora.UNER_TEST):
        got = spans(text, system)
        for t, c in counts.items():
            g = {s for s in gold if s[2] == t}
            p = {s for s in got if s[2] == t}
            c[0] += len(g & p)
            c[1] += len(p - g)
            c[2] += len(g - p)
    out = {t: prf(*c) for t, c in counts.items()}
    out["all"] = prf(*(sum(c[k] for c in counts.values()) for k in range(3)))
    return out


def load_gold(gold: Path) -> dict[str, set[str]]:
    """Gold entity ids per document from entities.jsonl."""
    file = gold / "entities.jsonl" if gold.is_dir() else gold
    if not file.exists():
        raise InputError(f"{file}: gold entities.jsonl not found; pass the gold folder (../shared/gold/seeds)")
    out: dict[str, set[str]] = {}
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rec = json.loads(line)
                out.setdefault(rec["doc"], set()).add(rec["entity"])
            except (ValueError, KeyError) as exc:
                raise InputError(f"{file} line {n}: not a gold entity record ({exc})") from exc
    return out


def score_articles(gold: dict[str, set[str]], found: dict[str, set[str]]) -> dict[str, object]:
    """Article-level P/R/F1 of found entity sets vs gold, with the errors per document."""
    tp = fp = fn = 0
    errors = {}
    for doc, g in gold.items():
        f = found.get(doc, set())
        tp, fp, fn = tp + len(g & f), fp + len(f - g), fn + len(g - f)
        errors[doc] = {"false_positive": sorted(f - g), "missed": sorted(g - f)}
    return {**prf(tp, fp, fn), "errors": errors}


def article_entities(mentions, *, demonyms: bool = False) -> set[str]:
    """The linked entity ids of an article's mentions (named mentions only unless `demonyms`)."""
    return {m.entity_id for m in mentions if m.entity_id and (demonyms or m.method != "demonym")}
