"""Plain `model.fit(..., verbose=0)` on the same model and data, for the ratio."""

import time
from typing import Any

import httpx
import numpy as np


def fit_epochs_per_second(client: httpx.Client, spec: dict[str, Any], seconds: float = 4.0) -> float:
    from app.engine.tf_setup import keras

    ref = spec["dataset"]
    params = {k: v for k, v in ref.items() if k not in ("name", "features")}
    if "features" in ref:
        params["features"] = ",".join(ref["features"])
    data = client.get(f"/api/datasets/{ref['name']}", params=params).json()
    x, y = np.array(data["x_train"], np.float32), np.array(data["y_train"], np.float32)
    xt, yt = np.array(data["x_test"], np.float32), np.array(data["y_test"], np.float32)
    layers = [keras.layers.Dense(layer["units"], activation=layer["activation"]) for layer in spec["model"]["layers"]]
    model = keras.Sequential([keras.Input((x.shape[1],)), *layers])
    model.compile(
        loss=spec["compile"]["loss"],
        optimizer=keras.optimizers.SGD(spec["compile"]["optimizer"]["learning_rate"]),
        metrics=spec["compile"]["metrics"],
    )
    batch = spec["fit"]["batch_size"]
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0, validation_data=(xt, yt))  # trace once
    epochs, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        model.fit(x, y, batch_size=batch, epochs=5, verbose=0, validation_data=(xt, yt))
        epochs += 5
    return epochs / (time.perf_counter() - started)
