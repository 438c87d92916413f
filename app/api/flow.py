"""Back-pressure for websocket frames: send only when the previous frame has left.

A viewer that reads slowly must get the latest state, not every frame in order. The kernel's
send buffer would otherwise swallow many frames before the server notices, so the socket is
told to keep little unsent data (TCP_NOTSENT_LOWAT), and a frame is only sent when the
transport's own buffer is empty; meanwhile new frames just replace the one waiting.
"""

import asyncio
import socket
from typing import Any

from fastapi import WebSocket

_LOWAT = getattr(socket, "TCP_NOTSENT_LOWAT", None)


def _transport(ws: WebSocket) -> asyncio.Transport | None:
    """The server protocol's transport behind the ASGI `send` (uvicorn's protocols own one).

    Starlette wraps `send` in closures, so look through them; any other server simply gets
    no back-pressure beyond its own.
    """
    todo: list[Any] = [ws._send]
    for _ in range(8):
        if not todo:
            break
        fn = todo.pop()
        transport = getattr(getattr(fn, "__self__", None), "transport", None)
        if hasattr(transport, "get_write_buffer_size"):  # asyncio's or uvloop's
            return transport  # type: ignore[no-any-return]
        todo += [c.cell_contents for c in getattr(fn, "__closure__", None) or () if callable(c.cell_contents)]
    return None


class Flow:
    def __init__(self, ws: WebSocket, unsent_bytes: int = 16384) -> None:
        self.transport = _transport(ws)
        sock = self.transport.get_extra_info("socket") if self.transport else None
        if sock is not None and _LOWAT is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, _LOWAT, unsent_bytes)
            except OSError:
                pass

    def busy(self) -> bool:
        """True while an earlier frame is still waiting to be written."""
        return self.transport is not None and self.transport.get_write_buffer_size() > 0
