"""GET /api/runs/{id}/feature-maps: one test picture through a CNN run, with Keras (the run's own
model.keras) as the oracle, and 4xx answers for what has no feature maps."""

from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.helpers import circle_spec, finished, wait_for


def cnn_spec(epochs: int = 3) -> dict[str, Any]:
    return {
        "dataset": {"name": "digits", "scaling": "minmax", "seed": 1},
        "model": {"layers": [
            {"type": "Conv2D", "filters": 4, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling2D"},
            {"type": "Flatten"},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ]},
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.01},
                    "metrics": ["accuracy"]},
        "fit": {"epochs": epochs, "batch_size": 32},
        "seed": 0,
    }  # fmt: skip


def test_feature_maps_and_filters_are_what_keras_computes(client: httpx.Client, tmp_path: Path) -> None:
    from app.engine.tf_setup import keras

    run = wait_for(client, client.post("/api/runs", json=cnn_spec()).json()["id"], finished)
    response = client.get(f"/api/runs/{run['id']}/feature-maps", params={"sample": 5})
    assert response.status_code == 200, response.text
    got = response.json()
    assert (got["split"], got["sample"], got["epoch"]) == ("test", 5, 3)
    assert [(layer["type"], layer["shape"]) for layer in got["layers"]] == [
        ("Conv2D", [6, 6, 4]), ("MaxPooling2D", [3, 3, 4])
    ]  # fmt: skip
    path = tmp_path / "model.keras"
    path.write_bytes(client.get(f"/api/runs/{run['id']}/model.keras").content)
    model = keras.models.load_model(path)
    data = client.get("/api/datasets/digits", params={"scaling": "minmax", "seed": 1}).json()
    image = np.asarray(data["x_test"][5], dtype=np.float32)
    assert got["label"] == data["y_test"][5]
    assert np.allclose(got["image"], image[..., 0], atol=1e-4)
    conv, pool = model.layers[0], model.layers[1]
    after_conv = np.asarray(conv(image[None]))[0]
    after_pool = np.asarray(pool(after_conv[None]))[0]
    for c in range(4):
        assert np.allclose(got["layers"][0]["maps"][c], after_conv[..., c], atol=2e-4)
        assert np.allclose(got["layers"][1]["maps"][c], after_pool[..., c], atol=2e-4)
        assert np.allclose(got["filters"][0]["kernels"][c], np.asarray(conv.kernel)[:, :, 0, c], atol=1e-4)
    output = np.asarray(model(image[None]))[0]
    assert np.allclose(got["output"], output, atol=1e-5)
    assert got["predicted"] == int(np.argmax(output))


@pytest.mark.slow
def test_feature_maps_of_a_training_run_follow_its_weights_now(client: httpx.Client) -> None:
    run_id = client.post("/api/runs", json=cnn_spec(epochs=1_000_000)).json()["id"]
    try:
        wait_for(client, run_id, lambda r: r["epoch"] > 2)
        first = client.get(f"/api/runs/{run_id}/feature-maps").json()
        wait_for(client, run_id, lambda r: r["epoch"] > first["epoch"] + 2)
        second = client.get(f"/api/runs/{run_id}/feature-maps").json()
        assert second["epoch"] > first["epoch"]
        assert second["filters"][0]["kernels"] != first["filters"][0]["kernels"]  # newer weights, newer filters
    finally:
        client.post(f"/api/runs/{run_id}/stop")


def test_what_has_no_feature_maps_is_a_4xx(client: httpx.Client) -> None:
    cnn = wait_for(client, client.post("/api/runs", json=cnn_spec(epochs=1)).json()["id"], finished)
    too_far = client.get(f"/api/runs/{cnn['id']}/feature-maps", params={"sample": 10_000})
    assert too_far.status_code == 422
    assert too_far.json()["errors"][0]["field"] == "sample" and too_far.json()["errors"][0]["code"] == "less_than_equal"
    assert client.get(f"/api/runs/{cnn['id']}/feature-maps", params={"sample": -1}).status_code == 422
    plane = wait_for(client, client.post("/api/runs", json=circle_spec(epochs=1)).json()["id"], finished)
    answer = client.get(f"/api/runs/{plane['id']}/feature-maps")
    assert answer.status_code == 409 and answer.json()["errors"][0]["code"] == "no_feature_maps"
    flat = cnn_spec(epochs=1)
    flat["model"]["layers"] = flat["model"]["layers"][2:]  # Flatten → Dense: images, but no picture layer
    dense_only = wait_for(client, client.post("/api/runs", json=flat).json()["id"], finished)
    assert client.get(f"/api/runs/{dense_only['id']}/feature-maps").status_code == 409
    assert client.get("/api/runs/no-such-run/feature-maps").status_code == 404
