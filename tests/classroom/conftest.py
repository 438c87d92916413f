"""Classroom tests: real servers on their own fresh data directories, each on a new SQLite file
and again on a new PostgreSQL database (`module_store_env`, `store_env`: tests/postgres.py)."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.helpers import wait_for
from tests.server import Server


class Person:
    """A browser-less student or teacher: a session token sent as a bearer token, so the
    session survives the server moving to a new port after a restart."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.token = httpx.get(f"{server.url}/api/me").headers["x-session-token"]

    @property
    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, timeout=60, headers={"Authorization": f"Bearer {self.token}"})

    def get(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        with self.http as c:
            return c.get(path, **kw)

    def post(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        with self.http as c:
            return c.post(path, **kw)

    def patch(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        with self.http as c:
            return c.patch(path, **kw)

    def wait(self, run_id: str, predicate: Any, timeout: float = 120) -> dict[str, Any]:
        with self.http as c:
            return wait_for(c, run_id, predicate, timeout)

    def delete(self, path: str) -> httpx.Response:
        with self.http as c:
            return c.delete(path)


@pytest.fixture(scope="module")
def classroom_server(module_store_env: dict[str, str]) -> Iterator[Server]:
    srv = Server(env={"PLAYGROUND_CHECKPOINT_SECONDS": "1", "PLAYGROUND_PREWARM": "false", **module_store_env})
    yield srv
    srv.close()


@pytest.fixture
def teacher(classroom_server: Server) -> Person:
    person = Person(classroom_server)
    assert person.post("/api/teacher", json={"key": classroom_server.teacher_key}).json()["teacher"] is True
    return person


def store_url(server: Server) -> str:
    """The SQLAlchemy URL of the server's database: PostgreSQL's, or the SQLite file in its data directory."""
    return server.env.get("PLAYGROUND_DATABASE_URL") or f"sqlite:///{server.data_dir / 'playground.db'}"


def make_person(server: Server) -> Person:
    return Person(server)
