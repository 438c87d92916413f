import httpx
import numpy as np

PLAYGROUND_SETS = {"circle", "xor", "gauss", "spiral", "plane", "multi_gaussian"}


def test_lists_playground_sets_and_more(client: httpx.Client) -> None:
    sets = {d["name"]: d for d in client.get("/api/datasets").json()}
    assert PLAYGROUND_SETS | {"moons", "checkerboard"} <= set(sets)
    assert any(3 <= d["n_classes"] <= 5 for d in sets.values())
    assert sets["plane"]["task"] == "regression" and sets["circle"]["task"] == "classification"
    for d in sets.values():
        assert {"name", "task", "n_features", "n_classes", "description"} <= set(d)


def test_same_seed_same_data_other_seed_other_data(client: httpx.Client) -> None:
    a = client.get("/api/datasets/spiral", params={"seed": 3, "noise": 20}).json()
    b = client.get("/api/datasets/spiral", params={"seed": 3, "noise": 20}).json()
    c = client.get("/api/datasets/spiral", params={"seed": 4, "noise": 20}).json()
    assert a["x_train"] == b["x_train"] and a["y_train"] == b["y_train"]
    assert a["x_train"] != c["x_train"]


def test_parameters_shape_the_data(client: httpx.Client) -> None:
    body = client.get(
        "/api/datasets/circle",
        params={"n_samples": 200, "train_ratio": 0.8, "features": "x1,x2,x1^2,sin(x2)"},
    ).json()
    assert len(body["x_train"]) == 160 and len(body["x_test"]) == 40
    assert body["feature_names"] == ["x1", "x2", "x1^2", "sin(x2)"]
    x = np.array(body["x_train"])
    assert np.allclose(x[:, 2], x[:, 0] ** 2, atol=1e-4)
    assert np.allclose(x[:, 3], np.sin(x[:, 1]), atol=1e-4)
    assert np.abs(np.array(body["points_train"])).max() <= 6.5


def test_every_set_stays_in_the_playground_range(client: httpx.Client) -> None:
    for d in client.get("/api/datasets").json():
        if d["kind"] != "plane":
            continue
        body = client.get(f"/api/datasets/{d['name']}", params={"n_samples": 300}).json()
        x = np.array(body["points_train"] + body["points_test"])
        assert np.abs(x).max() <= 7.5, d["name"]
        y = np.array(body["y_train"])
        if d["task"] == "classification":
            assert set(np.unique(y)) == set(range(d["n_classes"])), d["name"]
        else:
            assert np.abs(y).max() <= 1.2 + 1e-6, d["name"]  # plane: (x1 + x2) / 10, unclamped as in Playground


def test_unknown_set_is_404_with_the_names(client: httpx.Client) -> None:
    response = client.get("/api/datasets/circl")
    assert response.status_code == 404
    assert "circle" in response.json()["detail"]


def test_bad_query_names_the_field(client: httpx.Client) -> None:
    response = client.get("/api/datasets/circle", params={"noise": 99})
    assert response.status_code == 422 and "noise" in response.json()["detail"]
    response = client.get("/api/datasets/circle", params={"features": "x3"})
    assert response.status_code == 422 and "x3" in response.json()["detail"]
