"""Compiled stack programs by (layout, training, capacity), compiled on the builder thread.

Capacities are few (see CAPACITIES): a group of runs uses the smallest compiled capacity that
holds it, and empty slots train zero epochs. TensorFlow Playground's default network and the
family for its default training settings are compiled at start-up, so the default and any
network inside Playground's envelope train at once; other keys compile when first asked for,
while their runs train elsewhere (the family, or the per-run engine).
"""

import logging
import threading
import time
from collections.abc import Callable

from app.engine.programs import Programs
from app.engine.stack_program import Layout, StackProgram, Training
from app.engine.stacks import Entry, make_batch

log = logging.getLogger(__name__)

CAPACITIES = (1, 16)
Key = tuple[Layout, Training]


class StackPrograms:
    def __init__(self, programs: Programs, max_programs: int = 64) -> None:
        self._programs = programs  # its compiling builder thread runs the compiles
        self._ready: dict[tuple[Layout, Training, int], StackProgram] = {}
        self._asked: set[tuple[Layout, Training, int]] = set()
        self._lock = threading.Lock()
        # Compiled programs stay (each holds its XLA code); past this many, new networks train
        # in the family or on the per-run engine instead of compiling their own.
        self.max_programs = max_programs
        self._listeners: list[Callable[[Key], None]] = []  # told when a key compiles at a capacity

    def listen(self, on_ready: Callable[[Key], None]) -> None:
        """Call `on_ready(key)` whenever a key's program compiles at a new capacity."""
        self._listeners.append(on_ready)

    def get(self, key: Key, capacity: int) -> StackProgram | None:
        return self._ready.get((*key, capacity))

    def capacities(self, key: Key) -> list[int]:
        """Compiled capacities of a key, smallest first."""
        return [c for c in CAPACITIES if (*key, c) in self._ready]

    def fitting(self, key: Key, n: int) -> int | None:
        """The smallest compiled capacity that holds n runs."""
        return next((c for c in self.capacities(key) if c >= n), None)

    def asked(self, key: Key, capacity: int) -> bool:
        """Whether the key is compiled, or being compiled, at that capacity."""
        return (*key, capacity) in self._asked

    def ask(
        self, key: Key, capacity: int, example: Entry, priority: int = 3, wanted: Callable[[], bool] | None = None
    ) -> None:
        """Compile a key at a capacity in the background (once), from an example run; when its turn
        comes and `wanted()` says no run needs it any more, it is dropped (and may be asked again)."""
        with self._lock:
            wanted_key = (*key, capacity)
            if wanted_key in self._asked or len(self._asked) >= self.max_programs:
                return
            self._asked.add(wanted_key)
        job = self._programs.job()
        job.__enter__()  # counted as compiling from now (GET /api/health)

        def work() -> None:
            try:
                if wanted is not None and not wanted():
                    with self._lock:
                        self._asked.discard(wanted_key)
                    log.info("stack program ×%d dropped before compiling: no run wants it now", capacity)
                    return
                self.compile(key, capacity, example)
            except Exception:
                log.exception("compiling a stack program failed; its runs train on the per-run engine")
            finally:
                job.__exit__(None, None, None)

        self._programs.build_job(priority, work)

    def compile(self, key: Key, capacity: int, example: Entry) -> StackProgram:
        """Compile now, in this thread."""
        started = time.monotonic()
        layout, training = key
        program = StackProgram(layout, training, capacity)
        program.compile(make_batch(layout, capacity, [example]))
        with self._lock:
            self._ready[(*key, capacity)] = program
            self._asked.add((*key, capacity))
        log.info(
            "stack program %s ×%d compiled in %.2f s",
            "family" if layout.family else "exact",
            capacity,
            time.monotonic() - started,
        )
        for listener in self._listeners:
            listener(key)
        return program
