"""Cleaning and metadata: turn a RawDoc into an Article with a clean body, headline, date, credits.

Noise is decided line by line by the rules in data/noise.yaml (matched on folded text), then by
structure: the headline repeated in the body, duplicated paragraphs, short Latin fragments and
standalone date lines. Every dropped line is kept in `Article.removed` with its rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import islice
from urllib.parse import urlparse

import yaml

from akhbar.errors import InputError
from akhbar.ingest.readers import RawDoc
from akhbar.model import Article, Removed, Sentence
from akhbar.text import langid
from akhbar.text.dates import absolute_dates_in, may_hold_date, prenormalise_folded
from akhbar.text.normalize import display, fold, fold_with_map
from akhbar.text.split import WORD_RE, sentences

MAX_HEADLINE_WORDS = 40
Line = tuple[int, str, str]  # (line number, stripped line, its folded key)
MIN_DUPLICATE_WORDS = 6


@dataclass(frozen=True, slots=True)
class Rule:
    """One noise rule from data/noise.yaml."""

    name: str
    pattern: re.Pattern[str]
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    """The loaded rule table and the word lists the cleaner uses."""

    rules: tuple[Rule, ...]
    latin_fragment_max_words: int
    agencies: tuple[tuple[str, re.Pattern[str]], ...]  # (canonical, folded whole-word pattern)
    outlets: tuple[tuple[str, str], ...]  # (host/prefix, outlet)
    agency_keys: tuple[str, ...] = ()  # each agency's folded surface: a text without it cannot match


def _data(name: str) -> str:
    return resources.files("akhbar.ingest").joinpath("data", name).read_text("utf-8")


def _tsv(name: str) -> list[list[str]]:
    return [ln.split("\t") for ln in _data(name).splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def load_rules() -> Rules:
    """Parse the packaged rule table, agency list and outlet table (once)."""
    spec = yaml.safe_load(_data("noise.yaml"))
    rules = []
    for item in spec["rules"]:
        try:
            rules.append(Rule(item["name"], re.compile(item["pattern"]), item.get("outlet")))
        except re.error as exc:
            raise InputError("akhbar/ingest/data/noise.yaml", f"rule {item['name']!r}: bad pattern ({exc})") from exc
    rows = _tsv("agencies.tsv")
    agencies = tuple(
        (canon, re.compile(r"(?<![^\W_])" + re.escape(fold(surface)) + r"(?![^\W_])")) for canon, surface in rows
    )
    outlets = tuple((host.lower(), outlet) for host, outlet in _tsv("outlets.tsv"))
    keys = tuple(fold(surface) for _, surface in rows)
    return Rules(tuple(rules), int(spec.get("latin_fragment_max_words", 3)), agencies, outlets, keys)


def outlet_from_url(url: str | None) -> str | None:
    """The outlet an article URL belongs to, from data/outlets.tsv."""
    if not url:
        return None
    parsed = urlparse(url)
    where = (parsed.netloc.lower().removeprefix("www.") + parsed.path.lower()).rstrip("/")
    for prefix, outlet in load_rules().outlets:
        if where.startswith(prefix):
            return outlet
    return None


def _original_span(line: str, folded_span: tuple[int, int]) -> str:
    return _span_text(line, fold_with_map(line)[1], folded_span)


def _span_text(line: str, index: list[int], folded_span: tuple[int, int]) -> str:
    s, e = folded_span
    start = index[s] if s < len(index) else len(line)
    end = index[e] if e < len(index) else len(line)
    return line[start:end].strip(" :،,-—|")


def _date_only(key: str) -> dt.date | None:
    """The date of a line (`key`: the line folded) that states a date and nothing else (a dateline), else None."""
    normalised = prenormalise_folded(key)
    rest = _DATE_PUNCT_RE.sub(" ", normalised)
    words = [w for w in rest.split() if w not in _DATELINE_WORDS]
    if len(words) > 1:
        return None  # more than a date: decided before the slower date search
    dates = absolute_dates_in(normalised)
    return dates[0] if dates else None


_DATE_PUNCT_RE = re.compile(r"\d+|[:：/.,،|\-–—]")

_DATELINE_WORDS = {
    fold(w)
    for w in "پہلی اشاعت آخری اپ ڈیٹ شائع شدہ ہوا تاریخ بجے صبح شام دوپہر رات am pm gmt pkt pst utc "
    "اتوار پیر منگل بدھ جمعرات جمعہ ہفتہ سنیچر updated published".split()
}


class Cleaner:
    """Applies the rule table to one document at a time."""

    def __init__(self, rules: Rules | None = None):
        self.rules = rules or load_rules()

    def clean(self, doc: RawDoc) -> Article:
        """Build the Article for `doc`: clean body, headline, published date, credits, outlet."""
        raw = doc.content
        text, title, published, url = display(raw), doc.title, doc.published, doc.url
        if doc.format == "html":
            text, meta = self._extract_html(text, doc.origin)
            title = title or meta.get("title")
            url = url or meta.get("url")
            published = published or _iso_date(meta.get("date"))
        article = Article(raw=raw, source_id=doc.source_id, url=url, outlet=doc.outlet, raw_format=doc.format,
                          origin=doc.origin, published=published)
        kept = self._drop_noise(text, article)
        self._headline(kept, title, article)
        kept = self._drop_repeats(kept, article)
        article.body = "\n".join(line for _, line, _ in kept)
        if not article.body.strip():
            raise InputError(doc.origin, "no article text is left after removing scrape noise")
        article.credits = _dedupe(article.credits + self._body_credits(article.body, _folded_body(kept)))
        article.outlet = article.outlet or outlet_from_url(url)
        article.sentences = [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(sentences(article.body))]
        article.language = langid.detect(article.body[:2000])
        return article

    def _extract_html(self, html: str, origin: str) -> tuple[str, dict]:
        import trafilatura

        try:
            doc = trafilatura.bare_extraction(
                html, favor_precision=True, with_metadata=True, include_comments=False,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except Exception as exc:  # lxml/trafilatura raise many types on broken markup
            raise InputError(origin, f"cannot parse HTML ({type(exc).__name__}: {exc})") from exc
        if doc is None:
            raise InputError(origin, "no article text found in the HTML (truncated, empty or not an article page)")
        meta = doc if isinstance(doc, dict) else doc.as_dict()
        text = meta.get("text") or ""
        if not text.strip():
            raise InputError(origin, "no article text found in the HTML")
        return text, meta

    def _drop_noise(self, text: str, article: Article) -> list[Line]:
        kept: list[Line] = []
        for lineno, line in enumerate(text.split("\n"), 1):
            line = line.strip()
            if not line:
                continue
            folded = fold(line)
            rule = self._noise_rule(line, folded, article)
            if rule:
                article.removed.append(Removed(lineno, line, rule))
            else:
                kept.append((lineno, line, folded))
        return kept

    def _noise_rule(self, line: str, folded: str, article: Article) -> str | None:
        for rule in self.rules.rules:
            m = rule.pattern.search(folded)
            if m:
                if "credit" in rule.pattern.groupindex and m.group("credit"):
                    credit = _original_span(line, m.span("credit"))
                    if credit and fold(credit) not in {"فائل", "file"}:
                        article.credits.append(credit)
                article.outlet = article.outlet or rule.outlet
                return rule.name
        if langid.is_latin_line(line) and len(WORD_RE.findall(line)) <= self.rules.latin_fragment_max_words:
            if any(p.fullmatch(folded.strip(" .:")) for _, p in self.rules.agencies):
                article.credits.append(line.strip(" .:"))
            return "latin_fragment"
        date = _date_only(folded) if may_hold_date(folded) else None
        if date:
            article.published = article.published or date
            return "date_line"
        return None

    def _headline(self, kept: list[Line], title: str | None, article: Article) -> None:
        if title:
            article.headline = display(title).strip()
            if kept and kept[0][2] == fold(article.headline):
                kept.pop(0)
            return
        if kept and _word_count(kept[0][1], MAX_HEADLINE_WORDS + 1) <= MAX_HEADLINE_WORDS:
            article.headline = kept.pop(0)[1]

    def _drop_repeats(self, kept: list[Line], article: Article) -> list[Line]:
        head = fold(article.headline or "")
        seen: set[str] = set()
        out = []
        for lineno, line, key in kept:
            if head and key == head:
                article.removed.append(Removed(lineno, line, "repeated_headline"))
            elif key in seen and len(key.split()) >= MIN_DUPLICATE_WORDS:
                article.removed.append(Removed(lineno, line, "duplicate_paragraph"))
            else:
                seen.add(key)
                out.append((lineno, line, key))
        return out

    def _body_credits(self, body: str, folded: str | None = None) -> list[str]:
        folded = fold(body) if folded is None else folded
        spans = [m.span() for (_, p), k in zip(self.rules.agencies, self.rules.agency_keys, strict=True)
                 if k in folded and (m := p.search(folded))]
        found = []
        if spans:
            _, index = fold_with_map(body)
            found = [(s, _span_text(body, index, (s, e))) for s, e in spans]
        # keep the longest match where surfaces overlap (اے پی inside اے پی پی)
        found.sort(key=lambda x: (x[0], -len(x[1])))
        out, last_end = [], -1
        for start, surface in found:
            if start >= last_end:
                out.append(surface)
                last_end = start + len(fold(surface))
        return out


def _folded_body(kept: list[Line]) -> str | None:
    """fold() of the body the kept lines make, from their folded keys (a line break folds to one
    space, and folding never joins across it); None when a line folds to nothing."""
    keys = [key for _, _, key in kept]
    return " ".join(keys) if all(keys) else None


def _word_count(line: str, cap: int) -> int:
    """The number of words in `line`, counted no further than `cap` (a body paragraph is long)."""
    return sum(1 for _ in islice(WORD_RE.finditer(line), cap))


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _dedupe(items: list[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        key = fold(item)
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out


def clean(doc: RawDoc) -> Article:
    """Clean one RawDoc with the packaged rules."""
    return Cleaner().clean(doc)
