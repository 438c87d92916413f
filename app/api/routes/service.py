from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from app.catalog import catalog

router = APIRouter(prefix="/api", tags=["service"])


def _versions() -> dict[str, str]:
    from app.engine.tf_setup import keras, tf

    return {"tensorflow": tf.__version__, "keras": keras.__version__}


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok", **await run_in_threadpool(_versions)}


@router.get("/catalog")
async def get_catalog() -> dict[str, Any]:
    return catalog()
