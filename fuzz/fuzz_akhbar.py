"""Coverage-guided fuzzing (atheris / libFuzzer) of the text core and the readers, run on purpose.

    python fuzz/fuzz_akhbar.py TARGET [libFuzzer flags, e.g. -runs=100000 -max_len=4096 CORPUS_DIR]

TARGET is one of: text, dates, clean, html, warc, feed, jsonl, import. Each harness lets only
akhbar's typed errors (AkhbarError) escape and checks the invariants the hypothesis tests check;
any other exception or a broken invariant is a crash that libFuzzer saves as `crash-*`.
The test suite runs every target for a few thousand inputs (tests/test_fuzz.py).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["akhbar"]):
    from akhbar import exchange
    from akhbar.errors import AkhbarError
    from akhbar.ingest.clean import clean
    from akhbar.ingest.readers import RawDoc, read_file
    from akhbar.text.dates import find_absolute_dates, parse_date
    from akhbar.text.normalize import fold, fold_with_map
    from akhbar.text.split import sentences, tokens

# Scratch files for the reader harnesses: AKHBAR_FUZZ_DIR when the caller owns a directory (the
# test suite passes its tmp_path, so nothing is left behind), else a new temporary one.
_TMP = Path(os.environ.get("AKHBAR_FUZZ_DIR") or tempfile.mkdtemp(prefix="akhbar-fuzz-"))


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def fuzz_text(data: bytes) -> None:
    s = _text(data)
    key, index = fold_with_map(s)
    assert key == fold(s) and len(index) == len(key), "fold and fold_with_map disagree"
    assert index == sorted(index), "offset map goes backwards"
    spans = sentences(s)
    assert all(s[x.start : x.end] == x.text for x in spans), "a sentence span does not cut its text"
    tokens(s)


def fuzz_dates(data: bytes) -> None:
    s = _text(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = parse_date(s, base=dt.date(2021, 1, 1))
        assert found is None or isinstance(found, dt.date)
        assert all(isinstance(d, dt.date) for d in find_absolute_dates(s))


def fuzz_clean(data: bytes) -> None:
    s = _text(data)
    for fmt, content in (("txt", s), ("html", f"<html><body><p>{s}</p></body></html>")):
        try:
            clean(RawDoc(content, fmt, "fuzz", "fuzz"))
        except AkhbarError:
            pass


def _reader(ext: str):
    def harness(data: bytes) -> None:
        path = _TMP / f"input{ext}"
        path.write_bytes(data)
        try:
            docs = list(read_file(path))
        except AkhbarError:
            return
        assert all(isinstance(d.content, str) and "\0" not in d.content for d in docs)

    return harness


def fuzz_import(data: bytes) -> None:
    path = _TMP / "dump.jsonl"
    path.write_bytes(data)
    try:
        for rec, where in exchange.read_records(path):
            exchange.from_record(rec, where)
    except AkhbarError:
        pass


TARGETS = {
    "text": fuzz_text, "dates": fuzz_dates, "clean": fuzz_clean, "html": _reader(".html"),
    "warc": _reader(".warc"), "feed": _reader(".rss"), "jsonl": _reader(".jsonl"), "import": fuzz_import,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: fuzz_akhbar.py TARGET [libFuzzer flags]; TARGET is one of {', '.join(TARGETS)}")
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
