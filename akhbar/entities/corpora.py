"""Readers for the public Urdu NER sets in ../shared/data, as (tokens, BIO tags) sentences.

UNER marks entities inline (<PERSON>…</PERSON>); IJCNLP-2008 and Jahangir are one token a
line with a bare tag and blank lines between sentences. Only PERSON, LOCATION and
ORGANIZATION are kept (as PER, LOC, ORG); other tags become O.
"""

from __future__ import annotations

import re
from pathlib import Path

from akhbar.errors import InputError
from akhbar.text.split import words

KEEP = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
UNER_TRAIN = (0, 1309)  # line slices (0-based, end exclusive): lines 1–1309
UNER_TEST = (1309, 1637)  # lines 1310–1637
_TAG_RE = re.compile(r"<(PERSON|LOCATION|ORGANIZATION|DESIGNATION|DATE|NUMBER|TIME)>(.*?)</\1>")

Sentence = tuple[list[str], list[str]]


def uner_line(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text of a UNER line and its gold (start, end, type) spans."""
    text, spans, pos = [], [], 0
    for m in _TAG_RE.finditer(line):
        text.append(line[pos : m.start()])
        start = sum(map(len, text))
        body = m.group(2)
        lead = len(body) - len(body.lstrip())
        if m.group(1) in KEEP and body.strip():
            spans.append((start + lead, start + lead + len(body.strip()), KEEP[m.group(1)]))
        text.append(body)
        pos = m.end()
    text.append(line[pos:])
    return "".join(text), spans


def uner_lines(path: Path, part: tuple[int, int]) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The UNER lines of one split (train or test) as text with gold spans."""
    file = path / "uner.txt" if path.is_dir() else path
    if path.is_dir() and not file.exists() and (path / "uner" / "uner.txt").exists():
        file = path / "uner" / "uner.txt"  # the shared data folder itself
    if not file.exists():
        raise InputError(file, "UNER file not found; pass the folder holding uner.txt (../shared/data/uner)")
    lines = file.read_text(encoding="utf-8").splitlines()[part[0] : part[1]]
    return [uner_line(line) for line in lines if line.strip()]


def bio(text: str, spans: list[tuple[int, int, str]]) -> Sentence:
    """Tokens of `text` with BIO tags from character spans."""
    toks = words(text)
    tags = ["O"] * len(toks)
    for start, end, label in spans:
        inside = [k for k, t in enumerate(toks) if t.start >= start and t.end <= end]
        for j, k in enumerate(inside):
            tags[k] = ("B-" if j == 0 else "I-") + label
    return [t.text for t in toks], tags


def conll(path: Path) -> list[Sentence]:
    """Token-per-line files (IJCNLP-2008, Jahangir) as BIO sentences."""
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8-sig").splitlines() + [""]:
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip():
            if toks:
                out.append((toks, tags))
            toks, tags = [], []
            continue
        label = KEEP.get(cells[1].strip())
        tok = cells[0].strip()
        prev = tags[-1][2:] if tags and tags[-1] != "O" else None
        tags.append("O" if label is None else ("I-" if prev == label else "B-") + label)
        toks.append(tok)
    return out
