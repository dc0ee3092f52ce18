"""Character spans already taken by mentions, and whether a new span overlaps one of them.

Mentions are added only where they overlap none, so the taken spans stay disjoint: sorted by
start, their ends are sorted too and one bisection answers what was a scan over every mention.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class Taken:
    """Spans [start, end) in text order; overlap tests in log time while they are disjoint."""

    __slots__ = ("spans", "starts", "ends", "disjoint")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.ends = [e for _, e in self.spans]
        self.disjoint = all(self.ends[k] <= self.starts[k + 1] for k in range(len(self.spans) - 1))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a taken span."""
        if not self.disjoint:
            return any(s < end and start < e for s, e in self.spans)
        k = bisect_left(self.starts, end) - 1  # the last span starting before `end` ends last among them
        return k >= 0 and start < self.ends[k]

    def add(self, start: int, end: int) -> None:
        """Take [start, end) (kept disjoint when it overlaps no taken span)."""
        disjoint = self.disjoint and not self.overlaps(start, end)
        k = bisect_right(self.spans, (start, end))
        self.spans.insert(k, (start, end))
        self.starts.insert(k, start)
        self.ends.insert(k, end)
        self.disjoint = disjoint
