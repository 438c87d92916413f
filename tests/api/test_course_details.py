"""The course's own details: a table's column chosen by name (hours → score), and the other Keras
options the notes use."""

from typing import Any

import httpx
import numpy as np
import pytest

from tests.helpers import finished, wait_for

HOURS = {"name": "hours_attendance", "features": ["hours"]}


def test_the_one_feature_hours_table_is_a_column_of_the_two_feature_one(client: httpx.Client) -> None:
    data = client.get("/api/datasets/hours_attendance", params={"features": "hours"}).json()
    assert data["feature_names"] == ["hours"]
    assert data["x_train"] == [[10], [9], [3], [2], [11]] and data["y_train"] == [90, 80, 50, 60, 40]
    spec = {
        "dataset": HOURS,
        "model": {"layers": [{"type": "Dense", "units": 1}]},
        "compile": {"loss": "mse", "optimizer": {"type": "Adam", "learning_rate": 0.5}},
        "fit": {"epochs": 1000, "batch_size": 5},
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    assert run["status"] == "done"
    w, b = np.polyfit([10, 9, 3, 2, 11], [90, 80, 50, 60, 40], 1)  # least squares as the oracle
    got = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[4], [8]]}).json()["outputs"]
    assert np.allclose(np.ravel(got), [4 * w + b, 8 * w + b], atol=1.0), (got, w, b)


def test_a_column_that_is_not_there_names_the_field(client: httpx.Client) -> None:
    spec: dict[str, Any] = {
        "dataset": {"name": "hours_attendance", "features": ["hours", "sleep"]},
        "model": {"layers": [{"type": "Dense", "units": 1}]},
        "compile": {"loss": "mse"},
    }
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "dataset.features[1]" and error["code"] == "unknown_feature"
    assert "attendance" in error["message"]
    plane = client.get("/api/datasets/circle", params={"features": "hours"})
    assert plane.status_code == 422 and "x1^2" in plane.json()["detail"]


XOR_LOGITS: dict[str, Any] = {
    "dataset": {"name": "xor_table"},
    "model": {"layers": [{"type": "Dense", "units": 3, "activation": "sigmoid"}, {"type": "Dense", "units": 1}]},
    "compile": {
        "loss": {"type": "BinaryCrossentropy", "from_logits": True},
        "optimizer": {"type": "Adam", "learning_rate": 0.1},
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 50, "batch_size": 4},
}


def test_a_loss_given_as_a_class_with_options_trains_as_keras_computes_it(client: httpx.Client) -> None:
    from app.engine.tf_setup import keras

    created = client.post("/api/runs", json=XOR_LOGITS)
    assert created.status_code == 201, created.text
    assert created.json()["warnings"] == []  # logits need no sigmoid on the output
    run = wait_for(client, created.json()["id"], finished)
    assert run["spec"]["compile"]["loss"] == {"type": "BinaryCrossentropy", "from_logits": True}
    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    logits = np.array(client.post(f"/api/runs/{run['id']}/predict", json={"inputs": x}).json()["outputs"])
    oracle = keras.losses.BinaryCrossentropy(from_logits=True)(np.array([[0], [1], [1], [0]], "float32"), logits)
    evaluated = client.post(f"/api/runs/{run['id']}/evaluate").json()
    assert evaluated["loss"] == pytest.approx(float(oracle), rel=1e-4)
    script = client.get(f"/api/runs/{run['id']}/code.py").text
    assert "loss=keras.losses.BinaryCrossentropy(from_logits=True)" in script
    named = client.post(
        "/api/runs", json={**XOR_LOGITS, "compile": {**XOR_LOGITS["compile"], "loss": "binary_crossentropy"}}
    )
    assert named.status_code == 201 and named.json()["warnings"][0]["code"] == "warn_probabilities"


def test_a_loss_option_the_class_does_not_take_names_the_field(client: httpx.Client) -> None:
    for loss in ({"type": "Hinge", "from_logits": True}, {"type": "Crossentropy"}):
        response = client.post("/api/runs", json={**XOR_LOGITS, "compile": {**XOR_LOGITS["compile"], "loss": loss}})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"].startswith("compile.loss"), response.json()


def test_leaky_relu_layer_named_layers_and_sparse_categorical_accuracy(client: httpx.Client, tmp_path) -> None:  # noqa: ANN001
    from app.engine.tf_setup import keras

    spec = {
        "dataset": {"name": "grades"},
        "model": {
            "layers": [
                {"type": "Dense", "units": 4, "name": "hidden"},
                {"type": "LeakyReLU", "negative_slope": 0.01},
                {"type": "Dense", "units": 3, "activation": "softmax", "name": "grade"},
            ]
        },
        "compile": {
            "loss": "sparse_categorical_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.1},
            "metrics": ["SparseCategoricalAccuracy", "accuracy"],
        },
        "fit": {"epochs": 20, "batch_size": 5},
    }
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    run = wait_for(client, created.json()["id"], finished)
    assert run["history"]["sparse_categorical_accuracy"] == run["history"]["accuracy"]
    summary = client.get(f"/api/runs/{run['id']}/summary.txt").text
    assert "hidden (Dense)" in summary and "leaky_re_lu (LeakyReLU)" in summary and "grade (Dense)" in summary
    script = client.get(f"/api/runs/{run['id']}/code.py").text
    assert "keras.layers.LeakyReLU(negative_slope=0.01, name='leaky_re_lu')" in script
    assert "name='hidden'" in script and "'sparse_categorical_accuracy'" in script
    path = tmp_path / "model.keras"
    path.write_bytes(client.get(f"/api/runs/{run['id']}/model.keras").content)
    model = keras.models.load_model(path)
    assert model.layers[1].negative_slope == pytest.approx(0.01)
    x = np.array([[10, 5], [3, 2], [-4, -9]], dtype=np.float32)
    served = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": x.tolist()}).json()["outputs"]
    assert np.allclose(model.predict(x, verbose=0), served, atol=1e-6)


def test_two_layers_of_one_name_and_a_metric_that_does_not_fit_name_the_field(client: httpx.Client) -> None:
    spec: dict[str, Any] = {
        "dataset": {"name": "xor_table"},
        "model": {"layers": [{"type": "Dense", "units": 2, "name": "h"}, {"type": "Dense", "units": 1, "name": "h"}]},
        "compile": {"loss": "binary_crossentropy"},
    }
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "model", response.text
    spec["model"]["layers"][1]["name"] = "out"
    spec["compile"]["metrics"] = ["sparse_categorical_accuracy"]
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "compile.metrics[0]", response.text


def test_the_scikit_learn_baseline_as_the_notes_run_it(client: httpx.Client) -> None:
    """MLPClassifier(hidden_layer_sizes=(10, 5), solver=..., alpha=..., max_iter=...) on the diabetes split,
    scikit-learn itself as the oracle."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    spec = {
        "dataset": {"name": "diabetes_binary", "scaling": "minmax"},
        "model": {
            "layers": [
                {"type": "Dense", "units": 10, "activation": "sigmoid"},
                {"type": "Dense", "units": 5, "activation": "sigmoid"},
                {"type": "Dense", "units": 2, "activation": "softmax"},
            ]
        },  # fmt: skip
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.001}},
        "fit": {"epochs": 2, "batch_size": 32},
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    data = client.get("/api/datasets/diabetes_binary", params={"scaling": "minmax"}).json()
    x, xt = (np.asarray(data[k], dtype=np.float32) for k in ("x_train", "x_test"))
    y, yt = np.asarray(data["y_train"]), np.asarray(data["y_test"])
    cases: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"solver": "lbfgs", "alpha": 0.001, "max_iter": 500}, {"solver": "lbfgs"}),
        ({"solver": "sgd", "max_iter": 300}, {"solver": "sgd", "learning_rate_init": 0.001, "batch_size": 32}),
    ]
    for choice, params in cases:
        got = client.post(f"/api/runs/{run['id']}/baseline", json=choice, timeout=300)
        assert got.status_code == 200, got.text
        body = got.json()
        oracle = MLPClassifier(hidden_layer_sizes=(10, 5), activation="logistic", alpha=choice.get("alpha", 0.0),
                               max_iter=choice["max_iter"], random_state=0, **params)  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            oracle.fit(x, y)
        assert body["params"]["solver"] == choice["solver"] and body["params"]["max_iter"] == choice["max_iter"]
        assert body["test_score"] == pytest.approx(oracle.score(xt, yt), abs=1e-9), choice
    too_many = client.post(f"/api/runs/{run['id']}/baseline", json={"max_iter": 10_001})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "max_iter"
    unknown = client.post(f"/api/runs/{run['id']}/baseline", json={"solver": "newton"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "solver"
