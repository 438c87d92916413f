"""Request and response schemas for runs, models and data-set references."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from app.errors import SpecError
from app.schemas.choices import Metric
from app.schemas.graph import GraphSpec, Step, layer_names
from app.schemas.layers import AnyLayer, LayerSpec
from app.schemas.losses import AnyLoss, LossObject
from app.schemas.optimizers import SGD, AnyOptimizer

Row = Annotated[list[float], Field(max_length=10**5)]


# The name Keras gives a Sequential model's input (`keras.Input` without a name).
STACK_INPUT = "input_layer"

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
    """A stack of layers (`layers`, Sequential) or a graph (`graph`, the functional API): one of the two."""

    layers: list[AnyLayer] | None = Field(
        None, min_length=1, max_length=1000, description="a stack: each layer takes the one before"
    )
    graph: GraphSpec | None = Field(
        None, description="a graph (functional API): named inputs, nodes with the names of their inputs, the output"
    )
    input_shape: list[Annotated[int, Field(ge=1, le=10**6)]] | None = Field(
        None, min_length=1, max_length=4, description="used where no data set gives it"
    )

    @model_validator(mode="after")
    def _names_differ(self) -> "ModelSpec":
        if (self.layers is None) == (self.graph is None):
            raise SpecError("layers", code="model_form")
        if self.layers is None:
            return self
        names = [layer.name for layer in self.layers if layer.name is not None]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"two layers are named '{name}': Keras needs each layer's name to be different")
        for i, layer in enumerate(self.layers):
            if layer.merge:
                raise SpecError(f"layers[{i}]", code="merge_in_stack", params={"layer": layer.type})
        return self

    @model_serializer(mode="wrap")
    def _one_form(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Written as given: a stack without `graph`, a graph without `layers`."""
        data = handler(self)
        if isinstance(data, dict):
            data.pop("layers" if self.layers is None else "graph", None)
        return data  # type: ignore[no-any-return]

    @property
    def is_graph(self) -> bool:
        return self.graph is not None

    @property
    def steps(self) -> list[Step]:
        """Every layer in build order (a graph's topological order) with its name, inputs and field."""
        if self.graph is not None:
            nodes = self.graph.nodes
            return [
                Step(nodes[i].name, nodes[i].layer, tuple(nodes[i].inputs), f"model.graph.nodes[{i}]")
                for i in self.graph.order
            ]
        assert self.layers is not None
        names = layer_names(self.layers)
        before = [STACK_INPUT, *names[:-1]]
        return [
            Step(name, layer, (prev,), f"model.layers[{i}]")
            for i, (layer, name, prev) in enumerate(zip(self.layers, names, before, strict=True))
        ]

    @property
    def all_layers(self) -> list[LayerSpec]:
        """The layer specs in build order, for code that needs only per-layer facts."""
        return [step.layer for step in self.steps]

    @property
    def output_step(self) -> Step:
        """The layer whose output is the model's."""
        if self.graph is None:
            return self.steps[-1]
        name = self.graph.outputs[0]
        return next(step for step in self.steps if step.name == name)

    @property
    def chain(self) -> list[LayerSpec] | None:
        """The layers as a stack: a stack's, or a graph's that is a plain chain (one input, each node
        taking the one before); None for a graph with branches or several inputs."""
        if self.layers is not None:
            return list(self.layers)
        assert self.graph is not None
        steps = self.steps
        if len(self.graph.inputs) > 1 or self.graph.inputs[0].features is not None:
            return None
        previous = self.graph.inputs[0].name
        for step in steps:
            if step.inputs != (previous,):
                return None
            previous = step.name
        return [step.layer.model_copy(update={"name": step.name}) for step in steps]

    def describe(self) -> str:
        """The model in one line, for lists: "Dense 8 relu → Dropout 0.2 → Dense 1 sigmoid"."""
        parts = []
        for layer in self.all_layers:
            words = [layer.type]
            for name in ("units", "filters", "rate"):
                if getattr(layer, name, None) is not None:
                    words.append(f"{getattr(layer, name):g}")
            activation = getattr(layer, "activation", None)
            if isinstance(activation, str) and activation != "linear":
                words.append(activation)
            parts.append(" ".join(words))
        if self.graph is not None:
            return "graph: " + ", ".join(parts)
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
