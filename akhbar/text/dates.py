"""Urdu dates: a small pre-normaliser in front of dateparser, and babel's `ur` month names.

dateparser reads `28 دسمبر 2021` but not `سنیچر`, `گذشتہ`, Urdu digits with `ء`, or the
`سنہ` year marker, so those are rewritten first (data/dates.tsv).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

from babel import Locale

from akhbar.text.normalize import collapse_spaces, fold


@cache
def month_names() -> dict[str, int]:
    """Folded Urdu month names (CLDR `ur`, plus common spelling variants) -> month number."""
    months = {fold(name): num for num, name in Locale("ur").months["format"]["wide"].items()}
    months.update({fold("مئ"): 5, fold("جولائ"): 7, fold("فروی"): 2})
    return months


@cache
def _rewrites() -> list[tuple[str, str]]:
    text = resources.files("akhbar.text").joinpath("data/dates.tsv").read_text("utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            src, dst = line.split("\t")[:2]
            pairs.append((fold(src) if src.strip() else src, dst))
    return pairs


@cache
def _rewrites_keep_digit_runs() -> bool:
    """True when no rewrite can join or make digits (each target is non-empty and digit-free)."""
    return all(dst and not any(ch.isdigit() for ch in dst) for _, dst in _rewrites())


_YEAR_SUFFIX_RE = re.compile(r"(\d{3,4})\s*ء")
_DIGITS3_RE = re.compile(r"\d{3}")


def prenormalise(text: str) -> str:
    """Fold code points and digits, drop the year suffix ء, rewrite words dateparser misses."""
    return prenormalise_folded(fold(text))


def prenormalise_folded(key: str) -> str:
    """`prenormalise` of an already folded text."""
    text = _YEAR_SUFFIX_RE.sub(r"\1", key)
    for src, dst in _rewrites():
        text = text.replace(src, dst)
    return collapse_spaces(text)


def _month_alternation() -> str:
    return "|".join(sorted(month_names(), key=len, reverse=True))


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


@cache
def _absolute_re() -> re.Pattern[str]:
    months = _month_alternation()
    return re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{months})\s*,?\s*(?P<year>(?:19|20)\d\d)(?!\d)"
        rf"|(?P<month2>{months})\s+(?P<day2>\d{{1,2}})\s*,\s*(?P<year2>(?:19|20)\d\d)(?!\d)"
        r"|(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"
        r"|(?<!\d)(?P<d3>\d{1,2})[/.](?P<m3>\d{1,2})[/.](?P<y3>(?:19|20)\d\d)(?!\d)"
    )


def may_hold_date(key: str) -> bool:
    """False when the folded text cannot hold a full date: a year needs four digits in a row, and
    prenormalise can only join one out of a run of three or more (`200ء8`) while no rewrite makes digits."""
    return not _rewrites_keep_digit_runs() or bool(_DIGITS3_RE.search(key))


def find_absolute_dates(text: str) -> list[dt.date]:
    """Every full day-month-year date written in `text` (Urdu month names or numeric)."""
    key = fold(text)
    return absolute_dates_in(prenormalise_folded(key)) if may_hold_date(key) else []


def absolute_dates_in(text: str) -> list[dt.date]:
    """`find_absolute_dates` of a text already `prenormalise`d."""
    out: list[dt.date] = []
    if not _YEAR_RE.search(text):
        return out  # every form below has a year: skip the slow month-name alternation
    for m in _absolute_re().finditer(text):
        g = m.groupdict()
        try:
            if g["day"]:
                out.append(dt.date(int(g["year"]), month_names()[g["month"]], int(g["day"])))
            elif g["day2"]:
                out.append(dt.date(int(g["year2"]), month_names()[g["month2"]], int(g["day2"])))
            elif g["y"]:
                out.append(dt.date(int(g["y"]), int(g["m"]), int(g["d"])))
            else:
                out.append(dt.date(int(g["y3"]), int(g["m3"]), int(g["d3"])))
        except ValueError:
            continue
    return out


def parse_date(text: str, base: dt.date | None = None, prefer: str = "current_period") -> dt.date | None:
    """Parse one Urdu date expression (absolute or relative to `base`) with dateparser."""
    import dateparser

    settings = {"PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    text = re.sub(r"\s*(?:کو|سے)$", "", prenormalise(text))
    if not text or re.fullmatch(r"\d{1,4}", text):
        return None  # a bare number or year is not a date
    parsed = dateparser.parse(text, languages=["ur", "en"], settings=settings)
    return parsed.date() if parsed else None
