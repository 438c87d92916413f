"""Optimizer and learning-rate schedule specs, keyed by their Keras class names."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.errors import invalid

Rate = Annotated[float, Field(gt=0, le=100)]
Decay = Annotated[float, Field(ge=0, lt=1)]
# Steps as TensorFlow counts them (int64 iterations, float32 arithmetic): far beyond any run here.
Steps = Annotated[int, Field(ge=1, le=10**9)]
# A schedule's pieces are traced into the training graph: a few dozen at most.
MAX_BOUNDARIES = 50
# Accumulators and L1/L2 strengths: finite, and small enough that float32 arithmetic stays finite.
Amount = Annotated[float, Field(ge=0, le=1e4)]


class ScheduleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    type: str

    def keras_config(self) -> dict[str, Any]:
        return {
            "class_name": self.type,
            "config": self.model_dump(exclude={"type"}, exclude_none=True),
        }


class ExponentialDecay(ScheduleSpec):
    """lr = initial · decay_rate ^ (step / decay_steps); staircase makes it step down."""

    type: Literal["ExponentialDecay"]
    initial_learning_rate: Rate = 0.01
    decay_steps: Steps = 100
    decay_rate: float = Field(0.9, gt=0, le=1)
    staircase: bool = False


class PiecewiseConstantDecay(ScheduleSpec):
    """Step decay: values[i] until boundaries[i] steps, then the next value."""

    type: Literal["PiecewiseConstantDecay"]
    boundaries: list[Annotated[int, Field(ge=0, le=10**9)]] = Field(
        [100, 200], min_length=1, max_length=MAX_BOUNDARIES, description="steps at which the rate changes, rising"
    )
    values: list[Rate] = Field(
        [0.1, 0.01, 0.001], min_length=2, max_length=MAX_BOUNDARIES + 1, description="one more than boundaries"
    )

    @model_validator(mode="after")
    def _pieces_fit(self) -> "PiecewiseConstantDecay":
        for i in range(1, len(self.boundaries)):
            if self.boundaries[i] <= self.boundaries[i - 1]:
                raise invalid("boundaries_order", value=self.boundaries[i], index=i)
        if len(self.values) != len(self.boundaries) + 1:
            n = len(self.boundaries)
            raise invalid("schedule_values", boundaries=n, expected=n + 1, count=len(self.values))
        return self


class CosineDecay(ScheduleSpec):
    """Cosine-shaped decay from the initial rate to alpha · initial over decay_steps."""

    type: Literal["CosineDecay"]
    initial_learning_rate: Rate = 0.01
    decay_steps: Steps = 1000
    alpha: float = Field(0.0, ge=0, le=1)


class InverseTimeDecay(ScheduleSpec):
    """lr = initial / (1 + decay_rate · step / decay_steps)."""

    type: Literal["InverseTimeDecay"]
    initial_learning_rate: Rate = 0.01
    decay_steps: Steps = 100
    decay_rate: float = Field(0.5, ge=0, le=100)
    staircase: bool = False


SCHEDULE_SPECS: tuple[type[ScheduleSpec], ...] = (
    ExponentialDecay,
    PiecewiseConstantDecay,
    CosineDecay,
    InverseTimeDecay,
)
AnySchedule = Annotated[
    ExponentialDecay | PiecewiseConstantDecay | CosineDecay | InverseTimeDecay,
    Field(discriminator="type"),
]
LearningRate = Rate | AnySchedule


class OptimizerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    default_learning_rate: ClassVar[float] = 0.001

    type: str
    learning_rate: LearningRate = 0.001

    def keras_config(self) -> dict[str, Any]:
        config = self.model_dump(exclude={"type", "learning_rate"}, exclude_none=True)
        if isinstance(self.learning_rate, ScheduleSpec):
            config["learning_rate"] = self.learning_rate.keras_config()
        else:
            config["learning_rate"] = self.learning_rate
        return {"class_name": self.type, "config": config}


class SGD(OptimizerSpec):
    """Gradient descent; with momentum it keeps a running direction, Nesterov looks ahead."""

    type: Literal["SGD"]
    learning_rate: LearningRate = 0.01
    momentum: float = Field(0.0, ge=0, lt=1)
    nesterov: bool = False


class Adagrad(OptimizerSpec):
    """Per-parameter rates that shrink as squared gradients add up."""

    type: Literal["Adagrad"]
    initial_accumulator_value: Amount = 0.1
    epsilon: float = Field(1e-7, gt=0, le=1)


class Adadelta(OptimizerSpec):
    """Adagrad with a moving window instead of an ever-growing sum."""

    type: Literal["Adadelta"]
    rho: Decay = 0.95
    epsilon: float = Field(1e-7, gt=0, le=1)


class RMSprop(OptimizerSpec):
    """Divides each gradient by a moving average of its recent magnitude."""

    type: Literal["RMSprop"]
    rho: Decay = 0.9
    momentum: float = Field(0.0, ge=0, lt=1)
    epsilon: float = Field(1e-7, gt=0, le=1)
    centered: bool = False


class Adam(OptimizerSpec):
    """Momentum plus RMSprop-style scaling, with bias correction."""

    type: Literal["Adam"]
    beta_1: Decay = 0.9
    beta_2: Decay = 0.999
    epsilon: float = Field(1e-7, gt=0, le=1)
    amsgrad: bool = False


class AdamW(OptimizerSpec):
    """Adam with decoupled weight decay."""

    type: Literal["AdamW"]
    weight_decay: float = Field(0.004, ge=0, le=1)
    beta_1: Decay = 0.9
    beta_2: Decay = 0.999
    epsilon: float = Field(1e-7, gt=0, le=1)
    amsgrad: bool = False


class Adamax(OptimizerSpec):
    """Adam with the infinity norm."""

    type: Literal["Adamax"]
    beta_1: Decay = 0.9
    beta_2: Decay = 0.999
    epsilon: float = Field(1e-7, gt=0, le=1)


class Nadam(OptimizerSpec):
    """Adam with Nesterov momentum."""

    type: Literal["Nadam"]
    beta_1: Decay = 0.9
    beta_2: Decay = 0.999
    epsilon: float = Field(1e-7, gt=0, le=1)


class Ftrl(OptimizerSpec):
    """Follow-the-regularized-leader, with built-in L1 and L2 terms."""

    type: Literal["Ftrl"]
    learning_rate_power: float = Field(-0.5, ge=-10, le=0)
    initial_accumulator_value: Amount = 0.1
    l1_regularization_strength: Amount = 0.0
    l2_regularization_strength: Amount = 0.0


class Lion(OptimizerSpec):
    """Sign of an interpolated momentum: every step has the same size."""

    type: Literal["Lion"]
    learning_rate: LearningRate = 0.0001
    beta_1: Decay = 0.9
    beta_2: Decay = 0.99


OPTIMIZER_SPECS: tuple[type[OptimizerSpec], ...] = (
    SGD,
    Adagrad,
    Adadelta,
    RMSprop,
    Adam,
    AdamW,
    Adamax,
    Nadam,
    Ftrl,
    Lion,
)
AnyOptimizer = Annotated[
    SGD | Adagrad | Adadelta | RMSprop | Adam | AdamW | Adamax | Nadam | Ftrl | Lion,
    Field(discriminator="type"),
]
