"""Issue 14, items 4 and 8: storage faults are said (health, one line at start), never silent or a traceback."""

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.db.database import Database, database_url
from tests.classroom.conftest import store_url
from tests.helpers import circle_spec
from tests.server import ROOT, Server, free_port


def _start(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLAYGROUND_DATA_DIR": str(data_dir), "PLAYGROUND_PREWARM": "false"}
    command = [sys.executable, "-m", "app.cli", "--port", str(free_port())]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _fresh_database() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="playground-test-"))
    db = Database(database_url(None, folder))
    db.migrate()
    db.close()
    return folder


def test_a_file_that_is_not_a_database_stops_start_up_in_one_line() -> None:
    folder = Path(tempfile.mkdtemp(prefix="playground-test-"))
    (folder / "playground.db").write_bytes(b"this is not SQLite" * 500)
    done = _start(folder)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "backup" in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_a_corrupted_page_stops_start_up_in_one_line() -> None:
    folder = _fresh_database()
    path = folder / "playground.db"
    connection = sqlite3.connect(path)  # some rows, then pages of them overwritten
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("CREATE TABLE filler (x TEXT)")
    connection.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(200)])
    connection.commit()
    connection.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page + 100 : 5 * page] = b"\xff" * (2 * page - 100)
    path.write_bytes(bytes(data))
    done = _start(folder)
    assert done.returncode == 2, done.stderr
    assert "damaged" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_failed_saves_show_in_health_and_the_server_keeps_serving() -> None:
    server = Server(env={"PLAYGROUND_CHECKPOINT_SECONDS": "0.2", "PLAYGROUND_PREWARM": "false"})
    try:
        server.close()  # started once (its rows written), it restarts on a database that cannot grow much:
        size_mb = (server.data_dir / "playground.db").stat().st_size / 1024 / 1024
        server.env["PLAYGROUND_MAX_DATABASE_MB"] = f"{size_mb + 0.02:.3f}"  # saves fail as on a full disk
        server.start()
        with httpx.Client(base_url=server.url, timeout=60) as client:
            spec = circle_spec(epochs=1_000_000)
            spec["model"]["layers"] = [{"type": "Dense", "units": 64, "activation": "tanh"}] * 3 + [
                {"type": "Dense", "units": 1, "activation": "sigmoid"}
            ]
            runs = [client.post("/api/runs", json=spec).json()["id"] for _ in range(3)]
            deadline = time.monotonic() + 120
            health = client.get("/api/health").json()
            while health["storage"]["ok"] and time.monotonic() < deadline:
                time.sleep(0.5)
                health = client.get("/api/health").json()
            assert health["status"] == "degraded", health
            assert "full" in health["storage"]["error"] and health["storage"]["failed_saves"] >= 1, health
            failing = [client.get(f"/api/runs/{run_id}").json() for run_id in runs]
            assert any("full" in (r.get("save_error") or "") for r in failing), failing  # the run says so too
            for run_id in runs:  # still answering and still training
                assert client.get(f"/api/runs/{run_id}").status_code == 200
            # A stop answers only what was saved: with the database full, not that it stopped for good.
            answers = [client.post(f"/api/runs/{run_id}/stop").json() for run_id in runs]
            for answer in answers:
                assert answer["saved"] is False and "full" in answer["save_error"], answer
    finally:
        server.close()
    log = Path(server.log.name).read_text()
    assert "saving run" in log and "Traceback" not in log, log[-3000:]


def _builtin_presets(url: str) -> list[tuple[str, float]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT id, created FROM presets WHERE builtin ORDER BY id")
            return [(row[0], row[1]) for row in connection.execute(query)]
    finally:
        engine.dispose()


def test_a_restart_does_not_rewrite_the_course_presets(store_env: dict[str, str]) -> None:
    server = Server(env={"PLAYGROUND_PREWARM": "false", **store_env})
    try:
        before = _builtin_presets(store_url(server))
        server.restart()
        after = _builtin_presets(store_url(server))
        assert before and before == after
    finally:
        server.close()


def test_an_unreachable_postgresql_server_stops_start_up_in_one_line() -> None:
    folder = Path(tempfile.mkdtemp(prefix="playground-test-"))
    env = {**os.environ, "PLAYGROUND_DATA_DIR": str(folder), "PLAYGROUND_PREWARM": "false",
           "DATABASE_URL": f"postgresql://nobody:secret@127.0.0.1:{free_port()}/none"}  # fmt: skip
    command = [sys.executable, "-m", "app.cli", "--port", str(free_port())]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "DATABASE_URL" in lines[0], done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr
