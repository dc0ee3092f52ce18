"""The typed records that flow through the pipeline: every stage reads and extends an Article.

Offsets (`start`, `end`) are character offsets into `Article.body`, the clean text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from akhbar.text.normalize import fold


@dataclass(slots=True)
class Sentence:
    """One sentence of the clean body."""

    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Removed:
    """A line the cleaner dropped, with the rule that dropped it (kept for review)."""

    line: int
    text: str
    rule: str


@dataclass(slots=True)
class Mention:
    """A name in the text, linked to a knowledge-base entity when `entity_id` is set."""

    start: int
    end: int
    surface: str
    type: str  # PER, ORG, GPE
    entity_id: str | None = None
    sentence: int | None = None
    method: str = "kb"  # kb, variant, rule, crf
    score: float = 1.0


@dataclass(slots=True)
class Entity:
    """A canonical entity of the knowledge base."""

    id: str
    name: str  # English name (Wikipedia title)
    type: str  # PER, ORG, GPE
    urdu: list[str] = field(default_factory=list)
    actor: str | None = None  # actor code for events: USA, RUS, ISIL, SYR.REB …


@dataclass(slots=True)
class Event:
    """Who did what to whom: one PLOVER-coded event read from one sentence."""

    type: str  # PLOVER root type, e.g. CONSULT
    source: str | None  # actor code
    target: str | None
    sentence: int
    evidence: str
    mode: str = "done"  # done, intended, offered, requested, negated
    negated: bool = False
    score: float = 0.0  # cooperation (+10) … conflict (-10)
    date: dt.date | None = None
    pattern: str | None = None  # id of the dictionary pattern that fired
    source_entity: str | None = None
    target_entity: str | None = None


@dataclass(slots=True)
class Quote:
    """A quotation (direct or reported) and its speaker."""

    text: str
    sentence: int
    speaker: str | None = None  # entity id
    speaker_surface: str | None = None
    kind: str = "direct"  # direct, reported
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Article:
    """A news article: the raw input kept whole, the clean body and what the stages found."""

    raw: str
    body: str = ""
    headline: str | None = None
    source_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    language: str | None = None
    raw_format: str = "txt"
    origin: str | None = None  # file (and line) the article came from
    credits: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    summary: str | None = None
    id: int | None = None  # assigned by the store
    story_id: int | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the folded headline and body: the same article re-scraped hashes alike."""
        return folded_hash(*self.folded())

    def folded(self) -> tuple[str, str]:
        """The folded headline and body (what the hash and the search index are built from)."""
        return fold(self.headline or ""), fold(self.body)


def folded_hash(headline: str, body: str) -> str:
    """The content hash of an already folded headline and body (stores fold once per article)."""
    return hashlib.sha256((headline + "\n" + body).encode("utf-8")).hexdigest()[:32]


@dataclass(slots=True)
class Story:
    """A group of articles about one evolving story; threads link stories that return."""

    id: int
    label: str
    label_en: str = ""
    article_ids: list[int] = field(default_factory=list)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    thread_id: int | None = None
    summary: list[str] = field(default_factory=list)
