"""Which runs a stack group can train, and a run's state in a group's terms.

A run fits a stack group when its model is a plain stack of Dense layers (with biases, any
initializers, L1/L2 regularizers) on one-dimensional inputs, or a graph of such Dense layers and
merges (Add, Subtract, Multiply, Average, Concatenate) with one or several inputs, trained with one of the group
losses and optimizers at a plain learning rate, with no metric but accuracy. Its *exact*
layout is its own network; it also fits the *family* (TensorFlow Playground's envelope, one
program for them all) when it has at most 8 inputs, 6 hidden layers of at most 8 units and
Playground's activations.

A run's state here is Keras's own, in Keras's order (`model.variables`: kernel, bias, …;
`optimizer.variables`: iterations, learning rate, then the slots as each optimizer's `build`
adds them), so checkpoints, downloads and the per-run engine read and write the same arrays.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from app.config import Settings
from app.datasets.features import transform
from app.datasets.registry import Data
from app.engine.builder import check_sizes, graph_inputs
from app.engine.compat import Plan, encode_labels, plan_labels
from app.engine.frames import plane_points
from app.engine.program import RunState, _derived_seed
from app.engine.stack_program import (
    FAMILY_ACTIVATIONS,
    FAMILY_DEPTH,
    FAMILY_WIDTH,
    LOSSES,
    MERGES,
    OPTIMIZERS,
    Batch,
    Graph,
    GraphNode,
    Layout,
    Stacked,
    Training,
)
from app.engine.tf_setup import keras, tf
from app.errors import SpecError
from app.schemas.layers import Dense
from app.schemas.optimizers import ScheduleSpec
from app.schemas.runs import ModelSpec, RunCreate


@dataclass(frozen=True)
class StackRun:
    """A run's model and training in stack-group terms."""

    exact: Layout
    family: Layout | None
    training: Training
    plan: Plan
    layers: tuple[Dense, ...]  # in parameter order: Keras's (model.variables), the output last
    learning_rate: float
    names: tuple[str, ...]  # the Dense layers' Keras names, in the same order

    @property
    def depth(self) -> int:
        return len(self.exact.widths)

    # --- Keras's order of the state ------------------------------------------------------
    def slot_order(self) -> list[tuple[int, int]]:
        """(slot, parameter) for each optimizer slot variable, in `optimizer.variables` order."""
        n_p, names = len(self.exact.shapes()), self.training.slot_names
        if self.training.optimizer == "Adam":  # momentum and velocity interleaved, then velocity_hat
            order = [(s, p) for p in range(n_p) for s in (0, 1)]
            return order + [(2, p) for p in range(n_p)] if len(names) == 3 else order
        return [(s, p) for s in range(len(names)) for p in range(n_p)]

    def initial_state(self, seed: int) -> RunState:
        """Fresh weights from each layer's own Keras initializer, seeded as the per-run engine
        seeds them (by the variable's index), and a fresh optimizer."""
        variables: list[np.ndarray] = []
        for shape, (layer, kind) in zip(self.exact.shapes(), self._owners(), strict=True):
            name = layer.kernel_initializer if kind == "kernel" else layer.bias_initializer
            config = keras.initializers.serialize(keras.initializers.get(name))
            if "seed" in config.get("config", {}):
                config["config"]["seed"] = _derived_seed(seed, len(variables))
            fresh = keras.initializers.deserialize(config)
            variables.append(np.asarray(fresh(shape, dtype="float32")))
        initial = self.training.option("initial_accumulator_value", 0.0) if self.training.optimizer == "Adagrad" else 0
        slots = [np.full(variables[p].shape, initial, np.float32) for _, p in self.slot_order()]
        optimizer = [np.asarray(0, np.int64), np.asarray(self.learning_rate, np.float32), *slots]
        return RunState(variables, optimizer, learning_rate_index=1)

    def _owners(self) -> list[tuple[Dense, str]]:
        return [(layer, kind) for layer in self.layers for kind in ("kernel", "bias")]

    def regularization(self) -> np.ndarray:
        """(l1, l2) factors per parameter [P, 2], as each Dense layer's regularizers add them."""
        out = []
        for layer, kind in self._owners():
            reg = layer.kernel_regularizer if kind == "kernel" else layer.bias_regularizer
            config = reg.model_dump() if reg is not None else {}
            out.append((float(config.get("l1", 0.0) or 0.0), float(config.get("l2", 0.0) or 0.0)))
        return np.asarray(out, np.float32).reshape(-1, 2)


def _limits(spec: RunCreate, settings: Settings, n_inputs: int) -> None:
    """The builder's limits, checked without building: layers, units, parameters."""
    steps = spec.model.steps
    if len(steps) > settings.max_layers:
        field = "model.graph.nodes" if spec.model.is_graph else "model.layers"
        raise SpecError(field, f"{len(steps)} layers is more than the limit of {settings.max_layers}")
    params, width = 0, n_inputs
    for step in steps:
        units = step.layer.units  # type: ignore[attr-defined]
        if units > settings.max_units:
            raise SpecError(f"{step.where}.units", f"{units} is more than the limit of {settings.max_units}")
        params += width * units + units
        width = units
    if params > settings.max_params:
        raise SpecError("model", f"the model has {params:,} parameters, more than the limit of {settings.max_params:,}")


def keras_order(spec: ModelSpec) -> list[str]:
    """A graph's layer names in Keras's order (`model.layers`, which orders `model.variables`),
    worked out as Keras's `map_graph` does, without building the model: a depth-first walk from
    the output numbers each layer when first seen; a layer's depth is the longest path from it
    to the output; layers come deepest first, ties in the walk's order."""
    assert spec.graph is not None
    inputs = {entry.name: () for entry in spec.graph.inputs}
    takes: dict[str, tuple[str, ...]] = {**inputs, **{step.name: step.inputs for step in spec.steps}}
    seen: dict[str, int] = {}
    finished: list[str] = []  # post-order: inputs first, the output last

    def walk(name: str) -> None:
        if name in finished:
            return
        seen.setdefault(name, len(seen))
        for parent in takes[name]:
            walk(parent)
        finished.append(name)

    walk(spec.graph.outputs[0])
    depth: dict[str, int] = {}
    for name in reversed(finished):
        d = depth.setdefault(name, 0)
        for parent in takes[name]:
            depth[parent] = max(d + 1, depth.get(parent, 0))
    order = sorted(finished, key=lambda name: (-depth[name], seen[name]))
    return [name for name in order if name not in inputs]


GraphLayout = tuple[Layout, tuple[Dense, ...], tuple[str, ...]]


def _graph_layout(spec: ModelSpec, data: Data, settings: Settings) -> GraphLayout | None:
    """A graph of Dense layers and merges as an exact layout, its Dense layers and their names in
    Keras's order; None when a node is anything else or the output is not a Dense layer."""
    assert spec.graph is not None
    steps = spec.steps
    if spec.output_step.layer.type != "Dense" or any(s.layer.type not in ("Dense", *MERGES) for s in steps):
        return None
    features = tuple(data.feature_names)
    check_sizes(spec, data.input_shape, settings, features)
    inputs = graph_inputs(spec, data.input_shape, features)
    by_name = {step.name: step for step in steps}
    order = keras_order(spec)
    index = {entry.name: i for i, entry in enumerate(spec.graph.inputs)}
    index.update({name: len(inputs) + i for i, name in enumerate(order)})
    widths = [shape[0] for shape, _ in inputs]
    nodes: list[GraphNode] = []
    for name in order:
        step = by_name[name]
        takes = tuple(index[n] for n in step.inputs)
        if isinstance(step.layer, Dense):
            nodes.append(GraphNode("Dense", takes, step.layer.units, step.layer.activation))
        else:
            width = sum(widths[i] for i in takes) if step.layer.type == "Concatenate" else widths[takes[0]]
            nodes.append(GraphNode(step.layer.type, takes, width))
        widths.append(nodes[-1].width)
    if order[-1] != spec.output_step.name:
        return None
    dense = tuple(by_name[name].layer for name in order if by_name[name].layer.type == "Dense")
    names = tuple(name for name in order if by_name[name].layer.type == "Dense")
    hidden = list(dense[:-1])
    graph = Graph(tuple(None if cols is None else tuple(cols) for _, cols in inputs), tuple(nodes))
    layout = Layout(
        int(data.input_shape[0]),
        tuple(layer.units for layer in hidden),  # type: ignore[attr-defined]
        dense[-1].units,  # type: ignore[attr-defined]
        dense[-1].activation,  # type: ignore[attr-defined]
        tuple(layer.activation for layer in hidden),  # type: ignore[attr-defined]
        graph,
    )
    return layout, dense, names  # type: ignore[return-value]


LINEAR_MERGES = ("Add", "Subtract", "Average")


def graph_mix(exact: Layout) -> np.ndarray | None:
    """A graph's wiring in the graph family's terms: for each Dense slot and then the output, the
    weight of each source it takes (the input, then each Dense slot's output) [DEPTH + 1, DEPTH + 1];
    None when the graph does not fit the family (several inputs, a Multiply or Concatenate)."""
    graph = exact.graph
    if graph is None or graph.columns != (None,) or any(n.op not in ("Dense", *LINEAR_MERGES) for n in graph.nodes):
        return None
    mix = np.zeros((FAMILY_DEPTH + 1, FAMILY_DEPTH + 1), np.float32)
    values = [np.eye(FAMILY_DEPTH + 1, dtype=np.float32)[0]]  # each value as a mix of the sources
    slot = 0
    for index, node in enumerate(graph.nodes):
        takes = [values[i] for i in node.inputs]
        if node.op == "Dense":
            row = slot if index < len(graph.nodes) - 1 else FAMILY_DEPTH  # the output is the last
            mix[row] = takes[0]
            slot += 1
            values.append(np.eye(FAMILY_DEPTH + 1, dtype=np.float32)[slot])
        elif node.op == "Subtract":
            values.append(takes[0] - takes[1])
        else:
            total = np.sum(takes, axis=0)
            values.append(total / len(takes) if node.op == "Average" else total)
    return mix


def stack_run(spec: RunCreate, data: Data, settings: Settings) -> StackRun | None:
    """The run in stack-group terms, or None when a stack group cannot train it."""
    # A graph that is a plain chain trains as the stack it is; one with branches or several
    # inputs has a graph layout of its own (no family: its runs train on the per-run engine
    # while its program compiles).
    if len(data.input_shape) != 1:
        return None
    layers = spec.model.chain
    graph: Layout | None = None
    if layers is None and spec.model.is_graph:
        found = _graph_layout(spec.model, data, settings)
        if found is None:
            return None
        graph, layers_, names = found
        layers = list(layers_)
    if not layers or not all(isinstance(layer, Dense) for layer in layers):
        return None
    if graph is None:
        names = tuple(step.name for step in spec.model.steps)
    dense: tuple[Dense, ...] = tuple(layers)  # type: ignore[arg-type]
    opt = spec.compile.optimizer
    loss = spec.compile.loss
    if not isinstance(loss, str):  # a loss given as a class may carry options (from_logits, …)
        return None
    regs_ok = all(
        r is None or r.type in ("L1", "L2", "L1L2")
        for layer in dense
        for r in (layer.kernel_regularizer, layer.bias_regularizer)
    )
    if (
        not all(layer.use_bias for layer in dense)
        or not regs_ok
        or loss not in LOSSES
        or opt.type not in OPTIMIZERS
        or isinstance(opt.learning_rate, ScheduleSpec)
        or any(m != "accuracy" for m in spec.compile.metrics)
        or len(data.x_train) == 0
    ):
        return None
    n_inputs = int(data.input_shape[0])
    if graph is None:
        _limits(spec, settings, n_inputs)
    hidden, out = dense[:-1], dense[-1]
    metrics = list(spec.compile.metrics)
    plan = plan_labels(loss, (None, out.units), out.activation, data, metrics, spec.model.output_step.where)
    plane = data.info.kind == "plane"
    settings_ = opt.model_dump(mode="json").items()
    options = tuple(sorted((k, v) for k, v in settings_ if k not in ("type", "learning_rate")))
    training = Training(
        loss=loss,
        optimizer=opt.type,
        options=options,
        encoding=plan.encoding,
        accuracy="accuracy" in spec.compile.metrics,
        n_train=len(data.x_train),
        n_test=len(data.x_test),
        batch_size=min(spec.fit.batch_size, len(data.x_train)),
        shuffle=spec.fit.shuffle,
        grid=spec.stream.grid_size if plane else 0,
        neuron_grid=spec.stream.neuron_grid_size if plane else 0,
    )
    exact = graph or Layout(
        n_inputs, tuple(layer.units for layer in hidden), out.units, out.activation, tuple(h.activation for h in hidden)
    )
    fits = (
        n_inputs <= FAMILY_WIDTH
        and len(hidden) <= FAMILY_DEPTH
        and all(h.units <= FAMILY_WIDTH and h.activation in FAMILY_ACTIVATIONS for h in hidden)
        and (graph is None or graph_mix(graph) is not None)
    )
    wide = (FAMILY_WIDTH,) * FAMILY_DEPTH
    mixes = graph is not None
    family = Layout(FAMILY_WIDTH, wide, out.units, out.activation, None, mixes=mixes) if fits else None
    rate = float(opt.learning_rate)
    return StackRun(exact, family, training, plan, dense, rate, names)


@dataclass
class Member:
    """One run's rows of a group's arrays, in a layout's padded shapes."""

    x: np.ndarray
    y: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    grid: np.ndarray | None
    neuron_grid: np.ndarray | None
    aux: dict[str, np.ndarray]


def _pad(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, a.dtype)
    out[tuple(slice(0, n) for n in a.shape)] = a
    return out


def member_arrays(run: StackRun, data: Data, layout: Layout) -> Member:
    """A run's data, frame grids and per-run constants padded to a layout."""
    enc, k = run.plan.encoding, data.info.n_classes

    def x_of(x: np.ndarray) -> np.ndarray:
        return _pad(x.astype(np.float32), (len(x), layout.inputs))

    grid = neuron_grid = None
    if run.training.grid:
        grid = x_of(transform(plane_points(run.training.grid), data.feature_names))
        neuron_grid = x_of(transform(plane_points(run.training.neuron_grid), data.feature_names))
    n_p = len(layout.shapes())
    reg = run.regularization()
    l1, l2 = np.zeros(n_p, np.float32), np.zeros(n_p, np.float32)
    # The run's own parameters map onto the layout's: hidden layers first, the output last.
    for own, target in enumerate(_param_targets(run, layout)):
        l1[target], l2[target] = reg[own]
    aux: dict[str, np.ndarray] = {"l1": l1, "l2": l2}
    if layout.family:
        depth = run.depth
        aux["activation"] = np.zeros(FAMILY_DEPTH, np.int32)
        aux["units"] = np.zeros((FAMILY_DEPTH, FAMILY_WIDTH), bool)
        aux["layers"] = np.arange(FAMILY_DEPTH) < depth
        for i, layer in enumerate(run.layers[:-1]):
            aux["activation"][i] = FAMILY_ACTIVATIONS.index(layer.activation)
            aux["units"][i, : layer.units] = True
        if layout.mixes:
            mix = graph_mix(run.exact)
            assert mix is not None
            aux["mix"] = mix
    return Member(
        x_of(data.x_train),
        encode_labels(data.y_train, enc, k),
        x_of(data.x_test),
        encode_labels(data.y_test, enc, k),
        grid,
        neuron_grid,
        aux,
    )


def _param_targets(run: StackRun, layout: Layout) -> list[int]:
    """Where each of the run's parameters sits among the layout's."""
    n_hidden = run.depth
    targets = []
    for i in range(n_hidden):
        targets += [2 * i, 2 * i + 1]
    last = len(layout.widths)
    return [*targets, 2 * last, 2 * last + 1]


Padded = tuple[list[np.ndarray], list[list[np.ndarray]], int, float]


def pad_state(run: StackRun, state: RunState, layout: Layout) -> Padded:
    """A run's Keras-order state as the layout's parameters and slots (zeros where padded)."""
    shapes = layout.shapes()
    targets = _param_targets(run, layout)
    params = [np.zeros(s, np.float32) for s in shapes]
    for own, target in enumerate(targets):
        params[target] = _pad(np.asarray(state.variables[own], np.float32), shapes[target])
    n_s = len(run.training.slot_names)
    initial = run.training.option("initial_accumulator_value", 0.0) if run.training.optimizer == "Adagrad" else 0.0
    slots = [[np.full(s, initial, np.float32) for s in shapes] for _ in range(n_s)]
    for value, (s, p) in zip(state.optimizer[2:], run.slot_order(), strict=True):
        slots[s][targets[p]] = _pad(np.asarray(value, np.float32), shapes[targets[p]])
    return params, slots, int(np.asarray(state.optimizer[0])), float(np.asarray(state.optimizer[1]))


def unpad_state(
    run: StackRun, layout: Layout, params: list[np.ndarray], slots: list[list[np.ndarray]], iterations: int, lr: float
) -> RunState:
    """The inverse of `pad_state`: the run's own arrays, in Keras's order."""
    shapes = run.exact.shapes()
    targets = _param_targets(run, layout)
    variables = [params[t][tuple(slice(0, n) for n in shape)].copy() for t, shape in zip(targets, shapes, strict=True)]
    optimizer: list[Any] = [np.asarray(iterations, np.int64), np.asarray(lr, np.float32)]
    for s, p in run.slot_order():
        optimizer.append(slots[s][targets[p]][tuple(slice(0, n) for n in shapes[p])].copy())
    return RunState(variables, optimizer, learning_rate_index=1)


@dataclass
class Entry:
    """One run as a group call takes it."""

    run: StackRun
    member: Member
    state: RunState
    seed: int


def make_batch(layout: Layout, capacity: int, entries: list[Entry]) -> Batch:
    """Stack runs' arrays along the run axis; empty slots repeat the first run's data, train 0 epochs."""
    if not entries or len(entries) > capacity:
        raise ValueError(f"a batch holds 1 to {capacity} runs, not {len(entries)}")
    padded = [pad_state(e.run, e.state, layout) for e in entries]
    fill = capacity - len(entries)

    def stack(values: list[np.ndarray]) -> Any:
        arrays = values + [values[0]] * fill
        return tf.constant(np.stack(arrays))

    n_p = len(layout.shapes())
    n_s = len(padded[0][1])
    params = [stack([p[0][i] for p in padded]) for i in range(n_p)]
    slots = [[stack([p[1][s][i] for p in padded]) for i in range(n_p)] for s in range(n_s)]
    iterations = tf.constant(np.asarray([p[2] for p in padded] + [0] * fill, np.int64))
    lr = tf.constant(np.asarray([p[3] for p in padded] + [0.0] * fill, np.float32))
    members = [e.member for e in entries]
    aux = {key: stack([m.aux[key] for m in members]) for key in members[0].aux}
    state = Stacked(params, slots, iterations, lr, aux)
    grids = members[0].grid is not None
    return Batch(
        state,
        stack([m.x for m in members]),
        stack([m.y for m in members]),
        stack([m.x_test for m in members]),
        stack([m.y_test for m in members]),
        tf.constant(np.asarray([e.seed for e in entries] + [0] * fill, np.int32)),
        stack([m.grid for m in members]) if grids else None,  # type: ignore[misc]
        stack([m.neuron_grid for m in members]) if grids else None,  # type: ignore[misc]
    )


Host = tuple[list[np.ndarray], list[list[np.ndarray]], np.ndarray, np.ndarray]


def host_state(batch: Batch) -> Host:
    """The stacked state as NumPy arrays, each read once (a slice per run would be a
    TensorFlow op per run and tensor)."""
    s = batch.state
    return (
        [np.asarray(p) for p in s.params],
        [[np.asarray(p) for p in slot_list] for slot_list in s.slots],
        np.asarray(s.iterations),
        np.asarray(s.lr),
    )


def read_state(batch: Batch, layout: Layout, slot: int, run: StackRun, host: Host | None = None) -> RunState:
    """Slot `slot`'s run state, in Keras's order (`host`: the batch's `host_state`, if read)."""
    params, slots, iterations, lr = host if host is not None else host_state(batch)
    return unpad_state(
        run,
        layout,
        [p[slot] for p in params],
        [[p[slot] for p in slot_list] for slot_list in slots],
        int(iterations[slot]),
        float(lr[slot]),
    )
