"""code.py for every kind of data set (plane, course tables, scikit-learn's sets, uploads): the
script's data are the run's data, in both styles; a slow test runs every preset's script with plain
Keras (one interpreter for all of them, each script as its own `__main__`) and compares its final
loss with the run's."""

import json
import math
import os
import re
import subprocess
import sys

import httpx
import numpy as np
import pytest

from app.datasets.real import real_sets
from app.datasets.tables import TABLES
from app.presets import presets
from tests.helpers import finished, wait_for
from tests.server import Server

SOFTMAX = {"type": "Dense", "units": 3, "activation": "softmax"}


def _spec(name: str) -> dict:
    """A paused run (nothing trains) with a model that fits the set."""
    real = real_sets().get(name)
    k = len(TABLES[name].class_names) if name in TABLES else len(real.class_names) if real else 0
    layers: list[dict] = [{"type": "Flatten"}] if real and real.shape else []
    if k:
        layers.append({**SOFTMAX, "units": k})
        loss = "sparse_categorical_crossentropy"
    else:  # one output per target (two for exam_scores_two)
        layers.append({"type": "Dense", "units": max(1, len(TABLES[name].target_names)) if name in TABLES else 1})
        loss = "mean_squared_error"
    scaling = "minmax" if real else "none"
    return {
        "dataset": {"name": name, "scaling": scaling},
        "model": {"layers": layers},
        "compile": {"loss": loss, "optimizer": {"type": "Adam", "learning_rate": 0.01}},
        "fit": {"epochs": 3, "batch_size": 16},
        "paused": True,
    }


def _namespace(client: httpx.Client, run_id: str, style: str) -> dict:
    response = client.get(f"/api/runs/{run_id}/code.py", params={"style": style})
    assert response.status_code == 200, response.text
    building, _ = response.text.split("model.summary()", 1)
    namespace: dict = {}
    exec(compile(building, "playground_run.py", "exec"), namespace)  # noqa: S102
    return namespace


def _same_data(client: httpx.Client, namespace: dict, dataset: dict) -> None:
    query = {k: v for k, v in dataset.items() if k not in ("name", "features") and v is not None}
    if dataset.get("features"):
        query["features"] = ",".join(dataset["features"])
    data = client.get(f"/api/datasets/{dataset['name']}", params=query).json()
    for key in ("x_train", "x_test"):
        ours, theirs = np.asarray(namespace[key]), np.asarray(data[key], dtype=np.float32)
        assert len(ours) == len(theirs), key
        if len(ours):
            assert np.allclose(ours.reshape(len(ours), -1), theirs.reshape(len(theirs), -1), atol=1e-6), key
    labels, expected = np.asarray(namespace["y_train"]), np.asarray(data["y_train"])
    if data["task"] == "classification" and labels.ndim == 2 and labels.shape[1] > 1:  # one-hot rows
        labels = labels.argmax(axis=1)
    assert np.allclose(labels.reshape(expected.shape), expected)


@pytest.mark.parametrize("style", ["sequential", "functional"])
@pytest.mark.parametrize("name", [*TABLES, *real_sets()])
def test_code_py_carries_every_course_table_and_scikit_learn_set(client: httpx.Client, name: str, style: str) -> None:
    spec = _spec(name)
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    namespace = _namespace(client, created.json()["id"], style)
    _same_data(client, namespace, spec["dataset"])
    model = namespace["model"]
    assert [layer.name for layer in model.layers][-1] == "dense"


def test_code_py_for_an_upload_and_a_chosen_table_column(client: httpx.Client) -> None:
    csv = "a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20))
    name = client.post("/api/datasets", data={"label": "label", "text": csv}).json()["name"]
    spec = {**_spec("grades"), "dataset": {"name": name, "train_ratio": 0.75, "scaling": "standard"}}
    spec["model"] = {"layers": [{"type": "Dense", "units": 2, "activation": "softmax"}]}
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    _same_data(client, _namespace(client, created.json()["id"], "sequential"), spec["dataset"])
    spec = {**_spec("hours_attendance"), "dataset": {"name": "hours_attendance", "features": ["hours"]}}
    created = client.post("/api/runs", json=spec)
    assert created.status_code == 201, created.text
    namespace = _namespace(client, created.json()["id"], "functional")
    _same_data(client, namespace, spec["dataset"])
    assert namespace["x_train"].shape == (5, 1)


def _final_loss(stdout: str) -> float:
    match = re.search(r"final training loss: (\S+)", stdout)
    assert match, stdout[-2000:]
    return float(match.group(1))


# The first epochs of each preset: enough to compare curves, short enough for model.fit.
SCRIPT_EPOCHS = 60

# Runs each script as `python playground_run.py` would (its own `__main__`, its own seed, a fresh
# Keras session), one after another in one interpreter: TensorFlow is imported once, not per preset.
RUNNER = """
import contextlib, io, json, runpy, sys, traceback
import keras
results = {}
for path in sys.argv[2:]:
    keras.backend.clear_session()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
        results[path] = {"ok": True, "stdout": out.getvalue()}
    except BaseException:
        results[path] = {"ok": False, "stdout": out.getvalue(), "error": traceback.format_exc()[-3000:]}
with open(sys.argv[1], "w") as f:
    json.dump(results, f)
"""


@pytest.fixture(scope="module")
def scripts_ran(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Every preset trained (its first epochs) through the API, then its code.py run with plain
    Keras: preset id → (the run, what its script did)."""
    folder = tmp_path_factory.mktemp("scripts")
    runs: dict[str, dict] = {}
    paths: list[str] = []
    for preset in presets():
        spec = {
            **preset["spec"],
            "fit": {**preset["spec"]["fit"], "epochs": min(SCRIPT_EPOCHS, preset["spec"]["fit"]["epochs"])},
        }
        with httpx.Client(base_url=server.url, timeout=60) as client:  # a session each: no run limit
            run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished, timeout=300)
            script = client.get(f"/api/runs/{run['id']}/code.py")
        assert script.status_code == 200, script.text
        path = folder / f"{preset['id']}.py"
        path.write_text(script.text)
        runs[preset["id"]] = run
        paths.append(str(path))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    report = folder / "results.json"
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(report), *paths],
        cwd=folder, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(report.read_text())
    return {pid: (run, results[str(folder / f"{pid}.py")]) for pid, run in runs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("preset", presets(), ids=[p["id"] for p in presets()])
def test_every_presets_script_trains_like_its_run(scripts_ran: dict[str, tuple[dict, dict]], preset: dict) -> None:
    run, result = scripts_ran[preset["id"]]
    assert result["ok"], result.get("error")
    final = _final_loss(result["stdout"])
    if run["status"] == "failed":  # the lesson's loss diverges (a learning rate of 10): so does the script's
        assert not math.isfinite(final) or final > 10 * run["history"]["loss"][0], (final, run["error"])
        return
    losses = run["history"]["loss"]
    ours = losses[-1]
    # The same data, initial weights and training; Keras shuffles the batches its own way: the same
    # range, or at least as far down as the run was a sixth of the way in. (At a learning rate of 0.3
    # the order of the batches alone moves the end a long way: the step-decay lesson's script ends at
    # 0.137 every time it runs alone, the run at 0.0096, having passed 0.214 at epoch 10 and 0.093 at
    # epoch 20. A wrong export — another loss, rate or activation — stays far above either.)
    assert 0.33 * ours < final < max(3 * ours + 0.05, losses[len(losses) // 6 - 1]), (final, ours)
