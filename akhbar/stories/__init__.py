"""Stories stage: near-duplicates, incremental story clustering with threads, summaries, labels.

`update(store, new_ids)` runs after ingest over the newly stored articles; `one_line_summary` is a
per-article pipeline component.
"""

from __future__ import annotations

import json
import pickle

from akhbar.errors import NotFound
from akhbar.model import Article, Story
from akhbar.store.base import Store
from akhbar.stories.cluster import Clusterer, StoryState, chronological
from akhbar.stories.dedupe import Deduper, pack, place, signature, unpack
from akhbar.stories.features import article_text
from akhbar.stories.label import label
from akhbar.stories.summarize import one_line, story_summary

SIG_KIND = "stories.minhash"  # one MinHash signature per article id
STATE_KIND = "stories.state"  # clusterer state, dedupe groups, per-story labels and summaries


def one_line_summary(article: Article, ctx: object = None) -> None:
    """Pipeline component: set `article.summary` to its lead sentence with scrape noise removed."""
    article.summary = one_line(article)


def _load(store: Store, fresh: bool) -> tuple[Deduper, Clusterer, dict]:
    dd, cl, meta = Deduper(text_of=lambda key: article_text(store.get_article(key, full=False))), Clusterer(), {}
    if fresh:
        return dd, cl, meta
    state = store.get_blobs(STATE_KIND)
    if "cluster" in state:
        cl = pickle.loads(state["cluster"])
    if "meta" in state:
        meta = {int(k): v for k, v in json.loads(state["meta"]).items()}
    rehashed = {}
    for key, data in sorted(store.get_blobs(SIG_KIND).items(), key=lambda kv: int(kv[0])):
        sig = unpack(data)  # signatures are re-indexed, never re-hashed …
        if len(sig.hashvalues) != dd.num_perm or not sig.size:  # … unless num_perm changed since (params.yaml)
            sig = signature(article_text(store.get_article(int(key))), dd.num_perm, dd.k)
            rehashed[key] = pack(sig)
        dd.lsh.insert(int(key), sig)
        dd.sigs[int(key)] = sig
    if rehashed:
        store.put_blobs(SIG_KIND, rehashed)
    if "parent" in state:
        dd.parent = {int(k): v for k, v in json.loads(state["parent"]).items()}
    return dd, cl, meta


def update(store: Store, new_ids: list[int] | None = None) -> None:
    """Dedupe, cluster and summarise the newly stored articles (all of them when `new_ids` is None)."""
    fresh = new_ids is None
    dd, cl, meta = _load(store, fresh)
    ids = None if fresh else [i for i in dict.fromkeys(new_ids) if i not in cl.assign]  # idempotent
    if ids == []:
        return
    articles = chronological(list(store.iter_articles(full=True, ids=ids)))
    sigs, touched = {}, set()
    for a in articles:
        sid, sig = place(a, dd, cl)
        sigs[str(a.id)] = pack(sig)
        touched.add(sid)
    store.put_blobs(SIG_KIND, sigs)
    store.set_duplicates({a.id: (dd.representative(a.id) if dd.representative(a.id) != a.id else None) for a in articles})
    for sid in touched:
        meta[sid] = _describe(store, cl.stories[sid])
    stories = [_record(st, meta.get(st.id, {})) for st in cl.stories.values()]
    store.save_stories(stories, dict(cl.assign))
    store.put_blobs(STATE_KIND, {
        "cluster": pickle.dumps(cl, protocol=pickle.HIGHEST_PROTOCOL),
        "parent": json.dumps(dd.parent).encode(),
        "meta": json.dumps(meta, ensure_ascii=False).encode(),
    })


def _describe(store: Store, st: StoryState) -> dict:
    """Label, English gloss and summary of one story, from its stored articles."""
    arts = chronological(list(store.iter_articles(full=True, ids=st.article_ids)))
    names = {}
    for a in arts:
        for m in a.mentions:
            if m.entity_id and m.entity_id not in names:
                try:
                    names[m.entity_id] = store.get_entity(m.entity_id).name
                except NotFound:
                    names[m.entity_id] = m.entity_id
    urdu, english = label(arts, names)
    return {"label": urdu, "label_en": english, "summary": story_summary(arts)}


def _record(st: StoryState, meta: dict) -> Story:
    return Story(st.id, meta.get("label", ""), meta.get("label_en", ""), list(st.article_ids), st.first, st.last,
                 st.thread, meta.get("summary", []))


def duplicate_groups(store: Store) -> dict[int, list[int]]:
    """Near-duplicate groups recorded by `update`: {representative id: member ids}."""
    parent = json.loads(store.get_blobs(STATE_KIND, ["parent"]).get("parent", b"{}"))
    dd = Deduper()
    dd.parent = {int(k): v for k, v in parent.items()}
    groups: dict[int, list[int]] = {}
    for k in dd.parent:
        groups.setdefault(dd.representative(k), []).append(k)
    for rep, members in groups.items():
        if rep not in members:
            members.append(rep)
    return {r: sorted(m) for r, m in groups.items() if len(m) > 1}


__all__ = ["update", "one_line_summary", "duplicate_groups"]
