"""A finished run trains further: the course trains in chunks (5 epochs, then 1000, then 5)."""

from collections.abc import Iterator

import httpx
import pytest

from tests.helpers import circle_spec, finished, wait_for
from tests.server import Server


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    server = Server(env={"PLAYGROUND_PREWARM": "false"})
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c
    server.close()


def test_continue_appends_epochs_and_keeps_the_optimizer_state(client: httpx.Client) -> None:
    spec = circle_spec(epochs=5)
    spec["compile"]["optimizer"] = {"type": "Adam", "learning_rate": 0.01}
    run = client.post("/api/runs", json=spec).json()
    done = wait_for(client, run["id"], finished)
    assert done["status"] == "done" and done["epoch"] == 5
    answer = client.post(f"/api/runs/{run['id']}/continue", json={"epochs": 20})
    assert answer.status_code == 200, answer.text
    assert answer.json()["epochs"] == 25
    again = wait_for(client, run["id"], lambda r: finished(r) and r["epoch"] == 25)
    assert again["status"] == "done"
    assert again["history"]["loss"][:5] == done["history"]["loss"]  # the curve goes on
    assert len(again["history"]["loss"]) == 25
    # The same 25 epochs in one go end where the two chunks ended: the optimizer state went on.
    whole = {**spec, "fit": {**spec["fit"], "epochs": 25}}
    straight = wait_for(client, client.post("/api/runs", json=whole).json()["id"], finished)
    assert again["history"]["loss"][-1] == pytest.approx(straight["history"]["loss"][-1], rel=1e-4)


def test_only_an_ended_run_continues_and_the_limit_holds(client: httpx.Client) -> None:
    run = client.post("/api/runs", json={**circle_spec(epochs=100_000), "paused": True}).json()
    refused = client.post(f"/api/runs/{run['id']}/continue", json={"epochs": 5})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "run_not_ended"
    bad = client.post(f"/api/runs/{run['id']}/continue", json={"epochs": 0})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "epochs"
    client.post(f"/api/runs/{run['id']}/stop")
    wait_for(client, run["id"], finished)
    over = client.post(f"/api/runs/{run['id']}/continue", json={"epochs": 10_000_000})
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "epochs"


def test_a_viewer_that_connects_right_after_continue_sees_it_train(client: httpx.Client) -> None:
    import json

    from websockets.sync.client import connect

    run = client.post("/api/runs", json=circle_spec(epochs=3)).json()
    wait_for(client, run["id"], finished)
    client.post(f"/api/runs/{run['id']}/continue", json={"epochs": 200})
    token = client.cookies.get("playground_session")
    url = client.base_url.copy_with(scheme="ws", path=f"/ws/runs/{run['id']}")
    with connect(str(url), additional_headers={"Cookie": f"playground_session={token}"}, max_size=None) as ws:
        first = json.loads(ws.recv(timeout=60))
        assert first["type"] == "frame" and first["status"] in ("running", "queued"), first
