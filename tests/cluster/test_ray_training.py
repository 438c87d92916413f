"""Training on a real Ray cluster (a head and a second node on this machine) with a PostgreSQL
store: runs posted through the API train inside the cluster's trainer actors, and the app's
websocket streams their frames."""

import json
import time

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from app.db.database import Database
from app.runs.store import RunStore
from tests.cluster.ray_cluster import RayCluster
from tests.helpers import circle_spec, finished, wait_for
from tests.postgres import PostgresCluster
from tests.server import Server
from tests.stream_client import connect_run, read_binary

pytestmark = pytest.mark.slow


def test_health_says_ray_and_two_nodes(ray_server: Server) -> None:
    health = httpx.get(f"{ray_server.url}/api/health", timeout=60).json()
    assert health["store"] == "postgresql"
    assert health["training"]["backend"] == "ray"
    assert health["training"]["nodes"] == 2
    assert health["training"]["trainers"] == 2
    assert isinstance(health["training"]["compiling"], int) and health["training"]["compiling"] >= 0


def test_a_run_trains_on_ray_and_its_socket_gets_frames_to_the_end(ray_server: Server, ray_cluster: RayCluster) -> None:
    with httpx.Client(base_url=ray_server.url, timeout=180) as client:
        # Paused at first, so that the socket sees the untrained model, then every frame to the end.
        created = client.post("/api/runs", json=circle_spec(epochs=200, paused=True))
        assert created.status_code == 201, created.text
        run_id = created.json()["id"]
        trainers = ray_cluster.trainers()  # one actor per node; the run lives in one of them
        assert len(trainers) == 2 and sum(t["runs"] for t in trainers.values()) == 1, trainers
        assert all(t["pid"] != ray_server.proc.pid for t in trainers.values())
        epochs: list[int] = []
        history: dict[str, list[float]] = {}
        with connect_run(ray_server, client, run_id) as ws:
            while True:
                message = json.loads(ws.recv(timeout=120))
                if message["type"] != "frame":
                    break
                epochs.append(message["epoch"])
                for key, values in message["history"].items():
                    history.setdefault(key, []).extend(values)
                if len(epochs) == 1:
                    assert message["epoch"] == 0 and message["status"] == "paused"
                    assert client.post(f"/api/runs/{run_id}/resume").json()["status"] == "running"
        assert message["type"] == "done", message
        assert message["status"] == "done" and message["epoch"] == 200
        assert epochs[0] == 0 and epochs[-1] == 200
        assert epochs == sorted(epochs) and len(set(epochs)) > 2, epochs  # a growing epoch
        assert len(history["loss"]) == 200 and history["loss"] == message["history"]["loss"]
        done = client.get(f"/api/runs/{run_id}").json()
        assert done["status"] == "done" and done["history"]["loss"] == history["loss"]
        assert done["history"]["loss"][-1] < done["history"]["loss"][0]
        # Read in the web process from the run's last checkpoint in the shared database.
        predicted = client.post(f"/api/runs/{run_id}/predict", json={"points": [[0, 0], [5, 5]]})
        assert predicted.status_code == 200, predicted.text
        inside, outside = (row[0] for row in predicted.json()["outputs"])
        assert inside != outside


def test_controls_reach_the_trainer(ray_server: Server) -> None:
    with httpx.Client(base_url=ray_server.url, timeout=180) as client:
        run_id = client.post("/api/runs", json=circle_spec(epochs=100_000)).json()["id"]
        wait_for(client, run_id, lambda r: r["epoch"] >= 3, timeout=180)
        assert client.post(f"/api/runs/{run_id}/pause").json()["status"] == "paused"
        time.sleep(0.5)
        paused_at = client.get(f"/api/runs/{run_id}").json()["epoch"]
        time.sleep(1.0)
        assert client.get(f"/api/runs/{run_id}").json()["epoch"] == paused_at
        client.post(f"/api/runs/{run_id}/step")
        stepped = wait_for(client, run_id, lambda r: r["epoch"] == paused_at + 1)
        assert stepped["status"] == "paused"
        patched = client.patch(f"/api/runs/{run_id}", json={"learning_rate": 0.01})
        assert patched.status_code == 200, patched.text
        with connect_run(ray_server, client, run_id, "binary") as ws:
            frame = read_binary(ws.recv(timeout=60))  # type: ignore[arg-type]
            assert frame["epoch"] == paused_at + 1 and frame["status"] == "paused"
            assert frame["grid"] is not None
        assert client.post(f"/api/runs/{run_id}/resume").json()["status"] == "running"
        wait_for(client, run_id, lambda r: r["epoch"] > paused_at + 5)
        stopped = client.post(f"/api/runs/{run_id}/stop").json()
        assert stopped["status"] == "stopped" and stopped["saved"] is True
        more = client.post(f"/api/runs/{run_id}/continue", json={"epochs": 5})
        assert more.status_code == 200, more.text
        ended = wait_for(client, run_id, finished)
        assert ended["status"] == "done" and ended["epoch"] == stopped["epoch"] + 5
        assert [r["id"] for r in client.get("/api/runs").json()] == [run_id]
        refused = client.post(f"/api/runs/{run_id}/pause")
        assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "run_ended"


def test_a_run_posted_on_one_app_process_is_streamed_and_paused_through_another(
    ray_server: Server, ray_server_b: Server
) -> None:
    with httpx.Client(base_url=ray_server.url, timeout=180) as a:
        created = a.post("/api/runs", json=circle_spec(epochs=100_000))
        assert created.status_code == 201, created.text
        run_id = created.json()["id"]
        token = a.cookies["playground_session"]
        with httpx.Client(base_url=ray_server_b.url, timeout=180, cookies={"playground_session": token}) as b:
            assert [r["id"] for r in b.get("/api/runs").json()][:1] == [run_id]
            with connect_run(ray_server_b, b, run_id) as ws:
                seen: list[int] = []
                while len(seen) < 3 or seen[-1] <= seen[0]:
                    message = json.loads(ws.recv(timeout=120))
                    if message["type"] == "frame":
                        seen.append(message["epoch"])
                assert b.post(f"/api/runs/{run_id}/pause").json()["status"] == "paused"
                while True:  # the socket on B says so too
                    message = json.loads(ws.recv(timeout=60))
                    if message["type"] == "frame" and message["status"] == "paused":
                        break
            assert a.get(f"/api/runs/{run_id}").json()["status"] == "paused"  # and A sees it
            stopped = b.post(f"/api/runs/{run_id}/stop").json()
            assert stopped["status"] == "stopped" and stopped["saved"] is True
            assert a.get(f"/api/runs/{run_id}").json()["status"] == "stopped"


def test_an_app_process_killed_mid_stream_drops_only_its_sockets(
    cluster_env: dict[str, str], ray_server: Server
) -> None:
    """`kill -9` of the web process a student was on: its socket closes, and the run goes on in the
    cluster; the page's reconnect (to another web process behind the load balancer) gets frames of
    the same run, trained further, with its whole curve, and its controls work there. Another
    student's run, on the surviving process, never stops."""
    doomed = Server(env=cluster_env)
    try:
        with (
            httpx.Client(base_url=doomed.url, timeout=180) as a,
            httpx.Client(base_url=ray_server.url, timeout=180) as other,
        ):
            run_id = a.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()["id"]
            token = a.cookies["playground_session"]
            other_id = other.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()["id"]
            with connect_run(doomed, a, run_id) as ws:
                while json.loads(ws.recv(timeout=120))["type"] != "frame":
                    pass
                doomed.proc.kill()
                doomed.proc.wait(10)
                with pytest.raises(ConnectionClosed):  # the socket closes; it does not hang
                    while True:
                        ws.recv(timeout=30)
            other_epoch = other.get(f"/api/runs/{other_id}").json()["epoch"]
            with httpx.Client(base_url=ray_server.url, timeout=180, cookies={"playground_session": token}) as b:
                before = b.get(f"/api/runs/{run_id}").json()["epoch"]
                after = wait_for(b, run_id, lambda r: r["status"] == "running" and r["epoch"] > before, timeout=60)
                assert all(len(v) == after["epoch"] and None not in v for v in after["history"].values())
                with connect_run(ray_server, b, run_id) as ws:
                    first = json.loads(ws.recv(timeout=60))
                    assert first["type"] == "frame" and first["epoch"] >= before, first["type"]
                    assert len(first["history"]["loss"]) == first["epoch"]  # the curve from epoch 1
                assert b.post(f"/api/runs/{run_id}/pause").json()["status"] == "paused"
                stopped = b.post(f"/api/runs/{run_id}/stop").json()
                assert stopped["status"] == "stopped" and stopped["saved"] is True
            wait_for(other, other_id, lambda r: r["status"] == "running" and r["epoch"] > other_epoch, timeout=60)
            assert other.post(f"/api/runs/{other_id}/stop").json()["status"] == "stopped"
    finally:
        doomed.close()


def test_runs_saved_before_the_cluster_are_taken_by_a_trainer_and_continue_there(
    cluster_env: dict[str, str], ray_cluster: RayCluster
) -> None:
    """A school's one-box server moves onto the cluster: a run it saved (the same database), ended,
    is taken by its heir trainer when a web process starts; continued, it trains on that trainer
    (not in the web process), its history going on from where it was."""
    alone = Server(env={k: v for k, v in cluster_env.items() if k != "PLAYGROUND_RAY_ADDRESS"})
    try:
        with httpx.Client(base_url=alone.url, timeout=180) as a:
            assert a.get("/api/health").json()["training"]["backend"] == "in-process"
            run_id = a.post("/api/runs", json=circle_spec(epochs=30)).json()["id"]
            done = wait_for(a, run_id, finished)
            token = a.cookies["playground_session"]
    finally:
        alone.close()
    late = Server(env=cluster_env)
    try:
        with httpx.Client(base_url=late.url, timeout=180, cookies={"playground_session": token}) as b:
            run = b.get(f"/api/runs/{run_id}").json()
            assert (run["status"], run["epoch"], run["history"]) == ("done", 30, done["history"])
            holders = [t for t in ray_cluster.trainers().values() if run_id in t["ids"]]
            assert len(holders) == 1, ray_cluster.trainers()
            assert b.post(f"/api/runs/{run_id}/continue", json={"epochs": 20}).json()["epochs"] == 50
            again = wait_for(b, run_id, lambda r: finished(r) and r["epoch"] == 50)
            assert again["status"] == "done" and again["history"]["loss"][:30] == done["history"]["loss"]
            assert len(again["history"]["loss"]) == 50
    finally:
        late.close()


def test_a_run_on_the_cluster_trains_through_a_database_outage(
    cluster_env: dict[str, str], ray_server: Server, postgres: PostgresCluster
) -> None:
    """The store's PostgreSQL server stopped for a while: the run trains on in its trainer, and
    once the server is back the trainer writes what it could not: the database has every epoch."""
    with httpx.Client(base_url=ray_server.url, timeout=180) as client:
        run_id = client.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()["id"]
        wait_for(client, run_id, lambda r: r["epoch"] > 50, timeout=180)
        postgres.stop()
        try:
            down = client.get(f"/api/runs/{run_id}").json()["epoch"]
            time.sleep(6)  # a checkpoint fails meanwhile (PLAYGROUND_CHECKPOINT_SECONDS: 5)
            later = wait_for(client, run_id, lambda r: r["epoch"] > down + 100, timeout=60)
            assert later["status"] == "running"
        finally:
            postgres.start()
        deadline = time.monotonic() + 60
        while (saved := client.get(f"/api/runs/{run_id}").json()).get("save_error") and time.monotonic() < deadline:
            time.sleep(0.5)  # the trainer's writer tries again every 2 s
        assert "save_error" not in saved, saved
        answer = client.post(f"/api/runs/{run_id}/stop").json()
        assert answer["status"] == "stopped" and answer["saved"] is True, answer
    database = Database(cluster_env["PLAYGROUND_DATABASE_URL"])
    try:
        history = RunStore(database).history(run_id, answer["epoch"])
    finally:
        database.close()
    assert len(history["loss"]) == answer["epoch"] and None not in history["loss"]  # the outage's epochs too


def test_a_class_made_through_one_web_process_is_joined_and_followed_through_another(
    ray_server: Server, ray_server_b: Server
) -> None:
    """The teacher makes a class through one web process; a student joins it and trains through
    the other (no sticky sessions); the teacher's table through either lists the student's run."""
    with (
        httpx.Client(base_url=ray_server.url, timeout=180) as teacher,
        httpx.Client(base_url=ray_server_b.url, timeout=180) as student,
    ):
        assert teacher.post("/api/teacher", json={"key": ray_server.teacher_key}).json()["teacher"] is True
        made = teacher.post("/api/classes", json={"name": "7A"}).json()
        deadline = time.monotonic() + 30  # the other process reads the classroom's rows again within 1 s
        join = {"code": made["join_code"], "name": "Mina"}
        while (joined := student.post("/api/join", json=join)).status_code == 404:
            assert time.monotonic() < deadline, joined.text
            time.sleep(0.3)
        assert joined.status_code == 200, joined.text
        run_id = student.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()["id"]
        token = teacher.cookies["playground_session"]
        with httpx.Client(base_url=ray_server_b.url, timeout=180, cookies={"playground_session": token}) as seen_on_b:
            for viewer in (teacher, seen_on_b):  # the process that never met the run, and the student's
                assert any(c["id"] == made["id"] for c in viewer.get("/api/classes").json())
                deadline = time.monotonic() + 10  # the student's name: within the refresh, as the table polls
                while (rows := viewer.get(f"/api/classes/{made['id']}/runs").json()) and rows[0]["student"] is None:
                    assert time.monotonic() < deadline, rows
                    time.sleep(0.3)
                assert [(r["id"], r["student"]) for r in rows] == [(run_id, "Mina")], rows
        assert student.post(f"/api/runs/{run_id}/stop").json()["status"] == "stopped"


def test_the_runs_of_a_node_killed_mid_training_go_on_from_their_checkpoints(
    ray_server: Server, ray_cluster: RayCluster
) -> None:
    """Last in the module: it leaves the cluster with one node."""
    with httpx.Client(base_url=ray_server.url, timeout=180) as client:
        ids = [client.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()["id"] for _ in range(2)]
        for run_id in ids:
            wait_for(client, run_id, lambda r: r["epoch"] >= 3, timeout=180)
        trainers = ray_cluster.trainers()
        on_worker = [t for t in trainers.values() if ray_cluster.node_of(t["pid"]) == 1]
        assert len(on_worker) == 1, trainers
        moved = next(i for i in ids if i in on_worker[0]["ids"])  # the trainer with fewer runs took one each
        time.sleep(6)  # past a checkpoint (PLAYGROUND_CHECKPOINT_SECONDS: 5)
        before = client.get(f"/api/runs/{moved}").json()["epoch"]
        ray_cluster.kill_node(1)
        began = time.monotonic()
        # Meanwhile its page answers 503 (its trainer is gone), then the run again, trained further.
        after = wait_for(client, moved, lambda r: r.get("status") == "running" and r["epoch"] > before, timeout=120)
        took = time.monotonic() - began
        assert all(len(v) == after["epoch"] and None not in v for v in after["history"].values())
        health = client.get("/api/health").json()["training"]
        assert (health["nodes"], health["trainers"]) == (1, 1)
        assert list(ray_cluster.trainers().values())[0]["ids"].count(moved) == 1
        with connect_run(ray_server, client, moved) as ws:  # and it streams from its new trainer
            first = json.loads(ws.recv(timeout=60))
            assert first["type"] == "frame" and first["epoch"] >= before - 1000
        for run_id in ids:
            assert client.post(f"/api/runs/{run_id}/stop").json()["status"] == "stopped"
        print(f"moved after {took:.1f} s")  # -s shows it
