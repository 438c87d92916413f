from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClassroomDep, ClientDep, DatabaseDep, SettingsDep
from app.api.finite import JSONRoute
from app.datasets import saved, upload
from app.datasets.registry import DATASETS, visible
from app.engine.experiment import load_data
from app.errors import NotFound, SpecError, TooLarge
from app.schemas.runs import MAX_SEED, DatasetRef

router = APIRouter(prefix="/api/datasets", tags=["datasets"], route_class=JSONRoute)


@router.get("")
async def list_datasets(client: ClientDep, classroom: ClassroomDep) -> list[dict[str, Any]]:
    """The built-in sets, then your uploads and your class's challenge sets."""
    owners = classroom.owners(client)
    return [info.public() for info in DATASETS.values() if visible(info, owners)]


@router.get("/{name}")
async def get_dataset(
    name: str,
    settings: SettingsDep,
    client: ClientDep,
    classroom: ClassroomDep,
    n_samples: Annotated[int | None, Query(ge=2, le=10**6)] = None,
    noise: Annotated[float, Query(ge=0, le=50)] = 0,
    train_ratio: Annotated[float | None, Query(gt=0, le=1)] = None,
    seed: Annotated[int, Query(ge=0, le=MAX_SEED)] = 0,
    features: Annotated[list[str] | None, Query(description="repeat, or separate with commas")] = None,
    scaling: Annotated[Literal["none", "minmax", "standard"], Query()] = "none",
) -> dict[str, Any]:
    if name not in DATASETS or not classroom.can_see(client, name):
        shown = [n for n, i in DATASETS.items() if i.owner is None]
        raise NotFound("name", code="unknown_dataset", params={"name": name, "available": ", ".join(shown)})
    if n_samples is not None and n_samples > settings.max_samples:
        raise SpecError("n_samples", code="limit_exceeded", params={"value": n_samples, "limit": settings.max_samples})
    names = [f for item in features or [] for f in item.split(",") if f] or None
    # The registry checks the names: plane features for the 2-D sets, column names for the others.
    ref = DatasetRef(
        name=name, n_samples=n_samples, noise=noise, train_ratio=train_ratio, seed=seed, features=names, scaling=scaling
    )
    data = await run_in_threadpool(load_data, ref, seed)
    return {**data.public(), "name": name}


@router.post("", status_code=201)
async def upload_dataset(
    settings: SettingsDep,
    client: ClientDep,
    db: DatabaseDep,
    label: Annotated[str, Form(max_length=200, description="the label column's name")],  # the column holds 200
    file: Annotated[UploadFile | None, File(description="a CSV file with a header row")] = None,
    text: Annotated[str | None, Form(description="or the CSV pasted as text")] = None,
    task: Annotated[Literal["classification", "regression"] | None, Form()] = None,
) -> dict[str, Any]:
    """A data set from your own CSV; its name works wherever a data-set name does."""
    if (file is None) == (text is None):
        raise SpecError("file", code="upload_missing")
    if file is not None:
        data = await file.read(settings.max_upload_bytes + 1)
    else:
        data = (text or "").encode()
    if len(data) > settings.max_upload_bytes:
        raise TooLarge("file", code="file_too_large", params={"limit": settings.max_upload_bytes})
    info = await run_in_threadpool(
        upload.parse, data, label, task, settings.max_upload_rows, settings.max_upload_columns, owner=client
    )
    await run_in_threadpool(saved.save, db, info, client, label, task, data)
    return {**info.public(), "rows": info.default_samples}
