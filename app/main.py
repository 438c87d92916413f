"""The ASGI application: `app.main:app`."""

import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import errors
from app.api.main import api_router
from app.api.session import SessionMiddleware
from app.api.warm import warm_routes
from app.classroom.service import Classroom
from app.config import Settings, get_settings
from app.datasets import saved
from app.db.database import Database, database_url
from app.paths import STATIC_DIR
from app.preset_store import PresetStore
from app.runs.manager import RunManager


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runs.start()  # the saved runs come back before the first request
        if settings.prewarm:
            app.state.runs.start_prewarm()
        await warm_routes(app)
        yield
        clean = app.state.runs.shutdown()
        db.close()
        if not clean:  # a thread is still inside TensorFlow: exiting Python now would crash in it
            logging.getLogger(__name__).warning("stopping now; every run was saved")
            logging.shutdown()
            os._exit(0)

    app = FastAPI(
        title="Neural-network playground",
        description="Real Keras models from JSON, trained on the server, streamed live.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc: app/api/routes/docs.py, with their assets served offline
        redoc_url=None,
    )
    app.state.settings = settings
    db = Database(database_url(settings.database_url, settings.data_dir), settings.max_database_mb)
    db.migrate()
    saved.restore(db)  # uploads first: challenges and runs may use them
    app.state.db = db
    app.state.classroom = Classroom(settings, db)
    app.state.presets = PresetStore(db)
    if settings.ray_address:  # training on a Ray cluster's trainers (needs the `cluster` extra)
        from app.cluster.remote import RayRunManager

        app.state.runs = RayRunManager(settings, db, app.state.classroom)
    else:
        app.state.runs = RunManager(settings, db, app.state.classroom)
    errors.install(app)

    app.add_middleware(SessionMiddleware, settings=settings)
    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


# Training workers, request handlers and the event loop share the GIL; a shorter switch
# interval keeps requests and frames responsive while the workers are busy.
sys.setswitchinterval(0.001)
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
app = create_app()
