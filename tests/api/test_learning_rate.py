"""Runs that share a compiled program (same signature) each train with their own learning rate."""

import httpx

from tests.helpers import circle_spec, finished, wait_for


def test_each_run_trains_with_its_own_rate(client: httpx.Client) -> None:
    def run(rate: float) -> list[float]:
        spec = circle_spec(epochs=20)
        spec["compile"]["optimizer"] = {"type": "SGD", "learning_rate": rate}
        response = client.post("/api/runs", json=spec)
        assert response.status_code == 201, response.text
        return wait_for(client, response.json()["id"], finished)["history"]["loss"]

    tiny, usual, again = run(0.0001), run(0.1), run(0.0001)
    assert tiny == again  # the same rate, the same curve, whichever run built the program
    assert tiny[-1] > 0.99 * tiny[0]  # a tiny rate barely moves the loss
    assert usual[-1] < 0.9 * usual[0]
