"""The trainer: a Ray actor (one per node) that hosts the in-process engine for its runs.

It is a RunManager of its own (programs, stack groups, scheduler, callbacks, checkpoints) on the
shared DATABASE_URL, so a run trains, saves and draws its frames exactly as in one process. The
web process has already applied the class's rules (it holds the classroom); here the classroom
only scores challenge runs. Every method answers plain data: a run's `summary`, its `public()`
dict, a frame's encoded bytes; a refusal comes back as `{"error": [...]}` (see `wrap`), which the
web process raises again as the same SpecError.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from app.config import Settings
from app.errors import NotFound, SpecError
from app.runs.manager import RunManager
from app.runs.run import Run
from app.runs.status import FINISHED
from app.schemas.runs import RunCreate


def wrap(fn: Callable[[], Any]) -> dict[str, Any]:
    """`{"ok": answer}`, or `{"error": [class name, field, message, code, params]}` for a SpecError."""
    try:
        return {"ok": fn()}
    except SpecError as exc:
        return {"error": [type(exc).__name__, exc.field, exc.message, exc.code, exc.params]}


class _Placed:
    """The classroom as a trainer sees it: the class and challenge the web process chose for the
    run being created (per thread: a threaded actor creates several at once), and real scores."""

    def __init__(self, classroom: Any) -> None:
        self.classroom = classroom
        self.local = threading.local()

    def prepare(self, client: str, spec: RunCreate) -> tuple[str | None, str | None]:
        ids: tuple[str | None, str | None] = getattr(self.local, "ids", (None, None))
        return ids

    def is_teacher(self, client: str) -> bool:
        return False

    def score(self, run: Run, program: Any) -> float | None:
        score: float | None = self.classroom.score(run, program)
        return score


class TrainerManager(RunManager):
    """A RunManager that brings back no saved runs at start: the web processes own the store's
    past; a trainer holds only the runs it was given, or adopted from a trainer that died."""

    _adopting: frozenset[str] = frozenset()

    def restore(self) -> None:
        if self._adopting:  # RunManager.restore for these rows only (see `_restorable`)
            super().restore()

    def _restorable(self, row: Any) -> bool:
        return row.id in self._adopting and row.id not in self._runs

    def adopt(self, run_ids: list[str], resume: bool = True) -> list[Run]:
        """Saved runs nobody holds, from their last checkpoints in the database (those it holds
        already as they are). `resume`: the runs of a trainer that died, where one that was
        training goes on training (restored as interrupted, then resumed), as after a restart;
        else as a restart leaves them (the runs a web process found in the store at its start)."""
        with self._lock:
            new = frozenset(run_ids) - set(self._runs)
            if new:
                self._adopting = new
                try:
                    super().restore()
                finally:
                    self._adopting = frozenset()
        runs = []
        for run_id in run_ids:
            run = self._runs.get(run_id)
            if run is None:
                raise NotFound("id", code="not_found", params={"kind": "run", "id": run_id})
            if resume and run_id in new and run.status == "interrupted":
                run.resume()
            runs.append(run)
        return runs


def summary(run: Run) -> dict[str, Any]:
    """What a web process mirrors of a run between calls (its status line, not its history)."""
    failed = run.gate.save_error(run) if run.gate is not None else None
    return {
        "status": run.status,
        "epoch": run.epoch,
        "epochs": run.spec.fit.epochs,
        "error": run.error,
        "queue_position": run.queue_position,
        "last": dict(run.last),
        "score": run.score,
        "saved_epoch": run.saved_epoch,
        "save_error": failed,
    }


def meta(run: Run) -> dict[str, Any]:
    """Who a run is, for a web process that first meets it."""
    return {
        "id": run.id,
        "client": run.client,
        "class_id": run.class_id,
        "challenge_id": run.challenge_id,
        "created": run.created,
        "spec": run.spec,
        "warnings": run.warnings,
        "summary": summary(run),
    }


class Trainer:
    """The actor's class (made remote by app/cluster/remote.py, placed on one node)."""

    def __init__(self, settings: dict[str, Any], cpus: int) -> None:
        from app.classroom.service import Classroom
        from app.db.database import Database, database_url

        self.settings = Settings.model_construct(**{**settings, "train_workers": cpus, "ray_address": None})
        s = self.settings
        self.db = Database(database_url(s.database_url, s.data_dir), s.max_database_mb)
        # Challenges created through any web process after this trainer started are scored too.
        self.placed = _Placed(Classroom(s, self.db, refresh=settings.get("shared_refresh_seconds") or 1.0))
        self.manager = TrainerManager(s, self.db, self.placed)
        self.manager.start()
        if s.prewarm:
            self.manager.start_prewarm()
        self.started = time.time()

    def ping(self) -> dict[str, Any]:
        import os
        import socket

        ids = list(self.manager._runs)
        return {"pid": os.getpid(), "host": socket.gethostname(), "runs": len(ids), "ids": ids}

    def adopt(self, run_id: str) -> dict[str, Any]:
        """A run whose trainer died: it goes on here from its last checkpoint."""
        return wrap(lambda: meta(self.manager.adopt([run_id])[0]))

    def take(self, run_ids: list[str]) -> list[dict[str, Any]]:
        """Saved runs that no trainer holds (ended, or interrupted by a restart of the whole
        cluster), brought back as a restart brings them: a continue or resume trains them here."""
        runs: list[Run] = self.manager.adopt(run_ids, resume=False)
        return [meta(run) for run in runs]

    def _run(self, run_id: str) -> Run:
        run = self.manager._runs.get(run_id)
        if run is None:
            raise NotFound("id", code="not_found", params={"kind": "run", "id": run_id})
        return run

    def load(self) -> int:
        """Runs not ended here: how busy this trainer is."""
        return sum(1 for r in list(self.manager._runs.values()) if r.status not in FINISHED)

    def create(
        self,
        client: str,
        spec: RunCreate,
        class_id: str | None,
        challenge_id: str | None,
        weights: list[list[np.ndarray]] | None,
    ) -> dict[str, Any]:
        def create() -> dict[str, Any]:
            self.placed.local.ids = (class_id, challenge_id)
            try:
                return meta(self.manager.create(client, spec, weights))
            finally:
                self.placed.local.ids = (None, None)

        return wrap(create)

    def find(self, run_id: str) -> dict[str, Any] | None:
        run = self.manager._runs.get(run_id)
        return meta(run) if run is not None else None

    def held(self) -> list[dict[str, Any]]:
        return [meta(r) for r in list(self.manager._runs.values())]

    def of_client(self, client: str) -> list[dict[str, Any]]:
        return [meta(r) for r in list(self.manager._runs.values()) if r.client == client]

    def of_class(self, class_id: str) -> list[dict[str, Any]]:
        """A class's runs here (the teacher's table), their status lines fresh."""
        return [meta(r) for r in list(self.manager._runs.values()) if r.class_id == class_id]

    def of_challenge(self, challenge_id: str) -> list[dict[str, Any]]:
        return [meta(r) for r in list(self.manager._runs.values()) if r.challenge_id == challenge_id]

    def summary(self, run_id: str) -> dict[str, Any]:
        return wrap(lambda: summary(self._run(run_id)))

    def public(self, run_id: str, with_history: bool) -> dict[str, Any]:
        return wrap(lambda: self._run(run_id).public(with_history))

    def history(self, run_id: str, start: int, stop: int) -> dict[str, Any]:
        return wrap(lambda: self._run(run_id).history_slice(start, stop))

    def control(self, run_id: str, action: str, value: float | None) -> dict[str, Any]:
        """pause | resume | step | stop | set (the learning rate) | continue (`value` more epochs)."""

        def control() -> dict[str, Any]:
            run = self._run(run_id)
            if action == "set":
                assert value is not None
                run.set_learning_rate(value)
            elif action == "continue":
                assert value is not None
                self.manager.continue_run(run.client, run_id, int(value))
                return {**summary(run), "spec": run.spec}
            else:
                {"pause": run.pause, "resume": run.resume, "step": run.step, "stop": run.stop}[action]()
            return summary(run)

        return wrap(control)

    def stop(self, run_id: str, timeout: float) -> dict[str, Any]:
        def stop() -> tuple[dict[str, Any], bool]:
            run = self._run(run_id)
            run, saved = self.manager.stop(run.client, run_id, timeout)
            return summary(run), saved

        return wrap(stop)

    def delete(self, run_id: str) -> dict[str, Any]:
        return wrap(lambda: self.manager.delete(self._run(run_id).client, run_id))

    def frame(
        self, run_id: str, formats: list[str], since: int, seen: int | None
    ) -> tuple[dict[str, Any], dict[str, Any] | None] | None:
        """The run's status line, and its latest frame when it is not the one `seen` (a token from
        an earlier answer): the encoded view in each of `formats`, the history from epoch `since`.
        A web process calls this only while a socket watches the run, at the run's frame rate."""
        run = self.manager._runs.get(run_id)
        if run is None:
            return None
        run.touched = time.monotonic()  # watched from afar: not idle
        snapshot = run.snapshot
        if snapshot is None and run.status not in ("running", "queued"):
            run.wake(run)  # a saved or paused run draws its frame for the first viewer
        line = summary(run)  # after the snapshot: an ended frame comes with the ended status
        if snapshot is None or id(snapshot) == seen:
            return line, None
        encoded = {fmt: snapshot.encoded(fmt) for fmt in formats}  # type: ignore[arg-type]
        frame = {
            "token": id(snapshot),
            "epoch": snapshot.epoch,
            "status": snapshot.status,
            "preparing": snapshot.preparing,
            "encoded": encoded,
            "since": since,
            "history": run.history_slice(since, max(since, snapshot.epoch)),
        }
        return line, frame

    def compiling(self) -> int:
        """Programs this trainer is compiling or has queued (its start-up prewarm included)."""
        return int(self.manager.programs.status()["compiling"])

    def frames(
        self, asks: dict[str, tuple[list[str], int, int | None]]
    ) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None] | None]:
        """`frame` for every run a web process watches on this trainer, in one call: `asks` maps
        a run's id to its (formats, since, seen). (One call per watched run at its frame rate was
        900 actor calls a second for a class of thirty, and the trainers' CPU went to answering.)"""
        return {run_id: self.frame(run_id, formats, since, seen) for run_id, (formats, since, seen) in asks.items()}

    def shutdown(self) -> bool:
        return self.manager.shutdown()
