"""Language identification for articles and lines: the Urdu-letter rule, then lingua.

Letters only Urdu uses (ٹ ڈ ڑ ں ھ ہ ے ۓ) decide at once; lingua, restricted to the six
languages Urdu news is mixed with, decides the rest (Persian/Arabic quotes, English lines).
"""

from __future__ import annotations

import re
from functools import cache

_URDU_ONLY = re.compile(r"[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2\u06d3]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z]")
_CODES = {"URDU": "ur", "PERSIAN": "fa", "ARABIC": "ar", "HINDI": "hi", "PUNJABI": "pa", "ENGLISH": "en"}


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _CODES]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def script_of(text: str) -> str:
    """'arabic', 'latin', 'mixed' or 'none' by the letters the text holds."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    latin = len(_LATIN.findall(text))
    if not arabic and not latin:
        return "none"
    if arabic and latin:
        return "arabic" if arabic >= 3 * latin else "latin" if latin >= 3 * arabic else "mixed"
    return "arabic" if arabic else "latin"


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language among ur/fa/ar/hi/pa/en, or None if no letters."""
    if _URDU_ONLY.search(text):
        return "ur"
    if script_of(text) == "none":
        return None
    lang = _detector().detect_language_of(text)
    return _CODES.get(lang.name) if lang else None


def is_latin_line(text: str) -> bool:
    """True for a line written in Latin letters only (English/transliteration/scrape noise)."""
    return not _ARABIC_SCRIPT.search(text) and script_of(text) == "latin"
