import httpx

from app.schemas.layers import LAYER_SPECS, layer_type_name


def test_health_reports_versions(client: httpx.Client) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["tensorflow"].startswith("2.")
    assert body["keras"].startswith("3.")


def test_first_request_gets_a_session_cookie(client: httpx.Client) -> None:
    response = client.get("/api/health")
    assert "playground_session" in response.cookies
    assert "httponly" in response.headers["set-cookie"].lower()
    again = client.get("/api/health")
    assert "set-cookie" not in again.headers  # the cookie came back, so no new session


def test_catalog_lists_every_family(client: httpx.Client) -> None:
    catalog = client.get("/api/catalog").json()
    for key in (
        "layers",
        "activations",
        "losses",
        "optimizers",
        "schedules",
        "initializers",
        "regularizers",
        "metrics",
    ):
        assert catalog[key], key
        assert all("name" in entry for entry in catalog[key])
    layers = {entry["name"] for entry in catalog["layers"]}
    assert layers == {layer_type_name(c) for c in LAYER_SPECS}
    assert {"Dense", "Dropout", "Conv2D", "MaxPooling2D", "GlobalAveragePooling2D"} <= layers
    optimizers = {entry["name"] for entry in catalog["optimizers"]}
    assert optimizers >= {"SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "Nadam", "Ftrl", "Lion"}
    schedules = {entry["name"] for entry in catalog["schedules"]}
    assert schedules >= {"ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay", "InverseTimeDecay"}
    losses = {entry["name"] for entry in catalog["losses"]}
    assert len(losses) >= 15


def test_catalog_parameters_carry_types_defaults_and_bounds(client: httpx.Client) -> None:
    catalog = client.get("/api/catalog").json()
    dense = next(e for e in catalog["layers"] if e["name"] == "Dense")
    units = next(p for p in dense["params"] if p["name"] == "units")
    assert units["type"] == "integer" and units["default"] == 4 and units["minimum"] == 1
    activation = next(p for p in dense["params"] if p["name"] == "activation")
    assert activation["type"] == "choice" and "relu" in activation["choices"]
    dropout = next(e for e in catalog["layers"] if e["name"] == "Dropout")
    rate = dropout["params"][0]
    assert rate["minimum"] == 0 and rate["exclusiveMaximum"] == 1
    sgd = next(e for e in catalog["optimizers"] if e["name"] == "SGD")
    assert {p["name"] for p in sgd["params"]} == {"learning_rate", "momentum", "nesterov"}
    l2 = next(e for e in catalog["regularizers"] if e["name"] == "L2")
    assert l2["params"][0]["name"] == "l2"
