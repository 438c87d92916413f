"""One engine per server; the schema is brought up to date by Alembic's migrations at start-up,
after `PRAGMA quick_check` has found the SQLite file sound (a StorageError says what is wrong and what
to do, in one line).

The store is SQLite by default (a file in the data directory) or PostgreSQL (`DATABASE_URL=
postgresql+psycopg://user:password@host:port/db`): the same migrations and queries. The SQLite-only
parts (its pragmas, the file's check, the size cap) never touch a PostgreSQL engine; a PostgreSQL
connection is checked before use (`pool_pre_ping`), so a server that restarted costs one failed save,
not every save after it."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
PAGE_SIZE = 4096
MIGRATION_LOCK = 0x706C6179  # PostgreSQL advisory lock key that migrating app processes take turns on


class StorageError(RuntimeError):
    """The database or data directory cannot be used: what is wrong and what to do, in one line."""


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases or an in-memory one)."""
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def check_sqlite(path: Path) -> None:
    """Refuse a damaged or unreadable database file, and a data directory that cannot be written."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        raise StorageError(
            f"the data directory {folder} cannot be written: make it writable by this user "
            "(runs, checkpoints and uploads are saved there), or set PLAYGROUND_DATA_DIR to another one"
        )
    if not path.exists():
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            found = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
        connection.close()
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found != ["ok"]:
        raise StorageError(
            f"the database {path} is damaged ({found[0]}): stop the server and restore the file from a "
            "backup, or move it aside to start with an empty database (runs, classes and uploads in it are lost)"
        )


def check_server(url: str) -> None:
    """Refuse a database server that cannot be reached or logged into (PostgreSQL), in one line."""
    engine = create_engine(url, connect_args={"connect_timeout": 5} if backend(url) == "postgresql" else {})
    try:
        with engine.connect():
            pass
    except DatabaseError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise StorageError(
            f"the database at {make_url(url).render_as_string(hide_password=True)} cannot be reached ({reason}): "
            "start it, or check the host, port, user, password and database name in DATABASE_URL"
        ) from exc
    finally:
        engine.dispose()


def backend(url: str) -> str:
    """The store's kind as /api/health names it: "sqlite", "postgresql" (or another dialect's name)."""
    return make_url(url).get_backend_name()


def database_url(url: str | None, data_dir: Path) -> str:
    """The configured URL, or an SQLite file in the data directory. A PostgreSQL URL without a driver
    (`postgresql://`, `postgres://`, as hosting services give them) uses psycopg 3, the one installed."""
    if url:
        for bare in ("postgres://", "postgresql://"):
            if url.startswith(bare):
                return "postgresql+psycopg://" + url.removeprefix(bare)
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / 'playground.db').resolve()}"


def _sqlite_pragmas(max_pages: int):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        # WAL: readers never wait for the writer that saves checkpoints; foreign keys on.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if max_pages:  # PLAYGROUND_MAX_DATABASE_MB: a full database fails its saves as a full disk would
            cursor.execute(f"PRAGMA max_page_count={int(max_pages)}")
        cursor.close()

    return on_connect


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


class Database:
    def __init__(self, url: str, max_mb: float = 0) -> None:
        self.url = url
        self.backend = backend(url)
        sqlite = self.backend == "sqlite"
        path = sqlite_path(url)
        if path is not None:
            check_sqlite(path)
        if sqlite:
            connect_args: dict[str, object] = {"check_same_thread": False}
        elif self.backend == "postgresql":  # an unreachable server fails a save in seconds, not minutes
            connect_args = {"connect_timeout": 5}
        else:
            connect_args = {}
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not sqlite)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas(int(max_mb * 1024 * 1024 / PAGE_SIZE)))
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration. On PostgreSQL, app processes that
        start together take turns (a transaction-scoped advisory lock): the first upgrades, the
        others find the schema at the newest version and change nothing."""
        try:
            with self.engine.begin() as connection:
                if self.backend == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DatabaseError as exc:
            reason = str(exc.orig or exc).splitlines()[0]
            if self.backend != "sqlite":
                raise StorageError(
                    f"the database cannot be opened or upgraded ({reason}): check that the {self.backend} server "
                    "is running and reachable at the configured URL, and that its user may create tables"
                ) from exc
            raise StorageError(
                f"the database cannot be opened or upgraded ({reason}): check that the "
                "disk has free space and the file is writable, or restore it from a backup"
            ) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
