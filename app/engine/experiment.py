"""A run spec made real: its data loaded and encoded, its program found, its first state drawn."""

import threading
from dataclasses import dataclass, field

import numpy as np

from app.config import Settings
from app.datasets import registry
from app.datasets.registry import Data
from app.engine.program import RunState
from app.engine.programs import Pool, Programs
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


@dataclass
class Experiment:
    spec: RunCreate
    data: Data
    pool: Pool
    inputs: tuple[tf.Tensor, ...]
    _state: RunState | None = None
    _state_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(
        cls, spec: RunCreate, settings: Settings, programs: Programs, weights: list[list[np.ndarray]] | None = None
    ) -> "Experiment":
        """Load the data and find the program; `weights` (per layer) start it from given weights."""
        check_limits(spec, settings)
        data = load_data(spec.dataset, spec.seed)
        pool = programs.pool(spec, data)
        experiment = cls(spec, data, pool, pool.programs[0].inputs_for(data))
        if weights is not None:
            try:
                experiment._state = experiment._own_rate(pool.programs[0].state_from_weights(spec.seed, weights))
            except ValueError as exc:
                raise SpecError("file", code="weights_mismatch", params={"reason": str(exc)}) from exc
        return experiment

    @property
    def state(self) -> RunState:
        """The run's weights and optimizer state, drawn on first use (by a training worker,
        so that creating a run stays quick however busy the server is)."""
        if self._state is None:
            with self._state_lock:
                if self._state is None:
                    self._state = self._own_rate(self.pool.programs[0].initial_state(self.spec.seed))
        return self._state

    def _own_rate(self, state: RunState) -> RunState:
        """The run's own learning rate: a plain rate is not part of the signature, so the shared
        program's template may have been built with another run's rate."""
        rate = self.spec.compile.optimizer.learning_rate
        if isinstance(rate, float) and state.learning_rate_index is not None:
            state.set_learning_rate(rate)
        return state

    @property
    def plan(self):  # type: ignore[no-untyped-def]
        return self.pool.programs[0].plan

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
        return program.evaluate(exp.state, exp.inputs[2], exp.inputs[3])
    finally:
        programs.release(exp.pool, program)
