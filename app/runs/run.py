"""One training run: its state, its controls, and how a training worker advances it.

Workers (see scheduler.py) advance runs a chunk of epochs at a time. After each chunk the
run appends Keras's logs to its history and, at most `max_fps` times a second (and whenever
it pauses or ends), makes a frame. Viewers (websockets, REST polling, tests) only read: they
are told a new frame exists and take the latest one, so a slow viewer never builds a queue.
"""

import asyncio
import json
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from app.engine.experiment import Experiment
from app.engine.program import K_MAX, Program
from app.errors import Conflict
from app.runs.tensorboard import TensorBoardLog
from app.schemas.optimizers import ScheduleSpec

if TYPE_CHECKING:
    from app.engine.programs import Programs

log = logging.getLogger(__name__)

Status = Literal["running", "paused", "done", "stopped", "failed"]
FINISHED: tuple[Status, ...] = ("done", "stopped", "failed")
Outcome = Literal["again", "idle", "blocked"]


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    status: Status
    body: str  # the frame's grid / neurons / weights as JSON members


def finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


class Run:
    def __init__(self, client: str, experiment: Experiment, programs: "Programs") -> None:
        self.id = secrets.token_urlsafe(16)
        self.client = client
        self.experiment = experiment
        self.programs = programs
        self.spec = experiment.spec
        self.created = time.time()
        self.status: Status = "paused" if self.spec.paused else "running"
        self.epoch = 0
        self.history: dict[str, list[float | None]] = {}
        self.error: str | None = None
        self.snapshot: Snapshot | None = None
        self._cond = threading.Condition()
        self._stop = False
        self._step_until: int | None = None  # while paused, train until this epoch count
        self._pending_lr: float | None = None
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._last_frame = 0.0
        self.wake: Callable[[Run], None] = lambda run: None  # the scheduler's, once submitted
        self.tensorboard: TensorBoardLog | None = None

    # --- controls (any thread) -------------------------------------------------------------
    def _control(self, action: str) -> None:
        if self.status in FINISHED:
            raise Conflict("action", f"cannot {action}: the run has already ended ({self.status})")

    def pause(self) -> None:
        with self._cond:
            self._control("pause")
            self.status = "paused"
        self.wake(self)  # so viewers get a frame that says so

    def resume(self) -> None:
        with self._cond:
            self._control("resume")
            self.status = "running"
            self._step_until = None
        self.wake(self)

    def step(self) -> None:
        """Exactly one more epoch than now, then paused."""
        with self._cond:
            self._control("step")
            if self.epoch >= self.spec.fit.epochs:
                raise Conflict("action", "cannot step: the run has trained all its epochs")
            self.status = "paused"
            self._step_until = max(self._step_until or 0, self.epoch) + 1
        self.wake(self)

    def stop(self) -> None:
        with self._cond:
            if self.status in FINISHED:
                return
            self._stop = True
        self.wake(self)

    def set_learning_rate(self, value: float) -> None:
        with self._cond:
            self._control("change the learning rate")
            if isinstance(self.spec.compile.optimizer.learning_rate, ScheduleSpec):
                raise Conflict(
                    "learning_rate",
                    "this run's learning rate follows a schedule, so it cannot be set by hand",
                )
            self._pending_lr = value

    @property
    def active(self) -> bool:
        return self.status not in FINISHED

    # --- viewers ---------------------------------------------------------------------------
    def subscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._cond:
            self._listeners.add((loop, event))
        event.set()  # the current state is news to a new viewer

    def unsubscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._cond:
            self._listeners.discard((loop, event))

    def _notify(self) -> None:
        with self._cond:
            listeners = list(self._listeners)
        for loop, event in listeners:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that viewer's loop has closed
                self.unsubscribe(loop, event)

    def history_slice(self, start: int, stop: int) -> dict[str, list[float | None]]:
        return {key: values[start:stop] for key, values in self.history.items()}

    def public(self, with_history: bool = True) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "status": self.status,
            "epoch": self.epoch,
            "epochs": self.spec.fit.epochs,
            "spec": self.spec.model_dump(mode="json"),
            "error": self.error,
            "warnings": list(self.experiment.plan.warnings),
            "created": self.created,
        }
        if with_history:
            out["history"] = self.history_slice(0, self.epoch)
        return out

    def frame_message(self, snapshot: Snapshot, since: int) -> str:
        history = json.dumps(self.history_slice(since, snapshot.epoch), separators=(",", ":"))
        return (
            f'{{"type":"frame","epoch":{snapshot.epoch},"status":"{snapshot.status}",'
            f'"history":{history},{snapshot.body}}}'
        )

    # --- training (a worker thread at a time) ----------------------------------------------
    def publish(self, program: Program) -> None:
        """Make a frame of the current state with a program the caller holds."""
        body = program.frame_body(self.experiment.state)
        if self.tensorboard is not None:
            names = [v.path for v in program.model.variables]
            self.tensorboard.weights(self.epoch, names, [np.asarray(v) for v in self.experiment.state.variables])
        self.snapshot = Snapshot(self.epoch, self.status, body)
        self._last_frame = time.monotonic()
        self._notify()

    def _plan_chunk(self) -> int | Literal["stop", "done", "wait"]:
        """How many epochs to train next, or why not to train."""
        with self._cond:
            if self._stop:
                return "stop"
            if self.epoch >= self.spec.fit.epochs:
                return "done"
            if self.status == "paused" and (self._step_until is None or self.epoch >= self._step_until):
                return "wait"
            if self._pending_lr is not None:
                self.experiment.state.set_learning_rate(self._pending_lr)
                self._pending_lr = None
            if self.status == "paused":
                return self._step_until - self.epoch  # type: ignore[operator]
            return self.spec.fit.epochs - self.epoch

    def advance(self, budget: float) -> Outcome:
        """Train up to `budget` seconds of epochs; say whether to be scheduled again."""
        limit = self._plan_chunk()
        pool = self.experiment.pool
        if self.snapshot is None:  # first turn: the untrained model's frame, before any epoch
            program = self.programs.acquire(pool, trained=False)
            if program is None:
                return "blocked"
            try:
                self.publish(program)
            finally:
                self.programs.release(pool, program)
            if limit not in ("stop", "done", "wait"):
                return "again"
        if limit == "wait":
            if self.snapshot is None or self.snapshot.status != self.status:
                program = self.programs.acquire_blocking(pool)
                try:
                    self.publish(program)
                finally:
                    self.programs.release(pool, program)
            return "idle"
        if limit in ("stop", "done"):
            program = self.programs.acquire_blocking(pool)
            try:
                self._finish("stopped" if limit == "stop" else "done", program)
            finally:
                self.programs.release(pool, program)
            return "idle"
        program = self.programs.acquire(pool)
        if program is None:
            return "blocked"
        try:
            return self._train_chunk(program, limit, budget)
        except Exception as exc:  # a run must end in a state a viewer can read, never vanish
            log.exception("run %s failed", self.id)
            self._finish("failed", program, f"training failed: {exc}")
            return "idle"
        finally:
            self.programs.release(pool, program)

    def _train_chunk(self, program: Program, limit: int, budget: float) -> Outcome:
        stage = program.stage
        estimates = self.experiment.pool.epoch_seconds
        per_epoch = estimates.get(stage)
        count = 1 if per_epoch is None else int(budget / max(per_epoch, 1e-6))
        count = max(1, min(count, limit, K_MAX))
        began = time.perf_counter()
        first = self.epoch
        logs = program.train(self.experiment.state, self.experiment.inputs, self.spec.seed, self.epoch, count)
        took = (time.perf_counter() - began) / count
        estimates[stage] = took if per_epoch is None else 0.8 * per_epoch + 0.2 * took
        diverged = False
        for entry in logs:
            for key, value in entry.items():
                self.history.setdefault(key, []).append(finite_or_none(value))
            with self._cond:
                self.epoch += 1
            if not math.isfinite(entry.get("loss", 0.0)):
                diverged = True
                break
        if self.tensorboard is not None:
            self.tensorboard.epochs(first, logs[: self.epoch - first])
        if diverged:
            self._finish("failed", program, self._divergence_message())
            return "idle"
        with self._cond:
            stepping = self.status == "paused"
            finished = self.epoch >= self.spec.fit.epochs
        if finished:
            self._finish("done", program)
            return "idle"
        # A frame is due a little early rather than a whole turn late; the websocket still
        # sends at most max_fps of them.
        if stepping or time.monotonic() - self._last_frame >= 0.75 / self.spec.stream.max_fps:
            self.publish(program)
        return "idle" if stepping and self._plan_chunk() == "wait" else "again"

    def crash(self, exc: BaseException) -> None:
        """End the run as failed after an unexpected error, without a program to draw with."""
        with self._cond:
            if self.status in FINISHED:
                return
            self.status = "failed"
            self.error = f"training failed: {exc}"
        if self.tensorboard is not None:
            self.tensorboard.close()
        body = self.snapshot.body if self.snapshot else '"grid":null,"neurons":[],"weights":[]'
        self.snapshot = Snapshot(self.epoch, "failed", body)
        self._notify()

    def _divergence_message(self) -> str:
        lr = self.spec.compile.optimizer.learning_rate
        rate = f" (now {lr})" if isinstance(lr, float) else ""
        return (
            f"training diverged at epoch {self.epoch}: the loss became NaN or infinite. "
            f"Try a smaller learning rate{rate}, for example a tenth of it."
        )

    def _finish(self, status: Status, program: Program, error: str | None = None) -> None:
        with self._cond:
            self.status = status
            self.error = error
        if self.tensorboard is not None:
            self.tensorboard.close()
        try:
            self.publish(program)
        except Exception:  # the last frame is a courtesy; the status and history are what count
            log.exception("final frame of run %s failed", self.id)
            self.snapshot = Snapshot(self.epoch, status, '"grid":null,"neurons":[],"weights":[]')
            self._notify()
