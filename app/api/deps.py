"""Shared dependencies: the settings, the run manager, and who the caller is."""

import re
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from app.config import Settings
from app.runs.manager import RunManager

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def presented_token(conn: HTTPConnection, settings: Settings) -> str | None:
    """The session token a request carries: bearer header, cookie, or `?token=` (websockets)."""
    auth = conn.headers.get("authorization", "")
    candidates = [auth[7:].strip() if auth.lower().startswith("bearer ") else None]
    candidates += [conn.cookies.get(settings.session_cookie), conn.query_params.get("token")]
    return next((c for c in candidates if c and _TOKEN.match(c)), None)


def get_settings_dep(conn: HTTPConnection) -> Settings:
    return conn.app.state.settings


def get_manager(conn: HTTPConnection) -> RunManager:
    return conn.app.state.runs


def get_client(request: Request) -> str:
    return request.state.client


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ManagerDep = Annotated[RunManager, Depends(get_manager)]
ClientDep = Annotated[str, Depends(get_client)]
