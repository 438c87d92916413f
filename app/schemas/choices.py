"""Named choices shared by the specs: activations, initializers, regularizers, metrics.

Names are Keras identifiers; each is resolved by Keras's own registry in the engine.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ACTIVATIONS: dict[str, str] = {
    "linear": "identity: f(x) = x",
    "relu": "rectified linear unit: max(0, x)",
    "leaky_relu": "ReLU with a small slope (0.2) for negative inputs",
    "elu": "exponential linear unit",
    "selu": "scaled ELU, self-normalising",
    "gelu": "Gaussian error linear unit",
    "tanh": "hyperbolic tangent, output in (-1, 1)",
    "sigmoid": "logistic function, output in (0, 1)",
    "hard_sigmoid": "piecewise-linear approximation of sigmoid",
    "hard_tanh": "tanh clipped to a straight line between -1 and 1",
    "softsign": "x / (1 + |x|)",
    "softplus": "log(1 + e^x), a smooth ReLU",
    "silu": "x · sigmoid(x), also called swish",
    "swish": "x · sigmoid(x), also called silu",
    "hard_silu": "piecewise-linear approximation of silu",
    "mish": "x · tanh(softplus(x))",
    "relu6": "ReLU capped at 6",
    "exponential": "e^x",
    "softmax": "turns scores into probabilities that sum to 1",
    "log_softmax": "logarithm of softmax",
}
Activation = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]

INITIALIZERS: dict[str, str] = {
    "glorot_uniform": "Glorot (Xavier) uniform: Keras's default for kernels",
    "glorot_normal": "Glorot (Xavier) normal",
    "he_uniform": "He uniform, suited to ReLU",
    "he_normal": "He normal, suited to ReLU",
    "lecun_uniform": "LeCun uniform",
    "lecun_normal": "LeCun normal, suited to SELU",
    "random_normal": "normal with mean 0 and standard deviation 0.05",
    "random_uniform": "uniform in [-0.05, 0.05]",
    "truncated_normal": "normal without the far tails",
    "orthogonal": "random orthogonal matrix",
    "zeros": "all zeros: Keras's default for biases",
    "ones": "all ones",
}
Initializer = Literal[tuple(INITIALIZERS)]  # type: ignore[valid-type]


class _Regularizer(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class L1(_Regularizer):
    """L1 weight decay: adds l1 · sum(|w|) to the loss."""

    type: Literal["L1"]
    l1: float = Field(0.01, ge=0, le=10)


class L2(_Regularizer):
    """L2 weight decay: adds l2 · sum(w²) to the loss."""

    type: Literal["L2"]
    l2: float = Field(0.01, ge=0, le=10)


class L1L2(_Regularizer):
    """Both L1 and L2 weight decay."""

    type: Literal["L1L2"]
    l1: float = Field(0.0, ge=0, le=10)
    l2: float = Field(0.0, ge=0, le=10)


Regularizer = Annotated[L1 | L2 | L1L2, Field(discriminator="type")]
REGULARIZERS: tuple[type[_Regularizer], ...] = (L1, L2, L1L2)

# Metric names as given to `model.compile(metrics=[...])`; "accuracy" is resolved by Keras
# to binary, categorical or sparse categorical accuracy from the loss and the output shape.
METRICS: dict[str, dict[str, str]] = {
    "accuracy": {"task": "classification", "description": "share of correct predictions"},
    "mae": {"task": "any", "description": "mean absolute error"},
    "mse": {"task": "any", "description": "mean squared error"},
    "root_mean_squared_error": {"task": "any", "description": "root of the mean squared error"},
    "r2_score": {"task": "regression", "description": "coefficient of determination R²"},
    "auc": {"task": "binary", "description": "area under the ROC curve (two classes)"},
    "precision": {"task": "binary", "description": "precision (two classes, one output unit)"},
    "recall": {"task": "binary", "description": "recall (two classes, one output unit)"},
    "sparse_categorical_accuracy": {
        "task": "sparse",
        "description": "share of correct predictions, integer labels against one output unit per class",
    },
}
# Keras's metric classes by their function names: metrics=["SparseCategoricalAccuracy"] works too.
METRIC_CLASSES: dict[str, str] = {"SparseCategoricalAccuracy": "sparse_categorical_accuracy"}


def _metric_name(value: object) -> object:
    return METRIC_CLASSES.get(value, value) if isinstance(value, str) else value


Metric = Annotated[Literal[tuple(METRICS)], BeforeValidator(_metric_name)]  # type: ignore[valid-type]
