"""Epochs exactly as `model.fit` trains them, written once for every execution path.

An epoch shuffles the training split (seeded by run seed and epoch number), calls Keras's own
`model.train_step` on each batch (forward pass with `training=True`, compiled loss plus
regularization losses, optimizer update, compiled metrics), then `model.test_step` on the
test split for the `val_*` entries, as `fit(validation_data=...)` reports them. Batches have
static shapes (full batches in a loop, then the remainder) so the same code compiles with XLA.
"""

from dataclasses import dataclass

from app.engine.tf_setup import keras, tf


@dataclass(frozen=True)
class Batching:
    n: int  # training samples
    batch_size: int  # a batch larger than the data set is the whole set, as in model.fit
    shuffle: bool
    has_test: bool

    @property
    def full_batches(self) -> int:
        return self.n // self.batch_size

    @property
    def remainder(self) -> int:
        return self.n % self.batch_size

    @property
    def steps(self) -> int:
        return self.full_batches + (1 if self.remainder else 0)


def shuffle_order(n: int, seed: tf.Tensor, epoch: tf.Tensor) -> tf.Tensor:
    """A permutation of range(n) from (seed, epoch), the same in graph and XLA execution.

    TensorFlow's stateless random ops draw differently under XLA, so the order comes from an
    integer hash (Wellons's lowbias32) of (index, seed, epoch); appending the index makes
    every key distinct, so the sort has no ties to break differently either.
    """
    return shuffle_orders(n, tf.reshape(seed, [1]), tf.reshape(epoch, [1]))[0]


def shuffle_orders(n: int, seeds: tf.Tensor, epochs: tf.Tensor) -> tf.Tensor:
    """`shuffle_order` for many runs at once (a stack group's): row r is run r's permutation [R, n]."""
    bits = tf.bitwise
    mask = tf.constant(0xFFFFFFFF, tf.int64)
    index = tf.range(n, dtype=tf.int64)[None, :]

    def shr(v: tf.Tensor, k: int) -> tf.Tensor:
        return bits.right_shift(v, tf.constant(k, tf.int64))

    seed = tf.cast(seeds, tf.int64)[:, None]
    epoch = tf.cast(epochs, tf.int64)[:, None]
    h = index * 0x9E3779B9 + seed * 0x85EBCA6B + epoch * 0xC2B2AE35
    h = bits.bitwise_and(h, mask)
    h = bits.bitwise_and(bits.bitwise_xor(h, shr(h, 16)) * 0x7FEB352D, mask)
    h = bits.bitwise_and(bits.bitwise_xor(h, shr(h, 15)) * 0x846CA68B, mask)
    h = bits.bitwise_xor(h, shr(h, 16))
    return tf.argsort(h * (1 << 20) + index, axis=-1)


def evaluate_logs(model: keras.Model, x_test: tf.Tensor, y_test: tf.Tensor) -> dict[str, tf.Tensor]:
    for metric in model.metrics:
        metric.reset_state()
    model.test_step((x_test, y_test))
    return dict(model.get_metrics_result())


def one_epoch(
    model: keras.Model,
    b: Batching,
    x: tf.Tensor,
    y: tf.Tensor,
    x_test: tf.Tensor,
    y_test: tf.Tensor,
    seed: tf.Tensor,
    epoch: tf.Tensor,
) -> dict[str, tf.Tensor]:
    if b.shuffle:
        order = shuffle_order(b.n, seed, epoch)
        x, y = tf.nest.map_structure(lambda t: tf.gather(t, order), x), tf.gather(y, order)
    for metric in model.metrics:
        metric.reset_state()
    size = b.batch_size

    def rows(t: tf.Tensor, start: tf.Tensor) -> tf.Tensor:
        begin = tf.concat([[start], tf.zeros([tf.rank(t) - 1], tf.int32)], 0)
        return tf.slice(t, begin, [size, *t.shape[1:]])

    def train_batch(i: tf.Tensor) -> tf.Tensor:
        start = i * size
        # x is one tensor, or a list of them for a model with several inputs.
        model.train_step((tf.nest.map_structure(lambda t: rows(t, start), x), rows(y, start)))
        return i + 1

    tf.while_loop(lambda i: i < b.full_batches, train_batch, [tf.constant(0)])
    if b.remainder:
        start = b.full_batches * size
        model.train_step((tf.nest.map_structure(lambda t: t[start:], x), y[start:]))
    logs = dict(model.get_metrics_result())
    if b.has_test:
        logs.update({f"val_{k}": v for k, v in evaluate_logs(model, x_test, y_test).items()})
    return logs
