"""Each student's work is their own: another session gets 404 on everything of it."""

import json

import httpx
from websockets.sync.client import connect

from tests.classroom.conftest import Person
from tests.helpers import circle_spec, finished
from tests.server import Server

READS = [
    "", "/model.keras", "/weights.weights.h5", "/code.py", "/history.csv", "/history.json", "/summary.txt",
    "/model.svg", "/experiment.json", "/report",
]  # fmt: skip
ACTIONS = ["/pause", "/resume", "/step", "/stop", "/predict", "/evaluate", "/baseline"]


def test_a_second_session_gets_404_on_everything_of_the_first(classroom_server: Server) -> None:
    owner, other = Person(classroom_server), Person(classroom_server)
    run_id = owner.post("/api/runs", json=circle_spec(epochs=20)).json()["id"]
    owner.wait(run_id, finished)
    upload = owner.post("/api/datasets", data={"label": "y", "text": "a,y\n1,0\n2,1\n3,0\n4,1\n"}).json()["name"]
    assert len(run_id) >= 22  # unguessable: 128 random bits

    assert other.get("/api/runs").json() == []
    for path in READS:
        response = other.get(f"/api/runs/{run_id}{path}")
        assert response.status_code == 404, path
        assert run_id not in response.text or "no run with id" in response.text
    for path in ACTIONS:
        body = {"inputs": [[0, 0]]} if path == "/predict" else {}
        assert other.post(f"/api/runs/{run_id}{path}", json=body).status_code == 404, path
    assert other.patch(f"/api/runs/{run_id}", json={"learning_rate": 0.1}).status_code == 404
    assert other.delete(f"/api/runs/{run_id}").status_code == 404
    with connect(f"{classroom_server.ws_url}/ws/runs/{run_id}?token={other.token}", open_timeout=30) as ws:
        message = json.loads(ws.recv(timeout=30))
        assert message["type"] == "error" and "no run" in message["message"]
    # their upload: neither listed, nor readable, nor usable in a run
    assert upload not in [d["name"] for d in other.get("/api/datasets").json()]
    assert other.get(f"/api/datasets/{upload}").status_code == 404
    spec = {**circle_spec(epochs=1), "dataset": {"name": upload}}
    refused = other.post("/api/runs", json=spec)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "dataset.name"
    # the owner still has it all, and a cookie works as well as the bearer token
    with httpx.Client(base_url=classroom_server.url, cookies={"playground_session": owner.token}) as browser:
        assert browser.get(f"/api/runs/{run_id}").status_code == 200
        assert browser.get(f"/api/datasets/{upload}").status_code == 200
    assert owner.delete(f"/api/runs/{run_id}").status_code == 204
    assert owner.get(f"/api/runs/{run_id}").status_code == 404
