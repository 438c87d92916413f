"""The data-set registry: every set by name, and loading one into train/test arrays."""

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from app.datasets import synthetic
from app.datasets.features import DEFAULT_FEATURES, FEATURES, transform
from app.datasets.real import real_sets, scale, split
from app.datasets.tables import TABLES
from app.errors import SpecError

Task = Literal["classification", "regression"]
PLANE_RANGE = (-6.0, 6.0)


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    task: Task
    n_classes: int  # 0 for regression
    description: str
    kind: Literal["plane", "table", "real", "upload"]
    feature_names: tuple[str, ...]
    default_samples: int
    default_train_ratio: float
    generator: synthetic.Generator | None = None
    class_names: tuple[str, ...] = ()
    shape: tuple[int, ...] | None = None  # one sample's shape, for image sets
    # Who may see it: None for everyone, a session's client id for an upload, a class id for a
    # challenge's data set.
    owner: str | None = None
    # A regression row's several targets (y of shape [n, k]), e.g. ("final", "total"); empty for one target.
    target_names: tuple[str, ...] = ()

    @property
    def n_outputs(self) -> int:
        """Output units the model needs for a regression set: one per target."""
        return max(1, len(self.target_names))

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.shape or (len(self.feature_names),)

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "task": self.task,
            "n_features": len(self.feature_names),
            "n_classes": self.n_classes,
            "description": self.description,
            "kind": self.kind,
            "feature_names": list(self.feature_names),
            "input_shape": list(self.input_shape),
            "class_names": list(self.class_names),
            "target_names": list(self.target_names),
            "default_samples": self.default_samples,
            "default_train_ratio": self.default_train_ratio,
            "features": list(FEATURES) if self.kind == "plane" else [],
            "range": list(PLANE_RANGE) if self.kind == "plane" else None,
            # a plane set of fixed points (a challenge's) has no noise or sample-count choice
            "fixed": self.kind == "plane" and self.generator is None,
        }


@dataclass
class Data:
    """A loaded data set: model inputs and labels, split into train and test."""

    info: DatasetInfo
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    feature_names: list[str]
    # The raw 2-D points of plane sets (for drawing and for the output grid).
    points_train: np.ndarray | None = None
    points_test: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])

    def public(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "x_train": self.x_train.tolist(),
            "y_train": self.y_train.tolist(),
            "x_test": self.x_test.tolist(),
            "y_test": self.y_test.tolist(),
            "feature_names": self.feature_names,
            "task": self.info.task,
            "n_classes": self.info.n_classes,
        }
        if self.points_train is not None:
            out["points_train"] = self.points_train.tolist()
            out["points_test"] = self.points_test.tolist() if self.points_test is not None else []
        return out


def _plane(name: str, task: Task, n_classes: int, gen: synthetic.Generator, text: str) -> DatasetInfo:
    names = tuple(str(i) for i in range(n_classes))
    return DatasetInfo(name, task, n_classes, text, "plane", ("x1", "x2"), 500, 0.5, gen, names)


DATASETS: dict[str, DatasetInfo] = {
    info.name: info
    for info in [
        _plane("circle", "classification", 2, synthetic.circle, "a disc inside a ring"),
        _plane("xor", "classification", 2, synthetic.xor, "opposite quadrants share a class"),
        _plane("gauss", "classification", 2, synthetic.gauss, "two Gaussian clouds"),
        _plane("spiral", "classification", 2, synthetic.spiral, "two interleaved spirals"),
        _plane("moons", "classification", 2, synthetic.moons, "two interleaving half circles"),
        _plane("checkerboard", "classification", 2, synthetic.checkerboard, "a 4 × 4 board"),
        _plane("blobs", "classification", 3, synthetic.blobs(3), "three Gaussian blobs"),
        _plane("blobs5", "classification", 5, synthetic.blobs(5), "five Gaussian blobs"),
        _plane("spiral3", "classification", 3, synthetic.spiral_arms(3), "a spiral with three arms"),
        _plane("plane", "regression", 0, synthetic.plane, "a tilted plane: value = (x1 + x2) / 10"),
        _plane("multi_gaussian", "regression", 0, synthetic.multi_gaussian, "six Gaussian bumps"),
    ]
}
for _name, _table in TABLES.items():
    DATASETS[_name] = DatasetInfo(
        _name,
        "classification" if _table.class_names else "regression",
        len(_table.class_names),
        _table.description,
        "table",
        _table.feature_names,
        len(_table.x),
        1.0,
        class_names=_table.class_names,
        target_names=_table.target_names,
    )
for _name, _real in real_sets().items():
    DATASETS[_name] = DatasetInfo(
        _name,
        _real.task,  # type: ignore[arg-type]
        len(_real.class_names),
        _real.description,
        "real",
        _real.feature_names,
        0,
        _real.default_train_ratio,
        class_names=_real.class_names,
        shape=_real.shape,
    )
# Uploaded sets (POST /api/datasets) and challenges' visible rows join the registry under
# unguessable names: their rows (x, y), or for plane sets their points and labels.
UPLOADS: dict[str, tuple[np.ndarray, np.ndarray]] = {}
PLANE_POINTS: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def register_rows(info: DatasetInfo, x: np.ndarray, y: np.ndarray) -> None:
    """Add a set of fixed rows (plane points for a plane set): the rows first, then the name."""
    (PLANE_POINTS if info.kind == "plane" else UPLOADS)[info.name] = (x, y)
    DATASETS[info.name] = info


def unregister(name: str) -> None:
    DATASETS.pop(name, None)
    UPLOADS.pop(name, None)
    PLANE_POINTS.pop(name, None)


def visible(info: DatasetInfo, owners: set[str] | None) -> bool:
    """Whether a caller who owns `owners` (their client id and class id) may see the set;
    None means a teacher, who sees everything."""
    return info.owner is None or owners is None or info.owner in owners


class DatasetError(SpecError):
    """A data-set request that cannot be met; `field` is under `dataset.`."""

    def __init__(
        self, field: str, message: str | None = None, *, code: str = "invalid", params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"dataset.{field}", message, code=code, params=params)


def load(
    name: str,
    *,
    n_samples: int | None = None,
    noise: float = 0,
    train_ratio: float | None = None,
    seed: int = 0,
    features: list[str] | None = None,
    scaling: str = "none",
) -> Data:
    info = DATASETS.get(name)
    if info is None:
        shown = [n for n, i in DATASETS.items() if i.kind != "upload"]
        raise DatasetError("name", code="unknown_dataset", params={"name": name, "available": ", ".join(shown)})
    ratio = info.default_train_ratio if train_ratio is None else train_ratio
    if info.kind != "plane":
        columns = _columns(info, features)
        if n_samples is not None:
            raise DatasetError("n_samples", code="fixed_samples", params={"name": name})
        return _fixed(info, ratio, seed, scaling, columns)
    for i, feature in enumerate(features or ()):
        if feature not in FEATURES:
            raise DatasetError(
                f"features[{i}]", code="unknown_feature", params={"name": feature, "available": ", ".join(FEATURES)}
            )

    rng = np.random.default_rng(seed)
    if info.generator is None:  # fixed points
        if n_samples is not None:
            raise DatasetError("n_samples", code="fixed_points", params={"name": name})
        if noise:
            raise DatasetError("noise", code="fixed_noise", params={"name": name})
        points, labels = PLANE_POINTS[name]
        n = len(points)
    else:
        n = info.default_samples if n_samples is None else n_samples
        points, labels = info.generator(n, noise / 100, rng)
    order = rng.permutation(n)
    points, labels = points[order], labels[order]
    cut = int(n * ratio)
    if cut < 1:
        raise DatasetError("train_ratio", code="no_training_rows", params={"ratio": ratio, "rows": n})
    names = list(features or DEFAULT_FEATURES)
    y = labels.astype(np.float32) if info.task == "regression" else labels
    x_train, x_test = scale(transform(points[:cut], names), transform(points[cut:], names), scaling)
    return Data(
        info,
        x_train,
        y[:cut],
        x_test,
        y[cut:],
        names,
        points_train=points[:cut].astype(np.float32),
        points_test=points[cut:].astype(np.float32),
    )


def _columns(info: DatasetInfo, features: list[str] | None) -> list[int] | None:
    """The columns a table, real set or upload keeps (e.g. only `hours`), or None for all of them."""
    if features is None or list(features) == list(info.feature_names):
        return None
    if info.shape is not None:  # an image's pixels are not a choice
        raise DatasetError("features", code="fixed_features", params={"name": info.name})
    for i, feature in enumerate(features):
        if feature not in info.feature_names or features.count(feature) > 1:
            available = ", ".join(info.feature_names)
            raise DatasetError(
                f"features[{i}]", code="unknown_feature", params={"name": feature, "available": available}
            )
    return [info.feature_names.index(f) for f in features]


def _fixed(info: DatasetInfo, ratio: float, seed: int, scaling: str, columns: list[int] | None = None) -> Data:
    """A table, a real set or an upload: fixed rows (some of their columns), split and scaled as asked."""
    fixed = None
    names = list(info.feature_names) if columns is None else [info.feature_names[c] for c in columns]
    if info.name in UPLOADS:
        x, y = UPLOADS[info.name]
    elif info.kind == "table":
        table = TABLES[info.name]
        x, y = table.x, table.y
        if columns is not None:
            x = x[:, columns]
        if table.test_is_train and ratio >= 1:
            return Data(info, x, y, x, y, names)
    elif info.kind == "real":
        real = real_sets()[info.name]
        x, y = real.load()
        fixed = real.fixed_split
        if real.shape:
            x = x.reshape(len(x), *real.shape)
    else:
        raise DatasetError("name", code="rows_missing", params={"name": info.name})
    if columns is not None and info.kind != "table":
        x = x[:, columns]
    x_train, x_test, y_train, y_test = split(x, y, ratio, seed, fixed)
    if len(x_train) < 1:
        raise DatasetError("train_ratio", code="no_training_rows", params={"ratio": ratio, "rows": len(x)})
    x_train, x_test = scale(x_train, x_test, scaling)
    y_kind = np.float32 if info.task == "regression" else np.int64
    return Data(info, x_train, y_train.astype(y_kind), x_test, y_test.astype(y_kind), names)
