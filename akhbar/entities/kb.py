"""The knowledge base: canonical entities with every Urdu spelling, loaded from data files.

Sources, all under akhbar/entities/data/: `countries.tsv` (our rows for the countries in the
news: actor code, spellings, demonyms), CLDR's Urdu territory names from babel for every
other country, `entities.tsv` (people, organisations, cities) and `ambiguous.tsv` (words
that are names only in some contexts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale

from akhbar.entities.variants import exact_key, skeleton
from akhbar.errors import InputError
from akhbar.model import Entity
from akhbar.text.stopwords import is_stop

DATA = Path(__file__).parent / "data"
TYPES = ("PER", "ORG", "GPE")


@dataclass(slots=True)
class Ambiguity:
    """Context rule for a surface that is also a common word."""

    entity_id: str
    not_after: frozenset[str]
    not_before: frozenset[str]
    needs_next: frozenset[str]
    needs_full: bool


@dataclass
class KnowledgeBase:
    """Entities by id with exact and skeleton indexes of their spellings."""

    by_id: dict[str, Entity] = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)  # exact key -> entity id
    skeletons: dict[str, set[str]] = field(default_factory=dict)  # skeleton -> entity ids
    demonyms: dict[str, str] = field(default_factory=dict)  # exact key -> entity id
    ambiguous: dict[str, Ambiguity] = field(default_factory=dict)  # exact key -> rule
    english: dict[str, str] = field(default_factory=dict)  # lower-cased English words -> id
    max_words: int = 1
    # every leading part of an exact or demonym key: an n-gram scan stops once its key leaves this
    # (a superset after `_remove`, which only costs a longer scan)
    prefixes: set[str] = field(default_factory=set)
    skeleton_prefixes: set[str] = field(default_factory=set)  # the same for skeleton keys

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this canonical id, or None."""
        return self.by_id.get(entity_id)

    def entities(self) -> list[Entity]:
        """Every entity of the base."""
        return list(self.by_id.values())

    def lookup(self, surface: str) -> Entity | None:
        """The entity spelled `surface` exactly (after folding), else by skeleton when unique."""
        eid = self.exact.get(exact_key(surface))
        if eid is None:
            ids = self.skeletons.get(skeleton(surface), set())
            eid = next(iter(ids)) if len(ids) == 1 else None
        return self.by_id.get(eid) if eid else None

    def add(self, entity: Entity, spellings: list[str], source: str) -> None:
        """Add an entity (or extra spellings of one already present)."""
        current = self.by_id.setdefault(entity.id, entity)
        for spelling in spellings:
            key = exact_key(spelling)
            if not key:
                raise InputError(source, f"spelling {spelling!r} of {entity.id!r} is empty once normalised")
            owner = self.exact.get(key)
            if owner is not None and owner != entity.id:
                continue  # first claim wins; tests report such clashes in the data files
            self.exact[key] = entity.id
            self._add_prefixes(key)
            sk = skeleton(spelling)
            self.skeletons.setdefault(sk, set()).add(entity.id)
            self.skeleton_prefixes.update(sk[:k] for k in range(len(sk) + 1))
            if spelling not in current.urdu:
                current.urdu.append(spelling)
            self.max_words = max(self.max_words, len(spelling.split()))

    def add_demonym(self, spelling: str, entity_id: str) -> None:
        """Add a demonym (امریکی) of an entity; the first claim of a spelling wins."""
        key = exact_key(spelling)
        self.demonyms.setdefault(key, entity_id)
        self._add_prefixes(key)

    def _add_prefixes(self, key: str) -> None:
        self.prefixes.update(key[:k] for k in range(len(key) + 1))


def _rows(path: Path, width: int) -> list[list[str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > width or len(cells) < 2:
            raise InputError(path.name, f"expected up to {width} tab-separated fields, got {len(cells)}", str(n))
        rows.append(cells + [""] * (width - len(cells)))
    return rows


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _load_countries(base: KnowledgeBase) -> None:
    names = Locale("ur").territories
    english = Locale("en").territories
    listed: set[str] = set()
    for iso2, alpha3, eid, spellings, demonyms in _rows(DATA / "countries.tsv", 5):
        listed.add(iso2)
        cldr = [names[iso2]] if iso2 in names else []
        base.add(Entity(eid, eid, "GPE", actor=alpha3 or None), _split(spellings) + cldr, "countries.tsv")
        for d in _split(demonyms):
            base.add_demonym(d, eid)
    for code, urdu in names.items():
        if re.fullmatch(r"[A-Z]{2}", code) and code not in listed and code in english:
            eid = re.sub(r"\s*\(.*\)", "", english[code])
            base.add(Entity(eid, eid, "GPE"), [re.sub(r"\s*\(.*\)", "", urdu)], "babel ur territories")


def _load_ambiguous(base: KnowledgeBase) -> None:
    for surface, eid, not_after, not_before, needs_next, needs_full in _rows(DATA / "ambiguous.tsv", 6):
        base.ambiguous[exact_key(surface)] = Ambiguity(
            eid, frozenset(map(exact_key, _split(not_after))), frozenset(map(exact_key, _split(not_before))),
            frozenset(map(exact_key, _split(needs_next))), needs_full.strip() == "yes",
        )


def build(exclude: set[str] | None = None) -> KnowledgeBase:
    """Load the base from the data files, leaving out the ids in `exclude` (for held-out tests)."""
    base = KnowledgeBase()
    _load_countries(base)
    for eid, etype, actor, spellings in _rows(DATA / "entities.tsv", 4):
        if etype not in TYPES:
            raise InputError("entities.tsv", f"{eid!r} has type {etype!r}; use one of {', '.join(TYPES)}")
        base.add(Entity(eid, eid, etype, actor=actor or None), _split(spellings), "entities.tsv")
    _load_ambiguous(base)
    for eid in exclude or ():
        _remove(base, eid)
    for entity in base.by_id.values():
        base.english[entity.id.lower()] = entity.id
    return base


def _remove(base: KnowledgeBase, eid: str) -> None:
    base.by_id.pop(eid, None)
    base.exact = {k: v for k, v in base.exact.items() if v != eid}
    base.skeletons = {k: v - {eid} for k, v in base.skeletons.items() if v - {eid}}
    base.demonyms = {k: v for k, v in base.demonyms.items() if v != eid}
    base.ambiguous = {k: v for k, v in base.ambiguous.items() if v.entity_id != eid}


@lru_cache(maxsize=100_000)
def stop(word: str) -> bool:
    """Whether `word` is a stop word (cached: the text core folds on every call)."""
    return is_stop(word)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent non-name words (from the NER training data): never matched by skeleton."""
    path = DATA / "common_words.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(exact_key(w) for w in lines if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Words seen mostly inside person names in the NER training data (generated by train-ner)."""
    path = DATA / "name_words.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(exact_key(w) for w in lines if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def kb() -> KnowledgeBase:
    """The shipped knowledge base (built once per process)."""
    return build()
