"""Configured limits, on a server started with small ones."""

from collections.abc import Iterator

import httpx
import pytest

from tests.helpers import circle_spec, dense, finished, wait_for
from tests.server import Server


@pytest.fixture(scope="module")
def small_server() -> Iterator[Server]:
    srv = Server(
        env={
            "PLAYGROUND_MAX_RUNS_PER_CLIENT": "2",
            "PLAYGROUND_MAX_TRAINING_RUNS": "3",
            "PLAYGROUND_MAX_QUEUED_RUNS": "1",
            "PLAYGROUND_MAX_UNITS": "16",
            "PLAYGROUND_MAX_EPOCHS": "1000000",
            "PLAYGROUND_MAX_SAMPLES": "600",
        }
    )
    yield srv
    srv.close()


def test_limits_come_from_the_environment(small_server: Server) -> None:
    with httpx.Client(base_url=small_server.url) as c:
        spec = circle_spec(epochs=1)
        spec["model"]["layers"][0] = dense(17)
        response = c.post("/api/runs", json=spec)
        assert response.status_code == 422 and "limit of 16" in response.json()["detail"]
        spec = circle_spec(epochs=1)
        spec["dataset"]["n_samples"] = 601
        assert "limit of 600" in c.post("/api/runs", json=spec).json()["detail"]


def test_concurrent_runs_per_client_and_per_server(small_server: Server) -> None:
    clients = [httpx.Client(base_url=small_server.url, timeout=60) for _ in range(4)]
    a, b, c, d = clients
    try:
        long = circle_spec(epochs=1_000_000)
        a_runs = [a.post("/api/runs", json=long).json()["id"] for _ in range(2)]
        third = a.post("/api/runs", json=long)
        assert third.status_code == 429 and "2 runs" in third.json()["detail"]
        assert b.post("/api/runs", json=long).status_code == 201
        # The server trains 3 at once: the fourth waits in the queue, and says where.
        queued = c.post("/api/runs", json=long).json()
        assert queued["status"] == "queued" and queued["queue_position"] == 1
        full = d.post("/api/runs", json=long)  # the queue holds 1
        assert full.status_code == 429 and "queue is full" in full.json()["detail"]
        # A paused run still counts against its student, but frees its training slot.
        a.post(f"/api/runs/{a_runs[0]}/pause")
        assert a.post("/api/runs", json=long).status_code == 429
        wait_for(c, queued["id"], lambda run: run["status"] == "running")
        a.post(f"/api/runs/{a_runs[0]}/stop")
        wait_for(a, a_runs[0], finished)
        assert a.post("/api/runs", json=circle_spec(epochs=3)).status_code == 201
    finally:
        for client in clients:
            for run in client.get("/api/runs").json():
                client.delete(f"/api/runs/{run['id']}")
            client.close()
