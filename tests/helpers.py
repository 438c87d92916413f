"""Specs and waiting helpers shared by the API tests."""

import time
from typing import Any

import httpx

from app.engine.warm import playground_default


def dense(units: int, activation: str = "tanh", **extra: Any) -> dict[str, Any]:
    return {"type": "Dense", "units": units, "activation": activation, **extra}


def circle_spec(epochs: int = 50, **overrides: Any) -> dict[str, Any]:
    """TensorFlow Playground's default: circle, 2 → 4 → 2 → 1 tanh, SGD 0.03, batch 10."""
    spec = playground_default(epochs)
    spec["dataset"]["seed"] = 1
    spec["stream"] = {"grid_size": 100, "max_fps": 20}
    spec["seed"] = 0
    spec.update(overrides)
    return spec


def wait_for(client: httpx.Client, run_id: str, predicate: Any, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}").json()
        if predicate(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} never reached the expected state; last: {run['status']} {run['epoch']}")


def finished(run: dict[str, Any]) -> bool:
    return run["status"] in ("done", "stopped", "failed")
