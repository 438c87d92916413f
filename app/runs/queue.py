"""The order in which queued runs get training slots: fair across students.

Students take turns: the one with the fewest runs training goes first (ties: whoever's next
run has waited longest), and each student's own runs keep the order they were queued in. So
one student's ten queued runs do not hold back another student's first.
"""

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Queued(Protocol):
    client: str
    queued_at: float


T = TypeVar("T", bound=Queued)


def fair_order(queued: Sequence[T], training: Counter[str]) -> list[T]:
    """The queue in the order slots would be handed out if they all came free one by one."""
    mine: dict[str, list[T]] = defaultdict(list)
    for item in sorted(queued, key=lambda q: q.queued_at):
        mine[item.client].append(item)
    heap = [(training[client], items[0].queued_at, client) for client, items in mine.items()]
    heapq.heapify(heap)
    order: list[T] = []
    while heap:
        count, _, client = heapq.heappop(heap)
        items = mine[client]
        order.append(items.pop(0))
        if items:
            heapq.heappush(heap, (count + 1, items[0].queued_at, client))
    return order
