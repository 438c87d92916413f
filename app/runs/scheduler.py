"""Training workers: a few threads (one per core) advance all runs in turn, fairly.

Each turn trains one run for a slice of time sized so that, however many runs are active,
every one gets a turn (and so a frame) several times a second. Blocking TensorFlow work
runs here, never on the event loop.
"""

import logging
import os
import threading
import time
from collections import deque
from typing import Protocol

from app.engine.programs import Programs

log = logging.getLogger(__name__)

MAX_SLICE = 0.05  # seconds one run trains in one turn, at most
MIN_SLICE = 0.002
TURNS_PER_SECOND = 15  # aim: every active run gets this many turns (and frames) a second


class Task(Protocol):
    """What a worker advances: a run on the per-run engine, or a shard of runs (groups.py)."""

    id: str

    @property
    def max_fps(self) -> float: ...
    def advance(self, budget: float) -> str: ...  # "again", "idle" or "blocked"
    def crash(self, exc: BaseException) -> None: ...


class Scheduler:
    def __init__(self, programs: Programs, workers: int = 0) -> None:
        self.programs = programs
        self.workers = workers or os.cpu_count() or 2
        self._queue: deque[Task] = deque()
        self._queued: set[str] = set()
        self._busy: set[str] = set()  # tasks a worker is advancing now
        self._again: set[str] = set()  # submitted while busy: queued again when the turn ends
        self._running = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._threads = [
            threading.Thread(target=self._work, name=f"trainer-{i}", daemon=True) for i in range(self.workers)
        ]

    def start(self) -> None:
        """Start the training workers (the app's lifespan does, not the constructor)."""
        for thread in self._threads:
            thread.start()

    def submit(self, run: Task, first: bool = False) -> None:
        """Queue a task for a turn; `first` puts it ahead of the others (a new run's first frame)."""
        with self._cond:
            if run.id in self._busy:  # never two workers on one task: it goes again after this turn
                self._again.add(run.id)
                return
            if run.id not in self._queued:
                self._queued.add(run.id)
                if first:
                    self._queue.appendleft(run)
                else:
                    self._queue.append(run)
                self._cond.notify()

    def _slice(self) -> float:
        active = len(self._queue) + self._running
        fair = self.workers / (max(active, 1) * TURNS_PER_SECOND)
        return max(MIN_SLICE, min(MAX_SLICE, fair))

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                run = self._queue.popleft()
                self._queued.discard(run.id)
                self._busy.add(run.id)
                self._running += 1
                # leave room in each frame interval for making the frame itself
                budget = min(self._slice(), 0.8 / run.max_fps)
            try:
                outcome = run.advance(budget)
            except Exception as exc:  # the run ends as failed, with a reason, never stuck
                log.exception("advancing run %s failed", run.id)
                run.crash(exc)
                outcome = "idle"
            finally:
                with self._cond:
                    self._running -= 1
                    self._busy.discard(run.id)
                    if run.id in self._again:
                        self._again.discard(run.id)
                        outcome = "again" if outcome == "idle" else outcome
            if outcome == "again":
                self.submit(run)
            elif outcome == "blocked":  # its program is busy or not traced yet: others first
                self.submit(run)
                with self._cond:
                    only_blocked = self._running == 0
                if only_blocked:
                    self.programs.wait_for_change(0.02)

    def shutdown(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
