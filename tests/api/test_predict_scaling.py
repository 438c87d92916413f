"""POST /api/runs/{id}/predict takes rows in the data's own units and scales them on the server with
the run's scaler (fitted on the training split), or already scaled rows with "scaled": true; the
report's accuracy follows Keras's `accuracy` rule."""

from pathlib import Path

import httpx
import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from app.engine.tf_setup import keras
from app.presets import presets
from tests.helpers import finished, wait_for


def _preset(preset_id: str) -> dict:
    return next(p for p in presets() if p["id"] == preset_id)


@pytest.mark.parametrize("scaling", ["minmax", "standard"])
def test_rows_in_the_datas_units_are_scaled_by_the_server(client: httpx.Client, tmp_path: Path, scaling: str) -> None:
    spec = {**_preset("softmax-diabetes")["spec"], "fit": {"epochs": 20, "batch_size": 32}}
    spec["dataset"] = {**spec["dataset"], "scaling": scaling}
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    raw = client.get("/api/datasets/diabetes_binary", params={"scaling": "none"}).json()
    x_raw = np.asarray(raw["x_train"], dtype=np.float32)
    scaler = (MinMaxScaler() if scaling == "minmax" else StandardScaler()).fit(x_raw)  # the oracle's scaler
    x_scaled = scaler.transform(x_raw[:10]).astype(np.float32)

    answer = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": x_raw[:10].tolist()}).json()
    assert answer["scaling"] == {"method": scaling, "applied": True, "fitted_on": "train"}
    already = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": x_scaled.tolist(), "scaled": True}).json()
    assert already["scaling"]["applied"] is False
    assert np.allclose(answer["outputs"], already["outputs"], atol=1e-5)

    path = tmp_path / "model.keras"
    path.write_bytes(client.get(f"/api/runs/{run['id']}/model.keras").content)
    oracle = keras.models.load_model(path).predict(x_scaled, verbose=0)
    assert np.allclose(answer["outputs"], oracle, atol=1e-5)


def test_unscaled_runs_say_so_and_points_cannot_be_scaled(client: httpx.Client) -> None:
    spec = {**_preset("xor-hidden-3")["spec"], "fit": {"epochs": 2, "batch_size": 4}}
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    answer = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[0, 1]]}).json()
    assert answer["scaling"] == {"method": "none", "applied": False, "fitted_on": None}
    bad = client.post(f"/api/runs/{run['id']}/predict", json={"points": [[0, 1]], "scaled": True})
    assert bad.status_code == 422


@pytest.mark.slow
def test_the_diabetes_lesson_predicts_its_first_training_row_as_the_notes_do(client: httpx.Client) -> None:
    """The notes print predict(xtrain[0]) ≈ [0.089, 0.911] after training; the row is sent as the
    data set has it (the server applies the lesson's min-max scaling)."""
    run = wait_for(client, client.post("/api/runs", json=_preset("softmax-diabetes")["spec"]).json()["id"], finished,
                   timeout=600)  # fmt: skip
    raw = client.get("/api/datasets/diabetes_binary", params={"scaling": "none"}).json()
    answer = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": raw["x_train"][:1]}).json()
    first = answer["outputs"][0]
    assert raw["y_train"][0] == 1 and first[1] > 0.8, first  # the notes' [0.089, 0.911]: class 1, confidently


def test_one_rule_for_accuracy_the_report_agrees_with_the_history(client: httpx.Client) -> None:
    """XOR without a hidden layer ends with four outputs of about 0.5: the cut-off decides, and the
    report must cut where Keras's accuracy metric does (above 0.5 is class 1)."""
    run = wait_for(client, client.post("/api/runs", json=_preset("xor-no-hidden")["spec"]).json()["id"], finished)
    report = client.get(f"/api/runs/{run['id']}/report").json()
    evaluated = client.post(f"/api/runs/{run['id']}/evaluate").json()
    assert report["accuracy"] == pytest.approx(run["history"]["val_accuracy"][-1], abs=1e-6)
    assert report["accuracy"] == pytest.approx(evaluated["accuracy"], abs=1e-6)
    outputs = np.array(
        client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]]}).json()[
            "outputs"
        ]
    )
    oracle = keras.metrics.BinaryAccuracy()
    oracle.update_state(np.array([[0], [1], [1], [0]], dtype=np.float32), outputs.astype(np.float32))
    assert report["accuracy"] == pytest.approx(float(oracle.result()), abs=1e-6)
