"""The setups the benchmark measures (issue: fast engine), as run specs."""

from typing import Any

from app.engine.warm import playground_default

ALL_FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]


def dense(units: int, activation: str = "tanh") -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation}


def default(epochs: int = 1_000_000, **extra: Any) -> dict[str, Any]:
    """TensorFlow Playground's default: circle, 500 points, half for training, 2 → 4 → 2 → 1."""
    spec = playground_default(epochs)
    spec["dataset"]["seed"] = 1
    spec["stream"] = {"grid_size": 100, "neuron_grid_size": 20, "max_fps": 30}  # as the page asks
    return {**spec, **extra}


def largest(epochs: int = 1_000_000, batch_size: int = 10, **extra: Any) -> dict[str, Any]:
    """Its largest: spiral, all 7 features, 6 hidden layers of 8 tanh units."""
    spec = default(epochs, **extra)
    spec["dataset"] = {"name": "spiral", "n_samples": 500, "train_ratio": 0.5, "seed": 1, "features": ALL_FEATURES}
    spec["model"] = {"layers": [dense(8) for _ in range(6)] + [dense(1, "sigmoid")]}
    spec["fit"]["batch_size"] = batch_size
    return spec
