"""Many Dense stacks trained in one compiled call: the maths of `model.fit`, stacked by run.

A *stack group* trains every run whose model is a plain stack of Dense layers and whose
training settings agree (loss, optimizer type and settings, metrics, data sizes, batching):
weights, optimizer slots, iteration counts and learning rates carry a leading "run" axis, and
one XLA call advances all of them, each run by its own number of epochs (0 for a paused run).

The maths is Keras's, step for step: `Dense` is `activation(x @ kernel + bias)` with Keras's
own activation functions, the loss is Keras's loss function reduced as `sum_over_batch_size`
plus each regularizer's term, the gradient is taken by a tape, and the optimizer update is the
`update_step` of Keras's SGD / Adam / RMSprop / Adagrad written out with the same operations.
Logs are Keras's `Mean` trackers (loss weighted by batch size, accuracy per sample), `val_*`
from the whole test split as `fit(validation_data=...)` reports them. Tests compare it with
`model.fit` as the oracle.

Two layouts share this code:
- *exact*: the run's own widths and activations; every run of the group has the same model. A
  graph model (Keras's functional API: branches, skip connections, several inputs, merges)
  has an exact layout too: its nodes in Keras's layer order, each Dense node's kernel shaped by
  what it takes.
- *family*: TensorFlow Playground's envelope padded to 8 inputs and 6 hidden layers of 8
  units. Per run, a mask keeps padded units at exactly zero (and so their weights, gradients
  and optimizer slots), hidden layers beyond the run's depth pass their input through, and
  each layer's activation is chosen per run. One program, compiled at start-up, so a network
  nobody has trained yet trains at once while its exact program compiles.
- *graph family*: the same envelope for graph models whose merges add, subtract or average
  (residual blocks, skips): each of the 6 Dense slots, and the output, takes a per-run mix of
  the input and the slots before it (a weight per source: 1 for each input of an Add, 1 and -1
  for a Subtract, 1/n for an Average, composed through nested merges).
"""

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.epochs import shuffle_orders
from app.engine.tf_setup import keras, tf

FAMILY_WIDTH = 8  # TensorFlow Playground's most units in a layer (and, padded, its inputs)
FAMILY_DEPTH = 6  # its most hidden layers
FAMILY_ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid")  # its activations, chosen per run
OPTIMIZERS = ("SGD", "Adam", "RMSprop", "Adagrad")
LOSSES = (
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "mean_squared_error",
    "mean_absolute_error",
)
K_MAX = 256  # epochs in one call at most


MERGES = ("Add", "Subtract", "Multiply", "Average", "Concatenate")


@dataclass(frozen=True)
class GraphNode:
    """One node of a graph layout: a Dense layer or a merge, and the values it takes."""

    op: str  # "Dense" or one of MERGES
    inputs: tuple[int, ...]  # values: the model's inputs first (0, 1, …), then each node's output in order
    width: int  # units of its output
    activation: str = "linear"  # a Dense node's


@dataclass(frozen=True)
class Graph:
    """A graph model's wiring: which data columns each input takes, and its nodes in Keras's layer
    order (a topological order; the Dense nodes' parameters come in this order, the output last)."""

    columns: tuple[tuple[int, ...] | None, ...]  # per input: the data's columns (None: all)
    nodes: tuple[GraphNode, ...]

    def widths_in(self, inputs: int) -> list[int]:
        """Each value's width: the inputs', then each node's."""
        return [inputs if c is None else len(c) for c in self.columns] + [n.width for n in self.nodes]

    def kernel_rows(self, inputs: int) -> list[int]:
        """Each Dense node's input width (its kernel's rows)."""
        widths = self.widths_in(inputs)
        return [widths[n.inputs[0]] for n in self.nodes if n.op == "Dense"]


@dataclass(frozen=True)
class Layout:
    """The shapes a program is compiled for."""

    inputs: int
    widths: tuple[int, ...]  # hidden layers (a graph's: its Dense nodes but the output, in order)
    outputs: int
    out_activation: str
    activations: tuple[str, ...] | None  # per hidden layer; None: chosen per run (the family)
    graph: Graph | None = None  # a graph model's wiring (exact layouts only); None: a stack
    mixes: bool = False  # the graph family: each slot takes a per-run mix of the ones before

    @property
    def family(self) -> bool:
        return self.activations is None

    def shapes(self) -> list[tuple[int, ...]]:
        """Each parameter's shape for one run: kernel, bias, kernel, bias, …"""
        if self.graph is not None:
            units = [*self.widths, self.outputs]
            rows = self.graph.kernel_rows(self.inputs)
            return [shape for a, b in zip(rows, units, strict=True) for shape in ((a, b), (b,))]
        sizes = [self.inputs, *self.widths, self.outputs]
        out: list[tuple[int, ...]] = []
        for a, b in zip(sizes, sizes[1:], strict=False):
            out += [(a, b), (b,)]
        return out


@dataclass(frozen=True)
class Training:
    """What every run of a group shares besides the layout."""

    loss: str
    optimizer: str
    options: tuple[tuple[str, Any], ...]  # the optimizer's settings other than the learning rate
    encoding: str  # how labels are given (compat.Encoding)
    accuracy: bool  # the "accuracy" metric is compiled
    n_train: int
    n_test: int
    batch_size: int
    shuffle: bool
    grid: int  # side of the output grid in frames (0: no maps)
    neuron_grid: int

    def option(self, name: str, default: Any) -> Any:
        return dict(self.options).get(name, default)

    @property
    def slot_names(self) -> tuple[str, ...]:
        """The optimizer's per-parameter slots (Keras's names)."""
        if self.optimizer == "SGD":
            return ("momentum",) if self.option("momentum", 0.0) != 0 else ()
        if self.optimizer == "Adam":
            return ("momentum", "velocity") + (("velocity_hat",) if self.option("amsgrad", False) else ())
        if self.optimizer == "RMSprop":
            names = ["velocity"]
            if self.option("momentum", 0.0) > 0:
                names.append("momentum")
            if self.option("centered", False):
                names.append("average_gradient")
            return tuple(names)
        return ("accumulator",)  # Adagrad

    @property
    def log_names(self) -> list[str]:
        names = sorted(["loss", *(["accuracy"] if self.accuracy else [])])
        return names + ([f"val_{n}" for n in names] if self.n_test else [])


class Stacked:
    """A group's state: every tensor has a leading run axis of the program's capacity."""

    def __init__(self, params: list[Any], slots: list[list[Any]], iterations: Any, lr: Any, aux: dict[str, Any]):
        self.params = params  # kernel, bias, … per layer
        self.slots = slots  # slots[s][p]: slot s of parameter p
        self.iterations = iterations  # int64 [R]
        self.lr = lr  # float32 [R]
        self.aux = aux  # per-run constants: regularization factors, family masks and activations

    def flat(self) -> list[Any]:
        return [*self.params, *(t for slot in self.slots for t in slot), self.iterations, self.lr]


def _dense(h: tf.Tensor, kernel: tf.Tensor, dot: bool = False) -> tf.Tensor:
    """x @ kernel for each run: [R, n, i] · [R, i, o]. On a batch of a few samples through
    layers a few units wide XLA's batched dot is slow, and a broadcast product summed over i
    fuses into one loop instead; on the frames' grids (thousands of points) the dot is faster."""
    if dot or (h.shape[1] is not None and h.shape[1] > 64):
        return tf.matmul(h, kernel)
    return tf.reduce_sum(h[:, :, :, None] * kernel[:, None, :, :], axis=2)


def _mix(weights: tf.Tensor, sources: list[tf.Tensor]) -> tf.Tensor:
    """Σ weights[:, s] · sources[s] per run: weights [R, ≥ len(sources)], sources [R, n, units]."""
    out = weights[:, 0, None, None] * sources[0]
    for s in range(1, len(sources)):
        out = out + weights[:, s, None, None] * sources[s]
    return out


def _many(x: tf.Tensor) -> bool:
    """Whether a forward pass is over many points (the frames' grids), not a training batch."""
    return x.shape[1] is not None and x.shape[1] > 64


def _runtime_one(aux: dict[str, tf.Tensor]) -> tf.Tensor:
    """1.0 per run [R, 1, 1], computed from the run's data so that XLA cannot fold it away.

    In the graph family every slot's output is a source of each later slot's mix. XLA's fusion
    duplicates cheap elementwise producers (the activation select) into each consumer, so on the
    100 × 100 grid every mix re-read the earlier slots' pre-activations, tanh and sigmoid and
    redid their selects: the maps cost 2–7× the stack family's. A division is one of the ops XLA
    will not duplicate, and dividing by exactly 1 changes no bit, so `a / one` makes each slot's
    output one stored array that the later mixes read (measured with `python -m bench.shards`)."""
    w = aux["mix"][:, :1, :1]
    return w * 0.0 + 1.0  # the weights are finite; XLA does not simplify a float `x * 0`


def _bcast(v: tf.Tensor, like: tf.Tensor) -> tf.Tensor:
    """A per-run vector [R] shaped to broadcast against a per-run tensor [R, ...]."""
    return tf.reshape(v, [-1] + [1] * (len(like.shape) - 1))


class StackProgram:
    """The compiled functions for one layout, one training setting and one capacity."""

    def __init__(self, layout: Layout, training: Training, capacity: int) -> None:
        self.layout = layout
        self.training = training
        self.capacity = capacity
        self.n_params = len(layout.shapes())
        self.log_names = training.log_names
        # Measured: the padded family's 8-wide layers over 16 runs are faster as a batched dot.
        self._dot = layout.family and capacity > 1
        self._loss_fn = keras.losses.get(training.loss)
        self._out_act = keras.activations.get(layout.out_activation)
        names = layout.activations if layout.activations is not None else FAMILY_ACTIVATIONS
        self._acts = [keras.activations.get(a) for a in names]
        self._train = tf.function(self._epochs, jit_compile=True)
        self._concrete: Any = None
        self.fixed_seconds = 0.0

    # --- the model ------------------------------------------------------------------------
    def forward(self, params: list[tf.Tensor], aux: dict[str, tf.Tensor], x: tf.Tensor) -> tuple[tf.Tensor, list[Any]]:
        """Outputs [R, n, outputs] and each hidden layer's activations [R, n, width]."""
        if self.layout.graph is not None:
            return self._forward_graph(params, x)
        h = x
        hidden = []
        sources = [x]  # the graph family's: the input, then each slot's output
        one = _runtime_one(aux) if self.layout.mixes and _many(x) else None
        for layer in range(len(self.layout.widths)):
            kernel, bias = params[2 * layer], params[2 * layer + 1]
            if self.layout.mixes:
                h = _mix(aux["mix"][:, layer], sources)
            z = _dense(h, kernel, self._dot) + bias[:, None, :]
            if self.layout.activations is not None:
                a = self._acts[layer](z)
            else:
                choice = aux["activation"][:, layer][:, None, None]
                a = self._acts[0](z)
                for index in range(1, len(self._acts)):
                    a = tf.where(choice == index, self._acts[index](z), a)
                a = tf.where(aux["units"][:, layer][:, None, :], a, tf.zeros_like(a))
                if not self.layout.mixes:  # (a graph's unused slots are zero and taken by nothing)
                    a = tf.where(aux["layers"][:, layer][:, None, None], a, h)  # beyond the run's depth
            if one is not None:
                a = a / one  # stored once, not recomputed in every later slot's mix (see _runtime_one)
            hidden.append(a)
            sources.append(a)
            h = a
        if self.layout.mixes:
            h = _mix(aux["mix"][:, len(self.layout.widths)], sources)
        z = _dense(h, params[-2], self._dot) + params[-1][:, None, :]
        return self._out_act(z), hidden

    def _forward_graph(self, params: list[tf.Tensor], x: tf.Tensor) -> tuple[tf.Tensor, list[Any]]:
        """A graph's nodes in order, as Keras's layers compute them: Dense is activation(x @ kernel +
        bias), Add/Multiply fold left, Average is the sum over the count, Concatenate joins the units."""
        graph = self.layout.graph
        assert graph is not None
        values = [x if cols is None else tf.gather(x, list(cols), axis=2) for cols in graph.columns]
        hidden, p = [], 0
        for index, node in enumerate(graph.nodes):
            args = [values[i] for i in node.inputs]
            if node.op == "Dense":
                z = _dense(args[0], params[2 * p], self._dot) + params[2 * p + 1][:, None, :]
                value = keras.activations.get(node.activation)(z)
                p += 1
                if index < len(graph.nodes) - 1:
                    hidden.append(value)
            elif node.op == "Concatenate":
                value = tf.concat(args, axis=-1)
            elif node.op == "Subtract":
                value = args[0] - args[1]
            else:
                value = args[0]
                for arg in args[1:]:
                    value = value * arg if node.op == "Multiply" else value + arg
                if node.op == "Average":
                    value = value / len(args)
            values.append(value)
        return values[-1], hidden

    def _loss(self, params: list[tf.Tensor], aux: dict[str, tf.Tensor], x: tf.Tensor, y: tf.Tensor):  # type: ignore[no-untyped-def]
        """Each run's total loss [R] (Keras's compiled loss plus regularization) and outputs."""
        out, _ = self.forward(params, aux, x)
        values = self._loss_fn(y, out)  # [R, n]
        count = tf.cast(tf.shape(values)[1], values.dtype)
        loss = tf.math.divide_no_nan(tf.reduce_sum(values, axis=1), count)
        terms = [loss]
        for p, v in enumerate(params):
            axes = list(range(1, len(v.shape)))
            l1, l2 = aux["l1"][:, p], aux["l2"][:, p]
            terms.append(l1 * tf.reduce_sum(tf.abs(v), axis=axes) + l2 * tf.reduce_sum(tf.square(v), axis=axes))
        return tf.reduce_sum(tf.stack(terms, axis=1), axis=1), out

    def _accuracy(self, y: tf.Tensor, out: tf.Tensor) -> tf.Tensor:
        """Correct predictions per run [R] (a sum: the Mean tracker divides by the count)."""
        if self.training.encoding == "sparse":
            values = tf.cast(
                tf.equal(tf.cast(y, tf.int64), tf.argmax(out, axis=-1)),
                tf.float32,
            )
        elif out.shape[-1] == 1:
            predicted = tf.cast(tf.greater(out, tf.cast(0.5, out.dtype)), y.dtype)
            values = tf.reduce_mean(tf.cast(tf.equal(y, predicted), tf.float32), axis=-1)
        else:
            values = tf.cast(tf.equal(tf.argmax(y, axis=-1), tf.argmax(out, axis=-1)), tf.float32)
        return tf.reduce_sum(values, axis=1)

    # --- the optimizer (Keras's update_step, per parameter, with a per-run rate) ----------
    def _update(self, v, g, slots, lr, step):  # type: ignore[no-untyped-def]
        t = self.training
        lr = _bcast(lr, v)
        name = t.optimizer
        if name == "SGD":
            momentum = t.option("momentum", 0.0)
            if momentum == 0:
                return v - g * lr, slots
            (m,) = slots
            m = m * tf.cast(momentum, v.dtype) - g * lr
            if t.option("nesterov", False):
                return v + (m * tf.cast(momentum, v.dtype) - g * lr), [m]
            return v + m, [m]
        if name == "Adam":
            beta_1, beta_2, epsilon = t.option("beta_1", 0.9), t.option("beta_2", 0.999), t.option("epsilon", 1e-7)
            local_step = _bcast(tf.cast(step + 1, v.dtype), v)
            beta_1_power = tf.pow(tf.cast(beta_1, v.dtype), local_step)
            beta_2_power = tf.pow(tf.cast(beta_2, v.dtype), local_step)
            m, velocity = slots[0], slots[1]
            alpha = lr * tf.sqrt(1 - beta_2_power) / (1 - beta_1_power)
            m = m + (g - m) * (1 - beta_1)
            velocity = velocity + (tf.square(g) - velocity) * (1 - beta_2)
            new = [m, velocity]
            if t.option("amsgrad", False):
                v_hat = tf.maximum(slots[2], velocity)
                new.append(v_hat)
                velocity = v_hat
            return v - (m * alpha) / (tf.sqrt(velocity) + epsilon), new
        if name == "RMSprop":
            rho, epsilon = t.option("rho", 0.9), t.option("epsilon", 1e-7)
            momentum, centered = t.option("momentum", 0.0), t.option("centered", False)
            velocity = rho * slots[0] + (1 - rho) * tf.square(g)
            new = [velocity]
            rest = list(slots[1:])
            m = rest.pop(0) if momentum > 0 else None
            if centered:
                average = rho * rest[0] + (1 - rho) * g
                denominator = velocity - tf.square(average) + epsilon
            else:
                denominator = velocity + epsilon
            increment = (lr * g) / tf.sqrt(denominator)
            if m is not None:
                m = momentum * m + increment
                new.append(m)
                if centered:
                    new.append(average)
                return v - m, new
            if centered:
                new.append(average)
            return v - increment, new
        # Adagrad
        epsilon = t.option("epsilon", 1e-7)
        accumulator = slots[0] + tf.square(g)
        return v - (lr * g) / tf.sqrt(accumulator + epsilon), [accumulator]

    # --- one call: many epochs of every run -------------------------------------------------
    def _epochs(self, flat, aux, x, y, x_test, y_test, seeds, epoch0, counts, maps_in):  # type: ignore[no-untyped-def]
        t = self.training
        n_p, n_s = self.n_params, len(t.slot_names)
        params = list(flat[:n_p])
        slots = [list(flat[n_p + s * n_p : n_p + (s + 1) * n_p]) for s in range(n_s)]
        iterations, lr = flat[-2], flat[-1]
        size = t.batch_size
        full, remainder = t.n_train // size, t.n_train % size
        longest = tf.reduce_max(counts)
        logs = tf.TensorArray(tf.float32, size=K_MAX, element_shape=[self.capacity, len(self.log_names)])

        def train_batch(xb, yb, state, active):  # type: ignore[no-untyped-def]
            params, slots, iterations, loss_sum, acc_sum = state
            with tf.GradientTape() as tape:
                tape.watch(params)
                loss, out = self._loss(params, aux, xb, yb)
                total = tf.reduce_sum(loss)
            grads = tape.gradient(total, params)
            new_params, new_slots = [], [[None] * n_p for _ in range(n_s)]
            for p in range(n_p):
                v, s = self._update(params[p], grads[p], [slots[k][p] for k in range(n_s)], lr, iterations)
                keep = _bcast(active, v)
                new_params.append(tf.where(keep, v, params[p]))
                for k in range(n_s):
                    new_slots[k][p] = tf.where(keep, s[k], slots[k][p])
            n = tf.cast(tf.shape(xb)[1], tf.float32)
            loss_sum = loss_sum + loss * n
            if t.accuracy:
                acc_sum = acc_sum + self._accuracy(yb, out)
            iterations = iterations + tf.cast(active, tf.int64)
            return [new_params, new_slots, iterations, loss_sum, acc_sum]

        def one_epoch(e, params, slots, iterations, logs):  # type: ignore[no-untyped-def]
            active = e < counts
            xs, ys = x, y
            if t.shuffle:
                order = shuffle_orders(t.n_train, seeds, epoch0 + e)
                xs, ys = tf.gather(x, order, batch_dims=1), tf.gather(y, order, batch_dims=1)
            zeros = tf.zeros([self.capacity], tf.float32)
            state = [params, slots, iterations, zeros, zeros]

            def body(i, *state):  # type: ignore[no-untyped-def]
                start = i * size
                xb = tf.slice(xs, _begin(xs, start), _size(xs, size))
                yb = tf.slice(ys, _begin(ys, start), _size(ys, size))
                return [i + 1, *train_batch(xb, yb, list(state), active)]

            packed = [params, slots, iterations, zeros, zeros]
            result = tf.while_loop(lambda i, *s: i < full, body, [tf.constant(0), *packed])
            state = list(result[1:])
            if remainder:
                start = full * size
                state = train_batch(xs[:, start:], ys[:, start:], state, active)
            params, slots, iterations, loss_sum, acc_sum = state
            seen = tf.cast(t.n_train, tf.float32)
            row = {"loss": tf.math.divide_no_nan(loss_sum, seen)}
            if t.accuracy:
                row["accuracy"] = tf.math.divide_no_nan(acc_sum, seen)
            if t.n_test:
                val_loss, out = self._loss(params, aux, x_test, y_test)
                n_test = tf.cast(t.n_test, tf.float32)
                row["val_loss"] = tf.math.divide_no_nan(val_loss * n_test, n_test)  # as Keras's Mean tracker
                if t.accuracy:
                    row["val_accuracy"] = tf.math.divide_no_nan(
                        self._accuracy(y_test, out), tf.cast(t.n_test, tf.float32)
                    )
            logs = logs.write(e, tf.stack([row[name] for name in self.log_names], axis=1))
            return e + 1, params, slots, iterations, logs

        _, params, slots, iterations, logs = tf.while_loop(
            lambda e, *_: e < longest, one_epoch, [tf.constant(0), params, slots, iterations, logs]
        )
        flat_out = [*params, *(p for slot in slots for p in slot), iterations, lr]
        maps = self._evaluate_maps(params, aux, *maps_in) if maps_in else ()
        return logs.stack(), flat_out, maps

    def _evaluate_maps(self, params, aux, grid, neuron_grid):  # type: ignore[no-untyped-def]
        out, _ = self.forward(params, aux, grid)
        _, hidden = self.forward(params, aux, neuron_grid)
        return out, hidden

    # --- host side ----------------------------------------------------------------------
    def compile(self, example: "Batch") -> None:
        """Trace and compile with XLA for this capacity (running zero epochs changes nothing)."""
        args = example.args(np.zeros(self.capacity, np.int32), np.zeros(self.capacity, np.int32))
        self._concrete = self._train.get_concrete_function(*args)
        self._concrete(*args)
        # What a call costs besides its epochs (the frames' maps): training time per epoch is
        # measured net of it, so a costly grid does not shrink every call to one epoch.
        began = time.perf_counter()
        self._concrete(*args)
        self.fixed_seconds = time.perf_counter() - began

    @property
    def ready(self) -> bool:
        return self._concrete is not None

    def train(self, batch: "Batch", epoch0: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, Any]:
        """Train each run `counts[r]` epochs from `epoch0[r]`; logs [K, R, names] and the maps."""
        logs, flat, maps = self._concrete(*batch.args(epoch0, counts))
        n_p, n_s = self.n_params, len(self.training.slot_names)
        state = batch.state
        state.params = list(flat[:n_p])
        state.slots = [list(flat[n_p + s * n_p : n_p + (s + 1) * n_p]) for s in range(n_s)]
        state.iterations, state.lr = flat[-2], flat[-1]
        return logs.numpy()[: int(counts.max(initial=0))], maps


def _begin(t: tf.Tensor, start: tf.Tensor) -> tf.Tensor:
    return tf.concat([[0, start], tf.zeros([len(t.shape) - 2], tf.int32)], 0)


def _size(t: tf.Tensor, size: int) -> list[int]:
    return [t.shape[0], size, *t.shape[2:]]


@dataclass
class Batch:
    """Everything a call takes besides epochs and counts: state, data, constants."""

    state: Stacked
    x: Any
    y: Any
    x_test: Any
    y_test: Any
    seeds: Any
    grid: Any = None  # [R, grid², inputs] and [R, neuron_grid², inputs], or None for no maps
    neuron_grid: Any = None

    def args(self, epoch0: np.ndarray, counts: np.ndarray) -> tuple[Any, ...]:
        maps_in = (self.grid, self.neuron_grid) if self.grid is not None else ()
        return (
            self.state.flat(),
            self.state.aux,
            self.x,
            self.y,
            self.x_test,
            self.y_test,
            self.seeds,
            tf.constant(epoch0, tf.int32),
            tf.constant(counts, tf.int32),
            maps_in,
        )
