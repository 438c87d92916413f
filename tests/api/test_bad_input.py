"""Every wrong request gets a 4xx whose message names the field and says why."""

from typing import Any

import httpx
import pytest

from tests.helpers import circle_spec, dense


def spec_with(**changes: Any) -> dict[str, Any]:
    spec = circle_spec(epochs=5)
    for path, value in changes.items():
        target = spec
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[key] if not key.isdigit() else target[int(key)]
        if leaf.isdigit():
            target[int(leaf)] = value
        else:
            target[leaf] = value
    return spec


CASES = [
    # (spec changes, status, field named, words in the message)
    ({"model__layers__0": {"type": "Dense2", "units": 3}}, 422, "model.layers[0]", "unknown layer type 'Dense2'"),
    ({"model__layers__0": dense(3, "relux")}, 422, "model.layers[0].activation", "relux"),
    ({"compile__loss": "cross_entropy"}, 422, "compile.loss", "cross_entropy"),
    ({"compile__optimizer": {"type": "Adamm"}}, 422, "compile.optimizer", "unknown optimizer 'Adamm'"),
    (
        {"compile__optimizer": {"type": "Adam", "learning_rate": {"type": "Warmup"}}},
        422,
        "compile.optimizer.learning_rate",
        "Warmup",
    ),
    ({"compile__metrics": ["accuracy", "f1"]}, 422, "compile.metrics[1]", "f1"),
    ({"model__layers__0": dense(0)}, 422, "model.layers[0].units", "at least 1"),
    ({"model__layers__0": dense(-4)}, 422, "model.layers[0].units", "at least 1"),
    ({"model__layers__0": {"type": "Dropout", "rate": 1.5}}, 422, "model.layers[0].rate", "less than 1"),
    (
        {"model__layers__0": dense(4, kernel_regularizer={"type": "L3"})},
        422,
        "model.layers[0].kernel_regularizer",
        "L3",
    ),
    ({"model__layers__0": dense(4, unitz=3)}, 422, "model.layers[0].unitz", "not a field"),
    ({"model__layers": []}, 422, "model.layers", "at least 1"),
    ({"fit__epochs": 0}, 422, "fit.epochs", "at least 1"),
    ({"fit__batch_size": "ten"}, 422, "fit.batch_size", "whole number"),
    ({"dataset__name": "mnist9"}, 422, "dataset.name", "unknown data set 'mnist9'"),
    ({"dataset__noise": 80}, 422, "dataset.noise", "at most 50"),
    ({"dataset__features": ["x1", "x3"]}, 422, "dataset.features[1]", "x3"),
    ({"dataset__train_ratio": 0}, 422, "dataset.train_ratio", "more than 0"),
    ({"model__layers__0": {"type": "Conv2D", "filters": 4}}, 422, "model.layers[0]", "image-shaped input"),
    ({"model__layers__0": {"type": "MaxPooling2D"}}, 422, "model.layers[0]", "image-shaped input"),
    (
        {"model__layers__0": {"type": "Reshape", "target_shape": [3]}},
        422,
        "model.layers[0].target_shape",
        "holds 3 values",
    ),
    (
        {"model__layers__2": dense(3, "softmax"), "compile__loss": "binary_crossentropy"},
        422,
        "model.layers[2]",
        "binary_crossentropy",
    ),
    (
        {"dataset__name": "blobs", "compile__loss": "sparse_categorical_crossentropy", "compile__metrics": []},
        422,
        "model.layers[2]",
        "one output unit per class: 3",
    ),
    ({"dataset__name": "plane", "compile__metrics": []}, 422, "compile.loss", "regression data set"),
    ({"dataset__name": "plane", "compile__loss": "mse"}, 422, "compile.metrics[0]", "accuracy needs class labels"),
    ({"model__layers__2": {"type": "Dense", "units": 2000}}, 422, "model.layers[2].units", "limit"),
    ({"fit__epochs": 100_000_000}, 422, "fit.epochs", "limit"),
    ({"stream__grid_size": 5000}, 422, "stream.grid_size", "limit"),
    ({"dataset__n_samples": 10_000_000}, 422, "dataset.n_samples", "at most"),
    ({"seed": -1}, 422, "seed", "at least 0"),
]


@pytest.mark.parametrize(("changes", "status", "field", "words"), CASES, ids=[c[2] + ":" + c[3][:20] for c in CASES])
def test_bad_run_spec(client: httpx.Client, changes: dict[str, Any], status: int, field: str, words: str) -> None:
    response = client.post("/api/runs", json=spec_with(**changes))
    assert response.status_code == status, response.text
    body = response.json()
    assert field in [e["field"] for e in body["errors"]], body
    assert words in body["detail"], body["detail"]
    assert "Traceback" not in response.text


def test_too_many_layers_is_refused(client: httpx.Client) -> None:
    spec = circle_spec(epochs=1)
    spec["model"]["layers"] = [dense(2)] * 40 + [dense(1, "sigmoid")]
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422 and "limit of 32" in response.json()["detail"]


def test_model_too_large_is_refused(client: httpx.Client) -> None:
    spec = circle_spec(epochs=1)
    spec["model"]["layers"] = [dense(1024), dense(1024), dense(1024), dense(1, "sigmoid")]
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422 and "parameters" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"text"', b"", b'{"dataset": {"name": "circle"}}'],
    ids=["broken", "list", "string", "empty", "no-model"],
)
def test_malformed_bodies(client: httpx.Client, body: bytes) -> None:
    response = client.post("/api/runs", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_mismatch_that_keras_accepts_trains_with_a_warning(client: httpx.Client) -> None:
    spec = circle_spec(epochs=2)
    spec["model"]["layers"][-1] = dense(1, "linear")
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 201
    assert any("sigmoid" in w["message"] for w in response.json()["warnings"])


def test_bad_predict_requests(client: httpx.Client) -> None:
    run_id = client.post("/api/runs", json=circle_spec(epochs=1)).json()["id"]
    cases = [
        ({"inputs": [[1, 2, 3]]}, "inputs[0]", "needs 2"),
        ({"inputs": []}, "inputs", "at least one row"),
        ({}, "inputs", "either inputs"),
        ({"inputs": [[0, 0]], "points": [[0, 0]]}, "inputs", "either inputs"),
        ({"inputs": [["a", 0]]}, "inputs[0][0]", "number"),
        ({"inputs": [[0, 0]] * 20_000}, "inputs", "limit"),
    ]
    for body, field, words in cases:
        response = client.post(f"/api/runs/{run_id}/predict", json=body)
        assert response.status_code == 422, (body, response.text)
        assert field in [e["field"] for e in response.json()["errors"]]
        assert words in response.json()["detail"]


def test_bad_summary_requests(client: httpx.Client) -> None:
    response = client.post("/api/models/summary", json={"model": {"layers": [dense(3)]}})
    assert response.status_code == 422 and "input_shape" in response.json()["detail"]
    response = client.post("/api/models/summary", json={"model": {"layers": [dense(3)]}, "input_shape": [0]})
    assert response.status_code == 422 and "input_shape" in response.json()["detail"]


def test_unknown_paths_and_runs_are_404(client: httpx.Client) -> None:
    assert client.get("/api/runs/does-not-exist").status_code == 404
    assert client.post("/api/runs/does-not-exist/pause").status_code == 404
    assert client.get("/api/nothing-here").status_code == 404
