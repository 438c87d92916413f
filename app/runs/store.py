"""Runs in the database: a row per run, its history, checkpoints while it trains, its model file.

Training workers never wait for the disk: `save` takes a snapshot (the state's arrays are
immutable tensors, the history is sliced) and one writer thread turns it into rows, keeping
only the newest snapshot of each run when it falls behind. A save that fails (a full disk, a
read-only file, a database server briefly unreachable) is said, not lost silently:
`save_error(run_id)` for the run, `status()` for the server (the health endpoint), until a later
save succeeds; and it is tried again (with the run's next snapshot, or after RETRY_SECONDS), so the
history written while the database was away is not lost once it is back.
"""

import io
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import undefer

from app.db.database import Database
from app.db.tables import HistoryChunk, RunRow

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0  # a failed snapshot with no newer one behind it is tried again after this long


@dataclass
class RunSave:
    """A run as it is to be written: its fields, and (when given) its state and model file."""

    fields: dict[str, Any]
    # the history since the last snapshot: (start, stop, {key: values})
    chunks: list[tuple[int, int, dict[str, list[float | None]]]] = field(default_factory=list)
    variables: list[Any] | None = None
    optimizer: list[Any] | None = None
    model: Any = None  # a callable giving the .keras bytes, made in the writer thread
    row: RunRow | None = None  # a new run's row, inserted before the fields are written
    delete: bool = False  # the run is deleted: its rows go, and nothing after is written
    done: threading.Event = field(default_factory=threading.Event)


def describe_failure(exc: BaseException) -> str:
    """A failed save in one line: what is wrong and what to do."""
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else type(exc).__name__
    lowered = text.lower()
    if "full" in lowered or isinstance(exc, OSError) and exc.errno == 28:
        return f"the database is full ({text}): free disk space in the data directory; runs keep training unsaved"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the database is read-only ({text}): make the data directory writable; runs keep training unsaved"
    return f"saving failed ({text}); runs keep training unsaved"


def state_bytes(variables: list[Any], optimizer: list[Any]) -> bytes:
    out = io.BytesIO()
    arrays = {f"v{i}": np.asarray(v) for i, v in enumerate(variables)}
    arrays |= {f"o{i}": np.asarray(v) for i, v in enumerate(optimizer)}
    np.savez(out, **arrays)
    return out.getvalue()


def state_arrays(data: bytes) -> tuple[list[np.ndarray], list[np.ndarray]]:
    with np.load(io.BytesIO(data)) as arrays:
        variables = [arrays[f"v{i}"] for i in range(sum(1 for k in arrays.files if k[0] == "v"))]
        optimizer = [arrays[f"o{i}"] for i in range(sum(1 for k in arrays.files if k[0] == "o"))]
    return variables, optimizer


class RunStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: dict[str, RunSave] = {}
        # Snapshots whose write failed (their row, history chunks and state), tried again with the
        # run's next snapshot or after RETRY_SECONDS; `flush` does not wait for them.
        self._retry: dict[str, RunSave] = {}
        self._cond = threading.Condition()
        self._busy = False
        self._stopping = False
        # Why the last save of a run failed (cleared by its next good save), and of any run.
        self._errors: dict[str, str] = {}
        self._error: str | None = None
        self._failed = 0
        self._last_failure = 0.0
        self._thread = threading.Thread(target=self._write_loop, name="run-writer", daemon=True)

    def start(self) -> None:
        """Start the writer thread (the app's lifespan does, through the run manager)."""
        self._thread.start()

    # --- reads and synchronous writes (request threads) ------------------------------------
    def insert(self, row: RunRow) -> threading.Event:
        """A new run's row, written by the writer thread (a class's burst of new runs does not
        contend for the database with the checkpoints being written): the event is set once it is."""
        return self.save(row.id, RunSave({}, row=row))

    def rows(self) -> list[RunRow]:
        """Every run's row, without history, checkpoint or model file."""
        with self.db.session() as session:
            return list(session.scalars(select(RunRow).order_by(RunRow.created)))

    def history(self, run_id: str, epochs: int) -> dict[str, list[float | None]]:
        """The logs of the first `epochs` epochs, from the run's chunks (later ones win)."""
        out: dict[str, list[float | None]] = {}
        with self.db.session() as session:
            chunks = session.scalars(
                select(HistoryChunk).where(HistoryChunk.run_id == run_id).order_by(HistoryChunk.id)
            )
            for chunk in chunks:
                for key, values in chunk.logs.items():
                    column = out.setdefault(key, [None] * epochs)
                    stop = min(chunk.stop, epochs)
                    if chunk.start < stop:
                        column[chunk.start : stop] = values[: stop - chunk.start]
        return out

    def checkpoint(self, run_id: str) -> tuple[int, list[np.ndarray], list[np.ndarray]] | None:
        with self.db.session() as session:
            row = session.get(RunRow, run_id, options=[undefer(RunRow.checkpoint)])
            if row is None or row.checkpoint is None or row.checkpoint_epoch is None:
                return None
            return (row.checkpoint_epoch, *state_arrays(row.checkpoint))

    def model_file(self, run_id: str) -> bytes | None:
        with self.db.session() as session:
            row = session.get(RunRow, run_id, options=[undefer(RunRow.model_file)])
            return row.model_file if row else None

    def set_fields(self, run_id: str, **values: Any) -> None:
        with self.db.session() as session:
            session.execute(update(RunRow).where(RunRow.id == run_id).values(**values))

    def save_error(self, run_id: str) -> str | None:
        """Why this run's last save failed, or None when it was written (or nothing was tried)."""
        with self._cond:
            return self._errors.get(run_id)

    def status(self) -> dict[str, Any]:
        """The storage's health: `ok`, the last failure's reason until a save succeeds, failures so far."""
        with self._cond:
            return {
                "ok": self._error is None,
                "error": self._error,
                "failed_saves": self._failed,
                "last_failure": self._last_failure or None,
                "pending": len(self._pending),
            }

    def delete(self, run_id: str, timeout: float = 10.0) -> bool:
        """Delete the run's rows, in the writer's order (after its row is inserted, before any
        later save can write it again); True once done within `timeout`."""
        with self._cond:
            self._retry.pop(run_id, None)
            self._errors.pop(run_id, None)
            snapshot = self._pending[run_id] = RunSave({}, delete=True)
            self._cond.notify()
        return snapshot.done.wait(timeout)

    # --- asynchronous writes (training workers) ---------------------------------------------
    def save(self, run_id: str, snapshot: RunSave) -> threading.Event:
        """Queue a snapshot; a newer one replaces an unwritten older one (keeping its state if
        the newer has none). The event is set once it is written."""
        with self._cond:
            older = self._pending.get(run_id)
            if older is not None and older.delete:  # deleted: nothing of it is written any more
                return older.done
            failed = self._retry.pop(run_id, None)  # tried and failed: its event is already set
            if older is None and failed is not None:
                _merge(snapshot, failed)
            elif older is not None:
                snapshot.chunks = older.chunks + snapshot.chunks
                if snapshot.variables is None:
                    snapshot.variables, snapshot.optimizer = older.variables, older.optimizer
                    snapshot.fields = {**older.fields, **snapshot.fields}
                snapshot.model = snapshot.model or older.model
                snapshot.row = snapshot.row or older.row  # not inserted yet: insert it first
                snapshot.done = older.done
            self._pending[run_id] = snapshot
            self._cond.notify()
        return snapshot.done

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every queued snapshot is written."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        if not self._thread.is_alive():  # never started: nothing is written, nothing to wait for
            return
        self.flush()
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(5)

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    if not self._retry:
                        self._cond.wait()
                    elif not self._cond.wait(RETRY_SECONDS) and not self._pending:
                        self._pending, self._retry = self._retry, {}
                if not self._pending:
                    return
                batch, self._pending = self._pending, {}
                self._busy = True
            try:
                for run_id, snapshot in batch.items():
                    try:
                        self._write(run_id, snapshot)
                    except (SQLAlchemyError, OSError, ValueError) as exc:
                        self._failure(run_id, exc, snapshot)
                    except Exception as exc:
                        log.exception("saving run %s failed", run_id)
                        self._failure(run_id, exc, snapshot)
                    else:
                        with self._cond:
                            self._errors.pop(run_id, None)
                            self._error = None
                    finally:
                        snapshot.done.set()
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _failure(self, run_id: str, exc: BaseException, snapshot: RunSave) -> None:
        reason = describe_failure(exc)
        with self._cond:
            if not snapshot.delete and not self._stopping:  # tried again: with its next save, or later
                retry = RunSave(
                    snapshot.fields, list(snapshot.chunks), snapshot.variables, snapshot.optimizer,
                    snapshot.model, snapshot.row,
                )  # fmt: skip
                waiting = self._pending.get(run_id)
                if waiting is None:
                    self._retry[run_id] = retry
                elif not waiting.delete:
                    _merge(waiting, retry)
            repeated = self._error == reason
            self._errors[run_id] = reason
            self._error = reason
            self._failed += 1
            self._last_failure = time.time()
        if not repeated:  # one line per kind of failure, not one per checkpoint
            log.error("saving run %s failed: %s", run_id, reason)

    def _write(self, run_id: str, snapshot: RunSave) -> None:
        if snapshot.delete:
            with self.db.session() as session:
                session.execute(delete(HistoryChunk).where(HistoryChunk.run_id == run_id))
                session.execute(delete(RunRow).where(RunRow.id == run_id))
            return
        values = dict(snapshot.fields)
        if snapshot.variables is not None:
            values["checkpoint"] = state_bytes(snapshot.variables, snapshot.optimizer or [])
        if snapshot.model is not None:
            try:
                values["model_file"] = snapshot.model()
            except Exception:  # the checkpoint still holds the state the file is made from
                log.exception("writing the model file of run %s failed", run_id)
        values["updated"] = time.time()
        with self.db.session() as session:  # the state and the history up to it, together
            if snapshot.row is not None:
                session.add(snapshot.row)
                session.flush()
            result = session.execute(update(RunRow).where(RunRow.id == run_id).values(**values))
            if result.rowcount == 0:  # deleted while this snapshot waited: nothing to keep
                return
            for start, stop, logs in snapshot.chunks:
                session.add(HistoryChunk(run_id=run_id, start=start, stop=stop, logs=logs))


def _merge(newer: RunSave, failed: RunSave) -> None:
    """Put a failed snapshot's writes under a newer one of the same run (the newer's values win)."""
    newer.chunks = failed.chunks + newer.chunks
    newer.fields = {**failed.fields, **newer.fields}
    if newer.variables is None:
        newer.variables, newer.optimizer = failed.variables, failed.optimizer
    newer.model = newer.model or failed.model
    newer.row = newer.row or failed.row
