"""Every error and warning carries `{field, code, params, message}` with a code from one closed set."""

import ast
import string
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.errors import CODES, render
from tests.helpers import circle_spec, dense

APP = Path(__file__).resolve().parents[2] / "app"


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _raise_sites() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, param names or None when not a literal) of every `code=` / `issue(...)` in app/."""
    sites = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            code, params = None, None
            for kw in node.keywords:
                if kw.arg == "code" and isinstance(kw.value, ast.Constant):
                    code = kw.value.value
                if kw.arg == "params":
                    params = kw.value
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("issue", "invalid") and len(node.args) >= 2 - (name == "invalid"):
                first = node.args[1] if name == "issue" else node.args[0]
                if isinstance(first, ast.Constant):
                    code = first.value
                    params = node.args[2] if name == "issue" and len(node.args) > 2 else None
            if isinstance(code, str):
                keys = None
                if isinstance(params, ast.Dict):
                    keys = {str(k.value) for k in params.keys if isinstance(k, ast.Constant)}
                elif params is None and name != "invalid":
                    keys = set()
                sites.append((str(path.relative_to(APP.parent)), node.lineno, code, keys))
    return sites


def test_every_code_used_is_listed_and_its_params_fill_the_template() -> None:
    sites = _raise_sites()
    assert len(sites) > 80, "the scan found the raise sites"
    for file, line, code, keys in sites:
        assert code in CODES, f"{file}:{line} uses code {code!r}, which app/errors.py CODES does not list"
        if keys is not None:
            missing = _placeholders(CODES[code]) - keys
            assert not missing, f"{file}:{line}: code {code!r} needs params {missing}"


def test_templates_render_with_their_own_names() -> None:
    for code, template in CODES.items():
        names = _placeholders(template)
        assert render(code, {n: "X" for n in names}).count("{") == 0, code


def test_the_codes_are_served(client: httpx.Client) -> None:
    codes = client.get("/api/errors").json()["codes"]
    assert codes == CODES


def _check_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert isinstance(body["detail"], str) and body["errors"], body
    for item in body["errors"]:
        assert set(item) == {"field", "code", "params", "message"}, item
        assert item["code"] in CODES, item
        assert item["message"] == render(item["code"], item["params"]), item
    return body["errors"]


@pytest.mark.parametrize(
    ("change", "code", "params"),
    [
        ({"model": {"layers": [dense(0)]}}, "greater_than_equal", {"ge": 1, "input": 0}),
        ({"model": {"layers": [{"type": "Dense2"}]}}, "union_tag_invalid", {"tag": "Dense2", "kind": "layer type"}),
        ({"fit": {"epochs": "ten"}}, "int_type", {"input": "ten"}),
        ({"fit": {"epochs": 5, "epochz": 1}}, "extra_forbidden", {}),
        ({"compile": {"loss": "cross_entropy"}}, "literal_error", {"input": "cross_entropy"}),
        ({"dataset": {"name": "mnist9"}}, "unknown_dataset", {"name": "mnist9"}),
        ({"model": {"layers": [dense(3, "softmax")]}}, "output_two_classes", {"units": 3, "dataset": "circle"}),
        ({"fit": {"epochs": 10**9}}, "limit_exceeded", {"value": 10**9}),
    ],
)
def test_errors_carry_code_and_params(client: httpx.Client, change: dict[str, Any], code: str, params: dict) -> None:
    spec = {**circle_spec(epochs=5), **change}
    response = client.post("/api/runs", json=spec)
    assert 400 <= response.status_code < 500, response.text
    item = _check_items(response.json())[0]
    assert item["code"] == code, item
    assert params.items() <= item["params"].items(), item


def test_warnings_have_the_same_shape(client: httpx.Client) -> None:
    spec = circle_spec(epochs=2)
    spec["model"]["layers"][-1] = dense(1, "linear")
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 201, response.text
    [warning] = response.json()["warnings"]
    assert warning["code"] == "warn_probabilities" and warning["params"]["suggested"] == "sigmoid", warning
    assert warning["message"] == render(warning["code"], warning["params"])
    client.post(f"/api/runs/{response.json()['id']}/stop")


def test_unknown_address_and_method(client: httpx.Client) -> None:
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and _check_items(missing.json())[0]["code"] == "no_such_path"
    wrong = client.put("/api/catalog")
    assert wrong.status_code == 405 and _check_items(wrong.json())[0]["code"] == "method_not_allowed"
