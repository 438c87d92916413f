"""The scaling a run's inputs went through, fitted again on the raw training split, so that rows in
the data's own units can be scaled on the server exactly as training scaled them."""

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from app.datasets import registry
from app.schemas.runs import DatasetRef

Transform = Callable[[np.ndarray], np.ndarray]


def _identity(rows: np.ndarray) -> np.ndarray:
    return rows


@lru_cache(maxsize=64)
def _fitted(ref_json: str, seed: int) -> Transform:
    ref = DatasetRef.model_validate_json(ref_json)
    raw = registry.load(
        ref.name,
        n_samples=ref.n_samples,
        noise=ref.noise,
        train_ratio=ref.train_ratio,
        seed=seed if ref.seed is None else ref.seed,
        features=list(ref.features) if ref.features else None,
        scaling="none",
    )
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    scaler = MinMaxScaler() if ref.scaling == "minmax" else StandardScaler()
    scaler.fit(raw.x_train.reshape(len(raw.x_train), -1))

    def transform(rows: np.ndarray) -> np.ndarray:
        flat = rows.reshape(len(rows), -1)
        return scaler.transform(flat).astype(np.float32).reshape(rows.shape)

    return transform


def input_scaler(ref: DatasetRef, seed: int) -> Transform:
    """Rows of model inputs in the data's units → the rows the model was trained on."""
    if ref.scaling == "none":
        return _identity
    return _fitted(ref.model_dump_json(), seed)
