"""The training workers in-process: turns in order, a new run's first frame ahead of the others,
never two workers on one task, a failing task ended and the others going on, fair slices."""

import threading
import time
from typing import Any

import pytest

from app.config import Settings
from app.engine.programs import Programs
from app.runs import scheduler as scheduler_module
from app.runs.scheduler import Scheduler


class Task:
    """A scheduler task that records its turns: `turns` of them say "again", then "idle"."""

    def __init__(self, name: str, log: list[str], turns: int = 1, seconds: float = 0.0, fail: bool = False) -> None:
        self.id = name
        self.log = log
        self.turns = turns
        self.seconds = seconds
        self.fail = fail
        self.budgets: list[float] = []
        self.crashed: BaseException | None = None
        self.inside = 0
        self.most_inside = 0
        self._lock = threading.Lock()

    @property
    def max_fps(self) -> float:
        return 20.0

    def advance(self, budget: float) -> str:
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
        try:
            self.budgets.append(budget)
            self.log.append(self.id)
            if self.fail:
                raise RuntimeError("this task breaks")
            time.sleep(self.seconds)
            self.turns -= 1
            return "again" if self.turns > 0 else "idle"
        finally:
            with self._lock:
                self.inside -= 1

    def crash(self, exc: BaseException) -> None:
        self.crashed = exc


@pytest.fixture(scope="module")
def programs() -> Any:
    programs = Programs(Settings(), 1)
    yield programs
    programs.shutdown()


def _until(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_first_frame_goes_ahead_of_queued_turns(programs: Programs) -> None:
    log: list[str] = []
    scheduler = Scheduler(programs, workers=1)  # not started: the order is what the queue holds
    for name in ("a", "b", "c"):
        scheduler.submit(Task(name, log))
    scheduler.submit(Task("new", log), first=True)
    scheduler.start()
    try:
        _until(lambda: len(log) == 4)
        assert log == ["new", "a", "b", "c"]
    finally:
        scheduler.shutdown()


def test_tasks_that_go_again_take_turns(programs: Programs) -> None:
    log: list[str] = []
    scheduler = Scheduler(programs, workers=1)
    scheduler.submit(Task("a", log, turns=3))
    scheduler.submit(Task("b", log, turns=3))
    scheduler.start()
    try:
        _until(lambda: len(log) == 6)
        assert log == ["a", "b", "a", "b", "a", "b"]  # neither waits for the other to finish
    finally:
        scheduler.shutdown()


def test_two_workers_never_advance_one_task_at_once(programs: Programs) -> None:
    log: list[str] = []
    task = Task("a", log, turns=1000, seconds=0.002)
    scheduler = Scheduler(programs, workers=2)
    scheduler.start()
    try:
        for _ in range(200):  # submitted again and again while a worker advances it
            scheduler.submit(task)
        _until(lambda: len(log) >= 50)
        assert task.most_inside == 1
    finally:
        scheduler.shutdown()


def test_a_task_that_fails_is_ended_and_the_others_go_on(programs: Programs) -> None:
    log: list[str] = []
    broken, fine = Task("broken", log, fail=True), Task("fine", log, turns=3)
    scheduler = Scheduler(programs, workers=1)
    scheduler.submit(broken)
    scheduler.submit(fine)
    scheduler.start()
    try:
        _until(lambda: log.count("fine") == 3)
        assert isinstance(broken.crashed, RuntimeError) and log.count("broken") == 1
    finally:
        scheduler.shutdown()


def test_slices_shrink_as_more_tasks_train(programs: Programs) -> None:
    log: list[str] = []
    tasks = [Task(f"t{i}", log, turns=2) for i in range(30)]
    scheduler = Scheduler(programs, workers=1)
    for task in tasks:
        scheduler.submit(task)
    scheduler.start()
    try:
        _until(lambda: len(log) == 60)
        first = tasks[0].budgets[0]  # 30 tasks waiting: each gets a thirtieth of the turns
        assert first == pytest.approx(max(scheduler_module.MIN_SLICE, 1 / (30 * scheduler_module.TURNS_PER_SECOND)))
        assert tasks[-1].budgets[-1] >= first  # the last one alone: a longer slice
        assert all(b <= scheduler_module.MAX_SLICE for t in tasks for b in t.budgets)
    finally:
        scheduler.shutdown()
