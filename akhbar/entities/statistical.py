"""Rules and the CRF beyond the dictionary: names the base does not list.

Rule: after a PER title word (صدر, ترجمان, مسٹر …), up to three following words that are
neither stop words nor common words form a person's name. The CRF's spans are added
where they do not overlap a dictionary match, and linked by skeleton when the base knows them.
"""

from __future__ import annotations

from akhbar.entities import crf, morph
from akhbar.entities.kb import KnowledgeBase, common_words, stop
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


def unknown_name_mentions(text: str, toks: list[Span]) -> list[Mention]:
    """Runs of two or more words the Apertium analyser does not know or tags as person names
    (transliterated foreign names), none of them a stop or common word: a person."""
    classes = morph.classes([t.text for t in toks])
    common = common_words()
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and classes[j] in _NAME_CLASSES and not stop(toks[j].text) \
                and exact_key(toks[j].text) not in common and (j == i or toks[j - 1].end >= toks[j].start - 1):
            j += 1
        if j - i >= 2:
            out.append(Mention(toks[i].start, toks[j - 1].end, text[toks[i].start : toks[j - 1].end], "PER",
                               None, method="rule"))
        i = max(j, i + 1)
    return out


def crf_mentions(text: str, toks: list[Span]) -> list[Mention]:
    """The CRF's spans as unlinked mentions."""
    tags = crf.tag([t.text for t in toks])
    out: list[Mention] = []
    start = None
    for k, tag in enumerate(tags + ["O"]):
        if start is not None and not tag.startswith("I-"):
            label = tags[start][2:]
            out.append(Mention(toks[start].start, toks[k - 1].end, text[toks[start].start : toks[k - 1].end],
                               _TYPE[label], None, method="crf"))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start = k
    return out


def merge(found: list[Mention], extra: list[Mention], base: KnowledgeBase) -> list[Mention]:
    """Add `extra` mentions that overlap none in `found`; link them when the base knows the name."""
    out = list(found)
    for m in extra:
        if any(m.start < f.end and f.start < m.end for f in out) or exact_key(m.surface) in base.ambiguous:
            continue  # ambiguous words were already judged by their context rule
        entity = base.lookup(m.surface)
        if entity is not None and entity.type == m.type:
            m.entity_id = entity.id
        out.append(m)
    return out


def add_model_mentions(text: str, toks: list[Span], found: list[Mention], base: KnowledgeBase) -> list[Mention]:
    """Merge rule and CRF mentions into the dictionary's."""
    found = merge(found, rule_mentions(text, toks) + unknown_name_mentions(text, toks), base)
    return merge(found, crf_mentions(text, toks), base)
