"""Runs end to end through a real server: training, controls, predictions, isolation."""

import time

import httpx
import numpy as np

from app.engine.tf_setup import keras
from tests.helpers import circle_spec, dense, finished, wait_for


def test_xor_2_3_1_learns_to_full_accuracy(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "xor_table"},
        "model": {"layers": [dense(3, "tanh"), dense(1, "sigmoid")]},
        "compile": {
            "loss": "binary_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.05},
            "metrics": ["accuracy"],
        },
        "fit": {"epochs": 300, "batch_size": 4},
        "seed": 3,
    }
    run = client.post("/api/runs", json=spec)
    assert run.status_code == 201, run.text
    done = wait_for(client, run.json()["id"], finished)
    assert done["status"] == "done" and done["epoch"] == 300
    assert done["history"]["accuracy"][-1] == 1.0
    assert done["history"]["val_accuracy"][-1] == 1.0
    outputs = client.post(f"/api/runs/{done['id']}/predict", json={"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]]}).json()[
        "outputs"
    ]
    assert [round(o[0]) for o in outputs] == [0, 1, 1, 0]


def test_circle_trains_and_the_loss_falls(client: httpx.Client) -> None:
    run = client.post("/api/runs", json=circle_spec(epochs=150)).json()
    assert run["status"] == "running" and run["epoch"] == 0
    done = wait_for(client, run["id"], finished)
    history = done["history"]
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 150 for values in history.values())
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_accuracy"][-1] > 0.9


def test_same_seed_same_curve_other_seed_other_curve(client: httpx.Client) -> None:
    spec = circle_spec(epochs=15)
    spec["model"]["layers"].insert(1, {"type": "Dropout", "rate": 0.1})  # randomness while training too
    ids = [client.post("/api/runs", json=spec).json()["id"] for _ in range(2)]
    other = client.post("/api/runs", json={**spec, "seed": 7}).json()["id"]
    a, b, c = (wait_for(client, i, finished)["history"]["loss"] for i in (*ids, other))
    assert a == b
    assert a != c


def test_pause_step_resume_stop(client: httpx.Client) -> None:
    run_id = client.post("/api/runs", json=circle_spec(epochs=100_000)).json()["id"]
    wait_for(client, run_id, lambda r: r["epoch"] >= 3)
    assert client.post(f"/api/runs/{run_id}/pause").json()["status"] == "paused"
    paused = wait_for(client, run_id, lambda r: True)
    # Once the epochs in flight have finished, the count stands still.
    time.sleep(0.5)
    held = client.get(f"/api/runs/{run_id}").json()["epoch"]
    time.sleep(0.5)
    assert client.get(f"/api/runs/{run_id}").json()["epoch"] == held >= paused["epoch"]

    stepped = client.post(f"/api/runs/{run_id}/step").json()
    assert stepped["status"] == "paused"
    after = wait_for(client, run_id, lambda r: r["epoch"] == held + 1)
    time.sleep(0.4)
    assert client.get(f"/api/runs/{run_id}").json()["epoch"] == held + 1 == len(after["history"]["loss"])

    assert client.post(f"/api/runs/{run_id}/resume").json()["status"] == "running"
    wait_for(client, run_id, lambda r: r["epoch"] >= held + 5)
    answer = client.post(f"/api/runs/{run_id}/stop").json()
    assert (answer["status"], answer["saved"]) == ("stopped", True)  # answered once written
    stopped = wait_for(client, run_id, finished)
    assert stopped["status"] == "stopped" and stopped["epoch"] == answer["epoch"]
    assert len(stopped["history"]["loss"]) == stopped["epoch"]
    assert client.post(f"/api/runs/{run_id}/resume").status_code == 409


def test_a_run_can_start_paused_and_step_from_zero(client: httpx.Client) -> None:
    run = client.post("/api/runs", json={**circle_spec(epochs=1000), "paused": True}).json()
    assert run["status"] == "paused"
    time.sleep(0.5)
    assert client.get(f"/api/runs/{run['id']}").json()["epoch"] == 0
    client.post(f"/api/runs/{run['id']}/step")
    stepped = wait_for(client, run["id"], lambda r: r["epoch"] == 1)
    time.sleep(0.3)
    assert client.get(f"/api/runs/{run['id']}").json()["epoch"] == 1 == len(stepped["history"]["loss"])
    client.delete(f"/api/runs/{run['id']}")


def test_learning_rate_changes_while_training(client: httpx.Client) -> None:
    run_id = client.post("/api/runs", json=circle_spec(epochs=100_000)).json()["id"]
    wait_for(client, run_id, lambda r: r["epoch"] >= 20)
    client.post(f"/api/runs/{run_id}/pause")
    time.sleep(0.3)
    paused = client.get(f"/api/runs/{run_id}").json()
    before = paused["history"]["loss"][-1]
    assert client.patch(f"/api/runs/{run_id}", json={"learning_rate": 50.0}).status_code == 200
    for _ in range(3):
        client.post(f"/api/runs/{run_id}/step")
    later = wait_for(client, run_id, lambda r: r["epoch"] >= paused["epoch"] + 3 or finished(r))
    # A learning rate of 50 wrecks the fit at once: the loss jumps far above where it was.
    after = later["history"]["loss"][paused["epoch"] :]
    assert later["status"] == "failed" or max(v for v in after if v is not None) > before * 2
    client.delete(f"/api/runs/{run_id}")
    assert client.patch(f"/api/runs/{run_id}", json={"learning_rate": -1}).status_code == 422


def test_predictions_match_keras_with_the_streamed_weights(client: httpx.Client, server) -> None:  # noqa: ANN001
    from tests.stream_client import collect

    spec = circle_spec(epochs=30)
    run_id = client.post("/api/runs", json=spec).json()["id"]
    messages = collect(server, client, run_id)
    last = [m for m in messages if m["type"] == "frame"][-1]
    oracle = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(4, "tanh"),
            keras.layers.Dense(2, "tanh"),
            keras.layers.Dense(1, "sigmoid"),
        ]
    )
    oracle.set_weights(
        [np.array(w, dtype=np.float32) for layer in last["weights"] for w in (layer["kernel"], layer["bias"])]
    )
    points = np.random.default_rng(0).uniform(-6, 6, (50, 2)).astype(np.float32)
    served = np.array(client.post(f"/api/runs/{run_id}/predict", json={"inputs": points.tolist()}).json()["outputs"])
    assert np.allclose(served, oracle.predict(points, verbose=0), atol=2e-3)
    # Plane points go through the run's features; with x1, x2 they are the inputs themselves.
    by_points = client.post(f"/api/runs/{run_id}/predict", json={"points": points.tolist()}).json()["outputs"]
    assert np.allclose(by_points, served)


def test_evaluate_gives_the_last_val_entries(client: httpx.Client) -> None:
    done = wait_for(client, client.post("/api/runs", json=circle_spec(epochs=20)).json()["id"], finished)
    scores = client.post(f"/api/runs/{done['id']}/evaluate").json()
    assert set(scores) == {"loss", "accuracy"}
    assert abs(scores["loss"] - done["history"]["val_loss"][-1]) < 1e-5
    assert abs(scores["accuracy"] - done["history"]["val_accuracy"][-1]) < 1e-6


def test_batch_larger_than_the_training_set_trains_one_batch(client: httpx.Client) -> None:
    spec = circle_spec(epochs=5)
    spec["fit"]["batch_size"] = 100_000
    done = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    assert done["status"] == "done" and len(done["history"]["loss"]) == 5


def test_multiclass_regression_and_other_losses_train(client: httpx.Client) -> None:
    specs = [
        {
            "dataset": {"name": "blobs"},
            "model": {"layers": [dense(6), dense(3, "softmax")]},
            "compile": {
                "loss": "sparse_categorical_crossentropy",
                "optimizer": {"type": "Adam", "learning_rate": 0.02},
                "metrics": ["accuracy"],
            },
        },
        {
            "dataset": {"name": "blobs"},
            "model": {"layers": [dense(6), dense(3, "softmax")]},
            "compile": {"loss": "categorical_crossentropy", "optimizer": {"type": "RMSprop"}, "metrics": ["accuracy"]},
        },
        {
            "dataset": {"name": "plane"},
            "model": {"layers": [dense(1, "linear")]},
            "compile": {
                "loss": "mse",
                "optimizer": {"type": "SGD", "learning_rate": 0.01, "momentum": 0.9},
                "metrics": ["mae", "r2_score"],
            },
        },
        {
            "dataset": {"name": "gauss"},
            "model": {"layers": [dense(1, "tanh")]},
            "compile": {
                "loss": "hinge",
                "optimizer": {
                    "type": "Adam",
                    "learning_rate": {"type": "ExponentialDecay", "initial_learning_rate": 0.05},
                },
            },
        },
        {
            "dataset": {"name": "circle"},
            "model": {
                "layers": [
                    dense(8, "relu", kernel_regularizer={"type": "L2", "l2": 0.001}),
                    {"type": "BatchNormalization"},
                    dense(1, "linear"),
                ]
            },
            "compile": {"loss": "mean_squared_error", "optimizer": {"type": "Nadam"}, "metrics": ["accuracy"]},
        },
    ]
    for wave in (specs[:3], specs[3:]):  # within the per-client limit of active runs
        ids = []
        for spec in wave:
            response = client.post("/api/runs", json={**spec, "fit": {"epochs": 30, "batch_size": 16}})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        for run_id, spec in zip(ids, wave, strict=True):
            done = wait_for(client, run_id, finished)
            assert done["status"] == "done", (spec, done["error"])
            loss = done["history"]["loss"]
            assert loss[-1] < loss[0], spec


def test_lists_own_runs_newest_first_and_deletes(client: httpx.Client) -> None:
    first = client.post("/api/runs", json=circle_spec(epochs=2)).json()["id"]
    second = client.post("/api/runs", json=circle_spec(epochs=2)).json()["id"]
    listed = client.get("/api/runs").json()
    assert [r["id"] for r in listed][:2] == [second, first]
    assert {"id", "status", "epoch", "spec"} <= set(listed[0])
    assert client.delete(f"/api/runs/{first}").status_code == 204
    assert client.get(f"/api/runs/{first}").status_code == 404
    assert [r["id"] for r in client.get("/api/runs").json()] == [second]


def test_another_session_cannot_see_or_touch_a_run(client: httpx.Client, server) -> None:  # noqa: ANN001
    run_id = client.post("/api/runs", json=circle_spec(epochs=100_000)).json()["id"]
    with httpx.Client(base_url=server.url) as stranger:
        assert stranger.get("/api/runs").json() == []
        for method, path in [
            ("GET", ""),
            ("POST", "/pause"),
            ("POST", "/stop"),
            ("POST", "/step"),
            ("POST", "/evaluate"),
            ("DELETE", ""),
        ]:
            response = stranger.request(method, f"/api/runs/{run_id}{path}")
            assert response.status_code == 404, (method, path)
            assert "no run" in response.json()["detail"]
        assert stranger.post(f"/api/runs/{run_id}/predict", json={"inputs": [[0, 0]]}).status_code == 404
    assert client.get(f"/api/runs/{run_id}").json()["status"] == "running"
    client.delete(f"/api/runs/{run_id}")


def test_bearer_token_works_like_the_cookie(client: httpx.Client, server) -> None:  # noqa: ANN001
    token = client.get("/api/health").headers["x-session-token"]
    run_id = client.post("/api/runs", json=circle_spec(epochs=2)).json()["id"]
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as script:
        assert script.get(f"/api/runs/{run_id}").status_code == 200


def test_divergence_ends_the_run_with_advice(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "plane"},
        "model": {"layers": [dense(8, "relu"), dense(1, "linear")]},
        "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 90}},
        "fit": {"epochs": 200, "batch_size": 10},
    }
    done = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    assert done["status"] == "failed"
    assert "diverged" in done["error"] and "smaller learning rate" in done["error"]
    assert done["history"]["loss"][-1] is None  # JSON has no NaN; the epoch is still there
