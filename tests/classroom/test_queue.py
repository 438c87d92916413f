"""One server, shared fairly: a queue over the server's limit, fair across students; idle runs end."""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from websockets.sync.client import connect

from tests.classroom.conftest import Person
from tests.helpers import circle_spec, finished
from tests.server import Server


@pytest.fixture(scope="module")
def one_slot() -> Iterator[Server]:
    srv = Server(
        env={
            "PLAYGROUND_MAX_TRAINING_RUNS": "1",
            "PLAYGROUND_MAX_RUNS_PER_CLIENT": "10",
            "PLAYGROUND_IDLE_RUN_SECONDS": "2",
            "PLAYGROUND_PREWARM": "false",
        }
    )
    yield srv
    srv.close()


def test_the_queue_is_fair_across_students(one_slot: Server) -> None:
    greedy, modest = Person(one_slot), Person(one_slot)
    long = circle_spec(epochs=10**6)
    first = greedy.post("/api/runs", json=long).json()
    assert first["status"] == "running"
    waiting = [greedy.post("/api/runs", json=long).json() for _ in range(3)]
    assert [(r["status"], r["queue_position"]) for r in waiting] == [("queued", 1), ("queued", 2), ("queued", 3)]
    # the other student's one run goes ahead of the greedy student's queued ones
    theirs = modest.post("/api/runs", json=long).json()
    assert theirs["status"] == "queued" and theirs["queue_position"] == 1
    assert [greedy.get(f"/api/runs/{r['id']}").json()["queue_position"] for r in waiting] == [2, 3, 4]
    with connect(f"{one_slot.ws_url}/ws/runs/{theirs['id']}?token={modest.token}", open_timeout=30) as ws:
        assert json.loads(ws.recv(timeout=30)) == {"type": "queued", "position": 1}
        greedy.post(f"/api/runs/{first['id']}/stop")  # a slot comes free: the modest student's turn
        frame = json.loads(ws.recv(timeout=60))
        assert frame["type"] == "frame"
    assert modest.get(f"/api/runs/{theirs['id']}").json()["status"] == "running"
    assert [greedy.get(f"/api/runs/{r['id']}").json()["queue_position"] for r in waiting] == [1, 2, 3]
    # stopping a queued run takes it out of the queue; the others move up
    greedy.post(f"/api/runs/{waiting[0]['id']}/stop")
    assert greedy.wait(waiting[0]["id"], finished)["status"] == "stopped"
    assert [greedy.get(f"/api/runs/{r['id']}").json()["queue_position"] for r in waiting[1:]] == [1, 2]
    for person in (greedy, modest):
        for run in person.get("/api/runs").json():
            person.delete(f"/api/runs/{run['id']}")


def test_a_paused_run_nobody_watches_ends_but_keeps_its_result(one_slot: Server) -> None:
    student = Person(one_slot)
    run_id = student.post("/api/runs", json=circle_spec(epochs=10**6)).json()["id"]
    student.wait(run_id, lambda r: r["epoch"] > 50)
    student.post(f"/api/runs/{run_id}/pause")
    ended = student.wait(run_id, finished, timeout=30)  # PLAYGROUND_IDLE_RUN_SECONDS=2
    assert ended["status"] == "stopped" and ended["epoch"] > 50 and len(ended["history"]["loss"]) == ended["epoch"]
    assert student.get(f"/api/runs/{run_id}/model.keras").status_code == 200


@pytest.fixture(scope="module")
def three_slots() -> Iterator[Server]:
    srv = Server(env={"PLAYGROUND_MAX_TRAINING_RUNS": "3", "PLAYGROUND_MAX_RUNS_PER_CLIENT": "2"})
    yield srv
    srv.close()


def test_many_students_at_once_all_get_their_runs_trained(three_slots: Server) -> None:
    students = [Person(three_slots) for _ in range(10)]
    long = circle_spec(epochs=10**6)

    def start(student: Person) -> list[dict]:
        return [student.post("/api/runs", json=long) for _ in range(3)]  # type: ignore[misc]

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(start, students))
    # each student's third run is over their limit of 2; nothing else is refused
    assert all([r.status_code for r in mine] == [201, 201, 429] for mine in answers)
    assert all("2 runs" in mine[2].json()["detail"] for mine in answers)
    runs = [(student, r.json()["id"]) for student, mine in zip(students, answers, strict=True) for r in mine[:2]]
    states = [student.get(f"/api/runs/{run_id}").json() for student, run_id in runs]
    assert sum(s["status"] == "running" for s in states) == 3
    assert sorted(s["queue_position"] for s in states if s["status"] == "queued") == list(range(1, 18))

    def train_a_little_then_stop(item: tuple[Person, str]) -> dict:
        student, run_id = item
        student.wait(run_id, lambda r: r["epoch"] >= 100, timeout=240)  # its turn comes
        student.post(f"/api/runs/{run_id}/stop")  # and frees the slot for the next
        return student.wait(run_id, finished)

    with ThreadPoolExecutor(20) as pool:
        ended = list(pool.map(train_a_little_then_stop, runs))
    assert all(run["status"] == "stopped" and run["epoch"] >= 100 for run in ended)
