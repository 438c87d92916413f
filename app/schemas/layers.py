"""Layer specs: one declaration per Keras layer class, keyed by its class name.

Field names are Keras config names, so `spec.keras_config()` goes straight to
`keras.layers.deserialize`. The catalog, the validation and the builder all read these classes.
"""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.choices import Activation, Initializer, Regularizer

PositiveSize = Annotated[int, Field(ge=1)]
KernelSize = PositiveSize | Annotated[list[PositiveSize], Field(min_length=2, max_length=2)]
Padding = Literal["valid", "same"]


class LayerSpec(BaseModel):
    """Fields shared by every layer."""

    model_config = ConfigDict(extra="forbid")

    category: ClassVar[str] = "core"
    # Rank the input must have (without the batch axis), when the layer needs one.
    input_rank: ClassVar[int | None] = None
    # Attributes that count as a layer's width, checked against the units limit.
    size_fields: ClassVar[tuple[str, ...]] = ()

    type: str

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


class Activation_(LayerSpec):
    """Applies an activation function to its input."""

    type: Literal["Activation"]
    activation: Activation = "relu"


class Dropout(LayerSpec):
    """Sets a random share of inputs to 0 while training (regularisation)."""

    category = "regularization"
    type: Literal["Dropout"]
    rate: float = Field(0.2, ge=0, lt=1, description="share of inputs dropped while training")


class GaussianNoise(LayerSpec):
    """Adds Gaussian noise to its input while training (regularisation)."""

    category = "regularization"
    type: Literal["GaussianNoise"]
    stddev: float = Field(0.1, ge=0, le=100, description="standard deviation of the noise")


class BatchNormalization(LayerSpec):
    """Normalises each feature over the batch, then scales and shifts it."""

    category = "normalization"
    type: Literal["BatchNormalization"]
    momentum: float = Field(0.99, ge=0, le=1)
    epsilon: float = Field(0.001, gt=0, le=1)
    center: bool = True
    scale: bool = True


class LayerNormalization(LayerSpec):
    """Normalises each sample over its features, then scales and shifts it."""

    category = "normalization"
    type: Literal["LayerNormalization"]
    epsilon: float = Field(0.001, gt=0, le=1)
    center: bool = True
    scale: bool = True


class Flatten(LayerSpec):
    """Flattens its input into one vector per sample."""

    category = "reshaping"
    type: Literal["Flatten"]


class Reshape(LayerSpec):
    """Gives its input a new shape with the same number of values."""

    category = "reshaping"
    type: Literal["Reshape"]
    target_shape: list[PositiveSize] = Field(
        ..., min_length=1, max_length=4, description="new shape, without the batch axis"
    )


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


class MaxPooling2D(LayerSpec):
    """Keeps the largest value in each window of an image."""

    category = "convolution"
    input_rank = 3
    type: Literal["MaxPooling2D"]
    pool_size: KernelSize = 2
    strides: KernelSize | None = None
    padding: Padding = "valid"


class AveragePooling2D(LayerSpec):
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


LAYER_SPECS: tuple[type[LayerSpec], ...] = (
    Dense,
    Activation_,
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
)

AnyLayer = Annotated[
    Dense
    | Activation_
    | Dropout
    | GaussianNoise
    | BatchNormalization
    | LayerNormalization
    | Flatten
    | Reshape
    | Conv2D
    | MaxPooling2D
    | AveragePooling2D
    | GlobalAveragePooling2D,
    Field(discriminator="type"),
]


def layer_type_name(spec_cls: type[LayerSpec]) -> str:
    """The Keras class name a spec class declares."""
    return spec_cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
