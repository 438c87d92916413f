"""Specs worth compiling before anyone asks: what the page and most scripts start with."""

import copy
from typing import Any

from app.schemas.runs import RunCreate

# TensorFlow Playground's default: circle, 2 → 4 → 2 → 1 tanh with a sigmoid output, SGD 0.03,
# batch 10, half the 500 points for training (the page's, the tests' and the benchmark's start).
_PLAYGROUND_DEFAULT: dict[str, Any] = {
    "dataset": {"name": "circle", "n_samples": 500, "train_ratio": 0.5},
    "model": {
        "layers": [
            {"type": "Dense", "units": 4, "activation": "tanh"},
            {"type": "Dense", "units": 2, "activation": "tanh"},
            {"type": "Dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "compile": {
        "loss": "binary_crossentropy",
        "optimizer": {"type": "SGD", "learning_rate": 0.03},
        "metrics": ["accuracy"],
    },
    "fit": {"epochs": 1000, "batch_size": 10},
}


def playground_default(epochs: int = 1000) -> dict[str, Any]:
    """The default as a fresh POST /api/runs body, to change at will."""
    spec = copy.deepcopy(_PLAYGROUND_DEFAULT)
    spec["fit"]["epochs"] = epochs
    return spec


PLAYGROUND_DEFAULT = RunCreate.model_validate(_PLAYGROUND_DEFAULT)


# The default's data and training with a residual block (2 → 4 → 4, the two added, → 1): the
# example the graph family (graph models whose merges add) is compiled from at start-up.
PLAYGROUND_RESIDUAL = RunCreate.model_validate(
    {
        **_PLAYGROUND_DEFAULT,
        "model": {
            "graph": {
                "inputs": [{"name": "x"}],
                "nodes": [
                    {"name": "h1", "layer": {"type": "Dense", "units": 4, "activation": "tanh"}, "inputs": ["x"]},
                    {"name": "h2", "layer": {"type": "Dense", "units": 4, "activation": "tanh"}, "inputs": ["h1"]},
                    {"name": "skip", "layer": {"type": "Add"}, "inputs": ["h1", "h2"]},
                    {
                        "name": "out",
                        "layer": {"type": "Dense", "units": 1, "activation": "sigmoid"},
                        "inputs": ["skip"],
                    },
                ],
                "outputs": ["out"],
            }
        },
    }
)
