"""What a CNN sees: one picture's feature maps after each convolution and pooling layer, and the
Conv2D filters themselves, at a model's current weights (the CNN lesson's figure, asked of the
server about once a second while the run trains, not streamed)."""

import weakref
from typing import Any

import numpy as np

from app.engine.tf_setup import keras

MAX_CHANNELS = 32  # maps and filters sent per layer; a wider layer's others are only counted
DECIMALS = 4

# One extractor per template model: it shares the model's variables, so it sees whatever
# weights were loaded last, and building it again for every question would cost more than asking.
_extractors: "weakref.WeakKeyDictionary[keras.Model, keras.Model]" = weakref.WeakKeyDictionary()


def image_layers(model: keras.Model) -> list[keras.Layer]:
    """The layers whose output is still a picture: (batch, height, width, channels)."""
    return [layer for layer in model.layers if len(layer.output.shape) == 4]


def _extractor(model: keras.Model) -> keras.Model:
    found = _extractors.get(model)
    if found is None:
        outputs = [layer.output for layer in image_layers(model)] + list(model.outputs)
        found = keras.Model(inputs=model.inputs, outputs=outputs)
        _extractors[model] = found
    return found


def _grid(values: np.ndarray) -> list[list[float]]:
    return np.round(values.astype(np.float64), DECIMALS).tolist()


def _filters(layer: keras.Layer) -> dict[str, Any]:
    kernel = np.asarray(layer.kernel)  # (kh, kw, channels in, filters)
    channels_in, count = kernel.shape[2], kernel.shape[3]
    # A first layer's filter is one small picture; a deeper one's has a slice per input channel,
    # shown as their mean.
    pictures = kernel.mean(axis=2)[..., :MAX_CHANNELS]
    bias = np.asarray(layer.bias)[:MAX_CHANNELS] if getattr(layer, "bias", None) is not None else None
    return {
        "layer": layer.name,
        "kernel_size": [int(kernel.shape[0]), int(kernel.shape[1])],
        "channels_in": int(channels_in),
        "filters": int(count),
        "reduced": "mean over input channels" if channels_in > 1 else None,
        "min": float(pictures.min()),
        "max": float(pictures.max()),
        "kernels": [_grid(pictures[:, :, f]) for f in range(pictures.shape[2])],
        "bias": None if bias is None else np.round(bias.astype(np.float64), DECIMALS).tolist(),
    }


def feature_maps(model: keras.Model, image: np.ndarray) -> dict[str, Any]:
    """`image` (height, width, channels, as the model takes it) through the model: each picture
    layer's maps (at most MAX_CHANNELS), each Conv2D's filters and the model's output."""
    *maps, output = _extractor(model)(image[None].astype(np.float32), training=False)
    layers = []
    for layer, values in zip(image_layers(model), maps, strict=True):
        picture = np.asarray(values)[0]  # (height, width, channels)
        shown = picture[..., :MAX_CHANNELS]
        layers.append({
            "layer": layer.name,
            "type": type(layer).__name__,
            "shape": [int(d) for d in picture.shape],
            "min": float(shown.min()),
            "max": float(shown.max()),
            "maps": [_grid(shown[:, :, c]) for c in range(shown.shape[2])],
        })  # fmt: skip
    return {
        "image": _grid(image.mean(axis=2)),
        "layers": layers,
        "filters": [_filters(layer) for layer in model.layers if isinstance(layer, keras.layers.Conv2D)],
        "output": np.round(np.asarray(output)[0].astype(np.float64), 6).tolist(),
    }
