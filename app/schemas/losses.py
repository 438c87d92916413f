"""Losses by Keras name, with what each expects of labels and outputs."""

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    Tag,
    model_serializer,
    model_validator,
)


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


# Keras's loss classes by the name the playground knows them by, for losses given as objects.
LOSS_CLASSES: dict[str, str] = {
    "MeanSquaredError": "mean_squared_error",
    "MeanAbsoluteError": "mean_absolute_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "KLDivergence": "kl_divergence",
    "Poisson": "poisson",
    "LogCosh": "log_cosh",
    "CosineSimilarity": "cosine_similarity",
    "Huber": "huber",
    "BinaryCrossentropy": "binary_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
}
# The options each class takes (Keras's own config names).
LOSS_OPTIONS: dict[str, tuple[str, ...]] = {
    "BinaryCrossentropy": ("from_logits", "label_smoothing"),
    "CategoricalCrossentropy": ("from_logits", "label_smoothing"),
    "SparseCategoricalCrossentropy": ("from_logits",),
    "Huber": ("delta",),
}


class LossObject(BaseModel):
    """A loss as a Keras class with its options, as `keras.losses.BinaryCrossentropy(from_logits=True)`:
    `{"type": "BinaryCrossentropy", "from_logits": true}`."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    type: Literal[tuple(LOSS_CLASSES)]  # type: ignore[valid-type]
    from_logits: bool | None = Field(None, description="the model outputs scores (logits), not probabilities")
    label_smoothing: float | None = Field(None, ge=0, le=1, description="soften the 0/1 labels by this share")
    delta: float | None = Field(None, gt=0, le=1e6, description="Huber: where squared error turns into absolute")

    @model_validator(mode="after")
    def _options_fit(self) -> "LossObject":
        allowed = LOSS_OPTIONS.get(self.type, ())
        for option in ("from_logits", "label_smoothing", "delta"):
            if getattr(self, option) is not None and option not in allowed:
                takes = ", ".join(allowed) or "no options"
                raise ValueError(f"{self.type} has no option '{option}' (it takes {takes})")
        return self

    @model_serializer(mode="wrap")
    def _without_unset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}

    @property
    def name(self) -> str:
        """The loss's Keras function name: BinaryCrossentropy → binary_crossentropy."""
        return LOSS_CLASSES[self.type]

    def options(self) -> dict[str, bool | float]:
        return {k: v for k in ("from_logits", "label_smoothing", "delta") if (v := getattr(self, k)) is not None}


def _loss_kind(value: object) -> str:
    # Tags with a hyphen: the API's error paths leave them out (compile.loss, compile.loss.type).
    return "loss-class" if isinstance(value, dict | LossObject) else "loss-name"


# A loss by name ("binary_crossentropy", "mse") or as a class with options.
AnyLoss = Annotated[
    Annotated[LossName, Tag("loss-name")] | Annotated[LossObject, Tag("loss-class")],  # type: ignore[valid-type]
    Discriminator(_loss_kind),
]
