"""What a long run's history costs the other sockets: the event loop's longest stall while a
1,000,000-epoch run's history (77 MB of JSON) is written, in-process. The socket's `done` three
ways — on the loop in one json.dumps (as the stream did before 2026-12-06), in a worker thread
in one call (json.dumps holds the GIL throughout, so no better), and as the stream writes it now
(a worker thread, `CHUNK` values per call) —, then `GET /api/runs/{id}` (FastAPI's encoder and
the response's json.dumps on the loop, as before, against the route now) and `history.json`
(json.dumps on the loop, as before, against the route now). A ticker coroutine that sleeps 1 ms
measures the stall; every figure comes from this one run.

`python -m bench.long_history [--epochs 1000000]`"""

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import numpy as np
from fastapi.encoders import jsonable_encoder

from app.api.finite import FiniteJSONResponse
from app.api.routes import exports
from app.api.routes.runs import get_run
from app.api.routes.stream import _written
from app.runs import protocol


class LongRun:
    """What `protocol.ended` reads of a run: a done run with `epochs` epochs of four logs."""

    def __init__(self, epochs: int) -> None:
        rng = np.random.default_rng(0)
        self.epoch, self.status, self.error = epochs, "done", None
        self.history: dict[str, list[float | None]] = {
            k: [float(v) for v in rng.random(epochs).astype(np.float32)]
            for k in ("loss", "val_loss", "accuracy", "val_accuracy")
        }

    def history_slice(self, start: int, stop: int) -> dict[str, list[float | None]]:
        return {key: values[start:stop] for key, values in self.history.items()}

    def public(self, with_history: bool = True) -> dict[str, object]:
        out: dict[str, object] = {"id": "long", "status": self.status, "epoch": self.epoch, "class_id": None}
        if with_history:
            out["history"] = self.history_slice(0, self.epoch)
        return out

    class_id = None


class Manager:
    def __init__(self, run: LongRun) -> None:
        self.run = run

    def get(self, client: str, run_id: str) -> LongRun:
        return self.run


async def _stall(write: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """(seconds the write took, the ticker's longest gap in seconds)."""
    gaps: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    began = time.perf_counter()
    await write()
    took = time.perf_counter() - began
    await asyncio.sleep(0.05)
    running = False
    await task
    return took, max(gaps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=1_000_000)
    args = parser.parse_args()
    run: Any = LongRun(args.epochs)

    def whole() -> str:
        history = run.history_slice(0, run.epoch)
        return json.dumps(
            {"type": "done", "epoch": run.epoch, "status": "done", "since": 0, "history": history},
            separators=(",", ":"),
        )

    async def on_loop() -> str:
        return whole()

    async def thread_one_call() -> str:
        return await anyio.to_thread.run_sync(whole)

    async def now() -> str:
        return await _written(run.epoch, protocol.ended, run, 0)

    manager: Any = Manager(run)

    async def get_before() -> bytes:
        return bytes(FiniteJSONResponse(jsonable_encoder(run.public())).body)

    async def get_now() -> bytes:
        return bytes((await get_run("long", "client", manager, None)).body)  # type: ignore[arg-type]

    async def file_before() -> str:
        return json.dumps(run.history_slice(0, run.epoch), indent=1)

    async def file_now() -> bytes:
        return bytes((await exports.history_json("long", "client", manager)).body)

    size = len(protocol.ended(run)) / 1e6
    print(f"A {args.epochs:,}-epoch run's history ({size:.0f} MB of JSON), {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| written | took | the event loop's longest stall | stall vs before |")
    print("| --- | --- | --- | --- |")
    for group in (
        (
            ("`done`: on the loop, one json.dumps (before)", on_loop),
            ("`done`: worker thread, one json.dumps", thread_one_call),
            ("`done`: worker thread, in chunks (now)", now),
        ),
        (
            ("`GET /api/runs/{id}`: FastAPI's encoder on the loop (before)", get_before),
            ("`GET /api/runs/{id}` now", get_now),
        ),
        (("`history.json`: json.dumps on the loop (before)", file_before), ("`history.json` now", file_now)),
    ):
        rows = [(name, *asyncio.run(_stall(fn))) for name, fn in group]
        base = rows[0][2]
        for name, took, stall in rows:
            print(f"| {name} | {took:.2f} s | {stall * 1000:.0f} ms | {stall / base:.3f}× |")


if __name__ == "__main__":
    main()
