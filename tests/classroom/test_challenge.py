"""A challenge: students train on the visible rows; the hidden rows score their runs; a leaderboard."""

import tempfile
from pathlib import Path

import numpy as np

from app.engine.tf_setup import keras
from tests.classroom.conftest import Person
from tests.helpers import dense, finished
from tests.server import Server


def _spec(dataset: str, units: int, epochs: int) -> dict:
    return {
        "dataset": {"name": dataset},
        "model": {"layers": [dense(units, "tanh"), dense(1, "sigmoid")]},
        "compile": {
            "loss": "binary_crossentropy",
            "optimizer": {"type": "Adam", "learning_rate": 0.03},
            "metrics": ["accuracy"],
        },  # fmt: skip
        "fit": {"epochs": epochs, "batch_size": 32},
    }


def _accuracy(keras_file: bytes, x: np.ndarray, y: np.ndarray) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        path.write_bytes(keras_file)
        model = keras.saving.load_model(path)
    predicted = (np.asarray(model(x)).ravel() >= 0.5).astype(int)
    return float(np.mean(predicted == y))


def test_runs_are_scored_on_the_hidden_split_and_ranked(classroom_server: Server, teacher: Person) -> None:
    klass = teacher.post("/api/classes", json={"name": "Challenge", "settings": {"datasets": ["circle"]}}).json()
    body = {"title": "Moons", "dataset": {"name": "moons", "noise": 20, "seed": 3}, "hidden_ratio": 0.3, "seed": 7}
    challenge = teacher.post(f"/api/classes/{klass['id']}/challenges", json=body).json()
    name = challenge["dataset"]
    assert challenge["visible_rows"] == 350 and challenge["hidden_rows"] == 150

    students = {who: Person(classroom_server) for who in ("Bora", "Chan", "Dami")}
    for who, person in students.items():
        person.post("/api/join", json={"code": klass["join_code"], "name": who})
    outsider = Person(classroom_server)
    assert outsider.get(f"/api/datasets/{name}").status_code == 404  # only the class sees it
    assert name not in [d["name"] for d in outsider.get("/api/datasets").json()]
    assert name in [d["name"] for d in students["Bora"].get("/api/datasets").json()]
    noisy = students["Bora"].post("/api/runs", json={**_spec(name, 8, 10), "dataset": {"name": name, "noise": 5}})
    assert noisy.status_code == 422 and noisy.json()["errors"][0]["field"] == "dataset.noise"

    # the visible rows and the hidden ones are the whole data set, without overlap
    whole = teacher.get("/api/datasets/moons", params={"noise": 20, "seed": 3, "train_ratio": 1}).json()
    visible = students["Bora"].get(f"/api/datasets/{name}", params={"train_ratio": 1}).json()
    points = {tuple(p) for p in whole["points_train"]}
    shown = {tuple(p) for p in visible["points_train"]}
    assert len(shown) == 350 and shown < points
    hidden = [(p, y) for p, y in zip(whole["points_train"], whole["y_train"], strict=True) if tuple(p) not in shown]
    hidden_x = np.array([p for p, _ in hidden], dtype=np.float32)
    hidden_y = np.array([y for _, y in hidden])

    runs = {
        "Bora": students["Bora"].post("/api/runs", json=_spec(name, 16, 300)).json()["id"],
        "Chan": students["Chan"].post("/api/runs", json=_spec(name, 2, 20)).json()["id"],
        "Dami": students["Dami"].post("/api/runs", json=_spec(name, 16, 150)).json()["id"],
    }
    scores = {}
    for who, run_id in runs.items():
        run = students[who].wait(run_id, finished)
        assert run["status"] == "done" and run["challenge"] == challenge["id"]
        model = students[who].get(f"/api/runs/{run_id}/model.keras").content
        assert run["score"] == round(_accuracy(model, hidden_x, hidden_y), 6)  # Keras is the oracle
        scores[who] = run["score"]
    a_second = students["Chan"].post("/api/runs", json=_spec(name, 16, 200)).json()["id"]
    scores["Chan"] = max(scores["Chan"], students["Chan"].wait(a_second, finished)["score"])

    board = students["Dami"].get(f"/api/challenges/{challenge['id']}/leaderboard").json()["leaderboard"]
    assert {row["name"]: row["score"] for row in board} == scores  # each student's best run
    assert [row["score"] for row in board] == sorted(scores.values(), reverse=True)
    for above, below in zip(board, board[1:], strict=False):  # equal scores share a rank
        assert below["rank"] == (above["rank"] if below["score"] == above["score"] else board.index(below) + 1)
    assert all("run_id" not in row for row in board)  # students see names and scores only
    teacher_board = teacher.get(f"/api/challenges/{challenge['id']}/leaderboard").json()["leaderboard"]
    assert {row["run_id"] for row in teacher_board} <= {*runs.values(), a_second}
    assert outsider.get(f"/api/challenges/{challenge['id']}/leaderboard").status_code == 404
    assert scores["Bora"] > 0.8  # a real network learns the moons


def test_a_challenge_on_a_table_data_set_scores_r2(classroom_server: Server, teacher: Person) -> None:
    klass = teacher.post("/api/classes", json={"name": "Regression"}).json()
    body = {"title": "Diabetes", "dataset": {"name": "diabetes"}, "hidden_ratio": 0.2}
    challenge = teacher.post(f"/api/classes/{klass['id']}/challenges", json=body).json()
    assert challenge["metric"] == "r2"
    student = Person(classroom_server)
    student.post("/api/join", json={"code": klass["join_code"], "name": "Eun"})
    spec = {
        "dataset": {"name": challenge["dataset"], "scaling": "standard"},
        "model": {"layers": [dense(16, "relu"), dense(1, "linear")]},
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "Adam", "learning_rate": 0.05}},
        "fit": {"epochs": 200, "batch_size": 32},
    }
    run = student.wait(student.post("/api/runs", json=spec).json()["id"], finished)
    assert run["score"] is not None and 0.2 < run["score"] < 0.8  # diabetes: R² near 0.5
    bad = teacher.post(f"/api/classes/{klass['id']}/challenges", json={**body, "dataset": {"name": "nope"}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "dataset.name"
