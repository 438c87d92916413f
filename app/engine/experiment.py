"""A run spec made real: the data loaded, the Keras model built and compiled, ready to train."""

from dataclasses import dataclass

import numpy as np

from app.config import Settings
from app.datasets import registry
from app.datasets.registry import Data
from app.engine.builder import build_model, build_optimizer
from app.engine.compat import Plan, encode_labels, plan_labels
from app.engine.frames import FrameMaker
from app.engine.tf_setup import keras
from app.engine.trainer import Trainer
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
    for field, value, limit in checks:
        if value > limit:
            raise SpecError(field, f"{value} is more than the limit of {limit}")


def load_data(ref: DatasetRef, default_seed: int) -> Data:
    return registry.load(
        ref.name,
        n_samples=ref.n_samples,
        noise=ref.noise,
        train_ratio=ref.train_ratio,
        seed=default_seed if ref.seed is None else ref.seed,
        features=list(ref.features) if ref.features else None,
    )


def last_activation(model: keras.Model) -> str | None:
    for layer in reversed(model.layers):
        activation = getattr(layer, "activation", None)
        if activation is not None:
            return keras.activations.serialize(activation) if not isinstance(activation, str) else activation
    return None


@dataclass
class Experiment:
    spec: RunCreate
    data: Data
    model: keras.Model
    plan: Plan
    trainer: Trainer
    frames: FrameMaker

    @classmethod
    def create(cls, spec: RunCreate, settings: Settings) -> "Experiment":
        check_limits(spec, settings)
        data = load_data(spec.dataset, spec.seed)
        model = build_model(spec.model, data.input_shape, spec.seed, settings)
        output_shape = tuple(model.outputs[0].shape)
        plan = plan_labels(
            spec.compile.loss,
            output_shape,
            last_activation(model),
            data,
            list(spec.compile.metrics),
            len(spec.model.layers),
        )
        model.compile(
            loss=spec.compile.loss,
            optimizer=build_optimizer(spec.compile.optimizer),
            metrics=list(spec.compile.metrics),
        )
        k = data.info.n_classes
        trainer = Trainer(
            model,
            data.x_train,
            encode_labels(data.y_train, plan.encoding, k),
            data.x_test,
            encode_labels(data.y_test, plan.encoding, k),
            batch_size=spec.fit.batch_size,
            shuffle=spec.fit.shuffle,
            seed=spec.seed,
        )
        frames = FrameMaker(
            model, data, spec.stream.grid_size, spec.stream.neuron_grid_size, settings.max_streamed_weights
        )
        return cls(spec, data, model, plan, trainer, frames)

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        return np.asarray(self.model(inputs, training=False))
