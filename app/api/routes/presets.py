from typing import Any

from fastapi import APIRouter, Response

from app.api.deps import ClassroomDep, ClientDep, PresetsDep
from app.api.finite import JSONRoute
from app.api.routes.classroom import TeacherKey
from app.schemas.classroom import PresetCreate

router = APIRouter(prefix="/api/presets", tags=["presets"], route_class=JSONRoute)


@router.get("")
async def list_presets(store: PresetsDep) -> list[dict[str, Any]]:
    """The course's exercises, then the teacher's: {id, topic, title {en, ko}, description {en, ko},
    spec, predict?, builtin}. `spec` is a POST /api/runs body; `predict`, where given, lists inputs
    the lesson asks about."""
    return store.all()


@router.post("", status_code=201)
async def add_preset(
    body: PresetCreate, store: PresetsDep, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> dict[str, Any]:
    """A teacher's own one-click lesson, kept in the database and listed after the course's."""
    classroom.require_teacher(client, key)
    return store.add(body.model_dump(mode="json", exclude_none=True))


@router.delete("/{preset_id}", status_code=204)
async def delete_preset(
    preset_id: str, store: PresetsDep, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> Response:
    classroom.require_teacher(client, key)
    store.remove(preset_id)
    return Response(status_code=204)
