"""The run's status machine in-process (no server, no training): the transition table, and a
run's controls and the gate's events moving a real Run through it."""

import threading
import time
from typing import Any

import pytest

from app.config import Settings
from app.engine.experiment import Experiment
from app.engine.programs import Programs
from app.errors import Conflict, Unavailable
from app.runs import protocol
from app.runs.run import Run
from app.runs.status import ACTIVE, CONTROLS, FINISHED, TRANSITIONS, after, control
from app.schemas.runs import RunCreate
from tests.helpers import circle_spec

SETTINGS = Settings()


def test_a_finished_run_moves_only_by_continue() -> None:
    for status in FINISHED:
        moves = {event: after(status, event) for event in TRANSITIONS}
        reopen = set() if status == "failed" else {"continue"}  # a failed run is not trained further
        assert {e for e, to in moves.items() if to is not None} == reopen, status


def test_every_active_status_can_be_stopped_failed_paused_and_finished() -> None:
    for status in ACTIVE:
        assert after(status, "stop") == "stopped"
        assert after(status, "fail") == "failed"
        assert after(status, "pause") == "paused"
        assert after(status, "finish") == "done"


def test_a_control_that_does_not_apply_is_a_409_with_a_code() -> None:
    with pytest.raises(Conflict) as ended:
        control("done", "pause")
    assert ended.value.code == "run_ended" and ended.value.params == {"action": "pause", "status": "done"}
    with pytest.raises(Conflict) as running:
        control("running", "continue")
    assert running.value.code == "run_not_ended"
    assert set(CONTROLS) <= set(TRANSITIONS)


class Gate:
    """A gate with `slots` training slots, as the manager's: grant while one is free, else queue."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.training: set[str] = set()
        self.saved: list[tuple[str, bool]] = []

    def admit(self, run: Run, was: str) -> None:
        if len(self.training) < self.slots:
            self.training.add(run.id)
            run.apply("grant")
        else:
            run.apply("queue")

    def leave(self, run: Run) -> None:
        self.training.discard(run.id)

    def save(self, run: Run, program: Any, final: bool) -> None:
        self.saved.append((run.status, final))

    def rescore(self, run: Run, program: Any) -> None:
        pass

    def save_error(self, run: Run) -> str | None:
        return None


@pytest.fixture(scope="module")
def programs() -> Any:
    programs = Programs(SETTINGS, 1)
    yield programs
    programs.shutdown()


def _run(programs: Programs, gate: Gate) -> Run:
    spec = RunCreate.model_validate({**circle_spec(epochs=10), "paused": True})
    run = Run("student", spec, programs, Experiment.create(spec, SETTINGS, programs))
    run.gate = gate
    return run


def test_controls_move_a_run_through_the_table(programs: Programs) -> None:
    gate = Gate(slots=1)
    run = _run(programs, gate)
    assert run.status == "paused"
    run.resume()
    assert run.status == "running" and run.id in gate.training
    run.step()  # one more epoch, then paused: the slot is freed
    assert run.status == "paused" and run.id not in gate.training
    other = _run(programs, gate)
    other.resume()
    run.resume()  # the slot is the other's now: this one waits its turn
    assert other.status == "running" and run.status == "queued"
    run.stop()  # a queued run ends at once, without a worker
    assert run.status == "stopped" and run.wait_ended(1)
    assert gate.saved[-1] == ("stopped", True)
    with pytest.raises(Conflict) as ended:
        run.pause()
    assert ended.value.code == "run_ended"


def test_a_late_slot_does_not_restart_a_stopped_run(programs: Programs) -> None:
    run = _run(programs, Gate(slots=0))
    run.resume()
    run.stop()  # queued: it ends at once
    assert run.status == "stopped"
    assert not run.apply("grant")  # a slot handed out as it stopped changes nothing
    assert run.status == "stopped"


def test_continue_reopens_a_stopped_run_as_a_resume_does(programs: Programs) -> None:
    gate = Gate(slots=0)  # no free slot: the continued run waits in the queue
    run = _run(programs, gate)
    run.resume()
    run.stop()
    run.continue_for(5)
    assert run.status == "queued" and run.spec.fit.epochs == run.epoch + 5
    with pytest.raises(Conflict) as not_ended:
        run.continue_for(5)
    assert not_ended.value.code == "run_not_ended"


def test_a_run_waiting_for_its_model_says_so_from_the_start(programs: Programs) -> None:
    run = _run(programs, Gate(slots=1))  # the builders are not started: nothing gets traced
    run.resume()
    pool = run.experiment.pool
    held = programs.acquire(pool, trained=False)  # another run of this signature draws with it
    assert held is not None
    try:
        assert run.advance(0.01) == "blocked"
        assert run.snapshot is not None and run.snapshot.preparing and run.snapshot.epoch == 0
        frame = protocol.frame(run, run.snapshot, 0)
        assert '"preparing":true' in frame and '"grid":null' in frame  # "preparing the model…", not silence
    finally:
        programs.release(pool, held)
    assert run.advance(0.01) == "again"  # now it draws the untrained model
    assert run.snapshot is not None and run.snapshot.view.grid is not None
    assert run.advance(0.01) == "blocked" and run.snapshot.preparing  # its graph is not traced: said


def test_a_saved_runs_history_is_loaded_once_when_two_threads_ask_at_once(programs: Programs) -> None:
    """A restored run: a request reads its history while its first epochs train (the race that
    left a moved run's history one checkpoint interval short, or padded with None)."""
    loads: list[int] = []
    loading = threading.Event()

    def loader(run: Run) -> dict[str, list[float | None]]:
        loads.append(run.epoch)
        loading.set()
        time.sleep(0.3)  # the database's answer takes a while
        return {"loss": [0.5] * run.epoch}

    spec = RunCreate.model_validate(circle_spec(epochs=10))
    run = Run("student", spec, programs, history_loader=loader)
    run.epoch, run._history = 3, None  # as `restore` leaves it: read when first asked
    reader = threading.Thread(target=lambda: run.history)
    reader.start()
    assert loading.wait(10)
    run.record_epochs(["loss"], [0.4, 0.3], 2)  # the training thread, meanwhile
    reader.join(10)
    assert loads == [3]
    assert run.history["loss"] == [0.5, 0.5, 0.5, 0.4, 0.3] and run.epoch == 5
    assert run.public()["history"] == {"loss": [0.5, 0.5, 0.5, 0.4, 0.3]}


def test_a_model_busy_training_past_the_wait_is_a_503_with_a_code(programs: Programs) -> None:
    """A request that needs the run's model (feature maps, predict) while the run holds it for its
    turn, on a loaded machine, longer than the wait: a 503 `model_busy`, not a 500."""
    run = _run(programs, Gate(slots=1))
    pool = run.experiment.pool
    held = [p for p in iter(lambda: programs.acquire(pool, trained=False), None)]  # every program it has
    try:
        with pytest.raises(Unavailable) as raised:
            programs.acquire_blocking(pool, timeout=0.2)
        assert (raised.value.status_code, raised.value.code, raised.value.field) == (503, "model_busy", "id")
        assert "busy" in raised.value.message
    finally:
        for program in held:
            programs.release(pool, program)
    program = programs.acquire_blocking(pool, timeout=5)
    programs.release(pool, program)
