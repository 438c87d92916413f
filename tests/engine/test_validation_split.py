"""`fit.validation_split` is Keras's: the last rows of the training data, cut before shuffling,
validate (the history's val_*), on both engines; the test split stays for evaluate and reports.
Plain `model.fit(validation_split=…)` from the same weights is the oracle."""

from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import Experiment, evaluate, fit_split, load_data
from app.engine.program import Program
from app.engine.programs import Programs
from app.engine.stack_program import StackProgram
from app.engine.stacks import Entry, make_batch, member_arrays
from app.errors import SpecError
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec

SETTINGS = Settings(probe_processes=0)
SPLIT = 0.25
EPOCHS = 4


def _spec(**fit: Any) -> RunCreate:
    spec = circle_spec()
    spec["fit"] = {"epochs": EPOCHS, "batch_size": 10, "shuffle": False, "validation_split": SPLIT, **fit}
    return RunCreate.model_validate(spec)


def _keras(run: RunCreate, program: Program, state: Any) -> dict[str, list[float]]:
    """model.fit on the data set's whole training split, Keras cutting the validation rows."""
    data = load_data(run.dataset, run.seed)
    x, y, _, _ = (t.numpy() for t in program.inputs_for(data))
    twin = program.to_keras(state)
    fitted = twin.fit(
        x, y, batch_size=run.fit.batch_size, epochs=EPOCHS, shuffle=False, validation_split=SPLIT, verbose=0
    )
    return fitted.history


def test_the_cut_is_keras_s() -> None:
    data = load_data(_spec().dataset, 0)
    fit = fit_split(data, SPLIT)
    n = len(data.x_train)
    cut = int(np.floor(n * (1 - SPLIT)))
    assert np.array_equal(fit.x_train, data.x_train[:cut]) and np.array_equal(fit.x_test, data.x_train[cut:])
    assert np.array_equal(fit.y_test, data.y_train[cut:])
    assert fit_split(data, 0.0) is data
    with pytest.raises(SpecError) as empty:
        fit_split(data, 0.999)
    assert (empty.value.field, empty.value.code) == ("fit.validation_split", "validation_split_empty")


def test_the_per_run_engine_validates_on_the_split_and_evaluates_on_the_test_rows() -> None:
    run = _spec()
    programs = Programs(SETTINGS, pool_size=1)
    exp = Experiment.create(run, SETTINGS, programs, stacks=False)
    program = exp.pool.programs[0]
    program.compile_graph(exp.inputs)
    start = program.initial_state(run.seed)
    oracle = _keras(run, program, start)

    state = program.initial_state(run.seed)
    logs = program.train(state, exp.inputs, run.seed, 0, EPOCHS)
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert [row[key] for row in logs] == pytest.approx(oracle[key], rel=1e-4), key

    exp._state = state  # evaluate uses the data set's test split, not the validation rows
    twin = program.to_keras(state)
    data = exp.data
    x_test, y_test = (t.numpy() for t in program.inputs_for(data)[2:])
    expected = twin.evaluate(x_test, y_test, return_dict=True, verbose=0)
    assert evaluate(programs, exp)["loss"] == pytest.approx(expected["loss"], rel=1e-5)
    assert len(exp.test_inputs[0]) == len(data.x_test) != len(exp.inputs[2])


def test_a_stack_group_validates_on_the_split() -> None:
    run = _spec()
    programs = Programs(SETTINGS, pool_size=1)
    exp = Experiment.create(run, SETTINGS, programs)
    stack = exp.stack
    assert stack is not None
    shape = stack.exact
    program = StackProgram(shape, stack.training, 1)
    state = stack.initial_state(run.seed)
    batch = make_batch(shape, 1, [Entry(stack, member_arrays(stack, exp.fit_data, shape), state, run.seed)])
    program.compile(batch)
    logs, _ = program.train(batch, np.zeros(1, np.int32), np.asarray([EPOCHS], np.int32))

    oracle = _keras(run, Program(run, exp.fit_data, SETTINGS), stack.initial_state(run.seed))
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        ours = logs[:, 0, program.log_names.index(key)]
        assert np.allclose(ours, oracle[key], rtol=1e-4, atol=1e-6), (key, ours, oracle[key])
