"""The queue's order on its own: students take turns, each student's runs keep their order."""

from collections import Counter
from dataclasses import dataclass

from app.runs.queue import fair_order


@dataclass
class Waiting:
    client: str
    queued_at: float
    name: str


def test_students_take_turns() -> None:
    queue = [Waiting("a", t, f"a{t}") for t in range(10)] + [Waiting("b", 20, "b"), Waiting("c", 30, "c")]
    order = [w.name for w in fair_order(queue, Counter(), {})]
    assert order[:6] == ["a0", "b", "c", "a1", "a2", "a3"]


def test_who_trains_now_and_who_had_the_last_slot_wait() -> None:
    queue = [Waiting("a", 1, "a1"), Waiting("a", 2, "a2"), Waiting("b", 3, "b1")]
    assert [w.name for w in fair_order(queue, Counter({"a": 1}), {"a": 5.0})] == ["b1", "a1", "a2"]
    # equal counts: whoever was given a slot longest ago (or never) goes first
    assert [w.name for w in fair_order(queue, Counter(), {"a": 5.0})] == ["b1", "a1", "a2"]
    assert [w.name for w in fair_order(queue, Counter(), {"a": 5.0, "b": 6.0})] == ["a1", "b1", "a2"]
