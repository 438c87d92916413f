from typing import Any, cast

import numpy as np
from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClassroomDep, ClientDep, ManagerDep, SettingsDep
from app.api.finite import FiniteJSONResponse, JSONRoute
from app.config import Settings
from app.datasets.features import transform
from app.datasets.scaler import input_scaler
from app.engine import experiment as engine
from app.engine import report
from app.errors import Conflict, Forbidden, SpecError, TooMany
from app.runs import protocol
from app.runs.run import Run
from app.schemas.runs import ContinueRequest, LearningRatePatch, PredictRequest, RunCreate

router = APIRouter(prefix="/api/runs", tags=["runs"], route_class=JSONRoute)


@router.post("", status_code=201)
async def create_run(spec: RunCreate, client: ClientDep, runs: ManagerDep, classroom: ClassroomDep) -> dict[str, Any]:
    """Build the model and start training it; frames stream on /ws/runs/{id}."""
    try:
        run = await run_in_threadpool(runs.create, client, spec)
    except SpecError as exc:
        if isinstance(exc, TooMany | Forbidden) or exc.code.startswith("class_"):
            classroom.refused(client, exc)  # over the limit or against the class's rules: the teacher sees why
        raise
    classroom.accepted(client)
    return run.public(with_history=False)


@router.get("")
async def list_runs(client: ClientDep, runs: ManagerDep) -> list[dict[str, Any]]:
    return [run.public(with_history=False) for run in runs.list(client)]


THE_RUN: dict[int | str, dict[str, Any]] = {
    200: {"description": "The run", "content": {"application/json": {"schema": {"type": "object"}}}}
}


@router.get("/{run_id}", response_model=None, responses=THE_RUN)
async def get_run(run_id: str, client: ClientDep, runs: ManagerDep, classroom: ClassroomDep) -> Response:
    """The run with Keras's `history`; a class run also names its student (for the teacher's view).

    Written in a worker thread, the history a chunk of values at a time: a long run's is tens of
    megabytes, and one json.dumps call (or FastAPI's encoder) would hold up every other request
    and socket for seconds."""
    run = runs.get(client, run_id)

    def answer() -> Response:
        out = run.public(with_history=False)
        if run.class_id is not None:
            out["student"] = classroom.name_of(run.client)
        head = FiniteJSONResponse(out).body  # the rest, non-finite numbers as null with a warning
        history = protocol.history_json(run.history_slice(0, cast(int, out["epoch"])))
        return Response(b"".join([head[:-1], b',"history":', history.encode(), b"}"]), media_type="application/json")

    return await run_in_threadpool(answer)


@router.delete("/{run_id}", status_code=204)
async def delete_run(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    await run_in_threadpool(runs.delete, client, run_id)  # answered once the rows are gone
    return Response(status_code=204)


def _control(run: Run, action: str) -> dict[str, Any]:
    {"pause": run.pause, "resume": run.resume, "step": run.step, "stop": run.stop}[action]()
    return run.public(with_history=False)


@router.post("/{run_id}/pause")
async def pause(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    return _control(runs.get(client, run_id), "pause")


@router.post("/{run_id}/resume")
async def resume(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    return _control(runs.get(client, run_id), "resume")


@router.post("/{run_id}/step")
async def step(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Train exactly one more epoch, then stay paused."""
    return _control(runs.get(client, run_id), "step")


@router.post("/{run_id}/stop")
async def stop(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Stop the run; the answer comes once its end is written (`saved`), or says it was not
    (`saved: false`, with `save_error` when the database refused it)."""
    run, saved = await run_in_threadpool(runs.stop, client, run_id)
    return {**run.public(with_history=False), "saved": saved}


@router.post("/{run_id}/continue")
async def continue_run(run_id: str, body: ContinueRequest, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Train a done or stopped run `epochs` more, continuing its history and optimizer state."""
    run = await run_in_threadpool(runs.continue_run, client, run_id, body.epochs)
    return run.public(with_history=False)


@router.patch("/{run_id}")
async def patch_run(run_id: str, body: LearningRatePatch, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """Change the learning rate while it trains (from the next epoch)."""
    run = runs.get(client, run_id)
    run.set_learning_rate(body.learning_rate)
    return {**run.public(with_history=False), "learning_rate": body.learning_rate}


def _predict(run: Run, body: PredictRequest, settings: Settings) -> dict[str, Any]:
    data = run.experiment.data
    if (body.inputs is None) == (body.points is None):
        raise SpecError("inputs", code="inputs_or_points")
    rows = body.inputs if body.inputs is not None else body.points
    field = "inputs" if body.inputs is not None else "points"
    assert rows is not None
    if not rows:
        raise SpecError(field, code="needs_rows")
    if len(rows) > settings.max_predict_rows:
        raise SpecError(field, code="too_many_rows", params={"count": len(rows), "limit": settings.max_predict_rows})
    width = 2 if body.points is not None else int(np.prod(data.input_shape))
    for i, row in enumerate(rows):
        if len(row) != width:
            raise SpecError(f"{field}[{i}]", code="row_width", params={"count": len(row), "expected": width})
    array = np.asarray(rows, dtype=np.float32)
    if not np.all(np.isfinite(array)):
        raise SpecError(field, code="not_finite")
    if body.points is not None:
        if data.points_train is None:
            raise SpecError("points", code="not_a_plane", params={"dataset": data.info.name})
        if body.scaled:
            raise SpecError("scaled", code="points_never_scaled")
        array = transform(array, data.feature_names)
    method = run.spec.dataset.scaling
    applied = method != "none" and not body.scaled
    array = array.reshape((-1, *data.input_shape))
    if applied:
        array = input_scaler(run.spec.dataset, run.spec.seed)(array)
    out = engine.predict(run.programs, run.experiment, array)
    return {
        "outputs": np.round(out.astype(np.float64), 7).tolist(),
        # What was done to the rows before the model saw them.
        "scaling": {"method": method, "applied": applied, "fitted_on": "train" if method != "none" else None},
    }


@router.post("/{run_id}/predict")
async def predict(
    run_id: str, body: PredictRequest, client: ClientDep, runs: ManagerDep, settings: SettingsDep
) -> dict[str, Any]:
    """The model's outputs for rows in the data's own units (scaled on the server as training data
    was, fitted on the training split), or already scaled rows with `"scaled": true`."""
    run = runs.get(client, run_id)
    return await run_in_threadpool(_predict, run, body, settings)


def _evaluate(run: Run) -> dict[str, float]:
    if not run.experiment.has_test:
        raise Conflict("dataset.train_ratio", code="no_test_split")
    return engine.evaluate(run.programs, run.experiment)


@router.post("/{run_id}/evaluate")
async def evaluate(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, float]:
    """Loss and metrics on the data set's test split, as `model.evaluate` gives them."""
    return await run_in_threadpool(_evaluate, runs.get(client, run_id))


def _report(run: Run) -> dict[str, Any]:
    data = run.experiment.data
    split = "test" if len(data.x_test) else "train"
    x, y = (data.x_test, data.y_test) if split == "test" else (data.x_train, data.y_train)
    outputs = engine.predict(run.programs, run.experiment, x)
    if data.info.task == "classification":
        names = list(data.info.class_names) or [str(i) for i in range(data.info.n_classes)]
        return {"split": split, **report.classification(y, outputs, names)}
    return {"split": split, **report.regression(y.astype(np.float64), outputs.astype(np.float64))}


@router.get("/{run_id}/report")
async def run_report(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """On the test split (the training split when there is none): the confusion matrix with
    per-class precision and recall for classification; MAE, MSE, R² and predicted-against-true
    pairs for regression."""
    return await run_in_threadpool(_report, runs.get(client, run_id))
