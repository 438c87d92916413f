"""A run spec made real: its data loaded and encoded, its program found, its first state drawn."""

import math
import threading
from dataclasses import dataclass, field, replace

import numpy as np

from app.config import Settings
from app.datasets import registry
from app.datasets.registry import Data
from app.engine.compat import Plan
from app.engine.program import RunState
from app.engine.programs import Pool, Programs
from app.engine.stacks import StackRun, stack_run
from app.engine.tf_setup import tf
from app.errors import SpecError
from app.schemas.runs import DatasetRef, RunCreate


def check_limits(spec: RunCreate, settings: Settings) -> None:
    """Configured limits that the schema's fixed bounds cannot know."""
    checks = [
        ("fit.epochs", spec.fit.epochs, settings.max_epochs),
        ("dataset.n_samples", spec.dataset.n_samples or 0, settings.max_samples),
        ("stream.grid_size", spec.stream.grid_size, settings.max_grid_size),
        ("stream.neuron_grid_size", spec.stream.neuron_grid_size, settings.max_neuron_grid_size),
        ("stream.max_fps", spec.stream.max_fps, settings.max_fps),
    ]
    for name, value, limit in checks:
        if value > limit:
            raise SpecError(name, code="limit_exceeded", params={"value": value, "limit": limit})


def load_data(ref: DatasetRef, default_seed: int) -> Data:
    return registry.load(
        ref.name,
        n_samples=ref.n_samples,
        noise=ref.noise,
        train_ratio=ref.train_ratio,
        seed=default_seed if ref.seed is None else ref.seed,
        features=list(ref.features) if ref.features else None,
        scaling=ref.scaling,
    )


def fit_split(data: Data, validation_split: float) -> Data:
    """The rows `fit` trains on and validates with: with a validation split, as Keras's
    `fit(validation_split=v)` takes them (the last rows of the training data, before any
    shuffling, validate), else the training and test splits."""
    if not validation_split:
        return data
    n = len(data.x_train)
    cut = int(math.floor(n * (1.0 - validation_split)))
    if cut == 0 or cut == n:
        raise SpecError(
            "fit.validation_split",
            code="validation_split_empty",
            params={"value": validation_split, "n": n, "part": "training" if cut == 0 else "validation"},
        )
    return replace(
        data,
        x_train=data.x_train[:cut],
        y_train=data.y_train[:cut],
        x_test=data.x_train[cut:],
        y_test=data.y_train[cut:],
    )


@dataclass
class Experiment:
    spec: RunCreate
    data: Data  # the data set: its test split is what evaluate, reports and baselines use
    programs: Programs
    # A Dense stack that stack groups can train: then the Keras template (the pool) is built
    # only when something needs it (a download, a prediction, the final frame), not to train.
    stack: StackRun | None = None
    _pool: Pool | None = None
    _inputs: tuple[tf.Tensor, ...] | None = None
    _state: RunState | None = None
    _state_lock: threading.Lock = field(default_factory=threading.Lock)
    _fit: Data | None = None  # the rows training uses, when they differ from `data`
    _test_inputs: tuple[tf.Tensor, tf.Tensor] | None = None

    @classmethod
    def create(
        cls,
        spec: RunCreate,
        settings: Settings,
        programs: Programs,
        weights: list[list[np.ndarray]] | None = None,
        stacks: bool = True,
        owner: str = "",
    ) -> "Experiment":
        """Load the data and find the program; `weights` (per layer) start it from given weights.
        `owner` (the student) is who waits when a new model is tried first (see Probe)."""
        check_limits(spec, settings)
        data = load_data(spec.dataset, spec.seed)
        fit = fit_split(data, spec.fit.validation_split)
        stack = stack_run(spec, fit, settings) if stacks and weights is None else None
        experiment = cls(spec, data, programs, stack, _fit=fit if fit is not data else None)
        if stack is None:
            experiment._pool = programs.pool(spec, fit, owner=owner)
        if weights is not None:
            try:
                imported = experiment.pool.programs[0].state_from_weights(spec.seed, weights)
                experiment._state = experiment._own_rate(imported)
            except ValueError as exc:
                raise SpecError("file", f"the weights do not fit the model: {exc}") from exc
        return experiment

    @property
    def pool(self) -> Pool:
        """The signature's Keras programs (built on first use for a stack run)."""
        if self._pool is None:
            with self._state_lock:
                if self._pool is None:
                    self._pool = self.programs.pool(self.spec, self.fit_data, trace=False)
        return self._pool

    @property
    def fit_data(self) -> Data:
        """The rows `fit` trains on (x_train) and validates with (x_test): the data set's splits,
        or with `fit.validation_split` the training rows cut as Keras cuts them."""
        return self._fit if self._fit is not None else self.data

    def train_pool(self) -> Pool:
        """The pool, traced for training on the per-run engine."""
        pool = self.pool
        self.programs.trace(pool, xla=self.stack is None)  # a stack run moves to its stack program
        return pool

    @property
    def inputs(self) -> tuple[tf.Tensor, ...]:
        """What training takes: x, y and the validation x, y (see fit_data)."""
        if self._inputs is None:
            self._inputs = self.pool.programs[0].inputs_for(self.fit_data)
        return self._inputs

    @property
    def test_inputs(self) -> tuple[tf.Tensor, tf.Tensor]:
        """The data set's test split, encoded as the program takes it (for evaluate)."""
        if self._fit is None:
            return self.inputs[2], self.inputs[3]
        if self._test_inputs is None:
            _, _, x_test, y_test = self.pool.programs[0].inputs_for(self.data)
            self._test_inputs = (x_test, y_test)
        return self._test_inputs

    @property
    def state(self) -> RunState:
        """The run's weights and optimizer state, drawn on first use (by a training worker,
        so that creating a run stays quick however busy the server is)."""
        if self._state is None:
            with self._state_lock:
                if self._state is None:
                    fresh = (
                        self.stack.initial_state(self.spec.seed)
                        if self.stack is not None
                        else self.pool.programs[0].initial_state(self.spec.seed)
                    )
                    self._state = self._own_rate(fresh)
        return self._state

    def _own_rate(self, state: RunState) -> RunState:
        """The run's own learning rate: a plain rate is not part of the signature, so the shared
        program's template may have been built with another run's rate."""
        rate = self.spec.compile.optimizer.learning_rate
        if isinstance(rate, float) and state.learning_rate_index is not None:
            state.set_learning_rate(rate)
        return state

    @property
    def plan(self) -> Plan:
        return self.stack.plan if self.stack is not None else self.pool.programs[0].plan

    @property
    def has_test(self) -> bool:
        return len(self.data.x_test) > 0


def predict(programs: Programs, exp: Experiment, inputs: np.ndarray) -> np.ndarray:
    """The run's model on some inputs, using a program of its pool."""
    program = programs.acquire_blocking(exp.pool)
    try:
        return program.predict(exp.state, inputs)
    finally:
        programs.release(exp.pool, program)


def evaluate(programs: Programs, exp: Experiment) -> dict[str, float]:
    """Loss and metrics on the test split, as `model.evaluate` reports them."""
    program = programs.acquire_blocking(exp.pool)
    try:
        return program.evaluate(exp.state, *exp.test_inputs)
    finally:
        programs.release(exp.pool, program)
