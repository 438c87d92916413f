"""Summaries against Keras's own `model.summary()` as the oracle."""

from typing import Any

import httpx
import pytest

from app.engine.tf_setup import keras
from tests.helpers import dense

COURSE_NETWORK = [dense(10, "sigmoid"), dense(5, "sigmoid"), dense(2, "softmax")]


def test_course_network_summary_matches_keras(client: httpx.Client) -> None:
    body = client.post("/api/models/summary", json={"model": {"layers": COURSE_NETWORK}, "input_shape": [10]}).json()
    assert [layer["params"] for layer in body["layers"]] == [110, 55, 12]
    assert body["total_params"] == 177
    assert body["trainable_params"] == 177 and body["non_trainable_params"] == 0
    assert [layer["output_shape"] for layer in body["layers"]] == [[None, 10], [None, 5], [None, 2]]
    assert "Total params: 177" in body["text"]


def _keras_model(input_shape: tuple[int, ...], layers: list[keras.layers.Layer]) -> keras.Model:
    return keras.Sequential([keras.Input(shape=input_shape), *layers])


CASES: list[tuple[list[int], list[dict[str, Any]], Any]] = [
    (
        [8, 8, 1],
        [
            {"type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling2D"},
            {"type": "Flatten"},
            {"type": "Dropout", "rate": 0.2},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ],
        lambda: [
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(10, activation="softmax"),
        ],
    ),
    (
        [7],
        [
            dense(8),
            {"type": "BatchNormalization"},
            {"type": "Activation", "activation": "relu"},
            {"type": "LayerNormalization"},
            {"type": "GaussianNoise", "stddev": 0.1},
            dense(3, "softmax"),
        ],
        lambda: [
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.LayerNormalization(),
            keras.layers.GaussianNoise(0.1),
            keras.layers.Dense(3, activation="softmax"),
        ],
    ),
    (
        [64],
        [
            {"type": "Reshape", "target_shape": [8, 8, 1]},
            {"type": "Conv2D", "filters": 4, "kernel_size": [3, 3], "padding": "same"},
            {"type": "AveragePooling2D", "pool_size": 2},
            {"type": "GlobalAveragePooling2D"},
            dense(1, "sigmoid"),
        ],
        lambda: [
            keras.layers.Reshape((8, 8, 1)),
            keras.layers.Conv2D(4, (3, 3), padding="same"),
            keras.layers.AveragePooling2D(2),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
    ),
]


@pytest.mark.parametrize(("input_shape", "layers", "keras_layers"), CASES)
def test_summary_matches_keras(
    client: httpx.Client, input_shape: list[int], layers: list[dict[str, Any]], keras_layers: Any
) -> None:
    body = client.post("/api/models/summary", json={"model": {"layers": layers}, "input_shape": input_shape}).json()
    oracle = _keras_model(tuple(input_shape), keras_layers())
    assert [layer["params"] for layer in body["layers"]] == [layer.count_params() for layer in oracle.layers]
    assert [layer["output_shape"] for layer in body["layers"]] == [list(layer.output.shape) for layer in oracle.layers]
    assert [layer["type"] for layer in body["layers"]] == [type(layer).__name__ for layer in oracle.layers]
    assert body["total_params"] == oracle.count_params()
    trainable = sum(int(w.numpy().size) for w in oracle.trainable_weights)
    assert body["trainable_params"] == trainable
    assert body["non_trainable_params"] == oracle.count_params() - trainable


def test_summary_from_a_dataset_uses_its_features(client: httpx.Client) -> None:
    spec = {
        "model": {"layers": [dense(4), dense(1, "sigmoid")]},
        "dataset": {"name": "spiral", "features": ["x1", "x2", "x1^2", "sin(x1)"]},
    }
    body = client.post("/api/models/summary", json=spec).json()
    assert body["input_shape"] == [4]
    assert body["layers"][0]["params"] == 4 * 4 + 4


def test_summary_names_the_layer_that_does_not_fit(client: httpx.Client) -> None:
    spec = {"model": {"layers": [dense(4), {"type": "Conv2D", "filters": 2}]}, "input_shape": [2]}
    response = client.post("/api/models/summary", json=spec)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "model.layers[1]"
    assert "Conv2D" in response.json()["detail"]
