"""What an image model sees: GET /api/runs/{id}/feature-maps, one test picture through the run's
convolution and pooling layers at its weights now (read-only; the page asks about once a second
while the run trains)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.errors import Conflict, SpecError
from app.runs.manager import RunManager
from app.runs.run import Run
from app.theory import feature_maps as maps

router = APIRouter(prefix="/api/runs", tags=["runs"], route_class=JSONRoute)


def _feature_maps(run: Run, runs: RunManager, sample: int) -> dict[str, Any]:
    exp = run.experiment
    data = exp.data
    if len(data.input_shape) != 3:
        raise Conflict("run", code="no_feature_maps", params={"dataset": data.info.name})
    split = "test" if len(data.x_test) else "train"
    x, y = (data.x_test, data.y_test) if split == "test" else (data.x_train, data.y_train)
    if sample >= len(x):
        raise SpecError("sample", code="less_than_equal", params={"le": len(x) - 1, "input": sample})
    epoch = run.epoch
    state = run.live_state()  # while it trains, its weights now, as the gradients endpoint reads them
    program = runs.programs.acquire_blocking(exp.pool)
    try:
        program.load(state)
        if not maps.image_layers(program.model):
            raise Conflict("run", code="no_feature_maps", params={"dataset": data.info.name})
        figure = maps.feature_maps(program.model, x[sample])
    finally:
        runs.programs.release(exp.pool, program)
    output = figure["output"]
    predicted = int(output[0] > 0.5) if len(output) == 1 else max(range(len(output)), key=output.__getitem__)
    names = list(data.info.class_names)
    return {
        "run": run.id,
        "epoch": epoch,
        "split": split,
        "sample": sample,
        "samples": len(x),
        "label": int(y[sample]) if data.info.task == "classification" else float(y[sample]),
        "predicted": predicted if data.info.task == "classification" else None,
        "class_names": names or None,
        **figure,
    }


@router.get("/{run_id}/feature-maps")
async def feature_maps(
    run_id: str,
    client: ClientDep,
    runs: ManagerDep,
    sample: Annotated[int, Query(ge=0, description="a picture of the test split (else the training split)")] = 0,
) -> dict[str, Any]:
    """One picture of an image data set through the run's model at its weights now: the feature maps
    after each layer whose output is still a picture (Conv2D, pooling, …; at most 32 per layer),
    each Conv2D's filters, the output and the predicted class. 409 `no_feature_maps` for a model
    without such layers (not image data); 422 for a sample beyond the split."""
    run = runs.get(client, run_id)
    return await run_in_threadpool(_feature_maps, run, runs, sample)
