"""The schema comes from Alembic's migrations; an old database is upgraded with its data (SQLite and PostgreSQL)."""

import threading
import time
from typing import Any

import sqlalchemy as sa
from alembic import command

from app.db.database import MIGRATION_LOCK, Database, alembic_config
from app.runs.store import RunStore


def test_upgrading_a_first_version_database_keeps_each_runs_history(store_url: str) -> None:
    url = store_url
    command.upgrade(alembic_config(url), "0001")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO runs (id, client, spec, status, epoch, history, warnings, metrics, created, updated) "
                "VALUES ('r1', 'c1', '{}', 'done', 3, :history, '[]', '{}', 0, 0)"
            ),
            {"history": '{"loss": [0.9, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}'},
        )
    engine.dispose()
    db = Database(url)
    db.migrate()
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        columns = {c["name"] for c in sa.inspect(connection).get_columns("runs")}
    assert "history" not in columns
    store = RunStore(db)
    try:
        assert store.history("r1", 3) == {"loss": [0.9, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}
        assert store.history("r1", 2) == {"loss": [0.9, 0.5], "accuracy": [0.5, 0.75]}
    finally:
        store.close()
        db.close()


def test_the_migrations_go_down_and_up_again(store_url: str) -> None:
    command.upgrade(alembic_config(store_url), "head")
    command.downgrade(alembic_config(store_url), "base")
    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    db = Database(store_url)
    try:
        db.migrate()
        with db.engine.connect() as connection:
            assert {"runs", "history_chunks", "classes", "presets"} <= set(sa.inspect(connection).get_table_names())
    finally:
        db.close()


def test_app_processes_starting_together_take_turns_migrating(postgres: Any) -> None:
    """Two app processes on one new PostgreSQL database: while another holds the migration lock
    neither creates a table; released, both finish (one upgrades, the other finds it done)."""
    url = postgres.create_database()
    holder = sa.create_engine(url)
    databases = [Database(url), Database(url)]
    errors: list[BaseException] = []

    def migrate(db: Database) -> None:
        try:
            db.migrate()
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)

    try:
        with holder.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            threads = [threading.Thread(target=migrate, args=(db,)) for db in databases]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            assert all(thread.is_alive() for thread in threads)  # both wait for the lock
            assert not sa.inspect(connection).get_table_names()
            connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        with holder.connect() as connection:
            assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["0002"]
    finally:
        holder.dispose()
        for db in databases:
            db.close()
