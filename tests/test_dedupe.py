"""Near-duplicates: re-scraped copies are found, different articles never are."""

from __future__ import annotations

import itertools
import random

from akhbar.stories.config import params
from akhbar.stories.dedupe import Deduper, containment, pack, signature, unpack
from akhbar.stories.features import shingles
from akhbar.text.split import sentences


def _rescrape(text: str, seed: int) -> str:
    """The same article scraped again: other noise lines around it, one sentence changed."""
    rng = random.Random(seed)
    spans = sentences(text)
    victim = spans[rng.randrange(len(spans) // 2, len(spans))]
    changed = text[: victim.start] + "اس بارے میں مزید تفصیلات بعد میں جاری کی جائیں گی۔" + text[victim.end :]
    return "ہوم پیج\nتازہ ترین خبریں\n" + changed + "\nہمیں فیس بک پر فالو کریں\nجملہ حقوق محفوظ ہیں"


def _seeds(seeds_dir):
    return [p.read_text("utf-8") for p in sorted(seeds_dir.glob("*.txt"))]


def test_rescraped_seed_is_a_near_duplicate(seeds_dir):
    for i, text in enumerate(_seeds(seeds_dir)):
        d = Deduper()
        d.add(1, text)
        assert d.add(2, _rescrape(text, i)) == [1], f"seed {i}: copy not found (J={d.similarity(1, 2):.2f})"
        assert d.representative(2) == 1


def test_different_seeds_are_never_near_duplicates(seeds_dir):
    d = Deduper()
    for i, text in enumerate(_seeds(seeds_dir)):
        assert d.add(i, text) == []
    assert d.groups() == {}
    for a, b in itertools.combinations(range(5), 2):
        assert d.similarity(a, b) < d.threshold


def test_truncated_copy_is_found_by_containment(seeds_dir):
    # a re-scrape cut short (paywall, broken page) resembles its source little but is contained in it
    for i, text in enumerate(_seeds(seeds_dir)):
        cut = text[: int(len(text) * (0.4 + 0.05 * (i % 2)))]
        d = Deduper()
        d.add(1, text)
        assert d.add(2, cut) == [1], f"seed {i}: J={d.similarity(1, 2):.2f} C={d.contained(1, 2):.2f}"
        assert d.similarity(1, 2) < d.threshold <= d.containment <= d.contained(1, 2)


def test_containment_estimate_tracks_the_exact_share(seeds_dir):
    a, b = _seeds(seeds_dir)[:2]
    half = a[: len(a) // 2]
    for x, y in ((a, half), (a, b)):
        exact = len(shingles(x) & shingles(y)) / min(len(shingles(x)), len(shingles(y)))
        est = containment(signature(x, 256, 3), signature(y, 256, 3))
        assert abs(est - exact) < 0.1, (est, exact)


def test_groups_are_transitive_and_represented_by_the_first(seeds_dir):
    text = _seeds(seeds_dir)[0]
    d = Deduper()
    for key in (5, 9, 12):
        d.add(key, _rescrape(text, key))
    assert d.groups() == {5: [5, 9, 12]}


def test_signature_round_trips_through_bytes():
    sig = signature("شام کے مسئلے پر روس اور امریکہ میں مذاکرات ہوئے ہیں", 64, 3)
    back = unpack(pack(sig))
    assert back.jaccard(sig) == 1.0 and len(back.hashvalues) == 64
    assert back.size == sig.size == 9  # eleven words: nine 3-grams
    assert unpack(pack(sig)[:-4]).size == 0  # rows stored before the shingle count: count unknown


def test_spelling_variants_hash_alike():
    # Arabic yeh/kaf and harakat fold to the Urdu letters before shingling
    a = signature("پاکستان کی ٹیم نے میچ جیت لیا اور کپتان نے کہا کہ یہ بڑی کامیابی ہے", 128, 3)
    b = signature("پاكستان كي ٹیم نے میچ جیت لیا اور کپتان نے کہا کہ یہ بڑی کامیابی ہے", 128, 3)
    assert a.jaccard(b) == 1.0


def test_params_file_is_consistent():
    p = params()["dedupe"]
    assert 0 < p["lsh_threshold"] <= p["threshold"] < p["containment"] <= 1
    assert p["shingle_words"] >= 1 and p["num_perm"] >= 16


def test_counter_reader_yields_labelled_pairs():
    from conftest import need_shared

    from akhbar.ingest.counter import read_counter

    docs = list(read_counter(need_shared("data", "counter"), limit=40))
    assert len(docs) == 40
    assert {d.label for d in docs} <= {"WD", "PD", "ND"}
    by_pair: dict[str, list] = {}
    for d in docs:
        by_pair.setdefault(d.pair, []).append(d)
    assert any(len(m) == 2 and m[0].is_source != m[1].is_source for m in by_pair.values())
    assert all(d.doc.content and d.doc.source_id for d in docs)


def test_counter_independent_pairs_are_not_flagged():
    from conftest import need_shared

    from akhbar.ingest.counter import read_counter

    docs = list(read_counter(need_shared("data", "counter"), limit=300))
    d = Deduper()
    for i, doc in enumerate(docs):
        d.add(i, f"{doc.doc.title}\n{doc.doc.content}")
    pairs: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        pairs.setdefault(doc.pair, []).append(i)
    nd = [m for m in pairs.values() if len(m) == 2 and docs[m[0]].label == "ND"]
    assert nd and all(d.representative(a) != d.representative(b) for a, b in nd)


def test_unreadable_counter_file_names_the_file(tmp_path):
    import pytest

    from akhbar.errors import InputError
    from akhbar.ingest.counter import read_counter_file

    bad = tmp_path / "0001.xml"
    bad.write_text("<html>not counter</html>", "utf-8")
    with pytest.raises(InputError, match="0001.xml"):
        read_counter_file(bad)


def test_dedupe_command_lists_groups_with_source_ids(tmp_path, seeds_dir):
    import json

    from typer.testing import CliRunner

    import akhbar.stories as stories
    from akhbar.cli import app
    from akhbar.model import Article
    from akhbar.store import open_store

    db = str(tmp_path / "d.db")
    text = _seeds(seeds_dir)[0]
    with open_store(db) as s:
        ids = [s.add_article(Article(raw=t, body=t, source_id=f"copy{i}"))[0]
               for i, t in enumerate([text, _rescrape(text, 1), _seeds(seeds_dir)[1]])]
        stories.update(s, ids)
    res = CliRunner().invoke(app, ["dedupe", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    groups = json.loads(res.output)["groups"]
    assert [[m["source_id"] for m in g["members"]] for g in groups] == [["copy0", "copy1"]]


def test_signatures_from_another_num_perm_are_rehashed(tmp_path, seeds_dir):
    import akhbar.stories as stories
    from akhbar.model import Article
    from akhbar.store import open_store

    text = _seeds(seeds_dir)[0]
    with open_store(str(tmp_path / "r.db")) as s:
        first = s.add_article(Article(raw=text, body=text, source_id="a"))[0]
        stories.update(s, [first])
        s.put_blobs(stories.SIG_KIND, {str(first): pack(signature(text, 64, 3))})  # as if num_perm was 64
        copy = s.add_article(Article(raw=_rescrape(text, 3), body=_rescrape(text, 3), source_id="b"))[0]
        stories.update(s, [copy])
        assert len(unpack(s.get_blobs(stories.SIG_KIND)[str(first)]).hashvalues) == params()["dedupe"]["num_perm"]
        assert stories.duplicate_groups(s) == {first: [first, copy]}
