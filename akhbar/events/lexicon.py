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
    with_: list[tuple[str, ...]] = field(default_factory=list)
    window: int = 6
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Lexicon:
    """The parsed dictionary: patterns indexed by first trigger token, cues and scores."""

    patterns: list[Pattern]
    scores: dict[str, float]
    mode_weights: dict[str, float]
    mode_cues: list[tuple[str, tuple[str, ...]]]
    negation: list[tuple[str, ...]]
    frames: list[tuple[str, ...]]
    clause_breaks: list[tuple[str, ...]]
    speech: list[tuple[str, ...]]
    dyad_types: frozenset[str]
    index: dict[str, list[tuple[tuple[str, ...], Pattern]]]


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
        absorbs=int(raw.get("absorbs", 0)), with_=[key(w) for w in raw.get("with", [])],
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
    return Lexicon(
        patterns=patterns, scores={k: float(v) for k, v in data["scores"].items()},
        mode_weights={k: float(v) for k, v in data["mode_weights"].items()}, mode_cues=cues,
        negation=[key(w) for w in data["negation"]], frames=[key(w) for w in data["frames"]],
        clause_breaks=[key(w) for w in data["clause_breaks"]], speech=[key(w) for w in data["speech"]],
        dyad_types=frozenset(data["dyad_types"]), index=index,
    )


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
