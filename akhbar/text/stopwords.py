"""Urdu stop words: urduhack-lite's list, reviewed in data/stopwords.tsv, folded for matching."""

from __future__ import annotations

from functools import cache
from importlib import resources

from urduhack_lite.stop_words import STOP_WORDS as _BASE

from akhbar.text.normalize import fold


def _review() -> tuple[set[str], set[str]]:
    add: set[str] = set()
    remove: set[str] = set()
    text = resources.files("akhbar.text").joinpath("data/stopwords.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        action, word = line.split("\t")[:2]
        (add if action == "add" else remove).add(fold(word))
    return add, remove


@cache
def stop_words() -> frozenset[str]:
    """The folded stop-word set (base list plus reviewed additions, minus removals)."""
    add, remove = _review()
    return frozenset(({fold(w) for w in _BASE} | add) - remove)


def is_stop(word: str) -> bool:
    """True when the (original or folded) word is a stop word."""
    return fold(word) in stop_words()
