"""Find names in an article and link them to the knowledge base.

Layers, each a named method on the Mention: `kb` (a listed spelling, longest match),
`variant` (a skeleton-key match of an unlisted spelling), `demonym` (امریکی → United
States, kept apart because the gold lists named mentions only), `rule` (a name after a title
word or before an organisation head word) and `crf` (the statistical model). Surnames
alone link to a full name met earlier in the same article.
"""

from __future__ import annotations

from bisect import bisect_right

from akhbar.entities.kb import KnowledgeBase, common_words, kb, stop
from akhbar.entities.spans import Taken
from akhbar.entities.variants import exact_key, skeleton
from akhbar.model import Article, Mention
from akhbar.text.split import Span, sentences, words

MIN_SKELETON = 3


def find_mentions(text: str, base: KnowledgeBase | None = None, *, model: bool = True) -> list[Mention]:
    """Every mention in `text` (no sentence index), dictionary first, then rules and model."""
    base = base or kb()
    toks = words(text)
    keys = list(map(exact_key, [t.text for t in toks]))
    found = _dictionary(text, toks, keys, base)
    if model:
        from akhbar.entities.statistical import add_model_mentions

        found = add_model_mentions(text, toks, found, base, keys)
    found = _link_surnames(toks, keys, found, base)
    return sorted(found, key=lambda m: m.start)


def _dictionary(text: str, toks: list[Span], keys: list[str], base: KnowledgeBase) -> list[Mention]:
    found: list[Mention] = []
    full_ids: set[str] = set()
    pending: list[tuple[Mention, str]] = []
    free = 0  # the first token not inside a match taken already
    kinds, last, prefixes = _start_kinds(toks, keys, base), len(toks) - 1, base.prefixes
    for i in [i for i, kind in enumerate(kinds)
              if kind == ANY_MATCH or kind == LONGER_MATCH and i < last and keys[i] + keys[i + 1] in prefixes]:
        hit = _longest(toks, keys, i, base) if i >= free else None
        if hit is None:
            continue
        n, eid, method = hit
        free = i + n
        mention = Mention(toks[i].start, toks[i + n - 1].end, text[toks[i].start : toks[i + n - 1].end],
                          base.by_id[eid].type if method != "demonym" else "GPE", eid, method=method)
        rule = base.ambiguous.get(exact_key(mention.surface))
        if rule is not None and rule.entity_id == eid:
            prev = keys[i - 1] if i > 0 else ""
            nxt = keys[i + n] if i + n < len(keys) else ""
            if not _name_sense(rule, prev, nxt, text, toks[i + n - 1].end):
                continue
            if rule.needs_full:
                pending.append((mention, eid))
                continue
        if method != "demonym":
            full_ids.add(eid)
        found.append(mention)
    found.extend(m for m, eid in pending if eid in full_ids)
    return found


MAX_START_WORDS = 200_000  # words whose start kind is kept (bounded memory on long ingests)
NO_MATCH, LONGER_MATCH, ANY_MATCH = 0, 1, 2  # what a match starting at a word can be
_starts: dict[str, int] = {}
_starts_for: list[tuple] = [()]  # the base (and its size) and common-word list the kinds were made for


def _start_kinds(toks: list[Span], keys: list[str], base: KnowledgeBase) -> list[int]:
    """Per token, what a match starting there can be (cached per word): none; only a listed
    spelling of two or more words (a stop or common word that starts listed keys but is none
    itself); or any (its key starts a listed key, or its skeleton a listed skeleton)."""
    common = common_words()
    state = (base, len(base.prefixes), len(base.skeleton_prefixes), common)
    held = _starts_for[0]
    if not held or held[0] is not base or held[1:3] != state[1:3] or held[3] is not common \
            or len(_starts) > MAX_START_WORDS:
        _starts.clear()
        _starts_for[0] = state
    kinds = list(map(_starts.get, [t.text for t in toks]))
    for j in [j for j, kind in enumerate(kinds) if kind is None]:
        kinds[j] = _starts[toks[j].text] = _start_kind(toks[j].text, keys[j], base, common)
    return kinds


def _start_kind(word: str, key: str, base: KnowledgeBase, common: frozenset[str]) -> int:
    blocked = _blocked(word, key, common)
    if key in base.prefixes:
        return LONGER_MATCH if blocked and key not in base.exact and key not in base.demonyms else ANY_MATCH
    return ANY_MATCH if not blocked and skeleton(word) in base.skeleton_prefixes else NO_MATCH


def _blocked(word: str, key: str, common: frozenset[str]) -> bool:
    """Stop and common words never start or extend a skeleton match."""
    return stop(word) or key in common


def _name_sense(rule, prev: str, nxt: str, text: str, end: int) -> bool:
    if prev in rule.not_after or nxt in rule.not_before:
        return False
    if rule.needs_next:
        after = text[end : end + 2].strip()[:1]
        return nxt in rule.needs_next or after in rule.needs_next or not nxt
    return True


def _longest(toks: list[Span], keys: list[str], i: int, base: KnowledgeBase) -> tuple[int, str, str] | None:
    hit = None
    key = ""
    for n in range(1, min(base.max_words, len(toks) - i) + 1):
        if n > 1 and toks[i + n - 2].end < toks[i + n - 1].start - 1:
            break  # a name never spans punctuation
        key += keys[i + n - 1]
        if key not in base.prefixes:
            break  # no listed spelling starts with these words
        if key in base.exact:
            hit = n, base.exact[key], "kb"
        elif key in base.demonyms:
            hit = n, base.demonyms[key], "demonym"
    if hit is not None:
        return hit
    # Words extend a skeleton key (fold works word by word), so the scan stops at the first
    # n-gram whose key no listed skeleton starts with.
    parts: list[str] = []
    common = common_words()
    for n in range(1, min(3, len(toks) - i) + 1):
        if _blocked(toks[i + n - 1].text, keys[i + n - 1], common):
            break
        parts.append(toks[i + n - 1].text)
        sk = skeleton(" ".join(parts))
        if sk not in base.skeleton_prefixes:
            break
        ids = base.skeletons.get(sk, ())
        if len(sk) >= MIN_SKELETON and len(ids) == 1:
            eid = next(iter(ids))
            if base.by_id[eid].type == "PER" or len(sk) > MIN_SKELETON:
                hit = n, eid, "variant"
    return hit


def _link_surnames(toks: list[Span], keys: list[str], found: list[Mention], base: KnowledgeBase) -> list[Mention]:
    """A bare surname (کارٹر) is the person named in full in the same text (linked or not)."""
    last: dict[str, str | None] = {}
    for m in sorted(found, key=lambda m: m.entity_id is None):
        if m.type == "PER" and len(m.surface.split()) > 1:
            key = exact_key(m.surface.split()[-1])
            if not stop(key) and key not in common_words():
                last.setdefault(key, m.entity_id)
    for m in found:
        if m.entity_id is None and m.type == "PER" and last.get(exact_key(m.surface)):
            m.entity_id = last[exact_key(m.surface)]
    taken = Taken((m.start, m.end) for m in found)  # the mentions before any surname is added
    for tok, key in zip(toks, keys, strict=True):
        if key in last and not taken.overlaps(tok.start, tok.end):
            eid = last[key]
            found.append(Mention(tok.start, tok.end, tok.text, "PER", eid, method="kb" if eid else "rule"))
    return found


def _sentence_of(offset: int, spans: list, starts: list[int]) -> int | None:
    """Position in `spans` (sentences in text order, `starts` their starts) of the one holding `offset`."""
    k = bisect_right(starts, offset) - 1  # the last sentence starting at or before it
    return k if k >= 0 and offset < spans[k].end else None


def recognise(article: Article, ctx: object = None) -> None:
    """Fill `article.mentions` for the body (sentence index set) and the headline (sentence -1)."""
    base = kb()
    spans = article.sentences or []
    if not spans and article.body:
        spans = [type("S", (), {"start": s.start, "end": s.end})() for s in sentences(article.body)]
    mentions = find_mentions(article.body, base)
    starts = [s.start for s in spans]
    for m in mentions:
        m.sentence = _sentence_of(m.start, spans, starts)
        if article.sentences and m.sentence is not None:
            m.sentence = article.sentences[m.sentence].index
    if article.headline:
        for m in find_mentions(article.headline, base):
            m.sentence = -1
            mentions.append(m)
    article.mentions = mentions
