"""Issue 14: nothing a student sends stops the class. Each case was a crash, a 500 or a memory blow-up."""

import json
from typing import Any

import httpx
import pytest

from tests.helpers import circle_spec, dense, finished, wait_for


def _error(response: httpx.Response, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()["errors"][0]


def _alive(client: httpx.Client) -> None:
    assert client.get("/api/health").json()["status"] == "ok"


def digits_spec(*layers: dict[str, Any]) -> dict[str, Any]:
    return {
        "dataset": {"name": "digits"},
        "model": {"layers": [*layers, {"type": "Flatten"}, dense(10, "softmax")]},
        "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}},
        "fit": {"epochs": 1},
    }


# --- item 1: bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "field", "code"),
    [
        ({"type": "Conv2D", "filters": 2, "strides": 2**31}, "model.layers[0].strides", "less_than_equal"),
        ({"type": "MaxPooling2D", "strides": 2**31}, "model.layers[0].strides", "less_than_equal"),
        ({"type": "Conv2D", "filters": 2, "strides": 9}, "model.layers[0].strides", "window_too_large"),
        ({"type": "Conv2D", "filters": 2, "kernel_size": [3, 9]}, "model.layers[0].kernel_size", "window_too_large"),
        ({"type": "MaxPooling2D", "pool_size": 9}, "model.layers[0].pool_size", "window_too_large"),
        (
            {"type": "AveragePooling2D", "pool_size": 2, "strides": [1, 100]},
            "model.layers[0].strides",
            "window_too_large",
        ),
    ],
)
def test_windows_larger_than_the_input_are_refused_and_the_server_lives(
    client: httpx.Client, layer: dict[str, Any], field: str, code: str
) -> None:
    error = _error(client.post("/api/runs", json=digits_spec(layer)))
    assert (error["field"], error["code"]) == (field, code), error
    _alive(client)


def test_a_window_that_fits_still_trains(client: httpx.Client) -> None:
    spec = digits_spec({"type": "Conv2D", "filters": 2, "kernel_size": 8, "strides": 8})
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 201, response.text
    assert wait_for(client, response.json()["id"], finished)["status"] == "done"


def _schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    spec = circle_spec(epochs=1)
    spec["compile"]["optimizer"] = {"type": "SGD", "learning_rate": schedule}
    return spec


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        ({"boundaries": list(range(1, 10_001)), "values": [0.01] * 10_001}, "too_long"),
        ({"boundaries": [10, 20], "values": [0.1, 0.01]}, "schedule_values"),
        ({"boundaries": [10, 20], "values": [0.1, 0.01, 0.001, 0.0001]}, "schedule_values"),
        ({"boundaries": [20, 10], "values": [0.1, 0.01, 0.001]}, "boundaries_order"),
        ({"boundaries": [2**40], "values": [0.1, 0.01]}, "less_than_equal"),
    ],
)
def test_piecewise_schedules_are_bounded(client: httpx.Client, schedule: dict[str, Any], code: str) -> None:
    spec = _schedule({"type": "PiecewiseConstantDecay", **schedule})
    error = _error(client.post("/api/runs", json=spec))
    assert error["code"] == code and error["field"].startswith("compile.optimizer.learning_rate"), error


@pytest.mark.parametrize(
    ("optimizer", "field"),
    [
        ({"type": "ExponentialDecay", "decay_steps": 2**63}, "compile.optimizer.learning_rate.decay_steps"),
        ({"type": "CosineDecay", "decay_steps": 0}, "compile.optimizer.learning_rate.decay_steps"),
    ],
)
def test_decay_steps_are_bounded(client: httpx.Client, optimizer: dict[str, Any], field: str) -> None:
    assert _error(client.post("/api/runs", json=_schedule(optimizer)))["field"] == field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"compile": {"optimizer": {"type": "Adagrad", "initial_accumulator_value": 1e300}}}, "compile.optimizer"),
        ({"compile": {"optimizer": {"type": "Ftrl", "l1_regularization_strength": 1e300}}}, "compile.optimizer"),
        ({"compile": {"optimizer": {"type": "Ftrl", "learning_rate_power": -1e300}}}, "compile.optimizer"),
        (
            {"model": {"layers": [{"type": "GaussianNoise", "stddev": 2}, dense(1, "sigmoid")]}},
            "model.layers[0].stddev",
        ),
        ({"model": {"layers": [dense(2**40), dense(1, "sigmoid")]}}, "model.layers[0].units"),
        ({"fit": {"epochs": 5, "batch_size": 2**63}}, "fit.batch_size"),
        ({"stream": {"max_fps": 1e300}}, "stream.max_fps"),
    ],
)
def test_numbers_are_bounded(client: httpx.Client, change: dict[str, Any], field: str) -> None:
    spec = {**circle_spec(epochs=1), **change}
    error = _error(client.post("/api/runs", json=spec))
    assert error["field"].startswith(field), error


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_a_spec_are_refused(client: httpx.Client, literal: str) -> None:
    text = json.dumps(circle_spec(epochs=1)).replace('"learning_rate": 0.03', f'"learning_rate": {literal}')
    assert literal in text
    response = client.post("/api/runs", content=text, headers={"content-type": "application/json"})
    error = _error(response)
    assert error["field"] == "compile.optimizer.learning_rate" and error["code"] == "finite_number", error


# --- item 2: memory ---------------------------------------------------------------------------


def test_summary_limits_samples_and_sizes_before_allocating(client: httpx.Client) -> None:
    layers = {"layers": [dense(4), dense(1, "sigmoid")]}
    huge = {"model": layers, "dataset": {"name": "circle", "n_samples": 10**9}}
    assert _error(client.post("/api/models/summary", json=huge))["field"] == "dataset.n_samples"
    over = {"model": layers, "dataset": {"name": "circle", "n_samples": 50_000}}
    assert _error(client.post("/api/models/summary", json=over))["code"] == "limit_exceeded"
    wide = {"model": {"layers": [dense(1)]}, "input_shape": [2**31]}
    assert _error(client.post("/api/models/summary", json=wide))["field"] == "input_shape[0]"
    # 100,000 inputs into 1024 units: refused by arithmetic, not after allocating 400 MB
    big = {"model": {"layers": [dense(1024)]}, "input_shape": [10, 100_000]}
    assert _error(client.post("/api/models/summary", json=big))["code"] == "too_many_params"
    image = {"model": {"layers": [{"type": "Conv2D", "filters": 1024}]}, "input_shape": [3000, 3000, 3]}
    assert _error(client.post("/api/models/summary", json=image))["code"] == "too_many_values"
    _alive(client)


# --- item 5: the 500s -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["iris", "breast_cancer", "diabetes", "study_hours"])
def test_seeds_past_32_bits_are_refused(client: httpx.Client, name: str) -> None:
    spec = {
        **circle_spec(epochs=1),
        "dataset": {"name": name, "seed": 2**32},
        "model": {"layers": [dense(1)]},
        "compile": {"loss": "mse"},
    }
    assert _error(client.post("/api/runs", json=spec))["field"] == "dataset.seed"
    assert _error(client.get(f"/api/datasets/{name}", params={"seed": 2**32}))["field"] == "seed"
    assert client.get(f"/api/datasets/{name}", params={"seed": 2**32 - 1}).status_code == 200


def test_seed_past_32_bits_on_an_upload(client: httpx.Client) -> None:
    csv = "a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20))
    name = client.post("/api/datasets", data={"label": "y", "text": csv}).json()["name"]
    spec = {**circle_spec(epochs=1), "dataset": {"name": name, "seed": 2**40}}
    assert _error(client.post("/api/runs", json=spec))["field"] == "dataset.seed"


@pytest.mark.parametrize("name", ["iris", "circle", "study_hours"])
def test_a_train_ratio_with_no_training_rows(client: httpx.Client, name: str) -> None:
    error = _error(client.get(f"/api/datasets/{name}", params={"train_ratio": 0.001}))
    assert error["field"] == "dataset.train_ratio" and error["code"] == "no_training_rows", error


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/join", '{"code": "ABCDEF", "name": "\\ud800"}', "name"),
        ("/api/runs", '{"dataset": {"name": "circle\\udfff"}, "model": {"layers": []}}', "dataset.name"),
        ("/api/models/summary", '{"model": {"layers": [{"type": "Dense", "units": 1}]}, "\\ud800": 1}', "\\ud800"),
    ],
)
def test_lone_surrogates_are_refused(client: httpx.Client, path: str, body: str, field: str) -> None:
    response = client.post(path, content=body.encode(), headers={"content-type": "application/json"})
    error = _error(response)
    assert error["code"] == "string_unicode" and error["field"] == field, error
    _alive(client)


def test_an_emoji_is_not_a_lone_surrogate(client: httpx.Client) -> None:
    body = '{"code": "ZZZZZZ", "name": "\\ud83d\\ude00"}'
    response = client.post("/api/join", content=body.encode(), headers={"content-type": "application/json"})
    assert _error(response, 404)["code"] == "unknown_join_code"


@pytest.mark.parametrize(
    ("text", "code"),
    [(",,,", "file_empty"), (",,,\n,,,\n", "file_empty"), ("a,y\n" + "1" * 140_000 + ",0\n", "cell_too_long")],
    ids=["commas", "comma-rows", "long-cell"],
)
def test_csv_that_is_not_a_table(client: httpx.Client, text: str, code: str) -> None:
    error = _error(client.post("/api/datasets", data={"label": "y", "text": text}))
    assert (error["field"], error["code"]) == ("file", code), error


def test_after_divergence_answers_carry_null_and_say_why(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "plane", "n_samples": 100},
        "model": {"layers": [dense(8, "linear"), dense(8, "linear"), dense(1, "linear")]},
        "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 100}},
        "fit": {"epochs": 50, "batch_size": 100},
    }
    run = client.post("/api/runs", json=spec).json()
    ended = wait_for(client, run["id"], finished, timeout=300)
    assert ended["status"] in ("failed", "done", "stopped")
    for path, body in [("/predict", {"inputs": [[1.0, 2.0]]}), ("/evaluate", None), ("/baseline", None)]:
        response = client.post(f"/api/runs/{run['id']}{path}", json=body)
        assert response.status_code < 500, (path, response.text)
    predicted = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[1.0, 2.0]]})
    assert predicted.status_code == 200, predicted.text
    if predicted.json()["outputs"][0][0] is None:
        [warning] = [w for w in predicted.json()["warnings"] if w["code"] == "not_a_number_result"]
        assert warning["params"]["fields"] == ["outputs[0][0]"]
    report = client.get(f"/api/runs/{run['id']}/report")
    assert report.status_code == 200, report.text
    assert client.get(f"/api/runs/{run['id']}").status_code == 200
    _alive(client)


def test_class_settings_take_numbers_not_booleans(client: httpx.Client, server: Any) -> None:
    key = server.teacher_key
    response = client.post(
        "/api/classes", json={"name": "A", "settings": {"max_units": True}}, headers={"X-Teacher-Key": key}
    )
    assert _error(response)["field"] == "settings.max_units"
    response = client.post(
        "/api/classes", json={"name": "A", "settings": {"max_epochs": 1.5}}, headers={"X-Teacher-Key": key}
    )
    assert _error(response)["field"] == "settings.max_epochs"


def _rss_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return 0


def test_the_exhausting_specs_leave_the_server_as_it_was(client: httpx.Client, server: Any) -> None:
    """The specs that once took 20 GB, 2.4 GB or the whole process: refused before anything grows."""
    before = _rss_mb(server.proc.pid)
    schedule = {"type": "PiecewiseConstantDecay", "boundaries": list(range(1, 10_001)), "values": [0.01] * 10_001}
    cases = [
        ("/api/runs", digits_spec({"type": "Conv2D", "filters": 2, "strides": 2**31})),
        ("/api/models/summary", {"model": {"layers": [dense(4)]}, "dataset": {"name": "circle", "n_samples": 10**9}}),
        ("/api/models/summary", {"model": {"layers": [dense(4)]}, "input_shape": [2**31]}),
        ("/api/models/summary", {"model": {"layers": [dense(1024)]}, "input_shape": [10, 100_000]}),
        ("/api/runs", {**circle_spec(epochs=1), "compile": {"optimizer": {"type": "SGD", "learning_rate": schedule}}}),
    ]
    for path, body in cases:
        assert client.post(path, json=body).status_code == 422, path
    _alive(client)
    assert _rss_mb(server.proc.pid) - before < 200
