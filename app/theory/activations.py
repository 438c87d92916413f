"""Activation functions and their derivatives (from tf.GradientTape), and how a product of derivatives
shrinks through a deep stack."""

from typing import Any

import numpy as np

from app.engine.tf_setup import keras, tf

COURSE = ("linear", "sigmoid", "tanh", "hard_tanh", "softsign", "relu", "leaky_relu", "elu", "selu", "gelu")


def activations(names: list[str] | None = None, depth: int = 5) -> dict[str, Any]:
    """f(x) and f'(x) over x ∈ [−6, 6] for each activation; the largest derivative of each and that
    to the power `depth`: the most a gradient can keep after `depth` layers (sigmoid: 0.25ⁿ)."""
    x = tf.constant(np.linspace(-6, 6, 121), dtype=tf.float32)
    out = []
    for name in names or COURSE:
        function = keras.activations.get(name)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        dy = tape.gradient(y, x)
        peak = float(tf.reduce_max(tf.abs(dy)))
        out.append(
            {
                "name": name,
                "y": np.asarray(y).round(5).tolist(),
                "dy": np.asarray(dy).round(5).tolist(),
                "max_derivative": peak,
                "through_depth": peak**depth,
            }
        )
    return {"x": np.asarray(x).round(4).tolist(), "depth": depth, "functions": out}
