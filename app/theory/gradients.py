"""Per-layer gradient magnitudes of a model's loss at its current weights, from tf.GradientTape: the
vanishing-gradient lesson's chart, computed on demand (not streamed during training)."""

from collections.abc import Callable
from typing import Any

import numpy as np

from app.engine.tf_setup import keras, tf

MAX_ROWS = 512


def layer_gradients(
    model: keras.Model, x: np.ndarray, y: np.ndarray, split: Callable[[Any], Any] = lambda rows: rows
) -> dict[str, Any]:
    """The mean |∂loss/∂w| of each layer's kernel (and bias) on up to MAX_ROWS training rows
    (`split` gives a graph model with several inputs each its columns)."""
    x_batch, y_batch = split(tf.constant(x[:MAX_ROWS])), tf.constant(y[:MAX_ROWS])
    with tf.GradientTape() as tape:
        predicted = model(x_batch, training=False)
        loss = model.compute_loss(x=x_batch, y=y_batch, y_pred=predicted, training=False)
    variables = model.trainable_variables
    grads = dict(zip((v.path for v in variables), tape.gradient(loss, variables), strict=True))
    layers = []
    for layer in model.layers:
        kernel = getattr(layer, "kernel", None)
        if kernel is None or kernel.path not in grads:
            continue
        entry = {
            "layer": layer.name,
            "type": type(layer).__name__,
            "kernel": float(tf.reduce_mean(tf.abs(grads[kernel.path]))),
        }
        bias = getattr(layer, "bias", None)
        if bias is not None and bias.path in grads:
            entry["bias"] = float(tf.reduce_mean(tf.abs(grads[bias.path])))
        layers.append(entry)
    return {"loss": float(loss), "rows": int(y_batch.shape[0]), "layers": layers}
