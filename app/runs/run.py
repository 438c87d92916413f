"""One training run: its state, its controls, and the thread that trains it.

The training thread is the only producer: after every epoch it appends Keras's logs to the
history and, at most `max_fps` times a second (and whenever it pauses or ends), evaluates the
model for a frame. Viewers (websockets, REST polling, tests) only read: they are told a new
frame exists and take the latest one, so a slow viewer never builds a queue.
"""

import asyncio
import json
import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

from app.engine.experiment import Experiment
from app.errors import Conflict

log = logging.getLogger(__name__)

Status = Literal["running", "paused", "done", "stopped", "failed"]
FINISHED: tuple[Status, ...] = ("done", "stopped", "failed")


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    status: Status
    body: str  # the frame's grid / neurons / weights as JSON members


def finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


class Run:
    def __init__(self, client: str, experiment: Experiment) -> None:
        self.id = secrets.token_urlsafe(16)
        self.client = client
        self.experiment = experiment
        self.spec = experiment.spec
        self.created = time.time()
        self.status: Status = "running"
        self.epoch = 0
        self.history: dict[str, list[float | None]] = {}
        self.error: str | None = None
        self.snapshot: Snapshot | None = None
        # Held while the model is in use: training one epoch, making a frame, predicting.
        self.model_lock = threading.Lock()
        self._cond = threading.Condition()
        self._stop = False
        self._step_until: int | None = None  # while paused, train until this epoch count
        self._pending_lr: float | None = None
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._thread = threading.Thread(target=self._main, name=f"run-{self.id[:8]}", daemon=True)

    # --- controls (any thread) -------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def _control(self, action: str) -> None:
        if self.status in FINISHED:
            raise Conflict("action", f"cannot {action}: the run has already ended ({self.status})")

    def pause(self) -> None:
        with self._cond:
            self._control("pause")
            self.status = "paused"
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._control("resume")
            self.status = "running"
            self._step_until = None
            self._cond.notify_all()

    def step(self) -> None:
        """Exactly one more epoch than now, then paused."""
        with self._cond:
            self._control("step")
            if self.epoch >= self.spec.fit.epochs:
                raise Conflict("action", "cannot step: the run has trained all its epochs")
            self.status = "paused"
            self._step_until = max(self._step_until or 0, self.epoch) + 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def set_learning_rate(self, value: float) -> None:
        from app.schemas.optimizers import ScheduleSpec

        with self._cond:
            self._control("change the learning rate")
            if isinstance(self.spec.compile.optimizer.learning_rate, ScheduleSpec):
                raise Conflict(
                    "learning_rate",
                    "this run's learning rate follows a schedule, so it cannot be set by hand",
                )
            self._pending_lr = value

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

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

    def public(self, with_history: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
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

    # --- the training thread ---------------------------------------------------------------
    def _publish(self) -> None:
        with self.model_lock:
            body = self.experiment.frames.body()
        self.snapshot = Snapshot(self.epoch, self.status, body)
        self._notify()

    def _next_action(self) -> Literal["train", "stop", "done"]:
        """Wait while paused; say what to do next. Applies a pending learning-rate change."""
        with self._cond:
            while (
                not self._stop
                and self.status == "paused"
                and (self._step_until is None or self.epoch >= self._step_until)
            ):
                self._cond.wait()
            if self._stop:
                return "stop"
            if self.epoch >= self.spec.fit.epochs:
                return "done"
            if self._pending_lr is not None:
                with self.model_lock:
                    self.experiment.trainer.set_learning_rate(self._pending_lr)
                self._pending_lr = None
            return "train"

    def _train_one(self) -> bool:
        """One epoch; False when the loss stopped being a finite number."""
        with self.model_lock:
            logs = self.experiment.trainer.run_epoch(self.epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(finite_or_none(value))
        with self._cond:
            self.epoch += 1
        return math.isfinite(logs.get("loss", 0.0))

    def _main(self) -> None:
        interval = 1.0 / self.spec.stream.max_fps
        try:
            self._publish()
            last_frame = time.monotonic()
            while (action := self._next_action()) == "train":
                if not self._train_one():
                    self._finish("failed", self._divergence_message())
                    return
                now = time.monotonic()
                stepping = self.status == "paused"
                if stepping or now - last_frame >= interval:
                    self._publish()
                    last_frame = now
            self._finish("stopped" if action == "stop" else "done")
        except Exception as exc:  # a run must end in a state a viewer can read, never vanish
            log.exception("run %s failed", self.id)
            self._finish("failed", f"training failed: {exc}")

    def _divergence_message(self) -> str:
        lr = self.spec.compile.optimizer.learning_rate
        rate = f" (now {lr})" if isinstance(lr, float) else ""
        return (
            f"training diverged at epoch {self.epoch}: the loss became NaN or infinite. "
            f"Try a smaller learning rate{rate}, for example a tenth of it."
        )

    def _finish(self, status: Status, error: str | None = None) -> None:
        with self._cond:
            self.status = status
            self.error = error
        try:
            self._publish()
        except Exception:  # the last frame is a courtesy; the status and history are what count
            log.exception("final frame of run %s failed", self.id)
            self.snapshot = Snapshot(self.epoch, status, '"grid":null,"neurons":[],"weights":[]')
            self._notify()

    def frame_message(self, snapshot: Snapshot, since: int) -> str:
        history = json.dumps(self.history_slice(since, snapshot.epoch), separators=(",", ":"))
        return (
            f'{{"type":"frame","epoch":{snapshot.epoch},"status":"{snapshot.status}",'
            f'"history":{history},{snapshot.body}}}'
        )
