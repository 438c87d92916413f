"""A run with "tensorboard": true writes logs TensorBoard reads, laid out as Keras writes them."""

from pathlib import Path

import httpx
import numpy as np

from app.engine.tf_setup import tf
from tests.helpers import circle_spec, finished, wait_for
from tests.server import Server


def _events(folder: Path) -> list:
    return [
        e
        for path in sorted(folder.glob("events.out.tfevents.*"))
        for e in tf.compat.v1.train.summary_iterator(str(path))
    ]


def test_tensorboard_logs_every_epoch_and_the_weights(client: httpx.Client, server: Server) -> None:
    run = client.post("/api/runs", json={**circle_spec(epochs=25), "tensorboard": True}).json()
    done = wait_for(client, run["id"], finished)
    folder = server.data_dir / "tensorboard" / run["id"]
    scalars: dict[str, dict[int, float]] = {}
    histograms = set()
    for split in ("train", "validation"):
        for event in _events(folder / split):
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name == "histograms":
                    histograms.add(value.tag)
                else:
                    scalars.setdefault(f"{split}/{value.tag}", {})[event.step] = float(tf.make_ndarray(value.tensor))
    assert set(scalars) == {
        "train/epoch_loss",
        "train/epoch_accuracy",
        "validation/epoch_loss",
        "validation/epoch_accuracy",
    }
    loss = [scalars["train/epoch_loss"][step] for step in range(25)]
    assert np.allclose(loss, done["history"]["loss"], rtol=1e-6)
    val = [scalars["validation/epoch_loss"][step] for step in range(25)]
    assert np.allclose(val, done["history"]["val_loss"], rtol=1e-6)
    assert any(tag.endswith("kernel") for tag in histograms)


def test_no_logs_unless_asked(client: httpx.Client, server: Server) -> None:
    run = client.post("/api/runs", json=circle_spec(epochs=3)).json()
    wait_for(client, run["id"], finished)
    assert not (server.data_dir / "tensorboard" / run["id"]).exists()
