"""WS /ws/runs/{id}: frames out, controls in, on one socket (messages: app/runs/protocol.py)."""

import asyncio
import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from anyio import ClosedResourceError
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from app.api.deps import client_id, presented_token
from app.api.errors import validation_detail
from app.api.flow import Flow
from app.errors import NotFound, SpecError, issue
from app.runs import protocol
from app.runs.protocol import Control
from app.runs.run import FINISHED, Run

router = APIRouter(tags=["stream"])
T = TypeVar("T")

# A message carrying more epochs of history than this is written in a worker thread: a long run's
# whole history (a viewer joining it, or its `done`) is megabytes of JSON, and the event loop
# serves every other socket meanwhile.
BIG_HISTORY = 5_000


async def _written(epochs: int, write: Callable[..., T], *args: Any) -> T:
    if epochs > BIG_HISTORY:
        return await anyio.to_thread.run_sync(write, *args)
    return write(*args)


async def _send_frames(ws: WebSocket, run: Run, event: asyncio.Event, query: protocol.StreamQuery) -> None:
    flow = Flow(ws)
    sent = query.since  # epochs of history this viewer has
    rewinds = run.rewinds
    interval = 1.0 / run.spec.stream.max_fps
    last = 0.0
    told: int | None = None
    while True:
        await event.wait()
        event.clear()
        wait = last + interval - time.monotonic()
        if wait > 0:  # coalesce: whatever arrives meanwhile is folded into the next frame
            await anyio.sleep(wait)
            event.clear()
        while flow.busy():  # a slow viewer: wait, then send whatever is latest by then
            await anyio.sleep(min(interval, 0.005))
        if run.status == "queued" and run.queue_position != told:
            told = run.queue_position  # waiting for a training slot: say where in the queue
            await ws.send_text(protocol.write(protocol.Queued(position=told)))
        snapshot = run.snapshot
        if snapshot is None:
            continue
        if sent > snapshot.epoch or run.rewinds != rewinds:  # its history was cut back: all of it again
            sent, rewinds = 0, run.rewinds
        if query.format == "binary":
            await ws.send_bytes(await _written(snapshot.epoch - sent, protocol.binary_frame, run, snapshot, sent))
        else:
            await ws.send_text(await _written(snapshot.epoch - sent, protocol.frame, run, snapshot, sent))
        sent = snapshot.epoch
        last = time.monotonic()
        if snapshot.status in FINISHED:
            since = sent if query.done == "rest" else 0
            await ws.send_text(await _written(run.epoch - since, protocol.ended, run, since))
            return


async def _receive_controls(ws: WebSocket, run: Run) -> None:
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:  # a binary message: controls are JSON text
            reason = "controls are JSON text messages, not binary"
            await _reject(ws, reason, [issue("", "invalid", {"reason": reason})])
            continue
        try:
            control = Control.model_validate_json(text)
            # In a worker thread: on a Ray cluster a control is a call to the run's trainer.
            if control.action == "set":
                if control.learning_rate is None:
                    raise SpecError("learning_rate", code="learning_rate_required")
                await anyio.to_thread.run_sync(run.set_learning_rate, control.learning_rate)
            else:
                await anyio.to_thread.run_sync(getattr(run, control.action))
        except ValidationError as exc:
            detail, items = validation_detail(list(exc.errors()))
            await _reject(ws, detail, items)
        except SpecError as exc:
            await _reject(ws, exc.detail(), [issue(exc.field, exc.code, exc.params, exc.message)])


async def _reject(ws: WebSocket, message: str, errors: list[dict[str, Any]]) -> None:
    """A control that was not understood: the same `{field, code, params, message}` items as REST."""
    await ws.send_text(protocol.write(protocol.Rejected(message=message, errors=errors)))


@router.websocket("/ws/runs/{run_id}")
async def stream_run(ws: WebSocket, run_id: str) -> None:
    """`?format=json` (default: frames as JSON text) or `binary`, `since=n` (epochs the client
    holds), `done=full` (default) or `rest` (see app/runs/protocol.py)."""
    await ws.accept()
    try:
        query = protocol.StreamQuery.model_validate(dict(ws.query_params))
    except ValidationError as exc:  # the query's field, its code and its values, as REST says them
        detail, items = validation_detail(list(exc.errors()))
        first = items[0]
        wrong = protocol.Error(message=detail, field=first["field"], code=first["code"], params=first["params"])
        await ws.send_text(protocol.write(wrong))
        await ws.close(code=4422)
        return
    app = ws.app
    token = presented_token(ws, app.state.settings)
    try:
        # A worker thread: on a Ray cluster a run another web process made is asked of the trainers.
        run = await anyio.to_thread.run_sync(app.state.runs.get, client_id(token) if token else "", run_id)
    except NotFound as exc:  # another client's run is as absent as a run that never existed
        await ws.send_text(protocol.write(protocol.Error(message=exc.message)))
        await ws.close(code=4404)
        return
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    run.subscribe(loop, event, query.format)
    try:
        async with anyio.create_task_group() as tg:

            async def receive() -> None:
                await _receive_controls(ws, run)
                tg.cancel_scope.cancel()

            tg.start_soon(receive)
            await _send_frames(ws, run, event, query)
            tg.cancel_scope.cancel()
        await ws.close()
    except* (WebSocketDisconnect, ClosedResourceError, RuntimeError):
        pass  # the viewer left (a send may race its close); the run goes on and keeps its result
    finally:
        run.unsubscribe(loop, event)
