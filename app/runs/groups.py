"""Stack groups: the runs whose networks agree train together, one compiled call per turn.

A *shard* is one scheduler task holding up to 16 runs of one key (layout and training
settings): their state lives stacked in the shard while they train, and each turn advances
all of them in one call, then does each run's bookkeeping (history, frames, checkpoints).
A key spreads its runs over as many shards as there are workers, so both cores train.

A run is placed in a shard of its exact network when that is compiled, else in the family
shard (Playground's envelope, compiled at start-up), else it trains on the per-run engine;
it moves to its exact shard as soon as that compiles. A run leaves its shard (its state
written back) when it pauses, stops, ends or diverges: the per-run path then draws its frame,
saves it and ends it as before.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from app.engine.frames import View, group_views
from app.engine.stack_program import K_MAX, Batch, Layout
from app.engine.stack_programs import CAPACITIES, Key, StackPrograms
from app.engine.stacks import Entry, Host, Member, host_state, make_batch, member_arrays, read_state
from app.engine.tf_setup import tf
from app.runs.callbacks import Chunk

if TYPE_CHECKING:
    from app.engine.program import RunState
    from app.runs.run import Run

log = logging.getLogger(__name__)

MAX_SHARD = CAPACITIES[-1]
LONE_WAIT = 2.0  # seconds a network waits in the family before its own program compiles
TRAIN_SHARE = 2.5  # a turn's training time, at least, for each second of its frames and bookkeeping
MAX_TURN = 0.25  # seconds of training in one turn at most (frames at least 4 times a second)


def _shortest(values: np.ndarray) -> list[float]:
    """float32 logs as the shortest decimal that is the same float32, like the per-run engine."""
    return values.astype(np.float32).astype(str).astype(np.float64).tolist()


class Shard:
    def __init__(self, groups: Groups, key: Key, index: int) -> None:
        self.groups = groups
        self.key = key
        self.layout: Layout = key[0]
        self.id = f"shard-{id(self)}"
        self.index = index
        self.members: list[Run] = []
        self.fresh: set[str] = set()  # runs that joined and have not had their epoch-0 frame
        self.batch: Batch | None = None  # the stacked state of `members`, or None after a change
        self.capacity = 0
        self._leaving: list[Run] = []
        self._joining: list[Run] = []
        self._lock = threading.Lock()  # held for a whole turn
        self._inbox = threading.Lock()  # held only to add to _joining / _leaving
        self.epoch_seconds: float | None = None
        # What a turn costs besides its epochs (the maps, every member's frame and bookkeeping),
        # a moving average: a turn trains at least TRAIN_SHARE times as long, so a shard of
        # sixteen networks does not spend its turns drawing frames of one epoch each.
        self.overhead_seconds = 0.0
        # What the call itself costs with no epochs (the maps), per capacity (a shard of one run
        # calls the program for one, a fraction of the cost), as this shard measures it in a turn
        # that trains none (its members' epoch-0 frames); until then, the program's own figure,
        # taken once at compile time (often while other programs compiled beside it).
        self.maps_seconds: dict[int, float] = {}

    @property
    def max_fps(self) -> float:
        return max((r.spec.stream.max_fps for r in self.members), default=20.0)

    @property
    def size(self) -> int:
        return len(self.members) + len(self._joining) - len(self._leaving)

    def join(self, run: Run) -> None:
        with self._inbox:
            self._joining.append(run)

    def ask_to_leave(self, run: Run) -> None:
        with self._inbox:
            if run not in self._leaving:
                self._leaving.append(run)

    # --- one turn ------------------------------------------------------------------------
    def advance(self, budget: float) -> str:
        with self._lock:
            self._leave()
            self._apply_changes()
            if not self.members or self.batch is None:
                return "idle"
            outcome = self._turn(budget)
            self._leave()
            return outcome

    def live_state(self, run: Run) -> RunState | None:
        """The run's weights and optimizer state as the last call left them (waiting for a turn
        in progress to end), or None when it is not a member now."""
        with self._lock:
            if self.batch is None or run not in self.members:
                return None
            return self._state_of(self.members.index(run))

    def crash(self, exc: BaseException) -> None:
        """The call failed: every member ends as failed, with the reason (never stuck)."""
        with self._lock, self._inbox:
            members, self.members, self.batch = self.members + self._joining, [], None
            self._joining, self._leaving = [], []
        for run in members:
            run.shard = None
            run.crash(exc)

    def _leave(self) -> None:
        """Runs that leave get their state back and go to the per-run path (woken)."""
        with self._inbox:
            if not self._leaving:
                return
            woken, self._leaving = self._leaving, []
        leaving = [r for r in woken if r in self.members]
        for run in leaving:
            if self.batch is not None:
                run.experiment._state = self._state_of(self.members.index(run))
        for run in leaving:
            self.members.remove(run)
        for run in woken:
            run.shard = None
        self.batch = None
        for run in woken:
            self.groups.wake(run)

    def _apply_changes(self) -> None:
        """Joins take effect between calls, and any change rebuilds the stacked state."""
        with self._inbox:
            joining, self._joining = self._joining, []
        if not joining and self.batch is not None:
            return
        states = {}
        if self.batch is not None:
            host = host_state(self.batch)
            states = {r.id: self._state_of(i, host) for i, r in enumerate(self.members)}
        programs = self.groups.programs
        refused = []
        for run in joining:
            if programs.fitting(self.key, len(self.members) + 1) is None:
                refused.append(run)  # no compiled capacity holds one more
                continue
            self.members.append(run)
            self.fresh.add(run.id)
            states[run.id] = run.experiment.state
        for run in refused:  # back to the per-run engine
            run.shard = None
            self.groups.wake(run)
        self.batch = None
        if not self.members:
            return
        for run in self.members:
            if run.id not in states:
                states[run.id] = run.experiment.state
        self.capacity = programs.fitting(self.key, len(self.members)) or 0
        entries = [Entry(r.experiment.stack, self._member(r), states[r.id], r.spec.seed) for r in self.members]  # type: ignore[arg-type]
        self.batch = make_batch(self.layout, self.capacity, entries)
        self.epoch_seconds = None

    def _member(self, run: Run) -> Member:
        cache = run.stack_arrays
        if self.layout not in cache:
            cache[self.layout] = member_arrays(run.experiment.stack, run.experiment.fit_data, self.layout)  # type: ignore[arg-type]
        return cache[self.layout]

    def _sync(self, slot: int) -> None:
        """The member's own state, read from the stacked one (before a checkpoint)."""
        self.members[slot].experiment._state = self._state_of(slot)

    def _state_of(self, slot: int, host: Host | None = None) -> RunState:
        run = self.members[slot]
        return read_state(self.batch, self.layout, slot, run.experiment.stack, host)  # type: ignore[arg-type]

    def _turn(self, budget: float) -> str:
        program = self.groups.programs.get(self.key, self.capacity)
        assert program is not None and self.batch is not None
        cap = self.capacity
        wanted = np.zeros(cap, np.int64)
        epoch0 = np.zeros(cap, np.int32)
        lr = None
        for slot, run in enumerate(self.members):
            plan = run.plan_for_group()
            if plan is None:  # paused, stopped, done or failed: the per-run path takes over
                self.ask_to_leave(run)
                continue
            count, new_lr = plan
            if new_lr is not None:
                lr = np.array(self.batch.state.lr) if lr is None else lr
                lr[slot] = new_lr
            wanted[slot] = 0 if run.id in self.fresh else count
            epoch0[slot] = run.epoch
        if lr is not None:
            self.batch.state.lr = tf.constant(lr)
        per_epoch = self.epoch_seconds
        budget = min(max(budget, TRAIN_SHARE * self.overhead_seconds), MAX_TURN)
        k = 1 if per_epoch is None else int(budget / max(per_epoch, 1e-6))
        k = max(1, min(k, K_MAX))
        counts = np.minimum(wanted, k).astype(np.int32)
        began = time.perf_counter()
        logs, maps = program.train(self.batch, epoch0, counts)
        longest = int(counts.max(initial=0))
        elapsed = time.perf_counter() - began
        fixed = self.maps_seconds.get(cap, program.fixed_seconds)
        if not longest:
            self.maps_seconds[cap] = elapsed
        else:
            took = (elapsed - fixed) / longest  # the epochs' share of the call
            if took <= 0:
                # The fixed cost was measured high (a loaded moment): the whole call is taken as
                # epochs, and as the fixed cost at most. (Taken as ~0 s per epoch, the next turn
                # trained K_MAX epochs: seconds without a frame.)
                self.maps_seconds[cap] = fixed = elapsed
                took = elapsed / longest
            # A moving average, but a turn that ran twice as fast as it says is taken at once: the
            # first turns of a class run while thirty runs are being created, and one slow measure
            # would keep a shard at an epoch or two per turn for many turns.
            if per_epoch is None or took < 0.5 * per_epoch:
                self.epoch_seconds = took
            else:
                self.epoch_seconds = 0.8 * per_epoch + 0.2 * took
        trained = time.perf_counter()
        self._after(logs, maps, counts)
        self.groups.look_again()
        if longest:
            spent = fixed + time.perf_counter() - trained
            self.overhead_seconds = 0.8 * self.overhead_seconds + 0.2 * spent
        training = any(r.plan_for_group(peek=True) is not None for r in self.members)
        return "again" if training or self._joining else "idle"

    def _after(self, logs: np.ndarray, maps: tuple[Any, ...], counts: np.ndarray) -> None:
        names = self.groups.log_names(self.key)
        now = time.monotonic()
        due: list[int] = []
        for slot, run in enumerate(self.members):
            c = int(counts[slot])
            diverged = False
            rows = logs[:c, slot]
            if c:
                bad = ~np.isfinite(rows[:, names.index("loss")])
                if bad.any():
                    c = int(np.argmax(bad)) + 1  # the first non-finite epoch is kept, then it ends
                    rows = rows[:c]
                    diverged = True
                first = run.record_epochs(names, _shortest(rows.reshape(-1)), c)
            else:
                first = run.epoch
            joined = run.id in self.fresh
            self.fresh.discard(run.id)
            if diverged:
                run.fail_later()
            leaving = run.should_end()
            if leaving:
                # The per-run path takes it from here (pausing, ending); a step's epoch is drawn now.
                self.ask_to_leave(run)
                if c and not diverged:
                    due.append(slot)
            chunk = Chunk(first, names, rows, joined=joined, last=leaving, now=now)
            chunk.sync, chunk.draw = partial(self._sync, slot), partial(due.append, slot)
            run.callbacks.on_chunk_end(run, chunk)  # checkpoints and frames (see callbacks.py)
        # Frames are encoded together for members that share a network and its layers' names (a
        # family shard holds many networks, each drawn with its own layers and weights).
        alike: dict[tuple[Any, ...], list[int]] = {}
        for slot in due:
            run = self.members[slot]
            stack = run.experiment.stack
            assert stack is not None
            key = (stack.exact, stack.names, run.send_weights, run.classification)
            alike.setdefault(key, []).append(slot)
        for slots in alike.values():
            for slot, view in zip(slots, self._views(slots, maps), strict=True):
                self.members[slot].publish_view(view)

    def _views(self, slots: list[int], maps: tuple[Any, ...]) -> list[View]:
        """Frames' views of some members that share one network, made together."""
        run = self.members[slots[0]]
        stack = run.experiment.stack
        assert stack is not None and self.batch is not None
        exact, index = stack.exact, np.asarray(slots)
        params = self.batch.state.params
        hidden_targets = list(range(len(exact.widths)))
        targets = [*hidden_targets, len(self.layout.widths)]
        shapes = exact.shapes()  # the run's own kernels: a stack's in a row, a graph's as its nodes take them
        kernels = [
            np.asarray(params[2 * t])[index, : shapes[2 * i][0], : shapes[2 * i][1]] for i, t in enumerate(targets)
        ]
        biases = [np.asarray(params[2 * t + 1])[index, : shapes[2 * i][1]] for i, t in enumerate(targets)]
        out = np.asarray(maps[0])[index, :, : exact.outputs] if maps else None
        hidden = [np.asarray(maps[1][t])[index, :, : exact.widths[t]] for t in hidden_targets] if maps else []
        return group_views(
            out,
            hidden,
            list(stack.names),  # its Dense layers' (the same for all of `slots`)
            kernels,
            biases,
            run.spec.stream.grid_size,
            run.spec.stream.neuron_grid_size,
            run.classification,
            run.send_weights,
        )


class Groups:
    """Where stack runs train: their shards by key, and the compiles they wait for."""

    def __init__(
        self,
        programs: StackPrograms,
        workers: int,
        lone_compile_max_runs: int = 4,
        *,
        submit: Callable[..., None] | None = None,
        wake: Callable[[Run], None] | None = None,
    ) -> None:
        """`submit(task, first)` gives a shard a turn (the scheduler's); `wake(run)` hands a run
        that left its shard back to the per-run engine."""
        self.programs = programs
        self.workers = workers
        self.lone_compile_max_runs = lone_compile_max_runs
        self._shards: dict[Key, list[Shard]] = {}
        # Runs that asked for a key not compiled at their size (weakly: a deleted run is not held).
        self._demand: dict[Key, weakref.WeakValueDictionary[str, Run]] = {}
        # Networks in the family waiting before their own program compiles (see `_ask`): the
        # runs of each that asked, and since when; and when they were last looked at.
        self._deferred: dict[Key, tuple[list[Run], float]] = {}
        self._looked = 0.0
        self._lock = threading.Lock()
        self.submit: Callable[..., None] = submit or (lambda task, first=False: None)
        self.wake: Callable[[Run], None] = wake or (lambda run: None)
        programs.listen(self._on_ready)

    def log_names(self, key: Key) -> list[str]:
        return key[1].log_names

    def place(self, run: Run) -> bool:
        """Put a run that wants to train into a shard; False when none can take it (yet)."""
        stack = run.experiment.stack
        if stack is None or run.shard is not None:
            return run.shard is not None
        if run.challenge_id is not None or run.spec.tensorboard:
            return False  # scored, or logged, with its Keras model at every frame: the per-run engine
        exact = (stack.exact, stack.training)
        keys = [exact] + ([(stack.family, stack.training)] if stack.family is not None else [])
        for key in keys:
            if self.programs.fitting(key, 1) is None:
                continue
            if key == exact and stack.family is not None and not self._exact_ready(key):
                continue  # its program for a shard of runs comes soon: the family meanwhile
            shard = self._shard_for(key)
            # The run's fresh weights and padded data are made here, by the worker placing it,
            # not inside the shard's turn that the shard's other runs wait for.
            run.experiment.state  # noqa: B018
            shard._member(run)
            run.shard = shard
            shard.join(run)
            if key != exact:
                self._ask(exact, run, in_family=True)
            self.submit(shard, True)
            return True
        self._ask(exact, run)  # nothing compiled takes it yet: the per-run engine trains it meanwhile
        return False

    def write_back(self) -> None:
        """Every shard's runs get their state back (at shutdown, when no call runs)."""
        with self._lock:
            shards = [s for group in self._shards.values() for s in group]
        for shard in shards:
            with shard._lock:
                if shard.batch is not None:
                    for slot, run in enumerate(shard.members):
                        run.experiment._state = shard._state_of(slot)

    def _exact_ready(self, key: Key) -> bool:
        """Whether a network's own program should take its runs now: compiled, and for a shard
        if more than one student trains it (else thirty runs would train one shard each)."""
        capacities = self.programs.capacities(key)
        with self._lock:
            shared = len(self._demand.get(key, ())) >= 2
        return bool(capacities) and (capacities[-1] > 1 or not shared)

    def training(self) -> int:
        """Runs in shards now."""
        with self._lock:
            return sum(s.size for group in self._shards.values() for s in group)

    def _ask(self, key: Key, run: Run, in_family: bool = False, waited: bool = False) -> None:
        """Compile the key for one run, then for a shard's worth once a second run wants it.
        The family is compiled at start-up only: for training settings it was not compiled for,
        a new network's own program compiles as fast as a family would. A network the family
        trains compiles later (`look_again`), after LONE_WAIT seconds (a compile's tracing would
        slow the first frames of a class that has just pressed ▶ together), and if only one
        student trains it, only while at most `lone_compile_max_runs` runs train (its compile
        would take a core from the whole class)."""
        if key[0].family:
            return
        with self._lock:
            demand = self._demand.setdefault(key, weakref.WeakValueDictionary())
            demand[run.id] = run
            wanted = [1] if len(demand) < 2 else [1, MAX_SHARD]
            if in_family and not waited:
                runs, _since = self._deferred.setdefault(key, ([], time.monotonic()))
                if run not in runs:
                    runs.append(run)  # whichever of them still trains in the family compiles it
                return
            self._deferred.pop(key, None)
        asked = [c for c in wanted if not self.programs.asked(key, c)]
        if not asked:
            return
        layout = key[0]
        stack = run.experiment.stack
        assert stack is not None
        entry = Entry(stack, member_arrays(stack, run.experiment.fit_data, layout), run.experiment.state, run.spec.seed)
        for capacity in asked:
            self.programs.ask(key, capacity, entry, priority=3 + (capacity > 1), wanted=partial(self.wanted, key))

    def wanted(self, key: Key) -> bool:
        """Whether a run that asked for the key still trains or may (a compile whose students have
        all stopped or deleted their runs meanwhile is dropped: it would take a core from the next
        lesson's class for nothing)."""
        with self._lock:
            return any(not r.ending for r in self._demand.get(key, {}).values())

    def look_again(self) -> None:
        """Compile the programs of networks waiting in the family LONE_WAIT seconds or more: of
        those two students train, and of the others while few runs train (at most twice a second)."""
        now = time.monotonic()
        if not self._deferred or now - self._looked < 0.5:
            return
        self._looked = now
        light = self.training() <= self.lone_compile_max_runs
        with self._lock:
            due = [
                (key, runs)
                for key, (runs, since) in self._deferred.items()
                if now - since >= LONE_WAIT and (light or len(self._demand.get(key, ())) >= 2)
            ]
            for key, _ in due:
                del self._deferred[key]
        for key, runs in due:
            # One that still trains in the family (the first may have paused or left meanwhile).
            run = next((r for r in runs if r.shard is not None and r.shard.key != key), None)
            if run is not None:
                self._ask(key, run, in_family=True, waited=True)

    def _shard_for(self, key: Key) -> Shard:
        """A shard with room: a new one while the key has fewer than `workers` (so every core
        trains from the second run on), else the emptiest of its first `workers`, then any other
        with room, then a new one."""
        with self._lock:
            shards = self._shards.setdefault(key, [])
            biggest = self.programs.capacities(key)[-1]
            first = [s for s in shards[: self.workers] if s.size < biggest]
            rest = [s for s in shards[self.workers :] if s.size < biggest]
            if first and (len(shards) >= self.workers or min(s.size for s in first) == 0):
                return min(first, key=lambda s: s.size)
            if len(shards) >= self.workers and rest:
                return rest[0]
            shard = Shard(self, key, len(shards))
            shards.append(shard)
            return shard

    def _on_ready(self, key: Key) -> None:
        """A key compiled at a new capacity: its runs gather into its first shards, and runs of
        that exact network waiting in the family move over."""
        moving = not key[0].family and self._exact_ready(key)  # else they stay in the family a while
        with self._lock:
            own = self._shards.get(key, [])[self.workers :]
            family = [s for (lay, _), g in self._shards.items() if lay.family for s in g] if moving else []
        for shard in own:
            for run in list(shard.members):
                shard.ask_to_leave(run)
            self.submit(shard, False)
        for shard in family:
            for run in list(shard.members):
                stack = run.experiment.stack
                if stack is not None and (stack.exact, stack.training) == key:
                    shard.ask_to_leave(run)
            self.submit(shard, False)
