"""Quotations: direct (’…‘, “…”, ''…'', "…") and reported (X نے کہا کہ …), with speakers.

The speaker is the last person named before the quotation in its sentence, attached to a
speech phrase (نے کہا, کا کہنا تھا, کے بقول); `انھوں نے کہا` carries the previous speaker.
"""

from __future__ import annotations

import re
from typing import Any

from akhbar.events.coder import article_sentences
from akhbar.events.lexicon import lexicon
from akhbar.model import Article, Mention, Quote, Sentence
from akhbar.text.normalize import fold
from akhbar.text.split import tokens

# Opening and closing marks: Urdu text in RTL often has ’ opening and ‘ closing.
QUOTE_RE = re.compile(r"(?:''|[’“\"])(?P<text>[^’‘“”\"\n]{1,800}?)(?:''|[‘”\"])")
REPORTED_RE = re.compile(r"(?:نے\s+(?:\S+\s+){0,3}?(?:کہا|بتایا)|کا\s+کہنا\s+(?:ہے|تھا))\s*(?:ہے|تھا)?\s*کہ\s+(?P<text>.+)")
PRONOUNS = {fold(w) for w in ("انھوں", "انہوں", "ان", "اُن", "وہ", "اس")}


def _has_speech(text: str) -> bool:
    toks = tuple(tokens(fold(text)))
    return lexicon().speech.within(toks, 0, len(toks))


def _speaker(prefix_start: int, quote_start: int, mentions: list[Mention]) -> Mention | None:
    """The last person (else any named actor) mentioned before the quote in its sentence."""
    inside = [m for m in mentions if prefix_start <= m.start and m.end <= quote_start]
    people = [m for m in inside if m.type == "PER"]
    return (people or inside or [None])[-1]


def _pronoun_subject(text: str) -> bool:
    toks = tokens(fold(text))
    return any(t in PRONOUNS and n + 1 < len(toks) and toks[n + 1] in (fold("نے"), fold("کا"))
               for n, t in enumerate(toks))


def extract_quotes(article: Article, ctx: Any = None) -> None:
    """Fill `article.quotes` with direct quotations and reported statements, speakers linked."""
    sents = article_sentences(article)
    mentions = _body_mentions(article)
    quotes: list[Quote] = []
    last: Mention | None = None
    body = article.body
    for m in QUOTE_RE.finditer(body):
        s = _containing(sents, m.start())
        if s is None:
            continue
        prefix = body[s.start : m.start()]
        if not _has_speech(prefix) and not _has_speech(body[m.end() : m.end() + 30]):
            continue
        who = _speaker(s.start, m.start(), mentions)
        if who is None and _pronoun_subject(prefix):
            who = _earlier_person(mentions, s.start) or last
        last = who or last
        quotes.append(_quote(m.group("text").strip(), s.index, who, "direct", m.start("text"), m.end("text")))
    quoted = {q.sentence for q in quotes}
    quotes += _reported(article, sents, quoted)
    article.quotes = sorted(quotes, key=lambda q: (q.sentence, q.start or 0))


def _body_mentions(article: Article) -> list[Mention]:
    """Mentions in the body (the entities stage gives headline mentions sentence -1)."""
    return [m for m in article.mentions if m.sentence is None or m.sentence >= 0]


def _reported(article: Article, sents: list[Sentence], skip: set[int]) -> list[Quote]:
    out, last = [], None
    mentions = _body_mentions(article)
    for s in sents:
        m = REPORTED_RE.search(s.text)
        if not m or s.index in skip:
            who = _speaker(s.start, s.end, [x for x in mentions if x.type == "PER"])
            last = who or last
            continue
        start = s.start + m.start("text")
        who = _speaker(s.start, s.start + m.start(), mentions)
        if who is None and _pronoun_subject(s.text[: m.start()]):
            who = last or _earlier_person(mentions, s.start)
        last = who or last
        out.append(_quote(m.group("text").strip(" ۔"), s.index, who, "reported", start, s.end))
    return out


def _earlier_person(mentions: list[Mention], before: int) -> Mention | None:
    """The last person named before offset `before` (what انھوں نے کہا refers back to)."""
    people = [m for m in mentions if m.type == "PER" and m.end <= before]
    return max(people, key=lambda m: m.start, default=None)


def _containing(sents: list[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sents if s.start <= offset < s.end), None)


def _quote(text: str, sentence: int, who: Mention | None, kind: str, start: int, end: int) -> Quote:
    return Quote(text=text, sentence=sentence, speaker=who.entity_id if who else None,
                 speaker_surface=who.surface if who else None, kind=kind, start=start, end=end)

