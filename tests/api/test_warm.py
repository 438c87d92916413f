"""The start-up request that makes FastAPI build its route tables (app/api/warm.py), in-process."""

import asyncio
from pathlib import Path

import httpx

from app.api.warm import NO_ROUTE, warm_routes
from app.config import Settings
from app.main import create_app


def test_the_warming_request_matches_no_route_and_leaves_no_trace(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, prewarm=False))
    assert asyncio.run(warm_routes(app)) == 404  # walked every router, ran no endpoint

    async def runs_after() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get(NO_ROUTE)).json()["errors"][0]["code"] == "no_such_path"
            return await client.get("/api/runs")

    listed = asyncio.run(runs_after())
    assert listed.status_code == 200 and listed.json() == []  # the routes after it answer as before
