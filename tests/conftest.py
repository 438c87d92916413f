from collections.abc import Iterator

import httpx
import pytest

from tests.server import ROOT, Server

(ROOT / "artifacts").mkdir(exist_ok=True)


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
