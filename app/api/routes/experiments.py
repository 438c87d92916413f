"""POST /api/experiments: recreate a run from an exported experiment.json."""

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from app.api.deps import ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.schemas.runs import RunCreate

router = APIRouter(prefix="/api/experiments", tags=["exports"], route_class=JSONRoute)


class ExperimentFile(BaseModel):
    """What GET /api/runs/{id}/experiment.json gives."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["nn-playground-experiment"]
    version: Literal[1]
    spec: RunCreate


@router.post("", status_code=201)
async def import_experiment(body: ExperimentFile, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Start a run from an experiment file: the same data, model, settings and seed."""
    run = await run_in_threadpool(runs.create, client, body.spec)
    return run.public(with_history=False)
