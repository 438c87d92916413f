"""The order in which queued runs get training slots: fair across students.

Students take turns: the one with the fewest runs training goes first; between equals, the
one who was last given a slot longest ago (or never); each student's own runs keep the order
they were queued in. So one student's ten queued runs do not hold back another student's first.
"""

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar


class Queued(Protocol):
    client: str
    queued_at: float


T = TypeVar("T", bound=Queued)


def fair_order(queued: Sequence[T], training: Counter[str], granted: Mapping[str, float]) -> list[T]:
    """The queue in the order slots would be handed out if they all came free one by one.

    `training`: runs each student has training now; `granted`: when each was last given a slot."""
    mine: dict[str, list[T]] = defaultdict(list)
    for item in sorted(queued, key=lambda q: q.queued_at):
        mine[item.client].append(item)
    heap = [(training[c], granted.get(c, -math.inf), items[0].queued_at, c) for c, items in mine.items()]
    heapq.heapify(heap)
    order: list[T] = []
    turn = max(granted.values(), default=0.0)
    while heap:
        count, _, _, client = heapq.heappop(heap)
        items = mine[client]
        order.append(items.pop(0))
        turn += 1  # this student has just had a turn: after everyone who had theirs earlier
        if items:
            heapq.heappush(heap, (count + 1, turn, items[0].queued_at, client))
    return order
