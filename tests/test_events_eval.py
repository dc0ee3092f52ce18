"""The event scorer follows the gold README's rules."""

from __future__ import annotations

from akhbar.evaluate.events import EventScore, score_article, system_triples, triple
from akhbar.model import Event


def test_symmetric_types_are_unordered_pairs():
    assert triple("USA", "CONSULT", "RUS") == triple("RUS", "CONSULT", "USA")
    assert triple("USA", "ACCUSE", "RUS") != triple("RUS", "ACCUSE", "USA")


def test_optional_gold_is_neither_rewarded_nor_penalised():
    gold = [
        {"source": "USA", "type": "CONSULT", "target": "RUS", "required": True},
        {"source": "RUS", "type": "REJECT", "target": "USA", "required": False},
    ]
    score = EventScore()
    found = {triple("RUS", "CONSULT", "USA"), triple("RUS", "REJECT", "USA")}
    score_article("d", gold, found, score)
    assert (score.total.tp, score.total.fp, score.total.fn) == (1, 0, 0)


def test_wrong_direction_of_an_accusation_is_an_error():
    gold = [{"source": "USA", "type": "ACCUSE", "target": "RUS"}]
    score = EventScore()
    score_article("d", gold, {triple("RUS", "ACCUSE", "USA")}, score)
    assert (score.total.tp, score.total.fp, score.total.fn) == (0, 1, 1)


def test_negated_and_targetless_events_are_not_triples():
    events = [
        Event("ASSAULT", "ISR", "SYR", 0, "x", mode="negated", negated=True),
        Event("REJECT", "CHN", "IND", 0, "x", negated=True),
        Event("CONSULT", "JPN", None, 0, "x"),
    ]
    assert system_triples(events) == {("CHN", "REJECT", "IND")}
