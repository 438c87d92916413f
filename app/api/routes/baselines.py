"""A scikit-learn baseline next to a run: the same hidden layers, the same split, both scores."""

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.engine.baseline import baseline

router = APIRouter(prefix="/api/runs", tags=["baselines"], route_class=JSONRoute)


@router.post("/{run_id}/baseline")
async def run_baseline(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Train scikit-learn's MLPClassifier or MLPRegressor with the run's hidden Dense layers on the run's
    training split; its score and the Keras model's (at its current epoch) on the test split, or on the
    training split when the data set has no test split."""
    run = runs.get(client, run_id)
    epoch = run.epoch
    return {**await run_in_threadpool(baseline, run.programs, run.experiment), "keras_epoch": epoch}
