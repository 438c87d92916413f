"""TensorBoard logs for a run, laid out as Keras's TensorBoard callback lays them out.

`<data dir>/tensorboard/<run id>/train` and `.../validation` hold `epoch_<metric>` scalars,
one per epoch; `train` also holds a histogram of every weight at each frame. So
`tensorboard --logdir <data dir>/tensorboard` shows a class's runs side by side.
"""

from pathlib import Path

import numpy as np

from app.engine.tf_setup import tf


class TensorBoardLog:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._train = tf.summary.create_file_writer(str(folder / "train"))
        self._validation = tf.summary.create_file_writer(str(folder / "validation"))

    def epochs(self, first: int, logs: list[dict[str, float]]) -> None:
        """Scalars for epochs first, first + 1, …"""
        for offset, entry in enumerate(logs):
            step = first + offset
            for key, value in entry.items():
                validation = key.startswith("val_")
                writer = self._validation if validation else self._train
                with writer.as_default(step=step):
                    tf.summary.scalar(f"epoch_{key[4:] if validation else key}", value)

    def weights(self, step: int, names: list[str], values: list[np.ndarray]) -> None:
        with self._train.as_default(step=step):
            for name, value in zip(names, values, strict=True):
                if np.issubdtype(np.asarray(value).dtype, np.floating):
                    tf.summary.histogram(name, value)

    def reopened(self) -> "TensorBoardLog":
        """New writers on the same folder (a run that trains further appends to its logs)."""
        return TensorBoardLog(self.folder)

    def close(self) -> None:
        self._train.close()
        self._validation.close()
