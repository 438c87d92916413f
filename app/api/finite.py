"""JSON in and out: answers that survive a diverged model, bodies that cannot hold broken text.

JSON has no NaN or Infinity, so a loss, an output or a score that overflowed would otherwise turn a
whole answer into a 500. The API's default response class writes them as `null` and adds a warning
`{"field", "code": "not_a_number_result", "params": {"fields": [...]}, "message"}` naming where.
A body holding half a surrogate pair (`"\\ud800"`, which no database or answer can store) is a 422.
"""

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from app.errors import issue

# Paths named in the warning, at most (a diverged model has NaN everywhere).
NAMED = 5


def _clean(value: Any, path: str, found: list[str]) -> Any:
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        found.append(path)
        return None
    if isinstance(value, dict):
        return {k: _clean(v, f"{path}.{k}" if path else str(k), found) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v, f"{path}[{i}]", found) for i, v in enumerate(value)]
    return value


def finite(content: Any) -> Any:
    """`content` with every non-finite number as None, and (for an object) a warning naming them."""
    found: list[str] = []
    cleaned = _clean(content, "", found)
    if found and isinstance(cleaned, dict):
        params = {"fields": found[:NAMED], "count": len(found)}
        note = issue(found[0].split("[", 1)[0].split(".", 1)[0], "not_a_number_result", params)
        warnings = cleaned.get("warnings")
        cleaned["warnings"] = [*warnings, note] if isinstance(warnings, list) else [note]
    return cleaned


class FiniteJSONResponse(JSONResponse):
    """JSONResponse that writes NaN and infinities as null (with a warning) instead of failing."""

    def render(self, content: Any) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except ValueError:
            text = json.dumps(finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate someone sent, echoed back: escaped, not a 500
            return text.encode("utf-8", "backslashreplace")


# A JSON escape of a UTF-16 surrogate; only bodies holding one are searched for a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89a-fA-F]")


def _lone_surrogate(value: Any, path: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], str] | None:
    """Where a text holds half a surrogate pair (which no UTF-8 text, database or answer can hold)."""
    if isinstance(value, str):
        return (path, value) if any("\ud800" <= c <= "\udfff" for c in value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _lone_surrogate(key, (*path, str(key))) or _lone_surrogate(item, (*path, str(key)))
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _lone_surrogate(item, (*path, i))
            if found:
                return found
    return None


class JSONRoute(APIRoute):
    """A route whose JSON body may not hold a lone surrogate (`"\\ud800"`): a 422 naming the field.

    Its answer is not re-validated against the return annotation (which would turn NaN into null
    without a word): it goes as it is to FiniteJSONResponse, which says where numbers were not finite.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], *, response_model: Any = None, **kwargs: Any) -> None:
        if isinstance(response_model, DefaultPlaceholder):
            response_model = None
        super().__init__(path, endpoint, response_model=response_model, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            raw = await request.body()
            if raw and _SURROGATE_ESCAPE.search(raw):
                try:
                    found = _lone_surrogate(json.loads(raw), ())
                except ValueError:
                    found = None  # not JSON: the handler says so
                if found is not None:
                    where, text = found
                    error = {"type": "string_unicode", "loc": ("body", *where), "msg": "not Unicode", "input": text}
                    raise RequestValidationError([error])
            return await handler(request)

        return route
