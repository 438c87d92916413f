"""A scikit-learn baseline next to a run: the same hidden layers, the same split, both scores."""

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.engine.baseline import MAX_ITER_CHOSEN, SOLVERS, Choices, baseline

router = APIRouter(prefix="/api/runs", tags=["baselines"], route_class=JSONRoute)


class BaselineRequest(BaseModel):
    """scikit-learn's own settings, as the course's notes run MLPClassifier; each left out mirrors the run."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    solver: Literal[SOLVERS] | None = Field(None, description="lbfgs, adam or sgd (default: the run's optimizer)")  # type: ignore[valid-type]
    alpha: float | None = Field(None, ge=0, le=100, description="L2 penalty (default 0)")
    max_iter: int | None = Field(
        None, ge=1, le=MAX_ITER_CHOSEN, description="epochs (iterations for lbfgs) at most (default: the run's, ≤ 1000)"
    )


@router.post("/{run_id}/baseline")
async def run_baseline(
    run_id: str, client: ClientDep, runs: ManagerDep, body: BaselineRequest | None = None
) -> dict[str, Any]:
    """Train scikit-learn's MLPClassifier or MLPRegressor with the run's hidden Dense layers on the run's
    training split; its score and the Keras model's (at its current epoch) on the test split, or on the
    training split when the data set has no test split. The body may choose scikit-learn's `solver`,
    `alpha` and `max_iter` (up to 10,000)."""
    run = runs.get(client, run_id)
    epoch = run.epoch
    choices = Choices(**(body.model_dump() if body else {}))
    return {**await run_in_threadpool(baseline, run.programs, run.experiment, choices), "keras_epoch": epoch}
