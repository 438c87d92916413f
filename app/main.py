"""The ASGI application: `app.main:app`."""

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from app.api import errors
from app.api.deps import new_token, presented_token
from app.api.main import api_router
from app.config import Settings, get_settings
from app.paths import STATIC_DIR
from app.runs.manager import RunManager


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.prewarm:
            threading.Thread(target=app.state.runs.prewarm, name="prewarm", daemon=True).start()
        yield
        app.state.runs.shutdown()

    app = FastAPI(
        title="Neural-network playground",
        description="Real Keras models from JSON, trained on the server, streamed live.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runs = RunManager(settings)
    errors.install(app)

    @app.middleware("http")
    async def session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Every caller has a session token; the first request without one gets one as a cookie."""
        token = presented_token(request, settings)
        fresh = token is None
        request.state.client = token = token or new_token()
        response = await call_next(request)
        if fresh:
            response.set_cookie(settings.session_cookie, token, httponly=True, samesite="lax", max_age=365 * 86400)
            response.headers["X-Session-Token"] = token
        return response

    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
app = create_app()
