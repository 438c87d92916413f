"""Metrics beyond the loss: the confusion matrix and per-class scores, or MAE, MSE and R²."""

from typing import Any

import numpy as np


def predicted_classes(outputs: np.ndarray) -> np.ndarray:
    """Keras's `accuracy` rule: one output unit is class 1 when it is above 0.5 (binary_accuracy's
    `y_pred > threshold`, so exactly 0.5 is class 0), several units are their argmax (first on ties)."""
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > 0.5).astype(int)
    return outputs.argmax(axis=1)


def classification(y_true: np.ndarray, outputs: np.ndarray, class_names: list[str]) -> dict[str, Any]:
    k = len(class_names)
    predicted = predicted_classes(outputs)
    confusion = np.zeros((k, k), dtype=int)
    np.add.at(confusion, (y_true.astype(int), predicted), 1)
    predicted_counts, true_counts = confusion.sum(axis=0), confusion.sum(axis=1)
    diagonal = np.diag(confusion)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted_counts > 0, diagonal / predicted_counts, 0.0)
        recall = np.where(true_counts > 0, diagonal / true_counts, 0.0)
    return {
        "task": "classification",
        "class_names": class_names,
        "confusion": confusion.tolist(),
        "precision": np.round(precision, 6).tolist(),
        "recall": np.round(recall, 6).tolist(),
        "accuracy": float(diagonal.sum() / max(1, confusion.sum())),
    }


def headline_metric(task: str) -> str:
    return "accuracy" if task == "classification" else "r2"


def headline(task: str, n_classes: int, y_true: np.ndarray, outputs: np.ndarray) -> float | None:
    """The one number a model is ranked by: accuracy for classification, R² for regression."""
    if task == "classification":
        names = [str(i) for i in range(max(n_classes, outputs.shape[1], 2))]
        return classification(y_true, outputs, names)["accuracy"]
    r2 = regression(y_true.astype(np.float64), outputs.astype(np.float64))["r2"]
    return r2 if r2 is not None and np.isfinite(r2) else None


def regression(y_true: np.ndarray, outputs: np.ndarray, max_pairs: int = 500) -> dict[str, Any]:
    """One target (y of shape [n]) or several ([n, k], one output unit each): MAE and MSE over every value,
    as Keras's metrics; R² averaged over the targets, as scikit-learn's `r2_score`; with several targets
    also each one's scores (`per_output`), and the pairs of every target one after another."""
    true = y_true.reshape(len(y_true), -1)
    predicted = outputs[:, : true.shape[1]]
    scores = [_regression_scores(true[:, j], predicted[:, j]) for j in range(true.shape[1])]
    r2s = [r for s in scores if (r := s["r2"]) is not None]
    errors = predicted - true
    pairs = np.concatenate([np.stack([true[:, j], predicted[:, j]], axis=1) for j in range(true.shape[1])])
    out: dict[str, Any] = {
        "task": "regression",
        "mae": float(np.mean(np.abs(errors))),
        "mse": float(np.mean(errors**2)),
        "r2": float(np.mean(r2s)) if len(r2s) == len(scores) else None,
        "pairs": np.round(pairs[:max_pairs].astype(np.float64), 6).tolist(),
    }
    if true.shape[1] > 1:
        out["per_output"] = scores
    return out


def _regression_scores(y_true: np.ndarray, predicted: np.ndarray) -> dict[str, float | None]:
    errors = predicted - y_true
    total = float(np.sum((y_true - y_true.mean()) ** 2))
    return {
        "mae": float(np.mean(np.abs(errors))),
        "mse": float(np.mean(errors**2)),
        "r2": float(1 - np.sum(errors**2) / total) if total > 0 else None,
    }
