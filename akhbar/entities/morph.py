"""Apertium's Urdu analyser as a name signal: unknown words and proper-noun tags.

`lt-proc` on apertium-urd's analyser marks words it does not know with `*` (in news these
are mostly transliterated names) and tags the names it knows `<np>` with a subtype (top =
place, ant = first name, cog = surname, org). The CRF uses the class as a feature. Optional:
without the Debian package every word gets class `-`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

ANALYSER = Path("/usr/share/apertium/apertium-urd/urd.automorf.bin")
_UNIT_RE = re.compile(r"\^(.*?)\$")
_SPECIAL_RE = re.compile(r"[\^$/\\\[\]{}<>@*#~\s]")  # stream-format characters: never sent
_cache: dict[str, str] = {}


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether lt-proc and the Urdu analyser are installed."""
    return shutil.which("lt-proc") is not None and ANALYSER.exists()


def _classify(analyses: list[str]) -> str:
    if not analyses or analyses[0].startswith("*"):
        return "UNK"
    for a in analyses:
        m = re.search(r"<np>(?:<(\w+)>)?", a)
        if m:
            return "NP." + (m.group(1) or "x")
    m = re.search(r"<(\w+)>", analyses[0])
    return m.group(1) if m else "-"


def classes(words: list[str]) -> list[str]:
    """The analyser class of each word (cached per word; one lt-proc call for the new ones)."""
    if not available():
        return ["-"] * len(words)
    new = sorted({w for w in words if w not in _cache and not _SPECIAL_RE.search(w)})
    if new:
        out = subprocess.run(["lt-proc", str(ANALYSER)], input="\n".join(new) + "\n", capture_output=True,
                             text=True, check=False).stdout
        for unit in _UNIT_RE.findall(out):
            surface, *analyses = unit.split("/")
            cls = _classify(analyses)
            for part in surface.split():
                _cache.setdefault(part, cls)
        for w in new:
            _cache.setdefault(w, "-")
    return [_cache.get(w, "-") for w in words]
