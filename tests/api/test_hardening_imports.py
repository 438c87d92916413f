"""Issue 14: a crafted .keras file is refused from its zip directory and config.json, before anything is
unpacked or allocated, with a 422 (or 413) naming the file; the server stays up."""

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.engine.tf_setup import keras


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The entries of a real .keras file (2 → 3 → 1, compiled with SGD)."""
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    path = tmp_path_factory.mktemp("keras") / "model.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_config(saved: dict[str, bytes], change: Callable[[dict[str, Any]], Any]) -> bytes:
    config = json.loads(saved["config.json"])
    changed = change(config)
    return _zip({**saved, "config.json": json.dumps(config if changed is None else changed).encode()})


def _upload(client: httpx.Client, content: bytes) -> httpx.Response:
    return client.post("/api/models/import", files={"file": ("model.keras", content)})


def _refused(client: httpx.Client, content: bytes, status: int = 422) -> dict[str, Any]:
    response = _upload(client, content)
    assert response.status_code == status, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "file", error
    assert client.get("/api/health").status_code == 200
    return error


def test_the_untouched_file_imports(client: httpx.Client, saved: dict[str, bytes]) -> None:
    response = _upload(client, _zip(saved))
    assert response.status_code == 201, response.text
    client.delete(f"/api/runs/{response.json()['id']}")


def _set_layers_null(c: dict[str, Any]) -> None:
    c["config"]["layers"] = None


def _drop_batch_shape(c: dict[str, Any]) -> None:
    for layer in c["config"]["layers"]:
        layer["config"].pop("batch_shape", None)
        layer["config"].pop("batch_input_shape", None)


def _optimizer(name: str, rate: float) -> Callable[[dict[str, Any]], None]:
    def change(c: dict[str, Any]) -> None:
        c["compile_config"]["optimizer"] = {"class_name": name, "config": {"learning_rate": rate}}

    return change


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda c: [c], "import_config"),
        (lambda c: {"class_name": "Sequential"}, "import_config"),
        (_set_layers_null, "import_config"),
        (_drop_batch_shape, "import_config"),
        (lambda c: c["config"]["layers"].__setitem__(1, "Dense"), "import_config"),
        (_optimizer("Frobnicate", 0.1), "import_config"),
        (_optimizer("SGD", 1e9), "import_config"),
        (_optimizer("SGD", -1), "import_config"),
        (lambda c: c.__setitem__("compile_config", [1]), "import_config"),
    ],
    ids=["a-list", "no-config", "layers-null", "no-batch-shape", "layer-a-string", "unknown-optimizer", "lr-1e9",
         "lr-negative", "compile-a-list"],
)  # fmt: skip
def test_malformed_configs(
    client: httpx.Client, saved: dict[str, bytes], change: Callable[[dict[str, Any]], Any], code: str
) -> None:
    assert _refused(client, _with_config(saved, change))["code"] == code


def test_deep_nesting(client: httpx.Client, saved: dict[str, bytes]) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert _refused(client, _zip({**saved, "config.json": deep}))["code"] == "import_config"
    nested: dict[str, Any] = {"class_name": "Sequential", "config": {"layers": []}}
    node = nested
    for _ in range(200):
        node["x"] = {}
        node = node["x"]
    assert _refused(client, _zip({**saved, "config.json": json.dumps(nested).encode()}))["code"] == "import_config"


def test_a_config_that_unpacks_huge_is_refused_from_the_directory(
    client: httpx.Client, saved: dict[str, bytes]
) -> None:
    config = saved["config.json"][:-1] + b" " * (64 * 1024 * 1024) + b"}"  # 64 MB of spaces, 64 KB zipped
    content = _zip({**saved, "config.json": config})
    assert len(content) < 1024 * 1024
    assert _refused(client, content, 413)["code"] == "file_too_large"


def test_weights_that_unpack_huge_are_refused_from_the_directory(
    client: httpx.Client, saved: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "bomb.keras"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", saved["config.json"])
        archive.writestr("metadata.json", saved["metadata.json"])
        with archive.open("model.weights.h5", "w", force_zip64=True) as weights:
            block = b"\0" * (1024 * 1024)
            for _ in range(100):  # 100 MB of zeros: 25 M float32 weights
                weights.write(block)
    assert out.stat().st_size < 1024 * 1024
    assert _refused(client, out.read_bytes(), 413)["code"] == "file_too_large"


def test_a_model_over_the_limits_is_refused_from_its_config(client: httpx.Client, saved: dict[str, bytes]) -> None:
    def wide(c: dict[str, Any]) -> None:
        c["config"]["layers"][0]["config"]["batch_shape"] = [None, 10_000]
        c["config"]["layers"][1]["config"]["units"] = 1000

    assert _refused(client, _with_config(saved, wide))["code"] == "too_many_params"

    def many(c: dict[str, Any]) -> None:
        dense = c["config"]["layers"][1]
        c["config"]["layers"][1:2] = [json.loads(json.dumps(dense)) for _ in range(100)]

    assert _refused(client, _with_config(saved, many))["code"] == "too_many_layers"
