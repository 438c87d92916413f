"""Bringing a `.keras` file back, safely: it is read as data and never runs code.

Before Keras sees the file, its config.json is checked: a plain stack of the layer types the
playground knows, built from Keras's own classes only (no Lambda layer, no custom object,
no registered name). Only then is it loaded, with Keras's safe mode on, and turned into a
layer spec, so the model becomes a run like any other (it can be streamed, evaluated,
and trained further).
"""

import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from app.engine.builder import snake_case
from app.errors import SpecError
from app.schemas.choices import ACTIVATIONS, INITIALIZERS
from app.schemas.layers import LAYER_SPECS, layer_type_name
from app.schemas.losses import ALIASES, LOSSES
from app.schemas.runs import ModelSpec

KNOWN = {layer_type_name(c): c for c in LAYER_SPECS}
FIELD = "file"


def _objects(node: Any) -> list[dict[str, Any]]:
    """Every serialized Keras object inside a config, however deep."""
    found = []
    if isinstance(node, dict):
        if "class_name" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def read_config(data: bytes) -> dict[str, Any]:
    """The file's config.json, after checking that nothing in it is code or custom."""
    if not data:
        raise SpecError(FIELD, code="file_empty")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpecError(FIELD, code="not_keras_file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            config = json.loads(archive.read("config.json"))
            archive.getinfo("model.weights.h5")
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise SpecError(FIELD, code="file_damaged", params={"reason": str(exc)}) from exc
    for obj in _objects(config):
        name = obj.get("class_name")
        if name == "Lambda" or obj.get("registered_name") or name == "__lambda__":
            raise SpecError(FIELD, code="code_refused", params={"name": name})
        module = str(obj.get("module") or "")
        if module and not (module == "keras" or module.startswith("keras.")) and module != "builtins":
            raise SpecError(FIELD, code="foreign_module", params={"name": name, "module": module})
    if config.get("class_name") not in ("Sequential", "Functional"):
        raise SpecError(FIELD, code="model_class", params={"name": config.get("class_name")})
    return config


def _initializer(value: Any) -> Any:
    if isinstance(value, dict):
        name = snake_case(value.get("class_name", ""))
        return name if name in INITIALIZERS else None
    return value


def _regularizer(value: Any) -> Any:
    if isinstance(value, dict):
        return {"type": value["class_name"], **value.get("config", {})}
    return value


def model_spec(config: dict[str, Any]) -> tuple[ModelSpec, tuple[int, ...]]:
    """The layer spec and input shape of a checked config (a plain stack of known layers)."""
    layers = config["config"]["layers"]
    inputs = [layer for layer in layers if layer["class_name"] == "InputLayer"]
    if len(inputs) != 1:
        raise SpecError(FIELD, code="one_input")
    shape = inputs[0]["config"].get("batch_shape") or inputs[0]["config"].get("batch_input_shape")
    specs = []
    for i, layer in enumerate(item for item in layers if item["class_name"] != "InputLayer"):
        kind = layer["class_name"]
        inbound = layer.get("inbound_nodes") or []
        if config["class_name"] == "Functional" and len(inbound) > 1:
            raise SpecError(FIELD, code="several_inputs", params={"index": i, "layer": kind})
        spec_cls = KNOWN.get(kind)
        if spec_cls is None:
            params = {"index": i, "layer": kind, "available": ", ".join(KNOWN)}
            raise SpecError(FIELD, code="layer_not_offered", params=params)
        source = layer["config"]
        fields = {}
        for name in spec_cls.model_fields:
            if name == "type" or name not in source:
                continue
            value = source[name]
            if name.endswith("_initializer"):
                value = _initializer(value)
            elif name.endswith("_regularizer"):
                value = _regularizer(value)
            elif name == "activation" and value not in ACTIVATIONS:
                params = {"index": i, "layer": kind, "value": repr(value)}
                raise SpecError(FIELD, code="activation_not_offered", params=params)
            if value is not None:
                fields[name] = value
        specs.append({"type": kind, **fields})
    try:
        return ModelSpec.model_validate({"layers": specs}), tuple(shape[1:])
    except ValidationError as exc:
        first = exc.errors()[0]
        index = first["loc"][1] if len(first["loc"]) > 1 else "?"
        raise SpecError(FIELD, code="import_layer_invalid", params={"index": index, "reason": first["msg"]}) from exc


def compile_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Loss, optimizer and metrics from the file's compile config, where the playground has them."""
    compiled = config.get("compile_config") or {}
    out: dict[str, Any] = {}
    loss = compiled.get("loss")
    if isinstance(loss, dict):
        loss = snake_case(loss.get("class_name", ""))
        loss = {"mean_squared_error": "mean_squared_error"}.get(loss, loss)
    if isinstance(loss, str):
        loss = ALIASES.get(loss, loss)
        if loss in LOSSES:
            out["loss"] = loss
    optimizer = compiled.get("optimizer")
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config", {}).get("learning_rate"), float | int):
        rate = float(optimizer["config"]["learning_rate"])
        out["optimizer"] = {"type": optimizer["class_name"], "learning_rate": rate}
    return out


def load_weights(data: bytes) -> list[list[np.ndarray]]:
    """Each layer's weights, from a file that read_config has checked (safe mode on)."""
    from app.engine.tf_setup import keras

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        path.write_bytes(data)
        try:
            model = keras.models.load_model(path, compile=False, safe_mode=True)
        except Exception as exc:  # anything Keras cannot read is the file's fault, not the server's
            raise SpecError(FIELD, code="keras_load_failed", params={"reason": str(exc)}) from exc
    return [[np.asarray(w) for w in layer.get_weights()] for layer in model.layers]
