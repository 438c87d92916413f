"""A real websocket client for the stream, sending the session cookie like a browser."""

import json
from typing import Any

import httpx
from websockets.sync.client import connect

from tests.server import Server


def connect_run(server: Server, client: httpx.Client, run_id: str):  # noqa: ANN201
    token = client.cookies.get("playground_session")
    headers = {"Cookie": f"playground_session={token}"} if token else {}
    return connect(f"{server.ws_url}/ws/runs/{run_id}", additional_headers=headers, max_size=None, open_timeout=30)


def collect(server: Server, client: httpx.Client, run_id: str, timeout: float = 120) -> list[dict[str, Any]]:
    """Every message until the server ends the stream."""
    messages = []
    with connect_run(server, client, run_id) as ws:
        while True:
            message = json.loads(ws.recv(timeout=timeout))
            messages.append(message)
            if message["type"] in ("done", "error"):
                return messages
