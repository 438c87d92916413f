"""Sigmoid, the logistic cost's two −log curves, and a logistic model's decision boundary on the plane."""

from typing import Any

import numpy as np

from app.datasets import registry
from app.engine.tf_setup import keras, tf

GRID = 24


def logistic(w1: float = 1.0, w2: float = 1.0, b: float = 0.0, dataset: str = "gauss") -> dict[str, Any]:
    """σ(z) over z; cost −log(h) when y = 1 and −log(1 − h) when y = 0 over h; the model
    σ(w1·x1 + w2·x2 + b) over the plane with its boundary w1·x1 + w2·x2 + b = 0, its cost
    (binary cross-entropy) and accuracy on the data set's points."""
    z = tf.linspace(-8.0, 8.0, 81)
    h = tf.linspace(0.01, 0.99, 99)
    data = registry.load(dataset, n_samples=100, seed=1, train_ratio=1.0)
    assert data.points_train is not None  # a plane set
    points = tf.constant(data.points_train)
    labels = data.y_train.astype(np.float32)
    weights = tf.constant([[w1], [w2]], dtype=tf.float32)
    probabilities = tf.sigmoid(tf.matmul(points, weights) + b)[:, 0]
    cost = float(keras.losses.binary_crossentropy(labels[:, None], probabilities[:, None]).numpy().mean())
    accuracy = float(np.mean((probabilities.numpy() > 0.5) == (labels == 1)))
    axis = np.linspace(-6, 6, GRID, dtype=np.float32)
    g1, g2 = np.meshgrid(axis, axis[::-1])  # row 0 at the top (x2 = +6)
    grid = tf.sigmoid(w1 * g1 + w2 * g2 + b)
    return {
        "sigmoid": np.stack([z.numpy(), tf.sigmoid(z).numpy()], axis=1).round(5).tolist(),
        "cost_y1": np.stack([h.numpy(), (-tf.math.log(h)).numpy()], axis=1).round(5).tolist(),
        "cost_y0": np.stack([h.numpy(), (-tf.math.log(1 - h)).numpy()], axis=1).round(5).tolist(),
        "w1": w1,
        "w2": w2,
        "b": b,
        "points": data.points_train.round(4).tolist(),
        "labels": data.y_train.tolist(),
        "probabilities": probabilities.numpy().round(5).tolist(),
        "grid": np.asarray(grid).round(4).tolist(),
        "grid_range": [-6, 6],
        "cost": cost,
        "accuracy": accuracy,
        "boundary": f"{w1:g}·x1 + {w2:g}·x2 + {b:g} = 0",
    }
