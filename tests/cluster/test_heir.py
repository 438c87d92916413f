"""Who takes over the runs of a node that died, in-process (no cluster): every web process that
sees the same live nodes names the same trainer for a run, whatever order it lists them in, and
a dead node's runs spread over the others."""

import random
from collections import Counter

from app.cluster.remote import heir_of


def test_every_web_process_names_the_same_heir_and_runs_spread() -> None:
    nodes = [f"{n:056x}" for n in (7, 3, 11)]
    runs = [f"{random.Random(i).getrandbits(128):032x}" for i in range(600)]
    heirs = [heir_of(run_id, nodes) for run_id in runs]
    for order in (nodes[::-1], sorted(nodes), [nodes[1], nodes[2], nodes[0]]):
        assert [heir_of(run_id, order) for run_id in runs] == heirs  # another process's listing
    assert set(heirs) == set(nodes)
    assert min(Counter(heirs).values()) > 150  # about 200 each
    assert {heir_of(run_id, nodes[:1]) for run_id in runs} == {nodes[0]}
