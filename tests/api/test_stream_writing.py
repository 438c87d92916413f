"""Where the stream writes its messages, in-process: a message with a long history is written
in a worker thread, so that the event loop goes on serving every other socket meanwhile."""

import threading

import anyio

from app.api.routes.stream import BIG_HISTORY, _written


def _writer() -> str:
    return threading.current_thread().name


def test_a_long_history_is_written_off_the_event_loop() -> None:
    async def both() -> tuple[str, str]:
        return await _written(BIG_HISTORY, _writer), await _written(BIG_HISTORY + 1, _writer)

    here = threading.current_thread().name
    small, big = anyio.run(both)
    assert small == here  # a frame's few epochs: on the loop, no thread hop per frame
    assert big != here
