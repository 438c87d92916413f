"""A PostgreSQL server that is briefly unreachable does not end a training run: a real app server
trains on, says `degraded`, and once the database is back writes what it could not."""

import time

import httpx
import pytest

from tests.classroom.conftest import Person
from tests.helpers import circle_spec
from tests.postgres import PostgresCluster, need_postgres
from tests.server import Server


@pytest.mark.slow
def test_a_run_trains_through_a_database_outage_and_keeps_its_history() -> None:
    need_postgres()
    cluster = PostgresCluster()  # its own: stopped in the middle
    server = Server(env={"PLAYGROUND_DATABASE_URL": cluster.create_database(), "PLAYGROUND_CHECKPOINT_SECONDS": "0.5"})
    try:
        student = Person(server)
        run_id = student.post("/api/runs", json=circle_spec(epochs=10**6)).json()["id"]
        student.wait(run_id, lambda r: r["epoch"] > 50)
        cluster.stop()
        down = student.get(f"/api/runs/{run_id}").json()["epoch"]
        deadline = time.monotonic() + 60
        health = httpx.get(f"{server.url}/api/health").json()
        while health["storage"]["ok"] and time.monotonic() < deadline:
            time.sleep(0.3)
            health = httpx.get(f"{server.url}/api/health").json()
        assert health["status"] == "degraded" and health["store"] == "postgresql", health
        later = student.wait(run_id, lambda r: r["epoch"] > down + 100)
        assert later["status"] == "running"
        cluster.start()
        deadline = time.monotonic() + 60
        while not httpx.get(f"{server.url}/api/health").json()["storage"]["ok"] and time.monotonic() < deadline:
            time.sleep(0.3)
        answer = student.post(f"/api/runs/{run_id}/stop").json()
        assert answer["saved"] is True, answer
        server.restart(kill=True)  # what the database holds: every epoch, the outage's too
        again = student.get(f"/api/runs/{run_id}").json()
        assert (again["status"], again["epoch"]) == ("stopped", answer["epoch"])
        losses = again["history"]["loss"]
        assert len(losses) == answer["epoch"] and None not in losses
    finally:
        server.close()
        cluster.close()
