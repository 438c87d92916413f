"""One training run: its state, its controls, and how a training worker advances it.

Workers (see scheduler.py) advance runs a chunk of epochs at a time. After each chunk the
run appends Keras's logs to its history and, at most `max_fps` times a second (and whenever
it pauses or ends), makes a frame. Viewers (websockets, REST polling, tests) only read: they
are told a new frame exists and take the latest one, so a slow viewer never builds a queue.
"""

import asyncio
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from app.engine.experiment import Experiment
from app.engine.frames import NO_VIEW, View
from app.engine.program import K_MAX, Program, RunState
from app.errors import Conflict
from app.runs import protocol
from app.runs.callbacks import Callback, CallbackList, Chunk, Publish
from app.runs.status import END, FINISHED, Event, Status, after, control
from app.schemas.optimizers import ScheduleSpec
from app.schemas.runs import RunCreate

if TYPE_CHECKING:
    from app.engine.programs import Programs
    from app.runs.groups import Groups, Shard

log = logging.getLogger(__name__)

__all__ = ["FINISHED", "Run", "Snapshot", "Status"]

Outcome = Literal["again", "idle", "blocked"]


class Gate(Protocol):
    """What a run asks of its manager: a training slot, and where to save itself."""

    def admit(self, run: "Run", was: "Status") -> None: ...  # sets the status to running or queued
    def leave(self, run: "Run") -> None: ...  # the run no longer trains: free its slot
    def save(self, run: "Run", program: Program | None, final: bool) -> None: ...
    def rescore(self, run: "Run", program: Program) -> None: ...
    def save_error(self, run: "Run") -> str | None: ...  # why its last save failed, if it did


@dataclass(frozen=True)
class Snapshot:
    """The run's latest frame: its epoch and status, and what it shows of the model."""

    epoch: int
    status: Status
    view: View
    preparing: bool = False  # its program is being traced: no epoch has trained yet
    # The view encoded per format (see protocol.py), once, for every viewer; shared by the
    # snapshots `replace` makes of this one (the same view with another status).
    _encoded: dict[str, tuple[str, bytes]] = field(default_factory=dict, compare=False, repr=False)

    def encoded(self, fmt: protocol.Format) -> tuple[str, bytes]:
        cached = self._encoded.get(fmt)
        if cached is None:
            cached = self._encoded[fmt] = protocol.encode(self.view, fmt)
        return cached


def finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


class Run:
    # Times its history was cut back (a `RemoteRun` moved to another node from its checkpoint): a
    # viewer that holds epochs past the cut is sent the whole history again. A run here never is.
    rewinds = 0

    def __init__(
        self,
        client: str,
        spec: RunCreate,
        programs: "Programs",
        experiment: Experiment | None = None,
        load: Callable[["Run"], Experiment] | None = None,
        *,
        run_id: str | None = None,
        class_id: str | None = None,
        challenge_id: str | None = None,
        gate: Gate | None = None,
        wake: Callable[["Run"], None] | None = None,
        groups: "Groups | None" = None,
        callbacks: list[Callback] | None = None,
        history_loader: Callable[["Run"], dict[str, list[float | None]]] | None = None,
        max_streamed_weights: int | None = None,
    ) -> None:
        """A new run from its experiment, or a saved one whose experiment `load` rebuilds on first use.

        Its collaborators: the `gate` (training slots and saving: the manager), `wake` (the
        scheduler: something changed, give it a turn), `groups` (where stack runs train
        together), its `callbacks` after each chunk of epochs (by default only frames), and
        where a saved run's history comes from."""
        self.id = run_id or secrets.token_urlsafe(16)
        self.client = client
        self.spec = spec
        self.programs = programs
        self._experiment = experiment
        self._load = load
        self._load_lock = threading.Lock()
        self.created = time.time()
        self.status: Status = "paused" if self.spec.paused else "running"
        self.epoch = 0
        self._history: dict[str, list[float | None]] | None = {}
        self._history_lock = threading.Lock()  # one reader loads a saved run's history, once
        self.history_loader = history_loader
        self.error: str | None = None
        self.warnings: list[dict[str, Any]] = list(experiment.plan.warnings) if experiment else []
        self.snapshot: Snapshot | None = None
        self.class_id = class_id
        self.challenge_id = challenge_id
        self.score: float | None = None  # on the challenge's hidden split
        self.queue_position: int | None = None
        self.last: dict[str, float | None] = {}  # the last epoch's logs
        self.queued_at = 0.0
        self.touched = time.monotonic()  # last control, viewer or trained epoch: for idle expiry
        self.saved_epoch = -1  # the epoch of the last checkpoint written to the database
        self.written: threading.Event | None = None  # set once the last queued save is written
        self._end_queued = False  # the run's end is queued for the database
        self.gate = gate
        self._cond = threading.Condition()
        self._stop = False
        self._discarded = False  # deleted: it ends without a final frame or save (see discard)
        self._step_until: int | None = None  # while paused, train until this epoch count
        self._pending_lr: float | None = None
        # Viewers: their loop and event, and the format they read frames in.
        self._listeners: dict[tuple[asyncio.AbstractEventLoop, asyncio.Event], protocol.Format] = {}
        self.last_frame = 0.0
        self.wake: Callable[[Run], None] = wake or (lambda run: None)
        self.callbacks = CallbackList(callbacks if callbacks is not None else [Publish()])
        # Stack groups (see groups.py): where the run trains with others, if it does.
        self.groups = groups
        self.shard: Shard | None = None
        self.stack_arrays: dict[Any, Any] = {}  # its data padded per layout, made once
        self._max_streamed_weights = max_streamed_weights
        self._failure: str | None = None  # a shard saw it diverge: end it as failed

    @property
    def experiment(self) -> Experiment:
        """The data, program and state; a saved run rebuilds them from its checkpoint on first use."""
        if self._experiment is None:
            with self._load_lock:
                if self._experiment is None:
                    if self._load is None:
                        raise Conflict("id", code="model_unavailable")
                    self._experiment = self._load(self)
        return self._experiment

    @property
    def history(self) -> dict[str, list[float | None]]:
        """Keras's logs per epoch; a saved run reads them from the database when first asked (by
        one thread: a request's read racing the training thread's first epochs would otherwise
        load it twice, and the later load drop those epochs or pad them with None)."""
        history = self._history
        if history is None:
            with self._history_lock:
                history = self._history
                if history is None:
                    history = self._history = self.history_loader(self) if self.history_loader else {}
        return history

    def live_state(self) -> RunState:
        """The weights now: a run training in a shard has them there, newer than its last checkpoint."""
        shard = self.shard
        state = shard.live_state(self) if shard is not None else None
        return state if state is not None else self.experiment.state

    @cached_property
    def send_weights(self) -> bool:
        """Whether frames carry the weights: a stack small enough to draw them all (asked at every
        shard turn; the network never changes, so worked out once)."""
        stack = self.experiment.stack if self._max_streamed_weights is not None else None
        if stack is None or self._max_streamed_weights is None:
            return True
        count = sum(shape[0] * (shape[1] if len(shape) > 1 else 1) for shape in stack.exact.shapes())
        return count <= self._max_streamed_weights

    @cached_property
    def layer_names(self) -> tuple[str, ...]:
        """Its layers' Keras names in build order (a graph's are its nodes'), for its frames."""
        return tuple(step.name for step in self.spec.model.steps)

    @property
    def loaded(self) -> bool:
        return self._experiment is not None

    def unload(self) -> None:
        """Drop the model state from memory (a saved, finished run reloads it when asked)."""
        if self._load is not None and self.status in FINISHED:
            self._experiment = None
            self.snapshot = None
            self._history = None

    # --- controls (any thread) -------------------------------------------------------------
    def _control(self, action: str) -> None:
        self.touched = time.monotonic()
        if self.status in FINISHED:
            raise Conflict("action", code="run_ended", params={"action": action, "status": self.status})

    def apply(self, event: Event) -> bool:
        """Move the status by `event` (see status.py); False, and no change, where it does not apply."""
        with self._cond:
            target = after(self.status, event)
            if target is None:
                return False
            self.status = target
            return True

    def pause(self) -> None:
        with self._cond:
            self.touched = time.monotonic()
            self.status = control(self.status, "pause")
            self._step_until = None
        if self.gate is not None:
            self.gate.leave(self)
        self.wake(self)  # so viewers get a frame that says so

    def resume(self) -> None:
        with self._cond:
            self.touched = time.monotonic()
            control(self.status, "resume")
            if self.status in ("running", "queued"):
                return
            self._step_until = None
            was = self.status
        if self.gate is not None:
            self.gate.admit(self, was)  # granted a slot, or queued behind others
        else:
            self.apply("grant")
        if self.status == "running":
            self.wake(self)

    def step(self) -> None:
        """Exactly one more epoch than now, then paused."""
        with self._cond:
            self.touched = time.monotonic()
            was = self.status
            paused = control(was, "step")
            if self.epoch >= self.spec.fit.epochs:
                raise Conflict("action", code="no_epochs_left")
            self.status = paused
            self._step_until = max(self._step_until or 0, self.epoch) + 1
        if was in ("running", "queued") and self.gate is not None:
            self.gate.leave(self)
        self.wake(self)

    def stop(self) -> None:
        with self._cond:
            if self.status in FINISHED:
                return
            self._stop = True
            waiting = self.status in ("queued", "interrupted")
        if self.gate is not None:
            self.gate.leave(self)
        if waiting:  # nothing to train it with: end it here rather than through a worker
            self._end_without_program("stopped")
        else:
            self.wake(self)

    def discard(self) -> None:
        """Deleted: it stops, and its end makes no final frame and no save — nobody reads them, and
        each would build the run's Keras model (thirty students deleting their runs at once took the
        cores from the next networks' first frames for seconds)."""
        with self._cond:
            self._discarded = True
        self.stop()

    def continue_for(self, epochs: int) -> None:
        """Train a done or stopped run `epochs` more: its history, optimizer state and logs go on."""
        with self._cond:
            reopened = control(self.status, "continue")
            fit = self.spec.fit.model_copy(update={"epochs": self.epoch + epochs})
            self.spec = self.spec.model_copy(update={"fit": fit})
            self._stop = False
            self._end_queued = False
            self.error = None
            self.status = reopened
            self.touched = time.monotonic()
        if self.gate is not None:
            self.gate.admit(self, "paused")
        else:
            self.apply("grant")
        snapshot = self.snapshot
        if snapshot is not None:  # a viewer that connects now must not be told the old end
            self.snapshot = replace(snapshot, status=self.status)
        if self.status == "running":
            self.wake(self)

    def set_learning_rate(self, value: float) -> None:
        with self._cond:
            self._control("change the learning rate")
            if isinstance(self.spec.compile.optimizer.learning_rate, ScheduleSpec):
                raise Conflict("learning_rate", code="rate_follows_schedule")
            self._pending_lr = value

    @property
    def active(self) -> bool:
        return self.status not in FINISHED

    @property
    def ending(self) -> bool:
        """Finished, or asked to stop (deleted runs are) and about to be."""
        return self._stop or self.status in FINISHED

    # --- viewers ---------------------------------------------------------------------------
    def subscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event, fmt: protocol.Format = "json") -> None:
        self.touched = time.monotonic()
        with self._cond:
            self._listeners[(loop, event)] = fmt
        if self.snapshot is None and self.status not in ("running", "queued"):
            self.wake(self)  # a saved run draws its frame for the first viewer
        event.set()  # the current state is news to a new viewer

    @property
    def watched(self) -> bool:
        return bool(self._listeners)

    def unsubscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._cond:
            self._listeners.pop((loop, event), None)

    def notify(self) -> None:
        """Tell viewers something changed (the queue position, say)."""
        self._notify()

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
        epoch = self.epoch  # read once: the history below has exactly this many epochs
        out: dict[str, object] = {
            "id": self.id,
            "status": self.status,
            "epoch": epoch,
            "epochs": self.spec.fit.epochs,
            "spec": self.spec.model_dump(mode="json"),
            "error": self.error,
            "warnings": self.warnings,
            "created": self.created,
            "architecture": self.spec.model.describe(),
        }
        if self.status == "queued":
            out["queue_position"] = self.queue_position
        failed = self.gate.save_error(self) if self.gate is not None else None
        if failed is not None:  # say it: what the server shows may not survive a restart
            out["save_error"] = failed
        if self.challenge_id is not None:
            out["challenge"] = self.challenge_id
            out["score"] = self.score
        if with_history:
            out["history"] = self.history_slice(0, epoch)
        return out

    # --- training (a worker thread at a time) ----------------------------------------------
    def publish(self, program: Program) -> None:
        """Make a frame of the current state with a program the caller holds."""
        view = program.frame_view(self.experiment.state)
        self.callbacks.on_frame(self, program)
        self._show(Snapshot(self.epoch, self.status, view))

    def _show(self, snapshot: Snapshot) -> None:
        """The new latest frame, encoded here (a training worker) in the formats its viewers read."""
        with self._cond:
            formats = set(self._listeners.values())
        for fmt in formats:
            snapshot.encoded(fmt)
        self.snapshot = snapshot
        self.last_frame = time.monotonic()
        self._notify()

    def _plan_chunk(self) -> int | Literal["stop", "done", "wait", "fail"]:
        """How many epochs to train next, or why not to train."""
        with self._cond:
            if self._failure is not None:
                return "fail"
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

    # --- in a stack group (the shard calls these under its turn) ----------------------------
    def plan_for_group(self, peek: bool = False) -> tuple[int, float | None] | None:
        """Epochs the run wants now and a new learning rate, or None when it should leave."""
        with self._cond:
            if self._failure is not None or self._stop or self.epoch >= self.spec.fit.epochs:
                return None
            if self.status == "paused":
                if self._step_until is None or self.epoch >= self._step_until:
                    return None
                count = self._step_until - self.epoch
            elif self.status != "running":
                return None
            else:
                count = self.spec.fit.epochs - self.epoch
            rate = None
            if not peek and self._pending_lr is not None:
                rate, self._pending_lr = self._pending_lr, None
            return count, rate

    def should_end(self) -> bool:
        return self.plan_for_group(peek=True) is None

    def record_epochs(self, names: list[str], values: list[float], count: int) -> int:
        """Append `count` epochs of logs (`values`: rows as shortest decimals, row-major); the
        epoch they started at."""
        history = self.history
        width = len(names)
        for j, name in enumerate(names):
            history.setdefault(name, []).extend(finite_or_none(v) for v in values[j::width])
        with self._cond:
            first = self.epoch
            self.epoch += count
        self.last = {name: finite_or_none(values[(count - 1) * width + j]) for j, name in enumerate(names)}
        self.touched = time.monotonic()
        return first

    def fail_later(self) -> None:
        with self._cond:
            self._failure = self._divergence_message()

    def publish_view(self, view: View) -> None:
        """A frame made elsewhere (by the run's shard)."""
        self._show(Snapshot(self.epoch, self.status, view))
        self.last_frame = time.monotonic()
        self._notify()

    @property
    def classification(self) -> bool:
        return self.experiment.data.info.task == "classification"

    @property
    def max_fps(self) -> float:
        return self.spec.stream.max_fps

    # --- on the per-run engine -------------------------------------------------------------
    def advance(self, budget: float) -> Outcome:
        """Train up to `budget` seconds of epochs; say whether to be scheduled again."""
        if self.shard is not None:
            return "idle"  # its shard trains it, and wakes it when it leaves
        if self.status in (*FINISHED, "queued", "interrupted") and not self._stop:
            return self._draw_only()
        if self._discarded:
            self._end_without_program("stopped")
            return "idle"
        limit = self._plan_chunk()
        if isinstance(limit, int) and self.groups is not None and self.groups.place(self):
            return "idle"  # trains in a stack group from now on
        if limit == "fail":
            program = self.programs.acquire_blocking(self.experiment.pool)
            try:
                self._finish("failed", program, self._failure)
            finally:
                self.programs.release(self.experiment.pool, program)
            return "idle"
        pool = self.experiment.train_pool() if isinstance(limit, int) else self.experiment.pool
        if not self._drawn:  # first turn: the untrained model's frame, before any epoch
            drawer = self.programs.acquire(pool, trained=False)
            if drawer is None:
                if self.snapshot is None:  # say so at once: "preparing the model…", not silence
                    self._show(Snapshot(self.epoch, self.status, NO_VIEW, preparing=True))
                    self._notify()
                return "blocked"
            try:
                self.publish(drawer)
            finally:
                self.programs.release(pool, drawer)
            if isinstance(limit, int):
                return "again"
        if limit == "wait":
            draw = not self._drawn or self.snapshot is None or self.snapshot.status != self.status
            save = self.gate is not None and self.saved_epoch != self.epoch  # paused: keep where it is
            if draw or save:
                program = self.programs.acquire_blocking(pool)
                try:
                    if draw:
                        self.publish(program)
                    if save and self.gate is not None:
                        self.gate.save(self, program, final=False)
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
        trainer = self.programs.acquire(pool)
        if trainer is None:
            snapshot = self.snapshot
            if snapshot is not None and not snapshot.preparing and pool.programs[0].stage == "built":
                # Say so: the page shows "preparing the model…" rather than a silent epoch 0.
                self.snapshot = replace(snapshot, preparing=True)
                self._notify()
            return "blocked"
        assert isinstance(limit, int)
        try:
            return self._train_chunk(trainer, limit, budget)
        except Exception as exc:  # a run must end in a state a viewer can read, never vanish
            log.exception("run %s failed", self.id)
            self._finish("failed", trainer, f"training failed: {exc}")
            return "idle"
        finally:
            self.programs.release(pool, trainer)

    @property
    def _drawn(self) -> bool:
        """Whether a frame of the model was made (not only the one that says it is being prepared)."""
        snapshot = self.snapshot
        return snapshot is not None and not (snapshot.preparing and snapshot.view is NO_VIEW)

    def _draw_only(self) -> Outcome:
        """A run that is not training (a saved one, say) draws its frame once for its viewers."""
        if self._drawn and self.snapshot is not None and self.snapshot.status == self.status:
            return "idle"
        program = self.programs.acquire(self.experiment.pool, trained=False)
        if program is None:
            return "blocked"
        try:
            self.publish(program)
        finally:
            self.programs.release(self.experiment.pool, program)
        return "idle"

    def _train_chunk(self, program: Program, limit: int, budget: float) -> Outcome:
        stage = program.stage
        estimates = self.experiment.pool.epoch_seconds
        per_epoch = estimates.get(stage)
        count = 1 if per_epoch is None else int(budget / max(per_epoch, 1e-6))
        count = max(1, min(count, limit, K_MAX))
        began = time.perf_counter()
        first = self.epoch
        logs = program.train(self.experiment.state, self.experiment.inputs, self.spec.seed, self.epoch, count)
        self.touched = time.monotonic()
        if logs:
            self.last = {key: finite_or_none(value) for key, value in logs[-1].items()}
        took = (time.perf_counter() - began) / count
        estimates[stage] = took if per_epoch is None else 0.8 * per_epoch + 0.2 * took
        diverged = False
        history = self.history
        for entry in logs:
            for key, value in entry.items():
                history.setdefault(key, []).append(finite_or_none(value))
            with self._cond:
                self.epoch += 1
            if not math.isfinite(entry.get("loss", 0.0)):
                diverged = True
                break
        with self._cond:
            stepping = self.status == "paused"
            finished = self.epoch >= self.spec.fit.epochs
        kept = logs[: self.epoch - first]
        if kept:
            names = list(kept[0])
            rows = np.array([[entry[name] for name in names] for entry in kept], np.float64)
            chunk = Chunk(first, names, rows, program, stepping=stepping, last=diverged or finished)
            chunk.draw = lambda: self.publish(program)
            self.callbacks.on_chunk_end(self, chunk)
        if diverged:
            self._finish("failed", program, self._divergence_message())
            return "idle"
        if finished:
            self._finish("done", program)
            return "idle"
        return "idle" if stepping and self._plan_chunk() == "wait" else "again"

    def crash(self, exc: BaseException) -> None:
        """End the run as failed after an unexpected error, without a program to draw with."""
        self._end_without_program("failed", f"training failed: {exc}")

    def _end_without_program(self, status: Status, error: str | None = None) -> None:
        with self._cond:
            if self.status in FINISHED:
                return
        self._record_end(status, error, None)
        last = self.snapshot
        ended = Snapshot(self.epoch, status, NO_VIEW)
        self.snapshot = replace(last, epoch=self.epoch, status=status) if last else ended
        self._notify()

    def _divergence_message(self) -> str:
        lr = self.spec.compile.optimizer.learning_rate
        rate = f" (now {lr})" if isinstance(lr, float) else ""
        return (
            f"training diverged at epoch {self.epoch}: the loss became NaN or infinite. "
            f"Try a smaller learning rate{rate}, for example a tenth of it."
        )

    def _record_end(self, status: Status, error: str | None, program: Program | None) -> None:
        """The run has ended: its callbacks end (the final score, the logs closed), then it says
        so, frees its slot and is saved for good."""
        self.callbacks.on_train_end(self, program)  # whoever sees the end sees the final score
        with self._cond:
            self.status = after(self.status, END[status]) or self.status
            self.error = error
        if self.gate is not None:
            self.gate.leave(self)
            if not self._discarded:
                self.gate.save(self, program, final=True)
        with self._cond:
            self._end_queued = True
            self._cond.notify_all()  # wait_ended: the end is queued for the database

    def wait_ended(self, timeout: float) -> bool:
        """Wait until the run has ended and its end is queued to be saved; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._end_queued, timeout)

    def _finish(self, status: Status, program: Program, error: str | None = None) -> None:
        self._record_end(status, error, program)
        try:
            self.publish(program)
        except Exception:  # the last frame is a courtesy; the status and history are what count
            log.exception("final frame of run %s failed", self.id)
            self.snapshot = Snapshot(self.epoch, status, NO_VIEW)
            self._notify()
