"""The API: includes the routers, nothing else."""

from fastapi import APIRouter

from app.api.routes import (
    baselines,
    classroom,
    datasets,
    experiments,
    exports,
    models,
    pages,
    presets,
    runs,
    service,
    stream,
)

api_router = APIRouter()
for module in (service, classroom, models, datasets, presets, runs, baselines, exports, experiments, stream, pages):
    api_router.include_router(module.router)
