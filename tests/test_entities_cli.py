"""The entities commands end to end on the ingested seeds."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from akhbar.cli import app
from tests.conftest import need_shared

runner = CliRunner()


def _ingest(seeds_dir, tmp_path) -> str:
    db = str(tmp_path / "seeds.db")
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def test_eval_entities_prints_scores_on_its_last_line(seeds_dir, tmp_path):
    gold = need_shared("gold", "seeds")
    db = _ingest(seeds_dir, tmp_path)
    result = runner.invoke(app, ["eval", "entities", "--gold", str(gold), "--db", db])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    m = re.fullmatch(r"precision=([\d.]+) recall=([\d.]+) f1=([\d.]+)", last)
    assert m and float(m.group(3)) >= 0.9


def test_entities_lists_spellings_seen_for_putin(seeds_dir, tmp_path):
    db = _ingest(seeds_dir, tmp_path)
    result = runner.invoke(app, ["entities", "--db", db, "--json", "--type", "PER"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert {"پوتن", "پوٹن"} <= set(rows["Vladimir Putin"]["surfaces"])
    assert all(r["type"] == "PER" for r in rows.values())


def test_search_by_entity_finds_every_spelling(seeds_dir, tmp_path):
    db = _ingest(seeds_dir, tmp_path)
    result = runner.invoke(app, ["search", "--entity", "پیوٹن", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    found = {h["source_id"] for h in json.loads(result.output)["hits"]}
    assert found == {"002_7c23f45005b002c5", "003_6aa83e8293d70fa7", "004_493c6da13c231011"}
