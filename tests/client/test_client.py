"""nn_playground.Playground against a real server: runs from a spec or a lesson, watched over the
real websocket with a progress bar, controls, history, the trained model in Keras, a DataFrame."""

import time
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from nn_playground import Playground, PlaygroundError
from tests.helpers import circle_spec
from tests.server import Server


@pytest.fixture
def pg(server: Server) -> Iterator[Playground]:
    with Playground(server.url) as playground:
        yield playground


def test_a_run_from_a_spec_watched_to_the_end_with_a_progress_bar(pg: Playground, capsys) -> None:
    run = pg.run(circle_spec(epochs=40))
    assert run.status in ("running", "queued") and run.epochs == 40
    history = run.watch()
    assert run.status == "done" and run.epoch == 40
    assert set(history) >= {"loss", "val_loss", "accuracy", "val_accuracy"}
    assert len(history["loss"]) == 40
    assert history == pg.get(f"/api/runs/{run.id}")["history"]
    more = run.train_more(10).watch(progress=False)
    assert run.status == "done" and len(more["loss"]) == 50 and more["loss"][:40] == history["loss"]
    bar = capsys.readouterr().err
    assert "40/40" in bar and "epoch" in bar and "loss=" in bar


def test_a_run_from_a_lesson_keeps_its_spec(pg: Playground) -> None:
    lesson = pg.presets()[0]
    run = pg.run(preset=lesson["id"], epochs=3)
    run.watch(progress=False)
    assert run.status == "done" and run.epoch == 3
    expected = {**lesson["spec"], "fit": {**lesson["spec"].get("fit", {}), "epochs": 3}}
    assert run.info["spec"]["model"] == pg.post("/api/runs", expected)["spec"]["model"]
    assert run.info["spec"]["fit"]["epochs"] == 3


def test_pause_step_resume_and_stop(pg: Playground) -> None:
    run = pg.run(circle_spec(epochs=100_000), paused=True)
    assert run.status == "paused" and run.epoch == 0
    run.step()
    for _ in range(200):
        if run.refresh().epoch == 1:
            break
        time.sleep(0.05)
    assert run.status == "paused" and run.epoch == 1
    assert len(run.history()["loss"]) == 1
    run.resume()
    for message in run.messages(timeout=60):
        if message["type"] == "frame" and message["epoch"] > 5:
            run.pause()
            break
    assert run.refresh().status == "paused"
    history = run.watch(progress=False, timeout=30)  # a paused run: returns at once
    assert run.status == "paused" and len(history["loss"]) == run.epoch > 5
    run.set_learning_rate(0.1)
    run.stop()
    assert run.refresh().status == "stopped"
    assert pg.get_run(run.id).epoch == run.epoch


def test_the_trained_model_is_a_keras_model_that_answers_as_the_server_does(pg: Playground) -> None:
    import keras

    run = pg.run(circle_spec(epochs=30))
    run.wait(timeout=120)
    model = run.model()
    assert isinstance(model, keras.Model)
    inputs = [[0.5, -1.0], [3.0, 2.0], [-4.0, 0.0]]
    server = pg.post(f"/api/runs/{run.id}/predict", {"inputs": inputs})["outputs"]
    np.testing.assert_allclose(model.predict(np.array(inputs, dtype="float32"), verbose=0), server, atol=1e-5)
    assert set(run.evaluate()) >= {"loss", "accuracy"}


def test_a_dataframe_becomes_a_data_set_that_trains(pg: Playground) -> None:
    rng = np.random.default_rng(0)
    hours = rng.uniform(0, 10, 60).round(2)
    frame = pd.DataFrame({"hours": hours, "attendance": rng.uniform(0, 1, 60).round(2)})
    frame["score"] = (frame["hours"] * 5 + frame["attendance"] * 20).round(1)
    data = pg.upload_dataframe(frame, "score")
    assert data["task"] == "regression" and data["n_features"] == 2 and data["rows"] == 60
    run = pg.run(
        {
            "dataset": {"name": data["name"], "scaling": "standard"},
            "model": {"layers": [{"type": "Dense", "units": 1}]},
            "compile": {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 0.05}},
            "fit": {"epochs": 20, "batch_size": 10},
        }
    )
    history = run.watch(progress=False)
    assert history["loss"][-1] < history["loss"][0]
    assert data["name"] in [d["name"] for d in pg.datasets()]


def test_a_session_is_resumed_by_its_token_and_hidden_from_others(pg: Playground, server: Server) -> None:
    run = pg.run(circle_spec(epochs=5))
    run.wait()
    with Playground(server.url, token=pg.token) as same:
        assert run.id in [r.id for r in same.runs()]
    with Playground(server.url) as other:
        assert run.id not in [r.id for r in other.runs()]
        with pytest.raises(PlaygroundError) as error:
            other.get_run(run.id)
        assert error.value.status == 404


def test_refusals_name_the_field(pg: Playground) -> None:
    spec = circle_spec(epochs=5)
    spec["model"]["layers"][0]["units"] = 0
    with pytest.raises(PlaygroundError) as error:
        pg.run(spec)
    assert error.value.status == 422 and "units" in error.value.detail and error.value.errors
    with pytest.raises(PlaygroundError, match="no lesson"):
        pg.run(preset="no-such-lesson")
    with pytest.raises(ValueError, match="label"):
        pg.upload_dataframe(pd.DataFrame({"x": [1, 2]}), "y")
    with pytest.raises(ValueError):
        pg.run()


def test_a_run_that_diverges_raises_with_the_servers_advice(pg: Playground) -> None:
    spec = circle_spec(epochs=2000)
    spec["compile"] = {"loss": "mse", "optimizer": {"type": "SGD", "learning_rate": 100}}
    spec["model"]["layers"][-1]["activation"] = "linear"
    run = pg.run(spec)
    with pytest.raises(PlaygroundError) as error:
        run.watch(progress=False, timeout=120)
    assert run.status == "failed" and "learning rate" in error.value.detail.lower()
    assert run.watch(progress=False) == run.history()  # ended: returns at once
