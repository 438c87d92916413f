"""`python -m bench` (or `make bench`): the engine's speed, first-frame latency and a class of 30.

Everything runs against a real server on this machine, started here; ratios are measured in
this one run, since absolute times drift on a shared machine. Prints a Markdown table.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench import frames, setups
from bench.classroom import run_class, worst_median
from bench.fit_baseline import fit_epochs_per_second
from bench.stream import first_frame_of, frame_sizes, watch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.server import Server  # noqa: E402

TARGETS = {"default": 1450, "largest": 400}


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_until_compiled(server: Server, timeout: float = 120.0, probes: int = 0) -> None:
    """Until nothing compiles (and, with `probes`, that many probe children are warm): a server
    that has finished starting, as it is before a lesson."""
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        programs = httpx.get(f"{server.url}/api/health").json()["programs"]
        if programs["compiling"] == 0 and programs.get("probe_idle", 0) >= probes:
            return
        time.sleep(0.25)


def steady(server: Server, name: str, spec: dict[str, Any], seconds: float) -> dict[str, Any]:
    asyncio.run(watch(server.url, server.ws_url, spec, 4.0))  # compile this signature first
    wait_until_compiled(server)  # (a network one student trains compiles after 2 s in the family)
    viewer = asyncio.run(watch(server.url, server.ws_url, spec, seconds))
    eps, fps = viewer.rates(viewer.frames[0][0] + 0.5)
    sizes = frame_sizes(viewer)
    with httpx.Client(base_url=server.url, timeout=60) as client:
        fit = fit_epochs_per_second(client, spec)
    return {"name": name, "eps": eps, "fps": fps, "fit": fit, "bytes": (statistics.median(sizes), max(sizes))}


def first_frames(server: Server, spec_for: Any, count: int) -> tuple[list[float], list[float]]:
    firsts, trained = [], []
    for i in range(count):
        first, epoch = first_frame_of(server.url, server.ws_url, spec_for(i))
        firsts.append(first)
        if epoch is not None:
            trained.append(epoch)
    return firsts, trained


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} / {max(values) * 1000:.0f}" if values else "n/a"


def spread(values: list[float], digits: int) -> str:
    return f"{min(values):.{digits}f} ({statistics.median(values):.{digits}f})" if values else "n/a"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter windows (a smoke run)")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--scale", default="1,10,30,60,100", help="class sizes for the growth table")
    args = parser.parse_args()
    window = 3.0 if args.quick else 6.0
    lesson = 10.0 if args.quick else 20.0  # seconds each class scenario is watched
    n = args.clients
    Path("artifacts").mkdir(exist_ok=True)
    env = {"PLAYGROUND_PREWARM": "true", "PLAYGROUND_MAX_TRAINING_RUNS": "256", "PLAYGROUND_MAX_QUEUED_RUNS": "256"}
    server = Server(env=env)
    url, ws = server.url, server.ws_url
    started = time.monotonic()
    try:
        # the start-up prewarm and the probe's warm children, as before a lesson
        wait_until_compiled(server, 600, probes=int(os.environ.get("PLAYGROUND_PROBE_PROCESSES", "2")))
        prewarm = time.monotonic() - started
        room = run_class(url, ws, lambda i: setups.default(), n, lesson)
        memory = peak_memory_mib(server.proc.pid)
        growth = []
        for size in (int(s) for s in args.scale.split(",") if s):
            result = run_class(url, ws, lambda i: setups.default(), size, 6.0 if args.quick else 10.0)
            growth.append((size, result, rss_mib(server.proc.pid)))
        rows = [
            steady(server, "default", setups.default(), window),
            steady(server, "largest", setups.largest(), window),
        ]
        warm_default = first_frames(server, lambda i: setups.default(), 3 if args.quick else 7)
        warm_largest = first_frames(server, lambda i: setups.largest(), 3 if args.quick else 7)
        alone = run_class(url, ws, lambda i: setups.envelope(10_000), 1, 3.0)
        same_new = run_class(url, ws, lambda i: setups.new_network(), n, lesson)
        different = run_class(url, ws, lambda i: setups.envelope(i), n, lesson)
        cold_largest = first_frames(server, lambda i: setups.largest(batch_size=11 + i), 2 if args.quick else 4)
    finally:
        server.close()

    print(f"\n## Benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; prewarm {prewarm:.0f} s)\n")
    print(f"| a class of {n} (each its own session and websocket, all starting within 1 s) | measured | target |")
    print("| --- | --- | --- |")
    eps = [r[0] for r in room.rates(2.0, lesson)]
    fps = [r[1] for r in room.rates(2.0, lesson)]
    print(f"| 1. default: first frame, worst (median) | {worst_median(room.first_frames())} | ≤ 300 ms |")
    print(f"| 1. default: epochs/s per student, minimum (median) | {spread(eps, 0)} | ≥ 300 |")
    print(f"| 1. default: frames/s per student, minimum (median) | {spread(fps, 1)} | ≥ 15 |")
    eps = [r[0] for r in same_new.rates(2.0, lesson)]
    print(f"| 2. same new network: first trained epoch, worst (median) | {worst_median(same_new.first_trained())} "
          "| ≤ 1 s |")
    print(f"| 2. same new network: epochs/s per student over s 2–{lesson:.0f}, minimum (median) "
          f"| {min(eps):.0f} ({statistics.median(eps):.0f}) | ≥ 100 |")
    eps = [r[0] for r in different.rates(3.0, lesson)]
    print(f"| 3. {n} different networks: first trained epoch, worst (median) "
          f"| {worst_median(different.first_trained())} | ≤ 1 s |")
    print(f"| 3. {n} different networks: epochs/s per student over s 3–{lesson:.0f}, minimum (median) "
          f"| {min(eps):.0f} ({statistics.median(eps):.0f}) | ≥ 58 |")
    v = alone.viewers[0]
    first = alone.first_trained()[0]
    in_first_second = max((e for t, e, _ in v.frames if t - v.posted <= first + 1.0), default=0)
    print(f"| 4. one student, a new network: first trained epoch | {first * 1000:.0f} ms | ≤ 250 ms |")
    print(f"| 4. one student, a new network: epochs in the first second of training | {in_first_second} | ≥ 58 |")
    print(f"| server peak memory (after the class of {n}) | {memory:.0f} MiB | < 3072 MiB |")

    print("\n| 5. students on the default | total epochs/s | per student, minimum | frames/s, minimum | memory |")
    print("| --- | --- | --- | --- | --- |")
    for size, result, rss in growth:
        span = 6.0 if args.quick else 10.0
        rates = result.rates(2.0, span)
        print(
            f"| {size} | {result.total_epochs_per_second(2.0, span):.0f} | {min(r[0] for r in rates):.0f} "
            f"| {min(r[1] for r in rates):.1f} | {rss:.0f} MiB |"
        )

    print("\n| 6. one student | engine epochs/s (target) | model.fit epochs/s | ratio | frames/s | bytes per frame |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        target = TARGETS[r["name"]]
        print(
            f"| {r['name']} | {r['eps']:.0f} (≥ {target}) | {r['fit']:.1f} | {r['eps'] / r['fit']:.0f}× (≥ 30×) "
            f"| {r['fps']:.1f} | {r['bytes'][0]:.0f} / {r['bytes'][1]} |"
        )
    print("\n| first frame, POST → websocket (median / worst, ms) | first frame | first trained epoch |")
    print("| --- | --- | --- |")
    print(f"| default, compiled (target ≤ 250) | {ms(warm_default[0])} | {ms(warm_default[1])} |")
    print(f"| largest, compiled (target ≤ 1000) | {ms(warm_largest[0])} | {ms(warm_largest[1])} |")
    print(f"| largest, new training settings (target ≤ 1000) | {ms(cold_largest[0])} | {ms(cold_largest[1])} |")
    print()
    print("\n".join(frames.table()))


if __name__ == "__main__":
    main()
