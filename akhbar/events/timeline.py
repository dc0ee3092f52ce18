"""Timelines of events between actors: a GDELT-like flat table and a monthly trend plot.

The flat table has one row per event with GDELT-style columns (date, actor 1 and 2, root
type, Goldstein-style score, source article); the plot shows the monthly mean score
(cooperation above zero, conflict below) and the monthly number of events.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from akhbar.errors import InputError
from akhbar.model import Event
from akhbar.store import Store
from akhbar.store.base import EventFilter

COLUMNS = ("event_date", "actor1", "actor2", "event_type", "mode", "negated", "goldstein",
           "article_id", "source_id", "url", "outlet", "sentence", "evidence", "pattern")


def event_rows(store: Store, actors: tuple[str, str] | None = None, etype: str | None = None,
               limit: int = 10000) -> list[dict]:
    """Stored events (optionally between two actors, of one type) as flat GDELT-like rows."""
    filt = EventFilter(actors=actors, type=etype)
    meta: dict[int, tuple[str | None, str | None, str | None]] = {}
    rows = []
    for article_id, ev in store.list_events(filt, limit=limit):
        if article_id not in meta:
            art = store.get_article(article_id, full=False)
            meta[article_id] = (art.source_id, art.url, art.outlet)
        rows.append(_row(article_id, ev, meta[article_id]))
    return rows


def _row(article_id: int, ev: Event, meta: tuple[str | None, str | None, str | None]) -> dict:
    return {
        "event_date": ev.date.isoformat() if ev.date else None, "actor1": ev.source, "actor2": ev.target,
        "event_type": ev.type, "mode": ev.mode, "negated": ev.negated, "goldstein": ev.score,
        "article_id": article_id, "source_id": meta[0], "url": meta[1], "outlet": meta[2],
        "sentence": ev.sentence, "evidence": ev.evidence, "pattern": ev.pattern,
    }


def write_csv(rows: list[dict], path: Path) -> None:
    """Write the flat table as UTF-8 CSV (header = COLUMNS)."""
    try:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise InputError(str(path), f"cannot write the CSV file ({exc.strerror}); choose a writable path") from exc


def monthly(rows: list[dict]) -> list[tuple[str, float, int]]:
    """(YYYY-MM, mean score, count) per month, for dated events that are not mere negations."""
    buckets: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["event_date"] and r["mode"] != "negated":
            buckets[r["event_date"][:7]].append(float(r["goldstein"]))
    return [(m, sum(v) / len(v), len(v)) for m, v in sorted(buckets.items())]


def plot(rows: list[dict], path: Path, title: str) -> int:
    """Draw the monthly cooperation–conflict trend to `path` (PNG); returns the months drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = monthly(rows)
    fig, ax = plt.subplots(figsize=(9, 4))
    months = [dt.date.fromisoformat(m + "-01") for m, _, _ in series]
    ax2 = ax.twinx()
    ax2.bar(months, [c for _, _, c in series], width=20, alpha=0.25, color="grey", label="events")
    ax.plot(months, [s for _, s, _ in series], marker="o", color="tab:blue", label="mean score")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylim(-10, 10)
    ax.set_ylabel("cooperation (+) / conflict (−)")
    ax2.set_ylabel("events per month")
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_title(title)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    fig.autofmt_xdate()
    try:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    except OSError as exc:
        raise InputError(str(path), f"cannot write the plot ({exc.strerror}); choose a writable path") from exc
    finally:
        plt.close(fig)
    return len(series)
