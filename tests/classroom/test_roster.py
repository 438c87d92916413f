"""The teacher's class lists every member, with why a member's last new run was refused."""

from collections.abc import Iterator

import pytest

from tests.classroom.conftest import Person
from tests.helpers import circle_spec
from tests.server import Server


@pytest.fixture(scope="module")
def one_run_each(module_store_env: dict[str, str]) -> Iterator[Server]:
    srv = Server(env={"PLAYGROUND_MAX_RUNS_PER_CLIENT": "1", "PLAYGROUND_PREWARM": "false", **module_store_env})
    yield srv
    srv.close()


def test_every_member_and_each_refusal_is_listed(one_run_each: Server) -> None:
    teacher = Person(one_run_each)
    assert teacher.post("/api/teacher", json={"key": one_run_each.teacher_key}).status_code == 200
    klass = teacher.post("/api/classes", json={"name": "Period 5", "settings": {"max_epochs": 100}}).json()
    mina, jiho, ara = Person(one_run_each), Person(one_run_each), Person(one_run_each)
    for person, name in ((mina, "Mina"), (jiho, "지호"), (ara, "Ara")):
        assert person.post("/api/join", json={"code": klass["join_code"], "name": name}).status_code == 200
    held = {**circle_spec(epochs=100), "paused": True}  # stays active: it holds her one run
    assert mina.post("/api/runs", json=held).status_code == 201
    assert mina.post("/api/runs", json=held).status_code == 429  # over her limit
    assert jiho.post("/api/runs", json=circle_spec(epochs=1000)).status_code in (403, 422)  # over the class's epochs
    members = teacher.get(f"/api/classes/{klass['id']}").json()["members"]
    by_name = {m["name"]: m["refused"] for m in members}
    assert set(by_name) == {"Mina", "지호", "Ara"}
    assert by_name["Ara"] is None
    assert by_name["Mina"]["code"] == "too_many_runs" and by_name["Mina"]["params"] == {"limit": 1}
    assert by_name["지호"] is not None and by_name["지호"]["message"]
    # A run accepted afterwards clears the refusal.
    run = next(r for r in mina.get("/api/runs").json())
    assert mina.post(f"/api/runs/{run['id']}/stop").status_code == 200
    mina.wait(run["id"], lambda r: r["status"] == "stopped")
    assert mina.post("/api/runs", json=circle_spec(epochs=10)).status_code == 201
    members = teacher.get(f"/api/classes/{klass['id']}").json()["members"]
    assert {m["name"]: m["refused"] for m in members}["Mina"] is None
