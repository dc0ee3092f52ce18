"""Rules and the CRF beyond the dictionary: names the base does not list.

Rules: after a PER title word (صدر, ترجمان, مسٹر …), up to three following words that are
neither stop words nor common words form a person's name; runs of words Apertium does not
know are a person's name, and so is one such word right before the ergative نے; runs of
words seen mostly inside person names (training data, the base's people). The combined system puts the CRF's spans first, then the
dictionary's, then the unknown-word runs; unlinked spans are linked by skeleton when the
base knows the name.
"""

from __future__ import annotations

from collections.abc import Callable

from akhbar.entities import crf, morph
from akhbar.entities.kb import KnowledgeBase, common_words, name_words, stop
from akhbar.entities.spans import Taken
from akhbar.entities.variants import exact_key
from akhbar.model import Mention
from akhbar.text.split import Span

_TYPE = {"PER": "PER", "ORG": "ORG", "LOC": "GPE"}


def rule_mentions(text: str, toks: list[Span]) -> list[Mention]:
    """Person names after title words (the rules layer)."""
    kinds = crf.titles()
    common = common_words()
    out = []
    for i, tok in enumerate(toks):
        if kinds.get(exact_key(tok.text)) != "PER":
            continue
        j = i + 1
        while j < len(toks) and j - i <= 3 and not stop(toks[j].text) \
                and exact_key(toks[j].text) not in common and exact_key(toks[j].text) not in kinds:
            j += 1
        if j > i + 1:
            out.append(Mention(toks[i + 1].start, toks[j - 1].end, text[toks[i + 1].start : toks[j - 1].end],
                               "PER", None, method="rule"))
    return out


_NAME_CLASSES = {"UNK", "NP.ant", "NP.cog"}


def unknown_name_mentions(text: str, toks: list[Span], classes: list[str] | None = None,
                          keys: list[str] | None = None) -> list[Mention]:
    """Runs of two or more words the Apertium analyser does not know or tags as person names
    (transliterated foreign names), none of them a stop or common word: a person.
    `classes`, `keys`: the analyser class and exact key per token when the caller has them already."""
    classes = classes or morph.classes([t.text for t in toks])
    keys = keys or list(map(exact_key, [t.text for t in toks]))
    common = common_words()
    if not len(toks) == len(classes) == len(keys):
        raise ValueError("one class and one key per token")
    ok = [False] * len(toks)
    for j in [j for j, c in enumerate(classes) if c in _NAME_CLASSES]:  # few words are
        word = toks[j].text
        ok[j] = keys[j] not in common and not stop(word) and not any(map(str.isdigit, word))
    return _person_runs(text, toks, ok, lambda j: toks[j - 1].end >= toks[j].start - 1)


AGENT_AFTER = frozenset({"نے"})  # measured on UNER dev lines; adding کو/کا/کی/کے cost precision


def agent_mentions(text: str, toks: list[Span], classes: list[str] | None = None) -> list[Mention]:
    """A single word Apertium does not know, right before the ergative نے (an agent): a person."""
    classes = classes or morph.classes([t.text for t in toks])
    common = common_words()
    out = []
    for k in [k for k in range(len(toks) - 1) if classes[k] in _NAME_CLASSES]:
        word = toks[k].text
        if exact_key(toks[k + 1].text) in AGENT_AFTER and len(word) > 2 \
                and not stop(word) and exact_key(word) not in common and not any(map(str.isdigit, word)) \
                and (k == 0 or _gap(text, toks[k - 1].end, toks[k].start) or classes[k - 1] not in _NAME_CLASSES):
            out.append(Mention(toks[k].start, toks[k].end, word, "PER", None, method="rule"))
    return out


_PERSON_WORDS: dict[int, tuple[KnowledgeBase, frozenset[str], frozenset[str], frozenset[str]]] = {}


def person_words(base: KnowledgeBase) -> frozenset[str]:
    """Folded words of the base's person spellings (given names, surnames); no stop, common or title words."""
    return _name_sets(base)[1]


def _name_sets(base: KnowledgeBase) -> tuple[KnowledgeBase, frozenset[str], frozenset[str], frozenset[str]]:
    """The base, its person words, the training data's name words and both together (built once)."""
    held = _PERSON_WORDS.get(id(base))
    if held is None or held[0] is not base or held[2] is not name_words():
        _PERSON_WORDS.clear()
        people, names = _person_words(base), name_words()
        held = _PERSON_WORDS[id(base)] = (base, people, names, names | people)
    return held


def _person_words(base: KnowledgeBase) -> frozenset[str]:
    common, kinds = common_words(), crf.titles()
    return frozenset(k for e in base.by_id.values() if e.type == "PER" for s in e.urdu for w in s.split()
                     if not stop(w) and (k := exact_key(w)) not in common and k not in kinds)


def name_word_mentions(text: str, toks: list[Span], base: KnowledgeBase,
                       keys: list[str] | None = None) -> list[Mention]:
    """Runs of two or more adjacent words each seen mostly in person names (training data's
    name_words.txt or the base's person spellings), none a common word: a person.
    `keys`: the exact key per token when the caller has them already."""
    names = _name_sets(base)[3]
    common = common_words()
    ok = [k in names and k not in common for k in keys or (exact_key(t.text) for t in toks)]
    return _person_runs(text, toks, ok, lambda j: not _gap(text, toks[j - 1].end, toks[j].start))


def _person_runs(text: str, toks: list[Span], ok: list[bool], joined: Callable[[int], bool]) -> list[Mention]:
    """PER mentions for every run of two or more adjacent tokens whose `ok` is true, where
    `joined(j)` says token j follows token j-1 closely enough to share a name."""
    out: list[Mention] = []
    i, n = 0, len(toks)
    while i < n:
        if not ok[i]:
            try:
                i = ok.index(True, i)  # skip the run of other words in C (`ok` holds bools)
            except ValueError:
                break
        j = i + 1
        while j < n and ok[j] and joined(j):
            j += 1
        if j - i >= 2:
            out.append(Mention(toks[i].start, toks[j - 1].end, text[toks[i].start : toks[j - 1].end], "PER",
                               None, method="rule"))
        i = j
    return out


def _gap(text: str, end: int, start: int) -> bool:
    """Whether the text between two tokens holds more than one plain space."""
    return text[end:start] not in ("", " ")


def crf_mentions(text: str, toks: list[Span], classes: list[str] | None = None) -> list[Mention]:
    """The CRF's spans as unlinked mentions (`classes`: the tokens' analyser classes, if known)."""
    tags = crf.tag([t.text for t in toks], classes=classes)
    kinds = crf.titles()
    out: list[Mention] = []
    for start, last in _tagged_spans(text, toks, tags):
        label = tags[start][2:]
        while label == "PER" and start < last and kinds.get(exact_key(toks[start].text)) == "PER":
            start += 1  # a title is not part of the name (صدر پوتن → پوتن)
        out.append(Mention(toks[start].start, toks[last].end, text[toks[start].start : toks[last].end],
                           _TYPE[label], None, method="crf"))
    return out


def _tagged_spans(text: str, toks: list[Span], tags: list[str]) -> list[tuple[int, int]]:
    """First and last token of each BIO span; a name never runs across punctuation or a line
    break (an I- tag after a gap starts a new span), and an I- tag after O starts one too."""
    out = []
    start, last = None, -2
    for k in [k for k, tag in enumerate(tags) if tag != "O"]:
        if start is not None and k != last + 1:  # an O closed the open span
            out.append((start, last))
            start = None
        inside = tags[k].startswith("I-")
        if start is not None and inside and _gap(text, toks[k - 1].end, toks[k].start):
            inside = False
        if start is not None and not inside:
            out.append((start, k - 1))
            start = None
        if start is None:
            start = k
        last = k
    if start is not None:
        out.append((start, last))
    return out


def merge(found: list[Mention], extra: list[Mention], base: KnowledgeBase) -> list[Mention]:
    """Add `extra` mentions that overlap none in `found`; link them when the base knows the name."""
    out = list(found)
    taken = Taken((f.start, f.end) for f in out)
    for m in extra:
        if taken.overlaps(m.start, m.end) or exact_key(m.surface) in base.ambiguous:
            continue  # ambiguous words were already judged by their context rule
        entity = base.lookup(m.surface)
        if entity is not None and entity.type == m.type:
            m.entity_id = entity.id
        out.append(m)
        taken.add(m.start, m.end)
    return out


def add_model_mentions(text: str, toks: list[Span], found: list[Mention], base: KnowledgeBase,
                       keys: list[str] | None = None) -> list[Mention]:
    """The combined system: CRF spans first (their boundaries follow UNER's), then the dictionary's
    mentions, unknown-word runs, name-word runs and agents before نے. The title rule is left out:
    on UNER's dev lines it cost F1. `keys`: the exact key per token when the caller has them."""
    classes = morph.classes([t.text for t in toks])
    keys = keys or list(map(exact_key, [t.text for t in toks]))
    model = [m for m in (_link_model(m, found, base) for m in crf_mentions(text, toks, classes)) if m is not None]
    found = merge(merge(model, found, base), unknown_name_mentions(text, toks, classes, keys), base)
    found = merge(found, name_word_mentions(text, toks, base, keys), base)
    return merge(found, agent_mentions(text, toks, classes), base)


def _link_model(m: Mention, found: list[Mention], base: KnowledgeBase) -> Mention | None:
    """Link a CRF span: the dictionary's link for the same or an overlapping span, else by lookup."""
    overlapping = [d for d in found if d.start < m.end and m.start < d.end]
    same = next((d for d in overlapping if (d.start, d.end) == (m.start, m.end)), None)
    if same is not None:
        return same
    if sum(d.method != "demonym" for d in overlapping) > 1:
        return None  # the CRF ran two listed names together (امریکا روس): keep the dictionary's
    if exact_key(m.surface) in base.ambiguous:
        return None  # an ambiguous word the dictionary's context rule rejected
    entity = base.lookup(m.surface)
    if entity is not None and entity.type == m.type:
        m.entity_id = entity.id
        m.method = "crf" if exact_key(m.surface) in base.exact else "variant"
    else:
        linked = [d for d in overlapping if d.type == m.type and d.entity_id and d.method != "demonym"]
        if len({d.entity_id for d in linked}) == 1:
            m.entity_id, m.method = linked[0].entity_id, linked[0].method
    return m
