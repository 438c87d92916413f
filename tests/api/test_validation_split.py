"""`fit.validation_split` through the API: accepted, refused with a named field, exported."""

import httpx

from tests.helpers import circle_spec, finished, wait_for


def test_a_run_with_a_validation_split_trains_validates_and_exports_it(client: httpx.Client) -> None:
    spec = circle_spec(epochs=20)
    spec["fit"] = {**spec.get("fit", {}), "epochs": 20, "validation_split": 0.2}
    run = client.post("/api/runs", json=spec)
    assert run.status_code == 201, run.text
    done = wait_for(client, run.json()["id"], finished)
    assert done["status"] == "done" and len(done["history"]["val_loss"]) == 20
    assert done["spec"]["fit"]["validation_split"] == 0.2
    code = client.get(f"/api/runs/{done['id']}/code.py").text
    assert "validation_split=0.2" in code and "validation_data=" not in code
    evaluated = client.post(f"/api/runs/{done['id']}/evaluate").json()  # on the test split
    assert evaluated["loss"] > 0


def test_a_split_that_leaves_no_rows_names_the_field(client: httpx.Client) -> None:
    spec = circle_spec()
    spec["fit"] = {**spec.get("fit", {}), "validation_split": 0.9999}
    answer = client.post("/api/runs", json=spec)
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("fit.validation_split", "validation_split_empty")
    too_big = client.post("/api/runs", json={**spec, "fit": {"validation_split": 1}})
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "fit.validation_split"
