"""Programs by signature: shared by every run with the same signature, built in the background.

A signature's first Program is built at once (building it is what validates a new spec);
its graph is traced and then compiled with XLA by one builder thread, so compiles never
pile up on the two cores. A pool grows to one Program per training worker when runs of one
signature wait for each other.
"""

import heapq
import itertools
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.config import Settings
from app.datasets.registry import Data
from app.engine.probe import Probe, try_program
from app.engine.program import Program
from app.engine.tf_setup import tf
from app.errors import SpecError, Unavailable
from app.schemas.optimizers import ScheduleSpec
from app.schemas.runs import RunCreate

log = logging.getLogger(__name__)

Job = tuple[int, int, str, Any, "Program | None"]  # (priority, order, kind, pool or work, program)


def signature(spec: RunCreate, data: Data) -> str:
    """What a compiled program depends on; runs that agree on it share programs."""
    optimizer = spec.compile.optimizer.model_dump(mode="json")
    if not isinstance(spec.compile.optimizer.learning_rate, ScheduleSpec):
        optimizer.pop("learning_rate")  # a plain rate is a variable, loaded per run
    key: dict[str, Any] = {
        "layers": spec.model.model_dump(mode="json").get("layers"),
        "input_shape": list(data.input_shape),
        **({"graph": spec.model.model_dump(mode="json")["graph"]} if spec.model.is_graph else {}),
        "features": data.feature_names,
        "task": data.info.task,
        "n_classes": data.info.n_classes,
        "plane": data.info.kind == "plane",
        "n_train": len(data.x_train),
        "n_test": len(data.x_test),
        "loss": spec.compile.model_dump(mode="json")["loss"],  # a name, or a class with its options
        "optimizer": optimizer,
        "metrics": list(spec.compile.metrics),
        "batch_size": min(spec.fit.batch_size, len(data.x_train)),
        "shuffle": spec.fit.shuffle,
        "grid": [spec.stream.grid_size, spec.stream.neuron_grid_size],
    }
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


@dataclass
class Pool:
    key: str
    spec: RunCreate
    data: Data
    inputs: tuple[tf.Tensor, ...] = ()
    programs: list[Program] = field(default_factory=list)
    free: list[Program] = field(default_factory=list)
    growing: bool = False
    traced: bool = False
    xla: bool = True  # compile with XLA after tracing
    ready: threading.Event = field(default_factory=threading.Event)
    error: SpecError | None = None
    owner: str = ""  # the student whose run made the signature (builders take students in turn)
    used: float = field(default_factory=time.monotonic)
    # Seconds one epoch takes per program stage, a moving average shared by the pool's runs,
    # so that every run of a signature trains as many epochs per turn as the others.
    epoch_seconds: dict[str, float] = field(default_factory=dict)


class Programs:
    def __init__(self, settings: Settings, pool_size: int) -> None:
        self.settings = settings
        self.pool_size = pool_size
        self._pools: dict[str, Pool] = {}
        self.probe = Probe(settings)  # where a signature nobody has trained yet is tried first
        self._cond = threading.Condition()
        # Two builders: one traces graphs (quick, and what a new run waits for), the other
        # compiles with XLA and grows pools (slow, and only makes things faster).
        self._jobs: dict[str, list[Job]] = {"trace": [], "compile": []}
        self._order = itertools.count()
        self._served: dict[str, float] = {}  # when each student's job was last taken
        self._xla_tried_keys: set[str] = set()  # XLA signatures the probe has had its go at
        self._building = 0  # jobs a builder is working on now
        self._stopping = False
        self._builders = [
            threading.Thread(target=self._build_loop, args=(kind,), name=f"program-{kind}", daemon=True)
            for kind in self._jobs
        ]

    def start(self) -> None:
        """Start the builder threads (the app's lifespan does, not the constructor)."""
        for builder in self._builders:
            builder.start()

    # --- getting programs ----------------------------------------------------------------
    def pool(self, spec: RunCreate, data: Data, trace: bool = True, owner: str = "") -> Pool:
        """The signature's pool, building (and so validating) its first Program if it is new.

        With `trace` False the Program is only a template (for downloads, predictions, the
        final frame) of a Dense stack that stack groups train: its graph is not traced until a
        run trains on it. With `trace`, a new signature is tried by the probe first (a child
        process, one per `owner` at a time), so a native crash costs the model, not the server."""
        key = signature(spec, data)
        with self._cond:
            pool = self._pools.get(key)
            creator = pool is None
            if creator:
                pool = self._pools[key] = Pool(key, spec, data, owner=owner)
                self._evict()
        assert pool is not None
        if not creator:
            pool.ready.wait()
            if pool.error is not None:
                raise pool.error
            pool.used = time.monotonic()
            if trace:
                self.trace(pool)
            return pool
        try:
            if trace:
                self.probe.check(key, owner, try_program, spec.model_dump_json(), data, self.settings, False)
            program = Program(spec, data, self.settings)
        except SpecError as exc:
            pool.error = exc
            with self._cond:
                self._pools.pop(key, None)
            pool.ready.set()
            raise
        except BaseException:
            with self._cond:
                self._pools.pop(key, None)
            pool.error = SpecError("model", code="model_not_built")
            pool.ready.set()
            raise
        pool.inputs = program.inputs_for(data)
        with self._cond:
            pool.programs.append(program)
            pool.free.append(program)
            if trace:
                pool.traced = True
                self._push(0, "graph", pool, program)
        pool.ready.set()
        return pool

    def trace(self, pool: Pool, xla: bool = True) -> None:
        """Trace a template-only pool's first Program, once; then compile it with XLA unless
        `xla` is False (a stack run, whose stack program is compiling instead)."""
        with self._cond:
            if not pool.traced and pool.programs:
                pool.traced = True
                pool.xla = xla
                self._push(0, "graph", pool, pool.programs[0])

    def build_job(self, priority: int, work: Callable[[], None]) -> None:
        """Run `work` on the compiling builder (after the jobs of lower priority numbers)."""
        with self._cond:
            heapq.heappush(self._jobs["compile"], (priority, next(self._order), "call", work, None))
            self._cond.notify_all()

    def acquire(self, pool: Pool, *, trained: bool = True) -> Program | None:
        """A free program of the pool (one that can train, unless `trained` is False), or None."""
        with self._cond:
            for program in pool.free:
                if not trained or program.stage != "built":
                    pool.free.remove(program)
                    pool.used = time.monotonic()
                    return program
            if trained and not pool.growing and len(pool.programs) < self.pool_size and pool.programs[0].stage == "xla":
                pool.growing = True  # runs of this signature wait for each other: add a program
                self._push(2, "grow", pool, None)
            return None

    def grow(self, pool: Pool) -> None:
        """Add programs to the pool up to one per worker, in the background."""
        with self._cond:
            pool.growing = True
            for _ in range(self.pool_size - len(pool.programs)):
                self._push(2, "grow", pool, None)

    def acquire_blocking(self, pool: Pool, timeout: float = 30.0) -> Program:
        """A program of the pool, waiting up to `timeout` s for one to be released; then a 503
        `model_busy` (a request that asks the model of a run training on a loaded machine)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                program = self.acquire(pool, trained=False)
                if program is not None:
                    return program
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Unavailable("id", code="model_busy", params={"seconds": round(timeout)})
                self._cond.wait(remaining)

    def release(self, pool: Pool, program: Program) -> None:
        with self._cond:
            pool.free.append(program)
            self._cond.notify_all()

    def wait_for_change(self, timeout: float) -> None:
        """Sleep until a program is released or becomes ready (or the timeout passes)."""
        with self._cond:
            self._cond.wait(timeout)

    def _evict(self) -> None:
        """Keep at most max_programs signatures, dropping the least recently used idle ones."""
        idle = sorted(
            (p for p in self._pools.values() if p.ready.is_set() and len(p.free) == len(p.programs)),
            key=lambda p: p.used,
        )
        while len(self._pools) > self.settings.max_programs and idle:
            del self._pools[idle.pop(0).key]

    # --- the builder thread --------------------------------------------------------------
    def _push(self, priority: int, job: str, pool: Pool, program: Program | None) -> None:
        queue = self._jobs["trace" if job == "graph" else "compile"]
        heapq.heappush(queue, (priority, next(self._order), job, pool, program))
        self._cond.notify_all()

    def _build_loop(self, kind: str) -> None:
        jobs = self._jobs[kind]
        while True:
            with self._cond:
                while not jobs and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                _, _, job, pool, program = self._next_job(jobs)
                self._building += 1
            try:
                started = time.monotonic()
                if job == "call":
                    pool()  # a build_job's work
                elif job == "graph":
                    assert program is not None
                    program.compile_graph(pool.inputs)
                    with self._cond:
                        if pool.xla:
                            self._push(1, "xla", pool, program)
                elif job == "xla":
                    assert program is not None
                    if self._xla_tried(pool, program):
                        program.compile_xla(pool.inputs)
                else:
                    extra = Program(pool.spec, pool.data, self.settings)
                    extra.compile_graph(pool.inputs)
                    extra.compile_xla(pool.inputs)
                    with self._cond:
                        if len(pool.programs) < self.pool_size:
                            pool.programs.append(extra)
                            pool.free.append(extra)
                        pool.growing = False
                if job != "call":
                    log.info("program %s: %s in %.2f s", pool.key[:8], job, time.monotonic() - started)
            except Exception:
                log.exception("building a program (%s) failed; runs keep the path they have", job)
            with self._cond:
                self._building -= 1
                self._cond.notify_all()

    def _next_job(self, jobs: list[Job]) -> Job:
        """The most urgent job; among equally urgent ones, that of the student served longest
        ago (one student's many new models do not queue everyone else's behind them)."""

        def owner(job: Job) -> str:
            return job[3].owner if isinstance(job[3], Pool) else ""

        first = min(job[0] for job in jobs)
        urgent = [job for job in jobs if job[0] == first]
        chosen = min(urgent, key=lambda job: (self._served.get(owner(job), -1.0), job[1]))
        jobs.remove(chosen)
        heapq.heapify(jobs)
        self._served[owner(chosen)] = time.monotonic()
        return chosen

    def _xla_tried(self, pool: Pool, program: Program) -> bool:
        """True when XLA may compile the pool now: it was tried in a child first. The try runs
        in a thread of its own (the compile builder never waits for a child: the class's stack
        programs compile meanwhile), and the job comes back once the verdict is in; a model whose
        compile crashed the child (or ran past the limits) keeps training on its traced graph."""
        key = f"{pool.key}|xla"
        known, refusal = self.probe.verdict(key)
        if not self.probe.enabled or key in self._xla_tried_keys:
            known = True  # tried, but the probe itself failed: compile as without one
        if known:
            if refusal is not None:
                log.warning("program %s stays on its graph: %s", pool.key[:8], refusal.message)
                return False
            return True
        spec = pool.spec.model_dump_json()

        def try_it() -> None:
            try:
                self.probe.check(key, "(xla)", try_program, spec, pool.data, self.settings, True)  # one at a time
            except SpecError:
                pass  # the verdict is kept: the job sees it when it comes back
            with self._cond:
                self._xla_tried_keys.add(key)
                self._building -= 1
                if not self._stopping:
                    self._push(1, "xla", pool, program)

        with self._cond:
            self._building += 1  # counted as compiling while the child tries it
        threading.Thread(target=try_it, name="model-probe-xla", daemon=True).start()
        return False

    @contextmanager
    def job(self) -> Iterator[None]:
        """Count some outside work (the start-up prewarm) as compiling while it runs."""
        with self._cond:
            self._building += 1
        try:
            yield
        finally:
            with self._cond:
                self._building -= 1

    def status(self) -> dict[str, int]:
        """How many signatures are kept, how many compile jobs are queued or running, and how
        many child processes wait to try new models (`probe_idle`)."""
        with self._cond:
            pending = sum(len(jobs) for jobs in self._jobs.values()) + self._building
            return {"signatures": len(self._pools), "compiling": pending, "probe_idle": self.probe.idle}

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the builders; True when none is still inside TensorFlow after `timeout` seconds
        (a compile cannot be interrupted: the caller decides what to do about one that runs)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self.probe.close()  # a builder waiting on a child is let go at once
        deadline = time.monotonic() + timeout
        for builder in self._builders:
            if builder.is_alive():
                builder.join(max(0.0, deadline - time.monotonic()))
        return not any(b.is_alive() for b in self._builders)
