"""A real websocket client for the stream, sending the session cookie like a browser."""

import base64
import json
import struct
from typing import Any
from urllib.parse import urlencode

import httpx
import numpy as np
from websockets.sync.client import connect

from tests.server import Server

# A binary frame as the README documents it, read without the server's code.
HEADER = struct.Struct("<BBBBII")  # type, version, status, flags, epoch, JSON length
STATUSES = ("running", "paused", "queued", "interrupted", "done", "stopped", "failed")


def connect_run(server: Server, client: httpx.Client, run_id: str, fmt: str | None = None, **params: Any):  # noqa: ANN201
    """The run's socket, `?format=fmt` and any other query `params` (since, done)."""
    token = client.cookies.get("playground_session")
    headers = {"Cookie": f"playground_session={token}"} if token else {}
    values = {**({"format": fmt} if fmt else {}), **params}
    query = f"?{urlencode(values)}" if values else ""
    url = f"{server.ws_url}/ws/runs/{run_id}{query}"
    return connect(url, additional_headers=headers, max_size=None, open_timeout=30)


def read_binary(data: bytes) -> dict[str, Any]:
    """A binary frame as the JSON frame's dict: maps with base64 `data`, weights as lists."""
    kind, version, status, flags, epoch, length = HEADER.unpack_from(data)
    assert (kind, version) == (1, 1), (kind, version)
    start = HEADER.size + length
    assert start % 4 == 0, start
    frame = json.loads(data[HEADER.size : start])

    def raw(part: dict[str, Any]) -> bytes:
        return data[start + part["offset"] : start + part["offset"] + part["length"]]

    for map_ in ([frame["grid"]] if frame["grid"] else []) + frame["neurons"]:
        map_["data"] = base64.b64encode(raw(map_)).decode()
        del map_["offset"], map_["length"]
    for layer in frame["weights"]:
        for name in ("kernel", "bias"):
            if layer[name] is not None:
                layer[name] = np.frombuffer(raw(layer[name]), "<f4").reshape(layer[name]["shape"]).tolist()
    frame.update(type="frame", epoch=epoch, status=STATUSES[status])
    if flags & 1:
        frame["preparing"] = True
    return frame


def read(message: str | bytes) -> dict[str, Any]:
    return read_binary(message) if isinstance(message, bytes) else json.loads(message)


def collect(
    server: Server, client: httpx.Client, run_id: str, timeout: float = 120, fmt: str | None = None, **params: Any
) -> list[dict[str, Any]]:
    """Every message until the server ends the stream."""
    messages = []
    with connect_run(server, client, run_id, fmt, **params) as ws:
        while True:
            message = read(ws.recv(timeout=timeout))
            messages.append(message)
            if message["type"] in ("done", "error"):
                return messages
