"""Reader for COUNTER (COrpus of Urdu News TExt Reuse) XML documents, for evaluations and benchmarks.

Each `NNNN.xml` is an agency source and `NNNNp.xml` the newspaper article derived from (or written
independently about) it; both carry the pair's reuse label (WD, PD, ND). Sharjeel et al., LRE 51, 2017.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from akhbar.errors import InputError
from akhbar.ingest.readers import RawDoc
from akhbar.model import Article


@dataclass(slots=True)
class CounterDoc:
    """One COUNTER document: the article as a RawDoc plus its pair id, reuse label and domain."""

    doc: RawDoc
    pair: str  # NNNN, shared by source and newspaper article
    label: str  # WD, PD, ND
    domain: str
    is_source: bool


def _date(value: str | None) -> dt.date | None:
    """COUNTER writes dates as DD.MM.YY (2014); None when absent or malformed."""
    try:
        return dt.datetime.strptime(value or "", "%d.%m.%y").date()
    except ValueError:
        return None


def read_counter_file(path: Path) -> CounterDoc:
    """Parse one COUNTER XML file; InputError naming the file when it is not one."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError(str(path), f"not a readable COUNTER XML document ({exc})") from exc
    if root.tag.lower() != "counter_document":
        raise InputError(str(path), f"root element is <{root.tag}>, expected <COUNTER_document>")
    headline = (root.findtext("headline") or "").strip()
    body = (root.findtext("body") or "").strip()
    if not body:
        raise InputError(str(path), "the <body> element is empty")
    stem = path.stem
    raw = RawDoc(
        content=body, format="txt", source_id=stem, origin=str(path), title=headline or None,
        outlet=root.get("newspaper"), published=_date(root.get("newsdate")),
    )
    derived = stem.lower().endswith("p")  # one file of the corpus is spelt NNNNP.xml
    return CounterDoc(raw, stem[:-1] if derived else stem, root.get("classification", "").upper(),
                      root.get("domain", ""), not derived)


def counter_dir(path: str | Path) -> Path:
    """The folder of XML files: `path` itself or its `xml/` subfolder; InputError when neither has any."""
    p = Path(path)
    for cand in (p / "xml", p):
        if cand.is_dir() and any(cand.glob("*.xml")):
            return cand
    raise InputError(str(p), "no COUNTER XML files here (expected NNNN.xml / NNNNp.xml, or an xml/ folder)")


def read_counter(path: str | Path, limit: int | None = None) -> Iterator[CounterDoc]:
    """Yield the COUNTER documents under `path` in file-name order (at most `limit`)."""
    files = sorted(counter_dir(path).glob("*.xml"))
    for f in files[:limit] if limit else files:
        yield read_counter_file(f)


def to_article(raw: RawDoc) -> Article:
    """An Article from a RawDoc of clean text (COUNTER bodies need no cleaning): body = text."""
    return Article(raw=raw.content, body=raw.content, headline=raw.title, source_id=raw.source_id,
                   outlet=raw.outlet, published=raw.published, origin=raw.origin, language="ur")
