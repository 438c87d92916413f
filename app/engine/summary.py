"""The numbers `model.summary()` prints, as data."""

from typing import Any

import numpy as np

from app.engine.tf_setup import keras


def _count(weights: list[Any]) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def summarize(model: keras.Model) -> dict[str, Any]:
    layers = [
        {
            "name": layer.name,
            "type": type(layer).__name__,
            "output_shape": list(layer.output.shape),
            "params": layer.count_params(),
        }
        for layer in model.layers
    ]
    trainable = _count(model.trainable_weights)
    non_trainable = _count(model.non_trainable_weights)
    return {
        "layers": layers,
        "total_params": trainable + non_trainable,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        "input_shape": list(model.inputs[0].shape[1:]),
    }


def summary_text(model: keras.Model) -> str:
    """Exactly what `model.summary()` prints."""
    lines: list[str] = []
    model.summary(print_fn=lambda line, **_: lines.append(line))
    return "\n".join(lines)
