"""Tensors: rank, shape and dtype of what a lesson feeds the model, and H(X) = XW drawn as shapes."""

from typing import Any

import numpy as np

from app.datasets import registry
from app.engine.tf_setup import tf


def _describe(name: str, value: tf.Tensor) -> dict[str, Any]:
    return {"name": name, "rank": int(tf.rank(value)), "shape": list(value.shape), "dtype": value.dtype.name}


def tensors(dataset: str = "exam_scores", outputs: int = 1, seed: int = 0) -> dict[str, Any]:
    """The data set's x and y as tensors; for rows of features, H = XW with W of shape [features, outputs]
    (random, seeded) computed by tf.matmul: [n, 3] × [3, 1] = [n, 1], or × [3, 2] = [n, 2]."""
    data = registry.load(dataset)
    x = tf.constant(data.x_train)
    y = tf.constant(data.y_train)
    out: dict[str, Any] = {"dataset": dataset, "tensors": [_describe("x", x), _describe("y", y)], "product": None}
    if len(x.shape) == 2:
        n, k = int(x.shape[0]), int(x.shape[1])
        w = tf.random.stateless_uniform((k, outputs), seed=(seed, 0), minval=-1, maxval=1, dtype=tf.float32)
        w = tf.round(w * 100) / 100  # two decimals, to read off the figure
        h = tf.matmul(x, w)
        shown = min(n, 8)
        out["product"] = {
            "shapes": [[n, k], [k, outputs], [n, outputs]],
            "x": np.asarray(x[:shown]).tolist(),
            "w": np.asarray(w).tolist(),
            "h": np.round(np.asarray(h[:shown], dtype=np.float64), 4).tolist(),
            "rows_shown": shown,
            "formula": f"[{n}, {k}] × [{k}, {outputs}] = [{n}, {outputs}]",
        }
    return out
