"""A run's downloads: model.keras, weights, code.py, history, summary, diagram, experiment."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClientDep, ManagerDep
from app.exports import code, diagram, files, notebook
from app.runs.run import FINISHED, Run

router = APIRouter(prefix="/api/runs/{run_id}", tags=["exports"])


def download(media_type: str) -> dict[str, Any]:
    """A route's OpenAPI entry for a file download: its media type, not JSON."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"response_class": Response, "responses": {200: {"description": "the file", "content": content}}}


def _attachment(content: bytes | str, filename: str, media_type: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/model.keras", **download("application/octet-stream"))
async def model_keras(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    """The trained model in Keras's format: `keras.models.load_model("model.keras")`."""
    run = runs.get(client, run_id)
    data = await run_in_threadpool(runs.saved_model, run) or await run_in_threadpool(files.model_keras, run)
    return _attachment(data, "model.keras", "application/octet-stream")


@router.get("/weights.weights.h5", **download("application/x-hdf5"))
async def weights(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    """The weights alone: `model.load_weights("weights.weights.h5")` on the model code.py builds."""
    data = await run_in_threadpool(files.weights_h5, runs.get(client, run_id))
    return _attachment(data, "weights.weights.h5", "application/x-hdf5")


def _epochs(run: Run) -> int:
    # A run that ended early is reproduced as far as it went; one still going, as asked.
    return run.epoch if run.status in FINISHED and run.epoch > 0 else run.spec.fit.epochs


@router.get("/code.py", **download("text/x-python"))
async def code_py(
    run_id: str,
    client: ClientDep,
    runs: ManagerDep,
    style: Annotated[code.Style, Query(description="sequential or functional")] = "sequential",
) -> Response:
    """A standalone Python script that rebuilds and retrains this run with plain Keras."""
    run = runs.get(client, run_id)
    text = code.script(run.spec, run.experiment.plan.encoding, _epochs(run), style, f"Run {run.id}")
    # Saved as code.py, the script would shadow Python's own `code` module (TensorFlow imports it).
    return _attachment(text, "playground_run.py", "text/x-python; charset=utf-8")


@router.get("/notebook.ipynb", **download("application/x-ipynb+json"))
async def notebook_ipynb(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    """The run as a notebook (nbformat 4): its code, data and results as cells that run top to bottom offline."""
    run = runs.get(client, run_id)

    def write() -> str:
        history = run.history_slice(0, run.epoch)
        return notebook.notebook(
            run.spec, run.experiment.plan.encoding, _epochs(run), history, run.status, f"Run {run.id}"
        )

    text = await run_in_threadpool(write)
    return _attachment(text, "playground_run.ipynb", "application/x-ipynb+json")


@router.get("/history.json", **download("application/json"))
async def history_json(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    text = await run_in_threadpool(files.history_json, runs.get(client, run_id))  # a long run's is megabytes
    return _attachment(text, "history.json", "application/json")


@router.get("/history.csv", **download("text/csv"))
async def history_csv(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    text = await run_in_threadpool(files.history_csv, runs.get(client, run_id))
    return _attachment(text, "history.csv", "text/csv; charset=utf-8")


@router.get("/summary.txt", **download("text/plain"))
async def summary_txt(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    """Exactly what `model.summary()` prints."""
    text = await run_in_threadpool(files.summary, runs.get(client, run_id))
    return Response(text, media_type="text/plain; charset=utf-8")


@router.get("/model.svg", **download("image/svg+xml"))
async def model_svg(run_id: str, client: ClientDep, runs: ManagerDep) -> Response:
    """A diagram of the model's layers and shapes, drawn without Graphviz."""
    run = runs.get(client, run_id)
    model = await run_in_threadpool(files.trained_model, run)
    return Response(diagram.svg(model), media_type="image/svg+xml")


@router.get("/experiment.json")
async def experiment_json(run_id: str, client: ClientDep, runs: ManagerDep) -> dict[str, Any]:
    """The whole experiment; POST it to /api/experiments to recreate the run."""
    return files.experiment(runs.get(client, run_id))
