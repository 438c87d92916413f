"""Import TensorFlow and Keras once, quietly, with the settings the engine relies on."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
# XLA's CPU code runs each op on the calling thread instead of splitting it over the pool: these
# networks' ops are tiny, and a split made each call wait for threads (measured: a 30-student
# class of different networks 37 → 74 epochs/s each, the frames' maps 7.2 → 2.3 ms per call).
if "xla_cpu_multi_thread_eigen" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false").strip()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

# XLA runs its compiled programs on the intra-op thread pool: with one thread, the training
# workers' calls ran one at a time (measured: two threads trained no faster than one). One
# thread per training worker lets them run side by side; small ops are not split further.
_workers = int(os.environ.get("PLAYGROUND_TRAIN_WORKERS", "0") or 0)
tf.config.threading.set_intra_op_parallelism_threads(_workers if _workers > 0 else os.cpu_count() or 2)
tf.config.threading.set_inter_op_parallelism_threads(2)

__all__ = ["keras", "tf"]
