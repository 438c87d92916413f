"""The classroom API: the teacher key, classes and join codes, the teacher's live view,
challenges and their leaderboards, and who the caller is."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ClassroomDep, ClientDep, ManagerDep
from app.api.finite import JSONRoute
from app.datasets.registry import DATASETS
from app.errors import NotFound, SpecError
from app.runs.run import Run
from app.schemas.classroom import ChallengeCreate, ClassCreate, ClassPatch, JoinRequest, TeacherLogin

router = APIRouter(prefix="/api", tags=["classroom"], route_class=JSONRoute)


def address(request: Request) -> str:
    """Who is guessing: the client's address (what a proxy forwards, as uvicorn reads it)."""
    return request.client.host if request.client else "unknown"


def _teacher_key(
    request: Request,
    client: ClientDep,
    classroom: ClassroomDep,
    key: Annotated[str | None, Header(alias="X-Teacher-Key", description="the teacher key, for scripts")] = None,
) -> str | None:
    """The X-Teacher-Key header, checked here (wrong keys count against the client's address)."""
    if key is not None and not classroom.is_teacher(client):
        classroom.unlock(client, key, address(request))
    return key


TeacherKey = Annotated[str | None, Depends(_teacher_key)]


@router.get("/me")
async def me(client: ClientDep, classroom: ClassroomDep) -> dict[str, Any]:
    """Your display name, your class (its rules and challenges), and whether you are the teacher."""
    return classroom.me(client)


@router.post("/join")
async def join(body: JoinRequest, request: Request, client: ClientDep, classroom: ClassroomDep) -> dict[str, Any]:
    """Join a class with the teacher's code and a display name (no account, no password)."""
    classroom.join_class(client, body.code, body.name, address(request))
    return classroom.me(client)


@router.post("/leave")
async def leave(client: ClientDep, classroom: ClassroomDep) -> dict[str, Any]:
    classroom.members.leave(client)
    return classroom.me(client)


@router.post("/teacher")
async def unlock(body: TeacherLogin, request: Request, client: ClientDep, classroom: ClassroomDep) -> dict[str, Any]:
    """Unlock the teacher view for this session with the teacher key."""
    classroom.unlock(client, body.key, address(request))
    return classroom.me(client)


@router.post("/classes", status_code=201)
async def create_class(
    body: ClassCreate, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> dict[str, Any]:
    """A new class and its join code (teacher only)."""
    classroom.require_teacher(client, key)
    return classroom.classes.public(classroom.classes.create(body.name, body.settings))


@router.get("/classes")
async def list_classes(client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None) -> list[dict[str, Any]]:
    classroom.require_teacher(client, key)
    return [
        {**classroom.classes.public(row), "students": len(classroom.members.in_class(row.id))}
        for row in classroom.classes.all()
    ]


@router.get("/classes/{class_id}")
async def get_class(
    class_id: str, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> dict[str, Any]:
    classroom.require_teacher(client, key)
    row = classroom.classes.get(class_id)
    return {
        **classroom.classes.public(row),
        "students": sorted(m.display_name or "" for m in classroom.members.in_class(class_id)),
        "members": classroom.roster(class_id),
        "challenges": [c.public() for c in classroom.challenges.in_class(class_id)],
    }


@router.patch("/classes/{class_id}")
async def patch_class(
    class_id: str, body: ClassPatch, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> dict[str, Any]:
    """Rename a class or change its rules (data sets, layers, units, epochs, hidden controls)."""
    classroom.require_teacher(client, key)
    return classroom.classes.public(classroom.classes.update(class_id, body.name, body.settings))


def _live(run: Run, classroom: ClassroomDep) -> dict[str, Any]:
    return {
        "id": run.id,
        "student": classroom.name_of(run.client),
        "status": run.status,
        "epoch": run.epoch,
        "epochs": run.spec.fit.epochs,
        "dataset": run.spec.dataset.name,
        "architecture": run.spec.model.describe(),
        "loss": run.last.get("loss"),
        "accuracy": run.last.get("accuracy"),
        "val_loss": run.last.get("val_loss"),
        "val_accuracy": run.last.get("val_accuracy"),
        "score": run.score,
        "challenge": run.challenge_id,
        "queue_position": run.queue_position if run.status == "queued" else None,
        "created": run.created,
    }


@router.get("/classes/{class_id}/runs")
async def class_runs(
    class_id: str, client: ClientDep, classroom: ClassroomDep, runs: ManagerDep, key: TeacherKey = None
) -> list[dict[str, Any]]:
    """Every student's runs in the class, newest first, as they are now (poll it for a live view)."""
    classroom.require_teacher(client, key)
    classroom.classes.get(class_id)
    # A worker thread: on a Ray cluster the class's runs are asked of every trainer.
    return await run_in_threadpool(lambda: [_live(run, classroom) for run in runs.in_class(class_id)])


@router.post("/classes/{class_id}/challenges", status_code=201)
async def create_challenge(
    class_id: str, body: ChallengeCreate, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> dict[str, Any]:
    """A data set with a hidden test split: students train on `dataset`, runs are scored on the rest."""
    classroom.require_teacher(client, key)
    classroom.classes.get(class_id)
    info = DATASETS.get(body.dataset.name)
    if info is None or not classroom.can_see(client, info.name):  # as if it did not exist
        shown = ", ".join(n for n, i in DATASETS.items() if i.owner is None)
        raise SpecError("dataset.name", code="unknown_dataset", params={"name": body.dataset.name, "available": shown})
    if info.owner not in (None, client):  # another class's challenge set: its rows are that class's
        raise SpecError("dataset.name", code="challenge_data")
    return classroom.challenges.create(class_id, body).public()


@router.get("/classes/{class_id}/challenges")
async def list_challenges(
    class_id: str, client: ClientDep, classroom: ClassroomDep, key: TeacherKey = None
) -> list[dict[str, Any]]:
    classroom.require_teacher(client, key)
    classroom.classes.get(class_id)
    return [c.public() for c in classroom.challenges.in_class(class_id)]


@router.get("/challenges/{challenge_id}/leaderboard")
async def leaderboard(
    challenge_id: str, client: ClientDep, classroom: ClassroomDep, runs: ManagerDep
) -> dict[str, Any]:
    """Each student's best score on the hidden split, best first (the class and the teacher)."""
    member = classroom.members.get(client)
    challenge = classroom.challenges.get(challenge_id)
    if not member.teacher and member.class_id != challenge.row.class_id:
        raise NotFound("id", code="not_found", params={"kind": "challenge", "id": challenge_id})
    rows = await run_in_threadpool(
        lambda: classroom.leaderboard(challenge, runs.in_challenge(challenge_id), member.teacher)
    )
    return {"challenge": challenge.public(), "leaderboard": rows}
