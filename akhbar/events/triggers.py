"""Finds dictionary triggers in a tokenised sentence and reads their mode and negation."""

from __future__ import annotations

from dataclasses import dataclass

from akhbar.events.actors import Tokens
from akhbar.events.lexicon import Lexicon, Pattern


@dataclass(slots=True)
class Trigger:
    """A matched trigger phrase: token span [i, j) and the pattern it belongs to."""

    i: int
    j: int
    pattern: Pattern


def _at(toks: Tokens, k: int, words: tuple[str, ...]) -> bool:
    return toks.texts[k : k + len(words)] == words


def _names_something(text: str, toks: Tokens, trig: Trigger) -> bool:
    """A trigger word followed by a bracketed acronym is part of a name: اقتصادی تعاون (ایپک)."""
    return text[toks.ends[trig.j - 1] :].lstrip().startswith("(")


def find_triggers(toks: Tokens, lex: Lexicon, text: str = "") -> list[Trigger]:
    """Longest dictionary match at each token; light-verb, frame and absorption rules applied."""
    found: list[Trigger] = []
    texts, index = toks.texts, lex.index
    k = 0
    for at in [n for n, t in enumerate(texts) if t in index]:
        if at < k:
            continue  # inside the previous match
        k = at
        hit = next(((w, p) for w, p in index[texts[k]] if texts[k : k + len(w)] == w), None)
        if hit is None:
            continue
        words, pattern = hit
        trig = Trigger(k, k + len(words), pattern)
        if _keeps(toks, trig, lex) and not _names_something(text, toks, trig):
            found.append(trig)
        k = trig.j
    return _absorb(found)


def _keeps(toks: Tokens, trig: Trigger, lex: Lexicon) -> bool:
    p = trig.pattern
    if p.with_ and not p.with_.within(toks.texts, trig.j, trig.j + p.window):
        return False
    return lex.frames.at(toks.texts, trig.j) is None


def _absorb(found: list[Trigger]) -> list[Trigger]:
    """Drop a trigger that a later absorbing one (انکار, اتفاق) takes as its complement."""
    drop = set()
    for n, later in enumerate(found):
        for m in range(n):
            if later.pattern.absorbs and 0 <= later.i - found[m].j <= later.pattern.absorbs:
                drop.add(m)
    return [t for n, t in enumerate(found) if n not in drop]


def negated(toks: Tokens, trig: Trigger, end: int, lex: Lexicon) -> bool:
    """True when a negation follows the trigger in its clause (or کوئی/کسی precedes it)."""
    if lex.negation.within(toks.texts, trig.j, min(end, trig.j + 7)):
        return True
    quantifier = any(t in ("کوئی", "کسی") for t in toks.texts[max(0, trig.i - 2) : trig.i])
    return quantifier and lex.negation.within(toks.texts, trig.j, end)


def mode_of(toks: Tokens, trig: Trigger, end: int, lex: Lexicon) -> str:
    """done, intended, offered or requested, from cue words after the trigger."""
    texts, best = toks.texts, len(lex.mode_cues)
    for k in range(trig.j, min(end, trig.j + 8, len(texts))):
        for n, words in lex.cue_index.get(texts[k], ()):
            if n < best and texts[k : k + len(words)] == words:
                best = n  # the cue listed first in verbs.yaml decides, wherever it stands
    return lex.mode_cues[best][0] if best < len(lex.mode_cues) else "done"


def is_break(toks: Tokens, k: int, lex: Lexicon) -> int:
    """Length of the clause-opening word at token k (کہ, جبکہ …), or 0."""
    found = lex.clause_breaks.at(toks.texts, k)
    return len(found) if found else 0


def has_speech(toks: Tokens, lo: int, hi: int, lex: Lexicon) -> bool:
    """True when tokens [lo, hi) hold a speech verb (کہا, کا کہنا, بتایا …)."""
    return lex.speech.within(toks.texts, lo, hi)
