"""The API: includes the routers, nothing else."""

from fastapi import APIRouter

from app.api.routes import datasets, models, pages, runs, service, stream

api_router = APIRouter()
for module in (service, models, datasets, runs, stream, pages):
    api_router.include_router(module.router)
