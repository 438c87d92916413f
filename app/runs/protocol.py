"""The live stream's wire format (`WS /ws/runs/{id}`), in one place: a model per message and the
functions that write them.

Server → client, JSON text: `frame` (the run's state and the epochs since the last frame),
`queued` (its place in the queue for a training slot), then `done` or `error` as the last
message before the socket closes, and `rejected` for a control that was not understood.
Client → server: a `Control`. A frame's model part (`grid`, `neurons`, `weights`) comes
encoded from the engine (see app/engine/frames.py, "Frame encoding" in the README), once per
frame and shared by every viewer; this module writes the envelope around it, without parsing it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.runs.status import Status

if TYPE_CHECKING:
    from app.runs.run import Run, Snapshot

History = dict[str, list[float | None]]


class Control(BaseModel):
    """Client → server: pause, resume, step, stop, or set the learning rate."""

    model_config = ConfigDict(extra="forbid")
    action: str = Field(..., pattern="^(pause|resume|step|stop|set)$")
    learning_rate: float | None = Field(None, gt=0, le=100)


class Frame(BaseModel):
    """The run now: its epoch and status, every epoch's logs since the previous frame, the model."""

    type: Literal["frame"] = "frame"
    epoch: int
    status: Status
    preparing: bool = False  # its program is being traced: no epoch has trained yet
    save_error: str | None = None  # its last save failed: what is shown may not survive a restart
    history: History
    grid: dict[str, Any] | None
    neurons: list[dict[str, Any]]
    weights: list[dict[str, Any]]


class Queued(BaseModel):
    """Waiting for a training slot: its place in the queue (1 is next)."""

    type: Literal["queued"] = "queued"
    position: int | None


class Done(BaseModel):
    """The run ended as done or stopped: its whole history. The socket closes after it."""

    type: Literal["done"] = "done"
    epoch: int
    status: Status
    history: History


class Error(BaseModel):
    """The run failed (the loss diverged, say, with advice), or there is no such run."""

    type: Literal["error"] = "error"
    message: str | None
    epoch: int | None = None


class Rejected(BaseModel):
    """A control that was not understood: the same `{field, code, params, message}` items as REST."""

    type: Literal["rejected"] = "rejected"
    message: str
    errors: list[dict[str, Any]]


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def write(message: BaseModel) -> str:
    """A small message as compact JSON text (an `error` without an epoch leaves it out)."""
    return message.model_dump_json(exclude={"epoch"} if isinstance(message, Error) and message.epoch is None else None)


def frame(run: Run, snapshot: Snapshot, since: int) -> str:
    """`Frame` as JSON text, written around the snapshot's pre-encoded model part: the epochs
    since epoch `since`, and the run's save error if it has one."""
    history = _json(run.history_slice(since, snapshot.epoch))
    extra = ',"preparing":true' if snapshot.preparing else ""
    failed = run.gate.save_error(run) if run.gate is not None else None
    if failed is not None:
        extra += f',"save_error":{_json(failed)}'
    head = f'"type":"frame","epoch":{snapshot.epoch},"status":"{snapshot.status}"{extra}'
    return f'{{{head},"history":{history},{snapshot.body}}}'


def ended(run: Run) -> str:
    """The last message: `error` for a failed run, else `done` with the whole history."""
    if run.status == "failed":
        return write(Error(message=run.error, epoch=run.epoch))
    return _json(Done(epoch=run.epoch, status=run.status, history=run.history_slice(0, run.epoch)).model_dump())
