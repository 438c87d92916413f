"""Does the loss fit the output and the labels? Decides how labels are encoded for Keras."""

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from app.datasets.registry import Data
from app.errors import SpecError, issue
from app.schemas.choices import METRICS
from app.schemas.losses import LOSSES

Encoding = Literal["value", "binary", "sparse", "onehot"]


@dataclass(frozen=True)
class Plan:
    encoding: Encoding
    # Each warning is `{field, code, params, message}`, like an error.
    warnings: tuple[dict[str, Any], ...] = ()


def _output_check(shape: tuple[int | None, ...], dataset: str, field: str) -> int:
    if len(shape) != 2:
        dims = ", ".join(str(d) for d in shape[1:])
        raise SpecError(field, code="output_not_vector", params={"shape": dims, "dataset": dataset})
    return int(shape[1])  # type: ignore[arg-type]


def plan_labels(
    loss: str,
    output_shape: tuple[int | None, ...],
    last_activation: str | None,
    data: Data,
    metrics: list[str],
    last: str,
    from_logits: bool = False,
) -> Plan:
    """The label encoding for this loss, output and data set, or a SpecError saying what to change.
    `last` is the output layer's field (model.layers[2], model.graph.nodes[3])."""
    info = LOSSES[loss]
    name, task, k = data.info.name, data.info.task, data.info.n_classes
    units = _output_check(output_shape, name, "model.graph.outputs" if ".graph." in last else "model.layers")
    warnings: list[dict[str, Any]] = []

    if task == "regression":
        if info.task == "classification":
            raise SpecError("compile.loss", code="loss_needs_classes", params={"loss": loss, "dataset": name})
        if units != data.info.n_outputs:
            if data.info.n_outputs > 1:
                targets = ", ".join(data.info.target_names)
                params = {"units": units, "dataset": name, "outputs": data.info.n_outputs, "targets": targets}
                raise SpecError(last, code="output_per_target", params=params)
            raise SpecError(last, code="output_one_value", params={"units": units, "dataset": name})
        encoding: Encoding = "value"
    elif info.labels == "sparse":
        if units != k:
            code = "output_per_class_or_binary" if k == 2 and units == 1 else "output_per_class"
            raise SpecError(last, code=code, params={"loss": loss, "classes": k, "dataset": name, "units": units})
        encoding = "sparse"
    elif info.labels == "onehot":
        if units != k:
            raise SpecError(
                last, code="output_per_class", params={"loss": loss, "classes": k, "dataset": name, "units": units}
            )
        encoding = "onehot"
    else:  # binary losses and regression losses used on class labels
        if units == 1 and k == 2:
            encoding = "binary"
        elif units == k:
            encoding = "onehot"
        else:
            params = {"loss": loss, "dataset": name, "classes": k, "units": units}
            raise SpecError(last, code="output_two_classes" if k == 2 else "output_one_per_class", params=params)

    cross_entropy = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
    wants_probabilities = loss in cross_entropy and not from_logits  # logits are scores: any output will do
    if wants_probabilities and last_activation not in ("sigmoid", "softmax", "hard_sigmoid"):
        act = "softmax" if encoding in ("sparse", "onehot") and units > 1 else "sigmoid"
        params = {"loss": loss, "activation": last_activation or "none", "suggested": act}
        warnings.append(issue(last, "warn_probabilities", params))
    if (
        loss in ("mean_squared_logarithmic_error", "poisson")
        and task == "regression"
        and float(np.min(data.y_train)) < 0
    ):
        warnings.append(issue("compile.loss", "warn_negative_targets", {"loss": loss, "dataset": name}))

    for i, metric in enumerate(metrics):
        need = METRICS[metric]["task"]
        if need in ("classification", "binary", "sparse") and task == "regression":
            raise SpecError(
                f"compile.metrics[{i}]", code="metric_needs_classes", params={"metric": metric, "dataset": name}
            )
        if need == "binary" and encoding != "binary":
            raise SpecError(f"compile.metrics[{i}]", code="metric_needs_binary", params={"metric": metric})
        if need == "sparse" and encoding != "sparse":
            message = f"{metric} compares integer labels with one output per class: use sparse_categorical_crossentropy"
            raise SpecError(f"compile.metrics[{i}]", message)
        if need == "regression" and task != "regression":
            raise SpecError(
                f"compile.metrics[{i}]", code="metric_needs_regression", params={"metric": metric, "dataset": name}
            )
    return Plan(encoding, tuple(warnings))


def encode_labels(y: np.ndarray, encoding: Encoding, n_classes: int) -> np.ndarray:
    """Labels as the loss wants them: floats (a column per target), 0/1 floats, integer classes or one-hot rows."""
    if encoding == "sparse":
        return y.astype(np.int32)
    if encoding == "onehot":
        return np.eye(n_classes, dtype=np.float32)[y.astype(np.int64)]
    values = y.astype(np.float32)
    return values.reshape(-1, 1) if values.ndim == 1 else values
