"""Graph models in a class: do graphs train as fast as stacks of the same size?

`python -m bench.graphs [--clients 30] [--seconds 20]` starts one server as the README does
(prewarmed), then lets a class of students start, within one second, in turn: the default
network as a stack, the very same network written as a graph (a chain of named nodes), and a
residual block (2 → 8 → 8, the two added, → 1). Every figure of the table comes from this one
run; the ratios are each row's against the stack's."""

import argparse
import statistics
from collections.abc import Callable
from typing import Any

from bench import setups
from bench.__main__ import wait_until_compiled
from bench.classroom import ClassResult, run_class, worst_median
from tests.server import Server

CASES: list[tuple[str, Callable[[int], dict[str, Any]]]] = [
    ("default as a stack", lambda i: setups.default()),
    ("default as a graph (a chain)", lambda i: setups.as_graph(setups.default())),
    ("residual block (a graph with a skip)", lambda i: setups.residual()),
]


def median_rate(result: ClassResult, start: float, stop: float) -> tuple[float, float]:
    eps = [r[0] for r in result.rates(start, stop)]
    return min(eps), statistics.median(eps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    env = {"PLAYGROUND_PREWARM": "true", "PLAYGROUND_MAX_TRAINING_RUNS": "256", "PLAYGROUND_MAX_QUEUED_RUNS": "256"}
    server = Server(env=env)
    try:
        wait_until_compiled(server, 600, probes=2)
        results = [
            (name, run_class(server.url, server.ws_url, spec, args.clients, args.seconds)) for name, spec in CASES
        ]
    finally:
        server.close()
    start = 3.0
    print(
        f"\n| a class of {args.clients}, {args.seconds:.0f} s each | first trained epoch, worst (median) "
        f"| epochs/s per student over s {start:.0f}–{args.seconds:.0f}, minimum (median) | median vs the stack |"
    )
    print("| --- | --- | --- | --- |")
    base = median_rate(results[0][1], start, args.seconds)[1]
    for name, result in results:
        low, mid = median_rate(result, start, args.seconds)
        print(
            f"| {name} | {worst_median(result.first_trained())} | {low:.0f} ({mid:.0f}) "
            f"| {mid / max(base, 1e-9):.2f}× |"
        )


if __name__ == "__main__":
    main()
