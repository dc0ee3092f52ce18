"""Loads the stage's tunables (data/params.yaml) and noise patterns (data/noise.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from akhbar.text.normalize import fold


@cache
def params() -> dict:
    """The tunables of dedupe, clustering and summaries, by section."""
    text = resources.files("akhbar.stories").joinpath("data/params.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True, slots=True)
class NoiseRules:
    """Folded noise patterns: sentence prefixes, substrings, dateline credits, credit words, joining words."""

    prefixes: tuple[str, ...]
    contains: tuple[str, ...]
    datelines: tuple[str, ...]
    credits: tuple[str, ...] = ()  # words that mark a parenthesised credit ("سپورٹس ڈیسک")
    joins: tuple[str, ...] = ()  # words that, right after such a credit, show it is not a dateline


@cache
def noise_rules() -> NoiseRules:
    """The noise patterns of data/noise.tsv, folded for matching."""
    kinds: dict[str, list[str]] = {"prefix": [], "contains": [], "dateline": [], "credit": [], "join": []}
    text = resources.files("akhbar.stories").joinpath("data/noise.tsv").read_text("utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, pattern = line.split("\t")[:2]
        if kind not in kinds:
            raise ValueError(f"akhbar/stories/data/noise.tsv:{n}: unknown kind {kind!r}")
        kinds[kind].append(fold(pattern))
    return NoiseRules(*(tuple(v) for v in kinds.values()))
