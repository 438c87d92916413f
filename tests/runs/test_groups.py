"""Stack groups in-process (no server): a grouped run trains exactly as it would alone, and one
run's pause, step, stop or learning rate leaves the others untouched."""

import heapq
import json
import time
from typing import Any

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import Experiment
from app.engine.programs import Programs
from app.engine.stack_programs import StackPrograms
from app.engine.stacks import Entry, member_arrays
from app.runs import groups as groups_module
from app.runs.callbacks import Callback, Checkpoint, Publish
from app.runs.groups import Groups, Shard
from app.runs.run import Run
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec

SETTINGS = Settings()


def _compiled(family: bool, capacities: tuple[int, ...]) -> Any:
    """Programs with the circle default's exact network (or the family) compiled at `capacities`."""
    programs = Programs(SETTINGS, 1)
    stacks = StackPrograms(programs)
    spec = RunCreate.model_validate(circle_spec(epochs=40))
    exp = Experiment.create(spec, SETTINGS, programs)
    stack = exp.stack
    assert stack is not None and stack.family is not None
    layout = stack.family if family else stack.exact
    entry = Entry(stack, member_arrays(stack, exp.data, layout), exp.state, 0)
    for capacity in capacities:
        stacks.compile((layout, stack.training), capacity, entry)
    return programs, stacks


@pytest.fixture(scope="module")
def engine() -> Any:
    programs, stacks = _compiled(family=False, capacities=(1, 16))
    yield programs, stacks
    programs.shutdown()


class Engine:
    def __init__(self, programs: Programs, stacks: StackPrograms, workers: int = 1) -> None:
        self.programs = programs
        self.tasks: list[Any] = []
        self.woken: list[Run] = []
        submit = lambda task, first=False: self.tasks.append(task)  # noqa: E731  (the scheduler's part)
        self.groups = Groups(stacks, workers=workers, submit=submit, wake=self.woken.append)

    def run(self, seed: int = 0, epochs: int = 40, callbacks: list[Callback] | None = None, **spec: Any) -> Run:
        body = circle_spec(epochs=epochs)
        body["seed"] = seed
        body.update(spec)
        create = RunCreate.model_validate(body)
        experiment = Experiment.create(create, SETTINGS, self.programs)
        run = Run("student", create, self.programs, experiment, groups=self.groups, callbacks=callbacks)
        assert self.groups.place(run)
        return run

    def train(self, shard: Shard, turns: int = 1000) -> None:
        for _ in range(turns):
            if shard.advance(0.01) == "idle":
                return


def test_a_grouped_run_trains_exactly_as_alone(engine: Any) -> None:
    alone = Engine(*engine)
    a = alone.run(seed=3)
    alone.train(a.shard)  # type: ignore[arg-type]
    together = Engine(*engine)
    b, others = together.run(seed=3), [together.run(seed=s) for s in (4, 5, 6)]
    assert all(r.shard is b.shard for r in others)  # one shard: one call for all
    together.train(b.shard)  # type: ignore[arg-type]
    assert a.epoch == b.epoch == 40
    for key, values in a.history.items():  # a program for 1 and one for 16 runs: to float rounding
        assert np.allclose(np.asarray(values, float), np.asarray(b.history[key], float), rtol=1e-5, atol=1e-7), key
    assert b.history["loss"] != others[0].history["loss"]  # other seeds, other curves


def test_pause_and_learning_rate_of_one_run_leave_the_others_alone(engine: Any) -> None:
    e = Engine(*engine)
    a, b = e.run(seed=1, epochs=100_000), e.run(seed=2, epochs=100_000)
    shard = a.shard
    assert shard is not None
    for _ in range(3):
        shard.advance(0.01)
    b.pause()
    shard.advance(0.01)  # b leaves at the end of this turn, its state written back
    assert b.shard is None and b in e.woken
    paused_at, weights = b.epoch, [np.asarray(v).copy() for v in b.experiment.state.variables]
    a.set_learning_rate(0.5)
    for _ in range(3):
        shard.advance(0.01)
    assert b.epoch == paused_at
    assert all(np.array_equal(w, np.asarray(v)) for w, v in zip(weights, b.experiment.state.variables, strict=True))
    assert a.epoch > paused_at
    slot = shard.members.index(a)
    assert shard.batch is not None
    assert float(shard.batch.state.lr[slot]) == pytest.approx(0.5)


def test_step_trains_exactly_one_epoch_then_leaves(engine: Any) -> None:
    e = Engine(*engine)
    a = e.run(seed=1, epochs=100, paused=True)
    assert a.status == "paused"
    a.step()  # paused with one epoch to go: the shard trains it
    e.train(a.shard)  # type: ignore[arg-type]
    assert a.epoch == 1 and a.shard is None


def test_a_run_that_finishes_leaves_for_its_final_frame(engine: Any) -> None:
    e = Engine(*engine)
    a = e.run(seed=1, epochs=7)
    shard = a.shard
    e.train(shard)  # type: ignore[arg-type]
    assert a.epoch == 7 and a.shard is None and a in e.woken
    assert len(a.history["loss"]) == 7 and len(a.history["val_accuracy"]) == 7


def _dense(units: int, activation: str) -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation}


@pytest.fixture(scope="module")
def family() -> Any:
    """Programs with only the family compiled: any network in Playground's envelope joins it."""
    programs, stacks = _compiled(family=True, capacities=(16,))
    yield programs, stacks
    programs.shutdown()


def test_a_family_shard_draws_each_network_as_its_own(family: Any) -> None:
    e = Engine(*family)
    a = e.run(seed=1, model={"layers": [_dense(3, "relu"), _dense(1, "sigmoid")]})
    b = e.run(seed=2, model={"layers": [_dense(5, "tanh"), _dense(2, "sigmoid"), _dense(1, "sigmoid")]})
    shard = a.shard
    assert shard is not None and shard is b.shard and shard.layout.family
    shard.advance(0.01)  # the runs' first turn: no epochs, each run's epoch-0 frame
    for run, widths in ((a, [3]), (b, [5, 2])):
        frame = json.loads("{" + run.snapshot.encoded("json")[0] + "}")  # type: ignore[union-attr]
        assert [layer["units"] for layer in frame["neurons"]] == widths
        state = shard.live_state(run)
        assert state is not None
        kernels = state.variables[::2]
        assert [np.asarray(w["kernel"]).shape for w in frame["weights"]] == [k.shape for k in kernels]
        for sent, kernel in zip(frame["weights"], kernels, strict=True):
            assert np.allclose(sent["kernel"], kernel, atol=6e-5)


def test_a_network_one_student_trains_compiles_later_and_only_when_few_train(family: Any, monkeypatch: Any) -> None:
    e = Engine(*family)
    e.groups.lone_compile_max_runs = 1
    a = e.run(seed=1, epochs=100_000, model={"layers": [_dense(7, "tanh"), _dense(7, "relu"), _dense(1, "sigmoid")]})
    stack = a.experiment.stack
    assert stack is not None and a.shard is not None and a.shard.layout.family
    key = (stack.exact, stack.training)
    stacks = e.groups.programs
    assert not stacks.asked(key, 1)  # it trains in the family at once; its compile waits
    monkeypatch.setattr(groups_module, "LONE_WAIT", 0.0)
    b = e.run(seed=2, epochs=100_000, model={"layers": [_dense(6, "sigmoid"), _dense(1, "sigmoid")]})
    e.groups._looked = 0.0
    e.groups.look_again()
    assert not stacks.asked(key, 1)  # two runs train, more than the limit of one
    b.pause()
    a.shard.advance(0.01)  # b leaves at the end of this turn
    e.groups._looked = 0.0
    e.groups.look_again()
    assert stacks.asked(key, 1)  # one run trains: now its own program compiles


def test_a_waiting_network_compiles_for_whichever_of_its_runs_still_trains(family: Any, monkeypatch: Any) -> None:
    e = Engine(*family)
    model = {"layers": [_dense(4, "relu"), _dense(4, "tanh"), _dense(1, "sigmoid")]}
    a = e.run(seed=1, epochs=100_000, model=model)
    b = e.run(seed=2, epochs=100_000, model=model)  # two students, one new network: both in the family
    stack = a.experiment.stack
    assert stack is not None and a.shard is not None and a.shard is b.shard and a.shard.layout.family
    key = (stack.exact, stack.training)
    a.pause()
    a.shard.advance(0.01)  # the first student paused and left the family
    assert a.shard is None and b.shard is not None
    monkeypatch.setattr(groups_module, "LONE_WAIT", 0.0)
    e.groups._looked = 0.0
    e.groups.look_again()
    assert e.groups.programs.asked(key, 1)  # compiled for the one still training, not dropped


def test_a_compile_nobody_wants_any_more_is_dropped_when_its_turn_comes(family: Any, monkeypatch: Any) -> None:
    e = Engine(*family)
    a = e.run(seed=1, epochs=100_000, model={"layers": [_dense(3, "relu"), _dense(5, "tanh"), _dense(1, "sigmoid")]})
    stack = a.experiment.stack
    assert stack is not None and a.shard is not None and a.shard.layout.family
    key = (stack.exact, stack.training)
    stacks = e.groups.programs
    monkeypatch.setattr(groups_module, "LONE_WAIT", 0.0)
    e.groups._looked = 0.0
    e.groups.look_again()
    assert stacks.asked(key, 1) and e.groups.wanted(key)  # queued on the (not started) builder
    a.stop()  # the student stops (or deletes) the run before the builder gets to it
    assert not e.groups.wanted(key)
    jobs = e.programs._jobs["compile"]
    while jobs:
        heapq.heappop(jobs)[3]()  # the builder's turn for each queued job
    assert stacks.get(key, 1) is None and not stacks.asked(key, 1)  # dropped, and may be asked again


def test_runs_of_one_network_spread_over_one_shard_per_worker(engine: Any) -> None:
    programs, stacks = engine
    e = Engine(programs, stacks, workers=2)
    a, b, c = (e.run(seed=s) for s in (1, 2, 3))
    assert a.shard is not None and b.shard is not None and a.shard is not b.shard  # both cores train
    assert c.shard in (a.shard, b.shard)


def test_a_turn_trains_longer_than_its_frames_take(engine: Any) -> None:
    e = Engine(*engine)
    a = e.run(seed=1, epochs=100_000)
    shard = a.shard
    assert shard is not None
    shard.advance(0.01)  # the first turn: the epoch-0 frame
    shard.advance(0.01)
    shard.epoch_seconds, shard.overhead_seconds = 0.001, 0.04  # frames cost 40 epochs' time
    before = a.epoch
    shard.advance(0.01)  # a budget of 10 epochs, but the turn trains 2.5 × 40 = 100
    assert a.epoch - before == int(groups_module.TRAIN_SHARE * 0.04 / 0.001)


def test_a_fixed_cost_measured_high_never_makes_a_turn_of_k_max_epochs(engine: Any, monkeypatch: Any) -> None:
    """The maps' cost is what the shard itself measures in its zero-epoch turn; one measured on a
    loaded machine (higher than a whole call now) once left an estimate of ~0 s per epoch, and
    turns of K_MAX epochs: such a call is taken as all epochs, and as the fixed cost at most."""
    e = Engine(*engine)
    a = e.run(seed=1, epochs=100_000)
    shard = a.shard
    assert shard is not None
    stacks = e.groups.programs
    program = stacks.get(shard.key, stacks.fitting(shard.key, 1) or 0)  # the one its turns call
    assert program is not None
    calls: list[float] = []
    train = program.train

    def timed(*args: Any) -> Any:  # the real call, timed
        began = time.perf_counter()
        out = train(*args)
        calls.append(time.perf_counter() - began)
        return out

    monkeypatch.setattr(program, "train", timed)
    shard.advance(0.01)  # the epoch-0 frame: a call with no epochs
    assert a.epoch == 0 and shard.maps_seconds[shard.capacity] >= calls[-1]
    shard.maps_seconds[shard.capacity] = 10.0  # as if measured while other programs compiled beside it
    shard.advance(0.01)
    assert a.epoch == 1 and shard.epoch_seconds is not None
    assert shard.epoch_seconds >= calls[-1] and shard.maps_seconds[shard.capacity] < 10.0
    b = e.run(seed=2, epochs=100_000)  # a second run: the shard calls the program for sixteen
    assert b.shard is shard
    shard.advance(0.01)
    assert shard.capacity == 16 and shard.maps_seconds.get(16) != shard.maps_seconds[1]  # not the one-run figure


class Saves:
    """The gate's saving, as the manager's: what each checkpoint holds."""

    def __init__(self) -> None:
        self.saved: list[tuple[int, list[np.ndarray]]] = []

    def save(self, run: Run, program: Any, final: bool) -> None:
        self.saved.append((run.epoch, [np.asarray(v).copy() for v in run.experiment.state.variables]))

    def leave(self, run: Run) -> None:
        """The run's training slot is freed (the manager's queue; none here)."""


def test_a_deleted_run_ends_without_its_keras_model_or_a_final_save(engine: Any) -> None:
    """A deleted run leaves its shard and ends stopped, but builds no Keras program for a last
    frame and saves nothing: a class deleting thirty runs would build thirty models for nobody."""
    e = Engine(*engine)
    gate = Saves()
    a = e.run(seed=5, epochs=100_000)
    b = e.run(seed=6, epochs=100_000)
    a.gate = b.gate = gate  # type: ignore[assignment]
    shard = a.shard
    assert shard is not None and b.shard is shard
    shard.advance(0.01)
    shard.advance(0.01)
    a.discard()
    b.stop()  # stopped, not deleted: its end is saved and drawn as before
    shard.advance(0.01)  # both leave the shard for the per-run path
    assert a in e.woken and b in e.woken and a.shard is None
    assert a.advance(0.01) == "idle" and b.advance(0.01) == "idle"
    assert a.status == b.status == "stopped"
    assert a.experiment._pool is None and b.experiment._pool is not None  # no Keras model for a
    assert [epoch for epoch, _ in gate.saved] == [b.epoch]


def test_a_grouped_runs_checkpoints_hold_its_weights_of_that_epoch(engine: Any) -> None:
    e = Engine(*engine)
    gate = Saves()
    a = e.run(seed=1, epochs=100_000, callbacks=[Checkpoint(gate, every=0.0), Publish()])  # type: ignore[arg-type]
    b = e.run(seed=2, epochs=100_000)
    shard = a.shard
    assert shard is not None and b.shard is shard
    for _ in range(4):
        shard.advance(0.01)
    assert len(gate.saved) >= 3  # every turn it trained in (the first only joins)
    epoch, weights = gate.saved[-1]
    assert epoch == a.epoch > 0
    live = shard.live_state(a)
    assert live is not None
    assert all(np.array_equal(w, np.asarray(v)) for w, v in zip(weights, live.variables, strict=True))
    assert b.snapshot is not None and a.snapshot is not None  # both drawn: Publish is the default


def _as_chain_graph(layers: list[dict[str, Any]]) -> dict[str, Any]:
    names = [f"n{i}" for i in range(len(layers))]
    nodes = [
        {"name": name, "layer": layer, "inputs": [before]}
        for name, layer, before in zip(names, layers, ["x", *names[:-1]], strict=True)
    ]
    return {"graph": {"inputs": [{"name": "x"}], "nodes": nodes, "outputs": [names[-1]]}}


def test_a_graph_that_is_a_chain_trains_with_the_stacks_it_equals(engine: Any) -> None:
    e = Engine(*engine)
    stack = e.run(seed=3)
    graph = e.run(seed=3, model=_as_chain_graph(circle_spec()["model"]["layers"]))
    assert graph.shard is stack.shard  # one shard, one call: the chain is the stack it equals
    e.train(stack.shard)  # type: ignore[arg-type]
    assert stack.epoch == graph.epoch == 40
    for key, values in stack.history.items():
        assert np.allclose(np.asarray(values, float), np.asarray(graph.history[key], float), rtol=1e-6), key
    frame = json.loads("{" + graph.snapshot.encoded("json")[0] + "}")  # type: ignore[union-attr]
    assert [layer["layer"] for layer in frame["neurons"]] == ["n0", "n1"]  # the graph's own node names
    model = graph.experiment.pool.programs[0].to_keras(graph.live_state())  # what a download holds
    assert [layer.name for layer in model.layers[1:]] == ["n0", "n1", "n2"]
    x = np.asarray(graph.experiment.data.x_test[:5], np.float32)
    alone = stack.experiment.pool.programs[0].to_keras(stack.live_state())
    assert np.allclose(model.predict(x, verbose=0), alone.predict(x, verbose=0), atol=1e-6)


def _residual(units: int, activation: str, merge: str = "Add") -> dict[str, Any]:
    return {
        "graph": {
            "inputs": [{"name": "x"}],
            "nodes": [
                {"name": "h1", "layer": _dense(units, activation), "inputs": ["x"]},
                {"name": "h2", "layer": _dense(units, activation), "inputs": ["h1"]},
                {"name": "skip", "layer": {"type": merge}, "inputs": ["h1", "h2"]},
                {"name": "out", "layer": _dense(1, "sigmoid"), "inputs": ["skip"]},
            ],
            "outputs": ["out"],
        }
    }


@pytest.fixture(scope="module")
def graph_family() -> Any:
    """Programs with only the graph family compiled (as start-up compiles it)."""
    programs = Programs(SETTINGS, 1)
    stacks = StackPrograms(programs)
    spec = RunCreate.model_validate({**circle_spec(epochs=40), "model": _residual(4, "tanh")})
    exp = Experiment.create(spec, SETTINGS, programs)
    stack = exp.stack
    assert stack is not None and stack.family is not None and stack.family.mixes
    entry = Entry(stack, member_arrays(stack, exp.data, stack.family), exp.state, 0)
    stacks.compile((stack.family, stack.training), 16, entry)
    yield programs, stacks
    programs.shutdown()


def test_different_graphs_train_at_once_in_the_graph_family(graph_family: Any) -> None:
    e = Engine(*graph_family)
    a = e.run(seed=1, model=_residual(3, "relu"))
    b = e.run(seed=2, model=_residual(6, "tanh", merge="Average"))
    shard = a.shard
    assert shard is not None and shard is b.shard and shard.layout.mixes  # one call trains both
    e.train(shard)
    assert a.epoch == b.epoch == 40
    first, last = a.history["loss"][0], a.history["loss"][-1]
    assert first is not None and last is not None and last < first
    for run, units in ((a, 3), (b, 6)):
        frame = json.loads("{" + run.snapshot.encoded("json")[0] + "}")  # type: ignore[union-attr]
        assert [(m["layer"], m["units"]) for m in frame["neurons"]] == [("h1", units), ("h2", units)]
        assert [w["layer"] for w in frame["weights"]] == ["h1", "h2", "out"]
        # What a download holds: the student's own functional model, with the trained weights.
        state = run.live_state()
        model = run.experiment.pool.programs[0].to_keras(state)
        assert model.get_layer("skip").__class__.__name__ == ("Add" if units == 3 else "Average")
        for sent, kernel in zip(frame["weights"], state.variables[::2], strict=True):
            assert np.allclose(sent["kernel"], kernel, atol=6e-5)
