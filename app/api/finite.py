"""JSON answers that survive a diverged model: NaN and infinities become null, and the answer says why.

JSON has no NaN or Infinity, so a loss, an output or a score that overflowed would otherwise turn a
whole answer into a 500. The API's default response class writes them as `null` and adds a warning
`{"field", "code": "not_a_number_result", "params": {"fields": [...]}, "message"}` naming where.
"""

import json
import math
from typing import Any

from fastapi.responses import JSONResponse

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
