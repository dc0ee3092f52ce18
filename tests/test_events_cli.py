"""The event commands end to end on the seeds: listing, CSV/JSON export, timeline, evals."""

from __future__ import annotations

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from akhbar.cli import app
from akhbar.events.timeline import COLUMNS
from tests.conftest import need_shared

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory):
    from tests.conftest import SEEDS

    db = str(tmp_path_factory.mktemp("ev") / "seeds.db")
    result = runner.invoke(app, ["ingest", str(SEEDS), "--db", db])
    assert result.exit_code == 0, result.output
    return db


def _figures(output: str) -> dict[str, float]:
    last = output.strip().splitlines()[-1]
    return {k: float(v) for k, v in (part.split("=") for part in last.split())}


def test_events_json_rows_are_flat_and_between_the_pair(seeded_db):
    result = runner.invoke(app, ["events", "--actors", "USA,RUS", "--json", "--db", seeded_db])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and set(rows[0]) == set(COLUMNS)
    assert all({r["actor1"], r["actor2"]} == {"USA", "RUS"} for r in rows)


def test_events_csv_export_has_the_header(seeded_db, tmp_path):
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["events", "--type", "CONSULT", "--csv", str(out), "--db", seeded_db])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["event_type"] == "CONSULT" for r in rows)


def test_events_rejects_a_bad_actor_pair(seeded_db):
    result = runner.invoke(app, ["events", "--actors", "USA", "--db", seeded_db])
    assert result.exit_code != 0


def test_timeline_draws_a_png(seeded_db, tmp_path):
    out = tmp_path / "t.png"
    result = runner.invoke(app, ["timeline", "USA", "RUS", "--plot", str(out), "--db", seeded_db])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_events_prints_figures_last(seeded_db):
    gold = need_shared("gold", "seeds")
    result = runner.invoke(app, ["eval", "events", "--gold", str(gold), "--db", seeded_db])
    assert result.exit_code == 0, result.output
    figures = _figures(result.output)
    assert set(figures) == {"precision", "recall", "f1"}
    assert figures["f1"] >= 0.7
    assert "confusion" in result.output


def test_eval_quotes_speaker_accuracy(seeded_db):
    gold = need_shared("gold", "seeds")
    result = runner.invoke(app, ["eval", "quotes", "--gold", str(gold), "--db", seeded_db])
    assert result.exit_code == 0, result.output
    figures = _figures(result.output)
    assert set(figures) == {"precision", "recall", "f1"}
    accuracy = re.search(r"speaker_accuracy=([\d.]+)", result.output)
    assert accuracy and float(accuracy.group(1)) >= 0.9
