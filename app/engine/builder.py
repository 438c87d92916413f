"""Spec → Keras objects, through Keras's own registries (`deserialize`), never a branch per type."""

import math
import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.config import Settings
from app.engine.tf_setup import keras, tf
from app.errors import SpecError
from app.schemas.graph import Step, layer_names, snake_case  # noqa: F401  (imported from here too)
from app.schemas.layers import LayerSpec
from app.schemas.optimizers import OptimizerSpec
from app.schemas.runs import STACK_INPUT, ModelSpec

# Seeding Keras is process-global: build one model at a time so the same seed always gives
# the same initial weights, whatever else the server is doing.
_seed_lock = threading.Lock()


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


def graph_inputs(
    spec: ModelSpec, input_shape: tuple[int, ...], features: Sequence[str] | None = None
) -> list[tuple[tuple[int, ...], list[int] | None]]:
    """Each input's shape and the data's columns it takes (None: all of them). A stack has one input.

    Inputs that name features split a row of features (a table's columns, a plane's x1, x2):
    each feature goes to exactly one input. Without the feature names (a summary on an input
    shape) only the counts are checked."""
    params: dict[str, Any]
    graph = spec.graph
    if graph is None or (len(graph.inputs) == 1 and graph.inputs[0].features is None):
        return [(tuple(input_shape), None)]
    if len(input_shape) != 1:
        raise SpecError("model.graph.inputs", code="graph_columns", params={"shape": list(input_shape)})
    out: list[tuple[tuple[int, ...], list[int] | None]] = []
    taken: dict[str, str] = {}
    for i, entry in enumerate(graph.inputs):
        if entry.features is None:
            raise SpecError(f"model.graph.inputs[{i}].features", code="graph_input_features")
        columns = []
        for j, name in enumerate(entry.features):
            where = f"model.graph.inputs[{i}].features[{j}]"
            if features is not None and name not in features:
                raise SpecError(where, code="unknown_feature", params={"name": name, "available": ", ".join(features)})
            if name in taken:
                params = {"name": name, "first": taken[name], "second": entry.name}
                raise SpecError(where, code="feature_twice", params=params)
            taken[name] = entry.name
            columns.append(list(features).index(name) if features is not None else len(taken) - 1)
        out.append(((len(columns),), columns))
    if features is not None:
        for name in features:
            if name not in taken:
                raise SpecError("model.graph.inputs", code="feature_unused", params={"name": name})
    elif len(taken) != input_shape[0]:
        params = {"count": len(taken), "shape": list(input_shape)}
        raise SpecError("model.graph.inputs", code="graph_feature_count", params=params)
    return out


def split_columns(x: Any, columns: list[list[int] | None]) -> Any:
    """Rows of features as the model takes them: one array, or one per input (its columns)."""
    if columns == [None]:
        return x
    return [x[:, cols] if isinstance(x, np.ndarray) else tf.gather(x, cols, axis=1) for cols in columns]


def _input_names(spec: ModelSpec) -> list[str]:
    return [entry.name for entry in spec.graph.inputs] if spec.graph is not None else [STACK_INPUT]


def check_sizes(
    spec: ModelSpec, input_shape: tuple[int, ...], settings: Settings, features: Sequence[str] | None = None
) -> int:
    """Shapes and parameter counts by arithmetic, before Keras allocates anything: windows no larger
    than their input, merges joining shapes that fit, every layer's output and the parameter total
    within the limits. The count."""
    steps = spec.steps
    field = "model.graph.nodes" if spec.is_graph else "model.layers"
    if len(steps) > settings.max_layers:
        raise SpecError(field, code="too_many_layers", params={"count": len(steps), "limit": settings.max_layers})
    for step in steps:
        for attr in step.layer.size_fields:
            if getattr(step.layer, attr) > settings.max_units:
                raise SpecError(
                    f"{step.where}.{attr}",
                    code="limit_exceeded",
                    params={"value": getattr(step.layer, attr), "limit": settings.max_units},
                )
    params: dict[str, Any]
    if math.prod(input_shape) > MAX_VALUES_PER_SAMPLE:
        params = {"count": math.prod(input_shape), "limit": MAX_VALUES_PER_SAMPLE}
        raise SpecError("input_shape", code="too_many_values", params=params)
    shapes = dict(zip(_input_names(spec), (s for s, _ in graph_inputs(spec, input_shape, features)), strict=True))
    total = 0
    for step in steps:
        layer, where = step.layer, step.where
        if layer.merge:
            merge: Any = layer
            shape = merge.plan_merge([shapes[n] for n in step.inputs], where, step.name, list(step.inputs))
            count = 0
        else:
            shape = shapes[step.inputs[0]]
            if layer.input_rank is not None and len(shape) != layer.input_rank:
                params = {"layer": layer.type, "shape": _describe_shape((None, *shape))}
                raise SpecError(where, code="needs_image_input", params=params)
            shape, count = layer.plan(shape, where)
        shapes[step.name] = shape
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


def _keras_layer(step: Step, shape: tuple[int | None, ...]) -> keras.layers.Layer:
    try:
        return keras.layers.deserialize(serialized_layer(step.layer, step.name))
    except (ValueError, TypeError) as exc:
        raise _bad_shape(step, shape, exc) from exc


def _bad_shape(step: Step, shape: tuple[int | None, ...], exc: BaseException) -> SpecError:
    params = {"layer": step.layer.type, "shape": _describe_shape(shape), "reason": keras_message(exc)}
    return SpecError(step.where, code="bad_input_shape", params=params)


def _check_output(step: Step, shape: tuple[int | None, ...]) -> None:
    if any(d is not None and d < 1 for d in shape[1:]):
        params = {"layer": step.layer.type, "shape": _describe_shape(shape)}
        raise SpecError(step.where, code="empty_output", params=params)


def _build_stack(spec: ModelSpec, input_shape: tuple[int, ...]) -> keras.Model:
    model = keras.Sequential(name="sequential")
    model.add(keras.Input(shape=input_shape))
    shape: tuple[int | None, ...] = (None, *input_shape)
    for step in spec.steps:
        layer = step.layer
        if layer.input_rank is not None and len(shape) - 1 != layer.input_rank:
            raise SpecError(
                step.where, code="needs_image_input", params={"layer": layer.type, "shape": _describe_shape(shape)}
            )
        try:
            model.add(_keras_layer(step, shape))
        except (ValueError, TypeError) as exc:
            raise _bad_shape(step, shape, exc) from exc
        shape = tuple(model.layers[-1].output.shape)
        _check_output(step, shape)
    return model


def _build_graph(spec: ModelSpec, shapes: list[tuple[int, ...]]) -> keras.Model:
    """`keras.Model(inputs, outputs)`: a `keras.Input` per input, each node's layer called on its inputs."""
    assert spec.graph is not None
    inputs = [keras.Input(shape=shape, name=entry.name) for entry, shape in zip(spec.graph.inputs, shapes, strict=True)]
    tensors: dict[str, Any] = {entry.name: tensor for entry, tensor in zip(spec.graph.inputs, inputs, strict=True)}
    for step in spec.steps:
        args = [tensors[name] for name in step.inputs]
        shape = tuple(args[0].shape)
        layer = _keras_layer(step, shape)
        try:
            tensors[step.name] = layer(args if step.layer.merge else args[0])
        except (ValueError, TypeError) as exc:
            raise _bad_shape(step, shape, exc) from exc
        _check_output(step, tuple(tensors[step.name].shape))
    output = tensors[spec.graph.outputs[0]]
    return keras.Model(inputs if len(inputs) > 1 else inputs[0], output, name="functional")


def build_model(
    spec: ModelSpec,
    input_shape: tuple[int, ...],
    seed: int,
    settings: Settings,
    features: Sequence[str] | None = None,
) -> keras.Model:
    """A built model, Sequential for a stack and functional for a graph, or a SpecError naming the
    first layer that does not fit. `features` are the data's feature names (a graph's inputs take them)."""
    check_sizes(spec, input_shape, settings, features)
    shapes = [shape for shape, _ in graph_inputs(spec, input_shape, features)]
    with _seed_lock:
        keras.utils.set_random_seed(seed)
        model = _build_graph(spec, shapes) if spec.is_graph else _build_stack(spec, input_shape)
    params = model.count_params()
    if params > settings.max_params:
        raise SpecError("model", code="too_many_params", params={"params": params, "limit": settings.max_params})
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
