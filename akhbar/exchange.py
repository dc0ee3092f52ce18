"""Export and import the corpus (backups, moves between SQLite and PostgreSQL) without loss.

One record per article: every stored field including the raw input and the analyses
(sentences, mentions, events, quotes, summary). JSONL nests them; CSV and Parquet keep the
same columns with the nested lists as JSON text. Stories are corpus-level and are rebuilt
after import (`akhbar` re-runs the story stage), so story ids are exported but not restored.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from akhbar.errors import InputError
from akhbar.model import Article, Event, Mention, Quote, Removed, Sentence
from akhbar.store import Store

FORMATS = ("jsonl", "csv", "parquet")
SCALARS = ("content_hash", "source_id", "origin", "url", "outlet", "headline", "published", "language",
           "raw_format", "summary", "story_id", "raw", "body")
NESTED = ("credits", "removed", "sentences", "mentions", "events", "quotes")
COLUMNS = SCALARS + NESTED
PARQUET_BATCH = 500
IMPORT_BATCH = 200  # records stored per transaction on import


def to_record(a: Article) -> dict[str, Any]:
    """A JSON-ready dict of every stored field of `a` (sentences as [index, start, end])."""
    rec: dict[str, Any] = {k: getattr(a, k) for k in SCALARS if k != "content_hash"}
    rec["content_hash"] = a.content_hash
    rec["published"] = a.published.isoformat() if a.published else None
    rec["credits"] = list(a.credits)
    rec["removed"] = [[r.line, r.text, r.rule] for r in a.removed]
    rec["sentences"] = [[s.index, s.start, s.end] for s in a.sentences]
    rec["mentions"] = [asdict(m) for m in a.mentions]
    rec["events"] = [{**asdict(e), "date": e.date.isoformat() if e.date else None} for e in a.events]
    rec["quotes"] = [asdict(q) for q in a.quotes]
    return {k: rec[k] for k in COLUMNS}


def from_record(rec: dict[str, Any], where: str) -> Article:
    """The Article a record describes; InputError naming `where` when a field is wrong."""
    try:
        body = rec["body"]
        a = Article(
            raw=rec["raw"], body=body, headline=rec.get("headline"), source_id=rec.get("source_id"),
            url=rec.get("url"), outlet=rec.get("outlet"), language=rec.get("language"),
            published=dt.date.fromisoformat(rec["published"]) if rec.get("published") else None,
            raw_format=rec.get("raw_format") or "txt", origin=rec.get("origin"), summary=rec.get("summary"),
            credits=list(rec.get("credits") or []),
            removed=[Removed(*r) for r in rec.get("removed") or []],
            sentences=[Sentence(i, s, e, body[s:e]) for i, s, e in rec.get("sentences") or []],
            mentions=[Mention(**m) for m in rec.get("mentions") or []],
            events=[Event(**{**e, "date": dt.date.fromisoformat(e["date"]) if e.get("date") else None})
                    for e in rec.get("events") or []],
            quotes=[Quote(**q) for q in rec.get("quotes") or []],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(where, f"not an akhbar export record ({type(exc).__name__}: {exc})") from exc
    if not isinstance(a.raw, str) or not isinstance(body, str):
        raise InputError(where, "'raw' and 'body' must be text")
    return a


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    out = dict(rec)
    for k in NESTED:
        out[k] = json.dumps(rec[k], ensure_ascii=False)
    return out


def _unflat(row: dict[str, Any]) -> dict[str, Any]:
    rec = {k: (None if row.get(k) in ("", None) and k not in ("raw", "body") else row.get(k)) for k in SCALARS}
    for k in NESTED:
        rec[k] = json.loads(row[k]) if row.get(k) else []
    if rec.get("story_id") is not None:
        rec["story_id"] = int(rec["story_id"])
    return rec


def export(store: Store, fmt: str, out: Path | None = None) -> int:
    """Write every article of `store` to `out` (stdout for jsonl/csv when None); return the count."""
    if fmt not in FORMATS:
        raise InputError(str(out or "-"), f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    records = (to_record(a) for a in store.iter_articles(full=True))
    if fmt == "parquet":
        if out is None:
            raise InputError("-", "parquet export needs --out FILE (it cannot go to the terminal)")
        return _write_parquet(records, out)
    fh: IO[str] = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        return _write_jsonl(records, fh) if fmt == "jsonl" else _write_csv(records, fh)
    finally:
        if out:
            fh.close()


def _write_jsonl(records: Iterable[dict], fh: IO[str]) -> int:
    n = 0
    for rec in records:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(records: Iterable[dict], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(_flat(rec))
        n += 1
    return n


def _write_parquet(records: Iterable[dict], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, pa.int64() if k == "story_id" else pa.string()) for k in COLUMNS])
    n, batch = 0, []
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for rec in records:
            batch.append(_flat(rec))
            n += 1
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n


def read_records(path: Path) -> Iterator[tuple[dict[str, Any], str]]:
    """(record, where) pairs from an export file; the format comes from the file name."""
    name = path.name.lower()
    if not path.exists():
        raise InputError(str(path), "no such file")
    if name.endswith(".parquet"):
        yield from _read_parquet(path)
        return
    if name.endswith(".csv"):
        records = _read_csv(path)
    elif name.endswith((".jsonl", ".ndjson", ".json")):
        records = _read_jsonl(path)
    else:
        raise InputError(str(path), "unknown export format: name the file .jsonl, .csv or .parquet")
    try:
        yield from records
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start} of a block: {exc.reason}); exports are UTF-8") from exc


def _read_jsonl(path: Path) -> Iterator[tuple[dict, str]]:
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(str(path), f"invalid JSON ({exc.msg})", f"line {lineno}") from exc
                if not isinstance(rec, dict):
                    raise InputError(str(path), "each line must be a JSON object", f"line {lineno}")
                yield rec, f"{path}:line {lineno}"


def _read_csv(path: Path) -> Iterator[tuple[dict, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = set(COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise InputError(str(path), f"not an akhbar CSV export: missing columns {sorted(missing)}")
        for rowno, row in enumerate(reader, 2):
            try:
                yield _unflat(row), f"{path}:row {rowno}"
            except (ValueError, json.JSONDecodeError) as exc:
                raise InputError(str(path), f"bad value ({exc})", f"row {rowno}") from exc


def _read_parquet(path: Path) -> Iterator[tuple[dict, str]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(str(path), f"cannot read as Parquet ({exc})") from exc
    n = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            n += 1
            yield _unflat(row), f"{path}:row {n}"


def import_file(path: Path, store: Store) -> tuple[int, int]:
    """Add every article of an export file to `store`; return (added, already stored)."""
    added = existing = 0
    records = read_records(path)
    while True:
        batch = [from_record(rec, where) for rec, where in itertools.islice(records, IMPORT_BATCH)]
        if not batch:
            return added, existing
        for _, created in store.add_articles(batch):  # one transaction per batch
            added += created
            existing += not created


__all__ = ["FORMATS", "export", "import_file", "to_record", "from_record", "read_records"]
