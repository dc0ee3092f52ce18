"""The story commands as an analyst uses them: whole threads, readable story pages, named groups, bad options."""

from __future__ import annotations

import json

import pytest
from test_stories import _add_seeds
from typer.testing import CliRunner

import akhbar.stories as stories
from akhbar.cli import app
from akhbar.store import open_store


@pytest.fixture
def seeded_db(tmp_path, seeds_dir) -> str:
    db = str(tmp_path / "stories.db")
    with open_store(db) as s:
        ids = _add_seeds(s, seeds_dir)
        stories.update(s, list(ids.values()))
    return db


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _json(*args: str) -> dict:
    res = _run(*args)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_a_thread_lists_all_its_stories_even_those_the_listing_leaves_out(seeded_db):
    listed = _json("stories", "--db", seeded_db, "--json", "--limit", "1")
    assert len(listed["stories"]) == 1
    with open_store(seeded_db) as s:
        every = s.list_stories(limit=100)
    expected = {t: sorted(x.id for x in every if x.thread_id == t) for t in {x.thread_id for x in every}}
    for thread in listed["threads"]:
        assert sorted(thread["stories"]) == expected[thread["id"]]
        assert len(thread["stories"]) > 1  # the seeds' 2015 talks return in later years


def test_story_shows_its_thread_and_named_entities(seeded_db):
    first = _json("stories", "--db", seeded_db, "--json", "--order", "largest")["stories"][0]
    data = _json("story", str(first["id"]), "--db", seeded_db, "--json")
    assert first["id"] in [t["id"] for t in data["thread"]]
    assert data["entity_counts"] == sorted(data["entity_counts"], key=lambda e: -e["count"])
    assert {e["id"] for e in data["entity_counts"]} == set(data["entities"])
    text = _run("story", str(first["id"]), "--db", seeded_db).output
    assert f"thread {first['thread_id']}" in text and "None" not in text
    assert "summary" in text and "articles" in text


def test_story_summary_length_follows_sentences(seeded_db):
    first = _json("stories", "--db", seeded_db, "--json")["stories"][0]
    assert len(_json("story", str(first["id"]), "--db", seeded_db, "--json", "--sentences", "2")["summary"]) == 2


@pytest.mark.parametrize("args, message", [
    (["story", "99999"], "no story with id 99999"),
    (["stories", "--order", "oldest"], "unknown story order"),
    (["stories", "--limit", "0"], "--limit"),
    (["story", "1", "--sentences", "0"], "--sentences"),
])
def test_bad_input_is_named_and_exits_non_zero(seeded_db, args, message):
    res = _run(*args, "--db", seeded_db)
    assert res.exit_code != 0
    said = res.output + str(res.exception or "")  # AkhbarError: main() prints it without a traceback
    assert message in said


def test_dedupe_names_each_group_by_its_representative_with_members_origins(tmp_path, seeds_dir):
    db = str(tmp_path / "dup.db")
    with open_store(db) as s:
        ids = _add_seeds(s, seeds_dir, {"000", "001"})
        text = (seeds_dir / "000_2530926eb765f2f0.txt").read_text("utf-8")
        from akhbar.model import Article

        copy = Article(raw=text + "\nمزید پڑھیں", body=text + "\nمزید پڑھیں", source_id="copy-of-000", origin="rescrape.txt")
        stories.update(s, [*ids.values(), s.add_article(copy)[0]])
    groups = _json("dedupe", "--db", db, "--json")["groups"]
    assert [sorted(m["source_id"] for m in g["members"]) for g in groups] == [["000_2530926eb765f2f0", "copy-of-000"]]
    assert {m["origin"] for m in groups[0]["members"]} >= {"rescrape.txt"}
    out = _run("dedupe", "--db", db).output
    assert out.splitlines()[0].startswith("000_2530926eb765f2f0") and "= copy-of-000" in out
