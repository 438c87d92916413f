"""Losses by Keras name, with what each expects of labels and outputs."""

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BeforeValidator


@dataclass(frozen=True)
class LossInfo:
    # "regression" losses also accept class labels (as 0/1 or one-hot numbers), as in
    # TensorFlow Playground; "classification" losses refuse regression targets.
    task: Literal["regression", "classification"]
    description: str
    # How class labels are given to the loss: "binary" (one 0/1 unit, or one-hot over all),
    # "sparse" (integer class per sample), "onehot" (one column per class).
    labels: Literal["binary", "sparse", "onehot", "value"] = "value"


LOSSES: dict[str, LossInfo] = {
    "mean_squared_error": LossInfo("regression", "mean of squared differences (MSE)"),
    "mean_absolute_error": LossInfo("regression", "mean of absolute differences (MAE)"),
    "mean_squared_logarithmic_error": LossInfo(
        "regression", "MSE of log(1 + value) (MSLE); targets must not be below -1"
    ),
    "mean_absolute_percentage_error": LossInfo(
        "regression", "mean absolute difference as a percentage of the target (MAPE)"
    ),
    "kl_divergence": LossInfo("regression", "Kullback-Leibler divergence between target and predicted distributions"),
    "poisson": LossInfo("regression", "Poisson loss: prediction - target · log(prediction)"),
    "log_cosh": LossInfo("regression", "log(cosh(difference)): like MSE near 0, MAE far away"),
    "cosine_similarity": LossInfo("regression", "negative cosine of the angle between vectors"),
    "huber": LossInfo("regression", "squared error for small differences, absolute for large"),
    "binary_crossentropy": LossInfo("classification", "cross-entropy for two classes (sigmoid output)", "binary"),
    "categorical_crossentropy": LossInfo(
        "classification", "cross-entropy over one-hot labels (softmax output)", "onehot"
    ),
    "sparse_categorical_crossentropy": LossInfo(
        "classification", "cross-entropy over integer labels (softmax output)", "sparse"
    ),
    "hinge": LossInfo("classification", "max(0, 1 - y·ŷ) with labels -1/1 (two classes)", "binary"),
    "squared_hinge": LossInfo("classification", "square of the hinge loss (two classes)", "binary"),
    "categorical_hinge": LossInfo("classification", "hinge loss over one-hot labels (several classes)", "onehot"),
}
ALIASES: dict[str, str] = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "msle": "mean_squared_logarithmic_error",
    "mape": "mean_absolute_percentage_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
}


def _unalias(name: object) -> object:
    return ALIASES.get(name, name) if isinstance(name, str) else name


LossName = Annotated[Literal[tuple(LOSSES)], BeforeValidator(_unalias)]  # type: ignore[valid-type]
