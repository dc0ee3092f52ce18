"""Export/import round-trips every stored field, in every format, between backends."""

from __future__ import annotations

import pytest

from akhbar import exchange
from akhbar.errors import InputError
from akhbar.store import open_store
from tests import pgcluster
from tests.articles import make_article


def _records(store) -> list[dict]:
    return sorted((exchange.to_record(a) for a in store.iter_articles()), key=lambda r: r["content_hash"])


@pytest.fixture
def filled(tmp_path):
    s = open_store(str(tmp_path / "src.db"))
    for i in range(7):
        s.add_article(make_article(i, url=i % 2 == 0))
    odd = make_article(99, body='سطر "اقتباس"، کاما,\nنئی سطر\tٹیب اور \\ بیک سلیش۔')
    odd.headline, odd.published, odd.events = None, None, []
    s.add_article(odd)
    yield s
    s.close()


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_round_trip_is_lossless(filled, tmp_path, fmt):
    out = tmp_path / f"dump.{fmt}"
    assert exchange.export(filled, fmt, out) == 8
    with open_store(str(tmp_path / f"dst-{fmt}.db")) as dst:
        assert exchange.import_file(out, dst) == (8, 0)
        assert _records(dst) == _records(filled)
        assert exchange.import_file(out, dst) == (0, 8)  # importing twice adds nothing


def test_sqlite_to_postgres_move(filled, tmp_path):
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(reason)
    out = tmp_path / "dump.jsonl"
    exchange.export(filled, "jsonl", out)
    with open_store(pgcluster.fresh_database()) as pg:
        exchange.import_file(out, pg)
        assert _records(pg) == _records(filled)


def test_bad_files_are_named(tmp_path, filled):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"raw": "x"}\nnot json\n', encoding="utf-8")
    with open_store(str(tmp_path / "x.db")) as dst, pytest.raises(InputError, match="broken.jsonl:line 1"):
        exchange.import_file(bad, dst)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'\x93\x87{"raw": "x"}\n')  # found by the atheris harness (fuzz/)
    with open_store(str(tmp_path / "x.db")) as dst, pytest.raises(InputError, match="latin.jsonl: not UTF-8"):
        exchange.import_file(latin, dst)
    with pytest.raises(InputError, match="--out"):
        exchange.export(filled, "parquet", None)
    with pytest.raises(InputError, match="unknown export format"):
        exchange.export(filled, "xml", tmp_path / "a.xml")


def test_export_and_import_commands(filled, tmp_path):
    from typer.testing import CliRunner

    from akhbar.cli import app

    runner = CliRunner()
    out = tmp_path / "cli.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(out), "--db", filled.url])
    assert result.exit_code == 0 and "exported=8" in result.output
    dst = str(tmp_path / "cli-dst.db")
    result = runner.invoke(app, ["import", str(out), "--db", dst])
    assert result.exit_code == 0 and "added=8 existing=0" in result.output
    with open_store(dst) as s:
        assert _records(s) == _records(filled)
