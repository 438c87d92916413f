"""One epoch at a time, exactly as `model.fit` would train it, at a fraction of the overhead.

Each epoch is one `tf.function` call that shuffles the training split, loops over its batches
calling Keras's own `model.train_step` (forward pass with `training=True`, compiled loss plus
regularization losses, optimizer update, compiled metrics), then runs `model.test_step` on the
test split for the `val_*` entries, just as `fit(validation_data=...)` reports them.
"""

import math

import numpy as np

from app.engine.tf_setup import keras, tf


class Trainer:
    def __init__(
        self,
        model: keras.Model,
        x_train: np.ndarray,
        y_train: np.ndarray,
        x_test: np.ndarray,
        y_test: np.ndarray,
        *,
        batch_size: int,
        shuffle: bool,
        seed: int,
    ) -> None:
        self.model = model
        self.x = tf.constant(x_train)
        self.y = tf.constant(y_train)
        self.x_test = tf.constant(x_test)
        self.y_test = tf.constant(y_test)
        self.has_test = len(x_test) > 0
        self.n = len(x_train)
        # A batch larger than the training set trains one batch per epoch, as model.fit does.
        self.batch_size = min(batch_size, self.n)
        self.steps = math.ceil(self.n / self.batch_size)
        self.shuffle = shuffle
        self.seed = seed
        self._build_state()
        self._epoch_fn = tf.function(self._epoch, reduce_retracing=True)
        self._test_fn = tf.function(self._test, reduce_retracing=True)

    def _build_state(self) -> None:
        """Create optimizer and metric variables up front, outside any traced loop."""
        model = self.model
        model.optimizer.build(model.trainable_variables)
        sample_x, sample_y = self.x[:1], self.y[:1]
        model.compute_metrics(sample_x, sample_y, model(sample_x, training=False))
        model.reset_metrics()

    def _epoch(self, epoch: tf.Tensor) -> dict[str, tf.Tensor]:
        model = self.model
        x, y = self.x, self.y
        if self.shuffle:
            keys = tf.random.stateless_uniform([self.n], seed=tf.stack([self.seed, epoch]))
            order = tf.argsort(keys)
            x, y = tf.gather(x, order), tf.gather(y, order)
        for metric in model.metrics:
            metric.reset_state()
        for step in tf.range(self.steps):
            start = step * self.batch_size
            model.train_step((x[start : start + self.batch_size], y[start : start + self.batch_size]))
        logs = dict(model.get_metrics_result())
        if self.has_test:
            logs.update({f"val_{k}": v for k, v in self._test().items()})
        return logs

    def _test(self) -> dict[str, tf.Tensor]:
        model = self.model
        for metric in model.metrics:
            metric.reset_state()
        model.test_step((self.x_test, self.y_test))
        return dict(model.get_metrics_result())

    def run_epoch(self, epoch: int) -> dict[str, float]:
        """Train one epoch (numbered from 0); returns Keras's logs for it."""
        logs = self._epoch_fn(tf.constant(epoch, dtype=tf.int32))
        return {k: float(v) for k, v in logs.items()}

    def evaluate(self) -> dict[str, float]:
        """Loss and metrics on the test split, as `model.evaluate` reports them."""
        return {k: float(v) for k, v in self._test_fn().items()}

    def set_learning_rate(self, value: float) -> None:
        self.model.optimizer.learning_rate = value
