"""Downloads round-trip through plain Keras, the oracle; code.py runs in a subprocess."""

import csv
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import numpy as np
import pytest

from app.engine.tf_setup import keras
from tests.helpers import circle_spec, dense, finished, wait_for


@pytest.fixture
def trained(client: httpx.Client) -> dict:
    spec = circle_spec(epochs=30)
    spec["model"]["layers"] = [dense(6, "relu", kernel_regularizer={"type": "L2", "l2": 0.001}), dense(1, "sigmoid")]
    return wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)


def test_model_keras_loads_in_plain_keras_with_the_same_predictions(
    client: httpx.Client, trained: dict, tmp_path: Path
) -> None:
    response = client.get(f"/api/runs/{trained['id']}/model.keras")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    path = tmp_path / "model.keras"
    path.write_bytes(response.content)
    model = keras.models.load_model(path)  # safe mode: nothing but Keras's own objects
    points = np.random.default_rng(1).uniform(-6, 6, (40, 2)).astype(np.float32)
    served = client.post(f"/api/runs/{trained['id']}/predict", json={"inputs": points.tolist()}).json()["outputs"]
    assert np.allclose(model.predict(points, verbose=0), served, atol=1e-6)
    assert model.optimizer.iterations.numpy() == 30 * 25  # the optimizer state came along


def _script(client: httpx.Client, run_id: str, style: str = "sequential") -> str:
    response = client.get(f"/api/runs/{run_id}/code.py", params={"style": style})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/x-python")
    return response.text


@pytest.mark.parametrize("style", ["sequential", "functional"])
def test_weights_load_into_the_model_the_script_builds(
    client: httpx.Client, trained: dict, tmp_path: Path, style: str
) -> None:
    weights = tmp_path / "w.weights.h5"
    weights.write_bytes(client.get(f"/api/runs/{trained['id']}/weights.weights.h5").content)
    source = _script(client, trained["id"], style)
    building, _ = source.split("model.summary()", 1)  # everything up to the model, nothing trained
    namespace: dict = {}
    exec(compile(building, "playground_run.py", "exec"), namespace)  # noqa: S102
    model = namespace["model"]
    model.load_weights(weights)
    x = namespace["x_test"][:20]
    served = client.post(f"/api/runs/{trained['id']}/predict", json={"inputs": x.tolist()}).json()["outputs"]
    assert np.allclose(model.predict(x, verbose=0), served, atol=1e-6)
    # The script's data are the run's data.
    data = client.get("/api/datasets/circle", params={"n_samples": 500, "train_ratio": 0.5, "seed": 1}).json()
    assert np.allclose(namespace["x_train"], data["x_train"], atol=1e-6)


@pytest.mark.slow
def test_the_script_reproduces_the_run(client: httpx.Client, trained: dict, tmp_path: Path) -> None:
    (tmp_path / "playground_run.py").write_text(_script(client, trained["id"]))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "playground_run.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    final = float(re.search(r"final training loss: ([0-9.e-]+)", done.stdout).group(1))
    ours = trained["history"]["loss"][-1]
    # The same data, initial weights and training; Keras shuffles the batches its own way: the same range.
    assert 0.33 * ours < final < 3 * ours + 0.05, (final, ours)
    assert "Total params" in done.stdout


def test_history_downloads_match_the_run(client: httpx.Client, trained: dict) -> None:
    as_json = client.get(f"/api/runs/{trained['id']}/history.json").json()
    assert as_json == trained["history"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/runs/{trained['id']}/history.csv").text)))
    assert len(rows) == 30 and [int(r["epoch"]) for r in rows] == list(range(30))
    assert [float(r["loss"]) for r in rows] == trained["history"]["loss"]


def test_summary_text_and_diagram(client: httpx.Client, trained: dict) -> None:
    text = client.get(f"/api/runs/{trained['id']}/summary.txt").text
    assert "dense (Dense)" in text and "Trainable params: 25" in text
    svg = client.get(f"/api/runs/{trained['id']}/model.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.text)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Dense", "dense", "dense_1", "(None, 6)", "(None, 1)"} <= set(texts)


def test_experiment_file_recreates_the_same_run(client: httpx.Client, trained: dict) -> None:
    experiment = client.get(f"/api/runs/{trained['id']}/experiment.json").json()
    assert experiment["format"] == "nn-playground-experiment" and experiment["version"] == 1
    again = client.post("/api/experiments", json=experiment)
    assert again.status_code == 201, again.text
    redone = wait_for(client, again.json()["id"], finished)
    assert np.allclose(redone["history"]["loss"], trained["history"]["loss"], rtol=1e-5)
    bad = client.post("/api/experiments", json={**experiment, "format": "something-else"})
    assert bad.status_code == 422 and "format" in bad.json()["detail"]


def test_downloads_of_another_session_are_404(client: httpx.Client, trained: dict, server) -> None:  # noqa: ANN001
    with httpx.Client(base_url=server.url) as stranger:
        for path in (
            "model.keras",
            "weights.weights.h5",
            "code.py",
            "history.csv",
            "history.json",
            "summary.txt",
            "model.svg",
            "experiment.json",
        ):
            assert stranger.get(f"/api/runs/{trained['id']}/{path}").status_code == 404, path
