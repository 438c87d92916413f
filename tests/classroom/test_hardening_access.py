"""Issue 14, items 6 and 7: uploads stay their owner's, secrets cannot be guessed quickly, tokens stay out of logs."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from tests.classroom.conftest import Person
from tests.helpers import circle_spec, dense
from tests.server import Server

CSV = "a,b,y\n" + "".join(f"{i},{(i * 7) % 5},{i % 2}\n" for i in range(40))


@pytest.fixture(scope="module")
def strict_server() -> Iterator[Server]:
    srv = Server(
        env={
            "PLAYGROUND_PREWARM": "false",
            "PLAYGROUND_MAX_FAILED_ATTEMPTS": "5",
            "PLAYGROUND_FAILED_ATTEMPTS_WINDOW": "60",
        }
    )
    yield srv
    srv.close()


def test_a_students_upload_stays_theirs(strict_server: Server) -> None:
    teacher, student, other = Person(strict_server), Person(strict_server), Person(strict_server)
    key = strict_server.teacher_key
    assert teacher.post("/api/teacher", json={"key": key}).status_code == 200
    code = teacher.post("/api/classes", json={"name": "7B"}).json()
    class_id = code["id"]
    assert student.post("/api/join", json={"code": code["join_code"], "name": "Min"}).status_code == 200
    upload = student.post("/api/datasets", data={"label": "y", "text": CSV}).json()["name"]
    # the teacher sees the name in the student's run, but cannot publish the rows as a challenge
    spec = {**circle_spec(epochs=1), "dataset": {"name": upload}}
    assert student.post("/api/runs", json=spec).status_code == 201
    challenge = {"title": "leak", "dataset": {"name": upload}}
    refused = teacher.post(f"/api/classes/{class_id}/challenges", json=challenge)
    unknown = teacher.post(f"/api/classes/{class_id}/challenges", json={"title": "x", "dataset": {"name": "nope"}})
    assert refused.status_code == unknown.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == unknown.json()["errors"][0]["code"] == "unknown_dataset"
    # a built-in set and the teacher's own upload work
    assert (
        teacher.post(
            f"/api/classes/{class_id}/challenges", json={"title": "c", "dataset": {"name": "circle"}}
        ).status_code
        == 201
    )
    own = teacher.post("/api/datasets", data={"label": "y", "text": CSV}).json()["name"]
    assert (
        teacher.post(f"/api/classes/{class_id}/challenges", json={"title": "t", "dataset": {"name": own}}).status_code
        == 201
    )
    # the summary does not say whether another session's set exists
    body = {"model": {"layers": [dense(2), dense(1, "sigmoid")]}, "dataset": {"name": upload}}
    theirs = other.post("/api/models/summary", json=body)
    missing = other.post("/api/models/summary", json={**body, "dataset": {"name": "upload_doesnotexist"}})
    assert theirs.status_code == missing.status_code == 422
    assert theirs.json()["errors"][0]["code"] == missing.json()["errors"][0]["code"] == "unknown_dataset"
    assert student.post("/api/models/summary", json=body).status_code == 200


def test_wrong_teacher_keys_are_limited_per_client(strict_server: Server) -> None:
    guesser = Person(strict_server)
    answers = [guesser.post("/api/teacher", json={"key": f"guess{i}"}).status_code for i in range(8)]
    assert answers[:5] == [403] * 5 and answers[5:] == [429] * 3, answers
    limited = guesser.post("/api/teacher", json={"key": strict_server.teacher_key})
    assert limited.status_code == 429 and limited.json()["errors"][0]["code"] == "rate_limited"
    assert int(limited.json()["errors"][0]["params"]["seconds"]) >= 1
    # the header counts the same way (same client address), even from another session
    with httpx.Client(base_url=strict_server.url, headers={"X-Teacher-Key": "guess"}) as script:
        assert script.get("/api/classes").status_code == 429


def test_join_codes_are_long_and_guesses_are_limited(tmp_path: Path) -> None:
    server = Server(env={"PLAYGROUND_PREWARM": "false", "PLAYGROUND_MAX_FAILED_ATTEMPTS": "3"})
    try:
        teacher, student = Person(server), Person(server)
        code = teacher.post("/api/classes", json={"name": "8A"}, headers={"X-Teacher-Key": server.teacher_key}).json()
        assert len(code["join_code"]) == 8
        answers = [student.post("/api/join", json={"code": f"WRONG{i:03d}", "name": "x"}).status_code for i in range(5)]
        assert answers == [404, 404, 404, 429, 429], answers
    finally:
        server.close()


def test_tokens_stay_out_of_urls_and_logs(strict_server: Server) -> None:
    person = Person(strict_server)
    with httpx.Client(base_url=strict_server.url) as anonymous:  # ?token= is for websockets only
        assert anonymous.get("/api/me", params={"token": person.token}).headers.get("x-session-token")
    run_id = person.post("/api/runs", json=circle_spec(epochs=5)).json()["id"]
    with connect(f"{strict_server.ws_url}/ws/runs/{run_id}?token={person.token}", open_timeout=30) as ws:
        assert ws.recv(timeout=30)
    person.get(f"/api/runs/{run_id}?token={person.token}")
    log = Path(strict_server.log.name).read_text()
    assert f"/ws/runs/{run_id}" in log and person.token not in log
