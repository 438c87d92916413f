"""The catalog a client builds its forms from, derived from the spec classes themselves."""

from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from app.schemas.choices import ACTIVATIONS, INITIALIZERS, METRICS, REGULARIZERS
from app.schemas.layers import LAYER_SPECS
from app.schemas.losses import ALIASES, LOSSES
from app.schemas.optimizers import OPTIMIZER_SPECS, SCHEDULE_SPECS

_CHOICE_SOURCES = {"activation": "activations", "initializer": "initializers"}


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return defs[schema["$ref"].split("/")[-1]]
    return schema


def _param(name: str, prop: dict[str, Any], defs: dict[str, Any], required: bool) -> dict[str, Any]:
    """One field as {name, type, default, minimum, maximum, choices, …}."""
    out: dict[str, Any] = {"name": name}
    if "description" in prop:
        out["description"] = prop["description"]
    if "default" in prop:
        out["default"] = prop["default"]
    out["required"] = required
    variants = [_resolve(v, defs) for v in prop.get("anyOf", [prop])]
    nullable = any(v.get("type") == "null" for v in variants)
    variants = [v for v in variants if v.get("type") != "null"]
    if "oneOf" in prop or (variants and "discriminator" in variants[0]):
        options = prop.get("oneOf") or variants[0].get("oneOf", [])
        out["type"] = "object"
        out["options"] = [_resolve(o, defs).get("title") for o in options]
    elif any(v.get("type") == "number" for v in variants) and any("oneOf" in v for v in variants):
        out["type"] = "number_or_schedule"
        bounds = next(v for v in variants if v.get("type") == "number")
    elif len(variants) > 1:
        out["type"] = "int_or_pair"
        bounds = variants[0]
    else:
        bounds = variants[0] if variants else {}
        if "enum" in bounds:
            out["type"] = "choice"
            out["choices"] = bounds["enum"]
        elif "const" in bounds:
            out["type"] = "const"
        elif bounds.get("type") == "array":
            bounds = bounds.get("items", {})
            out["type"] = "number_list" if bounds.get("type") == "number" else "int_list"
        else:
            out["type"] = bounds.get("type", "any")
    if out["type"] in ("integer", "number", "int_or_pair", "int_list", "number_list", "number_or_schedule"):
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if key in bounds:
                out[key] = bounds[key]
    out["nullable"] = nullable
    return out


def describe(spec_cls: type[BaseModel]) -> dict[str, Any]:
    """A spec class as a catalog entry: its name, description and parameters."""
    schema = spec_cls.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    props = schema["properties"]
    # The layer's own config first, its optional Keras `name` last (a form shows them in order).
    names = sorted((n for n in props if n != "type"), key=lambda n: n == "name")
    params = [_param(name, props[name], defs, name in required) for name in names]
    for param in params:
        if param["type"] == "choice":
            for key, source in _CHOICE_SOURCES.items():
                if key in param["name"]:
                    param["choices_from"] = source
    entry = {
        "name": props["type"]["const"],
        "description": (spec_cls.__doc__ or "").strip(),
        "params": params,
    }
    for attr in ("category", "input_rank", "min_inputs", "max_inputs"):
        if hasattr(spec_cls, attr):
            entry[attr] = getattr(spec_cls, attr)
    return entry


@lru_cache
def catalog() -> dict[str, Any]:
    return {
        "layers": [describe(cls) for cls in LAYER_SPECS],
        "activations": [{"name": k, "description": v} for k, v in ACTIVATIONS.items()],
        "losses": [
            {
                "name": k,
                "task": v.task,
                "labels": v.labels,
                "description": v.description,
                "aliases": [a for a, target in ALIASES.items() if target == k],
            }
            for k, v in LOSSES.items()
        ],
        "optimizers": [describe(cls) for cls in OPTIMIZER_SPECS],
        "schedules": [describe(cls) for cls in SCHEDULE_SPECS],
        "initializers": [{"name": k, "description": v} for k, v in INITIALIZERS.items()],
        "regularizers": [describe(cls) for cls in REGULARIZERS],
        "metrics": [{"name": k, **v} for k, v in METRICS.items()],
    }
