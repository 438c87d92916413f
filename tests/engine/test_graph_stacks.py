"""Graph models in stack groups: runs that share a functional model (branches, skips, merges,
several inputs) train together in one compiled call, each exactly as `model.fit` trains the
functional model alone. Keras is the oracle."""

import random
import re
from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.builder import build_model
from app.engine.experiment import load_data
from app.engine.program import Program
from app.engine.stack_program import FAMILY_ACTIVATIONS, FAMILY_DEPTH, StackProgram
from app.engine.stacks import Entry, StackRun, keras_order, make_batch, member_arrays, read_state, stack_run
from app.engine.tf_setup import keras, tf
from app.schemas.runs import ModelSpec, RunCreate
from tests.engine.test_graph import dense, node, residual
from tests.engine.test_graph_training import RESIDUAL, TWO_INPUTS, _fit_twin

SETTINGS = Settings()

# Every merge, a branch Keras orders differently from the spec (`wide` is listed first but is
# nearer the output than `deep1` and `deep2`), an input used twice.
EVERY_MERGE = {
    "dataset": {"name": "circle", "n_samples": 200},
    "model": {
        "graph": {
            "inputs": [{"name": "x"}],
            "nodes": [
                node("wide", dense(4, "tanh"), "x"),
                node("deep1", dense(4, "relu"), "x"),
                node("deep2", dense(4, "sigmoid"), "deep1"),
                node("diff", {"type": "Subtract"}, "deep2", "wide"),
                node("prod", {"type": "Multiply"}, "diff", "deep1"),
                node("mean", {"type": "Average"}, "prod", "wide", "deep2"),
                node("both", {"type": "Concatenate"}, "mean", "deep1"),
                node("out", dense(1, "sigmoid"), "both"),
            ],
            "outputs": ["out"],
        }
    },
    "compile": {
        "loss": "binary_crossentropy",
        "optimizer": {"type": "RMSprop", "learning_rate": 0.01, "momentum": 0.5},
        "metrics": ["accuracy"],
    },
    "fit": {"batch_size": 24, "shuffle": False},
}
# The merges the graph family takes, nested, and a skip straight from the input.
LINEAR = {
    **EVERY_MERGE,
    "model": {
        "graph": {
            "inputs": [{"name": "x"}],
            "nodes": [
                node("a", dense(2, "tanh"), "x"),
                node("skip", {"type": "Add"}, "x", "a"),
                node("b", dense(5, "relu"), "skip"),
                node("c", dense(5, "sigmoid"), "skip"),
                node("d", dense(5, "linear"), "b"),
                node("diff", {"type": "Subtract"}, "b", "c"),
                node("mean", {"type": "Average"}, "diff", "d", "c"),
                node("out", dense(1, "sigmoid"), "mean"),
            ],
            "outputs": ["out"],
        }
    },
    "compile": {
        "loss": "binary_crossentropy",
        "optimizer": {"type": "Adam", "learning_rate": 0.02},
        "metrics": ["accuracy"],
    },
}
SPECS: dict[str, dict[str, Any]] = {
    "residual": RESIDUAL,
    "two-inputs": TWO_INPUTS,
    "every-merge": EVERY_MERGE,
    "linear-merges": LINEAR,
}
IN_FAMILY = ("residual", "linear-merges")
CASES = [(name, "exact") for name in SPECS] + [(name, "family") for name in IN_FAMILY]


def _stack(spec: dict[str, Any]) -> tuple[RunCreate, Any, StackRun, Program]:
    run = RunCreate.model_validate(spec)
    data = load_data(run.dataset, run.seed)
    stack = stack_run(run, data, SETTINGS)
    assert stack is not None and stack.exact.graph is not None
    return run, data, stack, Program(run, data, SETTINGS)


def test_the_parameters_follow_keras_order_not_the_specs() -> None:
    _, _, stack, program = _stack(EVERY_MERGE)
    assert stack.names == ("deep1", "deep2", "wide", "out")  # the spec lists wide first
    assert [v.path for v in program.model.variables][::2] == [f"{n}/kernel" for n in stack.names]
    assert stack.exact.shapes() == [(2, 4), (4,), (4, 4), (4,), (2, 4), (4,), (8, 1), (1,)]


@pytest.mark.parametrize("name", list(SPECS))
def test_graphs_whose_merges_add_fit_the_graph_family(name: str) -> None:
    _, _, stack, _ = _stack(SPECS[name])
    assert (stack.family is not None) == (name in IN_FAMILY)  # not several inputs, Multiply, Concatenate


@pytest.mark.parametrize("name", list(SPECS))
def test_initial_state_is_the_per_run_engines(name: str) -> None:
    run, _, stack, program = _stack(SPECS[name])
    ours, theirs = stack.initial_state(5), program.initial_state(5)
    for a, b in zip([*ours.variables, *ours.optimizer], [*theirs.variables, *theirs.optimizer], strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.parametrize(("name", "which"), CASES)
def test_each_run_of_a_graph_group_trains_as_model_fit(name: str, which: str) -> None:
    run, data, stack, program = _stack(SPECS[name])
    layout = stack.exact if which == "exact" else stack.family
    assert layout is not None
    group = StackProgram(layout, stack.training, 4)
    member = member_arrays(stack, data, layout)
    states = [stack.initial_state(seed) for seed in (0, 7)]
    batch = make_batch(layout, 4, [Entry(stack, member, s, seed) for s, seed in zip(states, (0, 7), strict=True)])
    group.compile(batch)
    logs, _ = group.train(batch, np.zeros(4, np.int32), np.asarray([4, 4, 0, 0], np.int32))
    inputs = program.inputs_for(data)
    for slot, state in enumerate(states):
        twin = _fit_twin(program, state, inputs, 4)
        for key, values in twin.items():
            ours = logs[:, slot, group.log_names.index(key)]
            assert np.allclose(ours, values, rtol=1e-4, atol=1e-6), (name, key, ours, values)
        # The trained state reads back as Keras's, and predicts what the functional model predicts.
        trained = read_state(batch, layout, slot, stack)
        assert int(trained.optimizer[0]) == 4 * -(-len(data.x_train) // run.fit.batch_size)
        x = data.x_test[:5]
        model = program.to_keras(trained)
        expected = model(program.split(x)).numpy()
        np.testing.assert_allclose(program.predict(trained, x), expected, rtol=1e-6)


@pytest.mark.parametrize(("name", "which"), [("every-merge", "exact"), ("linear-merges", "family")])
def test_frames_of_a_graph_group_are_the_per_run_engines(name: str, which: str) -> None:
    """The output over the plane and every hidden Dense node's units, in Keras's order, as the
    functional model computes them."""
    spec = {**SPECS[name], "stream": {"grid_size": 20, "neuron_grid_size": 10}}
    run, data, stack, program = _stack(spec)
    layout = stack.exact if which == "exact" else stack.family
    assert layout is not None
    group = StackProgram(layout, stack.training, 1)
    state = stack.initial_state(3)
    batch = make_batch(layout, 1, [Entry(stack, member_arrays(stack, data, layout), state, 3)])
    group.compile(batch)
    _, maps = group.train(batch, np.zeros(1, np.int32), np.ones(1, np.int32))
    out, hidden = np.asarray(maps[0])[0], [np.asarray(h)[0] for h in maps[1]]
    trained = read_state(batch, layout, 0, stack)
    program.load(trained)
    model, frames = program.model, program.frames
    np.testing.assert_allclose(out[:, :1], model(frames.grid_inputs).numpy(), rtol=1e-5, atol=1e-6)
    for index, name in enumerate(stack.names[:-1]):
        units = keras.Model(model.input, model.get_layer(name).output)(frames.neuron_inputs).numpy()
        np.testing.assert_allclose(hidden[index][:, : units.shape[1]], units, rtol=1e-5, atol=1e-6)


def test_the_graph_familys_maps_select_each_slots_activation_once() -> None:
    """On the frames' grid each slot's output is one stored array that the later slots' mixes read:
    XLA fused the activation select (cheap, so duplicated) into every later mix, so each mix redid
    the selects of every slot before it, and the maps cost several times the stack family's."""
    spec = {**SPECS["linear-merges"], "stream": {"grid_size": 20, "neuron_grid_size": 10}}
    _, data, stack, _ = _stack(spec)
    layout = stack.family
    assert layout is not None and layout.mixes
    group = StackProgram(layout, stack.training, 2)
    member = member_arrays(stack, data, layout)
    batch = make_batch(layout, 2, [Entry(stack, member, stack.initial_state(seed), seed) for seed in (0, 1)])
    maps = tf.function(group._evaluate_maps, jit_compile=True)
    args = (batch.state.params, batch.state.aux, batch.grid, batch.neuron_grid)
    hlo = maps.experimental_get_compiler_ir(*args)(stage="optimized_hlo")
    # Selects over the 20 × 20 grid's units: each slot's activation choice and its units' mask (24 here;
    # 84 when each later mix redid them).
    selects = len(re.findall(r"= f32\[2,400,8\]\S* select\(", hlo))
    assert 0 < selects <= FAMILY_DEPTH * len(FAMILY_ACTIVATIONS)


def test_what_a_graph_group_cannot_train_goes_to_the_per_run_engine() -> None:
    spec = residual()
    spec["graph"]["nodes"][2] = node("skip", {"type": "Dropout", "rate": 0.1}, "h2")
    run = RunCreate.model_validate({**RESIDUAL, "model": spec})
    assert stack_run(run, load_data(run.dataset, run.seed), SETTINGS) is None


def _random_graph(seed: int) -> dict[str, Any]:
    """A random DAG of Dense layers and merges; whatever no node takes is concatenated for the output."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    dense_names: list[str] = []
    for i in range(rng.randint(2, 9)):
        name = f"n{i}"
        if len(dense_names) >= 2 and rng.random() < 0.4:
            inputs = rng.sample(dense_names, rng.randint(2, min(3, len(dense_names))))
            nodes.append(node(name, {"type": rng.choice(["Add", "Average", "Multiply"])}, *inputs))
        else:
            nodes.append(node(name, dense(4), rng.choice(["x", *dense_names])))
        dense_names.append(name)
    taken = {i for n in nodes for i in n["inputs"]}
    loose = [n["name"] for n in nodes if n["name"] not in taken]
    if len(loose) > 1:
        nodes.append(node("joined", {"type": "Concatenate"}, *loose))
        loose = ["joined"]
    nodes.append(node("out", dense(1, "sigmoid"), loose[0]))
    return {"graph": {"inputs": [{"name": "x"}], "nodes": nodes, "outputs": ["out"]}}


def test_keras_order_is_the_built_models_for_random_graphs() -> None:
    """The order worked out without building is the one Keras gives the functional model."""
    for seed in range(40):
        spec = ModelSpec.model_validate(_random_graph(seed))
        built = build_model(spec, (2,), 0, SETTINGS)
        assert keras_order(spec) == [layer.name for layer in built.layers[1:]], seed
