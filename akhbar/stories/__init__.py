"""Stories stage: near-duplicates, incremental story clustering with threads, summaries, labels.

`update(store, new_ids)` runs after ingest over the newly stored articles; `one_line_summary` is a
per-article pipeline component. What a batch reads and writes is bounded by the batch and its time
window: signatures of the articles published near it, the live clustering state (stories past their
window are stored one by one and read back only when a new story may continue one), the touched stories.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import pickle
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from datasketch import MinHash, MinHashLSH

from akhbar.errors import NotFound
from akhbar.model import Article, Story
from akhbar.store.base import Store
from akhbar.stories.cluster import Clusterer, StoryState, chronological
from akhbar.stories.config import params
from akhbar.stories.dedupe import Deduper, pack, place, signature, unpack
from akhbar.stories.features import article_text
from akhbar.stories.label import label
from akhbar.stories.summarize import one_line, story_summary

SIG_KIND = "stories.minhash"  # one MinHash signature per article id
PARENT_KIND = "stories.parent"  # near-duplicate group link per article id (union-find parent), when it has one
RETIRED_KIND = "stories.retired"  # clustering state of each story past its time window, by story id
STATE_KIND = "stories.state"  # live clustering state ("cluster": the Clusterer without retired stories)
KINDS = (SIG_KIND, PARENT_KIND, RETIRED_KIND, STATE_KIND)
_TEXTS: WeakKeyDictionary[Store, OrderedDict[int, str]] = WeakKeyDictionary()  # article texts by open store
_INDEX: WeakKeyDictionary[Store, tuple[bytes, MinHashLSH, dict]] = WeakKeyDictionary()  # last LSH window by store
PARTS = ("mentions", "events")  # what the stage reads of an article's analyses (sentences and quotes it never uses)
REBUILD_BATCH = 2000  # articles per step when rebuilding from scratch (as pipeline.STORY_BATCH)


def one_line_summary(article: Article, ctx: object = None) -> None:
    """Pipeline component: set `article.summary` to its lead sentence with scrape noise removed."""
    article.summary = one_line(article)


def update(store: Store, new_ids: list[int] | None = None) -> None:
    """Dedupe, cluster and summarise the newly stored articles (all of them, from scratch, when `new_ids` is None).

    Work per call depends on the batch and the time window around it, not on the corpus size.
    """
    with _batch_gc():
        if new_ids is not None:
            _update(store, list(dict.fromkeys(new_ids)))
            return
        for kind in KINDS:
            store.delete_blobs(kind)
        store.save_stories([], {}, replace_all=True)
        ids = store.ids_by_date(dt.date.min, dt.date.max, since_id=0)  # every article, oldest first
        for k in range(0, len(ids), REBUILD_BATCH):
            _update(store, ids[k : k + REBUILD_BATCH])


@contextmanager
def _batch_gc() -> Iterator[None]:
    """No cyclic garbage collection during a batch: it makes hundreds of thousands of small containers (LSH
    buckets, term dicts), each allocation burst set off a collection, and the long ones walked the whole
    live state again (12% of the stage's CPU on a 16k real-text stream). Refcounting still frees what the
    batch drops; the collector resumes after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _update(store: Store, ids: list[int]) -> None:
    _upgrade(store)
    articles = chronological([a for a in store.iter_articles(full=True, ids=ids, parts=PARTS) if a.story_id is None])  # idempotent
    if not articles:
        return
    (dd, window), cl = _deduper(store, articles), _clusterer(store)
    sigs = {}
    for a in articles:
        sigs[str(a.id)] = pack(place(a, dd, cl)[1])
    store.put_blobs(SIG_KIND, sigs)
    store.put_blobs(PARENT_KIND, {str(k): str(dd.parent[k]).encode() for k in dd.changed if k in dd.parent})
    store.set_duplicates({a.id: (dd.representative(a.id) if dd.representative(a.id) != a.id else None) for a in articles})
    retired = cl.evict()
    known, names = {a.id: a for a in articles}, {}  # the batch's articles are not read again; names read once
    records = []
    for sid in sorted(cl.changed | {sid for sid, st in retired.items() if st.described < len(st.article_ids)}):
        st = cl.stories.get(sid) or retired[sid]
        due = _due(st, closing=sid in retired)
        records.append(_record(st, _describe(store, st, known, names) if due else _stored_meta(store, sid)))
    store.put_blobs(RETIRED_KIND, {str(sid): pickle.dumps(st, protocol=pickle.HIGHEST_PROTOCOL) for sid, st in retired.items()})
    store.save_stories(records, {a.id: cl.assign[a.id] for a in articles})
    cl.assign.clear()
    cl.changed.clear()
    token = os.urandom(8)  # names this update: the next may reuse its index only if no other update came between
    store.put_blobs(STATE_KIND, {"cluster": pickle.dumps(cl, protocol=pickle.HIGHEST_PROTOCOL), "token": token})
    _INDEX[store] = (token, dd.lsh, {k: dd.sigs[k] for k in [*window, *(a.id for a in articles)] if k in dd.lsh})


def _upgrade(store: Store) -> None:
    """Move the group links of state written before 0.2.0 (one JSON of all links) to one blob per article."""
    old = store.get_blobs(STATE_KIND, ["parent"]).get("parent")
    if old is not None:
        store.put_blobs(PARENT_KIND, {k: str(v).encode() for k, v in json.loads(old).items()})
        store.delete_blobs(STATE_KIND, ["parent", "meta"])


def _clusterer(store: Store) -> Clusterer:
    """The live clustering state, reading retired stories and earlier articles' stories from the store."""
    data = store.get_blobs(STATE_KIND, ["cluster"]).get("cluster")
    cl = pickle.loads(data) if data else Clusterer()
    cl.assign.clear()  # state written before 0.2.0 held every article's story: the store answers that now

    def load(sids: list[int]) -> dict[int, StoryState]:
        return {int(k): pickle.loads(v) for k, v in store.get_blobs(RETIRED_KIND, [str(s) for s in sids]).items()}

    cl.load_stories, cl.story_of = load, lambda aid: store.story_ids([aid]).get(aid)
    return cl


def _deduper(store: Store, articles: list[Article]) -> tuple[Deduper, list[int]]:
    """A Deduper whose LSH index holds the signatures of the articles that may be copies of the batch's, and their ids.

    Those are the articles published within the clustering window of the batch's dates and the
    `recent_ids` stored last (undated ones, late arrivals); others are read only when a story offers them.
    """
    dd = Deduper(text_of=lambda key: article_text(store.get_article(key, full=False)))
    dd.texts = _TEXTS.setdefault(store, dd.texts)  # the texts the last batches met, kept while the store is open
    p, days = params()["dedupe"], dt.timedelta(days=params()["cluster"]["window_days"])
    dates = [a.published for a in articles if a.published is not None]
    lo, hi = (min(dates) - days, max(dates) + days) if dates else (dt.date.max, dt.date.min)
    batch = {a.id for a in articles}
    window = [i for i in store.ids_by_date(lo, hi, since_id=min(batch) - int(p["recent_ids"])) if i not in batch]
    dd.lsh, indexed = _window_index(store, window, dd)
    dd.sigs.update(indexed)
    known = [*map(str, window), *map(str, batch)]  # the batch's own links too: a run cut short may have stored some
    dd.load_links({int(k): int(v) for k, v in store.get_blobs(PARENT_KIND, known).items()}, map(int, known))

    def sig_of(key: int) -> MinHash | None:
        data = store.get_blobs(SIG_KIND, [str(key)]).get(str(key))
        return None if data is None else _checked(store, key, unpack(data), dd)

    def parent_of(key: int) -> int | None:
        data = store.get_blobs(PARENT_KIND, [str(key)]).get(str(key))
        return None if data is None else int(data)

    dd.sig_of, dd.parent_of = sig_of, parent_of
    return dd, window


def _window_index(store: Store, window: list[int], dd: Deduper) -> tuple[MinHashLSH, dict[int, MinHash]]:
    """The LSH index of the window's signatures and those signatures.

    The last batch's index over this store, kept in memory, is moved to the new window (the keys that left
    removed, the missing read and inserted) rather than rebuilt: most of a window is the last one's. It is
    used only when the state's token is the one that batch wrote, i.e. no other update ran in between.
    """
    token, lsh, sigs = _INDEX.pop(store, (None, dd.lsh, {}))
    stored = store.get_blobs(STATE_KIND, ["token"]).get("token")
    if stored != token or (lsh.h, lsh.b, lsh.r) != (dd.lsh.h, dd.lsh.b, dd.lsh.r):  # another update came between
        lsh, sigs = dd.lsh, {}  # (another process, a rebuild) or the LSH parameters changed: build afresh
    wanted = set(window)
    for key in [k for k in sigs if k not in wanted]:
        lsh.remove(key)
        del sigs[key]
    missing = [str(k) for k in window if k not in sigs]
    for key, data in sorted(store.get_blobs(SIG_KIND, missing).items(), key=lambda kv: int(kv[0])):
        sig = _checked(store, int(key), unpack(data), dd)
        lsh.insert(int(key), sig)
        sigs[int(key)] = sig
    return lsh, sigs


def _checked(store: Store, key: int, sig: MinHash, dd: Deduper) -> MinHash:
    """`sig`, re-hashed from the text (and stored again) when num_perm changed since it was stored (params.yaml)."""
    if len(sig.hashvalues) == dd.num_perm and sig.size:
        return sig
    sig = signature(article_text(store.get_article(key)), dd.num_perm, dd.k)
    store.put_blobs(SIG_KIND, {str(key): pack(sig)})
    return sig


def _stored_meta(store: Store, story_id: int) -> dict:
    """Label and summary of a stored story (one whose thread changed but which gained no article)."""
    try:
        s = store.get_story(story_id)
    except NotFound:
        return {}
    return {"label": s.label, "label_en": s.label_en, "summary": s.summary}


def _due(st: StoryState, *, closing: bool) -> bool:
    """Whether a story's label and summary are recomputed now: it gained a share of new articles, or it closes.

    The share is `summary.redescribe_share` of the articles it was last described from (at most
    `describe_articles`): a large live story is not re-read for every article it gains.
    """
    new = len(st.article_ids) - st.described
    if new <= 0:
        return False
    p = params()["summary"]
    return closing or new >= p["redescribe_share"] * min(st.described, int(p["describe_articles"]))


def _describe(store: Store, st: StoryState, known: dict[int, Article], names: dict[str, str]) -> dict:
    """Label, English gloss and summary of one story, from its newest stored articles.

    At most `summary.describe_articles` are used: a story that never closes must not cost more each batch.
    Those in `known` (full articles at hand) are not read again; `names` caches entity names across stories.
    """
    newest = st.article_ids[-int(params()["summary"]["describe_articles"]) :]
    arts = [known[i] for i in newest if i in known]
    arts = chronological(arts + list(store.iter_articles(full=True, ids=[i for i in newest if i not in known], parts=PARTS)))
    for a in arts:
        for m in a.mentions:
            if m.entity_id and m.entity_id not in names:
                try:
                    names[m.entity_id] = store.get_entity(m.entity_id).name
                except NotFound:
                    names[m.entity_id] = m.entity_id
    urdu, english = label(arts, names)
    st.described = len(st.article_ids)
    return {"label": urdu, "label_en": english, "summary": story_summary(arts)}


def _record(st: StoryState, meta: dict) -> Story:
    return Story(st.id, meta.get("label", ""), meta.get("label_en", ""), list(st.article_ids), st.first, st.last,
                 st.thread, meta.get("summary", []))


def duplicate_groups(store: Store) -> dict[int, list[int]]:
    """Near-duplicate groups recorded by `update`: {representative id: member ids}."""
    dd = Deduper(verify=False)
    dd.parent = {int(k): int(v) for k, v in store.get_blobs(PARENT_KIND).items()}
    groups: dict[int, list[int]] = {}
    for k in list(dd.parent):
        groups.setdefault(dd.representative(k), []).append(k)
    for rep, members in groups.items():
        if rep not in members:
            members.append(rep)
    return {r: sorted(m) for r, m in groups.items() if len(m) > 1}


__all__ = ["update", "one_line_summary", "duplicate_groups"]
