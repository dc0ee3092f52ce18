"""Add the statistical model's names to the dictionary's (placeholder until the CRF ships)."""

from __future__ import annotations

from akhbar.entities.kb import KnowledgeBase
from akhbar.model import Mention
from akhbar.text.split import Span


def add_model_mentions(text: str, toks: list[Span], found: list[Mention], base: KnowledgeBase) -> list[Mention]:
    """Merge model mentions into `found` (none yet)."""
    return found
