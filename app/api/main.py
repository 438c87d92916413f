"""The API: includes the routers, nothing else."""

from fastapi import APIRouter

from app.api.routes import (
    baselines,
    classroom,
    datasets,
    docs,
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
ROUTERS = (service, classroom, models, datasets, presets, runs, baselines, exports, experiments, stream, pages, docs)
for module in ROUTERS:
    api_router.include_router(module.router)
