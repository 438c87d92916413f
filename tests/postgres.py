"""PostgreSQL for the tests: a throw-away cluster (initdb in a temporary directory, on a free port,
stopped at the end of the session), a fresh database for each test that asks, and the fixtures that
run the storage, classroom and restart tests on SQLite *and* on PostgreSQL.

`scripts/install-postgres.sh` (run by `make test` and `.ci/run`) installs Debian's `postgresql`
when its binaries are missing; without them the PostgreSQL variants skip and say so.

- `store_url` (per test): an SQLAlchemy URL, an SQLite file or a new PostgreSQL database.
- `store_env` (per test) and `module_store_env` (per module): the environment a `Server` gets,
  `{}` on SQLite (the server's own file in its data directory) or `PLAYGROUND_DATABASE_URL`.
- `postgres` (per session): the cluster; `PostgresCluster()` makes a test its own one (to stop it).
"""

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.server import free_port

BACKENDS = ["sqlite", "postgresql"]
# The tests through real servers again on PostgreSQL take minutes: slow (CI and `make test` run them,
# `make test-fast` only the in-process ones).
SERVER_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]
INSTALL = "install PostgreSQL with `bash scripts/install-postgres.sh` (as root; `make test` runs it)"


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


class PostgresCluster:
    """A PostgreSQL server of its own: trust authentication on 127.0.0.1, no durability (tests)."""

    def __init__(self) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise FileNotFoundError(f"PostgreSQL's binaries are missing: {INSTALL}")
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="playground-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        # postgres refuses to run as root: as root, its files and processes belong to `postgres`.
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        command = [*self._as, str(self.bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(sql)  # type: ignore[arg-type]

    def create_database(self) -> str:
        """A new, empty database's URL."""
        name = f"test_{next(self._names)}_{int(time.time() * 1000) % 10**8}"
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def need_postgres() -> None:
    if postgres_bin() is None:
        pytest.skip(f"PostgreSQL's binaries (pg_ctl, initdb) are missing: {INSTALL}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    need_postgres()
    cluster = PostgresCluster()
    yield cluster
    cluster.close()


def _url(request: Any, folder: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{folder / 'playground.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database()


def _env(request: Any) -> dict[str, str]:
    if request.param == "sqlite":
        return {}
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return {"PLAYGROUND_DATABASE_URL": cluster.create_database()}


@pytest.fixture(params=BACKENDS)
def store_url(request: Any, tmp_path: Path) -> str:
    return _url(request, tmp_path)


@pytest.fixture(params=SERVER_BACKENDS)
def store_env(request: Any) -> dict[str, str]:
    return _env(request)


@pytest.fixture(scope="module", params=SERVER_BACKENDS)
def module_store_env(request: Any) -> dict[str, str]:
    return _env(request)
