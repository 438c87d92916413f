"""Input features computed from a 2-D point, as TensorFlow Playground offers them."""

from collections.abc import Callable, Sequence

import numpy as np

FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
DEFAULT_FEATURES = ("x1", "x2")


def transform(points: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """Plane points (n, 2) → model inputs (n, len(features)), float32."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURES[name](x1, x2) for name in features], axis=1).astype(np.float32)
