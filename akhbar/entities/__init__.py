"""Entities: the Urdu knowledge base, recognition, variant folding and linking."""

from __future__ import annotations

from akhbar.entities.kb import KnowledgeBase, kb
from akhbar.entities.recognise import find_mentions, recognise
from akhbar.entities.variants import exact_key, skeleton
from akhbar.model import Entity


def all_entities() -> list[Entity]:
    """Every entity of the shipped base, for `store.upsert_entities`."""
    return kb().entities()


def resolve(name: str) -> Entity | None:
    """An entity from its id, English name (also a part such as `Putin`) or any Urdu spelling."""
    base = kb()
    name = name.strip()
    if not name:
        return None
    if name in base.by_id:
        return base.by_id[name]
    lower = name.lower()
    if lower in base.english:
        return base.by_id[base.english[lower]]
    if name.isascii():
        parts = [e for e in base.by_id.values() if lower in e.id.lower().replace("-", " ").split()]
        return parts[0] if len(parts) == 1 else (sorted(parts, key=lambda e: (e.type != "PER", e.id))[0] if parts else None)
    return base.lookup(name)


__all__ = ["KnowledgeBase", "all_entities", "exact_key", "find_mentions", "kb", "recognise", "resolve", "skeleton"]
