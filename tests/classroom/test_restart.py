"""Nothing is lost: a real server is killed and started again on the same database (an SQLite file,
or a PostgreSQL database)."""

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.engine.tf_setup import keras
from tests.classroom.conftest import Person
from tests.helpers import circle_spec, finished
from tests.server import Server


@pytest.fixture
def server(store_env: dict[str, str]) -> Iterator[Server]:
    srv = Server(env={"PLAYGROUND_CHECKPOINT_SECONDS": "0.5", "PLAYGROUND_PREWARM": "false", **store_env})
    yield srv
    srv.close()


def test_a_crash_loses_nothing_but_the_last_seconds(server: Server) -> None:
    student, teacher = Person(server), Person(server)
    teacher.post("/api/teacher", json={"key": server.teacher_key})
    klass = teacher.post("/api/classes", json={"name": "Kept", "settings": {"max_epochs": 10**6}}).json()
    student.post("/api/join", json={"code": klass["join_code"], "name": "Yuna"})
    upload = student.post("/api/datasets", data={"label": "y", "text": "x,y\n1,3\n2,5\n3,7\n4,9\n"}).json()
    preset = {"id": "my-lesson", "title": {"en": "Mine", "ko": "내 것"}, "spec": circle_spec(epochs=5)}
    assert teacher.post("/api/presets", json=preset).status_code == 201

    done_id = student.post("/api/runs", json=circle_spec(epochs=200)).json()["id"]
    done = student.wait(done_id, finished)
    before = student.get(f"/api/runs/{done_id}/model.keras").content
    long_id = student.post("/api/runs", json=circle_spec(epochs=10**6)).json()["id"]
    student.wait(long_id, lambda r: r["epoch"] > 300)
    paused_id = student.post("/api/runs", json=circle_spec(epochs=50, paused=True)).json()["id"]
    student.post(f"/api/runs/{paused_id}/step")
    student.wait(paused_id, lambda r: r["epoch"] == 1)
    trained = student.get(f"/api/runs/{long_id}").json()["epoch"]

    server.restart(kill=True)  # SIGKILL: no chance to save anything more

    runs = {r["id"]: r for r in student.get("/api/runs").json()}
    assert set(runs) == {done_id, long_id, paused_id}
    again = student.get(f"/api/runs/{done_id}").json()
    assert again["status"] == "done" and again["history"] == done["history"]
    after = student.get(f"/api/runs/{done_id}/model.keras").content
    assert _predictions(after) == pytest.approx(_predictions(before), abs=1e-6)
    assert student.get(f"/api/runs/{done_id}/history.csv").text.count("\n") == 201

    # the run that was training: interrupted at its last checkpoint, at most a few seconds back
    interrupted = student.get(f"/api/runs/{long_id}").json()
    assert interrupted["status"] == "interrupted" and 0 < interrupted["epoch"] <= trained
    assert len(interrupted["history"]["loss"]) == interrupted["epoch"]
    resumed = student.post(f"/api/runs/{long_id}/resume").json()
    assert resumed["status"] == "running"
    later = student.wait(long_id, lambda r: r["epoch"] > interrupted["epoch"] + 50)
    assert later["history"]["loss"][: interrupted["epoch"]] == interrupted["history"]["loss"]
    student.post(f"/api/runs/{long_id}/stop")
    # the paused run: still paused where it was
    assert student.get(f"/api/runs/{paused_id}").json()["status"] == "paused"

    # uploads, classes, names, the teacher and teacher presets are all still there
    assert student.get(f"/api/datasets/{upload['name']}").status_code == 200
    assert student.get("/api/me").json()["class"]["name"] == "Kept"
    assert teacher.get("/api/me").json()["teacher"] is True
    assert "my-lesson" in [p["id"] for p in student.get("/api/presets").json()]
    # and a second session still sees none of it
    assert Person(server).get(f"/api/runs/{done_id}").status_code == 404


def _predictions(keras_file: bytes) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        path.write_bytes(keras_file)
        model = keras.saving.load_model(path)
    grid = np.array([[x, y] for x in np.linspace(-6, 6, 7) for y in np.linspace(-6, 6, 7)], dtype=np.float32)
    return np.asarray(model(grid)).ravel().tolist()


def test_a_gentle_stop_saves_training_runs_as_interrupted(server: Server) -> None:
    student = Person(server)
    run_id = student.post("/api/runs", json=circle_spec(epochs=10**6)).json()["id"]
    student.wait(run_id, lambda r: r["epoch"] > 100)
    server.restart()  # SIGTERM: the server saves what it can
    run = student.get(f"/api/runs/{run_id}").json()
    assert run["status"] == "interrupted" and run["epoch"] > 100
    assert json.loads(student.get(f"/api/runs/{run_id}/history.json").text)["loss"][-1] == run["history"]["loss"][-1]


def test_a_stop_answers_what_a_restart_shows(server: Server) -> None:
    student = Person(server)
    run_id = student.post("/api/runs", json=circle_spec(epochs=10**6)).json()["id"]
    student.wait(run_id, lambda r: r["epoch"] > 300)
    answer = student.post(f"/api/runs/{run_id}/stop").json()
    assert answer["saved"] is True

    server.restart(kill=True)  # at once: whatever the answer said must already be on disk

    again = student.get(f"/api/runs/{run_id}").json()
    assert (again["status"], again["epoch"]) == ("stopped", answer["epoch"])
    assert len(again["history"]["loss"]) == answer["epoch"]
