"""A graph run trains on the per-run engine exactly as `model.fit` trains the functional model."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import load_data
from app.engine.program import Program, RunState
from app.engine.tf_setup import keras
from app.schemas.runs import RunCreate
from tests.engine.test_graph import residual, two_inputs
from tests.helpers import circle_spec


def _program(spec: dict[str, Any]) -> tuple[Program, RunCreate, Any]:
    run = RunCreate.model_validate(spec)
    data = load_data(run.dataset, run.seed)
    return Program(run, data, Settings()), run, data


def _numpy(x: Any) -> Any:
    return [t.numpy() for t in x] if isinstance(x, list) else x.numpy()


def _fit_twin(program: Program, state: RunState, inputs: Any, epochs: int) -> dict[str, list[float]]:
    """The same functional model, weights, loss and optimizer state, trained by plain model.fit."""
    twin = program.to_keras(state)
    assert not isinstance(twin, keras.Sequential)
    x, y, xt, yt = (_numpy(t) for t in inputs)
    keras.utils.set_random_seed(0)
    validation = (xt, yt) if program.batching.has_test else None
    history = twin.fit(
        x,
        y,
        batch_size=program.spec.fit.batch_size,
        epochs=epochs,
        shuffle=False,
        validation_data=validation,
        verbose=0,
    )
    return history.history


RESIDUAL = {
    **circle_spec(),
    "model": residual(),
    "compile": {
        "loss": "binary_crossentropy",
        "optimizer": {"type": "Adam", "learning_rate": 0.01},
        "metrics": ["accuracy"],
    },
    "fit": {"batch_size": 16, "shuffle": False},
}
TWO_INPUTS = {
    "dataset": {"name": "hours_attendance"},
    "model": {
        "graph": {
            **two_inputs()["graph"],
            "nodes": [
                *two_inputs()["graph"]["nodes"][:3],
                {"name": "out", "layer": {"type": "Dense", "units": 1}, "inputs": ["joined"]},
            ],
        }
    },
    "compile": {"loss": "mean_squared_error", "optimizer": {"type": "SGD", "learning_rate": 0.001}},
    "fit": {"batch_size": 2, "shuffle": False},
}


@pytest.mark.parametrize("path", ["graph", "xla"])
@pytest.mark.parametrize("name", ["residual", "two-inputs"])
def test_same_curve_as_model_fit(name: str, path: str) -> None:
    program, run, data = _program(RESIDUAL if name == "residual" else TWO_INPUTS)
    inputs = program.inputs_for(data)
    if name == "two-inputs":
        assert isinstance(inputs[0], list) and [t.shape[1] for t in inputs[0]] == [1, 1]
        np.testing.assert_array_equal(inputs[0][1].numpy()[:, 0], data.x_train[:, 1])  # attendance
    (program.compile_graph if path == "graph" else program.compile_xla)(inputs)
    state = program.initial_state(run.seed)
    twin = _fit_twin(program, state, inputs, 5)
    ours = program.train(state, inputs, run.seed, 0, 5)
    for key, values in twin.items():
        assert np.allclose([o[key] for o in ours], values, rtol=1e-4, atol=1e-6), key


def test_a_shuffled_graph_run_learns_the_circle() -> None:
    spec = {**RESIDUAL, "fit": {"batch_size": 16, "shuffle": True}}
    program, run, data = _program(spec)
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    logs = program.train(state, inputs, run.seed, 0, 60)
    assert logs[-1]["loss"] < logs[0]["loss"] * 0.6
    assert logs[-1]["accuracy"] > 0.9


def test_frames_show_every_hidden_dense_node() -> None:
    program, run, data = _program(RESIDUAL)
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    program.train(state, inputs, run.seed, 0, 2)
    view = program.frame_view(state)
    assert [m.layer for m in view.neurons] == ["h1", "h2"]
    assert view.neurons[0].shape == (8, 20, 20)
    assert view.grid is not None and view.grid.shape == (1, 100, 100)
    assert [w.layer for w in view.weights] == ["h1", "h2", "out"]
    # The maps are the Dense nodes' outputs over the plane, as Keras computes them.
    program.load(state)
    grid = program.frames.neuron_inputs.numpy()
    h1 = keras.Model(program.model.input, program.model.get_layer("h1").output)(grid).numpy()
    lo, hi = view.neurons[0].lo, view.neurons[0].hi
    np.testing.assert_allclose(lo, h1.min(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(hi, h1.max(), rtol=1e-5, atol=1e-6)


def test_two_input_frames_and_predictions_split_the_columns() -> None:
    spec = {**RESIDUAL, "model": two_inputs(), "dataset": {**RESIDUAL["dataset"], "features": ["x1", "x2"]}}
    for entry, feature in zip(spec["model"]["graph"]["inputs"], ("x1", "x2"), strict=True):
        entry["features"] = [feature]
    program, run, data = _program(spec)
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    program.train(state, inputs, run.seed, 0, 1)
    view = program.frame_view(state)
    assert [m.layer for m in view.neurons] == ["h", "a"]
    program.load(state)
    x = data.x_test[:4]
    expected = program.model([x[:, :1], x[:, 1:]]).numpy()
    np.testing.assert_allclose(program.predict(state, x), expected, rtol=1e-6)


def test_the_saved_functional_model_predicts_what_the_engine_trained(tmp_path: Path) -> None:
    program, run, data = _program(RESIDUAL)
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    program.train(state, inputs, run.seed, 0, 3)
    path = tmp_path / "model.keras"
    program.to_keras(state).save(path)
    loaded = keras.models.load_model(path)
    assert [layer.name for layer in loaded.layers] == ["x", "h1", "h2", "skip", "out"]
    assert np.allclose(loaded.predict(data.x_test, verbose=0), program.predict(state, data.x_test), atol=1e-6)
