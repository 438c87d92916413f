"""A graph's downloads and imports: the functional-style code builds the same model (Keras runs it),
a `.keras` functional model with branches comes back as a graph, a Sequential one as a stack."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.builder import build_model
from app.engine.experiment import load_data
from app.engine.program import Program
from app.engine.tf_setup import keras
from app.exports import code, diagram, imports
from app.schemas.runs import RunCreate
from tests.engine.test_graph import residual, two_inputs
from tests.engine.test_graph_training import RESIDUAL, TWO_INPUTS


def _building(spec: dict[str, Any]) -> tuple[RunCreate, dict[str, Any]]:
    run = RunCreate.model_validate(spec)
    source = code.script(run, "binary", 2)
    building, _ = source.split("model.summary()", 1)  # everything up to the model, nothing trained
    namespace: dict[str, Any] = {}
    exec(compile(building, "playground_run.py", "exec"), namespace)  # noqa: S102
    return run, namespace


@pytest.mark.parametrize("spec", [RESIDUAL, TWO_INPUTS], ids=["residual", "two-inputs"])
def test_the_code_is_functional_and_builds_the_same_model(spec: dict[str, Any]) -> None:
    run, namespace = _building(spec)
    source = code.script(run, "binary", 2)
    assert "keras.Model(" in source and "keras.Sequential" not in source
    model = namespace["model"]
    data = load_data(run.dataset, run.seed)
    program = Program(run, data, Settings())
    assert model.count_params() == program.model.count_params()
    assert [layer.name for layer in model.layers] == [layer.name for layer in program.model.layers]
    # The script's initial weights are the engine's for the run's seed.
    state = program.initial_state(run.seed)
    for ours, theirs in zip(state.variables, model.variables, strict=True):
        np.testing.assert_allclose(np.asarray(ours), theirs.numpy(), rtol=1e-6)


def test_the_residual_code_has_the_add_of_a_list() -> None:
    source = code.script(RunCreate.model_validate(RESIDUAL), "binary", 2)
    assert "skip = keras.layers.Add(name='skip')([h1, h2])" in source
    assert "x = keras.Input(shape=x_train.shape[1:], name='x')" in source


def test_two_input_code_splits_the_columns() -> None:
    run, namespace = _building(TWO_INPUTS)
    parts = namespace["model_inputs"](namespace["x_train"])
    assert [p.shape[1] for p in parts] == [1, 1]
    np.testing.assert_array_equal(parts[1][:, 0], namespace["x_train"][:, 1])


def test_the_whole_script_runs(tmp_path: Path) -> None:
    run = RunCreate.model_validate(TWO_INPUTS)
    (tmp_path / "playground_run.py").write_text(code.script(run, "value", 3))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "playground_run.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    params = build_model(run.model, (2,), 0, Settings(), ["hours", "attendance"]).count_params()
    assert f"Total params: {params}" in done.stdout
    assert "final training loss" in done.stdout


def _saved(model: keras.Model, tmp_path: Path) -> bytes:
    path = tmp_path / "m.keras"
    model.save(path)
    return path.read_bytes()


def test_a_functional_model_with_branches_imports_as_a_graph(tmp_path: Path) -> None:
    inputs = keras.Input(shape=(2,), name="x")
    h1 = keras.layers.Dense(8, activation="relu", name="h1")(inputs)
    h2 = keras.layers.Dense(8, activation="relu", name="h2")(h1)
    out = keras.layers.Dense(1, activation="sigmoid", name="out")(keras.layers.Add(name="skip")([h1, h2]))
    original = keras.Model(inputs, out)
    data = _saved(original, tmp_path)
    spec, shape = imports.model_spec(imports.read_config(data, Settings()), Settings())
    assert shape == (2,)
    assert spec.graph is not None
    assert spec.model_dump(mode="json", exclude_defaults=True)["graph"]["nodes"][2] == {
        "name": "skip",
        "layer": {"type": "Add"},
        "inputs": ["h1", "h2"],
    }
    assert (
        spec.model_dump(mode="json")["graph"]
        == RunCreate.model_validate(RESIDUAL).model.model_dump(mode="json")["graph"]
    )
    # Its weights go where they came from: the engine predicts what the file's model predicts.
    run = RunCreate.model_validate({**RESIDUAL, "model": spec.model_dump(mode="json")})
    circle = load_data(run.dataset, run.seed)
    program = Program(run, circle, Settings())
    weights = imports.load_weights(data, [node.name for node in spec.graph.nodes])
    state = program.state_from_weights(run.seed, weights)
    x = circle.x_test[:10]
    np.testing.assert_allclose(program.predict(state, x), original(x).numpy(), rtol=1e-5, atol=1e-6)


def test_a_sequential_model_and_a_functional_chain_import_as_stacks(tmp_path: Path) -> None:
    sequential = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    inputs = keras.Input(shape=(2,))
    chain = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dense(4)(inputs)))
    for model in (sequential, chain):
        spec, _ = imports.model_spec(imports.read_config(_saved(model, tmp_path), Settings()), Settings())
        assert spec.layers is not None and len(spec.layers) == 2 and spec.graph is None


def test_the_diagram_draws_the_graph_edges() -> None:
    model = build_model(RunCreate.model_validate(RESIDUAL).model, (2,), 0, Settings())
    svg = diagram.svg(model)
    for name in ("x", "h1", "h2", "skip", "out"):
        assert f">{name}<" in svg
    assert svg.count("<line") == 5  # x→h1, h1→h2, h1→skip, h2→skip, skip→out
    assert "h2 → skip" in svg


def test_the_diagram_of_two_inputs() -> None:
    model = build_model(RunCreate.model_validate({**TWO_INPUTS}).model, (2,), 0, Settings(), ["hours", "attendance"])
    svg = diagram.svg(model)
    assert ">hours<" in svg and ">attendance<" in svg and ">joined<" in svg
    assert two_inputs() and residual()


def test_the_notebook_holds_the_functional_code() -> None:
    import json

    from app.exports import notebook

    run = RunCreate.model_validate(RESIDUAL)
    book = json.loads(notebook.notebook(run, "binary", 2, {"loss": [0.7, 0.6]}, "done", "Residual"))
    source = "\n".join("".join(cell["source"]) for cell in book["cells"])
    assert "keras.layers.Add(name='skip')([h1, h2])" in source and "keras.Model(x, out)" in source


def test_a_two_input_model_imports_with_the_features_in_its_input_order(tmp_path: Path) -> None:
    run = RunCreate.model_validate(TWO_INPUTS)
    table = load_data(run.dataset, run.seed)
    program = Program(run, table, Settings())
    original = program.to_keras(program.initial_state(5))
    data = _saved(original, tmp_path)
    spec, shape = imports.model_spec(imports.read_config(data, Settings()), Settings())
    assert shape == (2,) and spec.graph is not None
    spec = imports.assign_features(spec, ["hours", "attendance"])
    assert spec.graph is not None
    assert [(e.name, e.features) for e in spec.graph.inputs] == [("hours", ["hours"]), ("attendance", ["attendance"])]
    imported = RunCreate.model_validate({**TWO_INPUTS, "model": spec.model_dump(mode="json")})
    again = Program(imported, table, Settings())
    state = again.state_from_weights(0, imports.load_weights(data, [node.name for node in spec.graph.nodes]))
    x = table.x_train
    np.testing.assert_allclose(again.predict(state, x), original([x[:, :1], x[:, 1:]]).numpy(), rtol=1e-5)
