"""What one websocket frame shows of a model: its output over the input plane, each hidden
unit's output on a coarser grid, and the weights — as arrays (`View`); the stream's protocol
(app/runs/protocol.py, README "Frame encoding") writes them as JSON text or a binary message.

A map holds one byte per value, row-major, row 0 at the top (x2 = +6) and column 0 at the left
(x1 = -6); value = lo + byte / 255 · (hi - lo).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from app.datasets.features import transform
from app.datasets.registry import PLANE_RANGE, Data
from app.engine.builder import split_columns
from app.engine.tf_setup import keras, tf

_UNIT_LAYERS = ("Dense",)


def plane_points(size: int) -> np.ndarray:
    """Grid centres (size², 2) over the plane, row 0 at the top."""
    lo, hi = PLANE_RANGE
    step = (hi - lo) / size
    xs = lo + step * (np.arange(size) + 0.5)
    x1, x2 = np.meshgrid(xs, xs[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


@dataclass(frozen=True)
class Map:
    """Values over a grid quantised to one byte each: value = lo + byte / 255 · (hi − lo)."""

    shape: tuple[int, ...]  # (channels, rows, cols)
    lo: float
    hi: float
    data: np.ndarray  # uint8, row-major, row 0 at the top (x2 = +6), column 0 at the left
    layer: str | None = None  # a hidden layer's unit maps: that Dense layer
    units: int | None = None


@dataclass(frozen=True)
class Weights:
    """One Dense layer's kernel and bias as the model holds them now."""

    layer: str
    kernel: np.ndarray
    bias: np.ndarray | None


@dataclass(frozen=True)
class View:
    """What a frame shows of the model: arrays only (app/runs/protocol.py encodes them)."""

    grid: Map | None  # the output over the plane (None where the data are not a plane)
    neurons: list[Map]  # each hidden Dense layer's units over the plane
    weights: list[Weights]  # every Dense layer's (empty for models too large to draw)


NO_VIEW = View(None, [], [])


def quantize(
    values: np.ndarray, lo: float | None = None, hi: float | None = None, layer: str | None = None
) -> Map:
    """(channels, rows, cols) floats to bytes between lo and hi (their range when not given);
    anything not finite clamps (NaN to lo)."""
    finite = values[np.isfinite(values)]
    lo = float(finite.min()) if lo is None and finite.size else (0.0 if lo is None else lo)
    hi = float(finite.max()) if hi is None and finite.size else (1.0 if hi is None else hi)
    span = hi - lo if hi > lo else 1.0
    scaled = np.nan_to_num((values - lo) / span, nan=0.0, posinf=1.0, neginf=0.0)
    data = np.clip(np.rint(scaled * 255), 0, 255).astype(np.uint8)
    units = values.shape[0] if layer is not None else None
    return Map(tuple(values.shape), lo, hi, data, layer, units)


def unit_layers(model: keras.Model, graph: bool = False) -> list[tuple[keras.layers.Layer, keras.layers.Layer]]:
    """Each hidden Dense layer with the last layer before the next Dense: its units' outputs.
    In a graph, each Dense node but the output, its own output (what its units give the nodes after)."""
    layers = model.layers
    if graph:
        output = model.outputs[0]._keras_history.operation
        return [(layer, layer) for layer in layers if type(layer).__name__ in _UNIT_LAYERS and layer is not output]
    dense = [i for i, layer in enumerate(layers) if type(layer).__name__ in _UNIT_LAYERS]
    groups = []
    for a, b in zip(dense, dense[1:], strict=False):
        groups.append((layers[a], layers[b - 1]))
    return groups


class FrameMaker:
    """Evaluates a model for frames; a plane data set gets an output grid and neuron maps."""

    def __init__(
        self,
        model: keras.Model,
        data: Data,
        grid_size: int,
        neuron_grid_size: int,
        max_weights: int,
        columns: list[list[int] | None] | None = None,
        graph: bool = False,
    ) -> None:
        self.model = model
        self.classification = data.info.task == "classification"
        self.plane = data.info.kind == "plane" and len(data.input_shape) == 1
        self.groups = unit_layers(model, graph)
        self.columns = columns or [None]
        self.send_weights = model.count_params() <= max_weights
        # Where each Dense layer's kernel and bias sit in model.variables.
        index = {id(v): i for i, v in enumerate(model.variables)}
        self.dense = [
            (layer.name, index[id(layer.kernel)], index[id(layer.bias)] if layer.bias is not None else None)
            for layer in model.layers
            if type(layer).__name__ in _UNIT_LAYERS
        ]
        self._fn = self._evaluate
        if self.plane:
            self.grid_size, self.neuron_size = grid_size, neuron_grid_size
            self.grid_inputs = tf.constant(transform(plane_points(grid_size), data.feature_names))
            self.neuron_inputs = tf.constant(transform(plane_points(neuron_grid_size), data.feature_names))
            outputs = [last.output for _, last in self.groups]
            inputs = model.inputs if len(model.inputs) > 1 else model.inputs[0]
            self._neurons = keras.Model(inputs, outputs) if outputs else None

    def _evaluate(self, grid: tf.Tensor, neuron_grid: tf.Tensor) -> tuple[tf.Tensor, list[tf.Tensor]]:
        out = self.model(split_columns(grid, self.columns), training=False)
        if self._neurons is None:
            return out, []
        maps = self._neurons(split_columns(neuron_grid, self.columns), training=False)
        return out, list(maps) if isinstance(maps, list | tuple) else [maps]

    def warm(self) -> None:
        """Trace the evaluation as a graph."""
        if self.plane:
            graph = tf.function(self._evaluate).get_concrete_function(self.grid_inputs, self.neuron_inputs)
            graph(self.grid_inputs, self.neuron_inputs)
            self._fn = graph

    def compile(self) -> None:
        """Compile the evaluation with XLA."""
        if self.plane:
            xla = tf.function(self._evaluate, jit_compile=True).get_concrete_function(
                self.grid_inputs, self.neuron_inputs
            )
            xla(self.grid_inputs, self.neuron_inputs)
            self._fn = xla

    def evaluate(self) -> tuple[tf.Tensor, list[tf.Tensor]]:
        """The output grid and neuron maps as tensors (traceable: the training call adds it)."""
        return self._evaluate(self.grid_inputs, self.neuron_inputs)

    def _maps(self, evaluated: tuple[Any, list[Any]] | None) -> tuple[Map | None, list[Map]]:
        if not self.plane:
            return None, []
        out, neuron_outs = evaluated if evaluated is not None else self._fn(self.grid_inputs, self.neuron_inputs)
        grid = grid_map(np.asarray(out), self.grid_size, self.classification)
        names = [first.name for first, _ in self.groups]
        return grid, neuron_maps(names, [np.asarray(v) for v in neuron_outs], self.neuron_size)

    def _weights(self, variables: list[Any]) -> list[Weights]:
        if not self.send_weights:
            return []
        return [
            Weights(name, np.asarray(variables[k]), np.asarray(variables[b]) if b is not None else None)
            for name, k, b in self.dense
        ]

    def view(self, variables: list[Any], evaluated: tuple[Any, list[Any]] | None = None) -> View:
        """What the frame shows of the model now.

        `evaluated` is the grid and neuron maps when the caller has them (from the training
        call); otherwise the model's variables must hold `variables` and they are computed."""
        grid, neurons = self._maps(evaluated)
        return View(grid, neurons, self._weights(variables))


def grid_map(out: np.ndarray, size: int, classification: bool) -> Map:
    """The output over the plane, (size², channels) values → one map of `channels` channels."""
    maps = out.T.reshape(out.shape[1], size, size)
    if classification:
        return quantize(maps, min(0.0, float(out.min())), max(1.0, float(out.max())))
    return quantize(maps)


def neuron_maps(names: list[str], outputs: list[np.ndarray], size: int) -> list[Map]:
    """Each hidden layer's units over the plane, (size², units) values per layer."""
    return [
        quantize(values.T.reshape(-1, size, size), layer=name) for name, values in zip(names, outputs, strict=True)
    ]


def _quantized(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Many runs' maps [R, ...] to bytes at once, each between its own lo and hi."""
    shape = (-1,) + (1,) * (values.ndim - 1)
    span = np.where(hi > lo, hi - lo, 1.0).reshape(shape)
    return np.clip(np.rint((values - lo.reshape(shape)) / span * 255), 0, 255).astype(np.uint8)


def group_views(
    out: np.ndarray | None,
    hidden: list[np.ndarray],
    names: list[str],
    kernels: list[np.ndarray],
    biases: list[np.ndarray],
    grid_size: int,
    neuron_size: int,
    classification: bool,
    with_weights: bool,
) -> list[View]:
    """Frames' views of many runs of one network at once (a stack group's), as `FrameMaker.view`
    makes them: `out` [R, grid², outputs], `hidden` [R, neuron_grid², units] per hidden layer,
    `kernels` / `biases` [R, …] per Dense layer."""
    runs = len(kernels[0])
    grids: list[Map | None] = [None] * runs
    neurons: list[list[Map]] = [[] for _ in range(runs)]
    finite = out is None or (np.isfinite(out).all() and all(np.isfinite(h).all() for h in hidden))
    if out is not None and not finite:  # a diverging run: the careful quantiser, run by run
        for r in range(runs):
            grids[r] = grid_map(out[r], grid_size, classification)
            neurons[r] = neuron_maps(names[: len(hidden)], [h[r] for h in hidden], neuron_size)
    elif out is not None:
        channels = out.shape[2]
        maps = out.transpose(0, 2, 1).reshape(runs, channels, grid_size, grid_size)
        lo, hi = maps.min(axis=(1, 2, 3)).astype(np.float64), maps.max(axis=(1, 2, 3)).astype(np.float64)
        if classification:
            lo, hi = np.minimum(lo, 0.0), np.maximum(hi, 1.0)
        quantized = _quantized(maps, lo, hi)
        shape = (channels, grid_size, grid_size)
        grids = [Map(shape, float(lo[r]), float(hi[r]), quantized[r]) for r in range(runs)]
        for name, values in zip(names, hidden, strict=False):
            units = values.shape[2]
            unit_maps = values.transpose(0, 2, 1).reshape(runs, units, neuron_size, neuron_size)
            n_lo = unit_maps.min(axis=(1, 2, 3)).astype(np.float64)
            n_hi = unit_maps.max(axis=(1, 2, 3)).astype(np.float64)
            q = _quantized(unit_maps, n_lo, n_hi)
            unit_shape = (units, neuron_size, neuron_size)
            for r in range(runs):
                neurons[r].append(Map(unit_shape, float(n_lo[r]), float(n_hi[r]), q[r], name, units))
    weights: list[list[Weights]] = [[] for _ in range(runs)]
    if with_weights:
        for r in range(runs):
            weights[r] = [Weights(n, k[r], b[r]) for n, k, b in zip(names, kernels, biases, strict=True)]
    return [View(grids[r], neurons[r], weights[r]) for r in range(runs)]
