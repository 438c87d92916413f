"""The perceptron: a step activation trained by the perceptron rule on AND, OR and XOR. AND and OR are
separated by a line after a few epochs; XOR never is (Minsky and Papert's point), which the MLP answers."""

from typing import Any

import numpy as np

from app.engine.tf_setup import tf

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}


def _step(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) -> tf.Tensor:
    return tf.cast(tf.linalg.matvec(x, w) + b > 0, tf.float32)


def _rounded(w: tf.Tensor) -> list[float]:
    return np.asarray(w, dtype=np.float64).round(4).tolist()


def perceptron(gate: str = "AND", epochs: int = 10, learning_rate: float = 0.1) -> dict[str, Any]:
    """Each epoch goes through the four rows: ŷ = step(w·x + b), then w ← w + η(y − ŷ)x, b ← b + η(y − ŷ)."""
    y = tf.constant(GATES[gate], dtype=tf.float32)
    w = tf.zeros(2)
    b = tf.constant(0.0)
    history = []
    for epoch in range(epochs):
        errors = 0
        for i in range(4):
            xi = tf.constant(X[i])
            predicted = _step(xi[None, :], w, b)[0]
            delta = learning_rate * (y[i] - predicted)
            w = w + delta * xi
            b = b + delta
            errors += int(y[i] != predicted)
        history.append({"epoch": epoch + 1, "errors": errors, "w": _rounded(w), "b": round(float(b), 4)})
    outputs = _step(tf.constant(X), w, b)
    return {
        "gate": gate,
        "x": X.tolist(),
        "y": GATES[gate],
        "w": _rounded(w),
        "b": round(float(b), 4),
        "outputs": np.asarray(outputs).astype(int).tolist(),
        "history": history,
        "separated": bool(np.array_equal(np.asarray(outputs), np.asarray(y))),
    }
