"""Every error as a 4xx whose `detail` names the field and says why in plain words."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.errors import SpecError
from app.schemas.layers import LAYER_SPECS, layer_type_name
from app.schemas.optimizers import OPTIMIZER_SPECS, SCHEDULE_SPECS

log = logging.getLogger(__name__)

# Pydantic puts the chosen union member into an error's location; users never wrote it.
_TAGS = {layer_type_name(c) for c in LAYER_SPECS} | {"L1", "L2", "L1L2"}
_TAGS |= {c.model_fields["type"].annotation.__args__[0] for c in (*OPTIMIZER_SPECS, *SCHEDULE_SPECS)}  # type: ignore[union-attr]
_KINDS = {"layers": "layer type", "optimizer": "optimizer", "learning_rate": "schedule", "regularizer": "regularizer"}


def field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for seg in loc:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif seg in ("body", "query", "path") and not parts:
            continue
        elif seg in _TAGS or seg in ("int", "float", "str", "bool") or "[" in seg or "-" in seg:
            continue
        else:
            parts.append(("." if parts else "") + seg)
    return "".join(parts)


def _kind(path: str) -> str:
    for key, kind in _KINDS.items():
        if key in path.rsplit(".", 1)[-1] or path.endswith("]") and key in path:
            return kind
    return "type"


def plain_message(error: dict[str, Any], path: str) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "union_tag_invalid":
        return f"unknown {_kind(path)} '{ctx.get('tag')}'; choose one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"needs a 'type' field naming the {_kind(path)}"
    if kind == "literal_error":
        return f"'{value}' is not a known choice; choose one of: {ctx.get('expected')}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field here (check the spelling)"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']} (got {value})"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']} (got {value})"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']} (got {value})"
    if kind == "less_than":
        return f"must be less than {ctx['lt']} (got {value})"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number (got {value!r})"
    if kind in ("float_parsing", "float_type"):
        return f"must be a number (got {value!r})"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false (got {value!r})"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"takes at most {ctx.get('max_length')} item(s)"
    if kind == "json_invalid":
        return f"the request body is not valid JSON ({ctx.get('error', 'parse error')})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a JSON object"
    if kind == "list_type":
        return "must be a list"
    return str(error.get("msg", "is not valid"))


def validation_detail(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    seen: dict[str, str] = {}
    for error in errors:
        path = field_path(tuple(error.get("loc", ())))
        seen.setdefault(path, plain_message(error, path))  # a union's first complaint is its clearest
    items = [{"field": f, "message": m} for f, m in seen.items()]
    return "; ".join(f"{f}: {m}" if f else m for f, m in seen.items()), items


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail, items = validation_detail(list(exc.errors()))
        return JSONResponse({"detail": detail, "errors": items}, status_code=422)

    @app.exception_handler(SpecError)
    async def on_spec(_: Request, exc: SpecError) -> JSONResponse:
        return JSONResponse(
            {"detail": exc.detail(), "errors": [{"field": exc.field, "message": exc.message}]},
            status_code=exc.status_code,
        )

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "the server hit an unexpected problem; it has been logged"}, status_code=500)
