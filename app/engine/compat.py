"""Does the loss fit the output and the labels? Decides how labels are encoded for Keras."""

from dataclasses import dataclass
from typing import Literal

import numpy as np

from app.datasets.registry import Data
from app.errors import SpecError
from app.schemas.choices import METRICS
from app.schemas.losses import LOSSES

Encoding = Literal["value", "binary", "sparse", "onehot"]


@dataclass(frozen=True)
class Plan:
    encoding: Encoding
    warnings: tuple[str, ...] = ()


def _output_check(shape: tuple[int | None, ...], dataset: str) -> int:
    if len(shape) != 2:
        dims = ", ".join(str(d) for d in shape[1:])
        raise SpecError(
            "model.layers",
            f"the model's output has shape ({dims}) but must be one vector per sample: "
            f"end with Flatten (or GlobalAveragePooling2D) and a Dense layer for '{dataset}'",
        )
    return int(shape[1])  # type: ignore[arg-type]


def plan_labels(
    loss: str,
    output_shape: tuple[int | None, ...],
    last_activation: str | None,
    data: Data,
    metrics: list[str],
    n_layers: int,
) -> Plan:
    """The label encoding for this loss, output and data set, or a SpecError saying what to change."""
    info = LOSSES[loss]
    name, task, k = data.info.name, data.info.task, data.info.n_classes
    units = _output_check(output_shape, name)
    last = f"model.layers[{n_layers - 1}]"
    warnings: list[str] = []

    if task == "regression":
        if info.task == "classification":
            raise SpecError(
                "compile.loss",
                f"{loss} is for class labels, but '{name}' is a regression data set with numeric "
                "targets: choose a regression loss such as mean_squared_error",
            )
        if units != 1:
            raise SpecError(
                last, f"the model ends with {units} outputs, but '{name}' has one target value: end with Dense(1)"
            )
        encoding: Encoding = "value"
    elif info.labels == "sparse":
        if units != k:
            hint = " (or use binary_crossentropy with one sigmoid unit)" if k == 2 and units == 1 else ""
            raise SpecError(
                last,
                f"{loss} needs one output unit per class: {k} for '{name}', but the last layer gives {units}{hint}",
            )
        encoding = "sparse"
    elif info.labels == "onehot":
        if units != k:
            raise SpecError(
                last, f"{loss} needs one output unit per class: {k} for '{name}', but the last layer gives {units}"
            )
        encoding = "onehot"
    else:  # binary losses and regression losses used on class labels
        if units == 1 and k == 2:
            encoding = "binary"
        elif units == k:
            encoding = "onehot"
        else:
            need = "1 output unit (two classes)" if k == 2 else f"{k} output units (one per class)"
            alt = "" if k == 2 else "; for several classes use sparse_categorical_crossentropy with softmax"
            raise SpecError(last, f"{loss} on '{name}' needs {need}, but the last layer gives {units}{alt}")

    wants_probabilities = loss in ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
    if wants_probabilities and last_activation not in ("sigmoid", "softmax", "hard_sigmoid"):
        act = "softmax" if encoding in ("sparse", "onehot") and units > 1 else "sigmoid"
        warnings.append(
            f"{loss} expects probabilities between 0 and 1, but the last layer's activation is "
            f"{last_activation or 'none'}: use {act} on the output layer"
        )
    if (
        loss in ("mean_squared_logarithmic_error", "poisson")
        and task == "regression"
        and float(np.min(data.y_train)) < 0
    ):
        warnings.append(f"{loss} expects targets that are not negative, but '{name}' has negative targets")

    for i, metric in enumerate(metrics):
        need = METRICS[metric]["task"]
        if need in ("classification", "binary") and task == "regression":
            raise SpecError(
                f"compile.metrics[{i}]", f"{metric} needs class labels; '{name}' is a regression set: use mae or mse"
            )
        if need == "binary" and encoding != "binary":
            raise SpecError(f"compile.metrics[{i}]", f"{metric} works for two classes with one output unit")
        if need == "regression" and task != "regression":
            raise SpecError(f"compile.metrics[{i}]", f"{metric} is for regression; '{name}' is a classification set")
    return Plan(encoding, tuple(warnings))


def encode_labels(y: np.ndarray, encoding: Encoding, n_classes: int) -> np.ndarray:
    """Labels as the loss wants them: floats, 0/1 floats, integer classes or one-hot rows."""
    if encoding == "sparse":
        return y.astype(np.int32)
    if encoding == "onehot":
        return np.eye(n_classes, dtype=np.float32)[y.astype(np.int64)]
    return y.astype(np.float32).reshape(-1, 1)
