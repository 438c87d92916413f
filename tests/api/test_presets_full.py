"""Every preset, trained at full length through POST /api/runs exactly as GET /api/presets gives it,
reaches the result its lesson claims. Comparison lessons train both setups. All runs start at once
(one session per preset, so the per-session limit does not queue them) and the server trains them
side by side; the expectations are keyed by preset id, so a new preset without one fails."""

import json
import math
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from app.presets import presets
from tests.helpers import finished
from tests.server import Server

IDS = [p["id"] for p in presets()]


@dataclass
class Trained:
    client: httpx.Client
    preset: dict[str, Any]
    run: dict[str, Any]
    compare: dict[str, Any] | None

    def predict(self, inputs: list[list[float]], run: dict[str, Any] | None = None) -> np.ndarray:
        response = self.client.post(f"/api/runs/{(run or self.run)['id']}/predict", json={"inputs": inputs})
        return np.array(response.json()["outputs"])

    def report(self, run: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.client.get(f"/api/runs/{(run or self.run)['id']}/report").json()

    def data(self) -> dict[str, Any]:
        ref = {k: v for k, v in self.preset["spec"]["dataset"].items() if v is not None and k != "name"}
        return self.client.get(f"/api/datasets/{self.preset['spec']['dataset']['name']}", params=ref).json()


def last(run: dict[str, Any], key: str) -> float:
    return run["history"][key][-1]


def trains(run: dict[str, Any] | None) -> None:
    """Finished every epoch with a finite loss that went down."""
    assert run is not None and run["status"] == "done", run and (run["status"], run["error"])
    loss = run["history"]["loss"]
    assert len(loss) == run["epochs"] and all(math.isfinite(v) for v in loss)
    assert loss[-1] < loss[0]


def least_squares_r2(t: Trained) -> float:
    data = t.data()
    x, y = np.array(data["x_train"]), np.array(data["y_train"])
    return LinearRegression().fit(x, y).score(x, y)


# --- what each lesson claims ----------------------------------------------------------------------


def linear_study_hours(t: Trained) -> None:
    trains(t.run)
    assert np.allclose(t.predict([[5], [12]])[:, 0], [100, 240], rtol=0.02)  # W = 20, b = 0


def linear_noisy(t: Trained) -> None:
    trains(t.run)
    assert t.report()["r2"] >= least_squares_r2(t) - 0.01  # the least-squares line


def x_plus_2(t: Trained) -> None:
    trains(t.run)
    inputs = np.array(t.preset["predict"])
    assert np.allclose(t.predict(inputs.tolist())[:, 0], inputs[:, 0] + 2, atol=0.5)


def several_features(t: Trained) -> None:
    trains(t.run)
    assert t.report()["r2"] >= least_squares_r2(t) - 0.05


def accuracy_at_least(at_least: float) -> Callable[[Trained], None]:
    def check(t: Trained) -> None:
        trains(t.run)
        assert t.report()["split"] == "test" and t.report()["accuracy"] >= at_least
        assert last(t.run, "val_accuracy") >= at_least

    return check


def grades(t: Trained) -> None:
    trains(t.run)
    assert last(t.run, "accuracy") == 1.0
    assert t.predict(t.preset["predict"]).argmax(axis=1).tolist() == [0, 1, 1]  # A, B, B


def xor_solved(t: Trained) -> None:
    trains(t.run)
    assert last(t.run, "accuracy") == 1.0 and last(t.run, "val_accuracy") == 1.0
    assert [round(v) for v in t.predict([[0, 0], [0, 1], [1, 0], [1, 1]])[:, 0]] == [0, 1, 1, 0]


def xor_unsolved(t: Trained) -> None:
    assert t.run["status"] == "done" and all(math.isfinite(v) for v in t.run["history"]["loss"])
    assert last(t.run, "accuracy") <= 0.75


def mean_loss(run: dict[str, Any]) -> float:
    """The loss averaged over every epoch: the area under the curve, lower for the setup that
    learns faster. (Not the last epoch's loss: two setups that both reach ~0 end in an order set
    by rounding, and Adam's last epochs wobble between 0 and 0.005.)"""
    losses = run["history"]["loss"]
    return sum(losses) / len(losses)


def compared_learns_faster(t: Trained) -> None:
    """The compared setup (ReLU, Adam, momentum, batch normalisation's reference…) learns faster."""
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None
    assert mean_loss(t.compare) < mean_loss(t.run)


def learns_faster_than_compared(t: Trained) -> None:
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None
    assert mean_loss(t.run) < mean_loss(t.compare)


def falls_sooner_than_compared(t: Trained) -> None:
    """Momentum: the loss gets below 0.2 in fewer epochs than plain SGD's."""
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None

    def first_below(run: dict[str, Any]) -> int:
        return next(i for i, v in enumerate(run["history"]["loss"]) if v < 0.2)

    assert first_below(t.run) < first_below(t.compare)


def spiral_learns_faster_than_compared(t: Trained) -> None:
    learns_faster_than_compared(t)
    assert last(t.run, "accuracy") >= 0.9


def same_curve_as_compared(t: Trained) -> None:
    """The same model built both ways (functional and Sequential), from the same initial weights:
    the first epoch's loss is the same, and the curves lie on top of each other (their means
    agree). Not the last epoch's loss: near 0 it is the end of a long chaotic walk, and the two
    train in different programs (float sums in another order)."""
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None
    run, compare = t.run["history"]["loss"], t.compare["history"]["loss"]
    assert run[0] == pytest.approx(compare[0], rel=1e-3)
    assert statistics.fmean(run) == pytest.approx(statistics.fmean(compare), rel=0.05)


def rate_too_large(t: Trained) -> None:
    # Diverges (the run fails with advice) or jumps around far above the usable rate's loss.
    trains(t.compare)
    assert t.compare is not None and last(t.compare, "val_accuracy") >= 0.9
    if t.run["status"] == "failed":
        assert "diverge" in (t.run["error"] or "").lower() or "nan" in (t.run["error"] or "").lower()
    else:
        assert last(t.run, "loss") > 2 * last(t.compare, "loss")


def rate_too_small(t: Trained) -> None:
    assert t.run["status"] == "done" and t.compare is not None
    loss = t.run["history"]["loss"]
    assert loss[-1] > 0.9 * loss[0]  # barely moved
    trains(t.compare)
    assert last(t.compare, "loss") < 0.5 * last(t.run, "loss")


def circle_learns(t: Trained) -> None:
    trains(t.run)
    assert last(t.run, "val_accuracy") >= 0.9


def overfits(t: Trained) -> None:
    """Training loss far below test loss; with dropout and L2 (compared) the gap is smaller."""
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None
    gap = last(t.run, "val_loss") - last(t.run, "loss")
    assert gap > 0.5
    assert last(t.compare, "val_loss") - last(t.compare, "loss") < gap


def regularised(t: Trained) -> None:
    """With dropout and L2 the gap between test and training loss is smaller than without (compared)."""
    trains(t.run)
    trains(t.compare)
    assert t.compare is not None
    assert last(t.run, "val_loss") - last(t.run, "loss") < last(t.compare, "val_loss") - last(t.compare, "loss")


EXPECT: dict[str, Callable[[Trained], None]] = {
    "linear-study-hours": linear_study_hours,
    "linear-study-hours-noisy": linear_noisy,
    "keras-x-plus-2": x_plus_2,
    "linear-hours-score": linear_noisy,  # the least-squares line through five points
    "multi-feature-hours-attendance": several_features,
    "multi-feature-exam-scores": several_features,
    "multi-output-exam-scores": several_features,  # R² over both targets, as LinearRegression scores them
    "logistic-diabetes": accuracy_at_least(0.7),
    "softmax-diabetes": accuracy_at_least(0.7),
    "softmax-grades": grades,
    "softmax-iris": accuracy_at_least(0.9),
    "xor-no-hidden": xor_unsolved,
    "xor-hidden-3": xor_solved,
    "xor-hidden-2": xor_solved,
    "xor-hidden-1": xor_unsolved,
    "xor-hidden-2-3": xor_solved,
    "activation-sigmoid-deep": compared_learns_faster,  # ReLU beside it
    "activation-relu-deep": spiral_learns_faster_than_compared,  # the sigmoid stack beside it
    "optimizer-sgd": compared_learns_faster,  # Adam beside it
    "optimizer-momentum": falls_sooner_than_compared,  # plain SGD beside it
    "optimizer-adam": spiral_learns_faster_than_compared,  # plain SGD beside it
    "learning-rate-too-large": rate_too_large,
    "learning-rate-too-small": rate_too_small,
    "learning-rate-step-decay": circle_learns,
    "normalisation-batchnorm": learns_faster_than_compared,  # the sigmoid stack without it beside it
    "overfitting-no-dropout": overfits,
    "overfitting-dropout-l2": regularised,
    "cnn-digits": accuracy_at_least(0.8),
    "graph-residual-spiral": spiral_learns_faster_than_compared,  # the same layers without the skip beside it
    "graph-residual-spiral-plain": compared_learns_faster,  # the skip connections beside it
    "graph-two-inputs-hours-attendance": several_features,  # the least-squares plane, from two inputs
    "graph-sequential-vs-functional": same_curve_as_compared,  # the Sequential stack beside it
}


def test_every_preset_has_an_expectation() -> None:
    assert sorted(EXPECT) == sorted(IDS)


def setups(preset: dict[str, Any]) -> list[str]:
    """The preset's setup and the one it is compared with, as keys (the JSON of each spec)."""
    return [json.dumps(preset[k], sort_keys=True) for k in ("spec", "compare") if k in preset]


@pytest.fixture(scope="module")
def trained(server: Server) -> Iterator[dict[str, Trained]]:
    """Start every preset's setup (and the setup it is compared with) at once, each distinct setup
    once (a seeded run is reproducible, and lessons share setups), and wait for all of them."""
    clients: dict[str, httpx.Client] = {}  # one session per setup: the per-session limit queues nothing
    for preset in presets():
        for key in setups(preset):
            clients.setdefault(key, httpx.Client(base_url=server.url, timeout=60))
    ids = {}
    for key, client in clients.items():
        response = client.post("/api/runs", json=json.loads(key))
        assert response.status_code == 201, response.text
        ids[key] = response.json()["id"]
    deadline = time.monotonic() + 600  # about 150 s on 2 quiet cores; much more beside other jobs
    runs: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline and len(runs) < len(ids):
        time.sleep(1)
        for key, run_id in ids.items():
            # The list leaves out histories: cheap to ask while the server trains.
            if key not in runs and all(finished(run) for run in clients[key].get("/api/runs").json()):
                runs[key] = clients[key].get(f"/api/runs/{run_id}").json()
    out = {}
    for preset in presets():
        keys = setups(preset)
        assert all(k in runs for k in keys), f"{preset['id']} did not finish in time"
        compare = runs[keys[1]] if len(keys) > 1 else None
        out[preset["id"]] = Trained(clients[keys[0]], preset, runs[keys[0]], compare)
    yield out
    for client in clients.values():
        client.close()


@pytest.mark.slow
@pytest.mark.parametrize("preset_id", IDS)
def test_the_preset_reaches_its_lesson(trained: dict[str, Trained], preset_id: str) -> None:
    EXPECT[preset_id](trained[preset_id])
