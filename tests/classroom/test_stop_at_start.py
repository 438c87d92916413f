"""A stop at any moment ends cleanly: during the start-up compiles and while training."""

import signal
import time

import httpx
import pytest

from tests.helpers import circle_spec
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
        time.sleep(3)
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(60) == 0
        server.log.close()
        server.start()
        again = client.get(f"/api/runs/{run['id']}").json()
        assert again["status"] == "interrupted" and again["epoch"] > 0
    server.close()
