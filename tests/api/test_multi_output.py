"""The two-output H(X) = XW case: a table with two targets per row, a Dense(2) model ([n, 3] × [3, 2]),
its lesson, and every view of the run (predict, report, frames, code.py, weights) with Keras as the oracle."""

import io
import zipfile
from pathlib import Path

import httpx
import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score

from app.engine.tf_setup import keras
from app.presets import presets
from tests.helpers import finished, wait_for
from tests.server import Server
from tests.stream_client import collect

X = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]]  # the course's table
FINAL = [152, 185, 180, 196, 142]


def _preset() -> dict:
    return next(p for p in presets() if p["id"] == "multi-output-exam-scores")


def _model(client: httpx.Client, run_id: str, tmp_path: Path) -> keras.Model:
    response = client.get(f"/api/runs/{run_id}/model.keras")
    assert response.status_code == 200, response.text
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    (tmp_path / "model.keras").write_bytes(response.content)
    return keras.saving.load_model(tmp_path / "model.keras")


def test_the_table_has_two_targets_per_row(client: httpx.Client) -> None:
    listed = {d["name"]: d for d in client.get("/api/datasets").json()}
    info = listed["exam_scores_two"]
    assert info["target_names"] == ["final", "total"] and info["task"] == "regression"
    assert listed["exam_scores"]["target_names"] == []
    data = client.get("/api/datasets/exam_scores_two").json()
    assert data["x_train"] == X
    y = np.array(data["y_train"])
    assert y.shape == (5, 2) and y[:, 0].tolist() == FINAL and y[:, 1].tolist() == np.sum(X, axis=1).tolist()


def test_a_one_output_model_is_refused_naming_the_layer(client: httpx.Client) -> None:
    spec = {**_preset()["spec"], "model": {"layers": [{"type": "Dense", "units": 1}]}}
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "model.layers[0]" and error["code"] == "output_per_target"
    assert "Dense(2)" in error["message"] and "final, total" in error["message"]


def test_the_lesson_trains_xw_with_w_of_shape_3_by_2(client: httpx.Client, tmp_path: Path) -> None:
    preset = _preset()
    run = wait_for(client, client.post("/api/runs", json=preset["spec"]).json()["id"], finished, timeout=300)
    assert run["status"] == "done", run["error"]
    assert run["history"]["loss"][-1] < run["history"]["loss"][0] / 100
    model = _model(client, run["id"], tmp_path)
    kernel, bias = model.layers[-1].get_weights()
    assert kernel.shape == (3, 2) and bias.shape == (2,)
    # The total's column gives the totals (not necessarily [1, 1, 1]: the three scores move together).
    assert np.allclose(np.array(X) @ kernel[:, 1] + bias[1], np.sum(X, axis=1), atol=5)

    # predict: the run's answers are the downloaded Keras model's, one value per target.
    asked = preset["predict"]
    answer = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": asked}).json()
    outputs = np.array(answer["outputs"])
    assert outputs.shape == (2, 2)
    assert np.allclose(outputs, model.predict(np.array(asked, np.float32), verbose=0), rtol=1e-5, atol=1e-3)
    assert abs(outputs[0, 1] - 270) < 5 and abs(outputs[1, 1] - 225) < 5

    # report: scikit-learn's scores of the Keras model's predictions on the training rows.
    report = client.get(f"/api/runs/{run['id']}/report").json()
    y = np.array(client.get("/api/datasets/exam_scores_two").json()["y_train"])
    predicted = model.predict(np.array(X, np.float32), verbose=0)
    assert report["split"] == "train"
    assert report["r2"] >= LinearRegression().fit(X, y).score(X, y) - 0.05  # near the least-squares fit
    assert np.isclose(report["r2"], r2_score(y, predicted), rtol=1e-4)
    assert np.isclose(report["mse"], mean_squared_error(y, predicted), rtol=1e-4)
    assert len(report["per_output"]) == 2 and len(report["pairs"]) == 10
    for j, scores in enumerate(report["per_output"]):
        assert np.isclose(scores["r2"], r2_score(y[:, j], predicted[:, j]), rtol=1e-4)
    # The history's loss is Keras's mse over both outputs of the same model on these rows (one full batch).
    assert np.isclose(
        model.evaluate(np.array(X, np.float32), y, verbose=0), mean_squared_error(y, predicted), rtol=1e-4
    )


def test_the_stream_and_code_py_carry_two_outputs(client: httpx.Client, server: Server) -> None:
    spec = {**_preset()["spec"], "fit": {**_preset()["spec"]["fit"], "epochs": 30}}
    run_id = client.post("/api/runs", json=spec).json()["id"]
    messages = collect(server, client, run_id)
    assert messages[-1]["type"] == "done", messages[-1]
    frames = [m for m in messages if m["type"] == "frame"]
    losses = [v for f in frames for v in f["history"].get("loss", [])]  # the epoch-0 frame has none yet
    assert len(losses) == 30 and all(np.isfinite(losses))
    assert frames[-1]["epoch"] == 30 and frames[-1]["weights"]
    script = client.get(f"/api/runs/{run_id}/code.py")
    assert script.status_code == 200, script.text
    building, _ = script.text.split("model.summary()", 1)
    namespace: dict = {}
    exec(compile(building, "playground_run.py", "exec"), namespace)  # noqa: S102
    assert namespace["y_train"].shape == (5, 2) and namespace["model"].output_shape == (None, 2)
    assert "H(X) = XW with W of shape [3, 2]" in script.text
