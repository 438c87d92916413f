"""The stream's wire format in-process: views the engine makes, written as JSON and as binary
frames, read back with the README's description of them (tests/stream_client.py)."""

import base64
import json
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from app.config import Settings
from app.engine.experiment import Experiment
from app.engine.frames import group_views
from app.engine.programs import Programs
from app.runs import protocol
from app.runs.run import Run, Snapshot
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec
from tests.stream_client import HEADER, read_binary

SETTINGS = Settings()


def _views(diverged: bool = False) -> list[Any]:
    rng = np.random.default_rng(0)
    runs, grid, neurons = 3, 10, 4
    out = rng.random((runs, grid * grid, 1)).astype(np.float32)
    hidden = [rng.standard_normal((runs, neurons * neurons, 3)).astype(np.float32)]
    kernels = [rng.standard_normal((runs, *shape)).astype(np.float32) for shape in ((2, 3), (3, 1))]
    biases = [rng.standard_normal((runs, units)).astype(np.float32) for units in (3, 1)]
    if diverged:
        out[1, 5, 0] = np.nan
        kernels[0][1, 0, 0] = np.inf
    names = ["dense", "dense_1"]
    return group_views(out, hidden, names, kernels, biases, grid, neurons, True, True)


@pytest.fixture(scope="module")
def run() -> Any:
    programs = Programs(SETTINGS, 1)
    spec = RunCreate.model_validate(circle_spec(epochs=10))
    run = Run("student", spec, programs, Experiment.create(spec, SETTINGS, programs))
    run.record_epochs(["loss", "accuracy"], [0.69, 0.5, 0.6, 0.75], 2)
    yield run
    programs.shutdown()


@pytest.mark.parametrize("diverged", [False, True])
def test_a_binary_frame_holds_what_the_json_frame_holds(run: Run, diverged: bool) -> None:
    for view in _views(diverged):
        snapshot = Snapshot(2, "running", view)
        text = json.loads(protocol.frame(run, snapshot, 0))
        data = protocol.binary_frame(run, snapshot, 0)
        binary = read_binary(data)
        assert text["history"] == binary["history"] == {"loss": [0.69, 0.6], "accuracy": [0.5, 0.75]}
        assert (binary["epoch"], binary["status"]) == (2, "running")
        assert HEADER.unpack_from(data)[4] == 2  # the epoch, read from the header alone
        assert text["grid"] == binary["grid"] and text["neurons"] == binary["neurons"]
        grid = np.frombuffer(base64.b64decode(text["grid"]["data"]), np.uint8)
        assert np.array_equal(grid, view.grid.data.reshape(-1))
        for sent, raw, weights in zip(text["weights"], binary["weights"], view.weights, strict=True):
            kernel = np.asarray(weights.kernel, np.float32)
            assert np.array_equal(np.asarray(raw["kernel"], np.float32), kernel, equal_nan=True)
            finite = np.isfinite(kernel)
            rounded = np.asarray([[v if v is not None else np.nan for v in row] for row in sent["kernel"]])
            assert np.allclose(rounded[finite], kernel[finite], atol=5e-5)
            assert np.isnan(rounded[~finite]).all()  # JSON has no infinity: null


def test_a_frame_only_since_what_the_viewer_has(run: Run) -> None:
    snapshot = Snapshot(2, "paused", _views()[0], preparing=True)
    text = json.loads(protocol.frame(run, snapshot, 1))
    binary = read_binary(protocol.binary_frame(run, snapshot, 1))
    assert text["history"] == binary["history"] == {"loss": [0.6], "accuracy": [0.75]}
    assert text["preparing"] is binary["preparing"] is True


def test_frames_and_done_say_where_their_history_starts(run: Run) -> None:
    snapshot = Snapshot(2, "running", _views()[0])
    assert json.loads(protocol.frame(run, snapshot, 1))["since"] == 1
    assert read_binary(protocol.binary_frame(run, snapshot, 0))["since"] == 0
    whole = json.loads(protocol.ended(run))
    assert (whole["since"], whole["history"]) == (0, {"loss": [0.69, 0.6], "accuracy": [0.5, 0.75]})
    rest = json.loads(protocol.ended(run, since=1))  # `done=rest`: what no frame brought
    assert (rest["since"], rest["history"]) == (1, {"loss": [0.6], "accuracy": [0.75]})
    beyond = json.loads(protocol.ended(run, since=5))  # past its end: nothing, from its end
    assert (beyond["since"], beyond["history"]) == (2, {"loss": [], "accuracy": []})
    assert protocol.Done.model_validate_json(protocol.ended(run)).model_dump() == whole  # the model it documents


def test_a_long_history_is_written_in_chunks_as_json_writes_it() -> None:
    rng = np.random.default_rng(1)
    n = 2 * protocol.CHUNK + 7
    loss: list[float | None] = [float(v) for v in rng.random(n).astype(np.float32)]
    loss[protocol.CHUNK] = None
    history: dict[str, list[float | None]] = {"loss": loss, "val_loss": loss[: protocol.CHUNK]}
    history |= {"accuracy": [], "one": [0.5]}
    text = protocol.history_json(history)
    assert json.loads(text) == history
    assert text == json.dumps(history, separators=(",", ":"))


def test_the_stream_query_names_what_is_wrong() -> None:
    query = protocol.StreamQuery.model_validate({"format": "binary", "since": "40", "done": "rest", "other": "x"})
    assert (query.format, query.since, query.done) == ("binary", 40, "rest")
    assert protocol.StreamQuery.model_validate({}) == protocol.StreamQuery(format="json", since=0, done="full")
    for wrong, field in (({"since": "-1"}, "since"), ({"since": "ten"}, "since"), ({"done": "all"}, "done")):
        with pytest.raises(ValidationError) as raised:
            protocol.StreamQuery.model_validate(wrong)
        assert [e["loc"] for e in raised.value.errors()] == [(field,)]


def test_a_view_is_encoded_once_per_format(run: Run) -> None:
    snapshot = Snapshot(2, "running", _views()[0])
    first = snapshot.encoded("binary")
    assert snapshot.encoded("binary") is first  # every viewer shares it
    assert set(snapshot._encoded) == {"binary"}  # no JSON made for binary viewers
