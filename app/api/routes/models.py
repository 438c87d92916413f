from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClassroomDep, ClientDep, ManagerDep, SettingsDep
from app.api.finite import JSONRoute
from app.config import Settings
from app.datasets.registry import DATASETS
from app.engine.builder import build_model
from app.engine.experiment import load_data
from app.engine.summary import summarize, summary_text
from app.errors import SpecError, TooLarge
from app.exports import files, imports
from app.runs.manager import RunManager
from app.schemas.runs import SummaryRequest

router = APIRouter(prefix="/api/models", tags=["models"], route_class=JSONRoute)


def _summary(body: SummaryRequest, settings: Settings) -> dict[str, Any]:
    if body.dataset is not None:
        if (body.dataset.n_samples or 0) > settings.max_samples:
            params = {"value": body.dataset.n_samples, "limit": settings.max_samples}
            raise SpecError("dataset.n_samples", code="limit_exceeded", params=params)
        data = load_data(body.dataset, 0)
        shape, features = data.input_shape, data.feature_names
    elif body.input_shape or body.model.input_shape:
        shape, features = tuple(body.input_shape or body.model.input_shape or ()), None
        if any(d < 1 for d in shape):
            raise SpecError("input_shape", code="input_shape_sizes", params={"shape": list(shape)})
    else:
        raise SpecError("input_shape", code="input_shape_required")
    model = build_model(body.model, shape, 0, settings, features)
    return {**summarize(model), "text": summary_text(model)}


@router.post("/summary")
async def model_summary(
    body: SummaryRequest, settings: SettingsDep, client: ClientDep, classroom: ClassroomDep
) -> dict[str, Any]:
    """The numbers `model.summary()` prints, for a model spec on an input shape or data set."""
    if body.dataset is not None and not classroom.can_see(client, body.dataset.name):
        raise unknown_dataset("dataset.name", body.dataset.name)  # as if it did not exist
    return await run_in_threadpool(_summary, body, settings)


def unknown_dataset(field: str, name: str) -> SpecError:
    """The answer for a name that is not a data set, or is one the caller may not see."""
    shown = ", ".join(n for n, i in DATASETS.items() if i.owner is None)
    return SpecError(field, code="unknown_dataset", params={"name": name, "available": shown})


def _import(
    data: bytes, dataset: str | None, epochs: int, client: str, runs: RunManager, settings: Settings
) -> dict[str, Any]:
    config = imports.read_config(data, settings)  # checked before Keras reads anything
    model, input_shape = imports.model_spec(config, settings)
    name = dataset or _dataset_for(input_shape, model)
    info = DATASETS.get(name)
    if info is None:
        raise unknown_dataset("dataset", name)
    if info.public()["input_shape"] != list(input_shape) and info.kind != "plane":
        params = {"shape": list(input_shape), "name": name, "dataset_shape": info.public()["input_shape"]}
        raise SpecError("dataset", code="dataset_shape", params=params)
    model = imports.assign_features(model, list(info.feature_names))  # several inputs split the features
    fit = _defaults_for(info.task, info.n_classes)
    spec = imports.run_spec(
        {
            "dataset": {"name": name},
            "model": model.model_dump(mode="json"),
            "compile": {**fit, **imports.compile_settings(config)},
            "fit": {"epochs": epochs},
            "paused": True,
        }
    )
    weights = imports.load_weights(data, [node.name for node in model.graph.nodes] if model.graph else None)
    run = runs.create(client, spec, weights)
    model_obj = files.trained_model(run)
    return {**run.public(with_history=False), "summary": summarize(model_obj)}


def _dataset_for(input_shape: tuple[int, ...], model: Any) -> str:
    """A data set the model can be shown on when none is named: a 2-D plane set by output size."""
    if list(input_shape) != [2]:
        raise SpecError("dataset", code="dataset_for_shape", params={"shape": list(input_shape)})
    units = getattr(model.output_step.layer, "units", 1)
    return {1: "circle", 3: "blobs", 5: "blobs5"}.get(units, "circle")


def _defaults_for(task: str, n_classes: int) -> dict[str, Any]:
    if task == "regression":
        return {"loss": "mean_squared_error", "optimizer": {"type": "Adam", "learning_rate": 0.01}}
    loss = "binary_crossentropy" if n_classes == 2 else "sparse_categorical_crossentropy"
    return {"loss": loss, "optimizer": {"type": "Adam", "learning_rate": 0.01}, "metrics": ["accuracy"]}


@router.post("/import", status_code=201)
async def import_model(
    file: Annotated[UploadFile, File(description="a .keras file saved by model.save")],
    client: ClientDep,
    runs: ManagerDep,
    settings: SettingsDep,
    classroom: ClassroomDep,
    dataset: Annotated[str | None, Form(max_length=100, description="the data set to show it on")] = None,
    epochs: Annotated[int, Form(ge=1, le=10**9)] = 1000,
) -> dict[str, Any]:
    """Load a .keras model safely (no Lambda layers, no custom objects) as a paused run:
    inspect its summary, see its boundary, evaluate it, or resume to train it further."""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLarge("file", code="file_too_large", params={"limit": settings.max_upload_bytes})
    if epochs > settings.max_epochs:
        raise SpecError("epochs", code="limit_exceeded", params={"value": epochs, "limit": settings.max_epochs})
    if dataset is not None and not classroom.can_see(client, dataset):
        raise unknown_dataset("dataset", dataset)
    return await run_in_threadpool(_import, data, dataset, epochs, client, runs, settings)
