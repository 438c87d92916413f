"""The live stream's wire format (`WS /ws/runs/{id}`), in one place: a model per message and the
functions that write them.

Server → client: `frame` (the run's state, the epochs since the last frame, and the model's
view: output grid, unit maps, weights), `queued` (its place in the queue for a training slot),
then `done` or `error` as the last message before the socket closes, and `rejected` for a
control that was not understood. Client → server: a `Control`, as JSON text.

The socket's query (`StreamQuery`) picks the frames' format, the epochs the client already holds
(`since`: a page that reconnects asks only for what it lacks) and what `done` carries (`full`: the
whole history, or `rest`: only the epochs no frame brought, for a client that concatenates
frames). Every frame and `done` says where its history starts (`since`); a run whose history was
cut back below what the socket has sent (moved to another node from its checkpoint, or restored
after a restart) starts again from 0, and the client drops what it held.

Frames come in one of two formats, chosen per socket (`?format=`): `json` (text, the maps'
bytes in base64) or `binary`, which the page uses: a 12-byte header a client reads without
decoding the rest (`HEADER`: message type, version, status, flags, epoch, length of the JSON
part), the JSON part (history, and the maps and weights described by offset), then the bytes —
float32 weights first, then the maps' bytes. The engine returns arrays (`View`, in
app/engine/frames.py); a frame's model part is encoded once per format, shared by every viewer.
Every other message is JSON text in both formats.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from app.engine.frames import Map, View
from app.runs.status import Status

if TYPE_CHECKING:
    from app.runs.run import Run, Snapshot

Format = Literal["json", "binary"]
STATUSES: tuple[Status, ...] = ("running", "paused", "queued", "interrupted", "done", "stopped", "failed")
HEADER = struct.Struct("<BBBBII")  # type, version, status, flags, epoch, JSON length: little-endian
FRAME, VERSION = 1, 1
PREPARING, SAVE_ERROR = 1, 2  # flags

History = dict[str, list[float | None]]


class StreamQuery(BaseModel):
    """The socket's query: `?format=json|binary&since=n&done=full|rest`."""

    model_config = ConfigDict(extra="ignore")
    format: Format = "json"
    since: int = Field(0, ge=0)  # epochs the client holds: the first frame brings those after them
    done: Literal["full", "rest"] = "full"  # `done` with the whole history, or only what no frame brought


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
    since: int  # the epoch its history starts at (0: the whole history, the client drops what it held)
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
    """The run ended as done or stopped: its history from `since` (0 unless the socket asked for
    `done=rest`). The socket closes after it."""

    type: Literal["done"] = "done"
    epoch: int
    status: Status
    since: int = 0
    history: History


class Error(BaseModel):
    """The run failed (the loss diverged, say, with advice), or there is no such run."""

    type: Literal["error"] = "error"
    message: str
    epoch: int | None = None
    field: str | None = None  # a request that was wrong: which part, its code and their values
    code: str | None = None
    params: dict[str, Any] | None = None


class Rejected(BaseModel):
    """A control that was not understood: the same `{field, code, params, message}` items as REST."""

    type: Literal["rejected"] = "rejected"
    message: str
    errors: list[dict[str, Any]]


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


CHUNK = 5_000  # a history's values per json.dumps call


def values_json(values: list[float | None]) -> Iterator[str]:
    """A list's items as JSON (without the brackets), `CHUNK` values per json.dumps call."""
    for i in range(0, len(values), CHUNK):
        yield ("," if i else "") + _json(values[i : i + CHUNK])[1:-1]


def _history_parts(history: History) -> Iterator[str]:
    yield "{"
    for n, (key, values) in enumerate(history.items()):
        yield f'{"," if n else ""}{_json(key)}:['
        yield from values_json(values)
        yield "]"
    yield "}"


def history_json(history: History) -> str:
    """`history` as JSON, written `CHUNK` values at a time and joined once: json.dumps holds the
    GIL for all it is given (2 s for a 1,000,000-epoch history), so a worker thread writing a long
    one in chunks lets the event loop run between them."""
    return "".join(_history_parts(history))


def write(message: BaseModel) -> str:
    """A small message as compact JSON text (an `error` leaves out what it does not have)."""
    if isinstance(message, Error):
        return message.model_dump_json(exclude_none=True)
    return message.model_dump_json()


def _rounded(values: np.ndarray) -> Any:
    """Nested lists of 4-decimal floats; anything not finite becomes null (valid JSON)."""
    values = np.asarray(values, np.float64)
    rounded = np.round(values, 4)
    if np.isfinite(values).all():
        return rounded.tolist()
    kept = rounded.astype(object)
    kept[~np.isfinite(values)] = None
    return kept.tolist()


def _map_json(m: Map) -> str:
    head = f'"layer":{_json(m.layer)},"units":{m.units},' if m.layer is not None else ""
    payload = base64.b64encode(m.data.tobytes()).decode("ascii")
    bounds = f'"min":{_json(round(m.lo, 6))},"max":{_json(round(m.hi, 6))}'
    return f'{{{head}"shape":{_json(list(m.shape))},{bounds},"data":"{payload}"}}'


def view_json(view: View) -> str:
    """The model part of a JSON frame, as members: `"grid":…,"neurons":[…],"weights":[…]`."""
    grid = _map_json(view.grid) if view.grid is not None else "null"
    neurons = ",".join(_map_json(m) for m in view.neurons)
    weights = [
        {"layer": w.layer, "kernel": _rounded(w.kernel), "bias": _rounded(w.bias) if w.bias is not None else None}
        for w in view.weights
    ]
    return f'"grid":{grid},"neurons":[{neurons}],"weights":{_json(weights)}'


def view_binary(view: View) -> tuple[str, bytes]:
    """The model part of a binary frame: its JSON members (maps and weights by offset into the
    bytes) and the bytes, float32 weights first (4-byte aligned), then the maps."""
    chunks: list[bytes] = []
    size = 0

    def put(data: bytes) -> dict[str, int]:
        nonlocal size
        at = size
        chunks.append(data)
        size += len(data)
        return {"offset": at, "length": len(data)}

    def array(values: np.ndarray) -> dict[str, Any]:
        values = np.asarray(values, "<f4")
        return {"shape": list(values.shape), **put(values.tobytes())}

    weights = [
        {"layer": w.layer, "kernel": array(w.kernel), "bias": array(w.bias) if w.bias is not None else None}
        for w in view.weights
    ]

    def described(m: Map) -> dict[str, Any]:
        head = {"layer": m.layer, "units": m.units} if m.layer is not None else {}
        return {**head, "shape": list(m.shape), "min": round(m.lo, 6), "max": round(m.hi, 6), **put(m.data.tobytes())}

    grid = described(view.grid) if view.grid is not None else None
    neurons = [described(m) for m in view.neurons]
    members = _json({"grid": grid, "neurons": neurons, "weights": weights})[1:-1]
    return members, b"".join(chunks)


def _save_error(run: Run) -> str | None:
    return run.gate.save_error(run) if run.gate is not None else None


def frame(run: Run, snapshot: Snapshot, since: int) -> str:
    """`Frame` as JSON text, written around the snapshot's encoded model part: the epochs since
    epoch `since`, and the run's save error if it has one."""
    history = history_json(run.history_slice(since, snapshot.epoch))
    extra = ',"preparing":true' if snapshot.preparing else ""
    failed = _save_error(run)
    if failed is not None:
        extra += f',"save_error":{_json(failed)}'
    head = f'"type":"frame","epoch":{snapshot.epoch},"status":"{snapshot.status}","since":{since}{extra}'
    return f'{{{head},"history":{history},{snapshot.encoded("json")[0]}}}'


def binary_frame(run: Run, snapshot: Snapshot, since: int) -> bytes:
    """`Frame` as a binary message: `HEADER`, the JSON part (space-padded so that the bytes
    after it start 4-byte aligned), the bytes."""
    members, data = snapshot.encoded("binary")
    history = history_json(run.history_slice(since, snapshot.epoch))
    failed = _save_error(run)
    extra = f',"save_error":{_json(failed)}' if failed is not None else ""
    text = f'{{"since":{since},"history":{history}{extra},{members}}}'.encode()
    text += b" " * (-(HEADER.size + len(text)) % 4)
    flags = (PREPARING if snapshot.preparing else 0) | (SAVE_ERROR if failed is not None else 0)
    epoch = min(snapshot.epoch, 0xFFFFFFFF)  # uint32 (the epoch limit is below it)
    head = HEADER.pack(FRAME, VERSION, STATUSES.index(snapshot.status), flags, epoch, len(text))
    return head + text + data


def encode(view: View, fmt: Format) -> tuple[str, bytes]:
    """A view's model part in `fmt` (JSON members, and the bytes a binary frame carries)."""
    return (view_json(view), b"") if fmt == "json" else view_binary(view)


def ended(run: Run, since: int = 0) -> str:
    """The last message: `error` for a failed run, else `done` with the history from `since`."""
    if run.status == "failed":
        return write(Error(message=run.error or "training failed", epoch=run.epoch))
    epoch, status = run.epoch, run.status
    since = min(since, epoch)
    head = f'{{"type":"done","epoch":{epoch},"status":{_json(status)},"since":{since},"history":'
    return "".join([head, *_history_parts(run.history_slice(since, epoch)), "}"])  # one copy of it all
