"""A model whose first build crashes TensorFlow natively costs that model, not the class.

The server is started with `PLAYGROUND_PROBE_FAULT=abort`: the child process that tries each new
model aborts after trying it, exactly as TensorFlow's `Check failed` does (SIGABRT). The
student gets a 422 naming the model; another student's run trains on without a pause; the
server process is the same one."""

import time

import httpx
import pytest

from tests.helpers import circle_spec, wait_for
from tests.server import Server

CNN = {
    "dataset": {"name": "digits"},
    "model": {
        "layers": [
            {"type": "Reshape", "target_shape": [8, 8, 1]},
            {"type": "Conv2D", "filters": 2, "kernel_size": 3, "strides": 2, "activation": "relu"},
            {"type": "Flatten"},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ]
    },
    "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}},
    "fit": {"epochs": 5},
}


@pytest.mark.slow
def test_a_crashing_new_model_gets_a_422_and_the_class_trains_on() -> None:
    server = Server(env={"PLAYGROUND_PROBE_FAULT": "abort"})
    pid = server.proc.pid
    try:
        with (
            httpx.Client(base_url=server.url, timeout=120) as classmate,
            httpx.Client(base_url=server.url, timeout=120) as student,
        ):
            # A Dense stack of the class is trained by the stack groups, never tried in a child.
            run = classmate.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()
            before = wait_for(classmate, run["id"], lambda r: r["epoch"] > 50)

            answer = student.post("/api/runs", json=CNN)
            assert answer.status_code == 422, answer.text
            [error] = answer.json()["errors"]
            assert (error["field"], error["code"]) == ("model", "model_crashed")
            assert "exit code -6" in error["message"]

            again = student.post("/api/runs", json=CNN)  # the verdict is kept: not tried again
            assert again.status_code == 422 and again.json()["errors"][0]["code"] == "model_crashed"

            time.sleep(1)
            after = classmate.get(f"/api/runs/{run['id']}").json()
            assert after["status"] == "running" and after["epoch"] > before["epoch"]
            assert classmate.get("/api/health").json()["status"] == "ok"
            assert server.proc.poll() is None and server.proc.pid == pid
            classmate.post(f"/api/runs/{run['id']}/stop")
    finally:
        server.close()
