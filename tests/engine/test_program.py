"""The engine trains exactly what `model.fit` trains: Keras itself is the oracle."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import load_data
from app.engine.program import Program, RunState
from app.engine.tf_setup import keras
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec, dense


def _program(spec: dict[str, Any]) -> tuple[Program, RunCreate, Any]:
    run = RunCreate.model_validate(spec)
    data = load_data(run.dataset, run.seed)
    return Program(run, data, Settings()), run, data


def _fit_twin(program: Program, state: RunState, inputs: Any, epochs: int, shuffle: bool) -> dict[str, list[float]]:
    """The same model, weights, loss and optimizer state, trained by plain model.fit."""
    twin = program.to_keras(state)
    x, y, xt, yt = (t.numpy() for t in inputs)
    keras.utils.set_random_seed(0)
    history = twin.fit(
        x,
        y,
        batch_size=program.spec.fit.batch_size,
        epochs=epochs,
        shuffle=shuffle,
        validation_data=(xt, yt),
        verbose=0,
    )
    return history.history


SPECS = {
    "playground-default": circle_spec(),
    "regularized-adam-batchnorm": {
        **circle_spec(),
        "model": {
            "layers": [
                dense(8, "relu", kernel_regularizer={"type": "L1L2", "l1": 0.001, "l2": 0.01}),
                {"type": "BatchNormalization"},
                dense(4, "elu"),
                dense(1, "sigmoid"),
            ]
        },
        "compile": {
            "loss": "binary_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.01},
            "metrics": ["accuracy"],
        },
    },
    "softmax-momentum-remainder-batch": {
        "dataset": {"name": "blobs", "n_samples": 300},
        "model": {"layers": [dense(6), dense(3, "softmax")]},
        "compile": {
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "SGD", "learning_rate": 0.05, "momentum": 0.9},
            "metrics": ["accuracy"],
        },
        "fit": {"batch_size": 16},  # 150 / 16: nine full batches and one of six
    },
}


@pytest.mark.parametrize("path", ["graph", "xla"])
@pytest.mark.parametrize("name", list(SPECS))
def test_same_curve_as_model_fit_without_shuffling(name: str, path: str) -> None:
    spec = {**SPECS[name], "fit": {**SPECS[name].get("fit", {}), "shuffle": False}}
    program, run, data = _program(spec)
    inputs = program.inputs_for(data)
    (program.compile_graph if path == "graph" else program.compile_xla)(inputs)
    state = program.initial_state(run.seed)
    twin = _fit_twin(program, state, inputs, 5, shuffle=False)
    ours = program.train(state, inputs, run.seed, 0, 5)
    for key, values in twin.items():
        assert np.allclose([o[key] for o in ours], values, rtol=1e-4, atol=1e-6), key


def test_close_to_model_fit_with_shuffling() -> None:
    """Shuffled orders differ from Keras's, so curves are close, not equal: final loss within 15 %."""
    program, run, data = _program(circle_spec())
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    twin = _fit_twin(program, state, inputs, 40, shuffle=True)["loss"]
    ours = [o["loss"] for o in program.train(state, inputs, run.seed, 0, 40)]
    assert ours[0] == pytest.approx(twin[0], rel=0.05)
    assert ours[-1] == pytest.approx(twin[-1], rel=0.15)


def test_graph_and_xla_paths_agree() -> None:
    program, run, data = _program(circle_spec())
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    a = program.train(program.initial_state(run.seed), inputs, run.seed, 0, 30)
    program.compile_xla(inputs)
    b = program.train(program.initial_state(run.seed), inputs, run.seed, 0, 30)
    assert np.allclose([e["loss"] for e in a], [e["loss"] for e in b], rtol=1e-5)


def test_initial_weights_follow_the_seed() -> None:
    spec = {**circle_spec(), "model": {"layers": [dense(8), {"type": "Dropout", "rate": 0.3}, dense(1, "sigmoid")]}}
    program, _, _ = _program(spec)
    a, b, c = program.initial_state(1), program.initial_state(1), program.initial_state(2)
    assert all(np.array_equal(x, y) for x, y in zip(a.variables, b.variables, strict=True))
    assert not np.array_equal(a.variables[0], c.variables[0])
    # Keras's own initializers: glorot_uniform kernels stay within sqrt(6 / (fan_in + fan_out)).
    assert np.abs(a.variables[0]).max() <= np.sqrt(6 / (2 + 8))
    assert not a.variables[1].any()  # zero biases


def test_dropout_is_active_while_training_only() -> None:
    spec = {**circle_spec(), "model": {"layers": [dense(16), {"type": "Dropout", "rate": 0.5}, dense(1, "sigmoid")]}}
    program, run, data = _program(spec)
    state = program.initial_state(run.seed)
    x = data.x_train[:50]
    assert np.array_equal(program.predict(state, x), program.predict(state, x))
    program.load(state)
    assert not np.allclose(program.model(x, training=True), program.model(x, training=True))


def test_saved_model_predicts_what_the_engine_trained(tmp_path: Path) -> None:
    program, run, data = _program(circle_spec())
    inputs = program.inputs_for(data)
    program.compile_xla(inputs)
    state = program.initial_state(run.seed)
    program.train(state, inputs, run.seed, 0, 20)
    path = tmp_path / "model.keras"
    program.to_keras(state).save(path)
    loaded = keras.models.load_model(path)
    assert np.allclose(loaded.predict(data.x_test, verbose=0), program.predict(state, data.x_test), atol=1e-6)


def test_batch_larger_than_data_is_one_step() -> None:
    program, run, data = _program({**circle_spec(), "fit": {"batch_size": 10_000}})
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(run.seed)
    program.train(state, inputs, run.seed, 0, 3)
    iterations = state.optimizer[[v.name for v in program.model.optimizer.variables].index("iteration")]
    assert int(iterations) == 3
