"""Every caller has a session token; the first HTTP request without one gets one as a cookie.

A plain ASGI middleware (no per-request task group, unlike `@app.middleware("http")`), since
it sits in front of every request, the frequent ones included.
"""

from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import new_token, presented_token
from app.config import Settings

YEAR = 365 * 86400


class SessionMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

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
