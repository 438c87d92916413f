"""Every caller has a session token; the first HTTP request without one gets one as a cookie.

A plain ASGI middleware (no per-request task group, unlike `@app.middleware("http")`), since
it sits in front of every request, the frequent ones included.
"""

import logging
import re
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import new_token, presented_token
from app.config import Settings

YEAR = 365 * 86400
_TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])token=)[^&\s\"]+")


class HideTokens(logging.Filter):
    """Keeps `?token=` (a websocket's session token) out of uvicorn's access and connection logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, str) and "token=" in a for a in record.args):
            record.args = tuple(_TOKEN_IN_QUERY.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        return True


def hide_tokens_in_logs() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideTokens) for f in logger.filters):
            logger.addFilter(HideTokens())


class SessionMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        hide_tokens_in_logs()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = presented_token(HTTPConnection(scope), self.settings)
        fresh = token is None
        token = token or new_token()
        scope.setdefault("state", {})["client"] = token

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                cookie: SimpleCookie = SimpleCookie()
                name = self.settings.session_cookie
                cookie[name] = token
                cookie[name].update({"httponly": True, "samesite": "lax", "max-age": YEAR, "path": "/"})
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", cookie.output(header="").strip())
                headers.append("x-session-token", token)
            await send(message)

        await self.app(scope, receive, send_with_cookie if fresh else send)
