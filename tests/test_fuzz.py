"""Hostile input: the text core and every reader fail only with akhbar's typed errors; SQL is inert."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akhbar import exchange
from akhbar.errors import AkhbarError, QueryError
from akhbar.ingest.clean import clean
from akhbar.ingest.readers import RawDoc, read_file
from akhbar.store import ArticleFilter, EventFilter, open_store
from akhbar.text.dates import find_absolute_dates, parse_date
from akhbar.text.normalize import fold, fold_with_map
from akhbar.text.split import sentences, tokens
from tests import pgcluster
from tests.articles import make_article

# Urdu and Arabic letters, harakat, joiners, bidi marks, digits of three scripts, presentation
# forms, punctuation, markup and control characters: the characters that break text code.
HOSTILE = (
    "ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےئۓۂۃيىكهةأإٱ"
    "\u064b\u064c\u064e\u0650\u0651\u0652\u0654\u0670\u0640\u200c\u200d\u200e\u200f\u202a\u202e\u2066\ufeff"
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\ufb56\ufe8d\ufefb"
    "۔؟،؛!?.,:;\"'«»“”()[] \n\t\r<>/&=-*%_\\\x00\x0b\x1f"
)
text = st.text(alphabet=HOSTILE, max_size=300) | st.text(max_size=200)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
INJECTIONS = [
    "'; DROP TABLE articles; --", '" OR 1=1 --', "روس') OR ('1'='1", "*", "NEAR(a b)", "a OR b", "-روس",
    "\\'; SELECT pg_sleep(5); --", "روس & !امریکہ | شام:*", "روس <-> امریکہ", "col:روس", "^روس",
    "%' UNION SELECT raw FROM articles --", "\x00", "روس\"", '"""', "((((", "1; DELETE FROM mentions",
]


@FAST
@given(text)
def test_fold_keeps_an_offset_for_every_character(s):
    key, index = fold_with_map(s)
    assert key == fold(s) and len(index) == len(key)
    assert all(0 <= i < max(len(s), 1) for i in index) and index == sorted(index)


@FAST
@given(text)
def test_sentences_are_ordered_spans_of_the_text(s):
    spans = sentences(s)
    assert all(s[x.start:x.end] == x.text and x.text.strip() for x in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    tokens(s)


@settings(max_examples=60, deadline=None)
@given(text)
def test_date_parsing_never_crashes(s):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = parse_date(s, base=dt.date(2021, 1, 1))
        assert found is None or isinstance(found, dt.date)
        assert all(isinstance(d, dt.date) for d in find_absolute_dates(s))


@settings(max_examples=60, deadline=None)
@given(text, st.sampled_from(["txt", "html"]))
def test_cleaning_raises_only_typed_errors(s, fmt):
    content = f"<html><body><p>{s}</p></body></html>" if fmt == "html" else s
    try:
        article = clean(RawDoc(content, fmt, "fuzz", "fuzz"))
    except AkhbarError:
        return
    assert isinstance(article.body, str)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600) | text.map(lambda t: t.encode("utf-8")),
       st.sampled_from([".html", ".txt", ".jsonl", ".xml", ".warc", ".warc.gz", ".rss"]))
def test_readers_raise_only_typed_errors(tmp_path, data, ext):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(data)
    try:
        docs = list(read_file(path))
    except AkhbarError:
        return
    assert all(isinstance(d.content, str) for d in docs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | text.map(lambda t: t.encode("utf-8")), st.sampled_from([".jsonl", ".csv"]))
def test_import_reader_raises_only_typed_errors(tmp_path, data, ext):
    path = tmp_path / f"dump{ext}"
    path.write_bytes(data)
    try:
        for rec, where in exchange.read_records(path):
            exchange.from_record(rec, where)
    except AkhbarError:
        return


@pytest.fixture(params=["sqlite", "postgres"])
def filled(request, tmp_path):
    if request.param == "sqlite":
        url = str(tmp_path / "inj.db")
    else:
        reason = pgcluster.unavailable_reason()
        if reason:
            pytest.skip(reason)
        url = pgcluster.fresh_database()
    s = open_store(url)
    for i in range(5):
        s.add_article(make_article(i))
    yield s
    s.close()


@pytest.mark.parametrize("attack", INJECTIONS)
def test_sql_injection_through_search_and_filters_is_inert(filled, attack):
    try:
        page = filled.search(attack)
        assert page.total <= 5
    except QueryError:
        pass
    for filt in (ArticleFilter(outlet=attack), ArticleFilter(source_id=attack), ArticleFilter(entity=attack)):
        try:  # either nothing matches, or a clear QueryError (PostgreSQL refuses NUL characters)
            assert filled.list_articles(filt) == [] and filled.count_articles(filt) == 0
            assert filled.search("روس", filt).total == 0
        except QueryError:
            pass
    try:
        assert filled.list_events(EventFilter(actor=attack, type=attack)) == []
        assert filled.list_quotes(speaker=attack) == []
    except QueryError:
        pass
    assert filled.count_articles() == 5 and filled.search("روس").total >= 1


ATHERIS_RUNS = {"text": 3000, "dates": 1500, "clean": 300, "html": 1500, "warc": 1500, "feed": 1500,
                "jsonl": 3000, "import": 3000}


@pytest.mark.parametrize("target", sorted(ATHERIS_RUNS))
def test_coverage_guided_fuzzing_finds_no_crash(target, tmp_path):
    """A short libFuzzer run of each harness in fuzz/ (longer runs are for `python fuzz/fuzz_akhbar.py`)."""
    pytest.importorskip("atheris", reason="atheris is not installed (pip install -e '.[test]')")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(root / "fuzz" / "fuzz_akhbar.py"), target, f"-runs={ATHERIS_RUNS[target]}",
         "-max_len=2048", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "AKHBAR_FUZZ_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
