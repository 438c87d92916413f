"""A run's downloads: the trained model, its weights, its history, its summary."""

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from app.engine.summary import summary_text
from app.engine.tf_setup import keras
from app.runs import protocol
from app.runs.run import Run


def trained_model(run: Run) -> keras.Model:
    """A standalone Keras model with the run's current weights and optimizer state."""
    return run.experiment.pool.programs[0].to_keras(run.experiment.state)


def _saved(save: Any, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        save(path)
        return path.read_bytes()


def keras_bytes(model: keras.Model) -> bytes:
    return _saved(model.save, ".keras")


def model_keras(run: Run) -> bytes:
    """The model in Keras's native format: `keras.models.load_model` gives the same predictions."""
    return keras_bytes(trained_model(run))


def weights_h5(run: Run) -> bytes:
    """The weights alone, for `model.load_weights` on the model code.py builds."""
    return _saved(trained_model(run).save_weights, ".weights.h5")


def summary(run: Run) -> str:
    return summary_text(trained_model(run))


def history_json(run: Run) -> str:
    """Keras's `History.history` dict: one list per metric (a line each), one entry per epoch.
    Written a chunk of values at a time (a long run's is tens of megabytes: one json.dumps call
    would hold the GIL, and so every other request, for seconds)."""
    history = run.history_slice(0, run.epoch)
    lines = ["".join([f" {json.dumps(key)}: [", *protocol.values_json(values), "]"]) for key, values in history.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def history_csv(run: Run) -> str:
    """The history as Keras's CSVLogger writes it: an epoch column, then one column per key."""
    epochs = run.epoch  # read once: a run that trains on has more by the next line
    history = run.history_slice(0, epochs)
    keys = sorted(history)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["epoch", *keys])
    for epoch in range(epochs):
        writer.writerow([epoch, *("" if history[k][epoch] is None else history[k][epoch] for k in keys)])
    return out.getvalue()


def experiment(run: Run) -> dict[str, Any]:
    """Everything needed to recreate the run: POST its `spec` to /api/experiments or /api/runs."""
    spec = run.spec.model_dump(mode="json", exclude={"paused"})
    return {"format": "nn-playground-experiment", "version": 1, "spec": spec}
