"""Request and response schemas for runs, models and data-set references."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas.choices import Metric
from app.schemas.layers import AnyLayer
from app.schemas.losses import AnyLoss, LossObject
from app.schemas.optimizers import SGD, AnyOptimizer

Row = Annotated[list[float], Field(max_length=10**5)]


# Seeds as NumPy and scikit-learn take them (32 bits).
MAX_SEED = 2**32 - 1


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class DatasetRef(Strict):
    """Which data set to use, and how to generate or split it."""

    name: str = Field(..., max_length=100, description="a name from GET /api/datasets")
    n_samples: int | None = Field(None, ge=2, le=10**6, description="points to generate (synthetic sets)")
    noise: float = Field(0, ge=0, le=50, description="noise in percent, as in TensorFlow Playground")
    train_ratio: float | None = Field(
        None, gt=0, le=1, description="share of samples used for training; the rest is the test split"
    )
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="data seed; the run's seed when left out")
    features: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="input features: for the 2-D sets a choice of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2) "
        "(default x1, x2); for a table, a real set or an upload some of its columns by name (e.g. hours)",
    )
    scaling: Literal["none", "minmax", "standard"] = Field(
        "none", description="feature scaling, fitted on the training split only"
    )


class ModelSpec(Strict):
    layers: list[AnyLayer] = Field(..., min_length=1, max_length=1000)
    input_shape: list[Annotated[int, Field(ge=1, le=10**6)]] | None = Field(
        None, min_length=1, max_length=4, description="used where no data set gives it"
    )

    @model_validator(mode="after")
    def _names_differ(self) -> "ModelSpec":
        names = [layer.name for layer in self.layers if layer.name is not None]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"two layers are named '{name}': Keras needs each layer's name to be different")
        return self

    def describe(self) -> str:
        """The model in one line, for lists: "Dense 8 relu → Dropout 0.2 → Dense 1 sigmoid"."""
        parts = []
        for layer in self.layers:
            words = [layer.type]
            for name in ("units", "filters", "rate"):
                if getattr(layer, name, None) is not None:
                    words.append(f"{getattr(layer, name):g}")
            activation = getattr(layer, "activation", None)
            if isinstance(activation, str) and activation != "linear":
                words.append(activation)
            parts.append(" ".join(words))
        return " → ".join(parts)


class CompileSpec(Strict):
    loss: AnyLoss = Field(
        "binary_crossentropy",
        description="a Keras loss name, or a loss class with options: "
        '{"type": "BinaryCrossentropy", "from_logits": true}',
    )
    optimizer: AnyOptimizer = Field(default_factory=lambda: SGD(type="SGD", learning_rate=0.03))
    metrics: list[Metric] = Field(default_factory=list, max_length=8)

    @property
    def loss_name(self) -> str:
        """The loss's Keras function name, whether it was given by name or as a class."""
        return self.loss if isinstance(self.loss, str) else self.loss.name

    @property
    def from_logits(self) -> bool:
        return isinstance(self.loss, LossObject) and bool(self.loss.from_logits)


class FitSpec(Strict):
    epochs: int = Field(100, ge=1, le=10**9)
    batch_size: int = Field(10, ge=1, le=10**6, description="larger than the training set trains one batch")
    shuffle: bool = True
    validation_split: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="the last fraction of the training rows, held out before shuffling as Keras's "
        "fit(validation_split=…) does: the history's val_* are measured on them (0: on the test split)",
    )


class StreamSpec(Strict):
    grid_size: int = Field(100, ge=2, le=10**4, description="side of the output grid in each frame")
    neuron_grid_size: int = Field(20, ge=2, le=10**4, description="side of each hidden unit's map")
    max_fps: float = Field(20, gt=0, le=1000, description="frames per second at most")


class RunCreate(Strict):
    dataset: DatasetRef
    model: ModelSpec
    compile: CompileSpec = Field(default_factory=CompileSpec)
    fit: FitSpec = Field(default_factory=FitSpec)
    stream: StreamSpec = Field(default_factory=StreamSpec)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    paused: bool = Field(False, description="start paused: nothing trains until resume or step")
    tensorboard: bool = Field(False, description="write TensorBoard logs under the data directory")


class SummaryRequest(Strict):
    model: ModelSpec
    input_shape: list[Annotated[int, Field(ge=1, le=10**6)]] | None = Field(None, min_length=1, max_length=4)
    dataset: DatasetRef | None = None


class PredictRequest(Strict):
    inputs: list[Row] | None = Field(None, max_length=10**5, description="rows of model inputs")
    points: list[Row] | None = Field(
        None, max_length=10**5, description="rows of (x1, x2) plane points, turned into the run's input features"
    )
    scaled: bool = Field(
        False,
        description="the inputs are already scaled as the run's training data was; by default they are in the "
        "data's own units and the server applies the run's scaling (fitted on the training split)",
    )


class ContinueRequest(Strict):
    epochs: int = Field(..., ge=1, description="epochs to train on top of those the run has")


class LearningRatePatch(Strict):
    learning_rate: float = Field(..., gt=0, le=100)
