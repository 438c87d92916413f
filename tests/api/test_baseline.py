"""POST /api/runs/{id}/baseline: scikit-learn's MLP with the run's hidden layers on the run's split.

scikit-learn trained here, on the data GET /api/datasets gives, is the oracle for its score; the run's
own evaluate and report are the oracle for the Keras score."""

import warnings

import httpx
import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from tests.helpers import dense, finished, wait_for


def _data(client: httpx.Client, name: str, **query: object) -> dict[str, np.ndarray]:
    got = client.get(f"/api/datasets/{name}", params=query).json()
    kind = np.float32 if got["task"] == "regression" else np.int64
    # The server keeps inputs as float32; JSON carries each value exactly. Images become flat rows.
    x_train = np.asarray(got["x_train"], dtype=np.float32).reshape(len(got["x_train"]), -1)
    return {
        "x_train": x_train,
        "x_test": np.asarray(got["x_test"], dtype=np.float32).reshape(-1, x_train.shape[1]),
        "y_train": np.asarray(got["y_train"], dtype=kind),
        "y_test": np.asarray(got["y_test"], dtype=kind),
    }


def _fit(estimator, x: np.ndarray, y: np.ndarray):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(x, y)


def test_classifier_scores_equal_scikit_learn_and_evaluate(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "iris", "scaling": "standard"},
        "model": {"layers": [dense(8, "tanh"), dense(3, "softmax")]},
        "compile": {
            "loss": "sparse_categorical_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.01},
            "metrics": ["accuracy"],
        },
        "fit": {"epochs": 80, "batch_size": 16},
        "seed": 3,
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    response = client.post(f"/api/runs/{run['id']}/baseline")
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["model"] == "MLPClassifier" and got["hidden_layer_sizes"] == [8] and got["activation"] == "tanh"
    assert got["metric"] == "accuracy" and got["split"] == "test" and got["seconds"] >= 0
    assert got["keras_epoch"] == 80

    data = _data(client, "iris", scaling="standard", seed=3)
    oracle = _fit(
        MLPClassifier(
            hidden_layer_sizes=(8,),
            activation="tanh",
            solver="adam",
            learning_rate_init=0.01,
            beta_1=0.9,
            beta_2=0.999,
            epsilon=1e-7,
            alpha=0.0,
            batch_size=16,
            max_iter=80,
            random_state=3,
        ),  # fmt: skip
        data["x_train"],
        data["y_train"],
    )
    assert got["test_score"] == pytest.approx(oracle.score(data["x_test"], data["y_test"]), abs=1e-9)
    assert got["train_score"] == pytest.approx(oracle.score(data["x_train"], data["y_train"]), abs=1e-9)
    assert got["n_iter"] == oracle.n_iter_

    evaluated = client.post(f"/api/runs/{run['id']}/evaluate").json()
    assert got["keras_test_score"] == pytest.approx(evaluated["accuracy"], abs=1e-6)
    assert got["keras_test_score"] == pytest.approx(run["history"]["val_accuracy"][-1], abs=1e-6)


def test_regressor_scores_equal_scikit_learn_and_the_report(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "diabetes", "scaling": "standard"},
        "model": {"layers": [dense(16, "relu"), {"type": "Dropout", "rate": 0.1}, dense(8, "sigmoid"), dense(1)]},
        "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 0.01, "momentum": 0.9}},
        "fit": {"epochs": 40, "batch_size": 32},
        "seed": 5,
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    got = client.post(f"/api/runs/{run['id']}/baseline").json()
    assert got["model"] == "MLPRegressor" and got["hidden_layer_sizes"] == [16, 8] and got["metric"] == "r2"
    assert got["activation"] == "relu"
    notes = {note["code"]: note for note in got["notes"]}
    assert notes["left_out"]["field"] == "model.layers[1]" and notes["left_out"]["layer"] == "Dropout"
    assert "one activation for every hidden layer" in notes["one_activation"]["message"]

    data = _data(client, "diabetes", scaling="standard", seed=5)
    oracle = _fit(
        MLPRegressor(
            hidden_layer_sizes=(16, 8),
            activation="relu",
            solver="sgd",
            learning_rate_init=0.01,
            momentum=0.9,
            nesterovs_momentum=False,
            alpha=0.0,
            batch_size=32,
            max_iter=40,
            random_state=5,
        ),  # fmt: skip
        data["x_train"],
        data["y_train"],
    )
    assert got["test_score"] == pytest.approx(oracle.score(data["x_test"], data["y_test"]), abs=1e-9)
    report = client.get(f"/api/runs/{run['id']}/report").json()
    assert got["keras_test_score"] == pytest.approx(report["r2"], abs=1e-9)


def test_a_table_without_test_split_scores_on_the_training_rows(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "x_plus_2"},
        "model": {"layers": [dense(4, "elu"), dense(1)]},
        "compile": {"loss": "mse", "optimizer": {"type": "RMSprop", "learning_rate": 0.01}},
        "fit": {"epochs": 5000, "batch_size": 10},
        "paused": True,  # nothing trains: the Keras score is the untrained model's
    }
    run = client.post("/api/runs", json=spec).json()
    got = client.post(f"/api/runs/{run['id']}/baseline").json()
    assert got["split"] == "train" and got["keras_epoch"] == 0
    params = got["params"]
    assert params["activation"] == "relu" and params["solver"] == "adam"
    assert params["max_iter"] == 1000 and params["batch_size"] == 6
    notes = " ".join(note["message"] for note in got["notes"])
    assert "'elu'" in notes and "RMSprop" in notes and "1000 epochs" in notes

    data = _data(client, "x_plus_2")
    assert len(data["x_test"]) == 0
    oracle = _fit(
        MLPRegressor(
            hidden_layer_sizes=(4,),
            activation="relu",
            solver="adam",
            learning_rate_init=0.01,
            alpha=0.0,
            batch_size=6,
            max_iter=1000,
            random_state=0,
        ),  # fmt: skip
        data["x_train"],
        data["y_train"],
    )
    assert got["test_score"] == pytest.approx(oracle.score(data["x_train"], data["y_train"]), abs=1e-9)
    assert got["test_score"] == got["train_score"]
    outputs = np.array(
        client.post(f"/api/runs/{run['id']}/predict", json={"inputs": data["x_train"].tolist(), "scaled": True}).json()[
            "outputs"
        ]
    )
    truth = data["y_train"].astype(np.float64)
    r2 = 1 - np.sum((outputs[:, 0] - truth) ** 2) / np.sum((truth - truth.mean()) ** 2)
    assert got["keras_test_score"] == pytest.approx(r2, abs=1e-6)


def test_a_model_without_a_counterpart_is_refused_by_its_layer(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "digits"},
        "model": {
            "layers": [
                {"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "relu"},
                {"type": "Flatten"},
                dense(10, "softmax"),
            ]
        },
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}},
        "paused": True,
    }
    run = client.post("/api/runs", json=spec).json()
    response = client.post(f"/api/runs/{run['id']}/baseline")
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["field"] == "model.layers[0]" and "Conv2D" in body["detail"]
    assert client.post("/api/runs/no-such-run/baseline").status_code == 404


def test_digits_as_flat_rows_with_a_dense_model(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "digits", "scaling": "minmax"},
        "model": {"layers": [{"type": "Flatten"}, dense(16, "relu"), dense(10, "softmax")]},
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.01}},
        "fit": {"epochs": 20, "batch_size": 32},
        "paused": True,
    }
    run = client.post("/api/runs", json=spec).json()
    got = client.post(f"/api/runs/{run['id']}/baseline").json()
    data = _data(client, "digits", scaling="minmax", seed=0)
    assert data["x_train"].shape[1] == 64
    oracle = _fit(
        MLPClassifier(
            hidden_layer_sizes=(16,),
            activation="relu",
            solver="adam",
            learning_rate_init=0.01,
            epsilon=1e-7,
            alpha=0.0,
            batch_size=32,
            max_iter=20,
            random_state=0,
        ),  # fmt: skip
        data["x_train"],
        data["y_train"],
    )
    assert got["test_score"] == pytest.approx(oracle.score(data["x_test"], data["y_test"]), abs=1e-9)
    assert got["test_score"] > 0.8
