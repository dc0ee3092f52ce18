"""`akhbar eval events` / `akhbar eval quotes`: the coder scored against gold annotations.

Events (../shared/gold/README.md): per article, the set of (source, type, target) triples;
CONSULT, AGREE and COOPERATE pairs are unordered; a gold event with `required: false` is
neither rewarded nor penalised. Events the coder keeps with mode `negated` (a denied act
with no negated type) and events without both actors are not triples.
Quotes: a gold quotation is found when a stored quote of its article overlaps its text;
speaker accuracy counts the gold quotations found with the right speaker (missed ones count
as wrong), compared by KB canonical name or by the gold entity's surface forms.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from akhbar.evaluate.clean import read_gold
from akhbar.events.lexicon import SYMMETRIC
from akhbar.model import Event, Quote
from akhbar.store import Store
from akhbar.store.base import EventFilter
from akhbar.text.normalize import fold
from akhbar.text.split import tokens

Triple = tuple[str, str, str]


def triple(source: str, etype: str, target: str) -> Triple:
    """A scoring key: symmetric types get their actor pair in sorted order."""
    if etype in SYMMETRIC and target < source:
        source, target = target, source
    return (source, etype, target)


def system_triples(events: list[Event]) -> set[Triple]:
    """The scored triples of an article's events."""
    return {triple(e.source, e.type, e.target) for e in events
            if e.source and e.target and e.mode != "negated"}


@dataclass
class PRF:
    """True positives, false positives and false negatives, with the derived figures."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def figures(self) -> tuple[float, float, float]:
        """Precision, recall and F1 (0 when undefined)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self) -> str:
        """The figures as the `key=value` line evaluation commands print last."""
        p, r, f = self.figures()
        return f"precision={p:.3f} recall={r:.3f} f1={f:.3f}"


@dataclass
class EventScore:
    """Totals, per-type counts, a gold×system type confusion on actor pairs, and the errors."""

    total: PRF = field(default_factory=PRF)
    by_type: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    confusion: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _pair(t: Triple) -> frozenset[str]:
    return frozenset((t[0], t[2]))


def score_article(doc: str, gold: list[dict], found: set[Triple], score: EventScore) -> None:
    """Add one article's comparison to `score`."""
    required = {triple(g["source"], g["type"], g["target"]) for g in gold if g.get("required", True)}
    optional = {triple(g["source"], g["type"], g["target"]) for g in gold if not g.get("required", True)}
    for t in found & required:
        score.total.tp += 1
        score.by_type[t[1]].tp += 1
    for t in found - required - optional:
        score.total.fp += 1
        score.by_type[t[1]].fp += 1
        score.errors.append(f"{doc} FP {' '.join(t)}")
    for t in required - found:
        score.total.fn += 1
        score.by_type[t[1]].fn += 1
        score.errors.append(f"{doc} FN {' '.join(t)}")
    for g in required:
        same_pair = {t[1] for t in found if _pair(t) == _pair(g)}
        if g[1] in same_pair:
            score.confusion[(g[1], g[1])] += 1
            continue
        for other in same_pair or {"-"}:
            score.confusion[(g[1], other)] += 1
    gold_pairs = {_pair(g) for g in required | optional}
    for t in found - required - optional:
        if _pair(t) not in gold_pairs:
            score.confusion[("-", t[1])] += 1


def score_events(store: Store, gold_dir: Path) -> EventScore:
    """Score the stored events of every gold article."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in read_gold(gold_dir, "events.jsonl"):
        by_doc[g["doc"]].append(g)
    for doc in read_gold(gold_dir, "articles.jsonl"):
        by_doc.setdefault(doc["doc"], [])
    score = EventScore()
    for doc, gold in sorted(by_doc.items()):
        ids = store.find_ids(doc)
        if not ids:
            score.missing.append(doc)
            continue
        events = [e for _, e in store.list_events(EventFilter(article_id=ids[0]), limit=100000)]
        score_article(doc, gold, system_triples(events), score)
    return score


def confusion_table(score: EventScore) -> list[str]:
    """The gold-type × system-type confusion as text rows (`-` = nothing on that pair)."""
    rows = sorted({g for g, _ in score.confusion})
    cols = sorted({s for _, s in score.confusion})
    lines = ["gold\\sys  " + " ".join(f"{c[:5]:>5}" for c in cols)]
    for r in rows:
        lines.append(f"{r[:9]:<9}  " + " ".join(f"{score.confusion.get((r, c), 0) or '.':>5}" for c in cols))
    return lines


@dataclass
class QuoteScore:
    """Gold quotations found, found with the right speaker, and system direct quotes."""

    gold: int = 0
    found: int = 0
    speaker_ok: int = 0
    system_direct: int = 0
    system_matched: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Quote figures: direct-quote precision/recall/F1 and speaker accuracy over gold quotes."""
        p = self.system_matched / self.system_direct if self.system_direct else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"precision={p:.3f} recall={r:.3f} f1={f:.3f}"

    def speaker_accuracy(self) -> float:
        """Share of gold quotations found with the right speaker."""
        return self.speaker_ok / self.gold if self.gold else 0.0


def _overlaps(gold_text: str, text: str) -> bool:
    g, s = fold(gold_text).strip(" ۔"), fold(text)
    if g and g in s:
        return True
    gt, st = set(tokens(g)), set(tokens(s))
    return bool(gt) and len(gt & st) / len(gt) >= 0.6


def _speaker_ok(q: Quote, gold_name: str, surfaces: set[str]) -> bool:
    if q.speaker:
        from akhbar.entities import kb

        ent = kb().get(q.speaker)
        if ent is not None and ent.name == gold_name:
            return True
    return bool(q.speaker_surface) and fold(q.speaker_surface) in surfaces


def score_quotes(store: Store, gold_dir: Path) -> QuoteScore:
    """Score the stored quotes of every gold article."""
    surfaces: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in read_gold(gold_dir, "entities.jsonl"):
        surfaces[(e["doc"], e["entity"])].update(fold(s) for s in e.get("surface", []))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in read_gold(gold_dir, "quotes.jsonl"):
        by_doc[g["doc"]].append(g)
    score = QuoteScore()
    for doc, gold in sorted(by_doc.items()):
        ids = store.find_ids(doc)
        quotes = [q for _, q in store.list_quotes(article_id=ids[0])] if ids else []
        direct = [q for q in quotes if q.kind == "direct"]
        score.system_direct += len(direct)
        score.system_matched += sum(any(_overlaps(g["text"], q.text) or _overlaps(q.text, g["text"])
                                        for g in gold) for q in direct)
        for g in gold:
            score.gold += 1
            hits = [q for q in quotes if _overlaps(g["text"], q.text)]
            if not hits:
                score.errors.append(f"{doc} missed quote of {g['speaker']}: {g['text'][:40]}")
                continue
            score.found += 1
            if any(_speaker_ok(q, g["speaker"], surfaces[(doc, g["speaker"])]) for q in hits):
                score.speaker_ok += 1
            else:
                score.errors.append(f"{doc} wrong speaker {hits[0].speaker_surface} for {g['speaker']}")
    return score
