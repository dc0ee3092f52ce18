"""From mentions to actor codes and their case roles in an Urdu (SOV) clause.

Urdu marks roles with postpositions after the noun phrase: نے (agent), کو (target),
سے (from/with), کے ساتھ (comitative), پر (on/against), کی جانب سے (by). A genitive
(روس کی وزارت خارجہ نے, شام کی امداد) passes its owner the role of its head noun: an
"organ" head acting for it, or the trigger noun itself (`gen`: the trigger's object).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from akhbar.events.lexicon import ActorWord, actor_words, key
from akhbar.model import Mention
from akhbar.text.normalize import fold, fold_with_map
from akhbar.text.split import WORD_RE

TOKEN_RE = re.compile(rf"{WORD_RE.pattern}|[،,:؛\"'’‘“”]")

# Postpositions, longest first, with the role they give (folded token tuples).
_MARKERS: list[tuple[tuple[str, ...], str]] = sorted(
    [(key(w), role) for w, role in [
        ("کی جانب سے", "by"), ("کی طرف سے", "by"), ("کا کہنا", "speech"),
        ("کے بقول", "according"), ("کے مطابق", "according"), ("کے ساتھ", "کے ساتھ"),
        ("کے خلاف", "کے خلاف"), ("کے درمیان", "کے درمیان"), ("میں", "میں"),
        ("نے", "agent"), ("کو", "کو"), ("سے", "سے"), ("پر", "پر"), ("اور", "and"),
        ("سمیت", "with"), ("کا", "gen"), ("کی", "gen"), ("کے", "gen"),
    ]] + [((",",), "nom"), (("،",), "nom")],
    key=lambda m: -len(m[0]),
)
_MARKER_INDEX: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _role in _MARKERS:
    _MARKER_INDEX.setdefault(_words[0], []).append((_words, _role))
CASE_ROLES = {"agent", "by", "کو", "سے", "پر", "کے ساتھ", "کے خلاف", "کے درمیان", "speech"}


@dataclass(slots=True)
class Tok:
    """A token of a sentence: folded text and its offsets in the sentence."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Actor:
    """An actor phrase in a sentence: token span, codes, kind and case role."""

    i: int
    j: int  # exclusive
    codes: list[str]
    kind: str  # entity, name, metonym, demonym, group, pronoun1, pronoun3, both
    entity_id: str | None = None
    role: str = "other"
    head: int | None = None  # trigger token a genitive attaches to
    direct: bool = True
    person: bool = False
    extra: dict = field(default_factory=dict)


@dataclass(slots=True)
class Tokens:
    """A tokenised sentence as parallel arrays, with what starts at each token looked up once."""

    texts: tuple[str, ...]  # folded token texts, for phrase matching by slice
    starts: list[int]  # offsets in the sentence
    ends: list[int]
    lex: list[ActorWord | None]  # longest data/actors.tsv phrase starting at each token
    markers: list[tuple[str, int] | None]  # postposition (role, length) starting at each token

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, k: int) -> Tok:
        return Tok(self.texts[k], self.starts[k], self.ends[k])

    def __iter__(self) -> Iterator[Tok]:
        return map(Tok, self.texts, self.starts, self.ends)


def tokenize(text: str) -> Tokens:
    """Words and the punctuation that marks clauses and coordination, folded (offsets in `text`)."""
    folded, index = fold_with_map(text)
    found = list(TOKEN_RE.finditer(folded))
    texts = tuple(map(re.Match.group, found))
    starts, ends = list(map(re.Match.start, found)), list(map(re.Match.end, found))
    if len(folded) != len(text) or index != list(range(len(text))):  # else folding kept every offset
        starts, ends = _offsets(text, index, starts, ends)
    lex: list[ActorWord | None] = [None] * len(texts)
    markers: list[tuple[str, int] | None] = [None] * len(texts)
    index_of = _first_index()
    for k in [k for k, t in enumerate(texts) if t in index_of]:
        words_at, markers_at = index_of[texts[k]]
        if words_at:
            lex[k] = _first_match(texts, k, words_at)
        if markers_at:
            markers[k] = _first_match(texts, k, markers_at)
    return Tokens(texts, starts, ends, lex, markers)


def _offsets(text: str, index: list[int], starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Token offsets in the folded text mapped back to `text` (`index`: fold_with_map's)."""
    n_folded = len(index)
    index = [*index, len(text)]
    out_starts = [index[s] for s in starts]
    out_ends = [index[e - 1] + 1 for e in ends]
    for k, e in enumerate(ends):
        if e < n_folded and index[e] > out_ends[k]:
            end, limit = out_ends[k], index[e]
            while end < limit and not text[end].isspace():
                end += 1  # marks folded away after the token's last letter stay with it
            out_ends[k] = end
    return out_starts, out_ends


@cache
def _first_index() -> dict[str, tuple[list[tuple[tuple[str, ...], Any]], list[tuple[tuple[str, ...], Any]]]]:
    """First token -> (actor words, postpositions) that start with it, longest first, as (phrase, value)."""
    out: dict[str, tuple[list, list]] = {}
    for first, ws in actor_words().items():
        out.setdefault(first, ([], []))[0].extend((w.words, w) for w in ws)
    for first, entries in _MARKER_INDEX.items():
        out.setdefault(first, ([], []))[1].extend((words, (role, len(words))) for words, role in entries)
    return out


def _first_match(texts: tuple[str, ...], k: int, entries: list[tuple[tuple[str, ...], Any]]) -> Any:
    for words, value in entries:
        if texts[k : k + len(words)] == words:
            return value
    return None


def match_marker(toks: Tokens, k: int) -> tuple[str, int] | None:
    """The postposition starting at token k: (role, length), or None."""
    return toks.markers[k]


def _lex_at(toks: Tokens, k: int) -> ActorWord | None:
    return toks.lex[k]


def is_organ(toks: Tokens, k: int) -> bool:
    """True when token k starts a noun that acts for its owner (وزارت, ترجمان, حکام …)."""
    w = toks.lex[k]
    return w is not None and w.kind == "organ"


def mention_actors(toks: Tokens, mentions: list[Mention], offset: int,
                   actor_of: Callable[[str], str | None]) -> list[Actor]:
    """Actor spans from the entities stage's mentions in this sentence (offset = sentence start)."""
    out: list[Actor] = []
    if not mentions:
        return out
    starts, ends = toks.starts, toks.ends
    for m in mentions:
        # tokens are in order and never overlap, so those inside the mention are one run
        lo, hi = bisect_left(starts, m.start - offset), bisect_right(ends, m.end - offset)
        if lo >= hi:
            continue
        span = range(lo, hi)
        code = actor_of(m.entity_id) if m.entity_id else None
        lex = _lex_at(toks, span[0])
        if code is None and m.type != "PER":
            code = lex.code if lex and lex.kind in ("name", "metonym") else None
        kind = "demonym" if lex and lex.kind == "demonym" and len(lex.words) == len(span) else "entity"
        if kind == "demonym" and code is None:
            code = lex.code  # a demonym the tagger found without a KB link (ترک) still names its state
        a = Actor(span[0], span[-1] + 1, [code] if code else [], kind, m.entity_id, person=m.type == "PER")
        out.append(a)
    return out


def lexicon_actors(toks: Tokens, taken: set[int]) -> list[Actor]:
    """Actor spans from data/actors.tsv on the tokens no mention covers."""
    out, k = [], 0
    for at in [n for n, w in enumerate(toks.lex) if w is not None and w.kind != "organ" and n not in taken]:
        if at < k:
            continue  # inside the previous phrase
        k, w = at, toks.lex[at]
        kind = {"1": "pronoun1", "3": "pronoun3"}.get(w.code, w.kind) if w.kind == "pronoun" else w.kind
        out.append(Actor(k, k + len(w.words), [w.code] if w.kind in ("name", "metonym", "demonym") else [],
                         kind, extra={"code": w.code}))
        k += len(w.words)
    return out


def find_actors(toks: Tokens, mentions: list[Mention], offset: int,
                actor_of: Callable[[str], str | None], theatre: str | None) -> list[Actor]:
    """All actor phrases of a sentence, demonyms and groups attached, sorted by position."""
    actors = mention_actors(toks, mentions, offset, actor_of)
    taken = {k for a in actors for k in range(a.i, a.j)}
    actors = sorted(actors + lexicon_actors(toks, taken), key=lambda a: a.i)
    return _attach(toks, actors, theatre)


def _attach(toks: Tokens, actors: list[Actor], theatre: str | None) -> list[Actor]:
    """Demonyms head organs/groups/persons; groups get their state; bare demonyms drop out."""
    out: list[Actor] = []
    for n, a in enumerate(actors):
        nxt = actors[n + 1] if n + 1 < len(actors) else None
        if a.kind == "demonym":
            gap = nxt.i - a.j if nxt else 99
            if nxt and gap <= 3 and (nxt.person or nxt.kind == "group"):
                nxt.extra["state"] = a.codes[0]
                if nxt.person and not nxt.codes:
                    nxt.codes = [a.codes[0]]
                nxt.i = a.i
                continue
            if any(is_organ(toks, k) for k in range(a.j, min(a.j + 3, len(toks)))) or (
                nxt and nxt.kind == "demonym" and gap == 1 and toks.texts[a.j] == fold("اور")
            ):
                out.append(a)
            continue
        if a.kind == "group":
            state = a.extra.get("state") or _state_before(out, a) or theatre
            if not state:
                continue
            a.codes = [f"{state}.{a.extra['code']}"]
        out.append(a)
    return out


def _state_before(done: list[Actor], a: Actor) -> str | None:
    prev = done[-1] if done else None
    if prev and prev.kind in ("demonym", "group") and a.i - prev.j <= 3 and prev.codes:
        return prev.codes[0].split(".")[0]
    return None


def assign_roles(toks: Tokens, actors: list[Actor], trigger_at: set[int]) -> None:
    """Set each actor's case role from the postposition after it (genitives walk to their head)."""
    starts = {a.i for a in actors}  # where each actor begins: a walk stops at the next one
    for a in reversed(actors):
        k = a.j
        found = toks.markers[k] if k < len(toks.texts) else None
        if found is None:  # unmarked: an adjective/title run up to the phrase's own marker
            organ = a.kind in ("demonym", "both") or a.person
            a.role, a.head = _walk(toks, k, trigger_at, starts, organ=organ, unmarked=True)
            continue
        role, n = found
        if role == "nom" and _list_item_follows(toks, actors, k + n):
            role = "and"  # A، B اور C: a comma inside a list of actors coordinates
        if role == "and":
            follow = next((b for b in actors if k + n <= b.i <= k + n + 1), None)
            a.role, a.head, a.direct = (follow.role, follow.head, follow.direct) if follow else ("nom", None, True)
        elif role in ("gen", "with"):
            a.role, a.head = _walk(toks, k + n, trigger_at, starts, organ=role == "with", genitive=True)
            a.direct = a.role == "gen"
        else:
            a.role = role


# Roles an unmarked name can take from a marker a few words on (دولت اسلامیہ کہلانے والی تنظیم
# کے خلاف): the compound postpositions. A plain کو/پر/سے there marks another noun phrase.
_PHRASE_ROLES = {"کے خلاف", "کے ساتھ", "کے درمیان"}


def _list_item_follows(toks: Tokens, actors: list[Actor], k: int) -> bool:
    """True when an actor starts at k and is itself followed by اور or a comma (a list)."""
    nxt = next((b for b in actors if b.i == k), None)
    if nxt is None or nxt.j >= len(toks):
        return False
    found = match_marker(toks, nxt.j)
    return found is not None and found[0] in ("and", "nom")


def _walk(toks: Tokens, k: int, trigger_at: set[int], starts: set[int], organ: bool = False,
          genitive: bool = False, unmarked: bool = False) -> tuple[str, int | None]:
    """Follow a phrase (`X کی … head`, `X صدر …`) to its head's marker; organs let X act as agent.

    `starts` holds the token where each actor of the sentence begins (built once per sentence)."""
    local = False
    limit = k + (4 if unmarked else 8)
    for step in range(k, len(toks)):
        if step >= limit:
            break
        if step in trigger_at:
            return ("میں" if local else "gen" if genitive else "nom"), step
        if step in starts:
            return ("nom" if organ or unmarked else "other"), None
        organ = organ or is_organ(toks, step)
        found = match_marker(toks, step)
        if found is None:
            continue
        role = found[0]
        if role == "gen":
            genitive, limit = True, max(limit, step + 5)
            continue
        if role == "میں":
            local = True
            continue
        if role in ("agent", "speech") and not organ:
            return ("nom" if unmarked else "other"), None
        if role in ("and", "nom") or (unmarked and not genitive and role not in _PHRASE_ROLES):
            return ("nom" if organ or unmarked else "other"), None
        return role, None
    return ("nom" if organ or unmarked else "other"), None
