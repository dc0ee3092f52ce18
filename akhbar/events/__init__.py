"""Events and quotes: a native Urdu PLOVER event coder, event dates, quotes, timelines.

`code_events(article)` fills `article.events`; `extract_quotes(article)` fills
`article.quotes`. Both run after the entities stage and read `article.mentions`.
"""

from __future__ import annotations

from akhbar.events.coder import code_events
from akhbar.events.quotes import extract_quotes

__all__ = ["code_events", "extract_quotes"]
