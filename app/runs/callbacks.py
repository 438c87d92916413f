"""What happens after each chunk of epochs, as Keras's callbacks: TensorBoard logs, the challenge
score, checkpoints and frames, each a small object a run holds in a list.

A run trains in chunks — a worker's turn on the per-run engine, or its shard's turn in a stack
group — and after each chunk every callback's `on_chunk_end` sees a `Chunk`: where it started,
its logs, the program that trained it (none in a shard) and two actions the engine provides,
`sync` (bring the run's own state up to date: a shard holds it stacked with others) and `draw`
(make a frame: a shard encodes its members' frames together). `on_frame` sees every frame,
`on_train_end` the end of training, before the run says it ended (so whoever sees the end sees
the final score).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from app.runs.tensorboard import TensorBoardLog

if TYPE_CHECKING:
    from app.engine.program import Program
    from app.runs.run import Gate, Run


def _nothing() -> None:
    pass


@dataclass
class Chunk:
    """One chunk of epochs a run has just trained."""

    first: int  # the epoch it started at
    names: list[str]  # the logs' keys, in the order of `rows`' columns
    rows: np.ndarray  # [epochs, len(names)]
    program: Program | None = None  # the per-run program that trained it (None in a shard)
    stepping: bool = False  # a step: it pauses now, saved and drawn as it is
    joined: bool = False  # its first chunk in a shard: a frame is owed at once
    last: bool = False  # training ends or leaves the shard after it: the end saves, scores and draws
    sync: Callable[[], None] = _nothing
    draw: Callable[[], None] = _nothing
    now: float = field(default_factory=time.monotonic)

    @property
    def logs(self) -> list[dict[str, float]]:
        """Keras's per-epoch logs."""
        return [dict(zip(self.names, row, strict=True)) for row in self.rows.tolist()]


class Callback:
    """Keras's `Callback` for a run that trains in chunks: every hook may do nothing."""

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        pass

    def on_frame(self, run: Run, program: Program) -> None:
        """A frame of the run's current state was made with `program`."""

    def on_train_end(self, run: Run, program: Program | None) -> None:
        """Training ended (done, stopped or failed); `program` is None where none is held."""


class CallbackList(Callback):
    """Keras's `CallbackList`: each hook calls every callback's, in order."""

    def __init__(self, callbacks: Iterable[Callback] = ()) -> None:
        self.callbacks = list(callbacks)

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        for callback in self.callbacks:
            callback.on_chunk_end(run, chunk)

    def on_frame(self, run: Run, program: Program) -> None:
        for callback in self.callbacks:
            callback.on_frame(run, program)

    def on_train_end(self, run: Run, program: Program | None) -> None:
        for callback in self.callbacks:
            callback.on_train_end(run, program)


class TensorBoard(Callback):
    """Keras's TensorBoard layout (see tensorboard.py). The writers open at the first log and
    close at the end; a run trained further opens them again and appends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._log: TensorBoardLog | None = None

    @property
    def log(self) -> TensorBoardLog:
        if self._log is None:
            self._log = TensorBoardLog(self.folder)
        return self._log

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        self.log.epochs(chunk.first, chunk.logs)

    def on_frame(self, run: Run, program: Program) -> None:
        if run.active:  # the end's histograms are written by on_train_end, before the writers close
            self._weights(run, program)

    def on_train_end(self, run: Run, program: Program | None) -> None:
        if program is not None:
            self._weights(run, program)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _weights(self, run: Run, program: Program) -> None:
        names = [v.path for v in program.model.variables]
        self.log.weights(run.epoch, names, [np.asarray(v) for v in run.experiment.state.variables])


class ChallengeScore(Callback):
    """A challenge run's score on the hidden rows: every `every` seconds while it trains, and at
    the end. Scoring needs the run's own program, which the per-run engine holds."""

    def __init__(self, gate: Gate, every: float) -> None:
        self.gate = gate
        self.every = every
        self.last = time.monotonic()

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        due = chunk.stepping or chunk.now - self.last >= self.every
        if chunk.program is not None and due and not chunk.last:
            self.last = chunk.now
            self.gate.rescore(run, chunk.program)

    def on_train_end(self, run: Run, program: Program | None) -> None:
        if program is not None:
            self.gate.rescore(run, program)


class Checkpoint(Callback):
    """Save the run's state every `every` seconds while it trains, and after a step."""

    def __init__(self, gate: Gate, every: float) -> None:
        self.gate = gate
        self.every = every
        self.last = time.monotonic()

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        if (chunk.stepping or chunk.now - self.last >= self.every) and not chunk.last:
            self.last = chunk.now
            chunk.sync()
            self.gate.save(run, chunk.program, final=False)


class Publish(Callback):
    """A frame at most about `max_fps` times a second, and at once when one is owed. A frame is
    made a little early rather than a whole turn late; the websocket still sends at most max_fps."""

    def on_chunk_end(self, run: Run, chunk: Chunk) -> None:
        if chunk.last:
            return
        if chunk.stepping or chunk.joined or chunk.now - run.last_frame >= 0.75 / run.max_fps:
            chunk.draw()
