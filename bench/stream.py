"""Websocket viewers that read frames the way a browser tab would, cheaply."""

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import connect

HEADER = re.compile(rb'^\{"type":"(\w+)","epoch":(\d+)')  # a JSON frame's start (?format=json)
BINARY_FRAME = 1  # a binary frame's first byte; its epoch is bytes 4-7 (uint32, little-endian)


@dataclass
class Viewer:
    """One client: its own session, its run, and what its frames showed."""

    url: str
    ws_url: str
    spec: dict[str, Any]
    posted: float = 0.0
    first_frame: float | None = None  # seconds from POST to the first frame
    frames: list[tuple[float, int, int]] = field(default_factory=list)  # (time, epoch, bytes)
    run_id: str = ""
    created: float | None = None  # seconds from POST to its answer
    connected: float | None = None  # seconds from POST to the websocket's opening
    format: str = "binary"  # as the page asks for frames

    async def run(self, http: httpx.AsyncClient, until: float) -> None:
        self.posted = time.perf_counter()
        response = await http.post("/api/runs", json=self.spec)
        response.raise_for_status()
        self.created = time.perf_counter() - self.posted
        self.run_id = response.json()["id"]
        token = http.cookies.get("playground_session")
        headers = {"Cookie": f"playground_session={token}"}
        url = f"{self.ws_url}/ws/runs/{self.run_id}?format={self.format}"
        async with connect(url, additional_headers=headers, max_size=None) as ws:
            self.connected = time.perf_counter() - self.posted
            while time.perf_counter() < until:
                try:
                    # Raw bytes: a browser parses frames on its own machine, so this client
                    # should cost the shared two cores as little as it can.
                    text = await asyncio.wait_for(ws.recv(decode=False), timeout=max(0.01, until - time.perf_counter()))
                except TimeoutError:
                    break
                now = time.perf_counter()
                epoch = self._frame_epoch(text)
                if epoch is None:  # queued, done or error: the run is not training
                    break
                if self.first_frame is None:
                    self.first_frame = now - self.posted
                self.frames.append((now, epoch, len(text)))
        try:
            await http.delete(f"/api/runs/{self.run_id}")
        except httpx.RemoteProtocolError:  # its idle keep-alive connection was closed by the server meanwhile
            await http.delete(f"/api/runs/{self.run_id}")

    @staticmethod
    def _frame_epoch(data: bytes) -> int | None:
        """A frame's epoch from its header alone (either format); None for other messages."""
        if data[:1] == bytes([BINARY_FRAME]):
            return int.from_bytes(data[4:8], "little")
        match = HEADER.match(data)
        return int(match.group(2)) if match and match.group(1) == b"frame" else None

    def rates(self, since: float) -> tuple[float, float]:
        """(epochs per second, frames per second) over the frames after `since`."""
        window = [f for f in self.frames if f[0] >= since]
        if len(window) < 2:
            return 0.0, 0.0
        span = window[-1][0] - window[0][0]
        return (window[-1][1] - window[0][1]) / span, (len(window) - 1) / span


async def watch(url: str, ws_url: str, spec: dict[str, Any], seconds: float) -> Viewer:
    viewer = Viewer(url, ws_url, spec)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await viewer.run(http, time.perf_counter() + seconds)
    return viewer


def first_frame_of(url: str, ws_url: str, spec: dict[str, Any]) -> tuple[float, float | None]:
    """Seconds from POST to the first frame, and to the first frame with a trained epoch."""

    async def go() -> tuple[float, float | None]:
        viewer = Viewer(url, ws_url, spec)
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            until = time.perf_counter() + 15
            task = asyncio.create_task(viewer.run(http, until))
            while time.perf_counter() < until and not any(e > 0 for _, e, _ in viewer.frames):
                await asyncio.sleep(0.005)
            trained = next((t - viewer.posted for t, e, _ in viewer.frames if e > 0), None)
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
            await http.delete(f"/api/runs/{viewer.run_id}") if viewer.run_id else None
        assert viewer.first_frame is not None
        return viewer.first_frame, trained

    return asyncio.run(go())


def frame_sizes(viewer: Viewer) -> list[int]:
    return [size for _, _, size in viewer.frames]


def loads(text: str) -> Any:
    return json.loads(text)
