"""The Urdu PLOVER event coder: dictionary triggers + case-marked actors, clause by clause.

For each clause: triggers from data/verbs.yaml, actors from the entities stage's mentions
and data/actors.tsv, roles from their postpositions (actors.assign_roles). The agent is the
نے / کی جانب سے phrase, else the unmarked subject, else the previous clause's agent
(pronoun carry-over); the target is an actor with a marker the pattern lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from akhbar.events import dates
from akhbar.events.actors import Actor, Tokens, assign_roles, find_actors, match_marker, tokenize
from akhbar.events.lexicon import Lexicon, lexicon
from akhbar.events.triggers import Trigger, find_triggers, has_speech, is_break, mode_of, negated
from akhbar.model import Article, Event, Sentence
from akhbar.text.split import sentences as split_sentences


@dataclass(slots=True)
class State:
    """What carries across clauses and sentences: the last agents and the current speaker."""

    topic: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    dyad: list[str] = field(default_factory=list)
    recent: list[set[str]] = field(default_factory=list)  # codes named in the last sentences
    topic_at: int = -99  # sentence where the topic was last set

    def fresh_topic(self, sentence: int) -> list[str]:
        """The carried agent, if set in this or the previous sentence (older subjects go stale)."""
        return list(self.topic) if sentence - self.topic_at <= 1 else []


@dataclass(slots=True)
class Parsed:
    """A sentence tokenised, with its triggers and role-marked actors."""

    sentence: Sentence
    toks: Tokens
    triggers: list[Trigger]
    actors: list[Actor]


def actor_lookup(ctx: Any = None) -> Callable[[str], str | None]:
    """entity id -> actor code, from the entities stage's KB (ctx.kb or akhbar.entities.kb())."""
    kb = getattr(ctx, "kb", None)
    if kb is None:
        try:
            from akhbar.entities import kb as load_kb

            kb = load_kb()
        except ImportError:
            kb = None

    def actor_of(entity_id: str) -> str | None:
        """The entity's actor code, or None when unknown."""
        try:
            ent = kb.get(entity_id) if kb is not None else None
        except (KeyError, LookupError):
            return None
        return getattr(ent, "actor", None)

    return actor_of


def article_sentences(article: Article) -> list[Sentence]:
    """The article's sentences, split from the body when the pipeline has not done it."""
    if article.sentences:
        return article.sentences
    return [Sentence(n, s.start, s.end, s.text) for n, s in enumerate(split_sentences(article.body))]


def parse(article: Article, ctx: Any = None) -> list[Parsed]:
    """Tokenise every sentence and mark triggers, actors and roles (two passes: theatre first)."""
    lex, actor_of = lexicon(), actor_lookup(ctx)
    sents = article_sentences(article)
    by_sent: dict[int, list] = {}
    for m in article.mentions:
        idx = m.sentence if m.sentence is not None else _sentence_of(sents, m.start)
        by_sent.setdefault(idx, []).append(m)
    parsed, places = [], Counter()
    for s in sents:
        toks = tokenize(s.text)
        trigs = find_triggers(toks, lex, s.text)
        parsed.append(Parsed(s, toks, trigs, []))
    for p in parsed:
        _find_roles(p, by_sent, actor_of, None)
        places.update(a.codes[0] for a in p.actors if a.role == "میں" and a.codes and a.kind != "demonym")
    theatre = places.most_common(1)[0][0] if places else None
    if theatre:  # only a group word (فوج, حکام …) can take the theatre as its state
        for p in parsed:
            if any(w.kind == "group" for w in filter(None, p.toks.lex)):
                _find_roles(p, by_sent, actor_of, theatre)
    return parsed


def _find_roles(p: Parsed, by_sent: dict[int, list], actor_of: Callable[[str], str | None],
                theatre: str | None) -> None:
    p.actors = find_actors(p.toks, by_sent.get(p.sentence.index, []), p.sentence.start, actor_of, theatre)
    assign_roles(p.toks, p.actors, {t.i for t in p.triggers})


def _sentence_of(sents: list[Sentence], offset: int) -> int:
    return next((s.index for s in sents if s.start <= offset < s.end), -1)


def dyad_of(parsed: list[Parsed]) -> list[str]:
    """The two actors the article is about: most often agents (نے, subjects) in it."""
    counts = Counter(
        a.codes[0] for p in parsed for a in p.actors
        if a.codes and a.role in ("agent", "nom", "speech") and a.kind in ("entity", "name", "metonym")
    )
    return [c for c, n in counts.most_common(2) if n >= 2]


def code_events(article: Article, ctx: Any = None) -> None:
    """Fill `article.events` with PLOVER events coded from the article's sentences."""
    lex = lexicon()
    parsed = parse(article, ctx)
    state = State(dyad=dyad_of(parsed))
    events: list[Event] = []
    for p in parsed:
        for ev in code_sentence(p, state, lex):
            ev.date = dates.event_date(p.sentence.text, article.published, ev.mode)
            events.append(ev)
    article.events = _dedupe(events)


def _dedupe(events: list[Event]) -> list[Event]:
    seen, out = set(), []
    for e in events:
        k = (e.sentence, e.type, e.source, e.target, e.negated)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def clauses(toks: Tokens, lex: Lexicon) -> list[tuple[int, int]]:
    """Clause spans [start, end) split at the clause-opening words."""
    spans, start = [], 0
    opening = lex.clause_breaks.first
    for k in [k for k, t in enumerate(toks.texts) if t in opening]:
        if k < start:
            continue  # inside the previous clause opener (جب کہ)
        n = is_break(toks, k, lex)
        if n:
            spans.append((start, k))
            start = k + n
    spans.append((start, len(toks)))
    return [s for s in spans if s[1] > s[0]]


def code_sentence(p: Parsed, state: State, lex: Lexicon) -> list[Event]:
    """Events of one sentence, updating the carried agent/speaker state."""
    out: list[Event] = []
    state.recent = [*state.recent[-2:], {c for a in p.actors for c in a.codes if a.kind != "both"}]
    for cs, ce in clauses(p.toks, lex):
        acts = [a for a in p.actors if cs <= a.i < ce]
        speech = has_speech(p.toks, cs, ce, lex)
        _resolve(acts, state, speech)
        acts = [a for a in acts if a.codes]
        agents = [a for a in acts if a.role in ("agent", "speech", "by")] or [a for a in acts if a.role == "nom"]
        for trig in (t for t in p.triggers if cs <= t.i < ce):
            out.extend(build(p, trig, acts, ce, state, lex))
        people = [a for a in acts if a.person]
        if agents or people:
            state.topic, state.topic_at = _codes(agents or people)[:2], p.sentence.index
            if speech:
                state.speaker = state.topic
    return out


def _codes(actors: list[Actor]) -> list[str]:
    return list(dict.fromkeys(c for a in actors for c in a.codes))


def _resolve(acts: list[Actor], state: State, speech: bool = False) -> None:
    """Pronouns take the last agent (3rd person) or speaker (1st); دونوں takes the pair.

    In a speech clause (انھوں نے کہا) a 3rd-person pronoun continues the previous speaker.
    """
    local: list[str] = []
    for a in acts:
        if a.kind == "pronoun3" and a.role in ("agent", "speech", "nom"):
            a.codes = list(local or (speech and state.speaker) or state.topic)
        elif a.kind == "pronoun1" and a.role in ("agent", "speech", "nom"):
            a.codes = list(state.speaker or state.topic)
        elif a.kind == "both":
            a.codes = list(state.topic) if len(state.topic) >= 2 else list(state.dyad)
        if a.codes and a.role in ("agent", "nom", "speech") and a.kind not in ("pronoun1", "both"):
            local = list(a.codes)


TARGET_REACH = 14  # tokens: a case-marked actor further from the trigger belongs to another verb


def build(p: Parsed, trig: Trigger, acts: list[Actor], end: int, state: State, lex: Lexicon) -> list[Event]:
    """Events for one trigger: agents, targets (or pair, or dyad) and mode/negation/score."""
    pat = trig.pattern
    before = [a for a in acts if a.i < trig.i]
    agents = ([a for a in before if a.role == "nom" and a.head == trig.i]  # روسی فوجی حملے
              or [a for a in before if a.role == "agent"] or [a for a in before if a.role == "by"]
              or _subject(p.toks, [a for a in before if a.role == "nom"]))
    sources = _codes(agents) or (state.fresh_topic(p.sentence.index) if not before else [])
    between = _codes([a for a in acts if (a.role == "کے درمیان" and 0 < trig.i - a.i <= TARGET_REACH)
                      or (a.kind == "both" and a.head == trig.i)])
    targets = [a for a in acts if (_is_target(a, trig, pat.target) or (a.role == "by" and a.i < trig.i)) and a not in agents
               and -TARGET_REACH <= a.i - trig.i <= TARGET_REACH and not set(a.codes) <= set(sources)]
    direct = [a for a in targets if a.direct] or targets
    direct.sort(key=lambda a: (a.i > trig.i, abs(trig.i - a.i)))
    pairs: list[tuple[str, str | None]] = []
    if pat.pair and len(between) >= 2:
        pairs = [(between[0], between[1])]
    elif sources and direct:
        tcodes = [c for c in _codes(direct) if c not in sources][:4]
        pairs = [(s, t) for s in sources for t in tcodes]
    elif pat.pair and len(sources) >= 2:
        pairs = [(sources[0], sources[1])]
    elif (len(sources) == 1 and pat.type in lex.dyad_types and sources[0] in state.dyad
          and len(state.dyad) == 2 and not _addressed_elsewhere(p, trig, acts)
          and _partner(state, sources[0]) in set().union(*state.recent)):
        pairs = [(sources[0], _partner(state, sources[0]))]
    elif sources:
        pairs = [(sources[0], None)]
    entity = {}
    for a in sorted(acts, key=lambda a: abs(a.i - trig.i), reverse=True):
        if a.entity_id:
            entity.update(dict.fromkeys(a.codes, a.entity_id))
    lo = min([a.i for a in agents + direct if trig.i - 20 <= a.i < trig.i] or [max(0, trig.i - 6)])
    events = [_event(p, trig, s, t, end, lex, lo) for s, t in pairs if s != t]
    for ev in events:
        ev.source_entity, ev.target_entity = entity.get(ev.source), entity.get(ev.target)
    return events


def _partner(state: State, source: str) -> str:
    return next(c for c in state.dyad if c != source)


def _subject(toks: Tokens, noms: list[Actor]) -> list[Actor]:
    """The first unmarked actor and those joined to it by اور (a list after a comma is not)."""
    out = noms[:1]
    for b in noms[1:]:
        if b.i == out[-1].j + 1 and toks.texts[out[-1].j] == "اور":
            out.append(b)
        else:
            break
    return out


def _addressed_elsewhere(p: Parsed, trig: Trigger, acts: list[Actor]) -> bool:
    """True when a partner marker just before a talk trigger marks a non-actor (میڈیا سے گفتگو)."""
    if not trig.pattern.pair:
        return False
    taken = {k for a in acts for k in range(a.i, a.j + 2)}
    for k in range(max(0, trig.i - 3), trig.i):
        found = match_marker(p.toks, k)
        if found and found[0] in trig.pattern.target and k not in taken:
            return True
    return False


def _is_target(a: Actor, trig: Trigger, markers: list[str]) -> bool:
    if a.role == "gen":
        return "gen" in markers and a.head == trig.i
    return a.role in markers


def _event(p: Parsed, trig: Trigger, source: str, target: str | None, end: int, lex: Lexicon,
           lo: int) -> Event:
    pat = trig.pattern
    etype, mode, neg = pat.type, mode_of(p.toks, trig, end, lex), negated(p.toks, trig, end, lex)
    if neg:
        etype, mode = (pat.if_negated, "done") if pat.if_negated else (pat.type, "negated")
    score = lex.scores[etype] * lex.mode_weights.get(mode, 1.0)
    ends = p.toks.ends
    evidence = p.sentence.text[p.toks.starts[lo] : max(ends[min(trig.j + 2, end, len(ends)) - 1], ends[trig.i])]
    return Event(type=etype, source=source, target=target, sentence=p.sentence.index, evidence=evidence,
                 mode=mode, negated=neg, score=round(score, 2), pattern=pat.id)
