"""A scikit-learn baseline for a run: MLPClassifier or MLPRegressor with the run's hidden layers,
trained on the run's own training split and scored next to the Keras model on the same rows."""

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from app.datasets.registry import Data
from app.engine import report
from app.engine.experiment import Experiment, predict
from app.engine.programs import Programs
from app.errors import Conflict
from app.schemas.optimizers import PiecewiseConstantDecay, ScheduleSpec
from app.schemas.runs import RunCreate

# Epochs scikit-learn trains at most (the run's epochs, capped): a baseline answers within seconds.
MAX_ITER = 1000
# What a student may ask for instead, as the course's notes run it (max_iter up to 10,000).
MAX_ITER_CHOSEN = 10_000
SOLVERS = ("lbfgs", "adam", "sgd")
# Keras activation → scikit-learn's name; any other becomes relu, with a note.
ACTIVATIONS = {"linear": "identity", "relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}
# Layers scikit-learn's MLP has no counterpart for but that do not change what the network computes
# at prediction time: left out, with a note.
LEFT_OUT = {"Dropout", "GaussianNoise", "BatchNormalization", "LayerNormalization"}
CROSS_ENTROPY = {"binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"}


class Notes(list[dict[str, Any]]):
    """What could not be carried over: each note a code and its values (for the page's languages) and a message."""

    def add(self, code: str, message: str, field: str = "", **values: Any) -> None:
        self.append({"code": code, "field": field, "message": f"{field}: {message}" if field else message, **values})


@dataclass(frozen=True)
class Choices:
    """scikit-learn's own settings a student picks, as the notes run it; None keeps what mirrors the run."""

    solver: str | None = None  # lbfgs, adam or sgd
    alpha: float | None = None  # L2 penalty
    max_iter: int | None = None  # up to MAX_ITER_CHOSEN


@dataclass
class Mirror:
    """The scikit-learn estimator that stands for a run's model, and what could not be carried over."""

    estimator: str
    params: dict[str, Any]
    notes: Notes = field(default_factory=Notes)


def _dense_stack(spec: RunCreate, input_rank: int, notes: Notes) -> list[tuple[int, str]]:
    """(units, activation) of every Dense layer, with Activation layers folded into the Dense before them."""
    dense: list[tuple[int, str]] = []
    flat = input_rank == 1
    if spec.model.chain is None:
        params = {"what": "scikit-learn's MLP", "reason": "it is a plain stack of layers, without branches or merges"}
        raise Conflict("model.graph", code="graph_refused", params=params)
    for i, layer in enumerate(spec.model.chain):
        kind = layer.type
        if kind == "Dense":
            if not flat:
                raise Conflict(f"model.layers[{i}]", code="baseline_needs_flatten")
            dense.append((layer.units, layer.activation))  # type: ignore[attr-defined]
            if layer.kernel_regularizer or layer.bias_regularizer:  # type: ignore[attr-defined]
                notes.add(
                    "regularizer",
                    "weight regularization is not carried over (alpha is scikit-learn's own)",
                    f"model.layers[{i}]",
                )
        elif kind == "Flatten":
            flat = True
        elif kind == "Activation":
            activation = layer.activation  # type: ignore[attr-defined]
            if dense and dense[-1][1] == "linear":
                dense[-1] = (dense[-1][0], activation)
            else:
                notes.add(
                    "activation_layer",
                    "an Activation layer here has no place in an MLP; left out",
                    f"model.layers[{i}]",
                )
        elif kind in LEFT_OUT:
            notes.add("left_out", f"scikit-learn's MLP has no {kind}; left out", f"model.layers[{i}]", layer=kind)
        else:
            raise Conflict(f"model.layers[{i}]", code="baseline_layer", params={"layer": kind})
    if not dense:
        raise Conflict("model.layers", code="baseline_no_dense")
    return dense


def _initial_rate(spec: RunCreate, notes: Notes) -> float:
    rate = spec.compile.optimizer.learning_rate
    if isinstance(rate, ScheduleSpec):
        start = rate.values[0] if isinstance(rate, PiecewiseConstantDecay) else rate.initial_learning_rate  # type: ignore[attr-defined]
        message = f"scikit-learn keeps the learning rate constant: used the schedule's first rate {start:g}"
        notes.add("schedule", message, "compile.optimizer.learning_rate", rate=start)
        return float(start)
    return float(rate)


def _solver(spec: RunCreate, notes: Notes, chosen: str | None = None) -> dict[str, Any]:
    optimizer = spec.compile.optimizer
    if chosen == "lbfgs":  # full-batch quasi-Newton: no learning rate, no batches
        return {"solver": "lbfgs"}
    rate = {"learning_rate_init": _initial_rate(spec, notes)}
    if chosen is not None and chosen != {"SGD": "sgd", "Adam": "adam"}.get(optimizer.type):
        return {"solver": chosen, **rate}
    if optimizer.type == "SGD":
        momentum = optimizer.momentum  # type: ignore[attr-defined]
        return {"solver": "sgd", **rate, "momentum": momentum, "nesterovs_momentum": optimizer.nesterov}  # type: ignore[attr-defined]
    if optimizer.type == "Adam":
        betas = {"beta_1": optimizer.beta_1, "beta_2": optimizer.beta_2, "epsilon": optimizer.epsilon}  # type: ignore[attr-defined]
        return {"solver": "adam", **rate, **betas}
    notes.add(
        "optimizer",
        f"scikit-learn has only SGD and Adam: used Adam for {optimizer.type}",
        "compile.optimizer",
        optimizer=optimizer.type,
    )
    return {"solver": "adam", **rate}


def mirror(spec: RunCreate, data: Data, choices: Choices = Choices()) -> Mirror:
    """The estimator and its parameters; Conflict names the layer that has no counterpart."""
    notes = Notes()
    dense = _dense_stack(spec, len(data.input_shape), notes)
    hidden, (_, output_activation) = dense[:-1], dense[-1]
    activations = [a for _, a in hidden]
    activation = "identity"
    if activations:
        first = activations[0]
        activation = ACTIVATIONS.get(first, "relu")
        if first not in ACTIVATIONS:
            notes.add("activation", f"scikit-learn has no '{first}' activation: used relu", activation=first)
        if len(set(activations)) > 1:
            message = f"scikit-learn uses one activation for every hidden layer: used {activation} for all"
            notes.add("one_activation", message, activation=activation)
    classify = data.info.task == "classification"
    loss = spec.compile.loss_name
    if classify and loss not in CROSS_ENTROPY:
        notes.add("loss", f"scikit-learn's classifier trains with cross-entropy, not {loss}", "compile.loss", loss=loss)
    if not classify and loss not in ("mean_squared_error", "mse"):
        notes.add("loss", f"scikit-learn's regressor trains with squared error, not {loss}", "compile.loss", loss=loss)
    if not classify and output_activation != "linear":
        message = f"scikit-learn's regressor has a linear output, not {output_activation}"
        notes.add("output", message, "model.layers", activation=output_activation)
    epochs = spec.fit.epochs
    if epochs > MAX_ITER and choices.max_iter is None:
        notes.add(
            "capped",
            f"trained at most {MAX_ITER} epochs, not the run's {epochs}",
            "fit.epochs",
            max_iter=MAX_ITER,
            epochs=epochs,
        )
    params = {
        "hidden_layer_sizes": [units for units, _ in hidden],
        "activation": activation,
        **_solver(spec, notes, choices.solver),
        "alpha": 0.0 if choices.alpha is None else choices.alpha,
        "batch_size": min(spec.fit.batch_size, len(data.x_train)),
        "max_iter": min(epochs, MAX_ITER) if choices.max_iter is None else min(choices.max_iter, MAX_ITER_CHOSEN),
        "shuffle": spec.fit.shuffle,
        "random_state": spec.seed,
    }
    return Mirror("MLPClassifier" if classify else "MLPRegressor", params, notes)


def flat(rows: np.ndarray) -> np.ndarray:
    """Image rows as flat vectors, as scikit-learn takes them."""
    return rows.reshape(len(rows), -1)


def baseline(programs: Programs, experiment: Experiment, choices: Choices = Choices()) -> dict[str, Any]:
    """Train the mirror on the run's training split; both scores on the test split (else the training split)."""
    data = experiment.data
    mirrored = mirror(experiment.spec, data, choices)
    split = "test" if experiment.has_test else "train"
    x, y = (data.x_test, data.y_test) if split == "test" else (data.x_train, data.y_train)
    estimator = (MLPClassifier if mirrored.estimator == "MLPClassifier" else MLPRegressor)(**mirrored.params)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            estimator.fit(flat(data.x_train), data.y_train)
        except ValueError as exc:  # weights that became inf or NaN
            reason = {"reason": str(exc)}
            raise Conflict("compile.optimizer.learning_rate", code="baseline_diverged", params=reason) from exc
    seconds = time.perf_counter() - start
    notes = Notes(mirrored.notes)
    if estimator.n_iter_ < mirrored.params["max_iter"]:
        message = f"scikit-learn stopped after {estimator.n_iter_} epochs: its training loss stopped improving"
        notes.add("stopped", message, n_iter=int(estimator.n_iter_))
    keras_outputs = predict(programs, experiment, x)
    return {
        "model": mirrored.estimator,
        "hidden_layer_sizes": mirrored.params["hidden_layer_sizes"],
        "activation": mirrored.params["activation"],
        "params": mirrored.params,
        "notes": notes,
        "train_score": float(estimator.score(flat(data.x_train), data.y_train)),
        "test_score": float(estimator.score(flat(x), y)),
        "metric": report.headline_metric(data.info.task),
        "keras_test_score": report.headline(data.info.task, data.info.n_classes, y, keras_outputs),
        "split": split,
        "n_iter": int(estimator.n_iter_),
        "seconds": round(seconds, 3),
    }
