"""Graph models in a class: do graphs train as fast as stacks of the same size?

`python -m bench.graphs [--clients 30] [--seconds 20]` starts one server as the README does
(prewarmed), then lets a class of students start, within one second, in turn: the default
network as a stack, the very same network written as a graph (a chain of named nodes), a
residual block (2 → 8 → 8, the two added, → 1) that nobody has trained yet, thirty different
residual graphs inside TensorFlow Playground's envelope (and thirty different stacks to compare
them with), and one student alone with a new residual graph. Every figure of the tables comes
from this one run; the ratios are each row's against its stack's."""

import argparse
import statistics
from collections.abc import Callable
from typing import Any

from bench import setups
from bench.__main__ import wait_until_compiled
from bench.classroom import ClassResult, run_class, worst_median
from tests.server import Server

# (name, the students' specs, the row it is compared with)
CASES: list[tuple[str, Callable[[int], dict[str, Any]], int]] = [
    ("default as a stack", lambda i: setups.default(), 0),
    ("default as a graph (a chain)", lambda i: setups.as_graph(setups.default()), 0),
    ("different stacks inside the envelope", lambda i: setups.envelope(i), 2),
    ("different residual graphs inside the envelope", lambda i: setups.residual_envelope(i), 2),
    ("residual block (a graph with a skip), the same new one for all", lambda i: setups.residual(), 0),
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
        alone = [
            (kind, run_class(server.url, server.ws_url, spec, 1, 3.0))
            for kind, spec in (
                ("stack", lambda i: setups.envelope(10_000)),
                ("residual graph", lambda i: setups.residual_envelope(10_000)),
            )
        ]
        results = [
            (name, run_class(server.url, server.ws_url, spec, args.clients, args.seconds), base)
            for name, spec, base in CASES
        ]
    finally:
        server.close()
    start = 3.0
    print(
        f"\n| a class of {args.clients}, {args.seconds:.0f} s each | first trained epoch, worst (median) "
        f"| epochs/s per student over s {start:.0f}–{args.seconds:.0f}, minimum (median) | median vs its stack |"
    )
    print("| --- | --- | --- | --- |")
    medians = [median_rate(result, start, args.seconds) for _, result, _ in results]
    for (name, result, base), (low, mid) in zip(results, medians, strict=True):
        print(
            f"| {name} | {worst_median(result.first_trained())} | {low:.0f} ({mid:.0f}) "
            f"| {mid / max(medians[base][1], 1e-9):.2f}× |"
        )
    print("\n| one student alone, a new network | first trained epoch | epochs in the first second of training |")
    print("| --- | --- | --- |")
    for kind, result in alone:
        viewer, first = result.viewers[0], result.first_trained()[0]
        in_first_second = max((e for t, e, _ in viewer.frames if t - viewer.posted <= first + 1.0), default=0)
        print(f"| {kind} | {first * 1000:.0f} ms | {in_first_second} |")


if __name__ == "__main__":
    main()
