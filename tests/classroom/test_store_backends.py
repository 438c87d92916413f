"""The store's queries in-process, on SQLite and on PostgreSQL: a run's row, history chunks,
checkpoint and deletion; the course presets written again at each start; and (PostgreSQL) a
database server that goes away and comes back loses none of the history saved meanwhile."""

import time
from collections.abc import Iterator

import numpy as np
import pytest

from app.db.database import Database, backend
from app.db.tables import RunRow
from app.preset_store import PresetStore
from app.runs.store import RunSave, RunStore
from tests.postgres import PostgresCluster, need_postgres


@pytest.fixture
def store(store_url: str) -> Iterator[RunStore]:
    db = Database(store_url)
    db.migrate()
    runs = RunStore(db)
    runs.start()
    yield runs
    runs.close()
    db.close()


def _row(run_id: str) -> RunRow:
    now = time.time()
    return RunRow(id=run_id, client="c" * 64, spec={"model": {"layers": []}}, status="running", epoch=0,
                  warnings=[], metrics={}, created=now, updated=now)  # fmt: skip


def test_a_runs_rows_round_trip(store: RunStore) -> None:
    assert store.insert(_row("r1")).wait(10)
    weights = [np.arange(6, dtype=np.float32).reshape(2, 3)]
    store.save("r1", RunSave({"epoch": 3, "checkpoint_epoch": 3}, [(0, 3, {"loss": [0.9, 0.5, None]})],
                             weights, [np.ones(2)]))  # fmt: skip
    store.save("r1", RunSave({"epoch": 4, "metrics": {"loss": 0.2}}, [(3, 4, {"loss": [0.2]})]))
    assert store.flush(10) and store.status()["ok"], store.status()
    assert store.history("r1", 4) == {"loss": [0.9, 0.5, None, 0.2]}
    saved = store.checkpoint("r1")
    assert saved is not None and saved[0] == 3
    assert np.array_equal(saved[1][0], weights[0]) and np.array_equal(saved[2][0], np.ones(2))
    [row] = store.rows()
    assert (row.epoch, row.metrics, row.status) == (4, {"loss": 0.2}, "running")
    store.set_fields("r1", status="done", score=0.75)
    assert store.rows()[0].score == 0.75
    assert store.delete("r1") and store.rows() == []


def test_the_course_presets_are_written_once_on_each_backend(store_url: str) -> None:
    for _ in range(2):  # a second start finds them there
        db = Database(store_url)
        db.migrate()
        try:
            presets = PresetStore(db)
            assert presets.all()
        finally:
            db.close()
    assert backend(store_url) in ("sqlite", "postgresql")


def test_a_database_server_that_goes_away_and_comes_back_loses_no_history() -> None:
    need_postgres()
    cluster = PostgresCluster()  # its own: stopped in the middle
    db = Database(cluster.create_database())
    db.migrate()
    store = RunStore(db)
    store.start()
    try:
        store.insert(_row("r1"))
        store.save("r1", RunSave({"epoch": 2}, [(0, 2, {"loss": [1.0, 0.9]})]))
        assert store.flush(10) and store.status()["ok"]
        cluster.stop()
        store.save("r1", RunSave({"epoch": 4}, [(2, 4, {"loss": [0.8, 0.7]})]))
        assert store.flush(30)
        assert not store.status()["ok"] and store.save_error("r1"), store.status()
        cluster.start()
        deadline = time.monotonic() + 30  # tried again on its own, with no newer save behind it
        while not store.status()["ok"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert store.status()["ok"], store.status()
        store.save("r1", RunSave({"epoch": 5}, [(4, 5, {"loss": [0.6]})]))
        assert store.flush(10) and store.save_error("r1") is None
        assert store.history("r1", 5) == {"loss": [1.0, 0.9, 0.8, 0.7, 0.6]}
        assert store.rows()[0].epoch == 5
    finally:
        store.close()
        db.close()
        cluster.close()
