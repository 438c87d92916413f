"""Every error as a 4xx whose body names the field, gives a code of `app.errors.CODES` and says why in plain words.

The body is `{"detail": "<field>: <message>; ...", "errors": [{"field", "code", "params", "message"}]}`.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException

from app.api.finite import FiniteJSONResponse as JSONResponse
from app.errors import CODES, PYDANTIC_CODES, SpecError, issue, safe_text
from app.schemas.layers import LAYER_SPECS, layer_type_name
from app.schemas.optimizers import OPTIMIZER_SPECS, SCHEDULE_SPECS

log = logging.getLogger(__name__)

# Pydantic puts the chosen union member into an error's location; users never wrote it.
_TAGS = {layer_type_name(c) for c in LAYER_SPECS} | {"L1", "L2", "L1L2"}
_TAGS |= {c.model_fields["type"].annotation.__args__[0] for c in (*OPTIMIZER_SPECS, *SCHEDULE_SPECS)}  # type: ignore[union-attr]
# What a union's `type` names, by the field holding it (the `kind` param of union_tag_* codes).
_KINDS = {"layers": "layer type", "optimizer": "optimizer", "learning_rate": "schedule", "regularizer": "regularizer"}


class ErrorItem(BaseModel):
    """One error or warning: `code` is a key of `GET /api/errors`, `params` fill its template."""

    field: str = Field(..., description="dotted path of the field at fault, e.g. model.layers[1].units; '' for none")
    code: str = Field(..., description="a code from GET /api/errors")
    params: dict[str, Any] = Field(..., description="the values the code's template names")
    message: str = Field(..., description="the template filled in, in English")


class ErrorBody(BaseModel):
    """The body of every 4xx answer."""

    detail: str = Field(..., description="every error in one line: 'field: message; ...'")
    errors: list[ErrorItem]


def field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for seg in loc:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif seg in ("body", "query", "path", "header", "cookie") and not parts:
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


def pydantic_issue(error: dict[str, Any]) -> dict[str, Any]:
    """A pydantic error as `{field, code, params, message}`: its type folded into CODES, params its ctx and input."""
    path = field_path(tuple(error.get("loc", ())))
    inner = (error.get("ctx") or {}).get("error")
    if isinstance(inner, SpecError):  # raised by a validator: its field is relative to the object checked
        sep = "" if not path or not inner.field or inner.field.startswith("[") else "."
        return issue(path + sep + inner.field, inner.code, inner.params, inner.message)
    kind = str(error.get("type", "invalid"))
    code = PYDANTIC_CODES.get(kind, kind)
    params: dict[str, Any] = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
    if "error" in (error.get("ctx") or {}):
        params["reason" if code != "json_invalid" else "error"] = str(error["ctx"]["error"])
    if code not in CODES:
        code, params["reason"] = "invalid", str(error.get("msg", kind))
    if code not in ("json_invalid", "missing") and "input" in error:
        value = error["input"]
        params["input"] = value if isinstance(value, str | int | float | bool) or value is None else repr(value)
    if code.startswith("union_tag"):
        params["kind"] = _kind(path)
    if code == "invalid" and "reason" not in params:
        params["reason"] = str(error.get("msg", "is not valid"))
    if code == "invalid" and kind == "value_error":
        params["reason"] = str(params["reason"]).removeprefix("Value error, ")
    return issue(path, code, params)


_SCALAR = {"float_type", "int_type", "bool_type", "string_type", "float_parsing", "int_parsing"}


def validation_items(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per field; a union's first complaint is its clearest. An object sent where a union
    takes a number or an object (a learning rate or a schedule) is judged as the object."""
    seen: dict[str, dict[str, Any]] = {}
    paths = [field_path(tuple(e.get("loc", ()))) for e in errors]
    for error, path in zip(errors, paths, strict=True):
        if error.get("type") in _SCALAR and isinstance(error.get("input"), dict | list):
            deeper = (
                p.startswith(path) and p[len(path) : len(path) + 1] in (".", "[", "") and e.get("type") not in _SCALAR
                for e, p in zip(errors, paths, strict=True)
            )
            if any(deeper):
                continue
        item = pydantic_issue(error)
        seen.setdefault(item["field"], item)
    return list(seen.values())


def body(items: list[dict[str, Any]]) -> dict[str, Any]:
    detail = "; ".join(f"{i['field']}: {i['message']}" if i["field"] else i["message"] for i in items)
    return {"detail": safe_text(detail, 4000), "errors": items}


def validation_detail(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    items = validation_items(errors)
    return body(items)["detail"], items


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(body(validation_items(list(exc.errors()))), status_code=422)

    @app.exception_handler(ValidationError)
    async def on_inner_validation(_: Request, exc: ValidationError) -> JSONResponse:
        # A model built from the request inside a route (query values made into a DatasetRef, say).
        errors: list[dict[str, Any]] = [dict(e) for e in exc.errors()]
        return JSONResponse(body(validation_items(errors)), status_code=422)

    @app.exception_handler(HTTPException)
    async def on_http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 404:
            item = issue("", "no_such_path", {"path": request.url.path})
        elif exc.status_code == 405:
            item = issue("", "method_not_allowed", {"method": request.method})
        else:
            item = issue("", "invalid", {"reason": str(exc.detail)})
        return JSONResponse(body([item]), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(SpecError)
    async def on_spec(_: Request, exc: SpecError) -> JSONResponse:
        return JSONResponse(body([exc.item()]), status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "the server hit an unexpected problem; it has been logged"}, status_code=500)


# Every operation's error answers, in the OpenAPI schema: the body each one really has.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "The request could not be read (a broken multipart form)",
        403: "Only the teacher may do this, or the teacher key is wrong",
        404: "No such run, class, challenge, preset or data set (or not yours)",
        409: "The run's state does not allow it (ended, no test split, a schedule)",
        413: "The file is larger than the limit",
        422: "A field is not valid: each error names it, with a code from GET /api/errors",
        429: "Too many runs at once, a full queue, or too many wrong keys or join codes",
    }.items()
}
