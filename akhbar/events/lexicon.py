"""Loads the coder's language data: the verb-phrase dictionary and the actor word list.

Both are reviewable files under akhbar/events/data/; this module only parses and indexes
them (folded token tuples), so the coder never holds Urdu literals of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from akhbar.errors import InputError
from akhbar.text.normalize import fold
from akhbar.text.split import tokens

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def key(text: str) -> tuple[str, ...]:
    """A phrase as a tuple of folded tokens, the unit every match is made on."""
    return tuple(tokens(fold(text)))


class Phrases:
    """Folded phrases indexed by their first token (list order kept), for matching token runs."""

    __slots__ = ("phrases", "first")

    def __init__(self, phrases: list[tuple[str, ...]]):
        self.phrases = list(phrases)
        self.first: dict[str, list[tuple[str, ...]]] = {}
        for w in self.phrases:
            self.first.setdefault(w[0], []).append(w)

    def __iter__(self):
        return iter(self.phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def at(self, texts: tuple[str, ...], k: int) -> tuple[str, ...] | None:
        """The first phrase (in list order) that starts at token k, or None."""
        if k >= len(texts):
            return None
        for w in self.first.get(texts[k], ()):
            if texts[k : k + len(w)] == w:
                return w
        return None

    def within(self, texts: tuple[str, ...], lo: int, hi: int) -> bool:
        """True when some phrase starts at a token in [lo, hi)."""
        first = self.first
        if first.keys().isdisjoint(texts[lo:hi]):
            return False  # no phrase's first word in the window (checked in C)
        for k in range(lo, min(hi, len(texts))):
            for w in first.get(texts[k], ()):
                if texts[k : k + len(w)] == w:
                    return True
        return False


@dataclass(slots=True)
class Pattern:
    """One entry of the verb-phrase dictionary (see data/verbs.yaml for the fields)."""

    id: str
    type: str
    triggers: list[tuple[str, ...]]
    target: list[str]
    pair: bool = False
    if_negated: str | None = None
    absorbs: int = 0
    with_: Phrases = field(default_factory=lambda: Phrases([]))
    window: int = 6
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Lexicon:
    """The parsed dictionary: patterns indexed by first trigger token, cues and scores."""

    patterns: list[Pattern]
    scores: dict[str, float]
    mode_weights: dict[str, float]
    mode_cues: list[tuple[str, tuple[str, ...]]]
    negation: Phrases
    frames: Phrases
    clause_breaks: Phrases
    speech: Phrases
    dyad_types: frozenset[str]
    index: dict[str, list[tuple[tuple[str, ...], Pattern]]]
    # mode cues by first token: (position in mode_cues, phrase); the earliest listed cue wins
    cue_index: dict[str, list[tuple[int, tuple[str, ...]]]] = field(default_factory=dict)


def _read(name: str) -> str:
    return resources.files("akhbar.events").joinpath(f"data/{name}").read_text("utf-8")


def _pattern(raw: dict, where: str) -> Pattern:
    for need in ("id", "type", "triggers", "target"):
        if need not in raw:
            raise InputError("akhbar/events/data/verbs.yaml", f"pattern without `{need}`", where)
    if raw["type"] not in PLOVER_TYPES:
        raise InputError("akhbar/events/data/verbs.yaml", f"unknown PLOVER type {raw['type']!r}", where)
    return Pattern(
        id=raw["id"], type=raw["type"], triggers=[key(t) for t in raw["triggers"]],
        target=[t if t == "gen" else " ".join(key(t)) for t in raw["target"]],
        pair=bool(raw.get("pair", False)), if_negated=raw.get("if_negated"),
        absorbs=int(raw.get("absorbs", 0)), with_=Phrases([key(w) for w in raw.get("with", [])]),
        window=int(raw.get("window", 6)), examples=list(raw.get("examples", [])),
    )


@cache
def lexicon() -> Lexicon:
    """The verb-phrase dictionary, parsed once per process."""
    data = yaml.safe_load(_read("verbs.yaml"))
    patterns = [_pattern(p, f"pattern {i}") for i, p in enumerate(data["patterns"])]
    index: dict[str, list[tuple[tuple[str, ...], Pattern]]] = {}
    for p in patterns:
        for trig in p.triggers:
            index.setdefault(trig[0], []).append((trig, p))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))  # longest phrase first
    cues = [(mode, key(w)) for mode, words in data["mode_cues"].items() for w in words]
    cue_index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for n, (_, words) in enumerate(cues):
        cue_index.setdefault(words[0], []).append((n, words))
    return Lexicon(
        patterns=patterns, scores={k: float(v) for k, v in data["scores"].items()},
        mode_weights={k: float(v) for k, v in data["mode_weights"].items()}, mode_cues=cues,
        negation=_phrases(data["negation"]), frames=_phrases(data["frames"]),
        clause_breaks=_phrases(data["clause_breaks"]), speech=_phrases(data["speech"]),
        dyad_types=frozenset(data["dyad_types"]), index=index, cue_index=cue_index,
    )


def _phrases(words: list[str]) -> Phrases:
    return Phrases([key(w) for w in words])


@dataclass(frozen=True, slots=True)
class ActorWord:
    """A row of data/actors.tsv: a word, its code and its kind."""

    words: tuple[str, ...]
    code: str
    kind: str


@cache
def actor_words() -> dict[str, list[ActorWord]]:
    """data/actors.tsv indexed by first folded token, longest phrase first."""
    index: dict[str, list[ActorWord]] = {}
    for n, line in enumerate(_read("actors.tsv").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise InputError("akhbar/events/data/actors.tsv", "expected word<TAB>code<TAB>kind", f"line {n}")
        w = ActorWord(key(parts[0]), parts[1].strip(), parts[2].strip())
        index.setdefault(w.words[0], []).append(w)
    for entries in index.values():
        entries.sort(key=lambda e: -len(e.words))
    return index
