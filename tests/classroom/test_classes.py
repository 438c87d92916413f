"""Classes, join codes, the teacher key, class rules: through the API of a real server."""

import httpx

from app.classroom.classes import CODE_ALPHABET
from tests.classroom.conftest import Person
from tests.helpers import circle_spec, dense, finished
from tests.server import Server


def test_the_teacher_key_unlocks_the_teacher_view(classroom_server: Server) -> None:
    stranger = Person(classroom_server)
    refused = stranger.post("/api/classes", json={"name": "1A"})
    assert refused.status_code == 403 and "teacher key" in refused.json()["detail"]
    wrong = stranger.post("/api/teacher", json={"key": "not-it"})
    assert wrong.status_code == 403 and wrong.json()["errors"][0]["field"] == "key"
    # a script may send the key with the request instead of logging in
    made = stranger.post("/api/classes", json={"name": "1A"}, headers={"X-Teacher-Key": classroom_server.teacher_key})
    assert made.status_code == 201 and stranger.get("/api/me").json()["teacher"] is True


def test_students_join_with_the_code_and_a_name(classroom_server: Server, teacher: Person) -> None:
    made = teacher.post("/api/classes", json={"name": "Class 2B"}).json()
    code = made["join_code"]
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    minji, jisoo, other = Person(classroom_server), Person(classroom_server), Person(classroom_server)
    joined = minji.post("/api/join", json={"code": code.lower(), "name": " Minji  Kim "}).json()
    assert joined["display_name"] == "Minji Kim" and joined["class"]["name"] == "Class 2B"
    taken = jisoo.post("/api/join", json={"code": code, "name": "minji kim"})
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "name"
    unknown = other.post("/api/join", json={"code": "ZZZZZZ", "name": "x"})
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "code"
    assert jisoo.post("/api/join", json={"code": code, "name": "Jisoo"}).status_code == 200
    assert teacher.get(f"/api/classes/{made['id']}").json()["students"] == ["Jisoo", "Minji Kim"]
    assert minji.get(f"/api/classes/{made['id']}").status_code == 403


def test_class_rules_are_enforced_with_the_field_named(classroom_server: Server, teacher: Person) -> None:
    rules = {"datasets": ["circle", "xor"], "layers": ["Dense"], "max_units": 8, "max_epochs": 500, "hide": ["code"]}
    made = teacher.post("/api/classes", json={"name": "Rules", "settings": rules}).json()
    student = Person(classroom_server)
    me = student.post("/api/join", json={"code": made["join_code"], "name": "Ari"}).json()
    assert me["class"]["settings"]["hide"] == ["code"] and me["class"]["settings"]["max_units"] == 8

    def refused(spec: dict) -> tuple[str, str]:
        response = student.post("/api/runs", json=spec)
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        return error["field"], error["message"]

    assert refused(circle_spec(epochs=501))[0] == "fit.epochs"
    spec = circle_spec(epochs=10)
    spec["dataset"]["name"] = "spiral"
    assert refused(spec) == ("dataset.name", "your class uses only these data sets: circle, xor")
    spec = circle_spec(epochs=10)
    spec["model"]["layers"].insert(1, {"type": "Dropout", "rate": 0.1})
    assert refused(spec)[0] == "model.layers[1].type"
    spec = circle_spec(epochs=10)
    spec["model"]["layers"][0] = dense(9)
    assert refused(spec) == ("model.layers[0].units", "9 is more than your class's limit of 8")
    ok = student.post("/api/runs", json=circle_spec(epochs=10))
    assert ok.status_code == 201
    student.wait(ok.json()["id"], finished)
    # the teacher is bound by no class rule, and a class rule names what it does not know
    assert teacher.post("/api/runs", json=circle_spec(epochs=501, paused=True)).status_code == 201
    bad = teacher.patch(f"/api/classes/{made['id']}", json={"settings": {"layers": ["Dense", "Lambda"]}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "settings.layers[1]"
    # the teacher changes the rules: they apply to the next run
    teacher.patch(f"/api/classes/{made['id']}", json={"settings": {"max_epochs": 1000}})
    assert student.post("/api/runs", json=circle_spec(epochs=900)).status_code == 201


def test_the_teacher_sees_every_students_runs_live(classroom_server: Server, teacher: Person) -> None:
    made = teacher.post("/api/classes", json={"name": "Live"}).json()
    students = [Person(classroom_server) for _ in range(2)]
    ids = []
    for i, student in enumerate(students):
        student.post("/api/join", json={"code": made["join_code"], "name": f"S{i}"})
        ids.append(student.post("/api/runs", json=circle_spec(epochs=400)).json()["id"])
    outsider = Person(classroom_server)
    outsider.post("/api/runs", json=circle_spec(epochs=5))
    for student, run_id in zip(students, ids, strict=True):
        student.wait(run_id, finished)
    rows = teacher.get(f"/api/classes/{made['id']}/runs").json()
    assert {r["id"] for r in rows} == set(ids)  # the outsider's run is not the class's
    for row in rows:
        assert row["student"] in ("S0", "S1") and row["epoch"] == 400 and row["status"] == "done"
        layers = circle_spec()["model"]["layers"]
        assert row["architecture"] == " → ".join(f"Dense {x['units']} {x['activation']}" for x in layers)
        opened = teacher.get(f"/api/runs/{row['id']}").json()  # the teacher may open it
        assert row["loss"] == opened["history"]["loss"][-1] and opened["student"] == row["student"]
        assert opened["architecture"] == row["architecture"]
    # a student may not look at the class's runs, nor at another student's run
    assert students[0].get(f"/api/classes/{made['id']}/runs").status_code == 403
    assert students[0].get(f"/api/runs/{ids[1]}").status_code == 404


def test_health_names_the_store_and_the_training_backend(classroom_server: Server) -> None:
    health = httpx.get(f"{classroom_server.url}/api/health").json()
    expected = "postgresql" if "PLAYGROUND_DATABASE_URL" in classroom_server.env else "sqlite"
    assert health["store"] == expected and health["training"] == {"backend": "in-process"}, health
    assert health["status"] == "ok" and health["storage"]["ok"] is True


def test_a_label_longer_than_its_column_is_a_422_on_either_store(classroom_server: Server) -> None:
    label = "y" * 250  # PostgreSQL refuses a string longer than its column; SQLite would keep it
    answer = Person(classroom_server).post("/api/datasets", data={"label": label, "text": f"x,{label}\n1,3\n2,5\n"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "label", answer.text
