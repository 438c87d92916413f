"""The API: includes the routers, nothing else."""

from fastapi import APIRouter

from app.api.routes import datasets, experiments, exports, models, pages, runs, service, stream

api_router = APIRouter()
for module in (service, models, datasets, runs, exports, experiments, stream, pages):
    api_router.include_router(module.router)
