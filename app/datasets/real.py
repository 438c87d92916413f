"""Real data sets bundled with scikit-learn (no download): loaded, labelled, split."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from app.errors import SpecError


@dataclass(frozen=True)
class RealSet:
    load: Callable[[], tuple[np.ndarray, np.ndarray]]
    task: str
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    description: str
    shape: tuple[int, ...] | None = None  # image sets: the shape of one sample
    # The course's own split (test share and random_state), kept whatever the spec asks.
    fixed_split: tuple[float, int] | None = None
    default_train_ratio: float = 0.7


def _sk(name: str) -> tuple[np.ndarray, np.ndarray]:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")()
    return bunch.data.astype(np.float32), bunch.target


@cache
def _names(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")()
    classes = tuple(str(c) for c in getattr(bunch, "target_names", ()))
    return classes, tuple(bunch.feature_names)


def _diabetes_binary() -> tuple[np.ndarray, np.ndarray]:
    x, y = _sk("diabetes")
    return x, (y >= 140).astype(np.int64)  # the course's threshold


def _real(name: str, description: str, **extra: object) -> RealSet:
    classes, features = _names(name)
    task = "regression" if name == "diabetes" else "classification"
    return RealSet(lambda: _sk(name), task, classes, features, description, **extra)  # type: ignore[arg-type]


@cache
def real_sets() -> dict[str, RealSet]:
    diabetes_features = _names("diabetes")[1]
    return {
        "iris": _real("iris", "iris flowers: 4 measurements → 3 species"),
        "wine": _real("wine", "wines: 13 chemical measurements → 3 cultivars"),
        "breast_cancer": _real("breast_cancer", "breast tumours: 30 measurements → malignant or benign"),
        "diabetes": _real("diabetes", "diabetes patients: 10 measurements → disease progression after a year"),
        "diabetes_binary": RealSet(
            _diabetes_binary,
            "classification",
            ("below 140", "140 or more"),
            diabetes_features,
            "diabetes patients: 10 measurements → progression ≥ 140 (1) or not (0), split 60/40 with random_state 42",
            fixed_split=(0.4, 42),
            default_train_ratio=0.6,
        ),
        "digits": RealSet(
            lambda: _sk("digits"),
            "classification",
            tuple(str(i) for i in range(10)),
            tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8)),
            "8 × 8 grey images of hand-written digits → 0..9",
            shape=(8, 8, 1),
        ),
    }


def split(
    x: np.ndarray, y: np.ndarray, ratio: float, seed: int, fixed: tuple[float, int] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train and test parts, with scikit-learn's train_test_split as the course uses it."""
    from sklearn.model_selection import train_test_split

    if fixed is not None:
        test_size, state = fixed
        return train_test_split(x, y, test_size=test_size, random_state=state)
    if ratio >= 1:
        return x, x[:0], y, y[:0]
    if int(ratio * len(x)) < 1:
        raise SpecError("dataset.train_ratio", code="no_training_rows", params={"ratio": ratio, "rows": len(x)})
    try:
        return train_test_split(x, y, train_size=ratio, random_state=seed)
    except ValueError as exc:  # a split scikit-learn cannot make (no row left on one side)
        raise SpecError("dataset.train_ratio", code="invalid", params={"reason": str(exc)}) from exc


def scale(x_train: np.ndarray, x_test: np.ndarray, how: str) -> tuple[np.ndarray, np.ndarray]:
    """Min-max or standard scaling fitted on the training split only."""
    if how == "none":
        return x_train, x_test
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    scaler = MinMaxScaler() if how == "minmax" else StandardScaler()
    flat_train = x_train.reshape(len(x_train), -1)
    scaler.fit(flat_train)
    out_train = scaler.transform(flat_train).astype(np.float32).reshape(x_train.shape)
    out_test = (
        scaler.transform(x_test.reshape(len(x_test), -1)).astype(np.float32).reshape(x_test.shape)
        if len(x_test)
        else x_test
    )
    return out_train, out_test
