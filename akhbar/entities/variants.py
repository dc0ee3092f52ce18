"""Skeleton keys: one key for the spelling variants Urdu outlets write for one foreign name.

Transliterated names vary in retroflex vs dental letters (پوٹن/پوتن), in the long-vowel
letters (پیوٹن, پیسکوف/پاسکوف, دمتری/دیمتری), in آ/ا at the start and in letters Urdu keeps
from Arabic that sound alike (س/ص/ث, ز/ذ/ض/ظ, ت/ط, ہ/ح, ک/ق). The key keeps the first
letter class and the consonant skeleton; benchmarks/entities.py measures how many known
variant pairs it joins and how many unrelated KB names it merges.
"""

from __future__ import annotations

from functools import lru_cache

from akhbar.text.normalize import fold

# Letters folded to one class (sound-alike consonants, retroflex -> dental).
_CLASS = str.maketrans({
    "ٹ": "ت", "ط": "ت", "ڈ": "د", "ڑ": "ر",
    "ص": "س", "ث": "س", "ذ": "ز", "ض": "ز", "ظ": "ز",
    "ح": "ہ", "ق": "ک", "آ": "ا", "أ": "ا", "ۓ": "ے", "ؤ": "و",
    "ں": "ن", "ھ": "",
})
# Vowel letters dropped after the first letter of a word.
_VOWELS = set("اویےئءعۃ")


@lru_cache(maxsize=200_000)
def skeleton(text: str) -> str:
    """The variant key of a name: folded, sound-alike letters merged, inner vowels dropped, no spaces."""
    out: list[str] = []
    for word in fold(text).translate(_CLASS).split():
        if len(word) > 2 and word[-1] == "ہ":
            word = word[:-1]  # final ہ/ا both write the -a ending (امریکہ/امریکا)
        for i, ch in enumerate(word):
            if i > 0 and ch in _VOWELS:
                continue
            if not ch.isalnum():
                continue
            if out and out[-1] == ch and i > 0:
                continue  # doubled letters (سرگئے شوئیگو) collapse
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def exact_key(text: str) -> str:
    """The exact-match key of a name: folded with word breaks removed (بشار الاسد = بشارالاسد)."""
    return "".join(ch for ch in fold(text) if ch.isalnum())
