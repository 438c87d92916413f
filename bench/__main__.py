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

from bench import setups
from bench.fit_baseline import fit_epochs_per_second
from bench.stream import Viewer, first_frame_of, frame_sizes, watch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.server import Server  # noqa: E402

TARGETS = {"default": 1450, "largest": 400}


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_until_compiled(server: Server, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        if httpx.get(f"{server.url}/api/health").json()["programs"]["compiling"] == 0:
            return
        time.sleep(0.25)


def steady(server: Server, name: str, spec: dict[str, Any], seconds: float) -> dict[str, Any]:
    asyncio.run(watch(server.url, server.ws_url, spec, 4.0))  # compile this signature first
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


async def classroom(server: Server, clients: int, seconds: float) -> list[Viewer]:
    async def one(i: int) -> Viewer:
        await asyncio.sleep(i / clients)  # every client starts within one second
        viewer = Viewer(server.url, server.ws_url, setups.default())
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            await viewer.run(http, time.perf_counter() + seconds)
        return viewer

    return list(await asyncio.gather(*(one(i) for i in range(clients))))


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} / {max(values) * 1000:.0f}" if values else "n/a"


def worst_and_median(seconds: list[float]) -> str:
    return f"{max(seconds) * 1000:.0f} ms ({statistics.median(seconds) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter windows (a smoke run)")
    parser.add_argument("--clients", type=int, default=30)
    args = parser.parse_args()
    window = 3.0 if args.quick else 6.0
    Path("artifacts").mkdir(exist_ok=True)
    server = Server(env={"PLAYGROUND_MAX_RUNS_TOTAL": str(max(64, args.clients + 4))})
    try:
        wait_until_compiled(server)  # the start-up prewarm, as before a lesson
        room = asyncio.run(classroom(server, args.clients, 8.0 if args.quick else 14.0))
        memory = peak_memory_mib(server.proc.pid)
        rows = [
            steady(server, "default", setups.default(), window),
            steady(server, "largest", setups.largest(), window),
        ]
        warm_default = first_frames(server, lambda i: setups.default(), 3 if args.quick else 7)
        warm_largest = first_frames(server, lambda i: setups.largest(), 3 if args.quick else 7)
        cold_largest = first_frames(server, lambda i: setups.largest(batch_size=11 + i), 2 if args.quick else 4)
    finally:
        server.close()

    print(f"\n## Benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print(
        "| setup | engine epochs/s (target) | model.fit epochs/s | ratio | frames/s | bytes per frame (median / max) |"
    )
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
    print(f"| largest, new architecture (target ≤ 1000) | {ms(cold_largest[0])} | {ms(cold_largest[1])} |")
    print(f"| largest, compiled (target ≤ 1000) | {ms(warm_largest[0])} | {ms(warm_largest[1])} |")
    firsts = [v.first_frame for v in room if v.first_frame is not None]
    rates = [v.rates(v.posted + v.first_frame + 3.0) for v in room if v.first_frame is not None]
    eps, fps = [r[0] for r in rates], [r[1] for r in rates]
    print(f"\n| class of {args.clients}, each starting the default within 1 s | measured | target |")
    print("| --- | --- | --- |")
    print(f"| clients that got frames | {len(firsts)} / {args.clients} | all |")
    created = [v.created for v in room if v.created is not None]
    print(f"| first frame, worst (median) | {worst_and_median(firsts)} | ≤ 1000 ms |")
    print(f"| POST answered, worst (median) | {worst_and_median(created)} | |")
    print(f"| epochs/s per client, minimum (median) | {min(eps):.0f} ({statistics.median(eps):.0f}) | ≥ 58 |")
    print(f"| frames/s per client, minimum (median) | {min(fps):.1f} ({statistics.median(fps):.1f}) | ≥ 10 |")
    print(f"| server peak memory (during the class) | {memory:.0f} MiB | < 3072 MiB |")


if __name__ == "__main__":
    main()
