"""The probe: a new model is tried in a real child process, whose native crash, hang or memory
growth becomes a SpecError for that model while the process that asked goes on."""

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from app.config import Settings
from app.engine.experiment import load_data
from app.engine.probe import Probe, try_program
from app.errors import SpecError, TooLarge
from app.schemas.runs import RunCreate


def mark(path: str) -> None:
    """Work for the child: leave a line in `path` (so the test sees that it ran, and how often)."""
    with open(path, "a") as f:
        f.write(f"{os.getpid()}\n")


def refuse(field: str) -> None:
    raise SpecError(field, code="limit_exceeded", params={"value": 9, "limit": 8})


def too_large() -> None:
    raise TooLarge("model", code="limit_exceeded", params={"value": 9, "limit": 8})


def grow(megabytes: int) -> None:
    block = np.ones(megabytes * 1024 * 1024 // 8)
    time.sleep(30)  # held until the parent ends the child
    del block


def native_crash() -> None:
    os.abort()  # as TensorFlow's CHECK does


@pytest.fixture
def probe_of():
    made: list[Probe] = []

    def _make(**settings) -> Probe:
        probe = Probe(Settings(probe_processes=1, **settings))
        made.append(probe)
        return probe

    yield _make
    for probe in made:
        probe.close()


def test_a_signature_is_tried_once_and_its_refusal_is_kept(probe_of, tmp_path: Path) -> None:
    probe = probe_of()
    log = tmp_path / "ran"
    probe.check("a", "student-1", mark, str(log))
    probe.check("a", "student-2", mark, str(log))
    assert len(log.read_text().splitlines()) == 1
    assert int(log.read_text()) != os.getpid()  # it ran in another process

    with pytest.raises(SpecError) as first:
        probe.check("b", "student-1", refuse, "model.layers[0].units")
    assert (first.value.field, first.value.code) == ("model.layers[0].units", "limit_exceeded")
    with pytest.raises(SpecError) as again:
        probe.check("b", "student-3", mark, str(log))  # not run again: the verdict is the signature's
    assert again.value.code == "limit_exceeded"
    assert len(log.read_text().splitlines()) == 1

    with pytest.raises(TooLarge) as large:  # the kind of refusal (its HTTP status) is kept too
        probe.check("c", "student-1", too_large)
    assert large.value.status_code == TooLarge.status_code


def test_a_native_crash_costs_the_model_and_the_next_model_gets_a_new_child(probe_of, tmp_path: Path) -> None:
    probe = probe_of()
    with pytest.raises(SpecError) as crash:
        probe.check("crashes", "student-1", native_crash)
    assert (crash.value.field, crash.value.code) == ("model", "model_crashed")
    assert crash.value.params["exit_code"] == -6  # SIGABRT
    log = tmp_path / "ran"
    probe.check("fine", "student-2", mark, str(log))
    assert log.exists()


@pytest.mark.slow
def test_the_fault_setting_aborts_the_child_after_its_work(probe_of, tmp_path: Path) -> None:
    probe = probe_of(probe_fault="abort")
    log = tmp_path / "ran"
    with pytest.raises(SpecError) as crash:
        probe.check("x", "student-1", mark, str(log))
    assert crash.value.code == "model_crashed" and log.exists()


@pytest.mark.slow
def test_past_the_time_limit_the_child_is_ended(probe_of) -> None:
    probe = probe_of(probe_seconds=1.0, probe_fault="hang")
    started = time.monotonic()
    with pytest.raises(SpecError) as slow:
        probe.check("slow", "student-1", str.upper, "x")
    assert (slow.value.code, slow.value.params["limit"]) == ("model_build_slow", 1.0)
    assert time.monotonic() - started < 60


@pytest.mark.slow
def test_past_the_memory_limit_the_child_is_ended(probe_of) -> None:
    probe = probe_of(probe_memory_mb=1500)
    with pytest.raises(SpecError) as big:
        probe.check("big", "student-1", grow, 2500)
    assert (big.value.code, big.value.params["limit"]) == ("model_build_memory", 1500)


@pytest.mark.slow
def test_one_students_slow_model_does_not_hold_another_student(tmp_path: Path) -> None:
    probe = Probe(Settings(probe_processes=2))
    try:
        verdicts: list[str] = []

        def slow_one() -> None:
            try:
                probe.check("slow", "student-1", time.sleep, 120.0)
            except SpecError as exc:
                verdicts.append(exc.code)

        slow = threading.Thread(target=slow_one)
        slow.start()
        time.sleep(0.5)
        probe.check("quick", "student-2", mark, str(tmp_path / "ran"))
        assert slow.is_alive(), "the quick model waited until the slow one ended"
    finally:
        probe.close()  # ends the slow child: its model is told so
    slow.join(30)
    assert verdicts == ["model_crashed"]


@pytest.mark.slow
def test_a_real_model_is_built_traced_and_trained_in_the_child(probe_of) -> None:
    spec = RunCreate.model_validate(
        {
            "dataset": {"name": "digits"},
            "model": {
                "layers": [
                    {"type": "Reshape", "target_shape": [8, 8, 1]},
                    {"type": "Conv2D", "filters": 2, "kernel_size": 3, "activation": "relu"},
                    {"type": "Flatten"},
                    {"type": "Dense", "units": 10, "activation": "softmax"},
                ]
            },
            "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}},
            "fit": {"epochs": 1},
        }
    )
    data = load_data(spec.dataset, spec.seed)
    probe = probe_of()
    probe.check("cnn", "student-1", try_program, spec.model_dump_json(), data, Settings(), False)
