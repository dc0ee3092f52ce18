"""Near-duplicates: re-scraped copies are found, different articles never are."""

from __future__ import annotations

import itertools
import random

from akhbar.stories.config import params
from akhbar.stories.dedupe import Deduper, pack, signature, unpack
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


def test_spelling_variants_hash_alike():
    # Arabic yeh/kaf and harakat fold to the Urdu letters before shingling
    a = signature("پاکستان کی ٹیم نے میچ جیت لیا اور کپتان نے کہا کہ یہ بڑی کامیابی ہے", 128, 3)
    b = signature("پاكستان كي ٹیم نے میچ جیت لیا اور کپتان نے کہا کہ یہ بڑی کامیابی ہے", 128, 3)
    assert a.jaccard(b) == 1.0


def test_params_file_is_consistent():
    p = params()["dedupe"]
    assert 0 < p["lsh_threshold"] <= p["threshold"] < 1
    assert p["shingle_words"] >= 1 and p["num_perm"] >= 16
