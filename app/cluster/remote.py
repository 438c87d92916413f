"""The web process's side of training on Ray: the cluster's trainers, a proxy per run, and the
RunManager that creates runs on trainers instead of in this process.

- `Cluster` connects (`ray.init(address=PLAYGROUND_RAY_ADDRESS)`) and keeps one trainer actor per
  live node with a CPU (a named, detached actor pinned to its node, shared by every web process).
- `RemoteRun` stands where the routes expect a `Run`: its controls and `public()` are calls to its
  trainer; its status line is mirrored (fetched again when older than `FRESH` seconds); while a
  socket watches it, the web process's `Feed` fetches its latest encoded frame at the run's frame
  rate and wakes the sockets, as a local run's training worker does. Nobody watching: no polls.
- `Feed`: one thread per web process that asks each trainer, in one call, for the frames of all
  the watched runs it holds that are due.
- `RayRunManager` is the in-process RunManager (the store, finished runs restored from the
  database, the classroom's rules) that puts new runs on the least busy trainer.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import threading
import time
import zlib
from typing import Any, cast

import numpy as np
import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from app import errors
from app.config import Settings
from app.db.database import Database
from app.db.tables import RunRow
from app.engine.experiment import Experiment
from app.engine.frames import NO_VIEW
from app.engine.program import RunState
from app.errors import SpecError, Unavailable
from app.runs import protocol
from app.runs.manager import Classroom, RunManager
from app.runs.run import FINISHED, Run, Snapshot
from app.runs.status import Status
from app.schemas.runs import RunCreate

log = logging.getLogger(__name__)

NAMESPACE = "nn-playground"
FRESH = 0.25  # seconds a mirrored status line is taken as current
CALL_SECONDS = 120.0  # a trainer's answer (its first call waits for it to import TensorFlow)
FRAME_SECONDS = 10.0  # a trainer's answer for frames (a round waits for it, so not CALL_SECONDS)
HEAL_SECONDS = 2.0  # how often a web process looks for trainers whose node died


def unwrap(answer: dict[str, Any]) -> Any:
    """A trainer's answer (see trainer.wrap), or the SpecError it refused with, raised here."""
    if "error" in answer:
        name, field, message, code, params = answer["error"]
        cls = getattr(errors, name, SpecError)
        if not (isinstance(cls, type) and issubclass(cls, SpecError)):
            cls = SpecError
        raise cls(field, message, code=code, params=params)
    return answer["ok"]


def heir_of(run_id: str, nodes: list[str]) -> str:
    """The node whose trainer takes over a run whose node died: the same in every web process that
    sees the same live nodes (crc32 of the run's id over their sorted ids), so two processes that
    notice the death at once adopt it on one trainer, and a trainer adopts a run once. (By load,
    as new runs are placed, each process could pick another trainer, and the run would train
    twice.) The runs of a dead node spread evenly over the others."""
    ordered = sorted(nodes)
    return ordered[zlib.crc32(run_id.encode()) % len(ordered)]


class Cluster:
    """The Ray cluster and its trainers (one per live node with a CPU)."""

    def __init__(self, settings: Settings, teacher_key: str | None) -> None:
        from app.cluster.trainer import Trainer

        ray.init(address=settings.ray_address, namespace=NAMESPACE, ignore_reinit_error=True)
        self._actor = ray.remote(Trainer)
        # What a trainer is built with: these settings, and the classroom's key (not regenerated there).
        self._settings = {**settings.model_dump(), "teacher_key": teacher_key}
        self._lock = threading.Lock()
        self.trainers: dict[str, Any] = {}  # node id → actor handle
        self.existing: set[str] = set()  # nodes whose trainer was there before this process came
        self.refresh()

    def nodes(self) -> list[dict[str, Any]]:
        return [n for n in ray.nodes() if n["Alive"]]

    def refresh(self) -> None:
        """A trainer on every live node with a CPU (the existing one, or a new one)."""
        with self._lock:
            alive = {}
            for node in self.nodes():
                cpus = int(node.get("Resources", {}).get("CPU", 0))
                if cpus < 1:
                    continue
                node_id = node["NodeID"]
                name = f"trainer-{node_id[:16]}"
                if node_id in self.trainers:
                    alive[node_id] = self.trainers[node_id]
                    continue
                try:  # started by another web process (or an earlier run of this one)
                    alive[node_id] = ray.get_actor(name, namespace=NAMESPACE)
                    self.existing.add(node_id)
                    continue
                except ValueError:
                    pass
                alive[node_id] = self._actor.options(
                    name=name,
                    namespace=NAMESPACE,
                    get_if_exists=True,
                    lifetime="detached",
                    num_cpus=cpus,
                    max_concurrency=64,
                    max_restarts=0,
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False),
                    runtime_env={"env_vars": {"PLAYGROUND_TRAIN_WORKERS": str(cpus)}},
                ).remote(self._settings, cpus)
            self.trainers = alive

    def handles(self) -> list[Any]:
        with self._lock:
            return list(self.trainers.values())

    def pick(self) -> Any:
        """The trainer with the fewest runs not ended."""
        handles = self.handles()
        if not handles:
            raise Unavailable("", code="invalid", params={"reason": "the Ray cluster has no node with a CPU"})
        loads = ray.get([h.load.remote() for h in handles], timeout=CALL_SECONDS)
        return handles[int(np.argmin(loads))]

    def heir(self, run_id: str) -> Any:
        """The trainer that takes over a run whose node died (`heir_of` the live nodes)."""
        with self._lock:
            if not self.trainers:
                raise Unavailable("", code="invalid", params={"reason": "the Ray cluster has no node with a CPU"})
            return self.trainers[heir_of(run_id, list(self.trainers))]

    def ask_all(self, method: str, *args: Any, existing: bool = False) -> list[tuple[Any, Any]]:
        """(trainer, answer) from every trainer (that was there before this process, if `existing`)
        that answers in time."""
        with self._lock:
            handles = [h for n, h in self.trainers.items() if n in self.existing or not existing]
        refs = [getattr(h, method).remote(*args) for h in handles]
        found = []
        for handle, ref in zip(handles, refs, strict=True):
            try:
                found.append((handle, ray.get(ref, timeout=CALL_SECONDS)))
            except (ray.exceptions.RayError, TimeoutError):
                log.warning("a trainer did not answer %s", method)
        return found

    def dead(self) -> builtins.list[Any]:
        """The trainers whose node the cluster no longer counts alive (dropped here)."""
        alive = {n["NodeID"] for n in self.nodes()}
        with self._lock:
            gone = [node for node in self.trainers if node not in alive]
            handles = [self.trainers.pop(node) for node in gone]
            self.existing -= set(gone)
        return handles

    def shutdown(self) -> None:
        ray.shutdown()  # this process leaves; the detached trainers go on training


class _Gate:
    """`run.gate` as protocol.py reads it: why the run's last save failed, as its trainer says."""

    def __init__(self, run: RemoteRun) -> None:
        self.run = run

    def save_error(self, run: Any) -> str | None:
        failed: str | None = self.run.line().get("save_error")
        return failed


class RemoteRun:
    """A run that trains on a trainer actor, as the routes and the websocket use a `Run`."""

    loaded = False
    shard = None
    rewinds = 0  # times its history was cut back to a checkpoint (moved): viewers get all of it again

    def __init__(self, manager: RayRunManager, trainer: Any, meta: dict[str, Any]) -> None:
        self.manager = manager
        self.trainer = trainer
        self.programs = manager.programs
        self.id: str = meta["id"]
        self.client: str = meta["client"]
        self.class_id: str | None = meta["class_id"]
        self.challenge_id: str | None = meta["challenge_id"]
        self.created: float = meta["created"]
        self.spec: RunCreate = meta["spec"]
        self.warnings: list[dict[str, Any]] = meta["warnings"]
        self.gate = _Gate(self)
        self._line: dict[str, Any] = meta["summary"]
        self._fetched = time.monotonic()
        self._lock = threading.Lock()
        self._listeners: dict[tuple[asyncio.AbstractEventLoop, asyncio.Event], protocol.Format] = {}
        self.next_poll = 0.0  # when the feed next asks for its frame (monotonic seconds)
        self._failures = 0
        self.snapshot: Snapshot | None = None
        self._token: int | None = None
        self._history: dict[str, list[float | None]] = {}  # epochs 0 … _known, as frames brought them
        self._known = 0
        self._experiment: Experiment | None = None
        self._experiment_at = 0.0

    # --- calls to the trainer ------------------------------------------------------------
    def _call(self, method: str, *args: Any, timeout: float = CALL_SECONDS) -> Any:
        try:
            return unwrap(ray.get(getattr(self.trainer, method).remote(*args), timeout=timeout))
        except ray.exceptions.RayActorError as exc:  # its node died: a 503 until it has moved (heal)
            reason = "the node training this run has gone; it goes on elsewhere within seconds"
            raise Unavailable("id", code="invalid", params={"reason": reason}) from exc

    def _take(self, line: dict[str, Any]) -> None:
        with self._lock:
            self._line = line
            self._fetched = time.monotonic()
        if line["epochs"] != self.spec.fit.epochs:  # continued (maybe through another web process)
            fit = self.spec.fit.model_copy(update={"epochs": line["epochs"]})
            self.spec = self.spec.model_copy(update={"fit": fit})

    def line(self) -> dict[str, Any]:
        """The status line, fetched again when older than FRESH (a poller keeps it current)."""
        if time.monotonic() - self._fetched > FRESH:
            self._take(self._call("summary", self.id))
        return self._line

    @property
    def status(self) -> Status:
        status: Status = self.line()["status"]
        return status

    @property
    def epoch(self) -> int:
        return int(self.line()["epoch"])

    @property
    def error(self) -> str | None:
        error: str | None = self.line()["error"]
        return error

    @property
    def queue_position(self) -> int | None:
        position: int | None = self.line()["queue_position"]
        return position

    @property
    def last(self) -> dict[str, float | None]:
        last: dict[str, float | None] = self.line()["last"]
        return last

    @property
    def score(self) -> float | None:
        score: float | None = self.line()["score"]
        return score

    @property
    def saved_epoch(self) -> int:
        return int(self.line()["saved_epoch"])

    @property
    def touched(self) -> float:
        return time.monotonic()  # its trainer ends it when idle, not this process

    @property
    def active(self) -> bool:
        return self.status not in FINISHED

    def public(self, with_history: bool = True) -> dict[str, object]:
        out: dict[str, object] = self._call("public", self.id, with_history)
        return out

    def _control(self, action: str, value: float | None = None) -> None:
        self._take(self._call("control", self.id, action, value))
        self._frame_now()

    def pause(self) -> None:
        self._control("pause")

    def resume(self) -> None:
        self._control("resume")

    def step(self) -> None:
        self._control("step")

    def stop(self) -> None:
        self._control("stop")

    def set_learning_rate(self, value: float) -> None:
        self._control("set", value)

    def continue_for(self, epochs: int) -> None:
        self._control("continue", epochs)

    def moved(self, trainer: Any, meta: dict[str, Any]) -> None:
        """Its trainer died and `trainer` took it over from its last checkpoint: the epochs after
        that checkpoint are gone, so the mirrored history ends there and frames start again."""
        with self._lock:
            self.trainer = trainer
            epoch = int(meta["summary"]["epoch"])
            self._history = {key: values[:epoch] for key, values in self._history.items()}
            self._known = min(self._known, epoch)
            self.snapshot, self._token = None, None
            self.next_poll = 0.0
            self.rewinds += 1
        self._take(meta["summary"])
        self.notify()

    # --- history -------------------------------------------------------------------------
    @property
    def history(self) -> dict[str, list[float | None]]:
        return self.history_slice(0, self.epoch)

    def history_slice(self, start: int, stop: int) -> dict[str, list[float | None]]:
        with self._lock:
            if stop <= self._known:
                return {key: values[start:stop] for key, values in self._history.items()}
        part: dict[str, list[float | None]] = self._call("history", self.id, start, stop)
        return part

    # --- the model, for predict, reports and downloads: from its last checkpoint -------------
    @property
    def experiment(self) -> Experiment:
        """The run's data and model at its last checkpoint in the shared database (at most
        PLAYGROUND_CHECKPOINT_SECONDS behind its trainer), built here once and refreshed."""
        if self._experiment is None:
            self._experiment = self.manager._reload(cast(Run, self))
            self._experiment_at = time.monotonic()
        elif time.monotonic() - self._experiment_at > 1.0:
            saved = self.manager.store.checkpoint(self.id)
            if saved is not None:
                _epoch, variables, optimizer = saved
                index = self._experiment.pool.programs[0].learning_rate_index
                self._experiment._state = RunState(variables, optimizer, index)
            self._experiment_at = time.monotonic()
        return self._experiment

    def live_state(self) -> RunState:
        return self.experiment.state

    @property
    def classification(self) -> bool:
        return self.experiment.data.info.task == "classification"

    @property
    def max_fps(self) -> float:
        return self.spec.stream.max_fps

    def unload(self) -> None:
        self._experiment = None

    # --- viewers -------------------------------------------------------------------------
    def subscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event, fmt: protocol.Format = "json") -> None:
        with self._lock:
            formats = set(self._listeners.values())
            self._listeners[(loop, event)] = fmt
            if fmt not in formats:  # the kept frame lacks this format: fetch the latest again
                self.snapshot, self._token = None, None
            self.next_poll = 0.0
        self.manager.feed.watch(self)
        event.set()

    def unsubscribe(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        with self._lock:
            self._listeners.pop((loop, event), None)

    @property
    def watched(self) -> bool:
        return bool(self._listeners)

    def notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for loop, event in listeners:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # that viewer's loop has closed
                self.unsubscribe(loop, event)

    def _frame_now(self) -> None:
        self._fetched = 0.0  # a control's effect is news: the next poll comes at once
        self.next_poll = 0.0
        self.manager.feed.nudge()

    # --- the feed's side ---------------------------------------------------------------------
    def ask(self) -> tuple[list[str], int, int | None] | None:
        """What the feed asks the trainer for this run: (formats, since, seen); None when nobody
        watches any more."""
        with self._lock:
            formats: list[str] = sorted(set(self._listeners.values()))
            return (formats, self._known, self._token) if formats else None

    def answered(self, answer: tuple[dict[str, Any], dict[str, Any] | None] | None, now: float) -> None:
        """The trainer's answer to `ask`: the status line and, when there is a new one, the frame."""
        self._failures = 0
        if answer is None:  # the trainer no longer has it
            self.next_poll = now + 1.0
            return
        self.next_poll = now + 1.0 / self.spec.stream.max_fps
        line, frame = answer
        before = (self._line.get("status"), self._line.get("queue_position"))
        self._take(line)
        if frame is not None:
            self._show(frame)
        if frame is not None or before != (line["status"], line["queue_position"]):
            self.notify()

    def unanswered(self, now: float) -> None:
        """Its trainer did not answer (busy, or its node died): ask again later, then less often."""
        self._failures += 1
        log.warning("run %s: its trainer did not answer for frames (%d)", self.id, self._failures)
        self.next_poll = now + min(5.0, 2**self._failures / self.spec.stream.max_fps)

    def _show(self, frame: dict[str, Any]) -> None:
        with self._lock:
            if frame["since"] == self._known:  # history from where this mirror's ends
                for key, values in frame["history"].items():
                    self._history.setdefault(key, []).extend(values)
                brought = max((len(v) for v in frame["history"].values()), default=0)
                self._known = max(self._known, frame["since"] + brought)
            encoded = {fmt: (text, data) for fmt, (text, data) in frame["encoded"].items()}
            self.snapshot = Snapshot(frame["epoch"], frame["status"], NO_VIEW, frame["preparing"], encoded)
            self._token = frame["token"]


class Feed:
    """The frames of every watched run, one thread per web process: each round asks each trainer,
    in one call (`Trainer.frames`), for those of its runs whose frame is due at their frame rate,
    then wakes their sockets. The thread stops when nobody watches and starts again with the next
    socket."""

    def __init__(self) -> None:
        self._runs: dict[str, RemoteRun] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._news = threading.Event()

    def watch(self, run: RemoteRun) -> None:
        with self._lock:
            self._runs[run.id] = run
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="ray-frames", daemon=True)
                self._thread.start()
        self._news.set()

    def nudge(self) -> None:
        """A run's frame is due now (a control changed it): the next round starts at once."""
        self._news.set()

    def _loop(self) -> None:
        while True:
            self._news.clear()  # news from here on brings the next round forward
            now = time.monotonic()
            asks: dict[Any, dict[str, tuple[list[str], int, int | None]]] = {}
            runs: dict[str, RemoteRun] = {}
            with self._lock:
                for run_id, run in list(self._runs.items()):
                    ask = run.ask()
                    if ask is None:  # nobody watches it now
                        del self._runs[run_id]
                    elif run.next_poll <= now:
                        asks.setdefault(run.trainer, {})[run_id] = ask
                        runs[run_id] = run
                if not self._runs:
                    self._thread = None
                    return
            calls = [(trainer.frames.remote(batch), batch) for trainer, batch in asks.items()]  # all at once
            for ref, batch in calls:
                try:
                    answers = ray.get(ref, timeout=FRAME_SECONDS)
                except (ray.exceptions.RayError, TimeoutError):
                    for run_id in batch:
                        runs[run_id].unanswered(time.monotonic())
                    continue
                done = time.monotonic()
                for run_id in batch:
                    runs[run_id].answered(answers.get(run_id), done)
            with self._lock:
                due = min((r.next_poll for r in self._runs.values()), default=now)
            self._news.wait(max(0.0, due - time.monotonic()))


class RayRunManager(RunManager):
    """The RunManager of a web process whose runs train on a Ray cluster's trainers."""

    def __init__(self, settings: Settings, db: Database, classroom: Classroom | None = None) -> None:
        super().__init__(settings, db, classroom)
        self.cluster = Cluster(settings, getattr(classroom, "key", None))
        self.feed = Feed()
        self._healer = threading.Thread(target=self._heal_loop, name="ray-healer", daemon=True)

    def start(self) -> None:
        """Runs the trainers hold (created through any web process) are theirs; the store's other
        runs (ended before, or interrupted with the whole cluster) go to their heirs, which train
        them when they are continued or resumed. This process restores and trains nothing."""
        held = self.cluster.ask_all("held", existing=True)  # a trainer started just now holds nothing
        for trainer, metas in held:
            for meta in metas:
                self._runs[meta["id"]] = cast(Run, RemoteRun(self, trainer, meta))
        by_heir: dict[Any, builtins.list[str]] = {}
        unheld = [row.id for row in self.store.rows() if row.id not in self._runs]
        if unheld and not self.cluster.handles():  # no node to train on yet: they stay in the store
            log.warning("%d saved runs wait for a node with a CPU: the next start brings them back", len(unheld))
            unheld = []
        for run_id in unheld:
            by_heir.setdefault(self.cluster.heir(run_id), []).append(run_id)
        for trainer, ids in by_heir.items():
            try:
                metas = ray.get(trainer.take.remote(ids), timeout=CALL_SECONDS)
            except (ray.exceptions.RayError, TimeoutError):  # they stay in the store; the next start tries again
                log.exception("%d saved runs: their heir did not take them", len(ids))
                continue
            for meta in metas:
                self._runs[meta["id"]] = cast(Run, RemoteRun(self, trainer, meta))
        super().start()
        self._healer.start()

    # --- a node that dies ------------------------------------------------------------------
    def _heal_loop(self) -> None:
        while not self._stopping.wait(HEAL_SECONDS):
            try:
                self.heal()
            except Exception:
                log.exception("checking the cluster's trainers failed")

    def heal(self) -> None:
        """The runs of trainers whose node died go on elsewhere, from their last checkpoints."""
        dead = self.cluster.dead()
        if not dead:
            return
        self.cluster.refresh()  # a trainer for every node that is still (or newly) there
        with self._lock:
            remote = [cast(RemoteRun, r) for r in self._runs.values() if isinstance(r, RemoteRun)]
            orphans = [r for r in remote if r.trainer in dead]
        for run in orphans:
            try:
                self._move(run)
            except Exception:
                log.exception("run %s: could not move it to another trainer", run.id)

    def _move(self, run: RemoteRun) -> None:
        found = [(t, m) for t, m in self.cluster.ask_all("find", run.id) if m is not None]
        if found:  # another web process moved it already
            trainer, meta = found[0]
        else:
            trainer = self.cluster.heir(run.id)
            meta = unwrap(ray.get(trainer.adopt.remote(run.id), timeout=CALL_SECONDS))
        log.info("run %s: its node died; it goes on from epoch %d on another trainer", run.id, meta["summary"]["epoch"])
        run.moved(trainer, meta)

    def start_prewarm(self) -> None:
        return None  # the trainers compile (each with PLAYGROUND_PREWARM); this process trains no new run

    def _restorable(self, row: RunRow) -> bool:
        return False  # the trainers hold every run (see `start`)

    def training(self) -> dict[str, Any]:
        handles = self.cluster.handles()
        try:  # what the trainers compile (their start-up prewarm: a lesson's first runs wait for it)
            compiling: int | None = sum(ray.get([h.compiling.remote() for h in handles], timeout=5.0))
        except (ray.exceptions.RayError, TimeoutError):
            compiling = None  # a trainer did not answer (its node is going)
        return {"backend": "ray", "nodes": len(self.cluster.nodes()), "trainers": len(handles), "compiling": compiling}

    def _adopt(self, trainer: Any, meta: dict[str, Any]) -> Run:
        with self._lock:
            run = self._runs.get(meta["id"])
            if run is None:
                run = self._runs[meta["id"]] = cast(Run, RemoteRun(self, trainer, meta))
            return run

    def create(
        self, client: str, spec: RunCreate, weights: builtins.list[builtins.list[np.ndarray]] | None = None
    ) -> Run:
        """The class's rules and the student's limits here; built, trained and saved on a trainer."""
        class_id, challenge_id = self.classroom.prepare(client, spec) if self.classroom else (None, None)
        with self._lock:
            self._check_capacity(client)
        trainer = self.cluster.pick()
        ref = trainer.create.remote(client, spec, class_id, challenge_id, weights)
        meta = unwrap(ray.get(ref, timeout=CALL_SECONDS))
        return self._adopt(trainer, meta)

    def get(self, client: str, run_id: str) -> Run:
        if run_id not in self._runs:  # created through another web process, perhaps
            for trainer, meta in self.cluster.ask_all("find", run_id):
                if meta is not None:
                    self._adopt(trainer, meta)
                    break
        return super().get(client, run_id)

    def _gather(self, method: str, key: str) -> None:
        """Mirror every run the trainers answer `method(key)` with (made through any web
        process), each one's status line taken from the answer: one call per trainer."""
        for trainer, metas in self.cluster.ask_all(method, key):
            for meta in metas:
                run = self._adopt(trainer, meta)
                if isinstance(run, RemoteRun):
                    run._take(meta["summary"])

    def list(self, client: str) -> builtins.list[Run]:
        self._gather("of_client", client)
        return super().list(client)

    def in_class(self, class_id: str) -> builtins.list[Run]:
        """The teacher's table: the class's runs on every trainer, not only those met here."""
        self._gather("of_class", class_id)
        return super().in_class(class_id)

    def in_challenge(self, challenge_id: str) -> builtins.list[Run]:
        self._gather("of_challenge", challenge_id)
        return super().in_challenge(challenge_id)

    def continue_run(self, client: str, run_id: str, epochs: int) -> Run:
        run = cast(RemoteRun, self.get(client, run_id))
        self._check_continue(client, cast(Run, run), epochs)
        run.continue_for(epochs)
        return cast(Run, run)

    def stop(self, client: str, run_id: str, timeout: float = 15.0) -> tuple[Run, bool]:
        run = cast(RemoteRun, self.get(client, run_id))
        line, saved = unwrap(ray.get(run.trainer.stop.remote(run_id, timeout), timeout=timeout + CALL_SECONDS))
        run._take(line)
        return cast(Run, run), bool(saved)

    def delete(self, client: str, run_id: str) -> None:
        run = cast(RemoteRun, self.get(client, run_id))
        unwrap(ray.get(run.trainer.delete.remote(run_id), timeout=CALL_SECONDS))
        with self._lock:
            self._runs.pop(run_id, None)

    def shutdown(self) -> bool:
        """This process's own runs are saved as in one process; the trainers' runs go on training."""
        with self._lock:
            for run_id in [i for i, r in self._runs.items() if isinstance(r, RemoteRun)]:
                remote = cast(RemoteRun, self._runs.pop(run_id))
                with remote._lock:
                    remote._listeners.clear()
        clean = super().shutdown()
        self.cluster.shutdown()
        return clean
