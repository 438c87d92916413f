"""All runs: created within the limits, saved to the database, restored after a restart, and
given training slots through a queue that is fair across students."""

from __future__ import annotations

import builtins
import gc
import logging
import os
import secrets
import threading
import time
from collections import Counter
from typing import Any, Protocol

import numpy as np

from app.config import Settings
from app.db.database import Database
from app.db.tables import RunRow
from app.engine.experiment import Experiment
from app.engine.program import Program, RunState
from app.engine.programs import Programs
from app.engine.stack_programs import StackPrograms
from app.engine.stacks import Entry, member_arrays, stack_run
from app.errors import Conflict, NotFound, SpecError, TooMany, as_issue
from app.exports.files import keras_bytes
from app.runs.callbacks import Callback, ChallengeScore, Checkpoint, Publish, TensorBoard
from app.runs.groups import Groups
from app.runs.queue import fair_order
from app.runs.run import FINISHED, Run
from app.runs.scheduler import Scheduler
from app.runs.store import RunSave, RunStore
from app.schemas.runs import RunCreate

log = logging.getLogger(__name__)

HOLDING = ("running", "queued", "paused")  # statuses that count against a student's limit


class Classroom(Protocol):
    """What the manager asks of the classroom (see app/classroom): rules, teachers, scores."""

    def prepare(self, client: str, spec: RunCreate) -> tuple[str | None, str | None]: ...  # class, challenge
    def is_teacher(self, client: str) -> bool: ...
    def score(self, run: Run, program: Program) -> float | None: ...


class RunManager:
    def __init__(self, settings: Settings, db: Database, classroom: Classroom | None = None) -> None:
        """Its parts, wired by their constructors; no thread starts before `start()`."""
        self.settings = settings
        workers = settings.train_workers or os.cpu_count() or 2
        self.programs = Programs(settings, pool_size=workers)
        self.scheduler = Scheduler(self.programs, workers)
        self.stack_programs = StackPrograms(self.programs, max(4, settings.max_programs // 2))
        self.groups = Groups(
            self.stack_programs,
            workers,
            settings.lone_compile_max_runs,
            submit=self.scheduler.submit,
            wake=self.scheduler.submit,  # a run leaving its shard goes back to the per-run engine
        )
        self.store = RunStore(db)
        self.classroom = classroom
        self._runs: dict[str, Run] = {}
        self._queue: list[Run] = []  # waiting for a training slot
        self._training: set[str] = set()  # ids of runs holding a slot
        self._granted: dict[str, float] = {}  # when each student was last given a slot
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._janitor = threading.Thread(target=self._janitor_loop, name="run-janitor", daemon=True)
        self._prewarm: threading.Thread | None = None

    def start(self) -> None:
        """Bring back the saved runs and start the threads: the writer, builders, workers, the janitor."""
        self.store.start()
        self.restore()
        self.programs.start()
        self.scheduler.start()
        self._janitor.start()

    def start_prewarm(self) -> None:
        """Build and compile TensorFlow Playground's default network before anyone asks for it,
        in the background; /api/health counts it under `compiling` until it is done."""
        from app.engine.experiment import load_data
        from app.engine.warm import PLAYGROUND_DEFAULT, PLAYGROUND_RESIDUAL

        job = self.programs.job()
        job.__enter__()  # counted from now, not from when the thread gets going

        def prewarm() -> None:
            try:
                data = load_data(PLAYGROUND_DEFAULT.dataset, 0)
                self.programs.pool(PLAYGROUND_DEFAULT, data, trace=False)
                stack = stack_run(PLAYGROUND_DEFAULT, data, self.settings)
                assert stack is not None and stack.family is not None
                entries = {
                    layout: Entry(stack, member_arrays(stack, data, layout), stack.initial_state(0), 0)
                    for layout in (stack.exact, stack.family)
                }
                # What a class needs first: thirty on the default, one on a new network, …
                order = [(stack.exact, 16), (stack.exact, 1), (stack.family, 1), (stack.family, 16)]
                for layout, capacity in order:
                    if self._stopping.is_set():
                        return
                    self.stack_programs.compile((layout, stack.training), capacity, entries[layout])
                if not self._stopping.is_set():
                    self.programs.probe.warm()  # the first new model of another kind need not wait for an import
                # Graph models whose merges add (a lesson's residual block) train at once too.
                graph = stack_run(PLAYGROUND_RESIDUAL, data, self.settings)
                assert graph is not None and graph.family is not None
                example = Entry(graph, member_arrays(graph, data, graph.family), graph.initial_state(0), 0)
                for capacity in (16, 1):
                    if self._stopping.is_set():
                        return
                    self.stack_programs.compile((graph.family, graph.training), capacity, example)
                # What start-up made (TensorFlow, Keras and the traced programs: millions of
                # objects) lives as long as the server: kept out of the cycle collector, whose
                # full passes over it stopped every thread for 0.3–0.4 s while a class trained.
                gc.collect()
                gc.freeze()
            except Exception:
                log.exception("prewarming failed; the first run will compile instead")
            finally:
                job.__exit__(None, None, None)

        self._prewarm = threading.Thread(target=prewarm, name="prewarm", daemon=True)
        self._prewarm.start()

    # --- creating ------------------------------------------------------------------------
    def _check_capacity(self, client: str) -> None:
        s = self.settings
        mine = sum(1 for r in self._runs.values() if r.client == client and r.status in HOLDING)
        if mine >= s.max_runs_per_client:
            raise TooMany("", code="too_many_runs", params={"limit": s.max_runs_per_client})
        if len(self._training) >= s.max_training_runs and len(self._queue) >= s.max_queued_runs:
            raise TooMany("", code="queue_full", params={"limit": s.max_queued_runs})

    def create(self, client: str, spec: RunCreate, weights: list[list[np.ndarray]] | None = None) -> Run:
        """Validate, prepare, save and start (or queue) a run. Blocking: call from a worker thread."""
        class_id, challenge_id = self.classroom.prepare(client, spec) if self.classroom else (None, None)
        with self._lock:
            self._check_capacity(client)
        experiment = Experiment.create(spec, self.settings, self.programs, weights, owner=client)
        run = self._run(client, spec, secrets.token_urlsafe(16), class_id, challenge_id, experiment)
        self.store.insert(self._row(run))
        with self._lock:
            self._check_capacity(client)
            self._runs[run.id] = run
            if weights is not None:  # an imported model: its weights are what is saved first
                self.save(run, None, final=False)
            if run.status == "running":
                self.admit(run)
        if run.status == "running":
            self.scheduler.submit(run, first=True)
        return run

    def _run(
        self,
        client: str,
        spec: RunCreate,
        run_id: str,
        class_id: str | None,
        challenge_id: str | None,
        experiment: Experiment | None = None,
    ) -> Run:
        """A run with its collaborators: this manager as its gate, the scheduler, the stack
        groups, and its callbacks after each chunk of epochs."""
        callbacks: list[Callback] = []
        if spec.tensorboard:
            callbacks.append(TensorBoard(self.settings.data_dir / "tensorboard" / run_id))
        if challenge_id is not None:
            callbacks.append(ChallengeScore(self, self.settings.checkpoint_seconds))
        callbacks += [Checkpoint(self, self.settings.checkpoint_seconds), Publish()]
        return Run(
            client,
            spec,
            self.programs,
            experiment,
            load=self._reload,
            run_id=run_id,
            class_id=class_id,
            challenge_id=challenge_id,
            gate=self,
            wake=self._wake,
            groups=self.groups,
            callbacks=callbacks,
            history_loader=self._history,
            max_streamed_weights=self.settings.max_streamed_weights,
        )

    def _wake(self, run: Run) -> None:
        """Something changed for a run: its shard, or the run itself, takes a turn soon."""
        shard = run.shard
        if shard is not None:
            self.scheduler.submit(shard, True)
        else:
            self.scheduler.submit(run)

    def _row(self, run: Run) -> RunRow:
        return RunRow(
            id=run.id,
            client=run.client,
            class_id=run.class_id,
            challenge_id=run.challenge_id,
            spec=run.spec.model_dump(mode="json"),
            status=run.status,
            epoch=0,
            warnings=run.warnings,
            metrics={},
            created=run.created,
            updated=time.time(),
        )

    # --- finding -------------------------------------------------------------------------
    def get(self, client: str, run_id: str) -> Run:
        """The client's run, or a class run for the teacher; anything else is as absent as a
        run that never existed."""
        run = self._runs.get(run_id)
        if run is not None and (run.client == client or (run.class_id and self._teacher(client))):
            return run
        raise NotFound("id", code="not_found", params={"kind": "run", "id": run_id})

    def _teacher(self, client: str) -> bool:
        return self.classroom is not None and self.classroom.is_teacher(client)

    def list(self, client: str) -> list[Run]:
        return sorted((r for r in self._runs.values() if r.client == client), key=lambda r: -r.created)

    def in_class(self, class_id: str) -> builtins.list[Run]:
        return sorted((r for r in self._runs.values() if r.class_id == class_id), key=lambda r: -r.created)

    def saved_model(self, run: Run) -> bytes | None:
        """An ended run's .keras file as saved when it ended (None until the writer has written it)."""
        if run.status not in FINISHED or run.saved_epoch != run.epoch:
            return None
        return self.store.model_file(run.id)

    def in_challenge(self, challenge_id: str) -> builtins.list[Run]:
        return [r for r in self._runs.values() if r.challenge_id == challenge_id]

    def _check_continue(self, client: str, run: Any, epochs: int) -> None:
        """The epoch limit and the class's rules for training a run `epochs` more."""
        total = run.epoch + epochs
        if total > self.settings.max_epochs:
            raise SpecError("epochs", code="limit_exceeded", params={"value": total, "limit": self.settings.max_epochs})
        if self.classroom is not None and run.client == client:
            fit = run.spec.fit.model_copy(update={"epochs": total})
            self.classroom.prepare(client, run.spec.model_copy(update={"fit": fit}))  # the class's rules

    def continue_run(self, client: str, run_id: str, epochs: int) -> Run:
        """Train a done or stopped run `epochs` more (the course trains in chunks: 5, 1000, 5)."""
        run = self.get(client, run_id)
        self._check_continue(client, run, epochs)
        with self._lock:
            self._check_capacity(run.client)
        run.experiment  # noqa: B018  # a saved run's model and state load before it trains again
        run.continue_for(epochs)
        self.store.set_fields(run.id, spec=run.spec.model_dump(mode="json"), status=run.status)
        return run

    def delete(self, client: str, run_id: str) -> None:
        run = self.get(client, run_id)
        run.discard()
        with self._lock:
            self._runs.pop(run.id, None)
        self.store.delete(run.id)

    # --- training slots (the Gate a run calls) ------------------------------------------
    def admit(self, run: Run, was: str = "running") -> None:
        """Give a run that wants to train a slot, or a place in the queue."""
        with self._lock:
            if run.id in self._training or run in self._queue:
                return
            if was == "interrupted":
                self._check_capacity(run.client)
            if len(self._training) < self.settings.max_training_runs and not self._queue:
                self._training.add(run.id)
                self._granted[run.client] = time.monotonic()
                run.apply("grant")
            else:
                run.apply("queue")
                run.queued_at = time.monotonic()
                self._queue.append(run)
        self._tell_queue()

    def leave(self, run: Run) -> None:
        with self._lock:
            self._training.discard(run.id)
            was_queued = run in self._queue
            if was_queued:
                self._queue.remove(run)
                run.queue_position = None
        if not self._fill() and was_queued:
            self._tell_queue()  # the runs behind it move up

    def _fill(self) -> bool:
        """Hand free slots to queued runs, fairly: the student with the fewest runs training
        first, then whoever has waited longest."""
        started: list[Run] = []
        with self._lock:
            while self._queue and len(self._training) < self.settings.max_training_runs:
                chosen = fair_order(self._queue, self._per_client(), self._granted)[0]
                self._queue.remove(chosen)
                self._training.add(chosen.id)
                self._granted[chosen.client] = time.monotonic()
                chosen.queue_position = None
                chosen.apply("grant")
                started.append(chosen)
        for run in started:
            self.scheduler.submit(run, first=True)
        if started:
            self._tell_queue()
        return bool(started)

    def _per_client(self) -> Counter[str]:
        return Counter(self._runs[i].client for i in self._training if i in self._runs)

    def _tell_queue(self) -> None:
        with self._lock:
            order = fair_order(self._queue, self._per_client(), self._granted)
            for position, run in enumerate(order, start=1):
                run.queue_position = position
        for run in order:
            run.notify()

    # --- saving --------------------------------------------------------------------------
    def save(self, run: Run, program: Program | None, final: bool) -> None:
        """Queue a snapshot of the run for the database (called by its worker, or on a control)."""
        fields: dict[str, Any] = {"status": run.status, "epoch": run.epoch, "error": run.error, "metrics": run.last}
        snapshot = RunSave(fields)
        start = max(run.saved_epoch, 0)
        if run.epoch > start:
            snapshot.chunks.append((start, run.epoch, run.history_slice(start, run.epoch)))
        if run.loaded:
            state = run.experiment.state
            snapshot.variables, snapshot.optimizer = list(state.variables), list(state.optimizer)
            fields["checkpoint_epoch"] = run.epoch
            if final and program is not None and run.epoch > 0:
                frozen = RunState(snapshot.variables, snapshot.optimizer)
                snapshot.model = lambda: keras_bytes(program.to_keras(frozen))
        fields["score"] = run.score
        run.saved_epoch = run.epoch
        run.written = self.store.save(run.id, snapshot)

    def save_error(self, run: Run) -> str | None:
        return self.store.save_error(run.id)

    def stop(self, client: str, run_id: str, timeout: float = 15.0) -> tuple[Run, bool]:
        """Stop a run and wait (up to `timeout`) until its end is written, so that the answer
        says only what a restart will show: (the run, whether its end was saved)."""
        run = self.get(client, run_id)
        if run.status in FINISHED and run.written is None:  # it ended before this server started
            return run, self.store.save_error(run.id) is None
        deadline = time.monotonic() + timeout
        run.stop()
        if not run.wait_ended(timeout):
            return run, False
        written = run.written
        saved = written is not None and written.wait(max(0.0, deadline - time.monotonic()))
        return run, saved and self.store.save_error(run.id) is None

    def rescore(self, run: Run, program: Program) -> None:
        """A challenge run's score on the hidden rows, with the program the caller holds."""
        if run.challenge_id and self.classroom is not None:
            try:
                run.score = self.classroom.score(run, program)
            except Exception:
                log.exception("scoring run %s failed", run.id)

    # --- after a restart -----------------------------------------------------------------
    def restore(self) -> None:
        """Every saved run comes back: finished ones as they ended, paused ones paused, and
        those that were training or queued as interrupted at their last checkpoint."""
        for row in self.store.rows():
            if not self._restorable(row):
                continue
            try:
                spec = RunCreate.model_validate(row.spec)
            except ValueError:
                log.warning("run %s has a spec this version cannot read; left out", row.id)
                continue
            run = self._run(row.client, spec, row.id, row.class_id, row.challenge_id)
            run.created, run.error, run.score = row.created, row.error, row.score
            run.warnings = [as_issue(w) for w in row.warnings]
            run.last = dict(row.metrics or {})
            run.status = row.status  # type: ignore[assignment]
            if row.status not in FINISHED:
                run.epoch = row.checkpoint_epoch or 0
                if row.status in ("running", "queued"):
                    run.status = "interrupted"
                    self.store.set_fields(run.id, status="interrupted", epoch=run.epoch)
            else:
                run.epoch = row.epoch
            run.saved_epoch = run.epoch
            run._history = None  # read from the database when first asked
            self._runs[run.id] = run
        if self._runs:
            log.info("restored %d runs from the database", len(self._runs))

    def _restorable(self, row: RunRow) -> bool:
        """Whether `restore` brings this saved run back here (a run a Ray trainer holds is not)."""
        return True

    def training(self) -> dict[str, Any]:
        """Where runs train, for /api/health: this server's own threads."""
        return {"backend": "in-process"}

    def _history(self, run: Run) -> dict[str, builtins.list[float | None]]:
        return self.store.history(run.id, run.epoch)

    def _reload(self, run: Run) -> Experiment:
        """A saved run's data, program and state from its last checkpoint."""
        try:
            experiment = Experiment.create(run.spec, self.settings, self.programs, owner=run.client)
        except SpecError as exc:
            raise Conflict("id", code="cannot_reopen", params={"reason": exc.detail()}) from exc
        saved = self.store.checkpoint(run.id)
        if saved is not None:
            program = experiment.pool.programs[0]
            _epoch, variables, optimizer = saved
            experiment._state = RunState(variables, optimizer, program.learning_rate_index)
        run.warnings = run.warnings or list(experiment.plan.warnings)
        return experiment

    # --- housekeeping ----------------------------------------------------------------------
    def _janitor_loop(self) -> None:
        period = min(10.0, self.settings.idle_run_seconds / 4)
        while not self._stopping.wait(period):
            try:
                self.expire_idle()
                self._unload_old()
            except Exception:
                log.exception("housekeeping failed")

    def expire_idle(self) -> None:
        """Paused runs nobody watches end after idle_run_seconds; their results stay."""
        limit = time.monotonic() - self.settings.idle_run_seconds
        for run in list(self._runs.values()):
            if run.status == "paused" and not run.watched and run.touched < limit:
                log.info("run %s was idle for %.0f s: stopped", run.id, self.settings.idle_run_seconds)
                run.stop()

    def _unload_old(self) -> None:
        """Keep a few finished runs per student loaded; the rest reload from the database."""
        by_client: dict[str, list[Run]] = {}
        for run in self._runs.values():
            if run.loaded and run.status in FINISHED and run.saved_epoch == run.epoch and not run.watched:
                by_client.setdefault(run.client, []).append(run)
        for runs in by_client.values():
            runs.sort(key=lambda r: r.touched)
            for run in runs[: max(0, len(runs) - self.settings.max_loaded_runs_per_client)]:
                if self.store.flush(0):  # only once its last snapshot is written
                    run.unload()

    def shutdown(self) -> bool:
        """Stop training; runs still training are saved as interrupted, to be resumed later.
        False when a compile was still running (the caller should then exit at once)."""
        self._stopping.set()
        self.scheduler.shutdown()
        self.groups.write_back()  # runs in shards: their state, as the last call left it
        for run in list(self._runs.values()):
            if run.status in ("running", "queued"):
                run.apply("interrupt")
                self.save(run, None, final=False)
        self.store.close()
        # A compile cannot be interrupted: wait for it (Docker allows 30 s), so no thread is
        # inside TensorFlow when Python exits; say so when one still is.
        if self._prewarm is not None:
            self._prewarm.join(10)
        if not self.programs.shutdown(5.0) or (self._prewarm is not None and self._prewarm.is_alive()):
            log.warning("a compile was still running at shutdown; everything is saved")
            return False
        return True
