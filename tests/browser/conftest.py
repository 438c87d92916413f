"""A real server and Debian's Chromium, driven by Playwright, for the page's tests."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.server import ROOT, Server

ARTIFACTS = ROOT / "artifacts"
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def page_server() -> Iterator[Server]:
    if not (ROOT / "static" / "node_modules" / "uplot").is_dir():
        pytest.fail("static/node_modules is missing: run `npm ci --prefix static` (make install does)")
    srv = Server()
    yield srv
    srv.close()


class Console:
    """Console errors and uncaught exceptions of a page; `expect(pattern)` allows some."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def on_message(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def expect(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def open_page(browser: Browser, page_server: Server, console: Console) -> Iterator:
    """open_page(query="", locale="en-US") → a loaded playground page in a fresh session."""
    contexts = []

    def _open(query: str = "", locale: str = "en-US") -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.on("console", console.on_message)
        page.on("pageerror", lambda exc: console.errors.append(f"uncaught: {exc}"))
        page.goto(f"{page_server.url}/{query}")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert console.unexpected() == [], "the page logged errors"


def shot(page: Page, name: str) -> Path:
    """Save a screenshot as an artifact of the run (look at them)."""
    path = ARTIFACTS / f"page-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
