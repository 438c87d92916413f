"""Spec → Keras objects, through Keras's own registries (`deserialize`), never a branch per type."""

import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

from app.config import Settings
from app.engine.tf_setup import keras
from app.errors import SpecError
from app.schemas.layers import LayerSpec
from app.schemas.optimizers import OptimizerSpec
from app.schemas.runs import ModelSpec

# Seeding Keras is process-global: build one model at a time so the same seed always gives
# the same initial weights, whatever else the server is doing.
_seed_lock = threading.Lock()


def snake_case(name: str) -> str:
    """Keras's default layer name for a class: Conv2D → conv2d, BatchNormalization → batch_normalization."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_names(layers: Sequence[LayerSpec]) -> list[str]:
    """A layer's own name from the spec, else the one a fresh Keras session would give: dense, dense_1, …
    (skipping the names the spec gives)."""
    given = {spec.name for spec in layers if spec.name}
    seen: Counter[str] = Counter()
    names = []
    for spec in layers:
        if spec.name:
            names.append(spec.name)
            continue
        base = snake_case(spec.type)
        while (name := base if seen[base] == 0 else f"{base}_{seen[base]}") in given:
            seen[base] += 1
        names.append(name)
        seen[base] += 1
    return names


def serialized_layer(spec: LayerSpec, name: str) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": spec.type, "config": {**spec.keras_config(), "name": name}}


def keras_message(exc: BaseException) -> str:
    """The plain sentence inside a Keras exception, without colour codes or call dumps."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))
    if "Exception encountered when calling" in text:
        text = text.split("\n\n", 1)[-1].split("Arguments received", 1)[0]
    return " ".join(text.split())


def _describe_shape(shape: tuple[int | None, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape[1:]) + (",)" if len(shape) == 2 else ")")


# Values one sample may hold at any layer (its input included): a model over this is refused
# before anything is allocated, whatever its parameter count.
MAX_VALUES_PER_SAMPLE = 10_000_000


def check_sizes(spec: ModelSpec, input_shape: tuple[int, ...], settings: Settings) -> int:
    """Shapes and parameter counts by arithmetic, before Keras allocates anything: windows no larger
    than their input, every layer's output and the parameter total within the limits. The count."""
    if len(spec.layers) > settings.max_layers:
        raise SpecError(
            "model.layers", code="too_many_layers", params={"count": len(spec.layers), "limit": settings.max_layers}
        )
    for i, layer in enumerate(spec.layers):
        for attr in layer.size_fields:
            if getattr(layer, attr) > settings.max_units:
                raise SpecError(
                    f"model.layers[{i}].{attr}",
                    code="limit_exceeded",
                    params={"value": getattr(layer, attr), "limit": settings.max_units},
                )
    shape = tuple(input_shape)
    params: dict[str, Any]
    if math.prod(shape) > MAX_VALUES_PER_SAMPLE:
        params = {"count": math.prod(shape), "limit": MAX_VALUES_PER_SAMPLE}
        raise SpecError("input_shape", code="too_many_values", params=params)
    total = 0
    for i, layer in enumerate(spec.layers):
        where = f"model.layers[{i}]"
        if layer.input_rank is not None and len(shape) != layer.input_rank:
            params = {"layer": layer.type, "shape": _describe_shape((None, *shape))}
            raise SpecError(where, code="needs_image_input", params=params)
        shape, count = layer.plan(shape, where)
        total += count
        if any(d < 1 for d in shape):
            params = {"layer": layer.type, "shape": _describe_shape((None, *shape))}
            raise SpecError(where, code="empty_output", params=params)
        if math.prod(shape) > MAX_VALUES_PER_SAMPLE:
            params = {"count": math.prod(shape), "limit": MAX_VALUES_PER_SAMPLE}
            raise SpecError(where, code="too_many_values", params=params)
        if total > settings.max_params:
            raise SpecError("model", code="too_many_params", params={"params": total, "limit": settings.max_params})
    return total


def build_model(spec: ModelSpec, input_shape: tuple[int, ...], seed: int, settings: Settings) -> keras.Sequential:
    """A built Sequential model, or a SpecError naming the first layer that does not fit."""
    check_sizes(spec, input_shape, settings)
    with _seed_lock:
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(name="sequential")
        model.add(keras.Input(shape=input_shape))
        shape: tuple[int | None, ...] = (None, *input_shape)
        for i, (layer, name) in enumerate(zip(spec.layers, layer_names(spec.layers), strict=True)):
            where = f"model.layers[{i}]"
            if layer.input_rank is not None and len(shape) - 1 != layer.input_rank:
                raise SpecError(
                    where, code="needs_image_input", params={"layer": layer.type, "shape": _describe_shape(shape)}
                )
            try:
                model.add(keras.layers.deserialize(serialized_layer(layer, name)))
            except (ValueError, TypeError) as exc:
                raise SpecError(
                    where,
                    code="bad_input_shape",
                    params={"layer": layer.type, "shape": _describe_shape(shape), "reason": keras_message(exc)},
                ) from exc
            shape = tuple(model.layers[-1].output.shape)
            if any(d is not None and d < 1 for d in shape[1:]):
                raise SpecError(
                    where, code="empty_output", params={"layer": layer.type, "shape": _describe_shape(shape)}
                )
    params = model.count_params()
    if params > settings.max_params:
        raise SpecError(
            "model", code="too_many_params", params={"params": params, "limit": settings.max_params}
        )
    return model


def build_optimizer(spec: OptimizerSpec) -> keras.optimizers.Optimizer:
    config = spec.keras_config()
    inner = dict(config["config"])
    if isinstance(inner["learning_rate"], dict):
        schedule = {"module": "keras.optimizers.schedules", **inner["learning_rate"]}
        inner["learning_rate"] = keras.optimizers.schedules.deserialize(schedule)
    return keras.optimizers.deserialize(
        {"module": "keras.optimizers", "class_name": config["class_name"], "config": inner}
    )
