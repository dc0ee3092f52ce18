"""Event dates: absolute (12 جنوری 2022) or relative (بدھ کو, گذشتہ ہفتے) to publication.

A relative expression without a publication date gives no date rather than a guess; a
sentence without any date expression takes the publication date (GDELT's convention).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache
from importlib import resources

from akhbar.events.lexicon import Phrases, key
from akhbar.text.dates import find_absolute_dates, month_names
from akhbar.text.normalize import fold
from akhbar.text.split import tokens


@cache
def relative_words() -> list[tuple[tuple[str, ...], str, str]]:
    """data/dates.tsv as (folded phrase, unit, offset), longest phrase first."""
    text = resources.files("akhbar.events").joinpath("data/dates.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, unit, offset = line.split("\t")[:3]
            rows.append((key(phrase), unit, offset))
    return sorted(rows, key=lambda r: -len(r[0]))


def _shift_month(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    return dt.date(d.year + y, m + 1, 1)


def resolve(unit: str, offset: str, base: dt.date, future: bool) -> dt.date:
    """One relative expression against `base` (the publication date)."""
    if offset.startswith("±"):
        offset = offset[1:] if future else "-" + offset[1:]
    n = int(offset)
    if unit == "day":
        return base + dt.timedelta(days=n)
    if unit == "week":
        return base + dt.timedelta(weeks=n)
    if unit == "month":
        return base if n == 0 else _shift_month(base, n)
    if unit == "year":
        return base.replace(year=base.year + n, day=min(base.day, 28) if base.month == 2 else base.day)
    back = (base.weekday() - n) % 7
    if future:
        return base + dt.timedelta(days=(n - base.weekday()) % 7 or 7)
    return base - dt.timedelta(days=back)


@cache
def _day_month_re() -> re.Pattern[str]:
    months = "|".join(sorted(month_names(), key=len, reverse=True))
    return re.compile(rf"(?<!\d)(\d{{1,2}})\s*({months})(?!\s*,?\s*\d)")


_DIGIT_RE = re.compile(r"\d")


def _day_month(key: str) -> tuple[int, int] | None:
    if not _DIGIT_RE.search(key):
        return None  # the day is a number: skip the month-name alternation
    m = _day_month_re().search(key)
    return (int(m.group(1)), month_names()[m.group(2)]) if m else None


def _nearest_year(day: int, month: int, published: dt.date) -> dt.date | None:
    """A day and month without a year: the year that puts it nearest the publication date."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs((d - published).days)) if options else None


def find_date(text: str, published: dt.date | None, future: bool = False) -> dt.date | None:
    """The date a sentence states, or None when it states none or cannot be anchored."""
    return _date_of(fold(text), published, future)[0]


def _date_of(key: str, published: dt.date | None, future: bool) -> tuple[dt.date | None, bool]:
    """(the date the folded sentence states or None, whether it holds any date expression)."""
    absolute = find_absolute_dates(key)  # fold is idempotent: the folded key parses as the text
    if absolute:
        return absolute[0], True
    dm = _day_month(key)
    if dm and published:
        return _nearest_year(*dm, published), True
    for _, unit, offset in _relative_in(key):
        return (resolve(unit, offset, published, future) if published else None), True
    return None, dm is not None


@cache
def _relative_phrases() -> tuple[Phrases, dict[tuple[str, ...], tuple[tuple[str, ...], str, str]]]:
    """relative_words() as Phrases (longest first, as listed) and each phrase's row (the first listed)."""
    rows = relative_words()
    return Phrases([r[0] for r in rows]), {r[0]: r for r in reversed(rows)}


def _relative_in(key: str) -> list[tuple[tuple[str, ...], str, str]]:
    """The first relative date phrase in the folded text (by position, then longest), as a list."""
    toks = tuple(tokens(key))
    phrases, row = _relative_phrases()
    for k in range(len(toks)):
        if (w := phrases.at(toks, k)) is not None:
            return [row[w]]
    return []


def has_date_words(text: str) -> bool:
    """True when the sentence holds any date expression (so publication date must not stand in)."""
    key = fold(text)
    return bool(_relative_in(key) or _day_month(key) or find_absolute_dates(key))


@lru_cache(maxsize=4096)
def event_date(sentence: str, published: dt.date | None, mode: str = "done") -> dt.date | None:
    """An event's date: the sentence's own date, else the publication date, else None."""
    found, dated = _date_of(fold(sentence), published, future=mode in ("intended", "offered"))
    if found is not None or dated:
        return found
    return published
