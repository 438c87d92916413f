"""Softmax: scores → probabilities, one-hot labels, cross-entropy term by term for one sample."""

from typing import Any

import numpy as np

from app.engine.tf_setup import keras, tf


def softmax(scores: list[float] | None = None, label: int = 0) -> dict[str, Any]:
    """The course's 2.0, 1.0, 0.1 → 0.7, 0.2, 0.1 by default; −yᵢ·log(pᵢ) for each class and their sum,
    which is Keras's categorical cross-entropy of the sample."""
    values = [2.0, 1.0, 0.1] if scores is None else scores
    logits = tf.constant([values], dtype=tf.float32)
    probabilities = tf.nn.softmax(logits)[0]
    onehot = tf.one_hot(label, len(values))
    terms = -onehot * tf.math.log(probabilities)
    loss = keras.losses.CategoricalCrossentropy()(onehot[None, :], probabilities[None, :])
    exps = tf.exp(logits[0])
    return {
        "scores": values,
        "exp": np.asarray(exps).round(6).tolist(),
        "exp_sum": float(tf.reduce_sum(exps)),
        "probabilities": np.asarray(probabilities).round(6).tolist(),
        "label": label,
        "onehot": np.asarray(onehot).astype(int).tolist(),
        "terms": np.asarray(terms).round(6).tolist(),
        "cross_entropy": float(tf.reduce_sum(terms)),
        "keras_cross_entropy": float(loss),
        "predicted": int(tf.argmax(probabilities)),
    }
