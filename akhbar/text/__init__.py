"""Urdu text core: normalisation, splitting, stop words, language id, dates."""

from akhbar.text.normalize import fold, fold_with_map
from akhbar.text.split import sentences, tokens, words

__all__ = ["fold", "fold_with_map", "sentences", "tokens", "words"]
