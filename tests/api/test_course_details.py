"""The course's own details: a table's column chosen by name (hours → score), and the other Keras
options the notes use."""

import httpx
import numpy as np

from tests.helpers import finished, wait_for

HOURS = {"name": "hours_attendance", "features": ["hours"]}


def test_the_one_feature_hours_table_is_a_column_of_the_two_feature_one(client: httpx.Client) -> None:
    data = client.get("/api/datasets/hours_attendance", params={"features": "hours"}).json()
    assert data["feature_names"] == ["hours"]
    assert data["x_train"] == [[10], [9], [3], [2], [11]] and data["y_train"] == [90, 80, 50, 60, 40]
    spec = {
        "dataset": HOURS,
        "model": {"layers": [{"type": "Dense", "units": 1}]},
        "compile": {"loss": "mse", "optimizer": {"type": "Adam", "learning_rate": 0.5}},
        "fit": {"epochs": 1000, "batch_size": 5},
    }
    run = wait_for(client, client.post("/api/runs", json=spec).json()["id"], finished)
    assert run["status"] == "done"
    w, b = np.polyfit([10, 9, 3, 2, 11], [90, 80, 50, 60, 40], 1)  # least squares as the oracle
    got = client.post(f"/api/runs/{run['id']}/predict", json={"inputs": [[4], [8]]}).json()["outputs"]
    assert np.allclose(np.ravel(got), [4 * w + b, 8 * w + b], atol=1.0), (got, w, b)


def test_a_column_that_is_not_there_names_the_field(client: httpx.Client) -> None:
    spec = {
        "dataset": {"name": "hours_attendance", "features": ["hours", "sleep"]},
        "model": {"layers": [{"type": "Dense", "units": 1}]},
        "compile": {"loss": "mse"},
    }
    response = client.post("/api/runs", json=spec)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "dataset.features[1]" and error["code"] == "unknown_feature"
    assert "attendance" in error["message"]
    plane = client.get("/api/datasets/circle", params={"features": "hours"})
    assert plane.status_code == 422 and "x1^2" in plane.json()["detail"]
