from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api.deps import SettingsDep
from app.config import Settings
from app.engine.builder import build_model
from app.engine.experiment import load_data
from app.engine.summary import summarize, summary_text
from app.errors import SpecError
from app.schemas.runs import SummaryRequest

router = APIRouter(prefix="/api/models", tags=["models"])


def _summary(body: SummaryRequest, settings: Settings) -> dict[str, Any]:
    if body.dataset is not None:
        shape = load_data(body.dataset, 0).input_shape
    elif body.input_shape or body.model.input_shape:
        shape = tuple(body.input_shape or body.model.input_shape or ())
        if any(d < 1 for d in shape):
            raise SpecError("input_shape", f"every size must be at least 1 (got {list(shape)})")
    else:
        raise SpecError("input_shape", "is required when no dataset is given, for example [2]")
    model = build_model(body.model, shape, 0, settings)
    return {**summarize(model), "text": summary_text(model)}


@router.post("/summary")
async def model_summary(body: SummaryRequest, settings: SettingsDep) -> dict[str, Any]:
    """The numbers `model.summary()` prints, for a model spec on an input shape or data set."""
    return await run_in_threadpool(_summary, body, settings)
