"""The websocket stream: frames with every epoch, boundary grids, controls on the socket."""

import base64
import json
import socket
import time
from collections.abc import Iterator

import httpx
import numpy as np
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.helpers import circle_spec, dense, finished, wait_for
from tests.server import Server
from tests.stream_client import collect, connect_run, read, read_binary


def decode(map_: dict) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(map_["data"]), dtype=np.uint8).reshape(map_["shape"])
    return map_["min"] + raw / 255 * (map_["max"] - map_["min"])


def test_frames_carry_every_epoch_and_a_changing_boundary(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=200)).json()["id"]
    messages = collect(server, client, run_id)
    frames = [m for m in messages if m["type"] == "frame"]
    done = messages[-1]
    assert done["type"] == "done" and done["epoch"] == 200 and done["status"] == "done"
    # Concatenating the frames' history gives the whole curve, no epoch missing or repeated.
    curve = [v for f in frames for v in f["history"].get("loss", [])]
    assert curve == done["history"]["loss"] and len(curve) == 200
    assert [f["epoch"] for f in frames] == sorted(f["epoch"] for f in frames)
    assert frames[0]["epoch"] == 0 and frames[-1]["epoch"] == 200
    first, last = decode(frames[0]["grid"]), decode(frames[-1]["grid"])
    assert first.shape == last.shape == (1, 100, 100)
    assert np.abs(first - last).mean() > 0.05  # the boundary moved
    # Trained on circle, the centre is class 1 and the corners class 0.
    assert last[0, 50, 50] > 0.5 and last[0, 0, 0] < 0.5
    neurons = frames[-1]["neurons"]
    assert [n["units"] for n in neurons] == [4, 2]
    assert decode(neurons[0]).shape == (4, 20, 20)
    weights = frames[-1]["weights"]
    assert [np.array(w["kernel"]).shape for w in weights] == [(2, 4), (4, 2), (2, 1)]


def test_frame_with_neuron_maps_stays_under_64_kib(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = circle_spec(epochs=3)
    spec["dataset"]["features"] = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    spec["model"]["layers"] = [dense(8) for _ in range(6)] + [dense(1, "sigmoid")]
    run_id = client.post("/api/runs", json=spec).json()["id"]
    with connect_run(server, client, run_id) as ws:
        sizes = []
        while True:
            text = ws.recv(timeout=60)
            message = json.loads(text)
            if message["type"] != "frame":
                break
            sizes.append(len(text.encode()))
            assert len(message["neurons"]) == 6
    assert max(sizes) < 64 * 1024, sizes


def test_multiclass_grid_has_one_channel_per_class(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = {
        "dataset": {"name": "blobs"},
        "model": {"layers": [dense(5), dense(3, "softmax")]},
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.05}},
        "fit": {"epochs": 40},
    }
    messages = collect(server, client, client.post("/api/runs", json=spec).json()["id"])
    grid = decode([m for m in messages if m["type"] == "frame"][-1]["grid"])
    assert grid.shape == (3, 100, 100)
    assert np.allclose(grid.sum(axis=0), 1, atol=0.03)  # softmax probabilities, quantised


def test_regression_grid_is_the_value(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = {
        "dataset": {"name": "plane"},
        "model": {"layers": [dense(1, "linear")]},
        "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 0.01}},
        "fit": {"epochs": 60},
    }
    messages = collect(server, client, client.post("/api/runs", json=spec).json()["id"])
    grid = decode([m for m in messages if m["type"] == "frame"][-1]["grid"])[0]
    # value ≈ (x1 + x2) / 10: top-right (x1 = 6, x2 = 6) high, bottom-left low.
    assert grid[0, -1] > 0.9 and grid[-1, 0] < -0.9


def test_controls_on_the_socket(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=100_000)).json()["id"]
    with connect_run(server, client, run_id) as ws:
        ws.send(json.dumps({"action": "pause"}))
        paused = wait_for(client, run_id, lambda r: r["status"] == "paused")
        time.sleep(0.3)
        held = client.get(f"/api/runs/{run_id}").json()["epoch"]
        assert held >= paused["epoch"]
        ws.send(json.dumps({"action": "step"}))
        wait_for(client, run_id, lambda r: r["epoch"] == held + 1)
        ws.send(json.dumps({"action": "set", "learning_rate": 0.001}))
        ws.send(json.dumps({"action": "fly"}))
        rejected = None
        while rejected is None:
            message = json.loads(ws.recv(timeout=30))
            if message["type"] == "rejected":
                rejected = message
        assert "action" in rejected["message"]
        ws.send(json.dumps({"action": "resume"}))
        wait_for(client, run_id, lambda r: r["epoch"] >= held + 3)
        ws.send(json.dumps({"action": "stop"}))
        last = None
        try:
            while True:
                last = json.loads(ws.recv(timeout=30))
        except ConnectionClosed:
            pass
        assert last is not None and last["type"] == "done" and last["status"] == "stopped"
    assert wait_for(client, run_id, finished)["status"] == "stopped"


def test_a_client_that_disconnects_leaves_the_run_training(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=120)).json()["id"]
    with connect_run(server, client, run_id) as ws:
        json.loads(ws.recv(timeout=30))
    done = wait_for(client, run_id, finished)
    assert done["status"] == "done" and len(done["history"]["loss"]) == 120
    # A late viewer still gets the final state and the whole history.
    messages = collect(server, client, run_id)
    assert messages[-1]["type"] == "done" and len(messages[-1]["history"]["loss"]) == 120


@pytest.fixture
def own_server() -> Iterator[Server]:
    """A server of its own: in the shared one, after hundreds of other tests, this viewer's socket
    twice got no frame for 30 s (in whole runs of the suite only; never alone). Not explained yet:
    the failure message says where the run was."""
    srv = Server()
    yield srv
    srv.close()


def test_slow_viewer_gets_latest_state_not_a_backlog(own_server: Server) -> None:
    server = own_server
    client = httpx.Client(base_url=server.url, timeout=60)
    spec = circle_spec(epochs=100_000)
    spec["stream"]["max_fps"] = 50
    run_id = client.post("/api/runs", json=spec).json()["id"]
    # A viewer with small buffers that reads nothing for two seconds, as a slow network would.
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    token = client.cookies.get("playground_session")
    with connect(
        f"{server.ws_url}/ws/runs/{run_id}",
        sock=sock,
        max_queue=2,
        max_size=None,
        additional_headers={"Cookie": f"playground_session={token}"},
    ) as ws:
        first = json.loads(ws.recv(timeout=30))
        time.sleep(2.0)
        run_epoch = client.get(f"/api/runs/{run_id}").json()["epoch"]
        stale, curve = 0, list(first["history"].get("loss", []))
        while True:
            try:
                message = json.loads(ws.recv(timeout=30))
            except TimeoutError:
                state = client.get(f"/api/runs/{run_id}").json()
                raise AssertionError(
                    f"no frame for 30 s after {stale} stale ones (waiting for epoch {run_epoch}); "
                    f"the run: {state['status']} at epoch {state['epoch']}"
                ) from None
            curve += message["history"]["loss"]
            if message["epoch"] >= run_epoch:
                break
            stale += 1
        # 100 frames were due in those two seconds; only what the buffers held arrives stale.
        assert stale < 30, stale
        assert len(curve) == message["epoch"]  # and still no epoch is missing
    client.delete(f"/api/runs/{run_id}")
    client.close()


def test_divergence_sends_an_error_message(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = {
        "dataset": {"name": "plane"},
        "model": {"layers": [dense(8, "relu"), dense(1, "linear")]},
        "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 90}},
        "fit": {"epochs": 300},
    }
    messages = collect(server, client, client.post("/api/runs", json=spec).json()["id"])
    assert messages[-1]["type"] == "error"
    assert "diverged" in messages[-1]["message"] and "learning rate" in messages[-1]["message"]


def test_unknown_or_foreign_run_is_refused_on_the_socket(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=2)).json()["id"]
    with httpx.Client(base_url=server.url) as stranger:
        stranger.get("/api/health")
        for who, rid in [(client, "nope"), (stranger, run_id)]:
            with connect_run(server, who, rid) as ws:
                message = json.loads(ws.recv(timeout=10))
                assert message["type"] == "error" and "no run" in message["message"]
                try:
                    ws.recv(timeout=10)
                except ConnectionClosed as closed:
                    assert closed.rcvd is not None and closed.rcvd.code == 4404


def test_a_binary_message_is_rejected_and_the_socket_stays(client: httpx.Client, server) -> None:  # noqa: ANN001
    run = client.post("/api/runs", json={**circle_spec(epochs=100_000), "paused": True}).json()
    with connect_run(server, client, run["id"]) as ws:
        ws.send(b"\x00\x01 binary")
        while (message := json.loads(ws.recv(timeout=30)))["type"] != "rejected":
            pass
        assert "text" in message["message"]
        ws.send(json.dumps({"action": "step"}))  # the socket still takes controls
        while (message := json.loads(ws.recv(timeout=30)))["type"] != "frame" or message["epoch"] < 1:
            pass
    client.delete(f"/api/runs/{run['id']}")


def test_binary_frames_show_what_json_frames_show(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = circle_spec(epochs=120, paused=True)
    run_id = client.post("/api/runs", json=spec).json()["id"]
    with (
        connect_run(server, client, run_id, "json") as text_ws,
        connect_run(server, client, run_id, "binary") as bin_ws,
    ):
        raw = bin_ws.recv(timeout=60)
        assert isinstance(raw, bytes) and raw[0] == 1  # the header's type: a frame
        first = read_binary(raw)
        assert first["epoch"] == 0 and first["status"] == "paused"
        text_ws.recv(timeout=60)
        client.post(f"/api/runs/{run_id}/resume")
        texts: list[dict] = []
        binaries = [first]
        for ws, out in ((text_ws, texts), (bin_ws, binaries)):
            while True:
                message = read(ws.recv(timeout=60))
                if message["type"] != "frame":
                    assert message["type"] == "done" and message["epoch"] == 120
                    break
                out.append(message)
    curves = [[v for f in frames for v in f["history"].get("loss", [])] for frames in (texts, binaries)]
    assert len(curves[0]) == 120 and curves[0] == curves[1]  # each socket has every epoch once
    last_text, last_binary = texts[-1], binaries[-1]
    assert last_text["epoch"] == last_binary["epoch"] == 120
    assert last_text["grid"] == last_binary["grid"]  # the same bytes, base64 or raw
    assert last_text["neurons"] == last_binary["neurons"]
    for a, b in zip(last_text["weights"], last_binary["weights"], strict=True):
        assert a["layer"] == b["layer"]
        assert np.allclose(a["kernel"], b["kernel"], atol=5e-5)  # 4 decimals in JSON, float32 raw
        assert np.allclose(a["bias"], b["bias"], atol=5e-5)


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"format": "xml"}, "format", "literal_error"),
        ({"since": "-3"}, "since", "greater_than_equal"),
        ({"since": "ten"}, "since", "int_type"),
        ({"done": "all"}, "done", "literal_error"),
    ],
)
def test_a_wrong_query_is_named(client: httpx.Client, server, query: dict, field: str, code: str) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=5)).json()["id"]
    with connect_run(server, client, run_id, **query) as ws:
        message = json.loads(ws.recv(timeout=30))
        assert message["type"] == "error" and message["field"] == field and message["code"] == code
        assert message["message"].startswith(f"{field}: ") and str(next(iter(query.values()))) in message["message"]
        try:
            ws.recv(timeout=30)
            raise AssertionError("the socket stayed open")
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 4422


def _joined(frames: list[dict]) -> dict[str, list]:
    """The frames' histories end to end."""
    return {k: [v for f in frames for v in f["history"][k]] for k in frames[0]["history"]}


def test_a_socket_brings_the_epochs_after_since_and_done_only_the_rest(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=60)).json()["id"]
    whole = wait_for(client, run_id, finished)["history"]
    assert len(whole["loss"]) == 60
    # (A run that has just ended may send its last frame twice, as it was and as it ended.)
    for fmt in ("json", "binary"):  # a page that reconnects holding 40 epochs
        *frames, done = collect(server, client, run_id, fmt=fmt, since=40, done="rest")
        assert frames[0]["type"] == "frame" and frames[0]["since"] == 40
        assert _joined(frames) == {k: v[40:] for k, v in whole.items()}
        assert done == {"type": "done", "epoch": 60, "status": "done", "since": 60, "history": {k: [] for k in whole}}
    *frames, done = collect(server, client, run_id)  # by default: every epoch, and `done` has them all
    assert frames[0]["since"] == done["since"] == 0 and _joined(frames) == done["history"] == whole
    # Holding more than the run has (it was restored from an older checkpoint): all of it again.
    *frames, _ = collect(server, client, run_id, fmt="binary", since=100, done="rest")
    assert frames[0]["since"] == 0 and _joined(frames) == whole
