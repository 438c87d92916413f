"""Import TensorFlow and Keras once, quietly, with the settings the engine relies on."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

# Small models gain nothing from many threads per op; runs are parallel instead.
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(2)

__all__ = ["keras", "tf"]
