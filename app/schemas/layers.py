"""Layer specs: one declaration per Keras layer class, keyed by its class name.

Field names are Keras config names, so `spec.keras_config()` goes straight to
`keras.layers.deserialize`. The catalog, the validation and the builder all read these classes.
"""

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.errors import SpecError
from app.schemas.choices import Activation, Initializer, Regularizer

# Fixed bounds well inside TensorFlow's int32 sizes; the configured limits (units, parameters) are tighter.
MAX_SIZE = 1_000_000
MAX_WINDOW = 1024
PositiveSize = Annotated[int, Field(ge=1, le=MAX_SIZE)]
WindowSize = Annotated[int, Field(ge=1, le=MAX_WINDOW)]
KernelSize = WindowSize | Annotated[list[WindowSize], Field(min_length=2, max_length=2)]
Padding = Literal["valid", "same"]
Shape = tuple[int, ...]


def _pair(value: int | list[int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (value[0], value[1])


def _window(shape: Shape, where: str, sizes: Mapping[str, int | list[int] | None], padding: str) -> Shape:
    """Output (height, width) of a sliding window; each window field no larger than the input."""
    height, width = shape[0], shape[1]
    kernel = _pair(sizes["window"] or 1)  # type: ignore[arg-type]
    strides = _pair(sizes["strides"] or kernel)  # type: ignore[arg-type]
    for name, value in sizes.items():
        if name == "window" or value is None:
            continue
        for got, size in zip(_pair(value), (height, width), strict=True):
            if got > size:
                raise SpecError(f"{where}.{name}", code="window_too_large", params={"value": got, "size": size})
    if padding == "same":
        return (math.ceil(height / strides[0]), math.ceil(width / strides[1]))
    return ((height - kernel[0]) // strides[0] + 1, (width - kernel[1]) // strides[1] + 1)


class LayerSpec(BaseModel):
    """Fields shared by every layer."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    category: ClassVar[str] = "core"
    # Rank the input must have (without the batch axis), when the layer needs one.
    input_rank: ClassVar[int | None] = None
    # Attributes that count as a layer's width, checked against the units limit.
    size_fields: ClassVar[tuple[str, ...]] = ()
    # A merge layer joins several inputs (graph models only); the others take one.
    merge: ClassVar[bool] = False
    min_inputs: ClassVar[int] = 1
    max_inputs: ClassVar[int | None] = 1

    type: str
    name: str | None = Field(
        None,
        pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
        max_length=64,
        description="the layer's Keras name, shown in the summary and the code (else dense, dense_1, …)",
    )

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        """Output shape (no batch axis) and parameter count on input `shape`, by arithmetic, so sizes
        are checked before Keras allocates anything; SpecError names the field that does not fit."""
        return shape, 0

    def keras_config(self) -> dict[str, Any]:
        """This layer's Keras config (regularizers as Keras serialized objects)."""
        config = self.model_dump(exclude={"type"}, exclude_none=True)
        for key, value in config.items():
            if isinstance(value, dict) and "type" in value:
                inner = {k: v for k, v in value.items() if k != "type"}
                config[key] = {"class_name": value["type"], "config": inner}
        return config


class Dense(LayerSpec):
    """Fully connected layer: output = activation(input · kernel + bias)."""

    size_fields = ("units",)
    type: Literal["Dense"]
    units: PositiveSize = Field(4, description="number of neurons")
    activation: Activation = Field("linear", description="applied to each neuron's output")
    use_bias: bool = True
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None
    bias_regularizer: Regularizer | None = None

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        return (*shape[:-1], self.units), shape[-1] * self.units + (self.units if self.use_bias else 0)


class Activation_(LayerSpec):
    """Applies an activation function to its input."""

    type: Literal["Activation"]
    activation: Activation = "relu"


class LeakyReLU(LayerSpec):
    """Leaky ReLU as a layer: x where x ≥ 0, negative_slope · x below (the `leaky_relu` activation's slope is 0.2)."""

    type: Literal["LeakyReLU"]
    negative_slope: float = Field(0.3, ge=0, le=1, description="slope for negative inputs (the course uses 0.01)")


class Dropout(LayerSpec):
    """Sets a random share of inputs to 0 while training (regularisation)."""

    category = "regularization"
    type: Literal["Dropout"]
    rate: float = Field(0.2, ge=0, lt=1, description="share of inputs dropped while training")


class GaussianNoise(LayerSpec):
    """Adds Gaussian noise to its input while training (regularisation)."""

    category = "regularization"
    type: Literal["GaussianNoise"]
    stddev: float = Field(0.1, ge=0, le=1, description="standard deviation of the noise")


class BatchNormalization(LayerSpec):
    """Normalises each feature over the batch, then scales and shifts it."""

    category = "normalization"
    type: Literal["BatchNormalization"]
    momentum: float = Field(0.99, ge=0, le=1)
    epsilon: float = Field(0.001, gt=0, le=1)
    center: bool = True
    scale: bool = True

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        return shape, shape[-1] * (2 + self.center + self.scale)  # the moving mean and variance, beta, gamma


class LayerNormalization(LayerSpec):
    """Normalises each sample over its features, then scales and shifts it."""

    category = "normalization"
    type: Literal["LayerNormalization"]
    epsilon: float = Field(0.001, gt=0, le=1)
    center: bool = True
    scale: bool = True

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        return shape, shape[-1] * (self.center + self.scale)


class Flatten(LayerSpec):
    """Flattens its input into one vector per sample."""

    category = "reshaping"
    type: Literal["Flatten"]

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        return (math.prod(shape),), 0


class Reshape(LayerSpec):
    """Gives its input a new shape with the same number of values."""

    category = "reshaping"
    type: Literal["Reshape"]
    target_shape: list[PositiveSize] = Field(
        ..., min_length=1, max_length=4, description="new shape, without the batch axis"
    )

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        if math.prod(self.target_shape) != math.prod(shape):
            params = {"target": self.target_shape, "target_size": math.prod(self.target_shape)}
            params |= {"shape": list(shape), "size": math.prod(shape)}
            raise SpecError(f"{where}.target_shape", code="reshape_size", params=params)
        return tuple(self.target_shape), 0


class Conv2D(LayerSpec):
    """2-D convolution over an image (height, width, channels)."""

    category = "convolution"
    input_rank = 3
    size_fields = ("filters",)
    type: Literal["Conv2D"]
    filters: PositiveSize = Field(8, description="number of output channels")
    kernel_size: KernelSize = Field(3, description="height and width of the window")
    strides: KernelSize = 1
    padding: Padding = "valid"
    activation: Activation = "linear"
    use_bias: bool = True
    kernel_initializer: Initializer = "glorot_uniform"
    bias_initializer: Initializer = "zeros"
    kernel_regularizer: Regularizer | None = None

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        sizes = {"window": self.kernel_size, "kernel_size": self.kernel_size, "strides": self.strides}
        out = _window(shape, where, sizes, self.padding)
        kernel = _pair(self.kernel_size)
        return (*out, self.filters), kernel[0] * kernel[1] * shape[2] * self.filters + self.filters * self.use_bias


class _Pooling2D(LayerSpec):
    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        pool, strides = self.pool_size, self.strides  # type: ignore[attr-defined]
        sizes = {"window": pool, "pool_size": pool, "strides": strides}
        return (*_window(shape, where, sizes, self.padding), shape[2]), 0  # type: ignore[attr-defined]


class MaxPooling2D(_Pooling2D):
    """Keeps the largest value in each window of an image."""

    category = "convolution"
    input_rank = 3
    type: Literal["MaxPooling2D"]
    pool_size: KernelSize = 2
    strides: KernelSize | None = None
    padding: Padding = "valid"


class AveragePooling2D(_Pooling2D):
    """Averages each window of an image."""

    category = "convolution"
    input_rank = 3
    type: Literal["AveragePooling2D"]
    pool_size: KernelSize = 2
    strides: KernelSize | None = None
    padding: Padding = "valid"


class GlobalAveragePooling2D(LayerSpec):
    """Averages each channel over the whole image: one value per channel."""

    category = "convolution"
    input_rank = 3
    type: Literal["GlobalAveragePooling2D"]

    def plan(self, shape: Shape, where: str) -> tuple[Shape, int]:
        return (shape[-1],), 0


class _Merge(LayerSpec):
    """A layer that joins several inputs into one (graph models only)."""

    category = "merging"
    merge = True
    min_inputs = 2
    max_inputs = None

    def plan_merge(self, shapes: list[Shape], where: str, node: str, inputs: list[str]) -> Shape:
        """The output shape of joining `shapes`; SpecError naming the node and its inputs when they do not fit."""
        if any(s != shapes[0] for s in shapes):
            self._mismatch(shapes, where, node, inputs)
        return shapes[0]

    def _mismatch(self, shapes: list[Shape], where: str, node: str, inputs: list[str]) -> None:
        described = ", ".join(f"{name} {_shape_text(s)}" for name, s in zip(inputs, shapes, strict=True))
        rule = "the same shape but for the last axis" if self.type == "Concatenate" else "the same shape"
        params = {"layer": self.type, "node": node, "shapes": described, "rule": rule}
        raise SpecError(f"{where}.inputs", code="merge_shapes", params=params)


def _shape_text(shape: Shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + (",)" if len(shape) == 1 else ")")


class Add(_Merge):
    """Adds its inputs element by element (a skip connection: output = x + f(x)); all the same shape."""

    type: Literal["Add"]


class Subtract(_Merge):
    """Subtracts its second input from its first, element by element; both the same shape."""

    type: Literal["Subtract"]
    max_inputs = 2
    min_inputs = 2


class Multiply(_Merge):
    """Multiplies its inputs element by element; all the same shape."""

    type: Literal["Multiply"]


class Average(_Merge):
    """Averages its inputs element by element; all the same shape."""

    type: Literal["Average"]


class Concatenate(_Merge):
    """Joins its inputs side by side along the last axis: 8 and 4 units give 12."""

    type: Literal["Concatenate"]

    def plan_merge(self, shapes: list[Shape], where: str, node: str, inputs: list[str]) -> Shape:
        if any(len(s) != len(shapes[0]) or s[:-1] != shapes[0][:-1] for s in shapes):
            self._mismatch(shapes, where, node, inputs)
        return (*shapes[0][:-1], sum(s[-1] for s in shapes))


LAYER_SPECS: tuple[type[LayerSpec], ...] = (
    Dense,
    Activation_,
    LeakyReLU,
    Dropout,
    GaussianNoise,
    BatchNormalization,
    LayerNormalization,
    Flatten,
    Reshape,
    Conv2D,
    MaxPooling2D,
    AveragePooling2D,
    GlobalAveragePooling2D,
    Add,
    Subtract,
    Multiply,
    Average,
    Concatenate,
)

AnyLayer = Annotated[
    Dense
    | Activation_
    | LeakyReLU
    | Dropout
    | GaussianNoise
    | BatchNormalization
    | LayerNormalization
    | Flatten
    | Reshape
    | Conv2D
    | MaxPooling2D
    | AveragePooling2D
    | GlobalAveragePooling2D
    | Add
    | Subtract
    | Multiply
    | Average
    | Concatenate,
    Field(discriminator="type"),
]


def layer_type_name(spec_cls: type[LayerSpec]) -> str:
    """The Keras class name a spec class declares."""
    return spec_cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
