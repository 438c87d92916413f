from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.api.deps import ManagerDep
from app.api.finite import JSONRoute
from app.catalog import catalog
from app.errors import CODES

router = APIRouter(prefix="/api", tags=["service"], route_class=JSONRoute)


def _versions() -> dict[str, str]:
    from app.engine.tf_setup import keras, tf

    return {"tensorflow": tf.__version__, "keras": keras.__version__}


@router.get("/health")
async def health(runs: ManagerDep) -> dict[str, Any]:
    """Service status, library versions, the compiled-program cache (`compiling` > 0 while programs
    are being traced or compiled, e.g. just after start-up) and the storage: `storage.ok` is false and
    `storage.error` says why (a full disk, a read-only database) while saves fail; `status` is then
    "degraded" (runs keep training, unsaved). `store` names the database's backend ("sqlite" or
    "postgresql"), `training.backend` where runs train ("in-process": this server's own threads; "ray":
    a Ray cluster's trainers, with `training.nodes`, the cluster's live nodes)."""
    storage = runs.store.status()
    status = "ok" if storage["ok"] else "degraded"
    return {
        "status": status,
        **await run_in_threadpool(_versions),
        "programs": runs.programs.status(),
        "storage": storage,
        "store": runs.store.db.backend,
        "training": await run_in_threadpool(runs.training),
    }


@router.get("/catalog")
async def get_catalog() -> dict[str, Any]:
    return catalog()


@router.get("/errors")
async def error_codes() -> dict[str, dict[str, str]]:
    """Every code an error or warning can carry, with its English template: `{name}` is filled from
    the item's `params`. A client translates by code; `message` is this template filled in."""
    return {"codes": CODES}
