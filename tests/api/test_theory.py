"""Theory figures through the API, with NumPy (and Keras or TensorFlow) as the oracle."""

import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.helpers import finished, wait_for


def _get(client: httpx.Client, path: str, **params: Any) -> dict:
    response = client.get(f"/api/theory/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def test_the_lessons_are_listed_in_both_languages(client: httpx.Client) -> None:
    lessons = client.get("/api/theory").json()
    ids = {lesson["id"] for lesson in lessons}
    assert {"cost", "tensors", "logistic", "softmax", "activations", "backprop", "perceptron"} <= ids
    for lesson in lessons:
        assert lesson["title"]["en"] and lesson["title"]["ko"] and lesson["description"]["ko"]
        assert client.get(lesson["path"]).status_code == 200


def test_cost_and_one_gradient_step(client: httpx.Client) -> None:
    got = _get(client, "cost", dataset="study_hours_noisy", w=5, alpha=0.01)
    x, y = np.arange(1, 11, dtype=float), np.array([18, 39, 61, 77, 105, 112, 128, 165, 181, 195], dtype=float)
    gradient = np.mean(2 * (5 * x - y) * x)
    assert got["cost"] == pytest.approx(np.mean((5 * x - y) ** 2))
    assert got["gradient"] == pytest.approx(gradient)
    assert got["w_next"] == pytest.approx(5 - 0.01 * gradient)
    assert got["w_best"] == pytest.approx(np.sum(x * y) / np.sum(x * x))
    curve = np.array(got["curve"])
    assert curve[np.argmin(curve[:, 1]), 0] == pytest.approx(got["w_best"], abs=(curve[1, 0] - curve[0, 0]))
    assert got["update"].startswith("W ← 5 − 0.01 × (")
    assert _get(client, "cost", w=5, alpha=0.05)["diverges"] is True  # too large a step climbs the other wall


@pytest.mark.parametrize("outputs", [1, 2])
def test_tensors_and_h_equals_xw(client: httpx.Client, outputs: int) -> None:
    got = _get(client, "tensors", dataset="exam_scores", outputs=outputs)
    assert got["tensors"][0] == {"name": "x", "rank": 2, "shape": [5, 3], "dtype": "float32"}
    product = got["product"]
    assert product["shapes"] == [[5, 3], [3, outputs], [5, outputs]]
    assert np.allclose(np.array(product["x"]) @ np.array(product["w"]), product["h"], atol=1e-3)
    assert product["x"][0] == [73, 80, 75]
    two = _get(client, "tensors", dataset="exam_scores_two", outputs=2)  # the two-target table: y is [5, 2]
    assert two["tensors"][1]["shape"] == [5, 2] and two["product"]["shapes"][2] == [5, 2]
    digits = _get(client, "tensors", dataset="digits")
    assert digits["tensors"][0]["rank"] == 4 and digits["tensors"][0]["shape"][1:] == [8, 8, 1]
    assert digits["product"] is None


def test_sigmoid_cost_curves_and_the_boundary(client: httpx.Client) -> None:
    got = _get(client, "logistic", w1=2, w2=-1, b=0.5)
    z, s = np.array(got["sigmoid"]).T
    assert np.allclose(s, _sigmoid(z), atol=1e-5)
    h, c1 = np.array(got["cost_y1"]).T
    assert np.allclose(c1, -np.log(h), atol=1e-4)
    h, c0 = np.array(got["cost_y0"]).T
    assert np.allclose(c0, -np.log(1 - h), atol=1e-4)
    points, labels = np.array(got["points"]), np.array(got["labels"])
    p = _sigmoid(points @ [2, -1] + 0.5)
    assert np.allclose(got["probabilities"], p, atol=1e-4)
    bce = -np.mean(labels * np.log(np.clip(p, 1e-7, 1)) + (1 - labels) * np.log(np.clip(1 - p, 1e-7, 1)))
    assert got["cost"] == pytest.approx(bce, rel=1e-3)
    assert got["accuracy"] == pytest.approx(np.mean((p > 0.5) == (labels == 1)))
    grid = np.array(got["grid"])
    assert grid[0, -1] == pytest.approx(_sigmoid(2 * 6 - 6 + 0.5), abs=1e-3)  # top right is (6, 6)


def test_softmax_one_hot_and_cross_entropy_term_by_term(client: httpx.Client) -> None:
    got = _get(client, "softmax")
    assert np.round(got["probabilities"], 1).tolist() == [0.7, 0.2, 0.1]  # the course's numbers
    scores = np.array([3.0, -1.0, 0.5, 2.0])
    got = _get(client, "softmax", scores="3,-1,0.5,2", label=3)
    p = np.exp(scores) / np.exp(scores).sum()
    assert np.allclose(got["probabilities"], p, atol=1e-6) and got["onehot"] == [0, 0, 0, 1]
    assert np.allclose(got["terms"], [0, 0, 0, -np.log(p[3])], atol=1e-5)
    assert got["cross_entropy"] == pytest.approx(-np.log(p[3]), rel=1e-5)
    assert got["keras_cross_entropy"] == pytest.approx(got["cross_entropy"], rel=1e-5)
    assert client.get("/api/theory/softmax", params={"scores": "1,2", "label": 2}).status_code == 422
    assert client.get("/api/theory/softmax", params={"scores": "a,b"}).status_code == 422


def test_activations_and_their_derivatives(client: httpx.Client) -> None:
    got = _get(client, "activations", names="sigmoid,relu,tanh", depth=5)
    x = np.array(got["x"])
    by_name = {f["name"]: f for f in got["functions"]}
    s = _sigmoid(x)
    assert np.allclose(by_name["sigmoid"]["dy"], s * (1 - s), atol=1e-5)
    assert np.allclose(by_name["tanh"]["dy"], 1 - np.tanh(x) ** 2, atol=1e-4)
    assert np.allclose(np.array(by_name["relu"]["dy"])[x > 0], 1) and np.allclose(
        np.array(by_name["relu"]["dy"])[x < 0], 0
    )
    assert by_name["sigmoid"]["through_depth"] == pytest.approx(0.25**5, rel=1e-3)
    assert client.get("/api/theory/activations", params={"names": "softmax"}).status_code == 422


def deep_sigmoid(learning_rate: float, epochs: int) -> dict[str, Any]:
    """The vanishing-gradient network: five sigmoid layers of 8 on the circle, SGD."""
    deep = [{"type": "Dense", "units": 8, "activation": "sigmoid"} for _ in range(5)]
    return {
        "dataset": {"name": "circle", "seed": 1},
        "model": {"layers": [*deep, {"type": "Dense", "units": 1, "activation": "sigmoid"}]},
        "compile": {"loss": "binary_crossentropy", "optimizer": {"type": "SGD", "learning_rate": learning_rate}},
        "fit": {"epochs": epochs},
    }


def test_per_layer_gradients_of_a_run_match_tensorflow(client: httpx.Client, tmp_path: Path) -> None:
    from app.engine.tf_setup import keras, tf

    spec = deep_sigmoid(learning_rate=0.03, epochs=3)
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    got = _get(client, f"gradients/{run['id']}")
    assert [layer["layer"] for layer in got["layers"]] == ["dense", *(f"dense_{i}" for i in range(1, 6))]
    path = tmp_path / "model.keras"
    path.write_bytes(client.get(f"/api/runs/{run['id']}/model.keras").content)
    model = keras.models.load_model(path)
    data = client.get("/api/datasets/circle", params={"seed": 1}).json()
    x = tf.constant(np.asarray(data["x_train"], dtype=np.float32))
    y = tf.constant(np.asarray(data["y_train"], dtype=np.float32)[:, None])
    with tf.GradientTape() as tape:
        loss = keras.losses.BinaryCrossentropy()(y, model(x))
    grads = tape.gradient(loss, [layer.kernel for layer in model.layers])
    assert got["loss"] == pytest.approx(float(loss), rel=1e-4)
    assert np.allclose([layer["kernel"] for layer in got["layers"]], [float(tf.reduce_mean(tf.abs(g))) for g in grads],
                       rtol=1e-3)  # fmt: skip
    assert got["layers"][0]["kernel"] < got["layers"][-1]["kernel"]  # it vanishes towards the input


def test_backprop_by_hand_is_what_gradient_tape_gives(client: httpx.Client) -> None:
    got = _get(client, "backprop", seed=3, step=0, learning_rate=1.0)
    assert got["agree"] is True
    x, y = np.array(got["x"]), np.array(got["y"])[:, None]
    w = {k: np.array(v) for k, v in got["weights"].items()}
    a1 = _sigmoid(x @ w["W1"] + w["b1"])
    a2 = _sigmoid(a1 @ w["W2"] + w["b2"])
    assert np.allclose(got["forward"]["a2"], a2, atol=1e-6)
    dz2 = (a2 - y) / 4
    assert np.allclose(got["tape"]["dW2"], a1.T @ dz2, atol=1e-6)
    dz1 = (dz2 @ w["W2"].T) * a1 * (1 - a1)
    assert np.allclose(got["tape"]["dW1"], x.T @ dz1, atol=1e-6)
    assert np.allclose(got["updated"]["W1"], w["W1"] - x.T @ dz1, atol=1e-6)
    assert got["loss_after"] < got["loss"]
    later = _get(client, "backprop", seed=3, step=3000, learning_rate=1.0)
    assert np.round(later["outputs_after"]).tolist() == [0, 1, 1, 0]  # two hidden units solve XOR


def test_the_perceptron_learns_and_and_or_but_never_xor(client: httpx.Client) -> None:
    for gate, truth in (("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1])):
        got = _get(client, "perceptron", gate=gate, epochs=20)
        assert got["separated"] is True and got["outputs"] == truth
        w, b = np.array(got["w"]), got["b"]
        assert ((np.array(got["x"]) @ w + b > 0).astype(int)).tolist() == truth  # the line separates them
    xor = _get(client, "perceptron", gate="XOR", epochs=100)
    assert xor["separated"] is False and all(epoch["errors"] > 0 for epoch in xor["history"])


def test_gradients_of_a_training_run_are_of_its_weights_now(client: httpx.Client) -> None:
    """Live, not as of the last checkpoint (the server keeps a checkpoint every few seconds)."""
    spec = deep_sigmoid(learning_rate=0.3, epochs=1_000_000)
    run_id = client.post("/api/runs", json=spec).json()["id"]
    try:
        wait_for(client, run_id, lambda r: r["epoch"] > 20)
        first = _get(client, f"gradients/{run_id}")
        time.sleep(0.5)
        second = _get(client, f"gradients/{run_id}")
        assert second["epoch"] > first["epoch"]
        assert second["loss"] != first["loss"]  # other weights: those of its newer epoch
    finally:
        client.post(f"/api/runs/{run_id}/stop")
