"""Scorers for `akhbar eval dedupe|stories` on external data (COUNTER, bend-the-truth).

Articles are built straight from the data set's files (body = text) and run through the same
Deduper and Clusterer that `akhbar.stories.update` uses, without a store.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from akhbar.errors import InputError
from akhbar.ingest.counter import read_counter, to_article
from akhbar.model import Article
from akhbar.stories.cluster import Clusterer, chronological
from akhbar.stories.dedupe import Deduper, place
from akhbar.stories.features import article_text


@dataclass(slots=True)
class Labelled:
    """A data set as articles (ids 1..n), gold pairs {(id, id): label} and gold groups (id -> group)."""

    name: str
    articles: list[Article]
    pairs: dict[tuple[int, int], str]


def load(folder: str | Path) -> Labelled:
    """COUNTER (xml/) or bend-the-truth (Train|Test/Real|Fake) under `folder`."""
    p = Path(folder)
    if not p.exists():
        raise InputError(str(p), "no such folder (give the data set folder, e.g. ../shared/data/counter)")
    if list(p.rglob("Real/*.txt")):
        return _load_btt(p)
    docs = list(read_counter(p))
    arts, members = [], defaultdict(list)
    for i, d in enumerate(docs, 1):
        a = to_article(d.doc)
        a.id = i
        arts.append(a)
        members[d.pair].append((i, d.label))
    pairs = {(m[0][0], m[1][0]): m[0][1] for m in members.values() if len(m) == 2}
    return Labelled("counter", arts, pairs)


def _load_btt(p: Path) -> Labelled:
    arts, by_name = [], defaultdict(list)
    for f in sorted(p.rglob("*.txt")):
        if f.parent.name not in ("Real", "Fake"):
            continue
        text = f.read_text("utf-8", errors="replace").replace("\r\n", "\n")
        a = Article(raw=text, body=text, source_id=f"{f.parent.parent.name}/{f.parent.name}/{f.stem}", id=len(arts) + 1)
        arts.append(a)
        by_name[(f.parent.parent.name, f.name)].append(a.id)
    pairs = {(m[0], m[1]): "REWRITE" for m in by_name.values() if len(m) == 2}
    return Labelled("bend-the-truth", arts, pairs)


def held_out(article_source_id: str) -> bool:
    """True for a pair the shipped verifier never saw: an even COUNTER pair number or bend-the-truth's Test folder.

    `akhbar train-dedupe` trains on the other half (odd pair numbers, the Train folder).
    """
    head = article_source_id.split("/")[0]
    if head in ("Train", "Test"):
        return head == "Test"
    return int("".join(ch for ch in article_source_id if ch.isdigit())) % 2 == 0


class _Recording(Deduper):
    """A Deduper that remembers every pair it verified: candidate recall is measured apart from the verdicts."""

    def __init__(self) -> None:
        super().__init__()
        self.compared: set[frozenset[int]] = set()

    def near(self, a: int, b: int) -> bool:
        self.compared.add(frozenset((a, b)))
        return super().near(a, b)


def dedupe_scores(data: Labelled, threshold: float | None = None) -> dict[str, float]:
    """Pairwise P/R/F1 of near-duplicate flags on the held-out pairs: COUNTER WD positive, ND negative (PD unscored).

    Every article is deduped and clustered as `akhbar.stories.update` does; only the pairs the verifier
    was not trained on are scored. `threshold` overrides the verifier's probability cut. `*_candidates`
    is the share of a kind's pairs ever verified (LSH or story candidates): a pair never verified
    cannot be flagged, except through a third article.
    """
    dd = _Recording()
    if threshold is not None and dd.model is not None:
        dd.model = dataclasses.replace(dd.model, threshold=threshold)
    cl = Clusterer()
    for a in chronological(data.articles):
        place(a, dd, cl)
    src = {a.id: a.source_id or "" for a in data.articles}
    pairs = {pr: lab for pr, lab in data.pairs.items() if held_out(src[pr[0]])}
    flagged = {pr: dd.representative(pr[0]) == dd.representative(pr[1]) for pr in pairs}
    out: dict[str, float] = {"held_out_pairs": len(pairs)}
    for lab in sorted(set(pairs.values())):
        n = sum(1 for v in pairs.values() if v == lab)
        out[f"{lab.lower()}_flagged"] = sum(flagged[p] for p, v in pairs.items() if v == lab) / n
        out[f"{lab.lower()}_candidates"] = sum(frozenset(p) in dd.compared for p, v in pairs.items() if v == lab) / n
    if data.name == "counter":
        tp = sum(flagged[p] for p, v in pairs.items() if v == "WD")
        fp = sum(flagged[p] for p, v in pairs.items() if v == "ND")
        n_pos = sum(1 for v in pairs.values() if v == "WD")
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / n_pos if n_pos else 0.0
        out.update(precision=prec, recall=rec, f1=2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    out["groups"] = len(dd.groups())
    return out


def clustered(data: Labelled) -> Clusterer:
    """The clusterer after every article went through it oldest first, near-duplicates folded in."""
    dd, cl = Deduper(), Clusterer()
    for a in chronological(data.articles):
        place(a, dd, cl)
    return cl


def domain(source_id: str) -> str:
    """bend-the-truth's domain of an article (bus, hlth, sbz, sp, tch: its file name's letters); else ''."""
    head, _, stem = source_id.rpartition("/")
    return stem.rstrip("0123456789") if head.endswith(("Real", "Fake")) else ""


def thread_scores(data: Labelled, cl: Clusterer | None = None) -> dict[str, float]:
    """Thread sizes (largest, share of stories in a thread) and, on bend-the-truth, domain purity.

    `thread_purity` is the share of same-thread story pairs whose stories (by their articles' majority
    domain) lie in one domain: a pair across domains is surely not one story returning.
    """
    cl = cl or clustered(data)
    src = {a.id: a.source_id or "" for a in data.articles}
    members: dict[int, list[int]] = defaultdict(list)
    for st in cl.stories.values():
        if st.thread is not None:
            members[st.thread].append(st.id)
    sizes = [len(m) for m in members.values()]
    out: dict[str, float] = {"threads": len(sizes), "largest_thread": max(sizes, default=0),
                             "threaded_share": sum(sizes) / (len(cl.stories) or 1)}
    if data.name == "bend-the-truth":
        dom = {sid: Counter(domain(src[a]) for a in st.article_ids).most_common(1)[0][0]
               for sid, st in cl.stories.items()}
        pairs = [dom[x] == dom[y] for m in members.values() for x, y in itertools.combinations(m, 2)]
        out.update(thread_pairs=len(pairs), thread_purity=sum(pairs) / len(pairs) if pairs else 1.0)
    return out


def gold_groups(data: Labelled) -> dict[int, int]:
    """Gold story of every article: labelled pairs joined, plus exact re-used copies (Jaccard >= 0.9)."""
    dd = Deduper(threshold=0.9, verify=False)
    for a in data.articles:
        dd.add(a.id, article_text(a))
    for x, y in data.pairs:
        dd._union(x, y)
    return {a.id: dd.representative(a.id) for a in data.articles}


def story_scores(data: Labelled, cl: Clusterer | None = None) -> dict[str, float]:
    """pair_recall over labelled pairs, pairwise precision against gold groups, and B-cubed P/R/F1
    (of `cl`, the clusterer after `data`, when given: saves clustering again for `thread_scores`)."""
    assign, gold = dict((cl or clustered(data)).assign), gold_groups(data)
    recall = sum(assign[x] == assign[y] for x, y in data.pairs) / len(data.pairs)
    by_story: dict[int, list[int]] = defaultdict(list)
    by_gold: dict[int, list[int]] = defaultdict(list)
    for aid, s in assign.items():
        by_story[s].append(aid)
        by_gold[gold[aid]].append(aid)
    same = good = 0
    for members in by_story.values():
        for x, y in itertools.combinations(members, 2):
            same += 1
            good += gold[x] == gold[y]
    bp = sum(sum(gold[y] == gold[x] for y in by_story[assign[x]]) / len(by_story[assign[x]]) for x in assign)
    br = sum(sum(assign[y] == assign[x] for y in by_gold[gold[x]]) / len(by_gold[gold[x]]) for x in assign)
    bp, br = bp / len(assign), br / len(assign)
    return {"stories": len(by_story), "pair_recall": recall, "precision": good / same if same else 1.0,
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0}

