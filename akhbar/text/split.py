"""Sentence splitting and word tokenisation for Urdu news text.

Urdu ends sentences with ۔ ؟ ! and often omits the space after them (`ہے۔انھوں`), so
splitting is done on the terminator itself, never on the following space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = "\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d"
# A word: letters/digits (any script) with Arabic marks, joiners and tatweel inside;
# a number may carry decimal/thousand separators; Latin words may carry an apostrophe.
WORD_RE = re.compile(
    rf"\d+(?:[.,\u066b\u066c]\d+)*|(?:[^\W\d_]|[{_MARKS}])(?:[^\W_]|[{_MARKS}]|['\u2019](?=[A-Za-z]))*"
)

# Terminators: Urdu full stop, question marks, exclamation, ellipsis runs; a Latin full
# stop only after an Arabic-script letter (Latin abbreviations and decimals stay whole).
_TERMINATOR_RE = re.compile(
    r"(?:[\u06d4\u061f?!]+|(?<=[\u0600-\u06ff])\.(?!\d))+[\s\u06d4.]*?"
    r"[\"'\u2018\u2019\u201c\u201d\u00bb)\]]*"
)
_NEWLINES_RE = re.compile(r"\n+")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of text with its [start, end) offsets in the text it came from."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    """Split `text` into sentences on ۔ ؟ ! ? and newlines, keeping offsets."""
    spans: list[Span] = []
    for line in _line_spans(text):
        pos = line.start
        for m in _TERMINATOR_RE.finditer(text, line.start, line.end):
            _add(spans, text, pos, m.end())
            pos = m.end()
        _add(spans, text, pos, line.end)
    return spans


def _line_spans(text: str) -> list[Span]:
    out = []
    pos = 0
    for m in _NEWLINES_RE.finditer(text):
        out.append(Span(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    out.append(Span(pos, len(text), text[pos:]))
    return out


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and any(ch.isalnum() for ch in text[start:end]):
        spans.append(Span(start, end, text[start:end]))


def words(text: str) -> list[Span]:
    """Tokenise `text` into words (Urdu, Latin, numbers), keeping offsets."""
    return [Span(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


def tokens(text: str) -> list[str]:
    """The word strings of `text`."""
    return WORD_RE.findall(text)
