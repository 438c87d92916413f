"""The engine trains exactly what `model.fit` trains: Keras itself is the oracle."""

from pathlib import Path

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import Experiment
from app.engine.tf_setup import keras
from app.engine.trainer import Trainer
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec, dense


def _experiment(spec: dict) -> Experiment:
    return Experiment.create(RunCreate.model_validate(spec), Settings())


def _fit_twin(
    exp: Experiment, weights: list[np.ndarray], y_train: np.ndarray, y_test: np.ndarray, epochs: int, shuffle: bool
) -> dict[str, list[float]]:
    """The same model, weights, loss and optimizer, trained by plain model.fit."""
    twin = keras.models.clone_model(exp.model)
    twin.set_weights(weights)
    twin.compile(
        loss=exp.spec.compile.loss,
        optimizer=keras.optimizers.deserialize(keras.optimizers.serialize(exp.model.optimizer)),
        metrics=list(exp.spec.compile.metrics),
    )
    keras.utils.set_random_seed(0)
    history = twin.fit(
        exp.data.x_train,
        y_train,
        batch_size=exp.spec.fit.batch_size,
        epochs=epochs,
        shuffle=shuffle,
        validation_data=(exp.data.x_test, y_test),
        verbose=0,
    )
    return history.history


SPECS = {
    "playground-default": circle_spec(),
    "regularized-adam-batchnorm": {
        **circle_spec(),
        "model": {
            "layers": [
                dense(8, "relu", kernel_regularizer={"type": "L1L2", "l1": 0.001, "l2": 0.01}),
                {"type": "BatchNormalization"},
                dense(4, "elu"),
                dense(1, "sigmoid"),
            ]
        },
        "compile": {
            "loss": "binary_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.01},
            "metrics": ["accuracy"],
        },
    },
    "softmax-momentum": {
        "dataset": {"name": "blobs", "n_samples": 300},
        "model": {"layers": [dense(6), dense(3, "softmax")]},
        "compile": {
            "loss": "categorical_crossentropy",
            "optimizer": {"type": "SGD", "learning_rate": 0.05, "momentum": 0.9},
            "metrics": ["accuracy"],
        },
        "fit": {"batch_size": 16},
    },
}


@pytest.mark.parametrize("name", list(SPECS))
def test_same_curve_as_model_fit_without_shuffling(name: str) -> None:
    spec = {**SPECS[name], "fit": {**SPECS[name].get("fit", {}), "shuffle": False}}
    exp = _experiment(spec)
    weights = exp.model.get_weights()
    ours = [exp.trainer.run_epoch(e) for e in range(5)]
    twin = _fit_twin(exp, weights, exp.trainer.y.numpy(), exp.trainer.y_test.numpy(), 5, shuffle=False)
    for key, values in twin.items():
        assert np.allclose([o[key] for o in ours], values, rtol=1e-4, atol=1e-6), key


def test_close_to_model_fit_with_shuffling() -> None:
    """Shuffled orders differ from Keras's, so curves are close, not equal: final loss within 15 %."""
    exp = _experiment(circle_spec())
    weights = exp.model.get_weights()
    ours = [exp.trainer.run_epoch(e)["loss"] for e in range(40)]
    twin = _fit_twin(exp, weights, exp.trainer.y.numpy(), exp.trainer.y_test.numpy(), 40, shuffle=True)["loss"]
    assert ours[-1] == pytest.approx(twin[-1], rel=0.15)
    assert ours[0] == pytest.approx(twin[0], rel=0.05)


def test_dropout_is_active_while_training_only() -> None:
    spec = {
        **circle_spec(),
        "model": {"layers": [dense(16), {"type": "Dropout", "rate": 0.5}, dense(1, "sigmoid")]},
        "fit": {"shuffle": False},
    }
    exp = _experiment(spec)
    x = exp.data.x_train[:50]
    assert np.array_equal(exp.predict(x), exp.predict(x))  # inference: deterministic
    train_a = np.asarray(exp.model(x, training=True))
    train_b = np.asarray(exp.model(x, training=True))
    assert not np.allclose(train_a, train_b)


def test_saved_model_predicts_what_the_engine_trained(tmp_path: Path) -> None:
    exp = _experiment(circle_spec())
    for e in range(10):
        exp.trainer.run_epoch(e)
    path = tmp_path / "model.keras"
    exp.model.save(path)
    loaded = keras.models.load_model(path)
    x = exp.data.x_test
    assert np.allclose(loaded.predict(x, verbose=0), exp.predict(x), atol=1e-6)


def test_batch_larger_than_data_is_one_step() -> None:
    exp = _experiment({**circle_spec(), "fit": {"batch_size": 10_000}})
    assert isinstance(exp.trainer, Trainer) and exp.trainer.steps == 1
    before = exp.model.optimizer.iterations.numpy()
    exp.trainer.run_epoch(0)
    assert exp.model.optimizer.iterations.numpy() == before + 1
