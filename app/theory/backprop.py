"""Backpropagation step by step on XOR with a 2 → 2 → 1 sigmoid network: one batch's forward values, the
chain rule's products, each weight's gradient (checked against tf.GradientTape) and the update."""

from typing import Any

import numpy as np

from app.engine.tf_setup import tf

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def _initial(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.uniform(-1, 1, (2, 2)).round(2),
        "b1": np.zeros(2),
        "W2": rng.uniform(-1, 1, (2, 1)).round(2),
        "b2": np.zeros(1),
    }


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _forward(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    z1 = X @ p["W1"] + p["b1"]
    a1 = _sigmoid(z1)
    z2 = a1 @ p["W2"] + p["b2"]
    a2 = _sigmoid(z2)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2}


def _loss(a2: np.ndarray) -> float:
    """Binary cross-entropy, the mean over the batch."""
    return float(-np.mean(Y * np.log(a2) + (1 - Y) * np.log(1 - a2)))


def _chain(p: dict[str, np.ndarray], f: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The chain rule, layer by layer, from the loss back to the first weights."""
    n = len(X)
    dz2 = (f["a2"] - Y) / n  # ∂L/∂z2 for sigmoid + cross-entropy: (a2 − y) / n
    da1 = dz2 @ p["W2"].T  # ∂L/∂a1 = ∂L/∂z2 · W2ᵀ
    dz1 = da1 * f["a1"] * (1 - f["a1"])  # ∂L/∂z1 = ∂L/∂a1 ⊙ σ'(z1), σ' = a1(1 − a1)
    return {
        "dz2": dz2,
        "dW2": f["a1"].T @ dz2,
        "db2": dz2.sum(axis=0),
        "da1": da1,
        "dz1": dz1,
        "dW1": X.T @ dz1,
        "db1": dz1.sum(axis=0),
    }


def _tape(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    variables = {k: tf.Variable(v) for k, v in p.items()}
    with tf.GradientTape() as tape:
        a1 = tf.sigmoid(X @ variables["W1"] + variables["b1"])
        a2 = tf.sigmoid(a1 @ variables["W2"] + variables["b2"])
        loss = -tf.reduce_mean(Y * tf.math.log(a2) + (1 - Y) * tf.math.log(1 - a2))
    grads = tape.gradient(loss, variables)
    return {f"d{k}": np.asarray(g) for k, g in grads.items()}


def _json(values: dict[str, np.ndarray]) -> dict[str, Any]:
    return {k: np.round(v, 6).tolist() for k, v in values.items()}


def backprop(seed: int = 0, step: int = 0, learning_rate: float = 1.0) -> dict[str, Any]:
    """The network after `step` updates of gradient descent from seeded weights, then one more step shown
    in full: forward values, chain-rule products, gradients (by hand and by tf.GradientTape), the update."""
    params = _initial(seed)
    for _ in range(step):  # the earlier steps by the chain rule (the same numbers as the tape, checked below)
        grads = _chain(params, _forward(params))
        params = {k: v - learning_rate * grads[f"d{k}"] for k, v in params.items()}
    forward = _forward(params)
    chain = _chain(params, forward)
    tape = _tape(params)
    updated = {k: v - learning_rate * tape[f"d{k}"] for k, v in params.items()}
    after = _forward(updated)
    return {
        "seed": seed,
        "step": step,
        "learning_rate": learning_rate,
        "x": X.tolist(),
        "y": Y[:, 0].tolist(),
        "weights": _json(params),
        "forward": _json(forward),
        "loss": _loss(forward["a2"]),
        "chain": _json(chain),
        "tape": _json(tape),
        "agree": bool(all(np.allclose(chain[k], tape[k], atol=1e-9) for k in tape)),
        "updated": _json(updated),
        "loss_after": _loss(after["a2"]),
        "outputs_after": np.round(after["a2"][:, 0], 6).tolist(),
    }
