"""The price of going distributed on the same cores, in one run: a class of thirty through two
app processes (students alternate between them, as behind a round-robin balancer) on PostgreSQL
and a two-node Ray cluster on this machine, against the single process `make run` starts
(SQLite, training in-process). Both get the same warm-up first (start-up compiles, then a few
students on the default and on envelope networks), as before a lesson.

    .venv/bin/python -m bench.distributed [--quick] [--clients 30]

Needs the `cluster` extra (Ray) and PostgreSQL (`scripts/install-postgres.sh`), as the tests in
`tests/cluster` do. Prints a table of per-student epochs/s, frames/s and first trained epochs,
and the ratio distributed / single.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import setups  # noqa: E402
from bench.__main__ import wait_until_compiled  # noqa: E402
from bench.classroom import ClassResult, run_class_across  # noqa: E402
from tests.cluster.ray_cluster import RayCluster  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402
from tests.server import Server  # noqa: E402

LIMITS = {"PLAYGROUND_MAX_TRAINING_RUNS": "256", "PLAYGROUND_MAX_QUEUED_RUNS": "256"}
COMMON = {"PLAYGROUND_PREWARM": "true", "PLAYGROUND_PROBE_PROCESSES": "0", **LIMITS}

Servers = Sequence[tuple[str, str]]


def wait_for_trainers(server: Server, timeout: float = 600) -> None:
    """Until the trainers have compiled what they compile at start (health's `training.compiling`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if httpx.get(f"{server.url}/api/health", timeout=60).json()["training"].get("compiling") == 0:
            return
        time.sleep(1.0)
    print(f"warning: the trainers were still compiling after {timeout:.0f} s", file=sys.stderr)


def warm_up(servers: Servers, spec_for: Callable[[int], dict[str, Any]], limit: float = 300) -> None:
    """A few students, again and again, until their first trained epoch comes within a second
    (the trainers compile at start as the single process does, but say nothing of it)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        room = run_class_across(servers, spec_for, 4, 4.0)
        if max(room.first_trained()) < 1.0:
            return
    print(f"warning: the warm-up did not get a first trained epoch within 1 s in {limit:.0f} s", file=sys.stderr)


def lesson(servers: Servers, n: int, seconds: float, settle: Callable[[], None]) -> dict[str, ClassResult]:
    """The warm-up, then the two classes; `settle()` waits until nothing compiles."""
    settle()
    warm_up(servers, lambda i: setups.default())
    warm_up(servers, lambda i: setups.envelope(10_000 + i))
    time.sleep(3)  # compiles the warm-up's networks left behind are dropped or done
    settle()
    return {
        "default": run_class_across(servers, lambda i: setups.default(), n, seconds),
        "different": run_class_across(servers, lambda i: setups.envelope(i), n, seconds),
    }


def single(n: int, seconds: float) -> dict[str, ClassResult]:
    server = Server(env=COMMON)
    try:
        return lesson([(server.url, server.ws_url)], n, seconds, lambda: wait_until_compiled(server, 600))
    finally:
        server.close()


def distributed(n: int, seconds: float) -> tuple[dict[str, ClassResult], int]:
    cluster, postgres = RayCluster(nodes=2), PostgresCluster()
    servers: list[Server] = []
    try:
        env = {
            **COMMON,
            "PLAYGROUND_RAY_ADDRESS": cluster.address,
            "PLAYGROUND_DATABASE_URL": postgres.create_database(),
            "RAY_USAGE_STATS_ENABLED": "0",
        }
        servers = [Server(env=env), Server(env=env)]
        result = lesson([(s.url, s.ws_url) for s in servers], n, seconds, lambda: wait_for_trainers(servers[0]))
        return result, cluster.alive_nodes()
    finally:
        for server in servers:
            server.close()
        cluster.close()
        postgres.close()


def _rates(room: ClassResult, start: float, stop: float) -> tuple[list[float], list[float]]:
    rates = room.rates(start, stop)
    return [r[0] for r in rates], [r[1] for r in rates]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="windows of 10 s instead of 20")
    parser.add_argument("--clients", type=int, default=30)
    args = parser.parse_args()
    seconds = 10.0 if args.quick else 20.0
    Path("artifacts").mkdir(exist_ok=True)
    one = single(args.clients, seconds)
    two, nodes = distributed(args.clients, seconds)
    print(f"\n## Distributed against one process ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores)\n")
    print(f"A class of {args.clients}, {seconds:.0f} s each; distributed: 2 app processes, PostgreSQL, a Ray cluster")
    print(f"of {nodes} nodes (one CPU each), all on this machine. Epochs/s per student over s 3–{seconds:.0f}.\n")
    head = "epochs/s per student, min (median) | frames/s, min (median) | first trained epoch, worst (median)"
    print(f"| class | setup | {head} |")
    print("| --- | --- | --- | --- | --- |")
    medians: dict[str, list[float]] = {}
    for name, title in (("default", "30 on the default"), ("different", "30 different networks")):
        for label, rooms in (("one process", one), ("distributed", two)):
            room = rooms[name]
            eps, fps = _rates(room, 3.0, seconds)
            first = room.first_trained()
            medians.setdefault(name, []).append(statistics.median(eps))
            worst = max(first)
            worst_text = "never" if worst == float("inf") else f"{worst * 1000:.0f} ms"
            print(
                f"| {title} | {label} | {min(eps):.0f} ({statistics.median(eps):.0f}) | {min(fps):.1f} "
                f"({statistics.median(fps):.1f}) | {worst_text} ({statistics.median(first) * 1000:.0f}) |"
            )
    print("\n| class | distributed / one process, median epochs/s per student | target |")
    print("| --- | --- | --- |")
    for name, (a, b) in medians.items():
        print(f"| {name} | {b / a if a else float('nan'):.2f}× | ≥ 0.80× |")


if __name__ == "__main__":
    main()
