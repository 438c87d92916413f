"""A Program: one template Keras model and the compiled functions that train and draw it.

Every run whose spec has the same signature (architecture, loss, optimizer type and settings,
data shapes, batching) is trained by the same Program: the run keeps its state (weights,
optimizer slots, seed-generator states) as arrays, loads it into the template's variables,
runs a chunk of epochs, and saves it back. So a compiled function is traced once per
signature, not once per run, and thirty students with the same network share one compile.

Execution paths, in the order they become available:
  "graph": a plain `tf.function` (traced in well under a second), used while
  "xla":   the same function compiled with XLA (several times faster) is being compiled.
The two paths round differently in the last float bits, so a curve is reproducible to
within float rounding, not bit for bit, when a run crosses from one to the other.
"""

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from app.config import Settings
from app.datasets.registry import Data
from app.engine.builder import build_model, build_optimizer, graph_inputs, split_columns
from app.engine.compat import Plan, encode_labels, plan_labels
from app.engine.epochs import Batching, evaluate_logs, one_epoch
from app.engine.frames import FrameMaker, View
from app.engine.losses import build_loss
from app.engine.tf_setup import keras, tf
from app.schemas.runs import RunCreate

K_MAX = 256  # epochs in one call at most
Stage = Literal["built", "graph", "xla"]


@dataclass
class RunState:
    """Everything that changes while a run trains, as arrays in the template's variable order."""

    variables: list[np.ndarray | tf.Tensor]
    optimizer: list[np.ndarray | tf.Tensor]
    learning_rate_index: int | None = None
    version: int = 0  # bumped whenever the arrays change, so a program knows what it holds

    def set_learning_rate(self, value: float) -> None:
        assert self.learning_rate_index is not None
        self.optimizer = list(self.optimizer)
        self.optimizer[self.learning_rate_index] = np.asarray(value, dtype=np.float32)
        self.version += 1


def last_activation(model: keras.Model) -> str | None:
    """The activation nearest the output: the output layer's, or (through layers without one, such as
    Dropout) the one before it."""
    layer = model.outputs[0]._keras_history.operation
    while layer is not None:
        activation = getattr(layer, "activation", None)
        if activation is not None:
            return keras.activations.serialize(activation) if not isinstance(activation, str) else activation
        parents = [t._keras_history.operation for t in keras.tree.flatten(layer._inbound_nodes[0].input_tensors)]
        layer = parents[0] if len(parents) == 1 and not isinstance(parents[0], keras.layers.InputLayer) else None
    return None


def _derived_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0] % (2**31 - 1))


class Program:
    def __init__(self, spec: RunCreate, data: Data, settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self.input_shape = data.input_shape
        self.features = data.feature_names
        # The data's columns each model input takes ([None]: one input takes the rows as they are).
        self.columns = [cols for _, cols in graph_inputs(spec.model, data.input_shape, data.feature_names)]
        model = build_model(spec.model, data.input_shape, 0, settings, data.feature_names)
        self.plan: Plan = plan_labels(
            spec.compile.loss_name,
            tuple(model.outputs[0].shape),
            last_activation(model),
            data,
            list(spec.compile.metrics),
            spec.model.output_step.where,
            from_logits=spec.compile.from_logits,
        )
        model.compile(
            loss=build_loss(spec.compile),
            optimizer=build_optimizer(spec.compile.optimizer),
            metrics=list(spec.compile.metrics),
        )
        self.model = model
        self.batching = Batching(
            n=len(data.x_train),
            batch_size=min(spec.fit.batch_size, len(data.x_train)),
            shuffle=spec.fit.shuffle,
            has_test=len(data.x_test) > 0,
        )
        self._build_state(data)
        self.frames = FrameMaker(
            model,
            data,
            spec.stream.grid_size,
            spec.stream.neuron_grid_size,
            settings.max_streamed_weights,
            self.columns,
            graph=spec.model.is_graph,
        )
        self.stage: Stage = "built"
        self._loaded: tuple[int, int] | None = None  # (id, version) of the state the variables hold
        self._maps: tuple[int, int, Any] | None = None  # the last training call's frame maps
        self._graph = tf.function(self._epochs, reduce_retracing=True)
        self._xla = tf.function(self._epochs, jit_compile=True, reduce_retracing=True)
        self._test = tf.function(lambda xt, yt: evaluate_logs(self.model, xt, yt), reduce_retracing=True)

    def _build_state(self, data: Data) -> None:
        """Create optimizer and metric variables now, outside any traced loop."""
        model = self.model
        model.optimizer.build(model.trainable_variables)
        x = self.split(tf.constant(data.x_train[:1]))
        y = tf.constant(encode_labels(data.y_train[:1], self.plan.encoding, data.info.n_classes))
        model.compute_metrics(x, y, model(x, training=False))
        model.reset_metrics()
        self.log_names = sorted(model.get_metrics_result())
        if self.batching.has_test:
            self.log_names += [f"val_{k}" for k in self.log_names]
        self.optimizer_initial = [np.array(v.numpy()) for v in model.optimizer.variables]
        self.variables_initial = [np.array(v.numpy()) for v in model.variables]
        lr = model.optimizer._learning_rate  # a Variable when the rate is a number, else a schedule
        paths = [v.path for v in model.optimizer.variables]
        self.learning_rate_index = paths.index(lr.path) if isinstance(lr, keras.Variable) and lr.path in paths else None

    def split(self, x: Any) -> Any:
        """Rows of features as the model takes them: as they are, or a list with each input's columns."""
        return split_columns(x, self.columns)

    def inputs_for(self, data: Data) -> tuple[Any, ...]:
        """A run's data as the compiled functions take it: x, y, x_test, y_test (x a list of tensors,
        one per input, for a graph with several inputs)."""
        k = data.info.n_classes
        return (
            self.split(tf.constant(data.x_train)),
            tf.constant(encode_labels(data.y_train, self.plan.encoding, k)),
            self.split(tf.constant(data.x_test)),
            tf.constant(encode_labels(data.y_test, self.plan.encoding, k)),
        )

    # --- state ---------------------------------------------------------------------------
    def initial_state(self, seed: int) -> RunState:
        """Fresh weights for a run: each variable's own Keras initializer, seeded from the run seed."""
        values = []
        for index, variable in enumerate(self.model.variables):
            owner = self._owner(variable)
            derived = _derived_seed(seed, index)
            if variable.path.endswith("seed_generator_state"):
                values.append(np.array([derived, 0], dtype=variable.dtype))
                continue
            initializer = getattr(owner, f"{variable.name}_initializer", None) if owner else None
            if initializer is None:
                values.append(self.variables_initial[index].copy())
                continue
            config = keras.initializers.serialize(initializer)
            if "seed" in config.get("config", {}):
                config["config"]["seed"] = derived
            fresh = keras.initializers.deserialize(config)
            values.append(np.asarray(fresh(tuple(variable.shape), dtype=variable.dtype)))
        optimizer = [v.copy() for v in self.optimizer_initial]
        state = RunState(values, optimizer, self.learning_rate_index)
        if isinstance(self.spec.compile.optimizer.learning_rate, float):
            state.set_learning_rate(self.spec.compile.optimizer.learning_rate)
        return state

    def state_from_weights(self, seed: int, layer_weights: list[list[np.ndarray]]) -> RunState:
        """A run's first state holding given weights (an imported model's), layer by layer."""
        state = self.initial_state(seed)
        index = {id(v): i for i, v in enumerate(self.model.variables)}
        graph = self.spec.model.graph
        layers = [self.model.get_layer(n.name) for n in graph.nodes] if graph is not None else self.model.layers
        for layer, weights in zip(layers, layer_weights, strict=True):
            if len(layer.weights) != len(weights):
                raise ValueError(f"layer {layer.name} has {len(layer.weights)} weights, the file {len(weights)}")
            for variable, value in zip(layer.weights, weights, strict=True):
                if tuple(variable.shape) != value.shape:
                    raise ValueError(f"{variable.path} has shape {tuple(variable.shape)}, the file {value.shape}")
                state.variables[index[id(variable)]] = value.astype(variable.dtype)
        return state

    def _owner(self, variable: keras.Variable) -> keras.layers.Layer | None:
        for layer in self.model.layers:
            if any(w is variable for w in layer.weights):
                return layer
        return None

    def load(self, state: RunState) -> None:
        """Put a run's state into the template's variables (skipped when it is already there)."""
        if self._loaded == (id(state), state.version):
            return
        for variable, value in zip(self.model.variables, state.variables, strict=True):
            variable.assign(value)
        for variable, value in zip(self.model.optimizer.variables, state.optimizer, strict=True):
            variable.assign(value)
        self._loaded = (id(state), state.version)

    def to_keras(self, state: RunState) -> keras.Model:
        """A standalone compiled Keras model holding a run's weights and optimizer state."""
        model = build_model(self.spec.model, self.input_shape, 0, self.settings, self.features)
        model.compile(
            loss=build_loss(self.spec.compile),
            optimizer=build_optimizer(self.spec.compile.optimizer),
            metrics=list(self.spec.compile.metrics),
        )
        model.optimizer.build(model.trainable_variables)
        for variable, value in zip(model.variables, state.variables, strict=True):
            variable.assign(value)
        for variable, value in zip(model.optimizer.variables, state.optimizer, strict=True):
            variable.assign(value)
        return model

    # --- compiled work -------------------------------------------------------------------
    def _epochs(self, variables, optimizer, x, y, x_test, y_test, seed, epoch0, count):  # type: ignore[no-untyped-def]
        """Load a run's state, train `count` epochs, return the logs and the new state: one call.

        With count 0 (used to compile) it touches no variable, so it can run while the program
        trains another run."""

        def load() -> tf.Tensor:
            for variable, value in zip(self.model.variables, variables, strict=True):
                variable.assign(value)
            for variable, value in zip(self.model.optimizer.variables, optimizer, strict=True):
                variable.assign(value)
            return tf.constant(True)

        tf.cond(count > 0, load, lambda: tf.constant(False))
        logs = tf.TensorArray(tf.float32, size=K_MAX, element_shape=[len(self.log_names)])

        def body(i: tf.Tensor, logs: tf.TensorArray) -> tuple[tf.Tensor, tf.TensorArray]:
            result = one_epoch(self.model, self.batching, x, y, x_test, y_test, seed, epoch0 + i)
            row = tf.stack([tf.cast(result[name], tf.float32) for name in self.log_names])
            return i + 1, logs.write(i, row)

        _, logs = tf.while_loop(lambda i, _: i < count, body, [tf.constant(0), logs])
        # The frame's grid and neuron maps come out of the same call: one call per turn.
        maps = self.frames.evaluate() if self.frames.plane else (tf.zeros([0]), [])
        return (
            logs.stack(),
            [tf.identity(v.value) for v in self.model.variables],
            [tf.identity(v.value) for v in self.model.optimizer.variables],
            maps,
        )

    def _args(
        self, state: RunState, inputs: tuple[tf.Tensor, ...], seed: int, epoch0: int, count: int
    ) -> tuple[Any, ...]:
        return (state.variables, state.optimizer, *inputs, tf.constant(seed), tf.constant(epoch0), tf.constant(count))

    def compile_graph(self, inputs: tuple[tf.Tensor, ...]) -> None:
        """Trace the plain graph (running zero epochs changes nothing)."""
        args = self._args(self.initial_state(0), inputs, 0, 0, 0)
        concrete = self._graph.get_concrete_function(*args)
        concrete(*args)
        self.frames.warm()
        if self.stage == "built":
            self._concrete = concrete  # calling the concrete function skips argument matching
            self.stage = "graph"

    def compile_xla(self, inputs: tuple[tf.Tensor, ...]) -> None:
        args = self._args(self.initial_state(0), inputs, 0, 0, 0)
        concrete = self._xla.get_concrete_function(*args)
        concrete(*args)
        self.frames.compile()
        self._concrete = concrete
        self.stage = "xla"

    def train(
        self, state: RunState, inputs: tuple[tf.Tensor, ...], seed: int, epoch0: int, count: int
    ) -> list[dict[str, float]]:
        """`count` epochs of this run (the caller has acquired this program); Keras's logs per epoch."""
        logs, variables, optimizer, maps = self._concrete(*self._args(state, inputs, seed, epoch0, count))
        state.variables, state.optimizer = variables, optimizer  # kept as tensors: no copies
        state.version += 1
        self._loaded = (id(state), state.version)
        self._maps = (id(state), state.version, maps)
        # Keras computes in float32: keep the shortest decimal that is the same float32,
        # so histories and frames carry "0.6931472", not "0.6931471824645996".
        rows = logs.numpy()[:count].astype(np.float32).astype(str).astype(np.float64).tolist()
        return [dict(zip(self.log_names, row, strict=True)) for row in rows]

    def frame_view(self, state: RunState) -> View:
        """What a frame shows of the model at `state` (arrays: the stream's protocol encodes them)."""
        if self._maps is not None and self._maps[:2] == (id(state), state.version):
            return self.frames.view(state.variables, self._maps[2])  # made by the training call
        self.load(state)
        return self.frames.view(state.variables)

    def predict(self, state: RunState, x: np.ndarray) -> np.ndarray:
        self.load(state)
        return np.asarray(self.model(self.split(x), training=False))

    def evaluate(self, state: RunState, x_test: tf.Tensor, y_test: tf.Tensor) -> dict[str, float]:
        self.load(state)
        return {k: float(v) for k, v in self._test(x_test, y_test).items()}
