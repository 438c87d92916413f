from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.server import ROOT, Server

pytest_plugins = ["tests.postgres"]  # PostgreSQL: the cluster, and the fixtures on both backends

(ROOT / "artifacts").mkdir(exist_ok=True)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    """A fresh session (its own cookie) against the shared server."""
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


# One Chromium for the whole session (Playwright's sync API allows one instance per thread):
# the page's tests and the API docs' tests share it.
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `make browser`")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()
