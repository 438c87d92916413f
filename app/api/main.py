"""The API: includes the routers, nothing else."""

from fastapi import APIRouter

from app.api.errors import ERROR_RESPONSES
from app.api.finite import FiniteJSONResponse
from app.api.routes import (
    baselines,
    classroom,
    datasets,
    docs,
    experiments,
    exports,
    feature_maps,
    models,
    pages,
    presets,
    runs,
    service,
    stream,
    theory,
)

# NaN or infinity (a diverged model) is written as null with a warning, never a 500.
api_router = APIRouter(default_response_class=FiniteJSONResponse)
ROUTERS = (service, classroom, models, datasets, presets, runs, baselines, exports, experiments, stream, pages, docs,
           theory, feature_maps)  # fmt: skip
for module in ROUTERS:  # every operation documents its 4xx answers with the body they really have
    api_router.include_router(module.router, responses=ERROR_RESPONSES)
