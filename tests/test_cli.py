"""The CLI end to end on the seeds: demo, ingest, search, eval clean, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from akhbar.cli import app
from tests.conftest import ROOT, need_shared

runner = CliRunner()


def test_demo_ingests_the_bundled_corpus(tmp_path):
    db = str(tmp_path / "demo.db")
    result = runner.invoke(app, ["demo", "--db", db])
    assert result.exit_code == 0, result.output
    assert "5 added" in result.output
    again = runner.invoke(app, ["demo", "--db", db])
    assert "0 added, 5 already stored" in " ".join(again.output.split())


def test_articles_json_lists_source_ids(tmp_path, seeds_dir):
    db = str(tmp_path / "a.db")
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", db])
    result = runner.invoke(app, ["articles", "--db", db, "--json"])
    ids = {row["source_id"] for row in json.loads(result.output)}
    assert ids == {p.stem for p in seeds_dir.glob("*.txt")}


def test_search_json_has_highlights_in_original(tmp_path, seeds_dir):
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", db])
    result = runner.invoke(app, ["search", "شام", "--db", db, "--json"])
    data = json.loads(result.output)
    assert data["total"] >= 2
    snippet = data["hits"][0]["snippets"][0]
    assert all(snippet["text"][s:e] for s, e in snippet["highlights"])


def test_eval_clean_prints_figures_last(tmp_path, seeds_dir):
    gold = need_shared("gold", "seeds")
    db = str(tmp_path / "e.db")
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", db])
    result = runner.invoke(app, ["eval", "clean", "--gold", str(gold), "--db", db])
    last = result.output.strip().splitlines()[-1]
    figures = dict(kv.split("=") for kv in last.split())
    assert set(figures) == {"boilerplate_recall", "body_lines_lost", "headline_acc", "date_acc"}
    assert float(figures["boilerplate_recall"]) == 1.0 and figures["body_lines_lost"] == "0"
    assert float(figures["headline_acc"]) == 1.0 and float(figures["date_acc"]) == 1.0


def test_user_errors_exit_nonzero_without_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    proc = subprocess.run(
        [sys.executable, "-m", "akhbar", "ingest", str(bad), "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "bad.txt" in proc.stderr and "binary" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "akhbar", "article", "nope", "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1 and "no article" in proc.stderr and "Traceback" not in proc.stderr


def test_reanalyse_keeps_articles_and_rewrites_analysis(tmp_path, seeds_dir):
    db = str(tmp_path / "r.db")
    runner.invoke(app, ["ingest", str(seeds_dir), "--db", db])
    from akhbar.store import open_store

    with open_store(db) as store:
        before = [(a.id, len(store.get_article(a.id).mentions)) for a in store.list_articles()]
    result = runner.invoke(app, ["reanalyse", "--db", db])
    assert result.exit_code == 0 and "re-analysed 5" in result.output
    with open_store(db) as store:
        after = [(a.id, len(store.get_article(a.id).mentions)) for a in store.list_articles()]
    assert after == before
