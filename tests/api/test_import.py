"""POST /api/models/import: a .keras file becomes a run; nothing in a file ever runs code."""

from pathlib import Path

import httpx
import numpy as np
import pytest

from app.engine.tf_setup import keras
from tests.helpers import circle_spec, finished, wait_for


def _upload(client: httpx.Client, content: bytes, **form: str) -> httpx.Response:
    return client.post("/api/models/import", files={"file": ("model.keras", content)}, data=form)


def test_an_exported_model_comes_back_as_a_run(client: httpx.Client) -> None:
    done = wait_for(client, client.post("/api/runs", json=circle_spec(epochs=40)).json()["id"], finished)
    content = client.get(f"/api/runs/{done['id']}/model.keras").content
    response = _upload(client, content)
    assert response.status_code == 201, response.text
    imported = response.json()
    assert imported["status"] == "paused" and imported["spec"]["dataset"]["name"] == "circle"
    assert [layer["params"] for layer in imported["summary"]["layers"]] == [12, 10, 3]
    points = np.random.default_rng(2).uniform(-6, 6, (30, 2)).tolist()
    before = client.post(f"/api/runs/{done['id']}/predict", json={"inputs": points}).json()["outputs"]
    after = client.post(f"/api/runs/{imported['id']}/predict", json={"inputs": points}).json()["outputs"]
    assert np.allclose(before, after, atol=1e-6)
    # It trains further from where it was, not from scratch (on circle drawn with its own seed).
    client.post(f"/api/runs/{imported['id']}/step")
    stepped = wait_for(client, imported["id"], lambda r: r["epoch"] >= 1)
    assert stepped["history"]["loss"][0] < done["history"]["loss"][0] - 0.05
    assert imported["spec"]["compile"]["optimizer"] == {**imported["spec"]["compile"]["optimizer"], "type": "SGD"}
    client.delete(f"/api/runs/{imported['id']}")


def test_a_plain_keras_model_imports_with_its_weights(client: httpx.Client, tmp_path: Path) -> None:
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(5, activation="relu"), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile(optimizer=keras.optimizers.RMSprop(0.002), loss="sparse_categorical_crossentropy")
    path = tmp_path / "mine.keras"
    model.save(path)
    response = _upload(client, path.read_bytes())
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["spec"]["dataset"]["name"] == "blobs"  # three outputs on a 2-D input
    assert run["spec"]["compile"]["loss"] == "sparse_categorical_crossentropy"
    assert run["spec"]["compile"]["optimizer"]["type"] == "RMSprop"
    x = np.random.default_rng(0).uniform(-6, 6, (10, 2)).astype(np.float32)
    served = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": x.tolist()}).json()["outputs"]
    assert np.allclose(served, model.predict(x, verbose=0), atol=1e-6)
    client.delete(f"/api/runs/{run['id']}")


def test_a_lambda_layer_is_refused_without_running_it(client: httpx.Client, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    source = f"lambda x: (__import__('pathlib').Path({str(marker)!r}).write_text('ran'), x)[1]"
    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(eval(source)), keras.layers.Dense(1)])  # noqa: S307
    path = tmp_path / "lambda.keras"
    model.save(path)
    marker.unlink(missing_ok=True)  # building the model above called it once
    response = _upload(client, path.read_bytes())
    assert response.status_code == 422
    assert "Lambda" in response.json()["detail"] and response.json()["errors"][0]["field"] == "file"
    assert not marker.exists()


def test_a_custom_layer_is_refused(client: httpx.Client, tmp_path: Path) -> None:
    @keras.saving.register_keras_serializable(package="mine")
    class Doubler(keras.layers.Layer):
        def call(self, x):  # noqa: ANN001, ANN202
            return x * 2

    model = keras.Sequential([keras.Input((2,)), Doubler(), keras.layers.Dense(1)])
    path = tmp_path / "custom.keras"
    model.save(path)
    response = _upload(client, path.read_bytes())
    assert response.status_code == 422 and "Doubler" in response.json()["detail"]


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"not a zip at all", "not a .keras file"), (b"PK\x03\x04" + b"\x00" * 40, "not a .keras file")],
)
def test_damaged_files_are_refused(client: httpx.Client, content: bytes, words: str) -> None:
    response = _upload(client, content)
    assert response.status_code == 422 and words in response.json()["detail"]


def test_unsupported_layers_and_shapes_are_explained(client: httpx.Client, tmp_path: Path) -> None:
    model = keras.Sequential([keras.Input((4, 3)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    path = tmp_path / "lstm.keras"
    model.save(path)
    response = _upload(client, path.read_bytes())
    assert response.status_code == 422 and "LSTM" in response.json()["detail"]
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.save(path)
    response = _upload(client, path.read_bytes())
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "dataset"


def test_too_large_a_file_is_413(server) -> None:  # noqa: ANN001
    from tests.server import Server

    small = Server(env={"PLAYGROUND_MAX_UPLOAD_BYTES": "1000", "PLAYGROUND_PREWARM": "false"})
    try:
        with httpx.Client(base_url=small.url) as c:
            response = _upload(c, b"x" * 5000)
            assert response.status_code == 413 and "limit" in response.json()["detail"]
    finally:
        small.close()
