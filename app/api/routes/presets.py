from typing import Any

from fastapi import APIRouter

from app.presets import presets

router = APIRouter(prefix="/api/presets", tags=["presets"])


@router.get("")
async def list_presets() -> list[dict[str, Any]]:
    """The course's exercises: {id, topic, title {en, ko}, description {en, ko}, spec, predict?}.

    `spec` is a POST /api/runs body; `predict`, where given, lists inputs the lesson asks about."""
    return presets()
