"""A class at once: many students, each its own session and websocket, starting within 1 s."""

import asyncio
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bench.stream import Viewer


@dataclass
class ClassResult:
    viewers: list[Viewer]
    seconds: float

    @property
    def served(self) -> list[Viewer]:
        return [v for v in self.viewers if v.first_frame is not None]

    def first_frames(self) -> list[float]:
        return [v.first_frame for v in self.served if v.first_frame is not None]

    def first_trained(self) -> list[float]:
        """Seconds from POST to the first frame with a trained epoch (inf: never)."""
        out = []
        for v in self.viewers:
            t = next((t - v.posted for t, e, _ in v.frames if e > 0), None)
            out.append(float("inf") if t is None else t)
        return out

    def rates(self, start: float, stop: float) -> list[tuple[float, float]]:
        """(epochs/s, frames/s) per student between `start` and `stop` seconds after its POST."""
        out = []
        for v in self.viewers:
            window = [f for f in v.frames if start <= f[0] - v.posted <= stop]
            if len(window) < 2:
                out.append((0.0, 0.0))
                continue
            span = window[-1][0] - window[0][0]
            out.append(((window[-1][1] - window[0][1]) / span, (len(window) - 1) / span))
        return out

    def total_epochs_per_second(self, start: float, stop: float) -> float:
        return sum(r[0] for r in self.rates(start, stop))


Specs = Callable[[int], dict[str, Any]]


async def _class(servers: Sequence[tuple[str, str]], spec_for: Specs, n: int, seconds: float) -> list[Viewer]:
    # Each student's HTTP client exists before the lesson starts, as a browser tab's does: making
    # thirty at once (each loads TLS certificates) would time this process, not the server.
    # Student i uses servers[i % len(servers)] (web processes behind a round-robin balancer).
    where = [servers[i % len(servers)] for i in range(n)]
    clients = [httpx.AsyncClient(base_url=where[i][0], timeout=60) for i in range(n)]

    async def one(i: int) -> Viewer:
        await asyncio.sleep(i / n)  # every student presses ▶ within one second
        viewer = Viewer(*where[i], spec_for(i))
        async with clients[i] as http:
            await viewer.run(http, time.perf_counter() + seconds)
        return viewer

    return list(await asyncio.gather(*(one(i) for i in range(n))))


def run_class(url: str, ws_url: str, spec_for: Specs, n: int, seconds: float) -> ClassResult:
    return run_class_across([(url, ws_url)], spec_for, n, seconds)


def run_class_across(servers: Sequence[tuple[str, str]], spec_for: Specs, n: int, seconds: float) -> ClassResult:
    """A class whose students are spread over several web processes, (url, ws_url) each."""
    return ClassResult(asyncio.run(_class(servers, spec_for, n, seconds)), seconds)


def worst_median(values: list[float]) -> str:
    if not values:
        return "n/a"
    worst = max(values)
    text = "never" if worst == float("inf") else f"{worst * 1000:.0f} ms"
    return f"{text} ({statistics.median(values) * 1000:.0f})"
