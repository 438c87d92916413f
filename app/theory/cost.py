"""cost(W) for H(x) = Wx and one gradient-descent step, with the numbers of the step."""

from typing import Any

import numpy as np

from app.datasets.tables import TABLES
from app.engine.tf_setup import tf

ONE_FEATURE = ("study_hours", "study_hours_noisy", "x_plus_2")


def _cost_and_gradient(w: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    weight = tf.Variable(w, dtype=tf.float64)
    with tf.GradientTape() as tape:
        cost = tf.reduce_mean(tf.square(weight * x - y))
    return float(cost), float(tape.gradient(cost, weight))


def cost_step(dataset: str = "study_hours", w: float = 0.0, alpha: float = 0.01) -> dict[str, Any]:
    """cost(W) = mean((Wx − y)²) drawn over W, its derivative at W (from tf.GradientTape) and the update
    W ← W − α·∂cost/∂W written with this step's numbers."""
    table = TABLES[dataset]
    x, y = table.x[:, 0].astype(np.float64), table.y.astype(np.float64)
    best = float(np.sum(x * y) / np.sum(x * x))  # where the parabola bottoms out
    cost, gradient = _cost_and_gradient(w, x, y)
    w_next = w - alpha * gradient
    cost_next, _ = _cost_and_gradient(w_next, x, y)
    half = max(abs(w - best), abs(w_next - best), abs(best), 1.0) * 1.5
    ws = np.linspace(best - half, best + half, 81)
    curve = [[float(v), float(np.mean((v * x - y) ** 2))] for v in ws]
    return {
        "dataset": dataset,
        "x": x.tolist(),
        "y": y.tolist(),
        "w": w,
        "alpha": alpha,
        "cost": cost,
        "gradient": gradient,
        "w_next": w_next,
        "cost_next": cost_next,
        "w_best": best,
        "curve": curve,
        "update": f"W ← {w:.4g} − {alpha:g} × ({gradient:.4g}) = {w_next:.4g}",
        "diverges": abs(w_next - best) > abs(w - best),
    }
