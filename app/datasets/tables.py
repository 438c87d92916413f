"""Small fixed data sets from the course material, exact values."""

import numpy as np

hours = np.arange(1, 11, dtype=np.float32)[:, None]

# name: (inputs, targets, feature names, class names or None, description)
TABLES: dict[str, tuple[np.ndarray, np.ndarray, list[str], list[str] | None, str]] = {
    "xor_table": (
        np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32),
        np.array([0, 1, 1, 0]),
        ["x1", "x2"],
        ["0", "1"],
        "XOR truth table: four rows; the test set is the same four rows",
    ),
}
