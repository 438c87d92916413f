"""/docs and /redoc render the API with no internet: every request to another host is blocked."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, expect

from tests.browser.conftest import ARTIFACTS
from tests.server import Server

LOCAL = {"127.0.0.1", "localhost", "[::1]"}


@pytest.fixture
def offline(browser: Browser) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A browser context whose every request to a host other than this machine is aborted (and listed)."""
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.route("**/*", only_local)
    yield context, blocked
    context.close()


def test_swagger_ui_renders_every_operation_offline(server: Server, offline) -> None:
    context, blocked = offline
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Neural-network playground", timeout=30_000)
    runs = page.locator('.opblock-post [data-path="/api/runs"]')
    expect(runs.first).to_be_visible()
    operations = len(server_paths(server))
    assert page.locator(".opblock").count() >= operations
    page.screenshot(path=str(ARTIFACTS / "docs-swagger.png"))
    assert blocked == [] and errors == []


def test_redoc_renders_the_operations_offline_in_local_fonts(server: Server, offline) -> None:
    context, blocked = offline
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/redoc")
    expect(page.locator("h1").first).to_contain_text("Neural-network playground", timeout=30_000)
    expect(page.locator('[data-section-id^="operation/"]').first).to_be_attached()
    expect(page.get_by_text("/api/runs/{run_id}/pause").first).to_be_attached()
    assert page.locator('[data-section-id^="operation/"]').count() >= len(server_paths(server))
    page.screenshot(path=str(ARTIFACTS / "docs-redoc.png"))
    assert blocked == [] and errors == []
    assert "fonts.googleapis.com" not in page.content()


def server_paths(server: Server) -> list[str]:
    import httpx

    return list(httpx.get(f"{server.url}/openapi.json", timeout=30).json()["paths"])
