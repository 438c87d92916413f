"""A stop at any moment ends cleanly: during the start-up compiles and while training."""

import signal
import time

import httpx
import pytest

from tests.helpers import circle_spec, wait_for
from tests.server import Server


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.5, 2.0, 5.0])
def test_sigterm_during_start_up_exits_cleanly(after: float) -> None:
    server = Server(env={"PLAYGROUND_PREWARM": "true"})  # the stack programs compile in the background
    time.sleep(after)
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(60) == 0
    server.log.close()


def test_sigterm_while_training_exits_cleanly_and_keeps_the_run() -> None:
    server = Server(env={"PLAYGROUND_PREWARM": "false"})
    with httpx.Client(base_url=server.url, timeout=60) as client:
        run = client.post("/api/runs", json=circle_spec(epochs=1_000_000)).json()
        trained = wait_for(client, run["id"], lambda r: r["epoch"] > 100)
        time.sleep(1)
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(60) == 0
        server.log.close()
        server.start()  # on a new port, the same data and the same session
        with httpx.Client(base_url=server.url, timeout=60, cookies=client.cookies) as again_client:
            again = again_client.get(f"/api/runs/{run['id']}").json()
        assert again["status"] == "interrupted" and again["epoch"] >= trained["epoch"]
    server.close()
