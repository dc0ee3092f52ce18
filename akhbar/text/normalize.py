"""Urdu Unicode normalisation for matching, with an offset map back to the original.

The original text is never changed: `fold` returns a matching key, and `fold_with_map`
also returns, for every character of that key, the index of the original character it
came from, so a match in normalised text can be highlighted in the text the user gave.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import compress

# Arabic code points that Urdu writes with its own letters (applied after NFC, so that
# ي + hamza has already composed to ئ and is never split).
_LETTER_FOLD = {
    "\u064a": "\u06cc",  # ي ARABIC YEH -> ی FARSI YEH
    "\u0649": "\u06cc",  # ى ALEF MAKSURA -> ی
    "\u0643": "\u06a9",  # ك ARABIC KAF -> ک KEHEH
    "\u0647": "\u06c1",  # ه ARABIC HEH -> ہ HEH GOAL
    "\u0629": "\u06c1",  # ة TEH MARBUTA -> ہ
    "\u06c3": "\u06c1",  # ۃ TEH MARBUTA GOAL -> ہ
    "\u06c2": "\u06c1",  # ۂ HEH GOAL WITH HAMZA (izafat) -> ہ
    "\u06c0": "\u06c1",  # ۀ HEH WITH YEH ABOVE -> ہ
    "\u06d3": "\u0626\u06d2",  # ۓ -> ئے (گۓ and گئے are one word)
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u06cd": "\u06cc",
    "\u06d0": "\u06cc",
    "\u0660": "0", "\u0661": "1", "\u0662": "2", "\u0663": "3", "\u0664": "4",
    "\u0665": "5", "\u0666": "6", "\u0667": "7", "\u0668": "8", "\u0669": "9",
    "\u06f0": "0", "\u06f1": "1", "\u06f2": "2", "\u06f3": "3", "\u06f4": "4",
    "\u06f5": "5", "\u06f6": "6", "\u06f7": "7", "\u06f8": "8", "\u06f9": "9",
    "\u066b": ".",  # Arabic decimal separator
    "\u066c": ",",  # Arabic thousands separator
    "\u2018": '"', "\u2019": '"', "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u201a": '"', "\u201e": '"', "\u2032": "'", "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u3000": " ",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
}

# Removed for matching: harakat and Quranic marks, tatweel, joiners, bidi and BOM.
_DROP = set(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff",
       "\u00ad", "\u2060"]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06DD, 0x06DE, 0x06E9)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)

# What `\s+ -> " "` changes: runs of two or more and lone non-space whitespace (a lone space
# stays as it is), so the same result with far fewer matches to replace.
_SPACE_RE = re.compile(r"\s{2,}|[^\S ]")


def _is_presentation_form(ch: str) -> bool:
    cp = ord(ch)
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def _clusters(text: str):
    """Yield (start, cluster) where a cluster is a base character and its combining marks."""
    start = 0
    n = len(text)
    i = 1
    while start < n:
        i = start + 1
        while i < n and unicodedata.combining(text[i]):
            i += 1
        yield start, text[start:i]
        start = i


@lru_cache(maxsize=8192)  # clusters repeat endlessly in news text: fold each distinct one once
def _fold_cluster(cluster: str) -> str:
    if _is_presentation_form(cluster[0]):
        cluster = unicodedata.normalize("NFKC", cluster[0]) + cluster[1:]
    cluster = unicodedata.normalize("NFC", cluster)
    out = []
    for ch in cluster:
        if ch in _DROP:
            continue
        mapped = _LETTER_FOLD.get(ch, ch)
        out.append(mapped.casefold())
    return "".join(out)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Return the matching key of `text` and, per key character, its index in `text`.

    Whitespace runs collapse to one space; leading/trailing space is removed.
    """
    fast = _fold_with_map_fast(text)
    return fast if fast is not None else _fold_with_map_slow(text)


def _fold_with_map_fast(text: str) -> tuple[str, list[int]] | None:
    """C-speed path for the usual case: NFC text where every character folds to at most one."""
    if _PRESENTATION_RE.search(text) or _EXPANDING_RE.search(text) or not unicodedata.is_normalized("NFC", text):
        return None
    kept = _translate(text, _FAST_TABLE, _FAST_TABLE_RE)
    if len(kept) == len(text):  # the table maps one to one or drops: nothing was dropped
        index = list(range(len(text)))
    else:
        index = []
        for m in _KEEP_RUN_RE.finditer(text):
            index.extend(range(m.start(), m.end()))
    folded = kept.casefold()
    if len(folded) != len(kept) or len(kept) != len(index):
        return None
    if not _needs_space_fix(folded):
        return folded, index
    # Collapse whitespace runs to one space (kept at the run's first character), trim the ends.
    mask = bytearray(b"\x01") * len(folded)
    for m in _SPACE_RUN_RE.finditer(folded):
        lead, trail = m.start() == 0, m.end() == len(folded)
        mask[m.start() + (0 if lead or trail else 1) : m.end()] = bytes(m.end() - m.start() - (0 if lead or trail else 1))
    return _SPACE_RE.sub(" ", folded).strip(), list(compress(index, mask))


def _fold_with_map_slow(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    for start, cluster in _clusters(text):
        if _is_presentation_form(cluster[0]) or not unicodedata.is_normalized("NFC", cluster):
            pieces = [(start, _fold_cluster(cluster))]  # composed: every output char maps to the cluster
        else:
            pieces = [(start + j, _fold_cluster(ch)) for j, ch in enumerate(cluster)]
        for pos, ch in ((p, c) for p, folded in pieces for c in folded):
            if ch.isspace():
                if not chars or chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch)
            index.append(pos)
    if chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


_TABLE = {ord(k): v for k, v in _LETTER_FOLD.items()} | {ord(ch): None for ch in _DROP}
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_FAST_TABLE = {ord(k): v for k, v in _LETTER_FOLD.items() if len(v) == 1} | {ord(ch): None for ch in _DROP}
_EXPANDING_RE = re.compile("[" + "".join(re.escape(k) for k, v in _LETTER_FOLD.items() if len(v) != 1) + "]")
_KEEP_RUN_RE = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(_DROP)) + "]+")
_SPACE_RUN_RE = re.compile(r"^\s+|\s+$|\s{2,}|[^\S ]")


_TABLE_RE = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_TABLE)) + "]")
_FAST_TABLE_RE = re.compile("[" + "".join(re.escape(chr(k)) for k in sorted(_FAST_TABLE)) + "]")
_ODD_SPACE_RE = re.compile(r"[^\S ]")


_SPARSE = 64  # replace match by match while there is at most one match per this many characters


def _translate(text: str, table: dict[int, str | None], chars: re.Pattern[str]) -> str:
    """`text.translate(table)`, replacing match by match while matches are sparse (translate is slow)."""
    first = chars.search(text)
    if first is None:
        return text
    pieces, pos, budget = [], 0, (len(text) - first.start()) // _SPARSE
    for n, m in enumerate(chars.finditer(text, first.start())):
        if n > budget:  # dense (a fully vowelled text): let translate do the rest
            pieces.append(text[pos:].translate(table))
            return "".join(pieces)
        pieces.append(text[pos : m.start()])
        pieces.append(table[ord(m.group())] or "")
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def _needs_space_fix(text: str) -> bool:
    """True when `text` has a whitespace run, a non-space whitespace character or space at an end."""
    return "  " in text or text[:1].isspace() or text[-1:].isspace() or _ODD_SPACE_RE.search(text) is not None


def fold(text: str) -> str:
    """Normalise `text` for matching: NFC, Urdu letters, ASCII digits, no marks or joiners.

    Same result as `fold_with_map(text)[0]`, computed with C-level string operations.
    """
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _translate(unicodedata.normalize("NFC", text), _TABLE, _TABLE_RE).casefold()
    return _SPACE_RE.sub(" ", text).strip() if _needs_space_fix(text) else text


def display(text: str) -> str:
    """Tidy text for display without changing its letters: NFC, presentation forms, no BOM."""
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def collapse_spaces(text: str) -> str:
    """Collapse whitespace runs to single spaces."""
    return _SPACE_RE.sub(" ", text).strip()
