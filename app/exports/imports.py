"""Bringing a `.keras` file back, safely: it is read as data and never runs code.

Before Keras sees the file, its config.json is checked: a plain stack of the layer types the
playground knows, built from Keras's own classes only (no Lambda layer, no custom object,
no registered name). Only then is it loaded, with Keras's safe mode on, and turned into a
layer spec, so the model becomes a run like any other (it can be streamed, evaluated,
and trained further).
"""

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from app.config import Settings
from app.engine.builder import check_sizes, snake_case
from app.errors import SpecError, TooLarge
from app.schemas.choices import ACTIVATIONS, INITIALIZERS
from app.schemas.layers import LAYER_SPECS, layer_type_name
from app.schemas.losses import ALIASES, LOSSES
from app.schemas.runs import ModelSpec, RunCreate

KNOWN = {layer_type_name(c): c for c in LAYER_SPECS}
FIELD = "file"
# What a .keras file of a model within the limits holds: config.json, metadata.json and the weights.
MAX_ENTRIES = 16
MAX_CONFIG_BYTES = 1024 * 1024
# Nesting of config.json: a Sequential model's config is about 6 deep.
MAX_DEPTH = 32
# Bytes of weights per parameter the file may hold (float32 weights and optimizer slots), plus room
# for the HDF5 format's own structure.
BYTES_PER_PARAM = 16
WEIGHTS_OVERHEAD = 4 * 1024 * 1024


def _bad(reason: str) -> SpecError:
    return SpecError(FIELD, code="import_config", params={"reason": reason})


def _objects(node: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every serialized Keras object inside a config, however deep (up to MAX_DEPTH)."""
    if depth > MAX_DEPTH:
        raise _bad(f"is nested more than {MAX_DEPTH} levels deep")
    found = []
    if isinstance(node, dict):
        if "class_name" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value, depth + 1)
    return found


def _sizes(archive: zipfile.ZipFile, settings: Settings) -> None:
    """Sizes from the zip's directory, before anything is unpacked (Python's zip reader stops at them)."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise SpecError(FIELD, code="file_damaged", params={"reason": f"{len(entries)} files inside, not a model"})
    try:
        config = archive.getinfo("config.json")
        archive.getinfo("model.weights.h5")
    except KeyError as exc:
        raise SpecError(FIELD, code="file_damaged", params={"reason": str(exc)}) from exc
    if config.file_size > MAX_CONFIG_BYTES:
        raise TooLarge(FIELD, code="file_too_large", params={"limit": MAX_CONFIG_BYTES})
    limit = settings.max_params * BYTES_PER_PARAM + WEIGHTS_OVERHEAD
    if sum(entry.file_size for entry in entries) > limit:
        raise TooLarge(FIELD, code="file_too_large", params={"limit": limit})


def read_config(data: bytes, settings: Settings) -> dict[str, Any]:
    """The file's config.json, after checking its sizes and that nothing in it is code or custom."""
    if not data:
        raise SpecError(FIELD, code="file_empty")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpecError(FIELD, code="not_keras_file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _sizes(archive, settings)
            config = json.loads(archive.read("config.json"))
    except SpecError:
        raise
    except RecursionError as exc:
        raise _bad(f"is nested more than {MAX_DEPTH} levels deep") from exc
    except (ValueError, zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        raise SpecError(FIELD, code="file_damaged", params={"reason": str(exc)}) from exc
    if not isinstance(config, dict):
        raise _bad(f"must hold an object, not {type(config).__name__}")
    for obj in _objects(config):
        name = obj.get("class_name")
        # A functional model's own entry names its class as registered ("Functional"): Keras's, not custom.
        registered = obj.get("registered_name")
        keras_functional = name == registered == "Functional" and str(obj.get("module")).startswith("keras.")
        if name == "Lambda" or (registered and not keras_functional) or name == "__lambda__":
            raise SpecError(FIELD, code="code_refused", params={"name": name})
        module = str(obj.get("module") or "")
        if module and not (module == "keras" or module.startswith("keras.")) and module != "builtins":
            raise SpecError(FIELD, code="foreign_module", params={"name": name, "module": module})
    if config.get("class_name") not in ("Sequential", "Functional"):
        raise SpecError(FIELD, code="model_class", params={"name": config.get("class_name")})
    inner = config.get("config")
    if not isinstance(inner, dict) or not isinstance(inner.get("layers"), list):
        raise _bad("has no list of layers under config.layers")
    for i, layer in enumerate(inner["layers"]):
        if not isinstance(layer, dict) or not isinstance(layer.get("class_name"), str):
            raise _bad(f"layer {i} is not an object with a class_name")
        if not isinstance(layer.get("config", {}), dict):
            raise _bad(f"layer {i} has a config that is not an object")
    return config


def _initializer(value: Any) -> Any:
    if isinstance(value, dict):
        name = snake_case(str(value.get("class_name", "")))
        return name if name in INITIALIZERS else None
    return value


def _regularizer(value: Any) -> Any:
    if isinstance(value, dict):
        inner = value.get("config")
        return {"type": value.get("class_name"), **(inner if isinstance(inner, dict) else {})}
    return value


def _input_shape(layer: dict[str, Any]) -> tuple[int, ...]:
    shape = layer.get("config", {}).get("batch_shape") or layer.get("config", {}).get("batch_input_shape")
    if not isinstance(shape, list) or len(shape) < 2:
        raise _bad("the input layer has no batch_shape (save the model after building it)")
    dims = shape[1:]
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in dims) or len(dims) > 4:
        raise _bad(f"the input layer's batch_shape {shape} must be [null, then 1 to 4 sizes of at least 1]")
    return tuple(dims)


def _sources(layer: dict[str, Any]) -> list[str]:
    """The names of the layers a functional model's layer is called on (its config's inbound node)."""
    inbound = layer.get("inbound_nodes") or []
    if not inbound or not isinstance(inbound[0], dict):
        return []
    names: list[str] = []

    def walk(node: Any, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, dict):
            history = (node.get("config") or {}).get("keras_history") if node.get("class_name") else None
            if isinstance(history, list) and history and isinstance(history[0], str):
                names.append(history[0])
                return
            for value in node.values():
                walk(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                walk(value, depth + 1)

    walk(inbound[0].get("args"))
    return names


def model_spec(config: dict[str, Any], settings: Settings) -> tuple[ModelSpec, tuple[int, ...]]:
    """The layer spec and input shape of a checked config, its sizes checked by arithmetic against
    the same limits as a run's, before any weight is allocated: a stack for a Sequential model or a
    functional chain, a graph for a functional model with branches or merges."""
    layers = config["config"]["layers"]
    inputs = [layer for layer in layers if layer["class_name"] == "InputLayer"]
    if not inputs or (len(inputs) > 1 and config["class_name"] != "Functional"):
        raise SpecError(FIELD, code="one_input")
    inputs = _in_call_order(config, inputs)
    shapes = [_input_shape(layer) for layer in inputs]
    if len(inputs) > 1 and any(len(s) != 1 for s in shapes):
        raise SpecError(FIELD, code="one_input")  # several inputs split a row of features
    shape = shapes[0] if len(inputs) == 1 else (sum(s[0] for s in shapes),)
    if len(layers) > settings.max_layers + 1:
        raise SpecError(FIELD, code="too_many_layers", params={"count": len(layers) - 1, "limit": settings.max_layers})
    specs = []
    edges: list[tuple[str, list[str]]] = []  # (name, the names it takes) of each layer, for a graph
    for i, layer in enumerate(item for item in layers if item["class_name"] != "InputLayer"):
        kind = layer["class_name"]
        edges.append((str(layer.get("name") or layer.get("config", {}).get("name")), _sources(layer)))
        inbound = layer.get("inbound_nodes") or []
        if config["class_name"] == "Functional" and len(inbound) > 1:
            raise SpecError(FIELD, code="several_inputs", params={"index": i, "layer": kind})
        spec_cls = KNOWN.get(kind)
        if spec_cls is None:
            params = {"index": i, "layer": kind, "available": ", ".join(KNOWN)}
            raise SpecError(FIELD, code="layer_not_offered", params=params)
        source = layer.get("config", {})
        fields = {}
        for name in spec_cls.model_fields:
            if name == "type" or name not in source:
                continue
            value = source[name]
            if name.endswith("_initializer"):
                value = _initializer(value)
            elif name.endswith("_regularizer"):
                value = _regularizer(value)
            elif name == "activation" and (not isinstance(value, str) or value not in ACTIVATIONS):
                params = {"index": i, "layer": kind, "value": repr(value)}
                raise SpecError(FIELD, code="activation_not_offered", params=params)
            if value is not None:
                fields[name] = value
        specs.append({"type": kind, **fields})
    body = _graph_body(config, inputs, shapes, specs, edges)
    try:
        spec = ModelSpec.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        index = first["loc"][1] if len(first["loc"]) > 1 and "layers" in body else "?"
        inner = (first.get("ctx") or {}).get("error")
        reason = inner.message if isinstance(inner, SpecError) else first["msg"]
        if "graph" in body and isinstance(inner, SpecError):
            found = re.search(r"nodes\[(\d+)\]", inner.field)
            index = int(found.group(1)) if found else "?"
        raise SpecError(FIELD, code="import_layer_invalid", params={"index": index, "reason": reason}) from exc
    try:
        check_sizes(spec, shape, settings)
    except SpecError as exc:
        raise SpecError(FIELD, code=exc.code, params=exc.params) from exc
    return spec, shape


def _layer_name(layer: dict[str, Any]) -> str:
    return str(layer.get("name") or layer.get("config", {}).get("name"))


def _in_call_order(config: dict[str, Any], inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The input layers in the order the model takes them (config.input_layers)."""
    order = config["config"].get("input_layers")
    if len(inputs) == 1 or not isinstance(order, list):
        return inputs
    names = [entry[0] for entry in order if isinstance(entry, list) and entry and isinstance(entry[0], str)]
    by_name = {_layer_name(layer): layer for layer in inputs}
    if sorted(names) != sorted(by_name):
        raise _bad("config.input_layers does not name the input layers")
    return [by_name[name] for name in names]


# Stand-ins for the features each input of an imported model takes, until a data set names them.
PLACEHOLDER = "#"


def assign_features(spec: ModelSpec, features: list[str]) -> ModelSpec:
    """An imported graph whose several inputs split a row: each takes the data set's next features,
    as many as it is wide, in the order the model takes its inputs."""
    if spec.graph is None or all(entry.features is None for entry in spec.graph.inputs):
        return spec
    widths = [len(entry.features or []) for entry in spec.graph.inputs]
    if sum(widths) != len(features):
        params = {"shape": [sum(widths)], "name": "", "dataset_shape": [len(features)]}
        raise SpecError("dataset", code="dataset_shape", params=params)
    body = spec.model_dump(mode="json")
    start = 0
    for entry, width in zip(body["graph"]["inputs"], widths, strict=True):
        entry["features"] = features[start : start + width]
        start += width
    return ModelSpec.model_validate(body)


def _graph_body(
    config: dict[str, Any],
    inputs: list[dict[str, Any]],
    shapes: list[tuple[int, ...]],
    specs: list[dict[str, Any]],
    edges: list[tuple[str, list[str]]],
) -> dict[str, Any]:
    """A Sequential model or a functional chain as a stack; a functional model with branches or
    several inputs as a graph (several inputs take stand-in features until a data set is chosen)."""
    if config["class_name"] != "Functional":
        return {"layers": specs}
    input_name = _layer_name(inputs[0])
    outputs = config["config"].get("output_layers")
    output = outputs[0] if isinstance(outputs, list) and outputs and isinstance(outputs[0], list) else outputs
    if not isinstance(output, list) or not output or not isinstance(output[0], str):
        raise _bad("has no output_layers")
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], list) and len(outputs) > 1:
        raise _bad("has several outputs: the playground trains a model with one")
    names = [input_name, *(name for name, _ in edges)]
    chain = len(inputs) == 1 and all(sources == [names[i]] for i, (_, sources) in enumerate(edges))
    chain = chain and output[0] == names[-1]
    if chain:
        return {"layers": specs}
    nodes = []
    for spec, (name, sources) in zip(specs, edges, strict=True):
        nodes.append({"name": name, "layer": {k: v for k, v in spec.items() if k != "name"}, "inputs": sources})
    entries: list[dict[str, Any]] = [{"name": input_name}]
    if len(inputs) > 1:
        starts = np.cumsum([0, *(shape[0] for shape in shapes)])
        entries = [
            {"name": _layer_name(layer), "features": [f"{PLACEHOLDER}{k}" for k in range(start, start + shape[0])]}
            for layer, shape, start in zip(inputs, shapes, starts, strict=False)
        ]
    return {"graph": {"inputs": entries, "nodes": nodes, "outputs": [output[0]]}}


def run_spec(body: dict[str, Any]) -> RunCreate:
    """The run an imported model becomes; what the file's compile config says that the playground
    cannot take (an unknown optimizer, a learning rate of 1e9) is a 422 naming it."""
    try:
        return RunCreate.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part not in KNOWN)
        raise _bad(f"compile_config: {where}: {first['msg']}") from exc


def compile_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Loss, optimizer and metrics from the file's compile config, where the playground has them."""
    compiled = config.get("compile_config") or {}
    if not isinstance(compiled, dict):
        raise _bad("compile_config must be an object")
    out: dict[str, Any] = {}
    loss = compiled.get("loss")
    if isinstance(loss, dict):
        loss = snake_case(str(loss.get("class_name", "")))
        loss = {"mean_squared_error": "mean_squared_error"}.get(loss, loss)
    if isinstance(loss, str):
        loss = ALIASES.get(loss, loss)
        if loss in LOSSES:
            out["loss"] = loss
    optimizer = compiled.get("optimizer")
    inner = optimizer.get("config") if isinstance(optimizer, dict) else None
    rate = inner.get("learning_rate") if isinstance(inner, dict) else None
    if isinstance(optimizer, dict) and isinstance(rate, float | int) and not isinstance(rate, bool):
        out["optimizer"] = {"type": str(optimizer.get("class_name")), "learning_rate": float(rate)}
    return out


def load_weights(data: bytes, names: list[str] | None = None) -> list[list[np.ndarray]]:
    """Each layer's weights, from a file that read_config has checked (safe mode on): in the
    model's layer order, or the layers named (a graph's nodes, in the spec's order)."""
    from app.engine.tf_setup import keras

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        path.write_bytes(data)
        try:
            model = keras.models.load_model(path, compile=False, safe_mode=True)
        except Exception as exc:  # anything Keras cannot read is the file's fault, not the server's
            raise SpecError(FIELD, code="keras_load_failed", params={"reason": str(exc)}) from exc
    layers = [model.get_layer(name) for name in names] if names is not None else model.layers
    return [[np.asarray(w) for w in layer.get_weights()] for layer in layers]
