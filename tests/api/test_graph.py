"""Graph models over the API, against a real server: summaries, refusals naming the node and the edge,
runs that train on the per-run engine and stream frames, downloads."""

import copy
import io
import zipfile

import httpx
import numpy as np

from app.engine.tf_setup import keras
from tests.engine.test_graph import residual, two_inputs
from tests.helpers import circle_spec, finished, wait_for
from tests.stream_client import collect


def test_summary_of_a_graph_matches_keras(client: httpx.Client) -> None:
    body = client.post("/api/models/summary", json={"model": residual(), "input_shape": [2]}).json()
    inputs = keras.Input(shape=(2,), name="x")
    h1 = keras.layers.Dense(8, activation="relu", name="h1")(inputs)
    h2 = keras.layers.Dense(8, activation="relu", name="h2")(h1)
    out = keras.layers.Dense(1, activation="sigmoid", name="out")(keras.layers.Add(name="skip")([h1, h2]))
    oracle = keras.Model(inputs, out)
    assert [layer["name"] for layer in body["layers"]] == [layer.name for layer in oracle.layers]
    assert [layer["params"] for layer in body["layers"]] == [layer.count_params() for layer in oracle.layers]
    assert body["total_params"] == oracle.count_params()
    assert body["layers"][3]["inputs"] == ["h1", "h2"] and body["layers"][3]["connected_to"] == ["h1[0][0]", "h2[0][0]"]
    assert "Connected to" in body["text"] and body["functional"] is True


def test_summary_of_two_inputs_on_a_table(client: httpx.Client) -> None:
    body = client.post("/api/models/summary", json={"model": two_inputs(), "dataset": {"name": "hours_attendance"}})
    assert body.status_code == 200, body.text
    assert body.json()["inputs"] == [{"name": "hours", "shape": [1]}, {"name": "attendance", "shape": [1]}]


def test_refusals_name_the_node_and_the_edge(client: httpx.Client) -> None:
    cycle = copy.deepcopy(residual())
    cycle["graph"]["nodes"][0]["inputs"] = ["skip"]
    answer = client.post("/api/runs", json={**circle_spec(), "model": cycle})
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert (error["field"], error["code"]) == ("model.graph.nodes[2].inputs[0]", "graph_cycle")

    mismatch = copy.deepcopy(residual())
    mismatch["graph"]["nodes"][1]["layer"]["units"] = 4
    answer = client.post("/api/models/summary", json={"model": mismatch, "input_shape": [2]})
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert (error["field"], error["code"]) == ("model.graph.nodes[2].inputs", "merge_shapes")
    assert "skip" in error["message"]

    wrong = two_inputs((["hours"], ["sleep"]))
    answer = client.post("/api/runs", json={"dataset": {"name": "hours_attendance"}, "model": wrong})
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert (error["field"], error["code"]) == ("model.graph.inputs[1].features[0]", "unknown_feature")


def test_a_graph_run_streams_frames_and_finishes(client: httpx.Client, server) -> None:  # noqa: ANN001
    spec = {
        **circle_spec(epochs=60),
        "model": residual(),
        "compile": {"loss": "binary_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.01}},
    }
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    messages = collect(server, client, run_id)
    frames = [m for m in messages if m["type"] == "frame"]
    done = messages[-1]
    assert done["type"] == "done" and done["epoch"] == 60
    assert frames and [n["layer"] for n in frames[-1]["neurons"]] == ["h1", "h2"]
    assert [w["layer"] for w in frames[-1]["weights"]] == ["h1", "h2", "out"]
    assert done["history"]["loss"][-1] < done["history"]["loss"][0]
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["spec"]["model"].keys() == {"graph", "input_shape"}

    # The download is the functional model, with the weights the run trained.
    download = client.get(f"/api/runs/{run_id}/model.keras")
    assert download.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(download.content))


def test_a_two_input_run_on_the_table_finishes(client: httpx.Client) -> None:
    graph = two_inputs()
    graph["graph"]["nodes"][3]["layer"] = {"type": "Dense", "units": 1}
    spec = {
        "dataset": {"name": "hours_attendance"},
        "model": graph,
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "Adam", "learning_rate": 0.1}},
        "fit": {"epochs": 30, "batch_size": 5},
    }
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    run = wait_for(client, created.json()["id"], finished)
    assert run["status"] == "done", run
    predicted = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[10, 5], [2, 4]]})
    assert predicted.status_code == 200, predicted.text
    assert np.isfinite(np.asarray(predicted.json()["outputs"], dtype=float)).all()


def test_a_functional_model_with_a_skip_imports_as_a_graph_run(client: httpx.Client, tmp_path) -> None:  # noqa: ANN001
    inputs = keras.Input(shape=(2,), name="x")
    h1 = keras.layers.Dense(8, activation="relu", name="h1")(inputs)
    h2 = keras.layers.Dense(8, activation="relu", name="h2")(h1)
    out = keras.layers.Dense(1, activation="sigmoid", name="out")(keras.layers.Add(name="skip")([h1, h2]))
    original = keras.Model(inputs, out)
    path = tmp_path / "skip.keras"
    original.save(path)
    answer = client.post("/api/models/import", files={"file": ("skip.keras", path.read_bytes())})
    assert answer.status_code == 201, answer.text
    imported = answer.json()
    assert imported["spec"]["model"]["graph"]["nodes"][2]["inputs"] == ["h1", "h2"]
    assert imported["spec"]["dataset"]["name"] == "circle"
    points = [[0.5, -1.0], [3.0, 2.0]]
    served = client.post(f"/api/runs/{imported['id']}/predict", json={"inputs": points}).json()["outputs"]
    assert np.allclose(served, original(np.array(points, dtype="float32")).numpy(), atol=1e-6)


def test_a_two_input_model_imports_onto_a_table(client: httpx.Client, tmp_path) -> None:  # noqa: ANN001
    hours, attendance = keras.Input(shape=(1,), name="hours"), keras.Input(shape=(1,), name="attendance")
    joined = keras.layers.Concatenate(name="joined")([hours, attendance])
    original = keras.Model([hours, attendance], keras.layers.Dense(1, name="score")(joined))
    path = tmp_path / "two.keras"
    original.save(path)
    answer = client.post(
        "/api/models/import", files={"file": ("two.keras", path.read_bytes())}, data={"dataset": "hours_attendance"}
    )
    assert answer.status_code == 201, answer.text
    inputs = answer.json()["spec"]["model"]["graph"]["inputs"]
    assert inputs == [{"name": "hours", "features": ["hours"]}, {"name": "attendance", "features": ["attendance"]}]
    rows = np.array([[10, 5], [2, 4]], dtype="float32")
    served = client.post(f"/api/runs/{answer.json()['id']}/predict", json={"inputs": rows.tolist()}).json()["outputs"]
    assert np.allclose(served, original([rows[:, :1], rows[:, 1:]]).numpy(), atol=1e-5)
