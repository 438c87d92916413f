from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from app.api.deps import SettingsDep
from app.datasets.features import FEATURES
from app.datasets.registry import DATASETS
from app.engine.experiment import load_data
from app.errors import NotFound, SpecError
from app.schemas.runs import DatasetRef

router = APIRouter(prefix="/api/datasets", tags=["datasets"])


@router.get("")
async def list_datasets() -> list[dict[str, Any]]:
    return [info.public() for info in DATASETS.values()]


@router.get("/{name}")
async def get_dataset(
    name: str,
    settings: SettingsDep,
    n_samples: Annotated[int | None, Query(ge=2)] = None,
    noise: Annotated[float, Query(ge=0, le=50)] = 0,
    train_ratio: Annotated[float | None, Query(gt=0, le=1)] = None,
    seed: Annotated[int, Query(ge=0)] = 0,
    features: Annotated[list[str] | None, Query(description="repeat, or separate with commas")] = None,
    scaling: Annotated[Literal["none", "minmax", "standard"], Query()] = "none",
) -> dict[str, Any]:
    if name not in DATASETS:
        raise NotFound("name", f"there is no data set named '{name}'; available: {', '.join(DATASETS)}")
    if n_samples is not None and n_samples > settings.max_samples:
        raise SpecError("n_samples", f"{n_samples} is more than the limit of {settings.max_samples}")
    names = [f for item in features or [] for f in item.split(",") if f] or None
    for f in names or []:
        if f not in FEATURES:
            raise SpecError("features", f"unknown feature '{f}'; choose from: {', '.join(FEATURES)}")
    ref = DatasetRef(
        name=name, n_samples=n_samples, noise=noise, train_ratio=train_ratio, seed=seed, features=names, scaling=scaling
    )
    data = await run_in_threadpool(load_data, ref, seed)
    return {**data.public(), "name": name}
