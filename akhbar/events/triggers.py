"""Finds dictionary triggers in a tokenised sentence and reads their mode and negation."""

from __future__ import annotations

from dataclasses import dataclass

from akhbar.events.actors import Tok
from akhbar.events.lexicon import Lexicon, Pattern


@dataclass(slots=True)
class Trigger:
    """A matched trigger phrase: token span [i, j) and the pattern it belongs to."""

    i: int
    j: int
    pattern: Pattern


def _at(toks: list[Tok], k: int, words: tuple[str, ...]) -> bool:
    return tuple(t.text for t in toks[k : k + len(words)]) == words


def _by_first(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    key = id(phrases)
    if key not in _FIRSTS:
        index: dict[str, list[tuple[str, ...]]] = {}
        for w in phrases:
            index.setdefault(w[0], []).append(w)
        _FIRSTS[key] = (phrases, index)  # keep `phrases` alive so its id stays unique
    return _FIRSTS[key][1]


_FIRSTS: dict[int, tuple[list, dict]] = {}


def _any_within(toks: list[Tok], lo: int, hi: int, phrases: list[tuple[str, ...]]) -> bool:
    index = _by_first(phrases)
    return any(_at(toks, k, w) for k in range(lo, min(hi, len(toks))) for w in index.get(toks[k].text, ()))


def _names_something(text: str, toks: list[Tok], trig: Trigger) -> bool:
    """A trigger word followed by a bracketed acronym is part of a name: اقتصادی تعاون (ایپک)."""
    return text[toks[trig.j - 1].end :].lstrip().startswith("(")


def find_triggers(toks: list[Tok], lex: Lexicon, text: str = "") -> list[Trigger]:
    """Longest dictionary match at each token; light-verb, frame and absorption rules applied."""
    found: list[Trigger] = []
    k = 0
    while k < len(toks):
        hit = next(((w, p) for w, p in lex.index.get(toks[k].text, ()) if _at(toks, k, w)), None)
        if hit is None:
            k += 1
            continue
        words, pattern = hit
        trig = Trigger(k, k + len(words), pattern)
        if _keeps(toks, trig, lex) and not _names_something(text, toks, trig):
            found.append(trig)
        k = trig.j
    return _absorb(found)


def _keeps(toks: list[Tok], trig: Trigger, lex: Lexicon) -> bool:
    p = trig.pattern
    if p.with_ and not _any_within(toks, trig.j, trig.j + p.window, p.with_):
        return False
    return not any(_at(toks, trig.j, f) for f in lex.frames)


def _absorb(found: list[Trigger]) -> list[Trigger]:
    """Drop a trigger that a later absorbing one (انکار, اتفاق) takes as its complement."""
    drop = set()
    for n, later in enumerate(found):
        for m in range(n):
            if later.pattern.absorbs and 0 <= later.i - found[m].j <= later.pattern.absorbs:
                drop.add(m)
    return [t for n, t in enumerate(found) if n not in drop]


def negated(toks: list[Tok], trig: Trigger, end: int, lex: Lexicon) -> bool:
    """True when a negation follows the trigger in its clause (or کوئی/کسی precedes it)."""
    if _any_within(toks, trig.j, min(end, trig.j + 7), lex.negation):
        return True
    quantifier = any(toks[k].text in ("کوئی", "کسی") for k in range(max(0, trig.i - 2), trig.i))
    return quantifier and _any_within(toks, trig.j, end, lex.negation)


def mode_of(toks: list[Tok], trig: Trigger, end: int, lex: Lexicon) -> str:
    """done, intended, offered or requested, from cue words after the trigger."""
    for mode, words in lex.mode_cues:
        if _any_within(toks, trig.j, min(end, trig.j + 8), [words]):
            return mode
    return "done"


def is_break(toks: list[Tok], k: int, lex: Lexicon) -> int:
    """Length of the clause-opening word at token k (کہ, جبکہ …), or 0."""
    return next((len(w) for w in _by_first(lex.clause_breaks).get(toks[k].text, ()) if _at(toks, k, w)), 0)


def has_speech(toks: list[Tok], lo: int, hi: int, lex: Lexicon) -> bool:
    """True when tokens [lo, hi) hold a speech verb (کہا, کا کہنا, بتایا …)."""
    return _any_within(toks, lo, hi, lex.speech)
