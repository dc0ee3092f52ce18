"""Incremental, time-aware story clustering with threads (single-pass clustering over TF-IDF).

Each article joins the live story it is most similar to (cosine of TF-IDF vectors, plus bonuses for
shared entity ids and event signatures when the other stages supplied them), or starts a new story.
A story stays live for `window_days` after its last article; a new story that resembles an older
one is linked to it as a thread instead of being merged (Allan et al., Topic Detection and Tracking).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from operator import mul

from akhbar.model import Article
from akhbar.stories.background import background_df
from akhbar.stories.config import params
from akhbar.stories.features import term_counts, tfidf


@dataclass(slots=True)
class StoryState:
    """What the clusterer remembers of one story: summed term weights, entities, events, dates."""

    id: int
    terms: dict[str, float] = field(default_factory=dict)
    entities: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)
    article_ids: list[int] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None
    thread: int | None = None
    described: int = 0  # articles it had when its label and summary were last computed

    def __setstate__(self, state: tuple[None, dict]) -> None:
        """Unpickle (state: no __dict__, the slots by name); one pickled before `described` existed was never described."""
        for name, value in {"described": 0, **state[1]}.items():
            setattr(self, name, value)

    def mean_cosine(self, vec: dict[str, float]) -> float:
        """Mean cosine of `vec` with the story's articles (average link: a loose blob scores low)."""
        n = len(self.article_ids) or 1
        return sum(map(mul, vec.values(), map(self.terms.get, vec, repeat(0.0)))) / n  # C-level loop, same sum


def entity_ids(article: Article) -> set[str]:
    """Linked entity ids of the article's mentions (empty without the entities stage)."""
    return {m.entity_id for m in article.mentions if m.entity_id}


def event_keys(article: Article) -> set[str]:
    """Event signatures `SOURCE TYPE TARGET` (unordered pair for symmetric types)."""
    out = set()
    for e in article.events:
        pair = (e.source or "?", e.target or "?")
        if e.type in ("CONSULT", "AGREE", "COOPERATE"):
            pair = tuple(sorted(pair))
        out.add(f"{pair[0]} {e.type} {pair[1]}")
    return out


def _jaccard(a: set[str], b: Counter) -> float:
    if not a or not b:
        return 0.0
    inter = len(b.keys() & a)
    return inter / (len(a) + len(b) - inter)


class Clusterer:
    """Single-pass story clustering; feed articles oldest first with `add`.

    In memory every story is kept. A store-backed caller keeps only live ones: it sets `load_stories`
    (retired stories by id) and `story_of` (an earlier article's story id), and calls `evict`.
    """

    def __init__(self, **overrides: float):
        self.p = {**params()["cluster"], **overrides}
        n_bg, df_bg = background_df()  # so that IDF means something from the first article on
        self.df: Counter = Counter(df_bg)
        self.n_docs = n_bg
        self.stories: dict[int, StoryState] = {}
        self.index: dict[str, set[int]] = {}  # term -> live stories whose centroid holds it
        self.archive: dict[str, set[int]] = {}  # term -> retired stories (top terms only), for threads
        self.live: set[int] = set()
        self.threads: dict[int, list[int]] = {}  # thread id -> its stories (threads linked since this was kept)
        self.latest: dt.date | None = None  # newest date seen: stories older than the window retire
        self.assign: dict[int, int] = {}  # article id -> story id (this session's articles when store-backed)
        self.added = 0
        self.next_id = 1
        self.changed: set[int] = set()  # stories attached to or linked into a thread since `changed` was cleared
        self.load_stories: Callable[[list[int]], dict[int, StoryState]] | None = None
        self.story_of: Callable[[int], int | None] | None = None

    def __getstate__(self) -> dict:
        return {**self.__dict__, "load_stories": None, "story_of": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"changed": set(), "load_stories": None, "story_of": None, "threads": {}, **state})
        self.p = {**params()["cluster"], **self.p}  # a state pickled before a tunable existed gets its default

    def _fetch(self, sids: list[int]) -> list[int]:
        """`sids`, with the retired stories among them loaded back (store-backed)."""
        missing = [s for s in sids if s not in self.stories]
        if missing and self.load_stories is not None:
            self.stories.update(self.load_stories(missing))
        return sids

    def _story_id(self, article_id: int) -> int | None:
        sid = self.assign.get(article_id)
        if sid is None and self.story_of is not None:
            sid = self.story_of(article_id)
        return sid

    def evict(self) -> dict[int, StoryState]:
        """Remove and return the stories no live lookup reaches (retired): the caller stores them."""
        self.index = {t: post for t, post in self.index.items() if post}
        indexed = set().union(*self.index.values())
        out = {sid: st for sid, st in self.stories.items() if sid not in self.live and sid not in indexed}
        for sid in out:
            del self.stories[sid]
        return out

    def vector(self, article: Article) -> dict[str, float]:
        """Count the article into the document frequencies and return its TF-IDF vector."""
        counts = term_counts(article, int(self.p["headline_weight"]))
        self.df.update(counts.keys())
        self.n_docs += 1
        return tfidf(counts, self.df, self.n_docs, int(self.p["article_terms"]))

    def _live(self, story: StoryState, date: dt.date | None) -> bool:
        if date is None or story.last is None:
            return True
        return abs((date - story.last).days) <= self.p["window_days"]

    def _join_threshold(self, article: Article, story: StoryState) -> float:
        """Closeness in time is evidence too: without both dates, joining needs more similarity."""
        dated = article.published is not None and story.last is not None
        return self.p["join"] if dated else self.p["join_undated"]

    def score(self, vec: dict[str, float], ents: set[str], evs: set[str], story: StoryState,
              mean: float | None = None) -> float:
        """Similarity of an article to a story: mean cosine (`mean` if known), raised by shared entities and events."""
        # multiplicative bonuses: shared entities (Russia, US) alone must not join unrelated talk
        bonus = 1.0 + self.p["entity_weight"] * _jaccard(ents, story.entities)
        bonus += self.p["event_weight"] * _jaccard(evs, story.events)
        return (story.mean_cosine(vec) if mean is None else mean) * bonus

    def _live_means(self, vec: dict[str, float], sids: list[int]) -> dict[int, float]:
        """`mean_cosine(vec)` of the live stories among `sids` (whose terms are in memory)."""
        stories = self.stories
        return {sid: stories[sid].mean_cosine(vec) for sid in self.live.intersection(sids)}

    def _candidates(self, vec: dict[str, float], index: dict[str, set[int]]) -> list[int]:
        """Stories sharing most of the article's heaviest terms; terms common to too many stories are skipped."""
        hits: Counter = Counter()
        cap = int(self.p["max_postings"])
        for t in sorted(vec, key=lambda t: -vec[t])[: int(self.p["probe_terms"])]:
            post = index.get(t)
            if post and len(post) <= cap:
                hits.update(post)
        return [sid for sid, _ in hits.most_common(int(self.p["max_candidates"]))]

    def _retire(self) -> None:
        """Move stories past their time window from the live index to the (smaller) thread archive."""
        if self.latest is None:
            return
        keep = int(self.p["archive_terms"])
        for sid in [s for s in self.live if self.stories[s].last and not self._live(self.stories[s], self.latest)]:
            st = self.stories[sid]
            self.live.discard(sid)
            for t in st.terms:
                self.index.get(t, set()).discard(sid)
            for t in sorted(st.terms, key=lambda t: -st.terms[t])[:keep]:
                self.archive.setdefault(t, set()).add(sid)

    def add(self, article: Article, duplicate_of: int | None = None) -> int:
        """Place one stored article in a story (its near-duplicate's story if given); return the story id."""
        assert article.id is not None, "clustering needs stored articles"
        vec = self.vector(article)
        ents, evs = entity_ids(article), event_keys(article)
        dup_story = self._story_id(duplicate_of) if duplicate_of is not None else None
        if dup_story is not None:
            return self._attach(self.stories[self._fetch([dup_story])[0]], article, vec, ents, evs)
        best, best_s, older, older_s = None, 0.0, None, 0.0
        candidates = self._candidates(vec, self.index)
        means = self._live_means(vec, candidates)
        for sid in candidates:
            st = self.stories[sid]
            s = self.score(vec, ents, evs, st, means.get(sid))
            if self._live(st, article.published):
                if s > best_s:
                    best, best_s = st, s
            elif s > older_s:
                older, older_s = st, s
        if best is not None and best_s >= self._join_threshold(article, best):
            return self._attach(best, article, vec, ents, evs)
        for sid in self._fetch(self._candidates(vec, self.archive)):  # a returning story: look for its past
            s = self.score(vec, ents, evs, self.stories[sid])
            if s > older_s:
                older, older_s = self.stories[sid], s
        story = StoryState(self.next_id)
        self.next_id += 1
        self.stories[story.id] = story
        self.live.add(story.id)
        link = best if best is not None and best_s >= older_s else older
        if link is not None and max(best_s, older_s) >= self.p["thread"] and self._fits_thread(link, vec, ents, evs):
            story.thread = link.thread or link.id
            link.thread = story.thread
            self.threads.setdefault(story.thread, [link.id]).append(story.id)
            self.changed.add(link.id)
        return self._attach(story, article, vec, ents, evs)

    def _fits_thread(self, link: StoryState, vec: dict[str, float], ents: set[str], evs: set[str]) -> bool:
        """A story joins `link`'s thread only if it shares entities with it (when both have some) and resembles
        the thread's stories on average: a thread is a story returning, not a chain of stories on one topic."""
        if ents and link.entities and len(ents & link.entities.keys()) < self.p["thread_entities"]:
            return False
        members = self._fetch(self.threads.get(link.thread, [link.id]) if link.thread else [link.id])
        mean = sum(self.score(vec, ents, evs, self.stories[sid]) for sid in members) / len(members)
        return mean >= self.p["thread_centre"]

    def _attach(self, story: StoryState, article: Article, vec: dict[str, float], ents: set[str], evs: set[str]) -> int:
        for t, w in vec.items():
            story.terms[t] = story.terms.get(t, 0.0) + w
        limit = int(self.p["centroid_terms"])
        if len(story.terms) > limit * 1.5:  # prune the tail now and then, not on every article
            keep = dict(sorted(story.terms.items(), key=lambda kv: -kv[1])[:limit])
            for t in story.terms.keys() - keep.keys():
                self.index.get(t, set()).discard(story.id)
            story.terms = keep
        for t in vec:
            if t in story.terms:
                self.index.setdefault(t, set()).add(story.id)
        story.entities.update(ents)
        story.events.update(evs)
        story.article_ids.append(article.id)
        d = article.published
        if d is not None:
            story.first = d if story.first is None else min(story.first, d)
            story.last = d if story.last is None else max(story.last, d)
        self.assign[article.id] = story.id
        self.changed.add(story.id)
        if d is not None and (self.latest is None or d > self.latest):
            self.latest = d
        self.added += 1
        if self.added % int(self.p["retire_every"]) == 0:
            self._retire()
        return story.id


def chronological(articles: list[Article]) -> list[Article]:
    """Articles oldest first; undated ones after the dated, in id order."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or dt.date.min, a.id or 0))
