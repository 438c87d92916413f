"""Stack groups train exactly what `model.fit` trains, each run as if alone: Keras is the oracle."""

from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import load_data
from app.engine.program import Program, RunState
from app.engine.stack_program import StackProgram
from app.engine.stacks import Entry, StackRun, make_batch, member_arrays, read_state, stack_run
from app.engine.tf_setup import keras
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec, dense

SETTINGS = Settings()


def _run(spec: dict[str, Any]) -> tuple[RunCreate, Any, StackRun]:
    run = RunCreate.model_validate(spec)
    data = load_data(run.dataset, run.seed)
    stack = stack_run(run, data, SETTINGS)
    assert stack is not None
    return run, data, stack


def _fit(run: RunCreate, data: Any, state: RunState, epochs: int) -> dict[str, list[float]]:
    """Plain model.fit from the same weights and optimizer state, without shuffling."""
    program = Program(run, data, SETTINGS)
    twin = program.to_keras(state)
    x, y, xt, yt = (t.numpy() for t in program.inputs_for(data))
    history = twin.fit(
        x, y, batch_size=run.fit.batch_size, epochs=epochs, shuffle=False, validation_data=(xt, yt), verbose=0
    )
    return history.history


SPECS = {
    "playground-default": circle_spec(),
    "relu-adam-l2": {
        **circle_spec(),
        "model": {"layers": [dense(6, "relu", kernel_regularizer={"type": "L2", "l2": 0.01}), dense(1, "sigmoid")]},
        "compile": {"loss": "binary_crossentropy", "optimizer": {"type": "Adam", "learning_rate": 0.01},
                    "metrics": ["accuracy"]},
    },
    "softmax-momentum-remainder": {
        "dataset": {"name": "blobs", "n_samples": 300},
        "model": {"layers": [dense(6), dense(3, "softmax")]},
        "compile": {"loss": "categorical_crossentropy",
                    "optimizer": {"type": "SGD", "learning_rate": 0.05, "momentum": 0.9}, "metrics": ["accuracy"]},
        "fit": {"batch_size": 16},
    },
    "sparse-rmsprop": {
        "dataset": {"name": "blobs", "n_samples": 200},
        "model": {"layers": [dense(5, "sigmoid"), dense(3, "softmax")]},
        "compile": {"loss": "sparse_categorical_crossentropy",
                    "optimizer": {"type": "RMSprop", "learning_rate": 0.01, "momentum": 0.5, "centered": True},
                    "metrics": ["accuracy"]},
    },
    "regression-adagrad": {
        "dataset": {"name": "plane", "n_samples": 200},
        "model": {"layers": [dense(8, "relu"), dense(3, "tanh"), dense(1, "linear")]},
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "Adagrad", "learning_rate": 0.05}},
    },
}


CASES = [
    pytest.param(name, layout, marks=[] if name == "playground-default" else [pytest.mark.slow])
    for name in SPECS
    for layout in ("exact", "family")
]


@pytest.mark.parametrize(("name", "layout"), CASES)
def test_each_run_of_a_group_trains_as_model_fit(name: str, layout: str) -> None:
    spec = {**SPECS[name], "fit": {**SPECS[name].get("fit", {}), "shuffle": False}}
    run, data, stack = _run(spec)
    shape = stack.exact if layout == "exact" else stack.family
    assert shape is not None
    # Two runs with different seeds in one call of capacity 4: each must train as if alone.
    program = StackProgram(shape, stack.training, 4)
    member = member_arrays(stack, data, shape)
    states = [stack.initial_state(seed) for seed in (0, 7)]
    batch = make_batch(shape, 4, [Entry(stack, member, s, seed) for s, seed in zip(states, (0, 7), strict=True)])
    program.compile(batch)
    logs, _ = program.train(batch, np.zeros(4, np.int32), np.asarray([5, 5, 0, 0], np.int32))
    for slot, state in enumerate(states):
        twin = _fit(run, data, state, 5)
        for key, values in twin.items():
            ours = logs[:, slot, program.log_names.index(key)]
            assert np.allclose(ours, values, rtol=1e-4, atol=1e-6), (key, ours, values)


def test_initial_state_is_the_per_run_engines() -> None:
    run, data, stack = _run(SPECS["relu-adam-l2"])
    ours = stack.initial_state(3)
    theirs = Program(run, data, SETTINGS).initial_state(3)
    for a, b in zip(ours.variables, theirs.variables, strict=True):
        assert np.array_equal(a, np.asarray(b))
    for a, b in zip(ours.optimizer, theirs.optimizer, strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))


def test_state_round_trips_through_the_family_and_pauses_hold() -> None:
    run, data, stack = _run(SPECS["relu-adam-l2"])
    assert stack.family is not None
    program = StackProgram(stack.family, stack.training, 4)
    member = member_arrays(stack, data, stack.family)
    a, b = stack.initial_state(0), stack.initial_state(1)
    batch = make_batch(stack.family, 4, [Entry(stack, member, a, 0), Entry(stack, member, b, 1)])
    again = read_state(batch, stack.family, 0, stack)
    assert all(np.array_equal(x, np.asarray(y)) for x, y in zip(again.variables, a.variables, strict=True))
    program.compile(batch)
    program.train(batch, np.zeros(4, np.int32), np.asarray([3, 0, 0, 0], np.int32))  # run b is paused
    after_b = read_state(batch, stack.family, 1, stack)
    assert all(np.array_equal(x, np.asarray(y)) for x, y in zip(after_b.variables, b.variables, strict=True))
    after_a = read_state(batch, stack.family, 0, stack)
    assert int(after_a.optimizer[0]) == 3 * 25  # iterations: 3 epochs of 25 batches
    assert not np.array_equal(after_a.variables[0], a.variables[0])
    # Padded units stay exactly zero: the family's first kernel beyond the run's 6 units.
    assert not np.asarray(batch.state.params[0])[0, :, 6:].any()


def test_keras_model_from_a_group_state_predicts_the_same() -> None:
    run, data, stack = _run(SPECS["playground-default"])
    state = stack.initial_state(0)
    model = Program(run, data, SETTINGS).to_keras(state)
    assert isinstance(model, keras.Model)
