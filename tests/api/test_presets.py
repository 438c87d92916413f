"""Every course exercise is a preset that starts a run; the lessons' claims hold."""

import httpx
import numpy as np
import pytest

from app.presets import presets
from tests.helpers import finished, wait_for

COURSE = {
    "linear-study-hours",
    "linear-study-hours-noisy",
    "keras-x-plus-2",
    "multi-feature-hours-attendance",
    "multi-feature-exam-scores",
    "logistic-diabetes",
    "softmax-diabetes",
    "softmax-grades",
    "xor-no-hidden",
    "xor-hidden-3",
    "xor-hidden-2",
    "xor-hidden-1",
    "xor-hidden-2-3",
    "cnn-digits",
}


def test_presets_cover_the_course_in_both_languages(client: httpx.Client) -> None:
    listed = client.get("/api/presets").json()
    ids = [p["id"] for p in listed]
    assert COURSE <= set(ids) and len(ids) == len(set(ids))
    for preset in listed:
        for field in ("title", "description"):
            assert preset[field]["en"] and preset[field]["ko"], preset["id"]
    topics = {p["topic"] for p in listed}
    assert {1, 2, 3, 4, 5, 6, 7} <= topics


@pytest.mark.parametrize("preset", presets(), ids=[p["id"] for p in presets()])
def test_every_preset_starts_a_run(client: httpx.Client, preset: dict) -> None:
    spec = {**preset["spec"], "fit": {**preset["spec"]["fit"], "epochs": 2}}
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 201, response.text
    done = wait_for(client, response.json()["id"], finished)
    assert done["status"] == "done", done["error"]


def _run(client: httpx.Client, preset_id: str) -> dict:
    preset = next(p for p in presets() if p["id"] == preset_id)
    return wait_for(client, client.post("/api/runs", json=preset["spec"]).json()["id"], finished, timeout=300)


def _predict(client: httpx.Client, run: dict, inputs: list) -> np.ndarray:
    return np.array(client.post(f"/api/runs/{run['id']}/predict", json={"inputs": inputs}).json()["outputs"])


def test_keras_x_plus_2_predicts_input_plus_2(client: httpx.Client) -> None:
    run = _run(client, "keras-x-plus-2")
    inputs = [[-3.1], [3.0], [3.5], [15.0], [20.1]]
    assert np.allclose(_predict(client, run, inputs)[:, 0], np.array(inputs)[:, 0] + 2, atol=0.5)


def test_study_hours_finds_w_20(client: httpx.Client) -> None:
    run = _run(client, "linear-study-hours")
    assert np.allclose(_predict(client, run, [[5], [12]])[:, 0], [100, 240], rtol=0.05)


def test_xor_needs_a_hidden_layer(client: httpx.Client) -> None:
    assert _run(client, "xor-no-hidden")["history"]["accuracy"][-1] < 1.0
    solved = _run(client, "xor-hidden-3")
    assert solved["history"]["accuracy"][-1] == 1.0
    assert [round(v[0]) for v in _predict(client, solved, [[0, 0], [0, 1], [1, 0], [1, 1]])] == [0, 1, 1, 0]


def test_report_for_classification_and_regression(client: httpx.Client) -> None:
    from sklearn.metrics import confusion_matrix, precision_score, r2_score, recall_score

    spec = {
        "dataset": {"name": "iris", "scaling": "standard"},
        "model": {"layers": [{"type": "Dense", "units": 3, "activation": "softmax"}]},
        "compile": {
            "loss": "sparse_categorical_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.05},
            "metrics": ["accuracy"],
        },
        "fit": {"epochs": 60, "batch_size": 16},
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    got = client.get(f"/api/runs/{run['id']}/report").json()
    data = client.get("/api/datasets/iris", params={"scaling": "standard"}).json()
    outputs = np.array(
        client.post(f"/api/runs/{run['id']}/predict", json={"inputs": data["x_test"], "scaled": True}).json()["outputs"]
    )
    predicted, truth = outputs.argmax(axis=1), np.array(data["y_test"])
    assert got["split"] == "test" and got["class_names"] == ["setosa", "versicolor", "virginica"]
    assert got["confusion"] == confusion_matrix(truth, predicted, labels=[0, 1, 2]).tolist()  # scikit-learn as oracle
    assert np.allclose(got["precision"], precision_score(truth, predicted, average=None, zero_division=0))
    assert np.allclose(got["recall"], recall_score(truth, predicted, average=None, zero_division=0))
    assert got["accuracy"] == pytest.approx(run["history"]["val_accuracy"][-1], abs=1e-6)

    spec = {
        "dataset": {"name": "diabetes", "scaling": "standard"},
        "model": {"layers": [{"type": "Dense", "units": 1}]},
        "compile": {"loss": "mse", "optimizer": {"type": "Adam", "learning_rate": 0.5}},
        "fit": {"epochs": 100, "batch_size": 32},
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    got = client.get(f"/api/runs/{run['id']}/report").json()
    pairs = np.array(got["pairs"])
    assert got["task"] == "regression" and got["r2"] == pytest.approx(r2_score(pairs[:, 0], pairs[:, 1]), abs=1e-4)
    assert got["mse"] == pytest.approx(run["history"]["val_loss"][-1], rel=1e-3)
    assert got["r2"] > 0.3


COMPARED = [p for p in presets() if "compare" in p]


def test_comparison_lessons_name_a_second_setup_on_the_same_data(client: httpx.Client) -> None:
    listed = {p["id"]: p for p in client.get("/api/presets").json()}
    assert {"activation-sigmoid-deep", "optimizer-sgd", "overfitting-no-dropout"} <= {p["id"] for p in COMPARED}
    for preset in COMPARED:
        spec, other = listed[preset["id"]]["spec"], listed[preset["id"]]["compare"]
        assert other["dataset"] == spec["dataset"] and other["seed"] == spec["seed"], preset["id"]
        assert other != spec, preset["id"]


@pytest.mark.parametrize("preset", COMPARED, ids=[p["id"] for p in COMPARED])
def test_the_compared_setup_starts_a_run(client: httpx.Client, preset: dict) -> None:
    spec = {**preset["compare"], "fit": {**preset["compare"]["fit"], "epochs": 2}}
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 201, response.text
    assert wait_for(client, response.json()["id"], finished)["status"] == "done"
