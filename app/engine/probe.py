"""A new model's first build, trace and epoch, tried in a child process before the server does it.

TensorFlow answers some inputs with a native abort (a `Check failed` in a graph pass) or a
segfault, which no `except` catches: in the server that would end every student's socket and
lose every run since its last checkpoint. So a model signature nobody has trained yet is first
built, traced and trained one epoch by a child process (`multiprocessing`'s spawn start, so no
TensorFlow thread is forked); only when the child survives does the server build it too. The
child's verdict is kept per signature: a signature is tried once.

The same child bounds what one new model may cost: it is killed past `probe_seconds` of work
or `probe_memory_mb` of memory, and the model gets a 422 naming the limit. Each student holds
at most one child at a time, so one student's slow model never queues another's.

Dense stacks that the stack groups train (the class's networks) are written out in NumPy-sized
TensorFlow ops of known shapes and are not tried here: they start at once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from app import errors
from app.config import Settings
from app.errors import SpecError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
KEPT_VERDICTS = 512


def _serve(conn: Connection, fault: str) -> None:
    """The child: import TensorFlow once, then run jobs until the pipe closes."""
    from app.engine import tf_setup  # noqa: F401  (TensorFlow, configured as the server has it)

    while True:
        try:
            work, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            work(*args)
            if fault == "abort":
                os.abort()  # what TensorFlow's CHECK does: tests use it to stand for a native crash
            if fault == "hang":
                time.sleep(3600)
            conn.send(("ok",))
        except SpecError as exc:
            conn.send(("spec", type(exc).__name__, exc.field, exc.code, exc.params, exc.message))
        except Exception as exc:  # a Python error is the server's to meet again: it says what
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def try_program(spec_json: str, data: Any, settings: Settings, xla: bool) -> None:
    """What the server does with a new signature, in the child: build the program, trace it,
    train one epoch, make a frame, and with `xla` compile it with XLA as well."""
    from app.engine.program import Program
    from app.schemas.runs import RunCreate

    spec = RunCreate.model_validate_json(spec_json)
    program = Program(spec, data, settings)
    inputs = program.inputs_for(data)
    program.compile_graph(inputs)
    state = program.initial_state(spec.seed)
    program.train(state, inputs, spec.seed, 0, 1)
    program.frame_view(state)
    if xla:
        program.compile_xla(inputs)


WARM_UP = {  # a small CNN: the code paths a first new model would otherwise load in its child
    "dataset": {"name": "digits"},
    "model": {
        "layers": [
            {"type": "Reshape", "target_shape": [8, 8, 1]},
            {"type": "Conv2D", "filters": 2, "kernel_size": 3, "activation": "relu"},
            {"type": "MaxPooling2D", "pool_size": 2},
            {"type": "Flatten"},
            {"type": "Dropout", "rate": 0.1},
            {"type": "Dense", "units": 10, "activation": "softmax"},
        ]
    },
    "compile": {"loss": "sparse_categorical_crossentropy", "optimizer": {"type": "Adam"}, "metrics": ["accuracy"]},
    "fit": {"epochs": 1, "batch_size": 64},
    "stream": {"grid_size": 10},
}


def warm_up(settings: Settings) -> None:
    """In a new child: try one small model, so that its first real try is as quick as the next."""
    from app.engine.experiment import load_data
    from app.schemas.runs import RunCreate

    spec = RunCreate.model_validate(WARM_UP)
    try_program(spec.model_dump_json(), load_data(spec.dataset, spec.seed), settings, False)


class _Child:
    def __init__(self, context: Any, fault: str) -> None:
        parent, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, fault), name="model-probe", daemon=True)
        self.process.start()
        child.close()
        self.conn: Connection = parent
        self._ended = threading.Lock()
        self._closed = False

    def memory_mb(self) -> float:
        """The child's resident memory (0 when it cannot be read)."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def end_process(self) -> None:
        """Kill the child but keep the pipe: the thread reading it sees the death and closes it."""
        if self.process.is_alive():
            self.process.kill()

    def kill(self) -> None:
        """Kill the child and close the pipe, once, whichever threads call it."""
        self.end_process()
        self.process.join(5)
        with self._ended:
            if self._closed:
                return
            self._closed = True
        self.conn.close()


class Probe:
    """Child processes that try new model signatures first; see the module's docstring."""

    def __init__(self, settings: Settings) -> None:
        self.processes = settings.probe_processes
        self.seconds = settings.probe_seconds
        self.memory_mb = settings.probe_memory_mb
        self._fault = settings.probe_fault
        self._settings = settings.model_copy(update={"probe_fault": ""})
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._children: set[_Child] = set()
        self._slots = threading.BoundedSemaphore(max(1, self.processes))
        self._owners: dict[str, threading.Lock] = {}
        self._verdicts: OrderedDict[str, SpecError | None] = OrderedDict()
        self._trying: dict[str, threading.Event] = {}
        self._closed = False

    @property
    def enabled(self) -> bool:
        return self.processes > 0

    @property
    def idle(self) -> int:
        """Children started and waiting for a model to try."""
        with self._lock:
            return len(self._idle)

    def warm(self) -> None:
        """Start the children now (two at most, one after the other, in the background), so that
        a new model does not wait for TensorFlow to import."""
        if not self.enabled:
            return

        def start() -> None:
            for _ in range(min(2, self.processes)):
                try:
                    child = self._spawn()
                except RuntimeError:  # closed meanwhile
                    return
                try:
                    child.conn.send((warm_up, (self._settings,)))
                    child.conn.recv()  # its answer, whatever it is: the child is warm
                except (EOFError, OSError):  # it died (or was ended at shutdown)
                    self._drop(child)
                    return
                with self._lock:
                    if self._closed:
                        child.kill()
                        return
                    self._idle.append(child)

        threading.Thread(target=start, name="model-probe-start", daemon=True).start()

    def verdict(self, key: str) -> tuple[bool, SpecError | None]:
        """(whether signature `key` was tried, the refusal it got if any)."""
        with self._lock:
            if key in self._verdicts:
                return True, self._verdicts[key]
            return False, None

    def check(self, key: str, owner: str, work: Callable[..., None], *args: Any) -> None:
        """Run `work(*args)` in a child unless signature `key` was tried already; raise the
        SpecError it gave, or one that says it crashed, took too long or too much memory."""
        if not self.enabled:
            return
        while True:
            with self._lock:
                if key in self._verdicts:
                    self._verdicts.move_to_end(key)
                    verdict = self._verdicts[key]
                    break
                waiting = self._trying.get(key)
                if waiting is None:
                    done = self._trying[key] = threading.Event()
                    owner_lock = self._owners.setdefault(owner, threading.Lock())
            if waiting is not None:
                waiting.wait()  # someone is trying the same signature: share the verdict
                continue
            verdict = None
            try:
                with owner_lock, self._slots:  # one child per student at a time
                    verdict = self._try(work, args)
            except Exception:  # the probe itself failed (not the model): build as without one
                log.exception("trying a new model in a child process failed")
            else:
                with self._lock:
                    self._verdicts[key] = verdict
                    while len(self._verdicts) > KEPT_VERDICTS:
                        self._verdicts.popitem(last=False)
            finally:
                with self._lock:
                    self._trying.pop(key, None)
                done.set()
            break
        if verdict is not None:
            raise verdict

    def _try(self, work: Callable[..., None], args: tuple[Any, ...]) -> SpecError | None:
        with self._lock:
            child = self._idle.pop() if self._idle else None
        if child is None or not child.process.is_alive():
            child = self._spawn()
        started = time.monotonic()
        child.conn.send((work, args))
        verdict: SpecError | None
        while True:
            try:
                ready = child.conn.poll(POLL_SECONDS)
                reply = child.conn.recv() if ready else None
            except (EOFError, OSError):
                ready, reply = True, None
            if ready and reply is not None:
                verdict = self._verdict(reply)
                with self._lock:
                    keep = not self._closed
                    if keep:
                        self._idle.append(child)
                if not keep:
                    child.kill()
                break
            if ready or not child.process.is_alive():
                child.process.join(5)
                code = child.process.exitcode
                log.warning("a new model crashed its probe process (exit code %s)", code)
                verdict = SpecError("model", code="model_crashed", params={"exit_code": code})
                self._drop(child)
                break
            if time.monotonic() - started > self.seconds:
                verdict = SpecError("model", code="model_build_slow", params={"limit": self.seconds})
                self._drop(child)
                break
            if self.memory_mb and child.memory_mb() > self.memory_mb:
                verdict = SpecError("model", code="model_build_memory", params={"limit": self.memory_mb})
                self._drop(child)
                break
        return verdict

    @staticmethod
    def _verdict(reply: tuple[Any, ...]) -> SpecError | None:
        if reply[0] == "ok":
            return None
        if reply[0] == "spec":
            _, kind, field, code, params, message = reply
            cls = getattr(errors, kind, SpecError)  # TooLarge stays a 413, and so on
            if not (isinstance(cls, type) and issubclass(cls, SpecError)):
                cls = SpecError
            return cls(field, message, code=code, params=params)
        return None  # a Python error: the server builds the model and reports it in its own way

    def _spawn(self) -> _Child:
        if self._closed:
            raise RuntimeError("the probe is closed (the server is stopping)")
        child = _Child(self._context, self._fault)
        with self._lock:
            self._children.add(child)
        return child

    def _drop(self, child: _Child) -> None:
        child.kill()
        with self._lock:
            self._children.discard(child)

    def close(self) -> None:
        """End every child (at shutdown)."""
        with self._lock:
            self._closed = True
            idle = list(self._idle)
            busy = [child for child in self._children if child not in idle]
            self._children.clear()
            self._idle.clear()
        for child in busy:  # a thread is reading its pipe: it closes the pipe when it sees the death
            child.end_process()
        for child in idle:
            child.kill()
